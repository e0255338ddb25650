import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCodes, type FieldError } from '../errors.ts';
import { messagePage } from '../views/layout.ts';
import { html } from '../views/html.ts';
import { fieldErrorsFromAjv } from './validation-messages.ts';

/** Does the client want a page rather than problem+json? */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

/** Maps anything thrown to an AppError; unknown errors become a plain 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as FastifyError & { validation?: unknown[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const fields: FieldError[] = fieldErrorsFromAjv(e.validation, e.validationContext);
    return new AppError('ZW_ERR_VALIDATION', fields.map((f) => `${f.field}：${f.message}`).join('；'), fields);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('ZW_ERR_BAD_JSON', '请求体不是有效的 JSON，请检查括号、引号和逗号');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('ZW_ERR_PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('ZW_ERR_UNSUPPORTED_MEDIA');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('ZW_ERR_VALIDATION', '请求长度与内容不符');
    default:
      break;
  }
  if (e.statusCode === 429) return new AppError('ZW_ERR_RATE_LIMITED');
  if (e.statusCode === 413) return new AppError('ZW_ERR_PAYLOAD_TOO_LARGE');
  if (e.statusCode === 415) return new AppError('ZW_ERR_UNSUPPORTED_MEDIA');
  if (e.statusCode === 404) return new AppError('ZW_ERR_NOT_FOUND');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError('ZW_ERR_VALIDATION', e.message);
  }
  return new AppError('ZW_ERR_INTERNAL', '系统内部错误，请稍后重试。如果问题持续出现，请把下面的请求编号告诉我们。');
}

const TITLES: Partial<Record<number, string>> = {
  400: '提交的内容有误',
  401: '请先登录',
  403: '无权访问',
  404: '页面不存在',
  409: '操作冲突',
  413: '内容过大',
  415: '不支持的内容类型',
  423: '账号已锁定',
  429: '操作过于频繁',
  500: '系统出错了',
  503: '服务暂时不可用',
};

/** One error handler: an accessible Chinese page or RFC 9457 problem+json. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    request.log.error({ err: error, requestId: request.id }, 'unhandled error');
  } else {
    request.log.info({ code: appError.code, status: appError.status }, 'request refused');
  }
  if (appError.code === 'ZW_ERR_RATE_LIMITED' || appError.code === 'ZW_ERR_AUTH_LOCKED') {
    const retryAfter = appError.extra.retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(Math.ceil(retryAfter)));
  }
  reply.status(appError.status);
  if (wantsHtml(request) && request.page) {
    if (appError.status === 401 && request.method === 'GET') {
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
    }
    const fieldList =
      appError.fields.length > 0
        ? html`<ul>${appError.fields.map((f) => html`<li><strong>${f.field}</strong>：${f.message}</li>`)}</ul>`
        : undefined;
    return reply
      .type('text/html; charset=utf-8')
      .send(
        messagePage(request.page, {
          title: TITLES[appError.status] ?? errorCodes[appError.code].title,
          status: appError.status,
          message: appError.userMessage,
          ...(fieldList ? { detail: fieldList } : {}),
        }).value,
      );
  }
  return reply.type('application/problem+json; charset=utf-8').send(problemJson(appError, request.id, request.url));
}

export function problemJson(e: AppError, requestId: string, instance: string): Record<string, unknown> {
  return {
    type: `https://zhengwu.dev/errors/${e.code}`,
    title: errorCodes[e.code].title,
    status: e.status,
    code: e.code,
    detail: e.userMessage,
    instance,
    requestId,
    ...(e.fields.length > 0 ? { errors: e.fields } : {}),
    ...e.extra,
  };
}
