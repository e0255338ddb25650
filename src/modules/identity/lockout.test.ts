import { describe, expect, it } from 'vitest';
import { lockedMessage, retryAfterSeconds, shanghaiClock } from './lockout.ts';

describe('lockout messages', () => {
  it('give the unlock time in Asia/Shanghai, rounded up to the minute', () => {
    expect(shanghaiClock(new Date('2026-03-07T06:35:00Z'))).toBe('14:35');
    expect(lockedMessage(new Date('2026-03-07T06:34:01Z'))).toBe('账号已锁定，请于 14:35 后再试');
    expect(lockedMessage(new Date('2026-03-07T16:05:00Z'), true)).toBe('连续 5 次验证失败，账号已锁定，请于 00:05 后再试');
  });

  it('Retry-After counts whole seconds, at least one', () => {
    const now = new Date('2026-03-07T06:20:00Z');
    expect(retryAfterSeconds(new Date('2026-03-07T06:35:00Z'), now)).toBe(900);
    expect(retryAfterSeconds(new Date('2026-03-07T06:20:00.200Z'), now)).toBe(1);
    expect(retryAfterSeconds(new Date('2026-03-07T06:19:00Z'), now)).toBe(1);
  });
});
