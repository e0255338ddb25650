import { civilDayAt, formatCivilDate } from '../../../platform/calendar/index.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CaseRecord } from '../case.repository.ts';
import { stepSignal } from '../commands/case-workflow.ts';
import { civil } from './shared.ts';

/** Today (Asia/Shanghai) as YYYY-MM-DD, for pages whose route passes no clock. */
export function civilToday(now: Date = new Date()): string {
  return formatCivilDate(civilDayAt(now));
}

const STEP_SIGNAL = {
  green: { cls: 'badge ok', zh: '正常', en: 'On time' },
  yellow: { cls: 'badge warn', zh: '临近期限', en: 'Due soon' },
  red: { cls: 'badge bad', zh: '环节超期', en: 'Step overdue' },
  paused: { cls: 'badge', zh: '暂停计时', en: 'Paused' },
} as const;

/**
 * 环节期限: the current step's due date with its colour (yellow at ≤ 1 WD left or ≥ 80 % of the
 * step consumed, red the day after due; DOMAIN.md §5 “same for nodes”); “—” without a step limit.
 */
export function stepDeadlineCell(page: PageContext, c: Pick<CaseRecord, 'state' | 'step_due_on' | 'step_yellow_from' | 'clock_paused_since'>, today: string): SafeHtml {
  const s = stepSignal(c, today);
  if (s === 'none') return html`—`;
  const v = STEP_SIGNAL[s];
  return html`${civil(c.step_due_on)} <span class="${v.cls}" data-step-signal="${s}">${t(page, v.zh, v.en)}</span>`;
}
