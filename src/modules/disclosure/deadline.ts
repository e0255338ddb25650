import { civilDayAt, formatCivilDate, parseCivilDate, type WorkCalendar } from '../../platform/calendar/index.ts';
import { deadlineRule } from '../../platform/calendar/deadline-registry.ts';

/**
 * 条例 Art. 26: published within 20 working days of being created or changed, unless laws or
 * regulations provide otherwise (DOMAIN.md §1.1.6 `disclosure.proactive`; a category may carry
 * its own period with its legal basis). The clock starts at the written date (成文日期); the
 * start day is not counted (《民法典》 Art. 201).
 */
const RULE = deadlineRule('disclosure.proactive');
if (RULE.limit.unit !== 'G') throw new Error('disclosure.proactive is expected in working days');
export const PROACTIVE_RULE = { key: RULE.key, days: RULE.limit.n, source: RULE.source } as const;

/** Working days before the due date at which the workbench shows a warning (yellow). */
export const WARN_WORKING_DAYS = 5;

export function proactiveDueOn(calendar: WorkCalendar, writtenOn: string, categoryDays: number | null): string {
  return formatCivilDate(calendar.addWorkingDays(parseCivilDate(writtenOn), categoryDays ?? PROACTIVE_RULE.days).date);
}

export type DeadlineState = 'done' | 'ok' | 'warn' | 'overdue';

/** Traffic light of the proactive deadline for an unpublished publication. */
export function deadlineState(calendar: WorkCalendar, dueOn: string, published: boolean, today = civilDayAt(new Date())): { state: DeadlineState; workingDaysLeft: number } {
  if (published) return { state: 'done', workingDaysLeft: 0 };
  const due = parseCivilDate(dueOn);
  if (today > due) return { state: 'overdue', workingDaysLeft: -calendar.workingDaysBetween(due, today).days };
  const left = calendar.workingDaysBetween(today, due).days;
  return { state: left <= WARN_WORKING_DAYS ? 'warn' : 'ok', workingDaysLeft: left };
}
