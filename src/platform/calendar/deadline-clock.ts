/**
 * Deadline clocks with pauses and extensions, DOMAIN.md §1.1.4–1.1.5.
 *
 * Day clocks (units 1, 2, 5, G, Z) start on a civil date and end on a last day; wall clocks
 * (units 3, 4) start at an instant and end at an instant. Both follow the same model:
 *
 *   due = start + (limit + Σ extensions + Σ closed pauses), each pause measured in the clock's
 *         own unit (working days for a working-day clock, DOMAIN.md §1.1.5);
 *   an open pause freezes the clock: no due date, no alerts.
 *
 * A pause (special procedure 特别程序, consultation, …) does not count toward the limit:
 * 《行政许可法》 Art. 45 (hearing, testing, expert review … not counted), 《政府信息公开条例》
 * Art. 33 (consultation time not counted). Which reasons may pause a given clock is the caller's
 * check (closed list, DOMAIN.md §3.4); this file only does the arithmetic.
 *
 * A correction (补正) is not a pause: the period runs afresh from the corrected receipt
 * (条例 Art. 30; 行政许可法 Art. 32(4), DOMAIN.md §3.5): use `restartClock`.
 * An extension is not a pause either: it lengthens the limit once (Art. 42, 条例 Art. 33).
 *
 * Pause granularity is whole units of the clock (the DOMAIN.md §1.1.5 default; §12 item 8 is open).
 */

import { type BusinessHours, addBusinessTime, businessTimeBetween, closeOfBusiness } from './business-hours.ts';
import { type CivilDay, type Instant, MS_PER_HOUR, MS_PER_MINUTE, endOfCivilDay } from './civil-date.ts';
import type { WorkCalendar } from './work-calendar.ts';

/** Code table TIME_UNIT (DOMAIN.md §1.1.4): promised-limit units 1–5, legal-limit units G and Z. */
export const TIME_UNIT = {
  WORKING_DAY: '1',
  CALENDAR_DAY: '2',
  HOUR: '3',
  MINUTE: '4',
  MONTH: '5',
  LEGAL_WORKING_DAY: 'G',
  LEGAL_CALENDAR_DAY: 'Z',
} as const;

export type TimeUnit = (typeof TIME_UNIT)[keyof typeof TIME_UNIT];
export type DayUnit = '1' | '2' | '5' | 'G' | 'Z';
export type WallClockUnit = '3' | '4';

export function isDayUnit(unit: TimeUnit): unit is DayUnit {
  return unit !== '3' && unit !== '4';
}

export function isWallClockUnit(unit: TimeUnit): unit is WallClockUnit {
  return unit === '3' || unit === '4';
}

export interface TimeLimit<U extends TimeUnit = TimeUnit> {
  readonly n: number;
  readonly unit: U;
}

/** A pause; `to` absent while it is still open. Days: (from, to] is paused. Instants: [from, to). */
export interface Pause<T extends number> {
  readonly from: T;
  readonly to?: T | undefined;
  readonly reason?: string | undefined;
  readonly legalBasis?: string | undefined;
}

export interface Extension<U extends TimeUnit = TimeUnit> {
  readonly n: number;
  readonly unit: U;
  readonly approvedBy?: string | undefined;
  readonly reason?: string | undefined;
  readonly notifiedApplicantAt?: Instant | undefined;
}

export interface DayClock {
  readonly startedOn: CivilDay;
  readonly limit: TimeLimit<DayUnit>;
  readonly pauses?: readonly Pause<CivilDay>[] | undefined;
  readonly extensions?: readonly Extension<DayUnit>[] | undefined;
}

export interface DayClockOptions {
  /**
   * Calendar-day units (2, Z, 5): a last day that is not a working day moves to the first working
   * day after the rest period (《民法典》 Art. 203). Default true. Working-day clocks always end on a
   * working day.
   */
  readonly rollToWorkingDay?: boolean | undefined;
  /** Unit 5: days per month, default 30 — a convention for promised limits only (DOMAIN.md §1.1.3). */
  readonly daysPerMonth?: number | undefined;
  /** For a rule flagged `businessHoursCutoff`: the last day ends at close of business (Art. 203(2)). */
  readonly businessHoursCutoff?: BusinessHours | undefined;
}

export type DayClockDue =
  | { readonly state: 'paused'; readonly pausedSince: CivilDay }
  | {
      readonly state: 'running';
      /** Last day of the period. */
      readonly dueOn: CivilDay;
      /** 24:00 of dueOn, or close of business with businessHoursCutoff: overdue when now ≥ expiresAt. */
      readonly expiresAt: Instant;
      /** Closed pauses, in the clock's counting days (working or calendar). */
      readonly pausedDays: number;
      readonly provisional: boolean;
    };

export interface DayClockProgress {
  /** Counting days used so far: (startedOn, today] minus paused days (DOMAIN.md §1.1.5 consumed(now)). */
  readonly consumed: number;
  /** Limit plus extensions, in counting days. */
  readonly limit: number;
  /** limit − consumed; negative when overdue. */
  readonly remaining: number;
  readonly paused: boolean;
  readonly provisional: boolean;
}

export interface WallClock {
  readonly startedAt: Instant;
  readonly limit: TimeLimit<WallClockUnit>;
  readonly pauses?: readonly Pause<Instant>[] | undefined;
  readonly extensions?: readonly Extension<WallClockUnit>[] | undefined;
}

export interface WallClockOptions {
  /**
   * DOMAIN.md §1.1.3: hour and minute limits run on wall-clock time unless the rule is flagged
   * `businessHoursOnly`; then only time inside `businessHours` on working days counts.
   */
  readonly businessHoursOnly?: boolean | undefined;
  readonly businessHours?: BusinessHours | undefined;
}

export type WallClockDue =
  | { readonly state: 'paused'; readonly pausedSince: Instant }
  | {
      readonly state: 'running';
      readonly dueAt: Instant;
      /** Closed pauses, in counted milliseconds (business time when businessHoursOnly). */
      readonly pausedMs: number;
      readonly provisional: boolean;
    };

type Counting = 'working' | 'calendar';

/**
 * Due date of a day clock (DOMAIN.md §1.1.5):
 * dueOn = addWorkingDays(startedOn, limit.n + Σ extensions.n + Σ pausedDays(closed pauses)),
 * pausedDays(p) = workingDaysBetween(p.from, p.to); calendar-day clocks count calendar days the same way.
 */
export function dueDateWithPauses(calendar: WorkCalendar, clock: DayClock, options: DayClockOptions = {}): DayClockDue {
  const counting = countingOf(clock.limit.unit);
  const total = totalLimitDays(clock, counting, options);
  const { closed, openSince } = mergePauses(clock.pauses ?? [], clock.startedOn);
  if (openSince !== undefined) return { state: 'paused', pausedSince: openSince as CivilDay };

  let pausedDays = 0;
  let provisional = false;
  for (const [from, to] of closed) {
    const paused = countDays(calendar, counting, from as CivilDay, to as CivilDay);
    pausedDays += paused.days;
    provisional ||= paused.provisional;
  }
  const n = total + pausedDays;
  const due =
    counting === 'working'
      ? calendar.addWorkingDays(clock.startedOn, n)
      : calendar.addCalendarDays(clock.startedOn, n, options.rollToWorkingDay ?? true);
  const expiresAt =
    options.businessHoursCutoff === undefined
      ? endOfCivilDay(due.date)
      : closeOfBusiness(due.date, options.businessHoursCutoff);
  return { state: 'running', dueOn: due.date, expiresAt, pausedDays, provisional: provisional || due.provisional };
}

/**
 * How much of a day clock is used on `today` (DOMAIN.md §1.1.5):
 * consumed(now) = workingDaysBetween(startedOn, now) − Σ pausedDays(closed pauses) − days inside an open pause.
 * Pauses are clipped to (startedOn, today].
 */
export function dayClockProgress(
  calendar: WorkCalendar,
  clock: DayClock,
  today: CivilDay,
  options: DayClockOptions = {},
): DayClockProgress {
  const counting = countingOf(clock.limit.unit);
  const limit = totalLimitDays(clock, counting, options);
  const { closed, openSince } = mergePauses(clock.pauses ?? [], clock.startedOn);
  const elapsed = countDays(calendar, counting, clock.startedOn, today);
  let consumed = elapsed.days;
  let provisional = elapsed.provisional;
  const intervals = openSince === undefined ? closed : [...closed, [openSince, today] as const];
  for (const [from, to] of intervals) {
    const paused = countDays(calendar, counting, from as CivilDay, Math.min(to, today) as CivilDay);
    consumed -= paused.days;
    provisional ||= paused.provisional;
  }
  return {
    consumed,
    limit,
    remaining: limit - consumed,
    paused: openSince !== undefined && openSince <= today,
    provisional,
  };
}

/**
 * The clock after a correction (补正): it runs afresh from the corrected receipt, so earlier
 * pauses and extensions belong to the old run (条例 Art. 30: the reply period runs from receipt of
 * the corrected request; 行政许可法 Art. 32(4): correction precedes acceptance).
 */
export function restartClock(clock: DayClock, startedOn: CivilDay): DayClock {
  return { ...clock, startedOn, pauses: [], extensions: [] };
}

/** Due instant of an hour or minute limit (hotline dispatch, sign-for), DOMAIN.md §1.1.3. */
export function dueTimeWithPauses(calendar: WorkCalendar, clock: WallClock, options: WallClockOptions = {}): WallClockDue {
  const hours = options.businessHoursOnly === true ? options.businessHours : undefined;
  if (options.businessHoursOnly === true && hours === undefined) {
    throw new RangeError('businessHoursOnly needs businessHours');
  }
  let totalMs = limitMs(clock.limit);
  for (const extension of clock.extensions ?? []) totalMs += limitMs(extension);

  const { closed, openSince } = mergePauses(clock.pauses ?? [], clock.startedAt);
  if (openSince !== undefined) return { state: 'paused', pausedSince: openSince };

  let pausedMs = 0;
  let provisional = false;
  for (const [from, to] of closed) {
    if (hours === undefined) {
      pausedMs += to - from;
    } else {
      const paused = businessTimeBetween(calendar, from, to, hours);
      pausedMs += paused.ms;
      provisional ||= paused.provisional;
    }
  }
  if (hours === undefined) return { state: 'running', dueAt: clock.startedAt + totalMs + pausedMs, pausedMs, provisional };
  const due = addBusinessTime(calendar, clock.startedAt, totalMs + pausedMs, hours);
  return { state: 'running', dueAt: due.at, pausedMs, provisional: provisional || due.provisional };
}

function countingOf(unit: DayUnit): Counting {
  switch (unit) {
    case '1':
    case 'G':
      return 'working';
    case '2':
    case 'Z':
    case '5':
      return 'calendar';
  }
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`A time limit must be a non-negative integer, got ${n}`);
}

/** Limit plus extensions in counting days; extensions must count the same way as the limit. */
function totalLimitDays(clock: DayClock, counting: Counting, options: DayClockOptions): number {
  const daysPerMonth = options.daysPerMonth ?? 30;
  const toDays = ({ n, unit }: TimeLimit<DayUnit>): number => {
    checkCount(n);
    if (countingOf(unit) !== counting) {
      throw new RangeError(`Unit ${unit} does not count like the clock's unit ${clock.limit.unit}`);
    }
    return unit === '5' ? n * daysPerMonth : n;
  };
  let total = toDays(clock.limit);
  for (const extension of clock.extensions ?? []) total += toDays(extension);
  return total;
}

function limitMs({ n, unit }: TimeLimit<WallClockUnit>): number {
  checkCount(n);
  return n * (unit === '3' ? MS_PER_HOUR : MS_PER_MINUTE);
}

function countDays(calendar: WorkCalendar, counting: Counting, a: CivilDay, b: CivilDay): { days: number; provisional: boolean } {
  if (counting === 'working') return calendar.workingDaysBetween(a, b);
  return { days: Math.max(0, b - a), provisional: false };
}

/**
 * Union of pause intervals, clipped to start at the clock's start (time before the clock started
 * was never counted, so it cannot be given back). Overlapping pauses count once.
 */
function mergePauses(
  pauses: readonly Pause<number>[],
  clockStart: number,
): { closed: (readonly [number, number])[]; openSince: number | undefined } {
  const clip = (p: Pause<number>): [number, number] => {
    if (p.to !== undefined && p.to < p.from) throw new RangeError('A pause cannot end before it starts');
    return [Math.max(p.from, clockStart), p.to === undefined ? Infinity : Math.max(p.to, clockStart)];
  };
  // Most clocks have no pause or one: skip the sort and merge.
  if (pauses.length === 0) return { closed: [], openSince: undefined };
  if (pauses.length === 1) {
    const only = clip(pauses[0]!);
    return only[1] === Infinity ? { closed: [], openSince: only[0] } : { closed: [only], openSince: undefined };
  }
  const intervals = pauses.map(clip).sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of intervals) {
    const last = merged[merged.length - 1];
    if (last !== undefined && from < last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  const open = merged.find(([, to]) => to === Infinity);
  return { closed: merged.filter(([, to]) => to !== Infinity), openSince: open?.[0] };
}
