/**
 * The clocks of a case (DOMAIN.md §1.1.5, §3.3–3.5) over the shared calendar arithmetic:
 * - the correction-notice clock: 5 WD from receipt (行政许可法 Art. 32(4); missed → accepted as of receipt);
 * - the decision clock: from acceptance with the item's promised limit (Art. 42: statutory 20 WD),
 *   paused only by the Art. 45 special procedures, lengthened once by +10 WD (agency head);
 * - the issue clock: 10 WD from the decision (Art. 44).
 * Yellow / red (DOMAIN.md §5 defaults): yellow at ≤ 1 WD left or ≥ 80 % consumed, red the day after the due date.
 */
import {
  type CivilDay,
  type DayClock,
  type DayUnit,
  type Extension,
  type Pause,
  type TimeLimit,
  type WorkCalendar,
  dayClockProgress,
  dueDateWithPauses,
  shiftDays,
} from '../../../platform/calendar/index.ts';
import { CASE_RULES } from './rules.ts';

export type ClockKind = 'notice' | 'decision' | 'issue';
export type Signal = 'green' | 'yellow' | 'red' | 'paused' | 'none';

export interface CaseClock {
  kind: ClockKind;
  startedOn: CivilDay;
  limit: TimeLimit<DayUnit>;
  pauses: Pause<CivilDay>[];
  extensions: Extension<DayUnit>[];
}

/** What is stored on the case row so that the supervision sweep is plain SQL over dates. */
export interface ClockSnapshot {
  /** Last day of the period; null while paused. */
  dueOn: CivilDay | null;
  /** First day the clock shows yellow; null while paused. */
  yellowFrom: CivilDay | null;
  paused: boolean;
  provisional: boolean;
}

export interface SignalThresholds {
  /** Yellow when this many counting days or fewer are left (default 1). */
  remainingDays: number;
  /** Yellow when this share of the limit is consumed (default 0.8). */
  consumedRatio: number;
}

export const DEFAULT_THRESHOLDS: SignalThresholds = { remainingDays: 1, consumedRatio: 0.8 };

function countsWorkingDays(unit: DayUnit): boolean {
  return unit === '1' || unit === 'G';
}

export function noticeClock(receivedOn: CivilDay): CaseClock {
  return { kind: 'notice', startedOn: receivedOn, limit: CASE_RULES.correctionNotice, pauses: [], extensions: [] };
}

/** Decision clock from acceptance with the promised limit (statutory 20 WD when the item promises none). */
export function decisionClock(acceptedOn: CivilDay, promised: TimeLimit<DayUnit> | null): CaseClock {
  return { kind: 'decision', startedOn: acceptedOn, limit: promised ?? CASE_RULES.decision, pauses: [], extensions: [] };
}

export function issueClock(decidedOn: CivilDay): CaseClock {
  return { kind: 'issue', startedOn: decidedOn, limit: CASE_RULES.issue, pauses: [], extensions: [] };
}

function asDayClock(c: CaseClock): DayClock {
  return { startedOn: c.startedOn, limit: c.limit, pauses: c.pauses, extensions: c.extensions };
}

function totalDays(c: CaseClock): number {
  const perMonth = 30;
  const days = (l: TimeLimit<DayUnit>) => (l.unit === '5' ? l.n * perMonth : l.n);
  return days(c.limit) + c.extensions.reduce((s, e) => s + days(e), 0);
}

/** The consumed-days count at which the clock turns yellow. */
export function yellowThreshold(total: number, t: SignalThresholds = DEFAULT_THRESHOLDS): number {
  return Math.max(0, Math.min(total - t.remainingDays, Math.ceil(total * t.consumedRatio)));
}

/** Due date and first yellow day of a clock, computed once per event (pause, resume, extension). */
export function clockSnapshot(calendar: WorkCalendar, clock: CaseClock, t: SignalThresholds = DEFAULT_THRESHOLDS): ClockSnapshot {
  const due = dueDateWithPauses(calendar, asDayClock(clock));
  if (due.state === 'paused') return { dueOn: null, yellowFrom: null, paused: true, provisional: false };
  const k = yellowThreshold(totalDays(clock), t) + due.pausedDays;
  const yellowFrom =
    k === 0 ? clock.startedOn : countsWorkingDays(clock.limit.unit) ? calendar.addWorkingDays(clock.startedOn, k).date : shiftDays(clock.startedOn, k);
  return { dueOn: due.dueOn, yellowFrom, paused: false, provisional: due.provisional };
}

/** The signal on a day, from the stored snapshot (the same rule the SQL sweep applies). */
export function signalOn(s: { dueOn: CivilDay | null; yellowFrom: CivilDay | null; paused: boolean }, today: CivilDay): Signal {
  if (s.paused) return 'paused';
  if (s.dueOn === null || s.yellowFrom === null) return 'none';
  if (today > s.dueOn) return 'red';
  if (today >= s.yellowFrom) return 'yellow';
  return 'green';
}

/** The signal from the clock's progress (DOMAIN.md §5 wording); used to cross-check the snapshot. */
export function signalFromProgress(calendar: WorkCalendar, clock: CaseClock, today: CivilDay, t: SignalThresholds = DEFAULT_THRESHOLDS): Signal {
  const p = dayClockProgress(calendar, asDayClock(clock), today);
  if (p.paused) return 'paused';
  if (p.remaining < 0) return 'red';
  if (p.remaining <= t.remainingDays || p.consumed >= p.limit * t.consumedRatio) return 'yellow';
  return 'green';
}

/** Art. 45 closed list (DOMAIN.md §3.4): the only reasons that pause a licensing decision clock. */
export const SPECIAL_PROCEDURES = {
  hearing: '听证',
  tendering: '招标',
  auction: '拍卖',
  inspection: '检验',
  testing: '检测',
  quarantine: '检疫',
  appraisal: '鉴定',
  expertReview: '专家评审',
} as const;
export type SpecialProcedure = keyof typeof SPECIAL_PROCEDURES;
export const SPECIAL_PROCEDURE_BASIS = '《中华人民共和国行政许可法》第四十五条';

export function isSpecialProcedure(kind: string): kind is SpecialProcedure {
  return Object.hasOwn(SPECIAL_PROCEDURES, kind);
}

/** Opens a pause on `from` (the day the procedure starts; the days after it are not counted). */
export function startPause(clock: CaseClock, from: CivilDay, reason: string): CaseClock {
  return { ...clock, pauses: [...clock.pauses, { from, reason, legalBasis: SPECIAL_PROCEDURE_BASIS }] };
}

export function endPause(clock: CaseClock, to: CivilDay): CaseClock {
  const pauses = clock.pauses.map((p) => (p.to === undefined ? { ...p, to: Math.max(to, p.from) as CivilDay } : p));
  return { ...clock, pauses };
}

export type ExtensionRefusal = { ok: false; message: string };

/** Art. 42: one extension of +10 WD on the decision clock, approved by the agency head, with reasons. */
export function extendClock(clock: CaseClock, approvedBy: string, reason: string): { ok: true; clock: CaseClock } | ExtensionRefusal {
  if (clock.kind !== 'decision') return { ok: false, message: '只有审查决定期限可以延期' };
  if (clock.extensions.length > 0) return { ok: false, message: '本办件已延期一次，依法不能再次延期（《行政许可法》第四十二条）' };
  if (!countsWorkingDays(clock.limit.unit)) return { ok: false, message: '承诺时限按自然日计算的事项不能按工作日延期，请调整事项时限' };
  return { ok: true, clock: { ...clock, extensions: [{ ...CASE_RULES.decisionExtension, approvedBy, reason }] } };
}
