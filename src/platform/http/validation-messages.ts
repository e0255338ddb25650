import type { FieldError } from '../errors.ts';

/** Ajv-style validation errors, as Fastify hands them to the error handler. */
interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Turns schema validation errors into named fields with Chinese reasons. */
export function fieldErrorsFromAjv(errors: AjvError[], context: string | undefined): FieldError[] {
  const prefix = context && context !== 'body' ? `${context}.` : '';
  return errors.map((e) => {
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const p = e.params;
    let message: string;
    switch (e.keyword) {
      case 'required':
        field = field ? `${field}.${String(p.missingProperty)}` : String(p.missingProperty);
        message = '为必填项';
        break;
      case 'maxLength':
        message = `不能超过 ${String(p.limit)} 个字符`;
        break;
      case 'minLength':
        message = Number(p.limit) <= 1 ? '不能为空' : `至少需要 ${String(p.limit)} 个字符`;
        break;
      case 'type':
        message = `类型应为 ${typeName(String(p.type))}`;
        break;
      case 'format':
        message = `格式不正确（应为 ${String(p.format)}）`;
        break;
      case 'pattern':
        message = '格式不正确';
        break;
      case 'enum':
        message = `取值应为以下之一：${(p.allowedValues as unknown[] | undefined)?.join('、') ?? ''}`;
        break;
      case 'const':
        message = '取值不正确';
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        message = `不能小于 ${String(p.limit)}`;
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        message = `不能大于 ${String(p.limit)}`;
        break;
      case 'additionalProperties':
        field = field ? `${field}.${String(p.additionalProperty)}` : String(p.additionalProperty);
        message = '不是可接受的字段';
        break;
      case 'maxItems':
        message = `最多 ${String(p.limit)} 项`;
        break;
      case 'minItems':
        message = `至少 ${String(p.limit)} 项`;
        break;
      default:
        message = e.message ? `不符合要求（${e.message}）` : '不符合要求';
    }
    return { field: `${prefix}${field}` || '(请求)', message };
  });
}

function typeName(t: string): string {
  const names: Record<string, string> = {
    string: '文本',
    integer: '整数',
    number: '数字',
    boolean: '是/否',
    object: '对象',
    array: '数组',
    null: '空值',
  };
  return t
    .split(',')
    .map((x) => names[x] ?? x)
    .join('或');
}
