import type { FastifyReply, FastifyRequest } from 'fastify';
import type { errorResponseBuilderContext } from '@fastify/rate-limit';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import type { SafeHtml } from '../../../platform/views/html.ts';
import { retryAfterSeconds } from '../lockout.ts';

export function sendPage(reply: FastifyReply, markup: SafeHtml, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(markup.value);
}

/** Pages showing secrets (full numbers, TOTP secrets, recovery codes, passwords) are never cached. */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store');
}

/** The current session id, if the request carries one. */
export function sessionIdOf(request: FastifyRequest): string | null {
  return request.session?.id ?? null;
}

// Local paths only: '/x' yes; '//evil', '/\evil', 'https://…' and anything with spaces no.
const LOCAL_PATH = /^\/(?![/\\])[^\s\\]*$/;

/** Where to go after signing in: `next` when it is a local path (no open redirect), else home. */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.length > 500 || !LOCAL_PATH.test(next)) return fallback;
  if (next === '/login' || next.startsWith('/login/') || next.startsWith('/login?') || next === '/logout') return fallback;
  return next;
}

const STATUS: Record<string, number> = {
  invalid: 400,
  credentials: 401,
  totp_required: 401,
  totp_invalid: 401,
  forbidden: 403,
  disabled: 403,
  no_position: 403,
  not_found: 404,
  duplicate: 409,
  conflict: 409,
  locked: 423,
};

export function statusFor(reason: string): number {
  return STATUS[reason] ?? 400;
}

/** A refusal of an identity command as the AppError the API answers with. */
export function identityError(r: { reason: string; message: string; fields?: FieldError[]; lockedUntil?: Date }, now = new Date()): AppError {
  switch (r.reason) {
    case 'credentials':
      return new AppError('ZW_ERR_AUTH_INVALID_CREDENTIALS', r.message);
    case 'locked':
      return new AppError('ZW_ERR_AUTH_LOCKED', r.message, [], r.lockedUntil ? { retryAfterSeconds: retryAfterSeconds(r.lockedUntil, now), lockedUntil: r.lockedUntil.toISOString() } : {});
    case 'totp_required':
      return new AppError('ZW_ERR_AUTH_TOTP_REQUIRED', r.message);
    case 'totp_invalid':
      return new AppError('ZW_ERR_AUTH_TOTP_INVALID', r.message);
    case 'disabled':
    case 'no_position':
      return new AppError('ZW_ERR_FORBIDDEN', r.message);
    default:
      return refusalError(r);
  }
}

/** Sets the Retry-After header of a lockout shown as a page (the API gets it from the error handler). */
export function lockoutHeaders(reply: FastifyReply, r: { reason: string; lockedUntil?: Date }, now: Date): void {
  if (r.reason === 'locked' && r.lockedUntil) reply.header('retry-after', String(retryAfterSeconds(r.lockedUntil, now)));
}

/** Per-IP limit on sign-in attempts (on top of the per-account lockout): 20 a minute. */
export const SIGN_IN_RATE_LIMIT = {
  max: 20,
  timeWindow: '1 minute',
  errorResponseBuilder: (_request: FastifyRequest, context: errorResponseBuilderContext) =>
    new AppError('ZW_ERR_RATE_LIMITED', `登录尝试过于频繁，请 ${Math.max(1, Math.ceil(context.ttl / 1000))} 秒后再试`, [], {
      retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
    }),
};

/** Password-reset requests: each may cost an SMS. */
export const FORM_RATE_LIMIT = {
  max: 10,
  timeWindow: '1 minute',
  errorResponseBuilder: (_request: FastifyRequest, context: errorResponseBuilderContext) =>
    new AppError('ZW_ERR_RATE_LIMITED', `操作过于频繁，请 ${Math.max(1, Math.ceil(context.ttl / 1000))} 秒后再试`, [], {
      retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
    }),
};

/** Body schema of an HTML form: every field an optional bounded string (commands validate). */
export function formBody(fields: string[], extra: Record<string, unknown> = {}) {
  const properties: Record<string, unknown> = { _csrf: { type: 'string', maxLength: 128 } };
  for (const f of fields) properties[f] = { type: 'string', maxLength: 200 };
  return { type: 'object', properties: { ...properties, ...extra } } as const;
}

/** Registrations: an argon2 hash each; generous enough for a service hall's shared address. */
export const REGISTER_RATE_LIMIT = {
  ...FORM_RATE_LIMIT,
  max: 30,
};
