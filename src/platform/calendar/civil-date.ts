/**
 * Civil dates (公历日期) as integer day numbers.
 *
 * A `CivilDay` is the number of days since 1970-01-01 in the proleptic Gregorian calendar.
 * Integers make deadline arithmetic a matter of additions and array look-ups (the working-day
 * tables in work-calendar.ts are indexed by day number) instead of `Date` objects, which carry
 * a time zone and a time of day that a legal period does not have.
 *
 * All civil dates are dates in Asia/Shanghai (UTC+8, no daylight saving time since 1991),
 * DOMAIN.md §1.1.2. An `Instant` is a point in time in epoch milliseconds.
 */

declare const civilDayBrand: unique symbol;

/** Days since 1970-01-01 (a civil date in Asia/Shanghai). Branded so it is not confused with epoch ms. */
export type CivilDay = number & { readonly [civilDayBrand]: 'CivilDay' };

/** A point in time, epoch milliseconds (what `Date.prototype.getTime()` returns). */
export type Instant = number;

export interface CivilDateParts {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number; // 1–31
}

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 all year: China has observed no DST since 1991. */
export const SHANGHAI_OFFSET_MS = 8 * MS_PER_HOUR;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  switch (month) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

/**
 * Day number of a civil date. Month and day must be valid; use `parseCivilDate` for untrusted input.
 * Algorithm: H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil).
 */
export function civilDay(year: number, month: number, day: number): CivilDay {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return (era * 146_097 + dayOfEra - 719_468) as CivilDay;
}

/** Year, month and day of a day number (Hinnant's civil_from_days). */
export function civilDateParts(d: CivilDay): CivilDateParts {
  const z = d + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function yearOf(d: CivilDay): number {
  return civilDateParts(d).year;
}

/** Parses `YYYY-MM-DD`; throws RangeError for anything else (including 2025-02-29). */
export function parseCivilDate(text: string): CivilDay {
  const match = ISO_DATE.exec(text);
  if (match === null) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(text)}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(`No such date: ${text}`);
  }
  return civilDay(year, month, day);
}

/** `YYYY-MM-DD` for years 0000–9999. */
export function formatCivilDate(d: CivilDay): string {
  const { year, month, day } = civilDateParts(d);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 was a Thursday. */
export function isoWeekday(d: CivilDay): number {
  return ((((d + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(d: CivilDay): boolean {
  return isoWeekday(d) >= 6;
}

/** Plain calendar-day shift, no working-day logic. */
export function shiftDays(d: CivilDay, n: number): CivilDay {
  return (d + n) as CivilDay;
}

/**
 * Shift by whole months to the corresponding day (对应日), or to the last day of the target month
 * when it has no such day: 《民法典》 Art. 202 (period in months/years ends on the corresponding day)
 * and Art. 204. No working-day roll-over here; WorkCalendar.addMonths adds Art. 203.
 */
export function shiftMonths(d: CivilDay, n: number): CivilDay {
  if (!Number.isInteger(n)) throw new RangeError(`Months must be an integer, got ${n}`);
  const { year, month, day } = civilDateParts(d);
  const monthIndex = year * 12 + (month - 1) + n;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  return civilDay(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** The civil date in Asia/Shanghai at an instant (a `Date` or epoch ms). */
export function civilDayAt(instant: Date | Instant): CivilDay {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('Invalid instant');
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / MS_PER_DAY) as CivilDay;
}

/** 00:00 Asia/Shanghai of a civil date, as an instant. */
export function startOfCivilDay(d: CivilDay): Instant {
  return d * MS_PER_DAY - SHANGHAI_OFFSET_MS;
}

/**
 * 24:00 Asia/Shanghai of a civil date (= 00:00 of the next day), as an instant: a period's last day
 * ends at 24:00 (《民法典》 Art. 203(2)). Compare with `now < endOfCivilDay(d)`.
 */
export function endOfCivilDay(d: CivilDay): Instant {
  return (d + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS;
}
