/**
 * The national calendar: the State Council General Office's yearly holiday arrangements
 * (国务院办公厅关于 YYYY 年部分节假日安排的通知), read from the `chinese-days` package, which
 * transcribes each notice (2004 onwards) and publishes the result as dist/chinese-days.json:
 * `holidays` (days off, weekends inside a holiday included) and `workdays` (调休上班), keyed by
 * date, each valued "English name,中文名,days".
 *
 * The statutory holidays themselves are set by 《全国年节及纪念日放假办法》 (Decree No. 795 from
 * 2025-01-01: 13 days); the yearly notice turns them into dated days off and make-up working days,
 * which is why the data is per year and a year without a notice is provisional (DOMAIN.md §1.1.1–1.1.2).
 */

import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

import { type CalendarEntry, type CalendarEntryKind, WorkCalendar } from './work-calendar.ts';

interface ChineseDaysData {
  readonly holidays: Readonly<Record<string, string>>;
  readonly workdays: Readonly<Record<string, string>>;
}

const data: ChineseDaysData = chineseDays;

/** Notice numbers cited in DOMAIN.md; other years are named by the notice's title. */
const NOTICE_NUMBERS: Readonly<Record<number, string>> = {
  2025: '国办发明电〔2024〕12号',
};

/**
 * The notice year of a dated entry. The New Year break of year Y may begin in late December of
 * Y − 1 (e.g. 2022-12-31 off, 2018-12-29 a make-up working day); such days belong to Y's notice.
 */
function noticeYear(date: string, chineseName: string): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5, 7) === '12' && chineseName === '元旦' ? year + 1 : year;
}

function noticeTitle(year: number): string {
  const title = `国务院办公厅关于${year}年部分节假日安排的通知`;
  const number = NOTICE_NUMBERS[year];
  return number === undefined ? title : `${title}（${number}）`;
}

function toEntries(byDate: Readonly<Record<string, string>>, kind: CalendarEntryKind, years: Set<number>): CalendarEntry[] {
  return Object.entries(byDate).map(([date, value]) => {
    const name = value.split(',')[1] ?? value;
    const year = noticeYear(date, name);
    years.add(year);
    return { date, kind, name, source: noticeTitle(year) };
  });
}

let national: { entries: readonly CalendarEntry[]; loadedYears: readonly number[] } | undefined;

function load(): { entries: readonly CalendarEntry[]; loadedYears: readonly number[] } {
  if (national === undefined) {
    const years = new Set<number>();
    const entries = [
      ...toEntries(data.holidays, 'HOLIDAY', years),
      ...toEntries(data.workdays, 'MAKEUP_WORKDAY', years),
    ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    national = { entries, loadedYears: [...years].sort((a, b) => a - b) };
  }
  return national;
}

/** All official national entries (HOLIDAY and MAKEUP_WORKDAY), by date, with their notice as source. */
export function nationalCalendarEntries(): CalendarEntry[] {
  return [...load().entries];
}

/** The years for which chinese-days carries a State Council notice. */
export function nationalLoadedYears(): number[] {
  return [...load().loadedYears];
}

let nationalCalendarInstance: WorkCalendar | undefined;

/** The national WorkCalendar (built once). Jurisdictions derive theirs with `withOverrides`. */
export function nationalCalendar(): WorkCalendar {
  nationalCalendarInstance ??= new WorkCalendar({
    entries: load().entries,
    loadedYears: load().loadedYears,
  });
  return nationalCalendarInstance;
}
