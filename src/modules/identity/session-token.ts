import crypto from 'node:crypto';

/**
 * Session cookies carry a random 32-byte token; the database keeps only its SHA-256
 * (the session id). A copy of the session table therefore holds no usable cookie, and a
 * cookie is looked up by hashing it — no comparison of secrets in application code.
 */
export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** 32 random bytes in base64url are 43 characters; anything else is not ours. */
export function isWellFormedToken(token: string | undefined): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function newCsrfToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Idle and absolute lifetimes of a signed-in session, and of a password-only session awaiting TOTP. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
export const PENDING_SECOND_FACTOR_MS = 10 * 60_000;
/** last_seen_at is written at most once a minute: one UPDATE per user-minute, not per request. */
export const SESSION_TOUCH_MS = 60_000;

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  pendingSecondFactor: boolean;
}

export function sessionExpired(s: SessionTimes, now: Date): boolean {
  const t = now.getTime();
  if (t - s.lastSeenAt.getTime() > SESSION_IDLE_MS) return true;
  if (t - s.createdAt.getTime() > SESSION_ABSOLUTE_MS) return true;
  return s.pendingSecondFactor && t - s.createdAt.getTime() > PENDING_SECOND_FACTOR_MS;
}

export function needsTouch(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_MS;
}
