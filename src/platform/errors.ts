/**
 * The one error registry (STYLE.md §8). Every expected refusal the platform or a module
 * answers has a stable code here, an HTTP status, and a Chinese message for people.
 * Codes are documented in docs/errors.md; never reuse or renumber one.
 */
export const errorCodes = {
  ZW_ERR_VALIDATION: { status: 400, title: '提交的内容有误' },
  ZW_ERR_BAD_JSON: { status: 400, title: '请求体不是有效的 JSON' },
  ZW_ERR_UNAUTHENTICATED: { status: 401, title: '请先登录' },
  ZW_ERR_CSRF: { status: 403, title: '页面已过期或表单来源无法验证，请刷新页面后重试' },
  ZW_ERR_FORBIDDEN: { status: 403, title: '您没有执行此操作的权限' },
  ZW_ERR_NOT_FOUND: { status: 404, title: '您访问的页面或记录不存在' },
  ZW_ERR_CONFLICT: { status: 409, title: '记录已被他人修改，请刷新后重试' },
  ZW_ERR_DUPLICATE: { status: 409, title: '记录已存在' },
  ZW_ERR_IDEMPOTENCY_MISMATCH: { status: 422, title: '同一幂等键对应的请求内容不一致' },
  ZW_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: '上传的内容超过大小限制' },
  ZW_ERR_UNSUPPORTED_MEDIA: { status: 415, title: '不支持的文件或内容类型' },
  ZW_ERR_RATE_LIMITED: { status: 429, title: '操作过于频繁，请稍后再试' },
  ZW_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, title: '账号或密码不正确' },
  ZW_ERR_AUTH_LOCKED: { status: 423, title: '账号因多次登录失败已被临时锁定' },
  ZW_ERR_AUTH_TOTP_REQUIRED: { status: 401, title: '请输入动态验证码' },
  ZW_ERR_AUTH_TOTP_INVALID: { status: 401, title: '动态验证码不正确' },
  ZW_ERR_AUTH_WEAK_PASSWORD: { status: 400, title: '密码不符合安全要求' },
  ZW_ERR_CONSULTATION_CLOSED: { status: 409, title: '征集尚未开始或已经截止' },
  ZW_ERR_CONSULTATION_REAL_NAME: { status: 403, title: '须完成实名认证后参与' },
  ZW_ERR_LIFE_EVENT_UNAVAILABLE: { status: 409, title: '该“一件事”暂不能在线申请' },
  ZW_ERR_INTERNAL: { status: 500, title: '系统内部错误' },
  ZW_ERR_UNAVAILABLE: { status: 503, title: '服务暂时不可用' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** One refused field: its name (JSON path or form field) and why, in Chinese. */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** The sentence shown to people; defaults to the registry title. */
    readonly userMessage: string = errorCodes[code].title,
    readonly fields: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(`${code}: ${userMessage}`);
    this.status = errorCodes[code].status;
  }
}

export function validationError(fields: FieldError[], message?: string): AppError {
  return new AppError('ZW_ERR_VALIDATION', message ?? fields.map((f) => f.message).join('；'), fields);
}

/**
 * A use case returns named outcomes (STYLE.md §4). Expected refusals are results, not throws;
 * `unwrap` turns a refusal into the matching AppError at the route boundary.
 */
export type Result<T, R extends string = string> =
  | { ok: true; value: T }
  | { ok: false; reason: R; message: string; fields?: FieldError[] };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const refuse = <R extends string>(reason: R, message: string, fields?: FieldError[]) =>
  ({ ok: false, reason, message, ...(fields ? { fields } : {}) }) as const;

const REFUSAL_CODES: Record<string, ErrorCode> = {
  not_found: 'ZW_ERR_NOT_FOUND',
  forbidden: 'ZW_ERR_FORBIDDEN',
  invalid: 'ZW_ERR_VALIDATION',
  conflict: 'ZW_ERR_CONFLICT',
  duplicate: 'ZW_ERR_DUPLICATE',
  locked: 'ZW_ERR_AUTH_LOCKED',
  rate_limited: 'ZW_ERR_RATE_LIMITED',
};

/** Turns a use case's refusal into the AppError a route answers with. */
export function refusalError(r: { reason: string; message: string; fields?: FieldError[] }): AppError {
  return new AppError(REFUSAL_CODES[r.reason] ?? 'ZW_ERR_VALIDATION', r.message, r.fields ?? []);
}

/** The value of a successful result, or the matching AppError thrown. */
export function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw refusalError(r);
}
