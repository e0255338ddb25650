/**
 * Business hours (办公时间) for the two rules that need them (DOMAIN.md §1.1.2–1.1.3):
 *   - hour and minute limits flagged `businessHoursOnly` count only time inside business hours on
 *     working days (otherwise they run on wall-clock time) [practice];
 *   - a period flagged `businessHoursCutoff` ends at the close of business on its last day instead
 *     of 24:00 (《民法典》 Art. 203(2)).
 * DOMAIN.md fixes no hours, so they are configuration passed in by the caller (a jurisdiction's or
 * an agency's setting), never a literal here. Times are Asia/Shanghai wall-clock times; the same
 * hours apply to every working day, make-up working days included.
 */

import {
  type CivilDay,
  type Instant,
  MS_PER_MINUTE,
  civilDayAt,
  startOfCivilDay,
  yearOf,
} from './civil-date.ts';
import type { WorkCalendar } from './work-calendar.ts';

export interface BusinessWindow {
  /** Minutes after 00:00, inclusive. */
  readonly openMinute: number;
  /** Minutes after 00:00, exclusive; at most 1440 (24:00). */
  readonly closeMinute: number;
}

/** Ordered, non-overlapping windows of one working day, e.g. 08:30–12:00 and 13:30–17:30. */
export interface BusinessHours {
  readonly windows: readonly BusinessWindow[];
}

export interface InstantResult {
  readonly at: Instant;
  readonly provisional: boolean;
}

export interface DurationResult {
  readonly ms: number;
  readonly provisional: boolean;
}

const WINDOW = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Parses windows written `HH:MM-HH:MM`, e.g. `businessHours(['08:30-12:00', '13:30-17:30'])`. */
export function businessHours(windows: readonly string[]): BusinessHours {
  if (windows.length === 0) throw new RangeError('Business hours need at least one window');
  const parsed = windows.map((text) => {
    const m = WINDOW.exec(text);
    if (m === null) throw new RangeError(`Not a HH:MM-HH:MM window: ${JSON.stringify(text)}`);
    const [openH, openM, closeH, closeM] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    const openMinute = openH * 60 + openM;
    const closeMinute = closeH * 60 + closeM;
    if (openM > 59 || closeM > 59 || closeMinute > 1440 || openMinute >= closeMinute) {
      throw new RangeError(`Invalid business-hours window: ${text}`);
    }
    return { openMinute, closeMinute };
  });
  parsed.sort((a, b) => a.openMinute - b.openMinute);
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i]!.openMinute < parsed[i - 1]!.closeMinute) throw new RangeError('Business-hours windows overlap');
  }
  return { windows: parsed };
}

/** Close of business on a day: the end of its last window (the Art. 203(2) cut-off). */
export function closeOfBusiness(d: CivilDay, hours: BusinessHours): Instant {
  const last = hours.windows[hours.windows.length - 1];
  if (last === undefined) throw new RangeError('Business hours need at least one window');
  return startOfCivilDay(d) + last.closeMinute * MS_PER_MINUTE;
}

// A limit in hours or minutes never needs more than this many calendar days of business time.
const MAX_DAYS_WALKED = 3660;

/**
 * The instant when `durationMs` of business time has elapsed after `start`. A start outside
 * business hours begins counting at the next opening. `provisional` as in WorkCalendar.
 */
export function addBusinessTime(
  calendar: WorkCalendar,
  start: Instant,
  durationMs: number,
  hours: BusinessHours,
): InstantResult {
  if (!Number.isFinite(durationMs) || durationMs < 0) throw new RangeError(`Invalid duration: ${durationMs}`);
  if (durationMs === 0) return { at: start, provisional: false };
  let day = civilDayAt(start);
  let from = start;
  let left = durationMs;
  let provisional = false;
  for (let walked = 0; walked < MAX_DAYS_WALKED; walked++) {
    if (!calendar.isYearLoaded(yearOf(day))) provisional = true;
    if (calendar.isWorkingDay(day)) {
      const dayStart = startOfCivilDay(day);
      for (const w of hours.windows) {
        const close = dayStart + w.closeMinute * MS_PER_MINUTE;
        if (close <= from) continue;
        const open = Math.max(dayStart + w.openMinute * MS_PER_MINUTE, from);
        if (left <= close - open) return { at: open + left, provisional };
        left -= close - open;
      }
    }
    day = (day + 1) as CivilDay;
    from = startOfCivilDay(day);
  }
  throw new RangeError(`No business time found within ${MAX_DAYS_WALKED} days`);
}

/** Business time inside [a, b). */
export function businessTimeBetween(calendar: WorkCalendar, a: Instant, b: Instant, hours: BusinessHours): DurationResult {
  if (b <= a) return { ms: 0, provisional: false };
  let ms = 0;
  let provisional = false;
  const last = civilDayAt(b - 1); // b is exclusive
  for (let day = civilDayAt(a); day <= last; day = (day + 1) as CivilDay) {
    if (!calendar.isYearLoaded(yearOf(day))) provisional = true;
    if (!calendar.isWorkingDay(day)) continue;
    const dayStart = startOfCivilDay(day);
    for (const w of hours.windows) {
      const open = Math.max(dayStart + w.openMinute * MS_PER_MINUTE, a);
      const close = Math.min(dayStart + w.closeMinute * MS_PER_MINUTE, b);
      if (close > open) ms += close - open;
    }
  }
  return { ms, provisional };
}
