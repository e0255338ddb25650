/**
 * The official arrangements of 2024, 2025 and 2026 as read from chinese-days, checked day by day
 * against the State Council notices (国务院办公厅关于 2024/2025/2026 年部分节假日安排的通知):
 * every day off and every make-up working day of each year is listed here.
 */
import { describe, expect, it } from 'vitest';
import chineseDays from 'chinese-days';

import { type CivilDay, formatCivilDate, isoWeekday, parseCivilDate } from './civil-date.ts';
import { nationalCalendar, nationalCalendarEntries, nationalLoadedYears } from './national-calendar.ts';

const day = parseCivilDate;
const iso = formatCivilDate;

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = day(from); d <= day(to); d = (d + 1) as CivilDay) out.push(iso(d));
  return out;
}

interface Arrangement {
  readonly daysOff: Record<string, readonly string[]>;
  readonly makeupWorkdays: readonly string[];
}

const ARRANGEMENTS: Record<number, Arrangement> = {
  // 国务院办公厅关于2024年部分节假日安排的通知
  2024: {
    daysOff: {
      元旦: ['2024-01-01'],
      春节: range('2024-02-10', '2024-02-17'),
      清明: range('2024-04-04', '2024-04-06'),
      劳动节: range('2024-05-01', '2024-05-05'),
      端午: ['2024-06-10'],
      中秋: range('2024-09-15', '2024-09-17'),
      国庆节: range('2024-10-01', '2024-10-07'),
    },
    makeupWorkdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  // 国办发明电〔2024〕12号 (cited in DOMAIN.md §1.1.2 and §1.1.5)
  2025: {
    daysOff: {
      元旦: ['2025-01-01'],
      春节: range('2025-01-28', '2025-02-04'),
      清明: range('2025-04-04', '2025-04-06'),
      劳动节: range('2025-05-01', '2025-05-05'),
      端午: range('2025-05-31', '2025-06-02'),
      国庆节: range('2025-10-01', '2025-10-08'), // National Day and Mid-Autumn together
    },
    makeupWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  // 国务院办公厅关于2026年部分节假日安排的通知 (gov.cn 2025-11)
  2026: {
    daysOff: {
      元旦: range('2026-01-01', '2026-01-03'),
      春节: range('2026-02-15', '2026-02-23'),
      清明: range('2026-04-04', '2026-04-06'),
      劳动节: range('2026-05-01', '2026-05-05'),
      端午: range('2026-06-19', '2026-06-21'),
      中秋: range('2026-09-25', '2026-09-27'),
      国庆节: range('2026-10-01', '2026-10-07'),
    },
    makeupWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

describe.each([2024, 2025, 2026])('national arrangement %i', (year) => {
  const calendar = nationalCalendar();
  const arrangement = ARRANGEMENTS[year]!;
  const daysOff = new Set(Object.values(arrangement.daysOff).flat());
  const makeup = new Set(arrangement.makeupWorkdays);

  it('is loaded', () => {
    expect(calendar.isYearLoaded(year)).toBe(true);
  });

  it.each(Object.entries(arrangement.daysOff))('%s: days off', (name, dates) => {
    for (const date of dates) {
      expect.soft(calendar.isWorkingDay(day(date)), date).toBe(false);
      expect.soft(calendar.entryOn(day(date))?.kind, date).toBe('HOLIDAY');
    }
    // The festival's own day carries its name (2025: Mid-Autumn, 10-06, sits inside National Day).
    expect(calendar.entryOn(day(dates[0]!))?.name).toBe(name);
  });

  it('make-up working days are weekend days and working days', () => {
    for (const date of arrangement.makeupWorkdays) {
      expect.soft(isoWeekday(day(date)), date).toBeGreaterThanOrEqual(6);
      expect.soft(calendar.isWorkingDay(day(date)), date).toBe(true);
      expect.soft(calendar.entryOn(day(date))?.kind, date).toBe('MAKEUP_WORKDAY');
    }
  });

  it('no other day of the year departs from the Monday–Friday rule', () => {
    for (const date of range(`${year}-01-01`, `${year}-12-31`)) {
      const expected = makeup.has(date) || (!daysOff.has(date) && isoWeekday(day(date)) <= 5);
      if (calendar.isWorkingDay(day(date)) !== expected) expect.fail(`${date}: expected working = ${expected}`);
    }
  });

  it('every entry names its notice', () => {
    const entries = nationalCalendarEntries().filter((e) => e.date.startsWith(`${year}-`));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect.soft(entry.source, entry.date).toContain(`${year}年部分节假日安排的通知`);
  });
});

describe('national calendar', () => {
  it('2025 entries cite 国办发明电〔2024〕12号', () => {
    expect(nationalCalendar().entryOn(day('2025-01-28'))?.source).toContain('国办发明电〔2024〕12号');
  });

  it('loads the years chinese-days covers: 2004–2026, not 2027', () => {
    const years = nationalLoadedYears();
    expect(years).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(nationalCalendar().loadedYears()).toEqual(years);
    expect(nationalCalendar().isYearLoaded(2027)).toBe(false);
  });

  it('assigns late-December New Year days to the next year’s notice', () => {
    // 2023 notice: 2022-12-31 to 2023-01-02 off. 2019 notice: 2018-12-29 (Sat) a make-up working day.
    const entries = new Map(nationalCalendarEntries().map((e) => [e.date, e]));
    expect(entries.get('2022-12-31')?.source).toContain('2023年');
    expect(entries.get('2018-12-29')).toMatchObject({ kind: 'MAKEUP_WORKDAY', name: '元旦' });
    expect(entries.get('2018-12-29')?.source).toContain('2019年');
  });

  it('agrees with chinese-days isWorkday on every day of 2004–2026', () => {
    const calendar = nationalCalendar();
    for (const date of range('2004-01-01', '2026-12-31')) {
      if (calendar.isWorkingDay(day(date)) !== chineseDays.isWorkday(date)) expect.fail(`disagreement on ${date}`);
    }
  });

  it('is built once', () => {
    expect(nationalCalendar()).toBe(nationalCalendar());
  });
});
