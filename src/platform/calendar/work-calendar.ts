/**
 * Working-day calendar (工作日历), DOMAIN.md §1.1.2–1.1.3.
 *
 * A WorkCalendar is immutable: entries (HOLIDAY / MAKEUP_WORKDAY) plus the set of years whose
 * State Council arrangement is loaded. For the years 2000–2100 it precomputes, once, which day
 * is a working day and a running count of working days, so that
 *   - workingDaysBetween(a, b) is one subtraction of two counts, and
 *   - addWorkingDays(start, n) is one look-up in the ordered list of working days,
 * both giving exactly the result of the day-by-day loops written in DOMAIN.md §1.1.3.
 * Dates outside the table fall back to those loops.
 */

import {
  type CivilDay,
  civilDay,
  formatCivilDate,
  isoWeekday,
  parseCivilDate,
  shiftMonths,
  yearOf,
} from './civil-date.ts';

export type CalendarEntryKind = 'HOLIDAY' | 'MAKEUP_WORKDAY';

/**
 * One dated exception to the Monday–Friday rule.
 * `HOLIDAY`: not a working day. `MAKEUP_WORKDAY`: a working day (调休上班, or a jurisdiction
 * cancelling an inherited day off). `source` names the notice, e.g. 国办发明电〔2024〕12号.
 */
export interface CalendarEntry {
  readonly date: string; // YYYY-MM-DD
  readonly kind: CalendarEntryKind;
  readonly name?: string | undefined;
  readonly source?: string | undefined;
}

export interface WorkCalendarInit {
  readonly entries: readonly CalendarEntry[];
  /** Years whose holiday arrangement is loaded; other years use the weekday rule and are provisional. */
  readonly loadedYears: Iterable<number>;
}

/**
 * A computed date. `provisional`: a day the computation depended on lies in a year whose
 * arrangement is not loaded, so the result follows the weekday rule and must be recomputed
 * when that year is loaded (DOMAIN.md §1.1.2).
 */
export interface CalendarResult {
  readonly date: CivilDay;
  readonly provisional: boolean;
}

export interface WorkingDayCount {
  readonly days: number;
  readonly provisional: boolean;
}

export interface ArrangementStatus {
  readonly currentYear: { readonly year: number; readonly loaded: boolean };
  readonly nextYear: { readonly year: number; readonly loaded: boolean };
  /** Both loaded. The next year's notice is usually published in November (DOMAIN.md §1.1.2). */
  readonly ok: boolean;
}

// The precomputed span. Outside it every method still works, by the slower loops.
const TABLE_FIRST_YEAR = 2000;
const TABLE_LAST_YEAR = 2100;
const TABLE_YEARS = TABLE_LAST_YEAR - TABLE_FIRST_YEAR + 1;
const TABLE_FIRST_DAY: number = civilDay(TABLE_FIRST_YEAR, 1, 1);
const TABLE_SIZE: number = civilDay(TABLE_LAST_YEAR + 1, 1, 1) - TABLE_FIRST_DAY;

/** Year of each table day, as an offset from TABLE_FIRST_YEAR (shared by all calendars). */
const TABLE_YEAR_OFFSET: Uint8Array = (() => {
  const offsets = new Uint8Array(TABLE_SIZE);
  for (let y = 0; y < TABLE_YEARS; y++) {
    const from = civilDay(TABLE_FIRST_YEAR + y, 1, 1) - TABLE_FIRST_DAY;
    const to = civilDay(TABLE_FIRST_YEAR + y + 1, 1, 1) - TABLE_FIRST_DAY;
    offsets.fill(y, from, to);
  }
  return offsets;
})();

export class WorkCalendar {
  readonly #entries: ReadonlyMap<number, CalendarEntry>;
  readonly #loadedYears: ReadonlySet<number>;
  /** 1 where the table day is a working day. */
  readonly #working: Uint8Array;
  /** #rank[i] = number of working days in [TABLE_FIRST_DAY, TABLE_FIRST_DAY + i]. */
  readonly #rank: Int32Array;
  /** Day numbers of all working days in the table, ascending. */
  readonly #workingDays: Int32Array;
  /** For each table year offset y: the first year offset ≥ y that is not loaded (TABLE_YEARS if none). */
  readonly #firstUnloadedFrom: Int32Array;

  constructor(init: WorkCalendarInit) {
    this.#entries = indexEntries(init.entries);
    const loaded = new Set<number>();
    for (const year of init.loadedYears) {
      if (!Number.isInteger(year)) throw new RangeError(`Loaded year must be an integer, got ${year}`);
      loaded.add(year);
    }
    this.#loadedYears = loaded;

    this.#working = new Uint8Array(TABLE_SIZE);
    this.#rank = new Int32Array(TABLE_SIZE);
    const workingDays: number[] = [];
    for (let i = 0; i < TABLE_SIZE; i++) {
      const d = (TABLE_FIRST_DAY + i) as CivilDay;
      if (this.#computeIsWorkingDay(d)) {
        this.#working[i] = 1;
        workingDays.push(d);
      }
      this.#rank[i] = workingDays.length;
    }
    this.#workingDays = Int32Array.from(workingDays);

    this.#firstUnloadedFrom = new Int32Array(TABLE_YEARS + 1);
    this.#firstUnloadedFrom[TABLE_YEARS] = TABLE_YEARS;
    for (let y = TABLE_YEARS - 1; y >= 0; y--) {
      this.#firstUnloadedFrom[y] = loaded.has(TABLE_FIRST_YEAR + y) ? this.#firstUnloadedFrom[y + 1]! : y;
    }
  }

  /**
   * A jurisdiction calendar: this calendar with `overrides` replacing entries on the same dates
   * (e.g. a holiday of an autonomous region). Loaded years are inherited. Returns a new calendar.
   */
  withOverrides(overrides: readonly CalendarEntry[]): WorkCalendar {
    const merged = new Map(this.#entries);
    for (const [day, entry] of indexEntries(overrides)) merged.set(day, entry);
    return new WorkCalendar({ entries: [...merged.values()], loadedYears: this.#loadedYears });
  }

  /** DOMAIN.md §1.1.2: HOLIDAY → false; MAKEUP_WORKDAY → true; else Monday–Friday. */
  isWorkingDay(d: CivilDay): boolean {
    const i = d - TABLE_FIRST_DAY;
    if (i >= 0 && i < TABLE_SIZE) return this.#working[i] === 1;
    return this.#computeIsWorkingDay(d);
  }

  /** The entry in force on a date (after overrides), if any. */
  entryOn(d: CivilDay): CalendarEntry | undefined {
    return this.#entries.get(d);
  }

  /** All entries in force, by date. */
  entries(): CalendarEntry[] {
    return [...this.#entries.entries()].sort((a, b) => a[0] - b[0]).map(([, entry]) => entry);
  }

  isYearLoaded(year: number): boolean {
    return this.#loadedYears.has(year);
  }

  /** Years whose arrangement is loaded, ascending. */
  loadedYears(): number[] {
    return [...this.#loadedYears].sort((a, b) => a - b);
  }

  /** Admin check (DOMAIN.md §1.1.2): are this year's and next year's arrangements loaded? */
  arrangementStatus(today: CivilDay): ArrangementStatus {
    const year = yearOf(today);
    const currentYear = { year, loaded: this.isYearLoaded(year) };
    const nextYear = { year: year + 1, loaded: this.isYearLoaded(year + 1) };
    return { currentYear, nextYear, ok: currentYear.loaded && nextYear.loaded };
  }

  /**
   * The n-th working day after `start`; the start day itself is never counted
   * (《民法典》 Art. 201; 《行政许可法》 Art. 82: agency periods are working days). n = 0 → start.
   * Acceptance on a non-working day D (e.g. an online submission on Saturday) needs no special
   * case: day 1 is the first working day after D.
   */
  addWorkingDays(start: CivilDay, n: number): CalendarResult {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`Working days must be a non-negative integer, got ${n}`);
    if (n === 0) return { date: start, provisional: false };
    const i = start - TABLE_FIRST_DAY;
    if (i >= 0 && i < TABLE_SIZE) {
      // #rank[i] working days lie in the table up to and including start, so the first
      // working day after start sits at index #rank[i] of #workingDays.
      const k = this.#rank[i]! + n - 1;
      if (k < this.#workingDays.length) {
        const date = this.#workingDays[k]! as CivilDay;
        return { date, provisional: this.#touchesUnloadedYear(start + 1, date) };
      }
    }
    let d = start;
    let left = n;
    while (left > 0) {
      d = (d + 1) as CivilDay;
      if (this.isWorkingDay(d)) left--;
    }
    return { date: d, provisional: this.#touchesUnloadedYear(start + 1, d) };
  }

  /** Working days d with a < d ≤ b (0 when b ≤ a). DOMAIN.md §1.1.3. */
  workingDaysBetween(a: CivilDay, b: CivilDay): WorkingDayCount {
    if (b <= a) return { days: 0, provisional: false };
    const i = a - TABLE_FIRST_DAY;
    const j = b - TABLE_FIRST_DAY;
    let days: number;
    if (i >= 0 && j < TABLE_SIZE) {
      days = this.#rank[j]! - this.#rank[i]!;
    } else {
      days = 0;
      for (let d = a + 1; d <= b; d++) if (this.isWorkingDay(d as CivilDay)) days++;
    }
    return { days, provisional: this.#touchesUnloadedYear(a + 1, b) };
  }

  /** The first working day on or after d: the roll-over of 《民法典》 Art. 203. */
  rollToWorkingDay(d: CivilDay): CalendarResult {
    let date = d;
    const i = d - TABLE_FIRST_DAY;
    if (i >= 0 && i < TABLE_SIZE && this.#working[i] === 0 && this.#rank[i]! < this.#workingDays.length) {
      date = this.#workingDays[this.#rank[i]!]! as CivilDay;
    } else {
      while (!this.isWorkingDay(date)) date = (date + 1) as CivilDay;
    }
    return { date, provisional: this.#touchesUnloadedYear(d, date) };
  }

  /**
   * start + n calendar days. With rollToWorkingDay, a last day that is not a working day moves to
   * the first working day after the whole rest period (《民法典》 Art. 203), e.g. past a week-long holiday.
   */
  addCalendarDays(start: CivilDay, n: number, rollToWorkingDay: boolean): CalendarResult {
    if (!Number.isInteger(n)) throw new RangeError(`Calendar days must be an integer, got ${n}`);
    return this.#maybeRoll((start + n) as CivilDay, rollToWorkingDay);
  }

  /**
   * Corresponding day n months later, or the month's last day if it has none (《民法典》 Arts. 202, 204):
   * addMonths(2025-08-31, 6) = 2026-02-28, never "180 days". Optional Art. 203 roll-over.
   */
  addMonths(start: CivilDay, n: number, rollToWorkingDay: boolean): CalendarResult {
    return this.#maybeRoll(shiftMonths(start, n), rollToWorkingDay);
  }

  /** addMonths(start, 12 × n): 2024-02-29 + 1 year = 2025-02-28 (《民法典》 Art. 202). */
  addYears(start: CivilDay, n: number, rollToWorkingDay: boolean): CalendarResult {
    if (!Number.isInteger(n)) throw new RangeError(`Years must be an integer, got ${n}`);
    return this.#maybeRoll(shiftMonths(start, 12 * n), rollToWorkingDay);
  }

  #maybeRoll(d: CivilDay, roll: boolean): CalendarResult {
    return roll ? this.rollToWorkingDay(d) : { date: d, provisional: false };
  }

  #computeIsWorkingDay(d: CivilDay): boolean {
    const entry = this.#entries.get(d);
    if (entry !== undefined) return entry.kind === 'MAKEUP_WORKDAY';
    return isoWeekday(d) <= 5;
  }

  /** Whether any day in [from, to] lies in a year whose arrangement is not loaded. */
  #touchesUnloadedYear(from: number, to: number): boolean {
    if (from > to) return false;
    const i = from - TABLE_FIRST_DAY;
    const j = to - TABLE_FIRST_DAY;
    if (i >= 0 && j < TABLE_SIZE) {
      return this.#firstUnloadedFrom[TABLE_YEAR_OFFSET[i]!]! <= TABLE_YEAR_OFFSET[j]!;
    }
    const last = yearOf(to as CivilDay);
    for (let y = yearOf(from as CivilDay); y <= last; y++) if (!this.#loadedYears.has(y)) return true;
    return false;
  }
}

function indexEntries(entries: readonly CalendarEntry[]): Map<number, CalendarEntry> {
  const byDay = new Map<number, CalendarEntry>();
  for (const entry of entries) {
    if (entry.kind !== 'HOLIDAY' && entry.kind !== 'MAKEUP_WORKDAY') {
      throw new RangeError(`Unknown calendar entry kind for ${entry.date}: ${String(entry.kind)}`);
    }
    const day = parseCivilDate(entry.date);
    if (byDay.has(day)) throw new RangeError(`Two calendar entries for ${formatCivilDate(day)}`);
    byDay.set(day, Object.freeze({ ...entry }));
  }
  return byDay;
}
