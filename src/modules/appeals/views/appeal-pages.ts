import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, formatDeadline, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { URGENCY_LABEL } from '../deadlines.ts';
import type { KbEntry } from '../kb.repository.ts';
import type { CategoryRow, TicketEventRow, TicketRow } from '../ticket.repository.ts';
import { APPEAL_TYPE_LABEL, APPEAL_TYPES, EVENT_LABEL, SATISFACTION_LABEL, STATE_LABEL } from '../ticket-machine.ts';
import { categoryOptions, FIELD_LABELS, paragraphs, select, type DivisionOption } from './shared.ts';

export interface AppealFormOptions {
  values: Record<string, unknown>;
  errors: FieldError[];
  categories: CategoryRow[];
  divisions: DivisionOption[];
  idempotencyKey: string;
  /** The hotline operator's screen (caller number, urgency, petitions) instead of the citizen's page. */
  operator?: boolean;
  /** Signed-in citizens may attach photos or PDFs (multipart form). */
  canAttach?: boolean;
}

const v = (values: Record<string, unknown>, k: string): string => (typeof values[k] === 'string' ? (values[k]) : '');

export function appealFields(page: PageContext, o: AppealFormOptions): SafeHtml {
  const types = APPEAL_TYPES.filter((x) => o.operator || x !== 'petition' || page.actor.kind === 'citizen');
  return html`
  ${select({ name: 'type', label: t(page, '诉求类型', 'Type'), options: types.map((x) => ({ value: x, label: APPEAL_TYPE_LABEL[x] })), value: v(o.values, 'type') || 'complaint', errors: o.errors, required: true })}
  ${textField({ name: 'title', label: t(page, '标题', 'Title'), value: v(o.values, 'title'), required: true, maxLength: 60, hint: t(page, '一句话概括，4–60 个字', 'One line, 4–60 characters'), errors: o.errors })}
  ${textArea({ name: 'description', label: t(page, '诉求内容', 'Details'), value: v(o.values, 'description'), required: true, maxLength: 3000, rows: 8, hint: t(page, '写清时间、地点、经过和您的诉求，10–3000 个字', 'When, where, what happened and what you ask for; 10–3000 characters'), errors: o.errors })}
  ${select({ name: 'categoryCode', label: t(page, '诉求分类（不清楚可不选）', 'Category (optional)'), options: categoryOptions(o.categories), value: v(o.values, 'categoryCode'), errors: o.errors, empty: t(page, '不清楚，由热线分类', 'Not sure') })}
  ${select({ name: 'divisionCode', label: t(page, '事发地（区县）', 'Where (county)'), options: o.divisions.map((d) => ({ value: d.code, label: d.name, group: d.group })), value: v(o.values, 'divisionCode'), errors: o.errors, required: true, empty: t(page, '请选择', 'Choose') })}
  ${textField({ name: 'address', label: t(page, '详细地址', 'Address'), value: v(o.values, 'address'), maxLength: 200, errors: o.errors })}
  <fieldset class="field"><legend>${t(page, '经纬度（可选，湖北省内）', 'Coordinates (optional, within Hubei)')}</legend>
    ${textField({ name: 'lon', label: t(page, '经度', 'Longitude'), value: v(o.values, 'lon'), errors: o.errors })}
    ${textField({ name: 'lat', label: t(page, '纬度', 'Latitude'), value: v(o.values, 'lat'), errors: o.errors })}
  </fieldset>
  ${o.operator ? html`${textField({ name: 'callerNumber', label: t(page, '来电号码', 'Caller number'), type: 'tel', value: v(o.values, 'callerNumber'), required: true, errors: o.errors })}
  ${select({ name: 'urgency', label: t(page, '紧急程度', 'Urgency'), options: Object.entries(URGENCY_LABEL).map(([value, label]) => ({ value, label })), value: v(o.values, 'urgency') || 'normal', errors: o.errors })}` : ''}
  ${textField({ name: 'contactName', label: t(page, '联系人', 'Contact name'), value: v(o.values, 'contactName'), maxLength: 30, errors: o.errors, hint: t(page, '匿名举报可不填', 'Not needed for an anonymous report') })}
  ${textField({ name: 'contactPhone', label: t(page, '联系电话', 'Phone'), type: 'tel', value: v(o.values, 'contactPhone'), autocomplete: 'tel', errors: o.errors })}
  <div class="field"><input type="checkbox" id="f-anonymous" name="anonymous"${o.values.anonymous ? html` checked` : ''}> <label for="f-anonymous">${t(page, '匿名举报（仅限举报，承办单位和公开页面都看不到您的身份）', 'Report anonymously (reports only)')}</label></div>
  <div class="field"><input type="checkbox" id="f-consentPublish" name="consentPublish"${o.values.consentPublish ? html` checked` : ''}> <label for="f-consentPublish">${t(page, '同意办结后公开诉求和答复（不公开个人信息）', 'Publish the appeal and reply once closed (no personal data)')}</label></div>
  ${o.canAttach ? html`<div class="field"><label for="f-photo">${t(page, '照片或 PDF（可选，最多 5 个）', 'Photos or PDF (optional, up to 5)')}</label><input type="file" id="f-photo" name="photo" accept="image/jpeg,image/png,image/webp,application/pdf" multiple></div>` : ''}
  <input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">`;
}

export function appealFormPage(page: PageContext, o: AppealFormOptions): SafeHtml {
  const action = o.canAttach ? `/appeals/new?_csrf=${encodeURIComponent(page.csrfToken)}` : '/appeals/new';
  return portalPage(page, {
    title: t(page, '我要写信（12345 网上诉求）', 'Submit an appeal (12345)'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我要写信', 'Submit an appeal') }],
    body: html`<h1>${t(page, '我要写信', 'Submit an appeal')}</h1>
<p>${t(page, '咨询、求助、投诉、举报、建议、表扬，一张表提交。提交后会得到工单编号和查询码。紧急情况请直接拨打 110、119、120 或 122。', 'One form for all appeals. Emergencies: call 110, 119, 120 or 122.')}</p>
${errorSummary(o.errors, FIELD_LABELS)}
<form method="post" action="${action}" class="stack" novalidate${o.canAttach ? html` enctype="multipart/form-data"` : ''}>
  ${csrfField(page)}
  ${appealFields(page, o)}
  <button type="submit">${t(page, '提交', 'Submit')}</button>
</form>
<p><a href="/appeals/track">${t(page, '查询已提交的诉求', 'Follow an appeal')}</a></p>`,
  });
}

export function trackLookupPage(page: PageContext, o: { number?: string; code?: string; notFound?: boolean }): SafeHtml {
  const errors: FieldError[] = o.notFound ? [{ field: 'number', message: '工单编号或查询码不正确' }] : [];
  return portalPage(page, {
    title: t(page, '诉求查询', 'Follow an appeal'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '诉求查询', 'Follow an appeal') }],
    body: html`<h1>${t(page, '诉求查询', 'Follow an appeal')}</h1>
${errorSummary(errors, { number: '工单编号' })}
<form method="get" action="/appeals/track" class="stack">
  ${textField({ name: 'number', label: t(page, '工单编号', 'Ticket number'), value: o.number ?? '', required: true, errors })}
  ${textField({ name: 'code', label: t(page, '查询码', 'Query code'), value: o.code ?? '', required: true, errors: [] })}
  <button type="submit">${t(page, '查询', 'Look up')}</button>
</form>`,
  });
}

export function trackPage(page: PageContext, ticket: TicketRow, events: TicketEventRow[], o: { justSubmitted?: boolean; errors?: FieldError[] } = {}): SafeHtml {
  const errors = o.errors ?? [];
  const rate = ticket.state === 'REPLIED';
  return portalPage(page, {
    title: t(page, `诉求 ${ticket.number}`, `Appeal ${ticket.number}`),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '诉求查询', 'Follow an appeal'), href: '/appeals/track' }, { label: ticket.number }],
    body: html`${o.justSubmitted
      ? html`<div class="card" role="status"><h1>${t(page, '已收到您的诉求', 'We have received your appeal')}</h1>
<p>${t(page, '工单编号', 'Ticket number')}：<strong id="ticket-number">${ticket.number}</strong>，${t(page, '查询码', 'Query code')}：<strong id="query-code">${ticket.queryCode}</strong></p>
<p class="muted">${t(page, '请记下编号和查询码，凭它们查询办理进度。', 'Keep the number and code to follow your appeal.')}</p></div>`
      : html`<h1>${t(page, '诉求办理进度', 'Progress')}</h1>`}
<section class="card">
  <h2>${ticket.title}</h2>
  <p>${t(page, '编号', 'Number')} ${ticket.number} · ${APPEAL_TYPE_LABEL[ticket.type]} · ${t(page, '状态', 'Status')}：<strong class="ticket-state">${STATE_LABEL[ticket.state]}</strong>${ticket.leadOrgName ? html` · ${t(page, '承办单位', 'Handled by')}：${ticket.leadOrgName}` : ''}</p>
  ${ticket.finalReply ? html`<h3>${t(page, '答复', 'Reply')}</h3>${paragraphs(ticket.finalReply)}` : ''}
</section>
<section class="card"><h2>${t(page, '办理记录', 'History')}</h2>
<ol class="history">${events.map((e) => html`<li><span class="muted">${formatDateTime(e.at)}</span> ${e.event === 'register' ? '登记' : EVENT_LABEL[e.event as keyof typeof EVENT_LABEL] ?? e.event}${e.organisationName ? html`（${e.organisationName}）` : ''}${e.note && e.event !== 'register' ? html`：${e.note}` : ''}</li>`)}</ol></section>
${rate
  ? html`<section class="card"><h2>${t(page, '评价办理结果', 'Rate the reply')}</h2>
${errorSummary(errors, FIELD_LABELS)}
<form method="post" action="/appeals/track/${ticket.number}/rate" class="stack">
  ${csrfField(page)}<input type="hidden" name="code" value="${ticket.queryCode}"><input type="hidden" name="version" value="${ticket.version}">
  <fieldset class="field"><legend>${t(page, '您对办理结果是否满意？', 'Are you satisfied?')}</legend>
  ${Object.entries(SATISFACTION_LABEL).map(([value, label]) => html`<div><input type="radio" id="sat-${value}" name="satisfaction" value="${value}"> <label for="sat-${value}">${label}</label></div>`)}
  </fieldset>
  ${textArea({ name: 'note', label: t(page, '意见（可选）', 'Comment (optional)'), value: '', rows: 3, errors })}
  <button type="submit">${t(page, '提交评价', 'Submit')}</button>
</form></section>`
  : ''}
${ticket.track === 'petition' && (ticket.state === 'ANSWERED' || ticket.state === 'REVIEWED')
  ? html`<section class="card"><h2>${ticket.state === 'ANSWERED' ? t(page, '申请复查', 'Ask for a review') : t(page, '申请复核', 'Ask for a re-review')}</h2>
<p>${t(page, '对处理意见不服的，可在收到书面答复之日起 30 日内提出。', 'Within 30 days of the written reply.')}${ticket.dueAt ? html`${t(page, '截止：', ' Until ')}${formatDeadline(ticket.dueAt)}` : ''}</p>
<form method="post" action="/appeals/track/${ticket.number}/${ticket.state === 'ANSWERED' ? 'review' : 'recheck'}" class="stack">
  ${csrfField(page)}<input type="hidden" name="code" value="${ticket.queryCode}"><input type="hidden" name="version" value="${ticket.version}">
  ${textArea({ name: 'note', label: t(page, '理由', 'Reasons'), value: '', rows: 3, errors: [] })}
  <button type="submit">${ticket.state === 'ANSWERED' ? t(page, '申请复查', 'Ask for a review') : t(page, '申请复核', 'Ask for a re-review')}</button>
</form></section>`
  : ''}`,
  });
}

export function myAppealsPage(page: PageContext, rows: TicketRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '我的诉求', 'My appeals'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的诉求', 'My appeals') }],
    body: html`<h1>${t(page, '我的诉求', 'My appeals')}</h1>
<p><a class="button" href="/appeals/new">${t(page, '我要写信', 'Submit an appeal')}</a></p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '您还没有提交过诉求。', 'You have not submitted any appeal yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '我的诉求', 'My appeals')}</caption><thead><tr><th scope="col">${t(page, '编号', 'Number')}</th><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '提交时间', 'Submitted')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/appeals/track?number=${r.number}&amp;code=${r.queryCode}">${r.number}</a></td><td>${r.title}</td><td>${STATE_LABEL[r.state]}</td><td>${formatDateTime(r.createdAt)}</td></tr>`)}</tbody></table>
${pager({ path: '/appeals/mine', query: {}, ...p })}`}`,
  });
}

export function publicListPage(page: PageContext, rows: TicketRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '来信选登', 'Published appeals'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '来信选登', 'Published appeals') }],
    body: html`<h1>${t(page, '来信选登', 'Published appeals')}</h1>
<p><a class="button" href="/appeals/new">${t(page, '我要写信', 'Submit an appeal')}</a></p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '暂无公开的来信。', 'Nothing published yet.')}</p>`
  : html`<ul class="card">${rows.map((r) => html`<li><a href="/appeals/public/${r.id}">${r.title}</a> <span class="muted">${APPEAL_TYPE_LABEL[r.type]} · ${r.leadOrgName ?? ''} · ${formatDateTime(r.closedAt)}</span></li>`)}</ul>
${pager({ path: '/appeals/public', query: {}, ...p })}`}`,
  });
}

export function publicDetailPage(page: PageContext, r: TicketRow): SafeHtml {
  return portalPage(page, {
    title: r.title,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '来信选登', 'Published appeals'), href: '/appeals/public' }, { label: r.title }],
    body: html`<article class="card"><h1>${r.title}</h1>
<p class="muted">${APPEAL_TYPE_LABEL[r.type]} · ${t(page, '来信时间', 'Received')} ${formatDateTime(r.createdAt)}</p>
${paragraphs(r.description)}
<h2>${t(page, '答复', 'Reply')}${r.leadOrgName ? html`（${r.leadOrgName}）` : ''}</h2>
${paragraphs(r.finalReply)}</article>`,
  });
}

export function kbPublicPage(page: PageContext, e: KbEntry): SafeHtml {
  return portalPage(page, {
    title: e.question,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '热线知识库', 'Hotline Q&A') }],
    body: html`<article class="card"><h1>${e.question}</h1>${paragraphs(e.answer)}<p class="muted">${e.organisationName}</p></article>`,
  });
}
