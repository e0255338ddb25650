import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, formatDeadline, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { DispatchSuggestion } from '../classifier/dispatch-advisor.ts';
import { COLOUR_LABEL, URGENCY_LABEL, type DeadlineColour } from '../deadlines.ts';
import type { KbMatch } from '../kb-match.ts';
import type { KbEntry } from '../kb.repository.ts';
import { colourOf, reporterForStaff } from '../presenters.ts';
import { deadlineLabel, REMINDER_EVENT_LABEL } from '../reminders.ts';
import type { CategoryRow, TicketEventRow, TicketRow } from '../ticket.repository.ts';
import {
  APPEAL_TYPE_LABEL,
  EMERGENCY_LINES,
  EVENT_LABEL,
  HOTLINE_STATES,
  OUTCOME_LABEL,
  PETITION_STATES,
  SATISFACTION_LABEL,
  STATE_LABEL,
  type TicketEvent,
} from '../ticket-machine.ts';
import { appealFields, type AppealFormOptions } from './appeal-pages.ts';
import { categoryOptions, field, FIELD_LABELS, paragraphs, select } from './shared.ts';

const COLOUR_BADGE: Record<DeadlineColour, string> = { green: 'badge ok', yellow: 'badge warn', red: 'badge bad', none: 'badge' };
const crumbs = (page: PageContext, last?: { label: string; href?: string }) => [
  { label: t(page, '工作台', 'Workbench'), href: '/workbench' },
  { label: t(page, '诉求工单', 'Appeals'), href: '/workbench/appeals' },
  ...(last ? [last] : []),
];

export function inboxPage(
  page: PageContext,
  rows: TicketRow[],
  p: { page: number; pageSize: number; total: number; state?: string | undefined; colour?: string | undefined; q?: string | undefined; canIntake: boolean; canKb: boolean },
): SafeHtml {
  const now = new Date();
  return workbenchPage(page, {
    title: t(page, '诉求工单', 'Appeals'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '诉求工单', 'Appeals') }],
    body: html`<h1>${t(page, '诉求工单', 'Appeals')}</h1>
<p>${p.canIntake ? html`<a class="button" href="/workbench/appeals/new-call">${t(page, '登记来电', 'Record a call')}</a> ` : ''}${p.canKb ? html`<a class="button secondary" href="/workbench/appeals/kb">${t(page, '知识库', 'Knowledge base')}</a>` : ''}</p>
<form method="get" action="/workbench/appeals" class="filters">
  <div class="field"><label for="f-state">${t(page, '状态', 'State')}</label>
  <select id="f-state" name="state"><option value="">${t(page, '全部', 'All')}</option>${[...new Set([...HOTLINE_STATES, ...PETITION_STATES])].map((s) => html`<option value="${s}"${s === p.state ? html` selected` : ''}>${STATE_LABEL[s]}</option>`)}</select></div>
  <div class="field"><label for="f-colour">${t(page, '时限', 'Deadline')}</label>
  <select id="f-colour" name="colour"><option value="">${t(page, '全部', 'All')}</option><option value="yellow"${p.colour === 'yellow' ? html` selected` : ''}>${t(page, '临期（黄）', 'Due soon')}</option><option value="red"${p.colour === 'red' ? html` selected` : ''}>${t(page, '超期（红）', 'Overdue')}</option></select></div>
  <div class="field"><label for="f-q">${t(page, '标题或编号', 'Title or number')}</label><input id="f-q" name="q" value="${p.q ?? ''}"></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>
${rows.length === 0
  ? html`<p class="empty">${p.state || p.colour || p.q ? t(page, '没有符合条件的工单。', 'No tickets match.') : t(page, '暂无待办工单。', 'No tickets to handle.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '工单列表', 'Tickets')}</caption>
<thead><tr><th scope="col">${t(page, '编号', 'Number')}</th><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '类型', 'Type')}</th><th scope="col">${t(page, '状态', 'State')}</th><th scope="col">${t(page, '承办单位', 'Lead unit')}</th><th scope="col">${t(page, '时限', 'Due')}</th></tr></thead>
<tbody>${rows.map((r) => {
      const c = colourOf(r, now);
      return html`<tr><td><a href="/workbench/appeals/${r.id}">${r.number}</a></td><td>${r.title}${r.flaggedWords.length ? html` <span class="badge bad">${t(page, '含不文明用语', 'Flagged')}</span>` : ''}${r.supervised ? html` <span class="badge warn">${t(page, '督办', 'Supervised')}</span>` : ''}</td><td>${APPEAL_TYPE_LABEL[r.type]}</td><td>${STATE_LABEL[r.state]}</td><td>${r.leadOrgName ?? '—'}</td><td><span class="${COLOUR_BADGE[c]}">${COLOUR_LABEL[c]}</span> ${formatDeadline(r.dueAt)}</td></tr>`;
    })}</tbody></table>
${pager({ path: '/workbench/appeals', query: { state: p.state, colour: p.colour, q: p.q }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export interface DetailOptions {
  ticket: TicketRow;
  events: TicketEventRow[];
  actions: TicketEvent[];
  suggestion: DispatchSuggestion | null;
  organisations: { id: string; name: string }[];
  categories: CategoryRow[];
  templates: { id: number; name: string; body: string }[];
  kbQuery: string;
  kbHits: KbMatch[];
  attachments: { id: string; name: string }[];
  reveal: boolean;
  errors: FieldError[];
  values: Record<string, string>;
  failedEvent?: TicketEvent | undefined;
}

function actionForm(page: PageContext, o: DetailOptions, event: TicketEvent): SafeHtml {
  const tk = o.ticket;
  const errors = o.failedEvent === event ? o.errors : [];
  const val = (k: string) => (o.failedEvent === event ? (o.values[k] ?? '') : '');
  const orgOptions = o.organisations.map((x) => ({ value: x.id, label: x.name }));
  const id = (name: string) => `${event}-${name}`;
  let fields: SafeHtml = html``;
  switch (event) {
    case 'dispatch':
    case 'reassign':
    case 'uphold_return':
    case 'assign': {
      const suggested = event === 'dispatch' || event === 'assign' ? (o.suggestion?.unit?.organisationId ?? '') : '';
      // Co-handlers the catalogue rule names are preselected (the dispatcher may change them).
      const suggestedCo = event === 'dispatch' && !val('leadOrgId') ? (o.suggestion?.unit?.coOrganisations ?? []).map((c) => c.id) : [];
      fields = html`${select({ id: `${event}-leadOrgId`, name: 'leadOrgId', label: `${t(page, '主办单位', 'Lead unit')}（${EVENT_LABEL[event]}）`, options: orgOptions, value: val('leadOrgId') || suggested, errors, required: true, empty: t(page, '请选择', 'Choose') })}
      ${event === 'dispatch' ? select({ id: `${event}-categoryCode`, name: 'categoryCode', label: t(page, '诉求分类', 'Category'), options: categoryOptions(o.categories), value: val('categoryCode') || o.suggestion?.unit?.categoryCode || tk.categoryCode || '', errors, empty: t(page, '不变', 'Unchanged') }) : ''}
      ${event === 'dispatch' ? html`<div class="field"><label for="${id('co')}">${t(page, '协办单位（可多选）', 'Co-handling units')}</label><select id="${id('co')}" name="coOrgIds" multiple size="4">${orgOptions.map((x) => html`<option value="${x.value}"${suggestedCo.includes(x.value) ? html` selected` : ''}>${x.label}</option>`)}</select></div>` : ''}`;
      break;
    }
    case 'return':
    case 'reject_return':
    case 'reject_reply':
    case 'reject_extension':
    case 'not_accept':
    case 'redirect':
    case 'route_notice':
      fields = field({ form: event, name: 'reason', label: `${t(page, '理由', 'Reason')}（${EVENT_LABEL[event]}）`, value: val('reason'), required: true, rows: 3, errors });
      break;
    case 'request_extension':
      fields = html`${field({ form: event, name: 'extensionDays', label: t(page, '延期天数', 'Days'), type: 'number', value: val('extensionDays'), required: true, errors })}
      ${field({ form: event, name: 'reason', label: t(page, '延期理由', 'Reason'), value: val('reason'), required: true, rows: 3, errors })}`;
      break;
    case 'reply':
    case 'interim_reply':
    case 'answer':
    case 'review_opinion':
    case 'recheck_opinion':
      fields = html`${['answer', 'review_opinion', 'recheck_opinion'].includes(event) ? select({ id: `${event}-outcome`, name: 'outcome', label: t(page, '处理结果', 'Outcome'), options: Object.entries(OUTCOME_LABEL).map(([value, label]) => ({ value, label })), value: val('outcome'), errors, empty: t(page, '请选择', 'Choose') }) : ''}
      ${field({ form: event, name: 'note', label: `${EVENT_LABEL[event]}${t(page, '内容', '')}`, value: val('note'), required: true, rows: 5, errors })}`;
      break;
    case 'callback':
      fields = html`${select({ id: `${event}-satisfaction`, name: 'satisfaction', label: t(page, '回访满意度', 'Satisfaction'), options: Object.entries(SATISFACTION_LABEL).map(([value, label]) => ({ value, label })), value: val('satisfaction'), errors, empty: t(page, '请选择', 'Choose') })}
      <div class="field"><input type="checkbox" id="${id('rehandle')}" name="rehandle"> <label for="${id('rehandle')}">${t(page, '不满意且诉求合理，退回重办', 'Unsatisfied and reasonable: handle again')}</label></div>
      ${field({ form: event, name: 'note', label: t(page, '回访记录', 'Notes'), value: val('note'), rows: 2, errors })}`;
      break;
    case 'transfer_emergency':
      fields = select({ id: `${event}-emergencyLine`, name: 'emergencyLine', label: t(page, '转至', 'Transfer to'), options: EMERGENCY_LINES.map((x) => ({ value: x, label: x })), value: val('emergencyLine'), errors, empty: t(page, '请选择', 'Choose') });
      break;
    case 'merge':
      fields = field({ form: event, name: 'mergeIntoNumber', label: t(page, '合并到工单编号', 'Merge into ticket number'), value: val('mergeIntoNumber') || (o.suggestion?.duplicates[0]?.number ?? ''), required: true, errors });
      break;
    default:
      break;
  }
  const danger = ['return', 'transfer_emergency', 'not_accept', 'reject_return', 'reject_reply', 'reject_extension'].includes(event);
  return html`<form method="post" action="/workbench/appeals/${tk.id}/events/${event}" class="card stack action-form" id="action-${event}" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${tk.version}">
  ${o.failedEvent === event ? errorSummary(errors.map((e) => ({ ...e, field: `${event}-${e.field}` })), Object.fromEntries(Object.entries(FIELD_LABELS).map(([k, l]) => [`${event}-${k}`, l]))) : ''}
  ${fields}
  <button type="submit"${danger ? html` class="danger"` : ''}>${EVENT_LABEL[event]}</button>
</form>`;
}

export function detailPage(page: PageContext, o: DetailOptions): SafeHtml {
  const tk = o.ticket;
  const who = reporterForStaff(tk, o.reveal);
  const c = colourOf(tk);
  const s = o.suggestion;
  return workbenchPage(page, {
    title: `${tk.number} ${tk.title}`,
    crumbs: crumbs(page, { label: tk.number }),
    body: html`<h1>${tk.title}</h1>
<p><span class="badge">${STATE_LABEL[tk.state]}</span> <span class="${COLOUR_BADGE[c]}">${COLOUR_LABEL[c]}</span>${tk.supervised ? html` <span class="badge warn">${t(page, '督办', 'Supervised')}</span>` : ''}${tk.flaggedWords.length ? html` <span class="badge bad">${t(page, '含不文明用语：', 'Flagged: ')}${tk.flaggedWords.join('、')}</span>` : ''}</p>
<section class="card">
<dl class="facts">
  <dt>${t(page, '编号', 'Number')}</dt><dd>${tk.number}</dd>
  <dt>${t(page, '类型', 'Type')}</dt><dd>${APPEAL_TYPE_LABEL[tk.type]} · ${tk.channel === 'hotline' ? '热线' : tk.channel === 'web' ? '网站' : '接口'} · ${URGENCY_LABEL[tk.urgency]}</dd>
  <dt>${t(page, '事发地', 'Where')}</dt><dd>${tk.divisionCode} ${tk.address}${tk.lon !== null ? html`（${tk.lon}, ${tk.lat}）` : ''}</dd>
  <dt>${t(page, '诉求人', 'Reporter')}</dt><dd id="reporter">${who.name} · ${who.phone}${who.callerNumber ? html` · ${t(page, '来电', 'Caller')} ${who.callerNumber}` : ''}
  ${!tk.anonymous && !o.reveal ? html`<form method="post" action="/workbench/appeals/${tk.id}/reveal" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">${t(page, '查看完整联系方式（将记录审计）', 'Show in full (audited)')}</button></form>` : ''}</dd>
  <dt>${t(page, '承办单位', 'Lead unit')}</dt><dd>${tk.leadOrgName ?? '—'}${tk.coOrgNames.length ? html`；${t(page, '协办：', 'co-handling: ')}${tk.coOrgNames.join('、')}` : ''}</dd>
  <dt id="deadline-label">${t(page, deadlineLabel(tk.state), 'Due')}</dt><dd>${formatDeadline(tk.dueAt) || '—'}${tk.extensionPending !== null ? html`（${t(page, `申请延期 ${tk.extensionPending} 天，待审批`, `extension of ${tk.extensionPending} days pending`)}）` : ''}</dd>
  <dt>${t(page, '登记时间', 'Registered')}</dt><dd>${formatDateTime(tk.createdAt)}</dd>
</dl>
${paragraphs(tk.description)}
${o.attachments.length ? html`<h2>${t(page, '附件', 'Attachments')}</h2><ul>${o.attachments.map((a) => html`<li><a href="/workbench/appeals/${tk.id}/attachments/${a.id}">${a.name}</a></li>`)}</ul>` : ''}
${tk.finalReply ? html`<h2>${t(page, '答复', 'Reply')}</h2>${paragraphs(tk.finalReply)}` : ''}
</section>
${s
  ? html`<section class="card" id="suggestions"><h2>${t(page, '派单建议', 'Dispatch suggestion')}</h2>
<p>${s.unit ? html`${t(page, '建议主办单位：', 'Suggested lead unit: ')}<strong id="suggested-unit">${s.unit.organisationName}</strong>（${s.unit.basis === 'catalogue' ? t(page, '按派单目录', 'dispatch catalogue') : t(page, '按文本分类', 'text classifier')}）` : t(page, '派单目录中没有对应单位，请人工选择。', 'No unit in the catalogue; choose one.')}</p>
${s.categories.length ? html`<p class="muted">${t(page, '分类判断：', 'Categories: ')}${s.categories.map((x) => `${o.categories.find((k) => k.code === x.label)?.name ?? x.label} ${Math.round(x.p * 100)}%`).join('；')}</p>` : ''}
${s.duplicates.length ? html`<p class="error">${t(page, '疑似重复工单：', 'Probable duplicates: ')}${s.duplicates.map((d) => `${d.number}（${Math.round(d.score * 100)}%）`).join('、')}</p>` : ''}
${s.similar.length ? html`<p>${t(page, '相似的历史工单：', 'Similar earlier tickets: ')}${s.similar.map((d) => `${d.number}（${Math.round(d.score * 100)}%）`).join('、')}</p>` : ''}
</section>`
  : ''}
<section><h2>${t(page, '可执行的操作', 'Actions')}</h2>
${o.actions.length === 0 ? html`<p class="empty">${t(page, '当前状态下您没有可执行的操作。', 'No action available to you in this state.')}</p>` : o.actions.map((e) => actionForm(page, o, e))}
</section>
${o.actions.some((e) => ['reply', 'interim_reply', 'answer'].includes(e))
  ? html`<section class="card"><h2>${t(page, '答复模板', 'Reply templates')}</h2>${o.templates.map((x) => html`<details><summary>${x.name}</summary><pre>${x.body}</pre></details>`)}</section>`
  : ''}
<section class="card"><h2>${t(page, '知识库查询', 'Knowledge base')}</h2>
<form method="get" action="/workbench/appeals/${tk.id}" class="filters"><div class="field"><label for="f-kbq">${t(page, '关键词', 'Keywords')}</label><input id="f-kbq" name="kbq" value="${o.kbQuery}"></div><button type="submit" class="secondary">${t(page, '查询', 'Search')}</button></form>
${o.kbQuery && o.kbHits.length === 0 ? html`<p class="empty">${t(page, '知识库中没有匹配的条目。', 'No matching entries.')}</p>` : o.kbHits.map((h) => html`<details><summary>${h.entry.question}</summary>${paragraphs(h.entry.answer)}</details>`)}
</section>
<section class="card"><h2>${t(page, '办理记录', 'History')}</h2>
<ol class="history">${o.events.map((e) => html`<li><span class="muted">${formatDateTime(e.at)}</span> ${e.event === 'register' ? '登记' : (EVENT_LABEL[e.event as TicketEvent] ?? REMINDER_EVENT_LABEL[e.event] ?? e.event)} · ${e.actorName}${e.organisationName ? html`（${e.organisationName}）` : ''} → ${STATE_LABEL[e.toState as keyof typeof STATE_LABEL] ?? e.toState}${e.note ? html`：${e.note}` : ''}</li>`)}</ol>
</section>`,
  });
}

export function callFormPage(page: PageContext, o: AppealFormOptions): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '登记来电', 'Record a call'),
    crumbs: crumbs(page, { label: t(page, '登记来电', 'Record a call') }),
    body: html`<h1>${t(page, '登记来电', 'Record a call')}</h1>
${errorSummary(o.errors, FIELD_LABELS)}
<form method="post" action="/workbench/appeals/new-call" class="stack" novalidate>
  ${csrfField(page)}
  ${appealFields(page, { ...o, operator: true, canAttach: false })}
  <button type="submit">${t(page, '登记', 'Record')}</button>
</form>`,
  });
}

export function kbListPage(page: PageContext, rows: KbEntry[], p: { page: number; pageSize: number; total: number; canEdit: boolean }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '热线知识库', 'Knowledge base'),
    crumbs: crumbs(page, { label: t(page, '知识库', 'Knowledge base') }),
    body: html`<h1>${t(page, '热线知识库', 'Knowledge base')}</h1>
${p.canEdit ? html`<p><a class="button" href="/workbench/appeals/kb/new">${t(page, '新增条目', 'New entry')}</a></p>` : ''}
${rows.length === 0
  ? html`<p class="empty">${t(page, '知识库还没有条目。', 'No entries yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '知识条目', 'Entries')}</caption><thead><tr><th scope="col">${t(page, '问题', 'Question')}</th><th scope="col">${t(page, '关键词', 'Keywords')}</th><th scope="col">${t(page, '状态', 'Status')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${p.canEdit ? html`<a href="/workbench/appeals/kb/${r.id}">${r.question}</a>` : r.question}</td><td>${r.keywords.join('、')}</td><td>${r.published ? t(page, '已发布', 'Published') : t(page, '草稿', 'Draft')}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/appeals/kb', query: {}, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export function kbFormPage(page: PageContext, o: { entry?: KbEntry; values: Record<string, unknown>; errors: FieldError[]; categories: CategoryRow[] }): SafeHtml {
  const v = (k: string) => {
    const x = o.values[k];
    return Array.isArray(x) ? x.join('，') : typeof x === 'string' ? x : '';
  };
  return workbenchPage(page, {
    title: o.entry ? t(page, '修改知识条目', 'Edit entry') : t(page, '新增知识条目', 'New entry'),
    crumbs: crumbs(page, { label: t(page, '知识库', 'Knowledge base'), href: '/workbench/appeals/kb' }),
    body: html`<h1>${o.entry ? t(page, '修改知识条目', 'Edit entry') : t(page, '新增知识条目', 'New entry')}</h1>
${errorSummary(o.errors, FIELD_LABELS)}
<form method="post" action="${o.entry ? `/workbench/appeals/kb/${o.entry.id}` : '/workbench/appeals/kb'}" class="stack" novalidate>
  ${csrfField(page)}${o.entry ? html`<input type="hidden" name="version" value="${o.entry.version}">` : ''}
  ${textField({ name: 'question', label: t(page, '问题', 'Question'), value: v('question'), required: true, maxLength: 200, errors: o.errors })}
  ${textArea({ name: 'answer', label: t(page, '答案', 'Answer'), value: v('answer'), required: true, rows: 6, errors: o.errors })}
  ${select({ name: 'categoryCode', label: t(page, '诉求分类', 'Category'), options: categoryOptions(o.categories), value: v('categoryCode'), errors: o.errors, empty: t(page, '不限', 'Any') })}
  ${textField({ name: 'keywords', label: t(page, '关键词（用逗号分隔）', 'Keywords (comma separated)'), value: v('keywords'), errors: o.errors })}
  <div class="field"><input type="checkbox" id="f-published" name="published"${o.values.published === true || o.values.published === 'on' ? html` checked` : ''}> <label for="f-published">${t(page, '发布（用于即时答复和站内搜索）', 'Published')}</label></div>
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`,
  });
}
