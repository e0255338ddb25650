import { formatCivilDate, parseCivilDate } from '../../../platform/calendar/index.ts';
import { formatDateTime } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CaseEventRow, CaseMaterialRow, CaseRecord } from '../case.repository.ts';
import { APPLICANT_STATUS_LABEL, applicantResult, applicantStatus } from '../domain/applicant-status.ts';
import type { Signal } from '../domain/case-clocks.ts';
import { EVENT_LABEL, RESULT_LABEL, STATE_LABEL, type CaseEvent } from '../domain/state-machine.ts';

const SIGNAL: Record<Signal, { zh: string; en: string; cls: string }> = {
  none: { zh: '—', en: '—', cls: 'badge' },
  green: { zh: '正常', en: 'On time', cls: 'badge ok' },
  yellow: { zh: '黄牌预警', en: 'Yellow', cls: 'badge warn' },
  red: { zh: '红牌超期', en: 'Red: overdue', cls: 'badge bad' },
  paused: { zh: '暂停计时', en: 'Paused', cls: 'badge' },
};

export function signalBadge(page: PageContext, s: Signal): SafeHtml {
  const v = SIGNAL[s];
  return html`<span class="${v.cls}">${t(page, v.zh, v.en)}</span>`;
}

export function stateBadge(page: PageContext, c: CaseRecord): SafeHtml {
  const label = c.state === 'CLOSED' && c.result_code !== null ? `${STATE_LABEL.CLOSED}（${RESULT_LABEL[c.result_code]}）` : STATE_LABEL[c.state];
  return html`<span class="badge">${label}</span>`;
}

export function applicantBadge(page: PageContext, c: CaseRecord): SafeHtml {
  const s = APPLICANT_STATUS_LABEL[applicantStatus(c.state, c.result_code)];
  const result = c.state === 'CLOSED' ? applicantResult(c.result_code) : null;
  return html`<span class="badge${s.zh === '需补正' ? ' warn' : ''}">${t(page, s.zh, s.en)}${result && s.zh === '已办结' ? `（${result}）` : ''}</span>`;
}

export function civil(d: string | null): string {
  return d ? formatCivilDate(parseCivilDate(d)) : '';
}

/** The timeline; applicants never see officers' names (DOMAIN.md §3.7: no personal data of officers). */
export function timeline(page: PageContext, events: CaseEventRow[], opts: { forApplicant: boolean }): SafeHtml {
  if (events.length === 0) return html`<p class="empty">${t(page, '暂无办理记录。', 'No steps yet.')}</p>`;
  return html`<ol class="card timeline">${events.map(
    (e) => html`<li><strong>${EVENT_LABEL[e.event as CaseEvent] ?? e.event}</strong>${e.node_name ? html` <span class="muted">（${e.node_name}）</span>` : ''}
  <span class="muted"> ${formatDateTime(e.at)}${opts.forApplicant ? '' : ` · ${e.actor_label}`}</span>
  ${e.opinion && (!opts.forApplicant || APPLICANT_VISIBLE_OPINION.has(e.event)) ? html`<div class="opinion">${e.opinion.split('\n').map((line) => html`${line}<br>`)}</div>` : ''}</li>`,
  )}</ol>`;
}

const APPLICANT_VISIBLE_OPINION = new Set(['requestCorrection', 'refuseAcceptance', 'refuse', 'forward', 'extend', 'startSpecial', 'endSpecial', 'withdraw', 'void', 'delete', 'abandon']);

export function materialTable(page: PageContext, rows: CaseMaterialRow[], linkFor: (m: CaseMaterialRow) => string): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${t(page, '未提交材料。', 'No materials.')}</p>`;
  return html`<table><caption class="visually-hidden">${t(page, '申请材料', 'Materials')}</caption>
<thead><tr><th scope="col">${t(page, '材料名称', 'Material')}</th><th scope="col">${t(page, '文件', 'File')}</th><th scope="col">${t(page, '提交时间', 'Submitted')}</th></tr></thead>
<tbody>${rows.map((m) => html`<tr><td>${m.material_name}${m.round > 0 ? html` <span class="badge">${t(page, '补正', 'Correction')}</span>` : ''}</td><td><a href="${linkFor(m)}">${m.file_name || t(page, '查看', 'View')}</a></td><td>${formatDateTime(m.added_at)}</td></tr>`)}</tbody></table>`;
}
