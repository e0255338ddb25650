import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWellFormedToken, needsTouch, newCsrfToken, newSessionToken, sessionExpired, sessionIdOf, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './session-token.ts';

describe('session tokens', () => {
  it('are 32 random bytes in base64url; the stored id is their SHA-256', () => {
    const token = newSessionToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(sessionIdOf(token)).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    expect(sessionIdOf(token)).not.toContain(token);
    expect(newSessionToken()).not.toBe(token);
    expect(newCsrfToken()).not.toBe(newCsrfToken());
  });

  it('only well-formed tokens are looked up', () => {
    expect(isWellFormedToken(newSessionToken())).toBe(true);
    expect(isWellFormedToken(undefined)).toBe(false);
    expect(isWellFormedToken('short')).toBe(false);
    expect(isWellFormedToken(`${newSessionToken().slice(0, 42)}'`)).toBe(false);
  });

  it('expire after 30 idle minutes, 12 hours in all, 10 minutes while awaiting the second factor', () => {
    const created = new Date('2026-03-07T01:00:00Z');
    const s = (lastSeenMin: number, pending = false) => ({ createdAt: created, lastSeenAt: new Date(created.getTime() + lastSeenMin * 60_000), pendingSecondFactor: pending });
    const at = (min: number) => new Date(created.getTime() + min * 60_000);
    expect(sessionExpired(s(0), at(29))).toBe(false);
    expect(sessionExpired(s(0), at(31))).toBe(true);
    expect(sessionExpired(s(700), at(715))).toBe(false);
    expect(sessionExpired(s(710), at(SESSION_ABSOLUTE_MS / 60_000 + 1))).toBe(true);
    expect(sessionExpired(s(0, true), at(9))).toBe(false);
    expect(sessionExpired(s(9, true), at(11))).toBe(true);
    expect(SESSION_IDLE_MS).toBe(30 * 60_000);
  });

  it('last_seen_at is written at most once a minute', () => {
    const t = new Date('2026-03-07T01:00:00Z');
    expect(needsTouch(t, new Date(t.getTime() + 59_000))).toBe(false);
    expect(needsTouch(t, new Date(t.getTime() + 60_000))).toBe(true);
  });
});
