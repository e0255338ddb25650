import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDeadline } from './forms.ts';

describe('formatDateTime (Asia/Shanghai wall clock)', () => {
  it('agrees with the Intl formatter for Asia/Shanghai across day, month, year and leap-day boundaries', () => {
    const intl = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const instants = ['2026-11-28T16:05:00Z', '2026-11-28T15:59:59Z', '2026-12-31T16:00:00Z', '2028-02-28T16:30:00Z', '2012-07-01T00:00:00Z', '2026-03-01T04:59:00Z'];
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * 3600_000 + 13 * 60_000) instants.push(new Date(t).toISOString());
    for (const iso of instants) {
      const d = new Date(iso);
      expect(formatDateTime(d), iso).toBe(intl.format(d).replace(/\//g, '-'));
    }
  });

  it('shows midnight as 00, dates as YYYY-MM-DD, and nothing for no date', () => {
    expect(formatDateTime(new Date('2026-11-28T16:05:00Z'))).toBe('2026-11-29 00:05');
    expect(formatDate(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
    expect(formatDateTime(null)).toBe('');
  });

  it('shows a deadline at midnight as the end of the day before (24:00), any other as it is', () => {
    expect(formatDeadline(new Date('2026-11-30T16:00:00Z'))).toBe('2026-11-30 24:00');
    expect(formatDeadline(new Date('2026-12-31T16:00:00Z'))).toBe('2026-12-31 24:00');
    expect(formatDeadline(new Date('2026-11-30T14:57:00Z'))).toBe('2026-11-30 22:57');
    expect(formatDeadline(new Date('2026-11-30T16:00:30Z'))).toBe('2026-12-01 00:00');
    expect(formatDeadline(undefined)).toBe('');
  });
});
