import { LOCKOUT_MS, LOCKOUT_THRESHOLD } from './account.repository.ts';

const CLOCK = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Wall-clock time in Asia/Shanghai, e.g. '14:35' (DESIGN.md: times are shown in Asia/Shanghai). */
export function shanghaiClock(d: Date): string {
  return CLOCK.format(d);
}

/** '账号已锁定，请于 14:35 后再试' — rounded up to the minute so the time shown is never too early. */
export function lockedMessage(lockedUntil: Date, justLocked = false): string {
  const shown = new Date(Math.ceil(lockedUntil.getTime() / 60_000) * 60_000);
  const lead = justLocked ? `连续 ${LOCKOUT_THRESHOLD} 次验证失败，` : '';
  return `${lead}账号已锁定，请于 ${shanghaiClock(shown)} 后再试`;
}

export function retryAfterSeconds(lockedUntil: Date, now: Date): number {
  return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

export const BAD_CREDENTIALS_MESSAGE = `账号或密码不正确。连续输错 ${LOCKOUT_THRESHOLD} 次，账号将被锁定 ${LOCKOUT_MS / 60_000} 分钟`;
