import { describe, expect, it } from 'vitest';

import {
  type CivilDay,
  civilDay,
  civilDateParts,
  civilDayAt,
  daysInMonth,
  endOfCivilDay,
  formatCivilDate,
  isoWeekday,
  parseCivilDate,
  shiftMonths,
  startOfCivilDay,
} from './civil-date.ts';

const day = parseCivilDate;

describe('civil dates as day numbers', () => {
  it('agrees with Date.UTC on every day from 1900 to 2200', () => {
    const first = Date.UTC(1900, 0, 1) / 86_400_000;
    const last = Date.UTC(2200, 11, 31) / 86_400_000;
    for (let n = first; n <= last; n++) {
      const js = new Date(n * 86_400_000);
      if (civilDay(js.getUTCFullYear(), js.getUTCMonth() + 1, js.getUTCDate()) !== n) expect.fail(`civilDay of ${js.toISOString()}`);
      const parts = civilDateParts(n as CivilDay);
      if (parts.year !== js.getUTCFullYear() || parts.month !== js.getUTCMonth() + 1 || parts.day !== js.getUTCDate()) {
        expect.fail(`civilDateParts(${n}) = ${JSON.stringify(parts)}, Date says ${js.toISOString()}`);
      }
      if (isoWeekday(n as CivilDay) !== (js.getUTCDay() || 7)) expect.fail(`weekday of ${js.toISOString()}`);
      if (formatCivilDate(n as CivilDay) !== js.toISOString().slice(0, 10)) expect.fail(`format of ${js.toISOString()}`);
    }
  });

  it('parses and formats YYYY-MM-DD', () => {
    expect(day('1970-01-01')).toBe(0);
    expect(formatCivilDate(day('2025-09-29'))).toBe('2025-09-29');
    expect(isoWeekday(day('2025-09-29'))).toBe(1); // Monday
    expect(isoWeekday(day('2025-09-28'))).toBe(7); // Sunday
  });

  it.each(['2025-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-9-29', '20250929', '', '2025-09-29T00:00'])(
    'rejects %j',
    (text) => {
      expect(() => day(text)).toThrow(RangeError);
    },
  );

  it('knows month lengths, including the Gregorian leap-year rule', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2025, 4)).toBe(30);
  });
});

describe('Asia/Shanghai instants', () => {
  it('maps instants to the civil date at UTC+8', () => {
    expect(formatCivilDate(civilDayAt(new Date('2024-12-31T15:59:59.999Z')))).toBe('2024-12-31');
    expect(formatCivilDate(civilDayAt(new Date('2024-12-31T16:00:00.000Z')))).toBe('2025-01-01');
    expect(formatCivilDate(civilDayAt(Date.parse('2025-10-01T00:00:00+08:00')))).toBe('2025-10-01');
  });

  it('gives 00:00 and 24:00 of a civil date', () => {
    expect(startOfCivilDay(day('2025-10-01'))).toBe(Date.parse('2025-10-01T00:00:00+08:00'));
    expect(endOfCivilDay(day('2025-10-01'))).toBe(Date.parse('2025-10-02T00:00:00+08:00'));
  });

  it('rejects an invalid Date', () => {
    expect(() => civilDayAt(new Date('nonsense'))).toThrow(RangeError);
  });
});

describe('shiftMonths (《民法典》 Arts. 202, 204: corresponding day, else month end)', () => {
  it.each([
    ['2025-08-31', 6, '2026-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-03-31', -1, '2025-02-28'],
    ['2025-05-15', 6, '2025-11-15'],
    ['2025-12-31', 2, '2026-02-28'],
    ['2025-10-31', -12, '2024-10-31'],
  ] as const)('%s %+d months = %s', (start, months, expected) => {
    expect(formatCivilDate(shiftMonths(day(start), months))).toBe(expected);
  });

  it('matches the definition for every day of 2023–2027 and shifts of −30…30 months', () => {
    for (let d = day('2023-01-01'); d <= day('2027-12-31'); d = (d + 1) as CivilDay) {
      const { year, month, day: dom } = civilDateParts(d);
      for (let n = -30; n <= 30; n++) {
        const index = year * 12 + month - 1 + n;
        const y = Math.floor(index / 12);
        const m = (index % 12) + 1;
        const expected = civilDay(y, m, Math.min(dom, daysInMonth(y, m)));
        if (shiftMonths(d, n) !== expected) expect.fail(`${formatCivilDate(d)} ${n} months`);
      }
    }
  });
});
