// Number generators (DOMAIN.md §1.4): the default generators and the rules a generator must meet
// when it is saved. The database counter is in number.repository.ts; formatting in
// src/platform/codes/number-template.ts.

import type { FieldError } from '../../platform/errors.ts';
import type { ReliabilityTag } from '../../platform/codes/code-tables.ts';
import { checkTemplateScope, parseNumberTemplate, type NumberTemplate, type SequenceScope } from '../../platform/codes/number-template.ts';

export const SEQUENCE_SCOPES: readonly SequenceScope[] = ['global', 'org', 'org+year', 'region+day'];

export const SCOPE_LABELS: Record<SequenceScope, string> = {
  global: '全局统一计数',
  org: '按机构计数',
  'org+year': '按机构、按年计数',
  'region+day': '按区划、按日计数',
};

export interface NumberGeneratorDefinition {
  id: string;
  name: string;
  template: string;
  scope: SequenceScope;
  description: string;
  tag: ReliabilityTag;
}

/**
 * DOMAIN.md §1.4 defaults. Numbers that are not a template plus a counter — query passwords
 * (random), basic and implementation codes (strategies), copy numbers (份号, counted per
 * document) — are not generators here.
 */
export const DEFAULT_NUMBER_GENERATORS: readonly NumberGeneratorDefinition[] = [
  {
    id: 'case',
    name: '办件编号',
    template: '{region6}{yyyyMMdd}{seq:6}',
    scope: 'region+day',
    description: '办件编号，an..50；按受理地区、按日顺序编号',
    tag: 'practice',
  },
  {
    id: 'life-event',
    name: '一件事申请编号',
    template: 'YJS{region6}{yyyyMMdd}{seq:4}',
    scope: 'region+day',
    description: '“一件事”联办申请编号；按受理地区、按日顺序编号，各事项另有办件编号',
    tag: 'practice',
  },
  {
    id: 'acceptance-document',
    name: '受理文书编号',
    template: '{prefix}{yyyy}{seq:5}',
    scope: 'org+year',
    description: '受理、不予受理、补正等文书编号；按机构、按年顺序编号，前缀由机构设定',
    tag: 'practice',
  },
  {
    id: 'document',
    name: '发文字号',
    template: '{prefix}〔{yyyy}〕{seq}号',
    scope: 'org+year',
    description: '发文机关代字＋年份＋发文顺序号，顺序号不编虚位、不加“第”（党政机关公文处理工作条例第九条，GB/T 9704-2012 7.2.4）',
    tag: 'law/standard',
  },
  {
    id: 'index-number',
    name: '政府信息索引号',
    template: '{orgCode}/{yyyy}-{seq:5}',
    scope: 'org+year',
    description: '政府信息公开索引号；无全国统一格式，默认为组织机构代码/年份-顺序号',
    tag: 'practice',
  },
  {
    id: 'resource-code',
    name: '信息资源代码',
    template: '{classCode}/{seq}',
    scope: 'global',
    description: '政务信息资源代码：分类码/顺序码（政务信息资源目录编制指南）',
    tag: 'law/standard',
  },
  {
    id: 'ticket',
    name: '12345工单编号',
    template: '{yyyyMMdd}{seq:6}',
    scope: 'global',
    description: '12345 热线工单编号，按日顺序编号',
    tag: 'practice',
  },
  {
    id: 'supervision',
    name: '监察编号',
    template: '{yyyyMMdd}{seq:6}',
    scope: 'global',
    description: '电子监察预警、督办编号，按日顺序编号',
    tag: 'practice',
  },
];

export interface NumberGeneratorInput {
  id: string;
  name: string;
  template: string;
  scope: SequenceScope;
  description: string;
}

const ID = /^[a-z][a-z0-9-]{0,39}$/;

/** Checks a generator before it is saved; Chinese reasons per field. */
export function validateNumberGeneratorInput(raw: {
  id?: unknown;
  name?: unknown;
  template?: unknown;
  scope?: unknown;
  description?: unknown;
}): { value: NumberGeneratorInput; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const id = str(raw.id);
  const name = str(raw.name);
  const template = typeof raw.template === 'string' ? raw.template : '';
  const description = str(raw.description);
  const scope = SEQUENCE_SCOPES.find((s) => s === raw.scope);

  if (!ID.test(id)) errors.push({ field: 'id', message: '编号规则标识应以小写字母开头，只含小写字母、数字和连字符，不超过 40 个字符' });
  if (!name) errors.push({ field: 'name', message: '请填写编号规则名称' });
  else if ([...name].length > 40) errors.push({ field: 'name', message: '名称不能超过 40 个字' });
  if ([...description].length > 500) errors.push({ field: 'description', message: '说明不能超过 500 个字' });
  if (!scope) errors.push({ field: 'scope', message: `计数范围应为以下之一：${SEQUENCE_SCOPES.join('、')}` });

  if ([...template].length > 200) errors.push({ field: 'template', message: '编号模板不能超过 200 个字符' });
  else {
    const parsed = parseNumberTemplate(template);
    if (!parsed.ok) errors.push({ field: 'template', message: parsed.message });
    else if (scope) for (const problem of checkTemplateScope(parsed.template, scope)) errors.push({ field: 'template', message: problem });
  }
  return { value: { id, name, template, scope: scope ?? 'global', description }, errors };
}

/**
 * What a generator's counters are keyed on besides the owner: the fields the template prints
 * and the reset period (template dates and scope). Two (template, scope) pairs with the same
 * shape keep counting on the same counters, so changing one into the other never restarts a
 * sequence — the condition for editing a generator that has already issued numbers.
 */
export function sequenceShape(template: NumberTemplate, scope: SequenceScope): string {
  // Fields in order of first appearance: sequenceKey lists them that way.
  const fields = new Set<string>();
  let period = scope === 'org+year' ? 1 : scope === 'region+day' ? 3 : 0;
  for (const part of template.parts) {
    if (part.kind === 'field') fields.add(part.name);
    if (part.kind === 'date') period = Math.max(period, part.pattern === 'yyyy' ? 1 : part.pattern === 'yyyyMM' ? 2 : 3);
  }
  return `${scope}|${[...fields].join(',')}|${period}`;
}
