/**
 * Deadlines of appeal tickets: one configurable table (defaults from DOMAIN.md §6.1 presets and
 * §1.1.6 `petition.*`), computed with the jurisdiction's working-day calendar (§1.1.3).
 *
 * Hotline presets are practice, not law: Beijing 《接诉即办工作条例》/ DB11 (dispatch 1 h / 2 h / 24 h)
 * and the "alternative local preset" (consultation/help ≤ 3 WD; complaints, reports, suggestions ≤ 13 WD;
 * sign-for within 1 hour, Huai'an). Petition periods: 《信访工作条例》 (2022) — transfer 15 days (Art. 22),
 * handle 60 days + ≤ 30 days once, review / re-review request and opinion 30 days; calendar days with the
 * 《民法典》 Art. 203 roll-over (§6.2, unit [unverified], configurable).
 */
import { civilDayAt, endOfCivilDay, MS_PER_HOUR, type CivilDay, type TimeLimit, type WorkCalendar } from '../../platform/calendar/index.ts';
import { deadlineRule } from '../../platform/calendar/deadline-registry.ts';
import type { AppealType } from './ticket-machine.ts';

export type Urgency = 'emergency' | 'utility' | 'normal';
export const URGENCY_LABEL: Record<Urgency, string> = { emergency: '紧急（人身财产安全）', utility: '水电气热、极端天气', normal: '一般' };

/** h: wall-clock hours; G: working days; Z: calendar days rolled to a working day (Art. 203). */
export interface Limit {
  n: number;
  unit: 'h' | 'G' | 'Z';
}

export interface DeadlineTable {
  /** NEW → DISPATCHED, by urgency. */
  dispatch: Record<Urgency, Limit>;
  /** DISPATCHED → SIGNED. */
  signFor: Limit;
  /** SIGNED → REPLIED, by appeal type (hotline track). */
  handle: Record<Exclude<AppealType, 'petition'>, Limit>;
  /** One extension of a hotline ticket at most this long. */
  hotlineExtensionCap: Limit;
  /** Return review by the hotline office. */
  returnReview: Limit;
  /** REPLIED → CLOSED: the centre's callback (回访) after the unit's final reply. */
  callback: Limit;
  petitionTransfer: Limit;
  petitionAcceptance: Limit;
  petitionHandle: Limit;
  petitionExtensionCap: Limit;
  petitionReviewRequest: Limit;
  petitionReviewOpinion: Limit;
  /** Share of the period left when a ticket turns yellow. */
  yellowShare: number;
  source: Record<string, string>;
}

/** A limit of the shared deadline registry (DOMAIN.md §1.1.6) in this table's units. */
function asLimit(limit: TimeLimit): Limit {
  if (limit.unit === '3') return { n: limit.n, unit: 'h' };
  if (limit.unit === 'G' || limit.unit === '1') return { n: limit.n, unit: 'G' };
  if (limit.unit === 'Z' || limit.unit === '2') return { n: limit.n, unit: 'Z' };
  throw new Error(`appeals: unsupported deadline unit ${limit.unit}`);
}
const registry = (key: string): Limit => asLimit(deadlineRule(key).limit);
const registryExtension = (key: string): Limit => {
  const ext = deadlineRule(key).extension;
  if (!ext) throw new Error(`appeals: deadline rule ${key} has no extension`);
  return asLimit(ext.max);
};

/**
 * Defaults: the shared registry's `hotline.*` and `petition.*` rules; handling periods per appeal
 * type and the hotline extension cap follow the alternative local preset of DOMAIN.md §6.1, which the
 * registry (Beijing feedback presets) does not carry.
 */
export const DEFAULT_DEADLINES: DeadlineTable = {
  dispatch: { emergency: registry('hotline.dispatchEmergency'), utility: registry('hotline.dispatchUtility'), normal: registry('hotline.dispatch') },
  signFor: registry('hotline.signFor'),
  handle: {
    consultation: { n: 3, unit: 'G' },
    help: { n: 3, unit: 'G' },
    praise: { n: 3, unit: 'G' },
    complaint: { n: 13, unit: 'G' },
    report: { n: 13, unit: 'G' },
    suggestion: { n: 13, unit: 'G' },
  },
  hotlineExtensionCap: { n: 10, unit: 'G' },
  returnReview: { n: 2, unit: 'h' },
  // DOMAIN.md §6.1 alternative local preset: "return visit next day" — by the end of the next working day.
  callback: { n: 1, unit: 'G' },
  petitionTransfer: registry('petition.transfer'),
  petitionAcceptance: registry('petition.acceptanceNotice'),
  petitionHandle: registry('petition.handle'),
  petitionExtensionCap: registryExtension('petition.handle'),
  petitionReviewRequest: registry('petition.reviewRequest'),
  petitionReviewOpinion: registry('petition.review'),
  yellowShare: 0.25,
  source: {
    dispatch: 'DB11 12345 服务与管理规范（北京，2023）[practice]',
    signFor: '淮安 12345 签收 1 小时 [practice]',
    handle: '咨询求助 ≤3 个工作日，投诉举报建议 ≤13 个工作日 [practice]',
    callback: '答复后次日回访（下一个工作日内）[practice]',
    petitionTransfer: '《信访工作条例》第二十二条：15 日内转送、交办',
    petitionHandle: '《信访工作条例》：受理之日起 60 日内办结，延长不超过 30 日',
    petitionReview: '《信访工作条例》：复查、复核申请及意见各 30 日',
  },
};

/** A deadline instant: `from` plus the limit, in the calendar of the ticket's division. */
export function dueAfter(calendar: WorkCalendar, from: Date, limit: Limit): { dueAt: Date; provisional: boolean } {
  if (limit.unit === 'h') return { dueAt: new Date(from.getTime() + limit.n * MS_PER_HOUR), provisional: false };
  const start: CivilDay = civilDayAt(from);
  const r = limit.unit === 'G' ? calendar.addWorkingDays(start, limit.n) : calendar.addCalendarDays(start, limit.n, true);
  // A day period ends at 24:00 of its last day (《民法典》 Art. 203).
  return { dueAt: new Date(endOfCivilDay(r.date)), provisional: r.provisional };
}

/** Extends an existing deadline by n units (an approved extension adds to the current due date). */
export function extendDue(calendar: WorkCalendar, dueAt: Date, n: number, unit: Limit['unit']): Date {
  if (unit === 'h') return new Date(dueAt.getTime() + n * MS_PER_HOUR);
  // dueAt is 24:00 of the last day, i.e. the first instant of the next day: step back into the day.
  const lastDay = civilDayAt(new Date(dueAt.getTime() - 1));
  const r = unit === 'G' ? calendar.addWorkingDays(lastDay, n) : calendar.addCalendarDays(lastDay, n, true);
  return new Date(endOfCivilDay(r.date));
}

export type DeadlineColour = 'green' | 'yellow' | 'red' | 'none';
export const COLOUR_LABEL: Record<DeadlineColour, string> = { green: '正常', yellow: '临期', red: '超期', none: '—' };

/** Yellow when less than `yellowShare` of the period is left; red when overdue (督办 candidates). */
export function deadlineColour(now: Date, startedAt: Date | null, dueAt: Date | null, yellowShare = DEFAULT_DEADLINES.yellowShare): DeadlineColour {
  if (!dueAt) return 'none';
  const left = dueAt.getTime() - now.getTime();
  if (left <= 0) return 'red';
  const span = startedAt ? dueAt.getTime() - startedAt.getTime() : left;
  return span > 0 && left / span < yellowShare ? 'yellow' : 'green';
}
