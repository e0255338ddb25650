/**
 * Golden tests: every worked example of DOMAIN.md §1.1, with the expected values copied from the
 * document. They run against two calendars:
 *   - the national calendar read from chinese-days (what production uses), and
 *   - a fixture built only from the 2025 arrangement as DOMAIN.md §1.1.5 lists it
 *     (国办发明电〔2024〕12号), so a disagreement between the document and the package shows up
 *     as a failure of exactly one of the two.
 */
import { describe, expect, it } from 'vitest';

import { type CivilDay, formatCivilDate, isoWeekday, parseCivilDate } from './civil-date.ts';
import { dueDateWithPauses } from './deadline-clock.ts';
import { nationalCalendar } from './national-calendar.ts';
import { type CalendarEntry, WorkCalendar } from './work-calendar.ts';

const day = parseCivilDate;
const iso = formatCivilDate;

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = day(from); d <= day(to); d = (d + 1) as CivilDay) out.push(iso(d));
  return out;
}

// DOMAIN.md §1.1.5: "Jan 1, Jan 28–Feb 4, Apr 4–6, May 1–5, May 31–Jun 2 and Oct 1–8 off; Sun Jan 26,
// Sat Feb 8, Sun Apr 27, Sun Sep 28 and Sat Oct 11 are make-up working days".
const DOMAIN_2025_DAYS_OFF = [
  '2025-01-01',
  ...range('2025-01-28', '2025-02-04'),
  ...range('2025-04-04', '2025-04-06'),
  ...range('2025-05-01', '2025-05-05'),
  ...range('2025-05-31', '2025-06-02'),
  ...range('2025-10-01', '2025-10-08'),
];
const DOMAIN_2025_MAKEUP_DAYS = ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'];

const source = '国办发明电〔2024〕12号';
const domainFixture2025 = new WorkCalendar({
  entries: [
    ...DOMAIN_2025_DAYS_OFF.map((date): CalendarEntry => ({ date, kind: 'HOLIDAY', source })),
    ...DOMAIN_2025_MAKEUP_DAYS.map((date): CalendarEntry => ({ date, kind: 'MAKEUP_WORKDAY', source })),
  ],
  loadedYears: [2025],
});

const calendars = [
  ['national calendar (chinese-days)', nationalCalendar()],
  ['DOMAIN.md 2025 fixture', domainFixture2025],
] as const;

describe.each(calendars)('DOMAIN.md §1.1.5 worked examples — %s', (_name, calendar) => {
  it.each([
    // Start, limit (WD), due — the table of §1.1.5 without pauses
    ['2025-09-29', 5, '2025-10-13'], // Sep 30 = day 1; Oct 1–8 off; Oct 9, 10, 11 (make-up Saturday), 13
    ['2025-09-29', 20, '2025-11-03'],
    ['2025-01-24', 5, '2025-02-07'], // Sun Jan 26 (make-up) = day 1, Jan 27 = day 2, Feb 5, 6, 7
    ['2025-09-27', 1, '2025-09-28'], // the make-up Sunday is a working day
  ] as const)('%s + %i WD = %s', (start, n, due) => {
    const result = calendar.addWorkingDays(day(start), n);
    expect(iso(result.date)).toBe(due);
    expect(result.provisional).toBe(false);
  });

  it('weekdays in the table are as the document says', () => {
    expect(isoWeekday(day('2025-09-29'))).toBe(1); // Mon
    expect(isoWeekday(day('2025-10-13'))).toBe(1); // Mon
    expect(isoWeekday(day('2025-11-03'))).toBe(1); // Mon
    expect(isoWeekday(day('2025-11-07'))).toBe(5); // Fri
    expect(isoWeekday(day('2025-01-24'))).toBe(5); // Fri
    expect(isoWeekday(day('2025-02-07'))).toBe(5); // Fri
    expect(isoWeekday(day('2025-09-27'))).toBe(6); // Sat
    expect(isoWeekday(day('2025-09-28'))).toBe(7); // Sun
  });

  it('Mon 2025-09-29, 20 WD, special procedure Thu Oct 9 → Tue Oct 14: due Fri 2025-11-07, 4 paused WD', () => {
    // paused days = Oct 10, 11, 13, 14 = 4 WD
    expect(calendar.workingDaysBetween(day('2025-10-09'), day('2025-10-14'))).toEqual({ days: 4, provisional: false });
    const due = dueDateWithPauses(calendar, {
      startedOn: day('2025-09-29'),
      limit: { n: 20, unit: '1' },
      pauses: [{ from: day('2025-10-09'), to: day('2025-10-14'), reason: 'expert review', legalBasis: '行政许可法 Art. 45' }],
    });
    expect(due).toMatchObject({ state: 'running', pausedDays: 4, provisional: false });
    expect(due.state === 'running' && iso(due.dueOn)).toBe('2025-11-07');
  });

  it('the whole 2025 arrangement is the one DOMAIN.md lists', () => {
    const off = new Set(DOMAIN_2025_DAYS_OFF);
    const makeup = new Set(DOMAIN_2025_MAKEUP_DAYS);
    for (const date of range('2025-01-01', '2025-12-31')) {
      const weekday = isoWeekday(day(date)) <= 5;
      const expected = makeup.has(date) || (weekday && !off.has(date));
      if (calendar.isWorkingDay(day(date)) !== expected) expect.fail(`${date}: expected working = ${expected}`);
    }
  });
});

describe('DOMAIN.md §1.1.3 worked examples (national calendar)', () => {
  const calendar = nationalCalendar();

  it('addMonths(2025-08-31, 6) = 2026-02-28, not 2026-02-27 (180 days); the make-up Saturday is kept', () => {
    expect(iso(calendar.addMonths(day('2025-08-31'), 6, false).date)).toBe('2026-02-28');
    expect(iso(calendar.addMonths(day('2025-08-31'), 6, true).date)).toBe('2026-02-28');
    expect(iso(calendar.addCalendarDays(day('2025-08-31'), 180, false).date)).toBe('2026-02-27');
    expect(isoWeekday(day('2026-02-28'))).toBe(6); // a Saturday …
    expect(calendar.isWorkingDay(day('2026-02-28'))).toBe(true); // … but a make-up working day in 2026
    expect(calendar.entryOn(day('2026-02-28'))?.kind).toBe('MAKEUP_WORKDAY');
  });

  it('addYears: 2024-02-29 + 1 year = 2025-02-28', () => {
    expect(iso(calendar.addYears(day('2024-02-29'), 1, false).date)).toBe('2025-02-28');
    expect(iso(calendar.addYears(day('2024-02-29'), 1, true).date)).toBe('2025-02-28');
  });

  it('acceptance on a Saturday: day 1 is the first working day after it', () => {
    // Sat 2025-03-01 (an ordinary weekend): day 1 = Mon 2025-03-03.
    expect(iso(calendar.addWorkingDays(day('2025-03-01'), 1).date)).toBe('2025-03-03');
  });

  it('Art. 203: a period ending inside a week-long holiday ends on the first day after the whole rest period', () => {
    // 2025-09-24 + 7 days = Wed 2025-10-01 (National Day) → Thu 2025-10-09.
    expect(iso(calendar.addCalendarDays(day('2025-09-24'), 7, true).date)).toBe('2025-10-09');
    expect(iso(calendar.addCalendarDays(day('2025-09-24'), 7, false).date)).toBe('2025-10-01');
  });
});
