import type { FastifyReply } from 'fastify';
import type { Config } from '../../platform/config.ts';
import { SESSION_COOKIE } from '../../platform/http/csrf.ts';
import type { UnitOfWork } from '../../platform/unit-of-work.ts';
import type { IdentityDeps } from './deps.ts';
import { newCsrfToken, newSessionToken, sessionIdOf } from './session-token.ts';

/** A session just created: the cookie token (never stored) and the CSRF token of its forms. */
export interface IssuedSession {
  token: string;
  id: string;
  csrfToken: string;
  pendingSecondFactor: boolean;
}

/**
 * Opens a session for an account. Always a fresh random id and CSRF token, and the session
 * the request came with (if any) is deleted: a sign-in never keeps a pre-existing id
 * (no session fixation) and a password-only session is replaced once the second factor passed.
 */
export async function openSession(
  deps: Pick<IdentityDeps, 'sessions' | 'now'>,
  uow: UnitOfWork,
  v: { accountId: string; positionId: string | null; pendingSecondFactor: boolean; totpVerified: boolean; replacing: string | null },
): Promise<IssuedSession> {
  if (v.replacing) await deps.sessions.delete(uow.tx, v.replacing);
  const token = newSessionToken();
  const id = sessionIdOf(token);
  const csrfToken = newCsrfToken();
  await deps.sessions.insert(uow.tx, {
    id,
    accountId: v.accountId,
    positionId: v.positionId,
    csrfToken,
    pendingSecondFactor: v.pendingSecondFactor,
    totpVerified: v.totpVerified,
    ip: uow.ctx.clientIp,
    userAgent: uow.ctx.userAgent ?? null,
    now: deps.now(),
  });
  return { token, id, csrfToken, pendingSecondFactor: v.pendingSecondFactor };
}

function cookieOptions(config: Pick<Config, 'env'>) {
  // HttpOnly: no script reads it; SameSite=Lax: not sent on cross-site POSTs; Secure in production.
  // No Max-Age: the browser forgets it when closed; the server enforces idle and absolute limits.
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.env === 'production' };
}

export function setSessionCookie(reply: FastifyReply, config: Pick<Config, 'env'>, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(config));
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'env'>): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
}
