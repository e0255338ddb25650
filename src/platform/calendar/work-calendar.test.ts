import { describe, expect, it } from 'vitest';

import { type CivilDay, formatCivilDate, parseCivilDate } from './civil-date.ts';
import { nationalCalendar, nationalCalendarEntries } from './national-calendar.ts';
import { type CalendarEntry, WorkCalendar } from './work-calendar.ts';

const day = parseCivilDate;
const iso = formatCivilDate;

/** Deterministic PRNG (mulberry32) so a failing case can be reproduced. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomInt(next: () => number, min: number, max: number): number {
  return min + Math.floor(next() * (max - min + 1));
}

/** The loops of DOMAIN.md §1.1.3, written out literally, as the reference for the table lookups. */
function referenceAddWorkingDays(calendar: WorkCalendar, start: CivilDay, n: number): CivilDay {
  let d = start;
  while (n > 0) {
    d = (d + 1) as CivilDay;
    if (calendar.isWorkingDay(d)) n--;
  }
  return d;
}

function referenceWorkingDaysBetween(calendar: WorkCalendar, a: CivilDay, b: CivilDay): number {
  let count = 0;
  for (let d = a + 1; d <= b; d++) if (calendar.isWorkingDay(d as CivilDay)) count++;
  return count;
}

const national = nationalCalendar();

describe('isWorkingDay (DOMAIN.md §1.1.2)', () => {
  it('HOLIDAY → false, MAKEUP_WORKDAY → true, else Monday–Friday', () => {
    expect(national.isWorkingDay(day('2025-10-01'))).toBe(false); // HOLIDAY on a Wednesday
    expect(national.isWorkingDay(day('2025-10-11'))).toBe(true); // MAKEUP_WORKDAY on a Saturday
    expect(national.isWorkingDay(day('2025-03-05'))).toBe(true); // ordinary Wednesday
    expect(national.isWorkingDay(day('2025-03-08'))).toBe(false); // ordinary Saturday
  });

  it('uses the weekday rule outside the precomputed years', () => {
    expect(national.isWorkingDay(day('1999-12-31'))).toBe(true); // Friday
    expect(national.isWorkingDay(day('1999-12-25'))).toBe(false); // Saturday
    expect(national.isWorkingDay(day('2101-01-03'))).toBe(true); // Monday
  });
});

describe('properties (seeded random)', () => {
  const next = random(20_250_929);
  const cases = Array.from({ length: 5000 }, () => ({
    start: randomInt(next, day('2003-06-01'), day('2028-06-30')) as CivilDay,
    n: randomInt(next, 0, 300),
  }));

  it('addWorkingDays equals the DOMAIN.md loop', () => {
    for (const { start, n } of cases) {
      const fast = national.addWorkingDays(start, n).date;
      if (fast !== referenceAddWorkingDays(national, start, n)) expect.fail(`${iso(start)} + ${n} WD`);
    }
  });

  it('workingDaysBetween(a, addWorkingDays(a, n)) === n', () => {
    for (const { start, n } of cases) {
      const due = national.addWorkingDays(start, n).date;
      if (national.workingDaysBetween(start, due).days !== n) expect.fail(`${iso(start)} + ${n} WD`);
    }
  });

  it('addWorkingDays(a, n ≥ 1) is a working day after a, and the (n−1)-th working day comes before it', () => {
    for (const { start, n } of cases) {
      if (n === 0) continue;
      const due = national.addWorkingDays(start, n).date;
      if (!national.isWorkingDay(due) || due <= start) expect.fail(`${iso(start)} + ${n} WD = ${iso(due)}`);
      if (national.addWorkingDays(start, n - 1).date >= due) expect.fail(`not increasing at ${iso(start)} + ${n}`);
    }
  });

  it('workingDaysBetween equals the DOMAIN.md count, and is 0 when b ≤ a', () => {
    for (const { start, n } of cases) {
      const end = (start + n) as CivilDay;
      if (national.workingDaysBetween(start, end).days !== referenceWorkingDaysBetween(national, start, end)) {
        expect.fail(`(${iso(start)}, ${iso(end)}]`);
      }
      if (national.workingDaysBetween(end, start).days !== 0 && n > 0) expect.fail('b < a must give 0');
    }
  });

  it('rollToWorkingDay finds the first working day on or after the date', () => {
    for (const { start } of cases) {
      const rolled = national.rollToWorkingDay(start).date;
      if (!national.isWorkingDay(rolled)) expect.fail(`${iso(start)} rolled to non-working ${iso(rolled)}`);
      for (let d: number = start; d < rolled; d++) if (national.isWorkingDay(d as CivilDay)) expect.fail(`skipped ${iso(d as CivilDay)}`);
    }
  });

  it('gives the same answers across the edges of the precomputed span (1999/2000, 2100/2101)', () => {
    for (const start of ['1999-12-20', '1999-12-31', '2000-01-01', '2100-12-20', '2100-12-31', '2101-01-01']) {
      for (const n of [0, 1, 5, 20, 60]) {
        expect(national.addWorkingDays(day(start), n).date).toBe(referenceAddWorkingDays(national, day(start), n));
        const end = (day(start) + n) as CivilDay;
        expect(national.workingDaysBetween(day(start), end).days).toBe(referenceWorkingDaysBetween(national, day(start), end));
      }
    }
  });

  it('rejects negative or fractional working-day counts', () => {
    expect(() => national.addWorkingDays(day('2025-01-01'), -1)).toThrow(RangeError);
    expect(() => national.addWorkingDays(day('2025-01-01'), 1.5)).toThrow(RangeError);
    expect(national.addWorkingDays(day('2025-10-01'), 0)).toEqual({ date: day('2025-10-01'), provisional: false });
  });
});

describe('months and years (《民法典》 Arts. 202–204)', () => {
  it.each([
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2025-02-28', 1, '2026-02-28'],
  ] as const)('addYears(%s, %i) = %s', (start, years, expected) => {
    expect(iso(national.addYears(day(start), years, false).date)).toBe(expected);
  });

  it.each([
    ['2025-08-31', 6, '2026-02-28'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-03-31', 1, '2025-04-30'],
  ] as const)('addMonths(%s, %i) = %s', (start, months, expected) => {
    expect(iso(national.addMonths(day(start), months, false).date)).toBe(expected);
  });

  it('Art. 203 roll-over applies only when asked', () => {
    // 2025-04-01 + 6 months = Wed 2025-10-01, inside the National Day holiday → Thu 2025-10-09.
    expect(iso(national.addMonths(day('2025-04-01'), 6, false).date)).toBe('2025-10-01');
    expect(iso(national.addMonths(day('2025-04-01'), 6, true).date)).toBe('2025-10-09');
    // 2024-10-01 + 1 year, same holiday.
    expect(iso(national.addYears(day('2024-10-01'), 1, true).date)).toBe('2025-10-09');
  });
});

describe('provisional results (DOMAIN.md §1.1.2)', () => {
  it('a result in a year without a loaded arrangement is provisional and follows the weekday rule', () => {
    expect(national.isYearLoaded(2027)).toBe(false);
    const result = national.addWorkingDays(day('2027-03-01'), 5); // Mon → Mon
    expect(result).toEqual({ date: day('2027-03-08'), provisional: true });
    // 2027-10-01 is a Friday: under the weekday rule it is a working day until 2027 is loaded.
    expect(national.isWorkingDay(day('2027-10-01'))).toBe(true);
  });

  it('crossing from a loaded year into an unloaded one is provisional; staying inside is not', () => {
    expect(national.addWorkingDays(day('2026-12-20'), 20).provisional).toBe(true);
    expect(national.addWorkingDays(day('2026-11-02'), 20).provisional).toBe(false);
    expect(national.workingDaysBetween(day('2026-12-01'), day('2027-01-10')).provisional).toBe(true);
    expect(national.workingDaysBetween(day('2026-01-01'), day('2026-12-31')).provisional).toBe(false);
    // Only the days walked count: a due date on the last working day of 2026 is final.
    expect(national.addWorkingDays(day('2026-12-30'), 1)).toEqual({ date: day('2026-12-31'), provisional: false });
  });

  it('calendar-day arithmetic is provisional only when the roll-over consults an unloaded year', () => {
    expect(national.addCalendarDays(day('2026-12-01'), 60, false).provisional).toBe(false);
    expect(national.addCalendarDays(day('2026-12-01'), 60, true).provisional).toBe(true);
    expect(national.addMonths(day('2026-06-30'), 12, true).provisional).toBe(true);
  });

  it('outside the precomputed span, years are unloaded', () => {
    expect(national.addWorkingDays(day('2101-01-03'), 3).provisional).toBe(true);
  });

  it('a deadline recomputed after its year is loaded can change', () => {
    // A calendar that knows 2025 only: Fri 2026-02-13 + 1 WD by the weekday rule is Mon 2026-02-16.
    const only2025 = new WorkCalendar({
      entries: nationalCalendarEntries().filter((e) => e.date.startsWith('2025-')),
      loadedYears: [2025],
    });
    expect(only2025.addWorkingDays(day('2026-02-13'), 1)).toEqual({ date: day('2026-02-16'), provisional: true });
    // With the 2026 notice loaded, Sat 2026-02-14 is a make-up working day.
    expect(national.addWorkingDays(day('2026-02-13'), 1)).toEqual({ date: day('2026-02-14'), provisional: false });
  });
});

describe('arrangementStatus and loadedYears', () => {
  it('reports the current and next year', () => {
    expect(national.arrangementStatus(day('2025-06-01'))).toEqual({
      currentYear: { year: 2025, loaded: true },
      nextYear: { year: 2026, loaded: true },
      ok: true,
    });
    expect(national.arrangementStatus(day('2026-11-30'))).toEqual({
      currentYear: { year: 2026, loaded: true },
      nextYear: { year: 2027, loaded: false },
      ok: false,
    });
    expect(national.arrangementStatus(day('2027-01-04')).currentYear).toEqual({ year: 2027, loaded: false });
  });

  it('lists loaded years in order', () => {
    const calendar = new WorkCalendar({ entries: [], loadedYears: [2026, 2024, 2025, 2025] });
    expect(calendar.loadedYears()).toEqual([2024, 2025, 2026]);
  });
});

describe('jurisdiction overrides', () => {
  // An autonomous region's own holiday (an example, not real data) and two changes to national days.
  const overrides: CalendarEntry[] = [
    { date: '2025-03-12', kind: 'HOLIDAY', name: '地方节日', source: '某自治区人民政府通知' },
    { date: '2025-10-11', kind: 'HOLIDAY', name: '地方调整', source: '某自治区人民政府通知' },
    { date: '2025-10-08', kind: 'MAKEUP_WORKDAY', name: '地方调整', source: '某自治区人民政府通知' },
  ];
  const regional = national.withOverrides(overrides);

  it('inherits the national calendar and applies its own entries', () => {
    expect(regional.isWorkingDay(day('2025-03-12'))).toBe(false);
    expect(regional.isWorkingDay(day('2025-10-11'))).toBe(false);
    expect(regional.isWorkingDay(day('2025-10-08'))).toBe(true);
    expect(regional.isWorkingDay(day('2025-10-07'))).toBe(false); // inherited
    expect(regional.isWorkingDay(day('2025-09-28'))).toBe(true); // inherited make-up day
    expect(regional.entryOn(day('2025-03-12'))?.source).toBe('某自治区人民政府通知');
    expect(regional.loadedYears()).toEqual(national.loadedYears());
  });

  it('leaves the national calendar unchanged', () => {
    expect(national.isWorkingDay(day('2025-03-12'))).toBe(true);
    expect(national.isWorkingDay(day('2025-10-11'))).toBe(true);
    expect(national.isWorkingDay(day('2025-10-08'))).toBe(false);
  });

  it('computes deadlines with the overrides', () => {
    // Mon 2025-09-29 + 5 WD: Sep 30, Oct 8 (regional working day), 9, 10, 13 (Oct 11 is off regionally).
    expect(iso(regional.addWorkingDays(day('2025-09-29'), 5).date)).toBe('2025-10-13');
    expect(iso(regional.addWorkingDays(day('2025-09-29'), 4).date)).toBe('2025-10-10');
    expect(iso(national.addWorkingDays(day('2025-09-29'), 4).date)).toBe('2025-10-11');
    expect(regional.entries()).toHaveLength(national.entries().length + 1);
  });

  it('rejects invalid entries', () => {
    expect(() => national.withOverrides([{ date: '2025-02-30', kind: 'HOLIDAY' }])).toThrow(RangeError);
    expect(() =>
      national.withOverrides([
        { date: '2025-03-12', kind: 'HOLIDAY' },
        { date: '2025-03-12', kind: 'MAKEUP_WORKDAY' },
      ]),
    ).toThrow(RangeError);
    expect(
      () => new WorkCalendar({ entries: [{ date: '2025-03-12', kind: 'DAY_OFF' as 'HOLIDAY' }], loadedYears: [] }),
    ).toThrow(RangeError);
  });
});
