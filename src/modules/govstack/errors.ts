import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorCodes, type ErrorCode, type FieldError } from '../../platform/errors.ts';

/** English sentences beside the Chinese ones: GovStack clients and test harnesses read `message`. */
const ENGLISH: Partial<Record<ErrorCode, string>> = {
  ZW_ERR_VALIDATION: 'Invalid input',
  ZW_ERR_BAD_JSON: 'The request body is not valid JSON',
  ZW_ERR_UNAUTHENTICATED: 'Sign in first (session cookie or bearer token)',
  ZW_ERR_CSRF: 'CSRF token missing or invalid',
  ZW_ERR_FORBIDDEN: 'You may not do this',
  ZW_ERR_NOT_FOUND: 'Not found',
  ZW_ERR_CONFLICT: 'The record was changed by someone else or the task is no longer open; reload and retry',
  ZW_ERR_DUPLICATE: 'Already exists',
  ZW_ERR_PAYLOAD_TOO_LARGE: 'The upload is too large',
  ZW_ERR_UNSUPPORTED_MEDIA: 'File or content type not supported',
  ZW_ERR_RATE_LIMITED: 'Too many requests',
  ZW_ERR_INTERNAL: 'Internal server error, please contact the administrator',
};

/** A GovStack-facing refusal: our code, an English message and the Chinese one, the refused fields. */
export class GovstackError extends AppError {
  constructor(code: ErrorCode, readonly english: string, chinese: string, fields: FieldError[] = []) {
    super(code, chinese, fields);
  }
}

function validationFields(error: FastifyError): FieldError[] {
  return (error.validation ?? []).map((v) => {
    const params = v.params as { missingProperty?: string };
    const where = `${error.validationContext ?? 'body'}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`;
    if (v.keyword === 'required' && params.missingProperty) return { field: `${where}.${params.missingProperty}`, message: `缺少必填项 ${params.missingProperty}（required）` };
    return { field: where, message: `格式不正确（${v.message ?? v.keyword}）` };
  });
}

/**
 * The spec's error body (systemError: traceId, code, message, localizedMessage) for every
 * refusal under /govstack, with the refused fields in `errors` as our problem+json has them.
 */
export function sendSystemError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  let code: ErrorCode = 'ZW_ERR_INTERNAL';
  let fields: FieldError[] = [];
  let localized: string = errorCodes.ZW_ERR_INTERNAL.title;
  let english: string | undefined;
  const fe = error as FastifyError;
  if (error instanceof AppError) {
    code = error.code;
    fields = error.fields;
    localized = error.userMessage;
    if (error instanceof GovstackError) english = error.english;
  } else if (fe && Array.isArray(fe.validation)) {
    code = 'ZW_ERR_VALIDATION';
    fields = validationFields(fe);
    localized = `提交的内容有误：${fields.map((f) => `${f.field} ${f.message}`).join('；')}`;
  } else if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    code = fe.statusCode === 413 ? 'ZW_ERR_PAYLOAD_TOO_LARGE' : fe.statusCode === 415 ? 'ZW_ERR_UNSUPPORTED_MEDIA' : fe.statusCode === 429 ? 'ZW_ERR_RATE_LIMITED' : fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'ZW_ERR_BAD_JSON' : 'ZW_ERR_VALIDATION';
    localized = errorCodes[code].title;
    english = fe.message;
  } else {
    request.log.error({ err: error }, 'govstack request failed');
  }
  const status = errorCodes[code].status;
  const message = english ?? `${ENGLISH[code] ?? code}${fields.length ? `: ${fields.map((f) => f.field).join(', ')}` : ''}`;
  return reply
    .status(status)
    .type('application/json; charset=utf-8')
    .send({ traceId: String(request.id), code, message, localizedMessage: localized, ...(fields.length ? { errors: fields } : {}) });
}

export const notFound = (what: string, zh: string) => new GovstackError('ZW_ERR_NOT_FOUND', `${what} not found`, zh);
