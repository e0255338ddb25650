import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

export const SESSION_COOKIE = 'zw_sid';
export const ANON_CSRF_COOKIE = 'zw_csrf';

/**
 * CSRF protection on every form (synchroniser token). Signed-in requests use the token
 * stored with the server-side session; anonymous forms (login, register) use a random
 * token in a SameSite cookie that the form must echo (double submit).
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  if (request.session) return request.session.csrfToken;
  let token = request.cookies[ANON_CSRF_COOKIE];
  if (!token || !/^[A-Za-z0-9_-]{32,64}$/.test(token)) {
    token = crypto.randomBytes(24).toString('base64url');
    request.cookies[ANON_CSRF_COOKIE] = token;
    reply.setCookie(ANON_CSRF_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  }
  return token;
}

function isForm(request: FastifyRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/**
 * Required when the request carries our session cookie or is a form post. A JSON call
 * without cookies (API client with a bearer token or key) cannot be forged cross-site.
 */
export function verifyCsrf(request: FastifyRequest): void {
  const method = request.method;
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return;
  if (request.routeOptions.config.csrf === false) return;
  const hasSessionCookie = Boolean(request.cookies[SESSION_COOKIE]);
  if (!hasSessionCookie && !isForm(request)) return;
  if (request.headers.authorization && !hasSessionCookie) return;
  const expected = request.session?.csrfToken ?? request.cookies[ANON_CSRF_COOKIE];
  const body = request.body as Record<string, unknown> | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const sent =
    (typeof request.headers['x-csrf-token'] === 'string' ? request.headers['x-csrf-token'] : undefined) ??
    (body && typeof body._csrf === 'string' ? body._csrf : undefined) ??
    (query && typeof query._csrf === 'string' ? query._csrf : undefined);
  if (!expected || !sent || !safeEqual(expected, sent)) throw new AppError('ZW_ERR_CSRF');
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Only for endpoints authenticated by other means that must accept cross-site posts (e.g. OIDC token endpoint). */
    csrf?: false;
  }
}
