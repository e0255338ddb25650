import { maskCitizenId, maskMobile } from '../../../platform/codes/validators.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { OrganisationInfo } from '../commands/deps.ts';
import {
  ACTION_LABEL,
  CHANNEL_LABEL,
  type ClockView,
  DELIVERY_LABEL,
  FORM_LABEL,
  NOT_PROCESSED_REASONS,
  REPLY_TYPES,
  REPLY_TYPE_LABEL,
  REQUEST_STATES,
  type RequestState,
  STATE_LABEL,
  type StaffAction,
  WITHHELD_REASONS,
  chineseDate,
} from '../domain/request-machine.ts';
import { remedyNotice } from '../domain/reply-letter.ts';
import type { RequestEvent, RequestRow } from '../request.repository.ts';
import { clockBadge, clockList, radioField, selectField } from './widgets.ts';

const STATE_BADGE: Record<RequestState, string> = {
  RECEIVED: 'badge warn',
  CORRECTION_REQUESTED: 'badge warn',
  PROCESSING: 'badge',
  CONSULTING: 'badge',
  FEE_PENDING: 'badge warn',
  REPLIED: 'badge ok',
  CLOSED: 'badge',
};

export const FORM_LABELS: Record<string, string> = {
  organisationId: '受理机关',
  description: '所需信息的描述',
  documentNumber: '文号',
  purpose: '用途',
  preferredForm: '获取信息的形式',
  delivery: '获取信息的方式',
  contactPhone: '联系电话',
  contactEmail: '电子邮箱',
  contactAddress: '通信地址',
  legalCategory: '组织类别',
  channel: '提交方式',
  receivedOn: '收到申请日期',
  requesterKind: '申请人类型',
  requesterName: '申请人姓名或名称',
  requesterIdNumber: '证件号码',
  items: '补正事项',
  periodDays: '补正期限',
  name: '征求意见对象',
  opinion: '意见',
  reasons: '公开的内容和理由',
  amount: '收费金额',
  days: '延长天数',
  reason: '理由',
  replyType: '答复类型',
  text: '答复内容',
  method: '送达方式',
  on: '确认收到日期',
};

const stateBadge = (s: RequestState) => html`<span class="${STATE_BADGE[s]}">${STATE_LABEL[s]}</span>`;
const options = <K extends string>(labels: Record<K, string>) => (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
const paragraphs = (text: string) => html`${text.split(/\n+/).filter(Boolean).map((p) => html`<p>${p}</p>`)}`;

export type FormValues = Record<string, string | undefined>;

/** 依申请公开 online form (条例 Art. 29); identity comes from the signed-in account. */
export function requestFormPage(
  page: PageContext,
  o: { organisations: OrganisationInfo[]; values: FormValues; errors: FieldError[]; idempotencyKey: string; requesterName: string; legal: boolean },
): SafeHtml {
  const v = o.values;
  return portalPage(page, {
    title: t(page, '申请政府信息公开', 'Request government information'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的申请', 'My requests'), href: '/account/disclosure-requests' }, { label: t(page, '申请政府信息公开', 'New request') }],
    body: html`<h1>${t(page, '申请政府信息公开', 'Request government information')}</h1>
<p class="lead">${t(page, '依照《中华人民共和国政府信息公开条例》第二十七条、第二十九条，您可以向行政机关申请获取政府信息。申请人信息取自您的账号：', 'Under Arts. 27 and 29 of the Regulations on Open Government Information you may request information. Requester: ')}<strong>${o.requesterName}</strong></p>
${errorSummary(o.errors, FORM_LABELS)}
<form method="post" action="/disclosure-requests" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">
  ${selectField({ name: 'organisationId', label: t(page, FORM_LABELS.organisationId ?? '', 'Agency'), options: o.organisations.map((x) => ({ value: x.id, label: x.name })), value: v.organisationId ?? null, required: true, placeholder: t(page, '请选择', 'Choose'), errors: o.errors })}
  ${o.legal ? selectField({ name: 'legalCategory', label: t(page, '组织类别', 'Kind of organisation'), options: [{ value: 'commercial', label: '商业企业' }, { value: 'research', label: '科研机构' }, { value: 'social_welfare', label: '社会公益组织' }, { value: 'legal_service', label: '法律服务机构' }, { value: 'other', label: '其他' }], value: v.legalCategory ?? 'commercial', errors: o.errors }) : ''}
  ${textArea({ name: 'description', label: t(page, FORM_LABELS.description ?? '', 'Information requested'), value: v.description ?? '', required: true, maxLength: 5000, rows: 6, hint: t(page, '请写明信息的名称、文号或者便于行政机关查询的其他特征性描述', 'Name, document number or other features that help find it'), errors: o.errors })}
  ${textField({ name: 'documentNumber', label: t(page, '文号（如知道）', 'Document number (if known)'), value: v.documentNumber ?? '', maxLength: 100, errors: o.errors })}
  ${textArea({ name: 'purpose', label: t(page, '用途（选填）', 'Purpose (optional)'), value: v.purpose ?? '', maxLength: 500, rows: 2, errors: o.errors })}
  ${radioField({ name: 'preferredForm', legend: t(page, FORM_LABELS.preferredForm ?? '', 'Form'), options: options(FORM_LABEL), value: v.preferredForm ?? 'electronic', required: true, errors: o.errors })}
  ${radioField({ name: 'delivery', legend: t(page, FORM_LABELS.delivery ?? '', 'Delivery'), options: options(DELIVERY_LABEL), value: v.delivery ?? 'online', required: true, errors: o.errors })}
  ${textField({ name: 'contactPhone', label: t(page, '联系电话', 'Telephone'), type: 'tel', value: v.contactPhone ?? '', maxLength: 20, autocomplete: 'tel', errors: o.errors })}
  ${textField({ name: 'contactEmail', label: t(page, '电子邮箱', 'Email'), type: 'email', value: v.contactEmail ?? '', maxLength: 200, autocomplete: 'email', hint: t(page, '选择“电子邮件”方式的必填', 'Required for delivery by email'), errors: o.errors })}
  ${textField({ name: 'contactAddress', label: t(page, '通信地址', 'Postal address'), value: v.contactAddress ?? '', maxLength: 200, autocomplete: 'street-address', hint: t(page, '选择“邮寄”方式的必填', 'Required for delivery by post'), errors: o.errors })}
  <button type="submit">${t(page, '提交申请', 'Submit request')}</button>
</form>`,
  });
}

export function myRequestsPage(page: PageContext, rows: RequestRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '我的政府信息公开申请', 'My information requests'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的空间', 'My account'), href: '/account' }, { label: t(page, '政府信息公开申请', 'Information requests') }],
    body: html`<h1>${t(page, '我的政府信息公开申请', 'My information requests')}</h1>
<p><a class="button" href="/disclosure-requests/new">${t(page, '提出新的申请', 'New request')}</a></p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '您还没有提出过政府信息公开申请。', 'You have not made any requests yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '我的申请', 'My requests')}</caption>
<thead><tr><th scope="col">${t(page, '申请编号', 'Number')}</th><th scope="col">${t(page, '受理机关', 'Agency')}</th><th scope="col">${t(page, '所需信息', 'Information')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '提交时间', 'Submitted')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/account/disclosure-requests/${r.id}">${r.requestNo}</a></td><td>${r.organisationName}</td><td>${[...r.description].slice(0, 40).join('')}</td><td>${stateBadge(r.state)}</td><td>${formatDateTime(r.submittedAt)}</td></tr>`)}</tbody></table>
${pager({ path: '/account/disclosure-requests', query: {}, ...p })}`}`,
  });
}

function replySection(page: PageContext, r: RequestRow, pdfHref: string): SafeHtml {
  if (r.state !== 'REPLIED' || !r.replyType) return html``;
  const reason = r.replyReason ? ((WITHHELD_REASONS as Record<string, string>)[r.replyReason] ?? (NOT_PROCESSED_REASONS as Record<string, string>)[r.replyReason] ?? '') : '';
  return html`<section class="card" aria-labelledby="reply-h">
  <h2 id="reply-h">${t(page, '答复', 'Reply')}</h2>
  <p><strong>${t(page, '答复类型：', 'Type: ')}</strong>${REPLY_TYPE_LABEL[r.replyType]}${r.repliedOn ? html` <span class="muted">（${chineseDate(r.repliedOn)}）</span>` : ''}</p>
  ${paragraphs(r.replyText ?? '')}
  ${reason ? html`<p><strong>${t(page, '理由：', 'Reason: ')}</strong>${reason}</p>` : ''}
  ${r.process.competentAgency ? html`<p><strong>${t(page, '负责公开的机关：', 'Competent agency: ')}</strong>${r.process.competentAgency}</p>` : ''}
  <p><strong>${t(page, '救济途径：', 'Remedies: ')}</strong>${remedyNotice(r.replyType)}</p>
  <p><a class="button" href="${pdfHref}" download>${t(page, '下载答复书（PDF）', 'Download the reply letter (PDF)')}</a></p>
</section>`;
}

function timeline(page: PageContext, events: RequestEvent[]): SafeHtml {
  return html`<section aria-labelledby="timeline-h"><h2 id="timeline-h">${t(page, '办理过程', 'History')}</h2>
${events.length === 0 ? html`<p class="empty">${t(page, '暂无记录。', 'Nothing yet.')}</p>` : html`<ol class="timeline">${events.map((e) => html`<li><span class="muted">${formatDateTime(e.at)} · ${e.actorName}${e.public ? '' : html` · ${t(page, '内部记录', 'internal')}`}</span><br>${paragraphs(e.text)}</li>`)}</ol>`}
</section>`;
}

/** The requester's tracking page: status, deadlines, correction notice and form, reply and PDF, history. */
export function trackingPage(page: PageContext, r: RequestRow, o: { events: RequestEvent[]; clocks: ClockView[]; values: FormValues; errors: FieldError[] }): SafeHtml {
  const correction = r.process.correction;
  const replyClock = o.clocks.filter((c) => c.key === 'reply' || c.key === 'correctionSupply');
  return portalPage(page, {
    title: `${t(page, '申请', 'Request')} ${r.requestNo}`,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的申请', 'My requests'), href: '/account/disclosure-requests' }, { label: r.requestNo }],
    body: html`<h1>${t(page, '政府信息公开申请', 'Information request')} ${r.requestNo}</h1>
<p>${stateBadge(r.state)} <span class="muted">${r.organisationName} · ${t(page, '提交于', 'Submitted')} ${formatDateTime(r.submittedAt)}</span></p>
${clockList(replyClock)}
${r.state === 'RECEIVED' && !r.receiptConfirmedOn ? html`<p class="muted">${t(page, '依照条例第三十一条，网上申请以双方确认收到申请之日为收到申请之日，答复期限自该日起算。工作人员将与您确认。', 'The reply period starts when both sides confirm receipt (Art. 31).')}</p>` : ''}
${r.state === 'CORRECTION_REQUESTED' && correction
  ? html`<section class="card" aria-labelledby="corr-h">
  <h2 id="corr-h">${t(page, '补正告知', 'Correction notice')}</h2>
  <p>${t(page, `您的申请内容不够明确，请于${chineseDate(correction.supplyBy)}前一次性补正以下事项。答复期限自收到补正后的申请之日起重新计算；无正当理由逾期不补正的，视为放弃申请。`, `Please correct by ${correction.supplyBy}.`)}</p>
  <ol>${correction.items.map((i) => html`<li>${i}</li>`)}</ol>
  ${errorSummary(o.errors, FORM_LABELS)}
  <form method="post" action="/account/disclosure-requests/${r.id}/correction" class="stack" novalidate>
    ${csrfField(page)}
    <input type="hidden" name="version" value="${r.version}">
    ${textArea({ name: 'description', label: t(page, '补正后的申请内容', 'Corrected request'), value: o.values.description ?? r.description, required: true, maxLength: 5000, rows: 6, errors: o.errors })}
    ${textField({ name: 'documentNumber', label: t(page, '文号（如知道）', 'Document number (if known)'), value: o.values.documentNumber ?? r.documentNumber ?? '', maxLength: 100, errors: o.errors })}
    <button type="submit">${t(page, '提交补正', 'Submit correction')}</button>
  </form>
</section>`
  : ''}
${replySection(page, r, `/account/disclosure-requests/${r.id}/reply.pdf`)}
${r.state === 'CLOSED' ? html`<p class="card">${r.closedReason === 'FEE_UNPAID' ? t(page, '因逾期未缴纳信息处理费，办理已终止。', 'Closed: the fee was not paid.') : t(page, '因逾期未补正，视为放弃申请，办理已终止。', 'Closed: the request was not corrected in time.')}</p>` : ''}
<section class="card" aria-labelledby="req-h"><h2 id="req-h">${t(page, '申请内容', 'Request')}</h2>
<dl class="facts">
  <dt>${t(page, '所需信息', 'Information')}</dt><dd>${paragraphs(r.description)}</dd>
  ${r.documentNumber ? html`<dt>${t(page, '文号', 'Document number')}</dt><dd>${r.documentNumber}</dd>` : ''}
  ${r.purpose ? html`<dt>${t(page, '用途', 'Purpose')}</dt><dd>${r.purpose}</dd>` : ''}
  <dt>${t(page, '获取形式和方式', 'Form and delivery')}</dt><dd>${FORM_LABEL[r.preferredForm]} · ${DELIVERY_LABEL[r.delivery]}</dd>
</dl></section>
${timeline(page, o.events)}`,
  });
}

// ---- workbench -------------------------------------------------------------------------

export function staffListPage(page: PageContext, rows: { row: RequestRow; clocks: ClockView[] }[], p: { page: number; pageSize: number; total: number; state?: RequestState | undefined; canRegister: boolean }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '依申请公开办理', 'Information requests'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '依申请公开办理', 'Information requests') }],
    body: html`<h1>${t(page, '依申请公开办理', 'Information requests')}</h1>
<form method="get" action="/workbench/disclosure-requests" class="filters">
  <div class="field"><label for="f-state">${t(page, '状态', 'Status')}</label>
  <select id="f-state" name="state"><option value="">${t(page, '全部', 'All')}</option>${REQUEST_STATES.map((s) => html`<option value="${s}"${s === p.state ? html` selected` : ''}>${STATE_LABEL[s]}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
  ${p.canRegister ? html`<a class="button" href="/workbench/disclosure-requests/new">${t(page, '登记纸质申请', 'Register a paper request')}</a>` : ''}
  <a class="button secondary" href="/workbench/disclosure-reports">${t(page, '年度报告', 'Annual reports')}</a>
</form>
${rows.length === 0
  ? html`<p class="empty">${p.state ? t(page, '没有符合条件的申请。', 'No requests match.') : t(page, '您的管辖范围内还没有政府信息公开申请。', 'No requests in your scope yet.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '申请列表', 'Requests')}</caption>
<thead><tr><th scope="col">${t(page, '申请编号', 'Number')}</th><th scope="col">${t(page, '申请人', 'Requester')}</th><th scope="col">${t(page, '受理机关', 'Agency')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '期限', 'Deadline')}</th><th scope="col">${t(page, '收到日期', 'Received')}</th></tr></thead>
<tbody>${rows.map(({ row: r, clocks }) => html`<tr><td><a href="/workbench/disclosure-requests/${r.id}">${r.requestNo}</a></td><td>${r.requesterName}</td><td>${r.organisationName}</td><td>${stateBadge(r.state)}</td><td>${clocks.map((c) => html`${clockBadge(c)} `)}</td><td>${chineseDate(r.receiptConfirmedOn ?? r.receivedOn)}${r.receiptConfirmedOn ? '' : html` <span class="badge warn">${t(page, '待确认收到', 'to confirm')}</span>`}</td></tr>`)}</tbody></table></div>
${pager({ path: '/workbench/disclosure-requests', query: { state: p.state }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

function actionForm(page: PageContext, r: RequestRow, kind: StaffAction['kind'], o: { values: FormValues; errors: FieldError[]; today: string }): SafeHtml {
  const errs = o.errors;
  const v = o.values;
  const fields = (): SafeHtml => {
    switch (kind) {
      case 'confirm_receipt':
        return textField({ name: 'on', label: t(page, '双方确认收到申请的日期', 'Date receipt was confirmed'), type: 'date', value: v.on ?? o.today, required: true, errors: errs });
      case 'request_correction':
        return html`${textArea({ name: 'items', label: t(page, '需要补正的事项（一次性列明，每行一项）', 'Items to correct, one per line'), value: v.items ?? '', required: true, rows: 4, errors: errs })}
${textField({ name: 'periodDays', label: t(page, '补正期限（工作日）', 'Period (working days)'), type: 'number', value: v.periodDays ?? '15', required: true, errors: errs })}`;
      case 'consult':
        return html`${radioField({ name: 'party', legend: t(page, '征求意见对象类型', 'Consulted party'), options: [{ value: 'third_party', label: '第三方（条例第三十二条）' }, { value: 'agency', label: '其他机关（条例第三十四条）' }], value: v.party ?? 'third_party', errors: errs })}
${textField({ name: 'name', label: t(page, '第三方或机关名称', 'Name'), value: v.name ?? '', required: true, maxLength: 100, errors: errs })}`;
      case 'record_opinion':
        return html`${radioField({ name: 'opinion', legend: t(page, '意见', 'Opinion'), options: [{ value: 'consent', label: '同意公开' }, { value: 'object', label: '不同意公开' }, { value: 'none', label: '逾期未提出意见' }], value: v.opinion ?? 'consent', errors: errs })}
${textArea({ name: 'note', label: t(page, '说明', 'Note'), value: v.note ?? '', rows: 2, errors: errs })}`;
      case 'public_interest_override':
        return textArea({ name: 'reasons', label: t(page, '决定公开的内容和理由（书面告知第三方）', 'What will be disclosed and why'), value: v.reasons ?? '', required: true, rows: 3, errors: errs });
      case 'fee_notice':
        return textField({ name: 'amount', label: t(page, '收费金额（元）', 'Amount (yuan)'), type: 'number', value: v.amount ?? '', required: true, errors: errs });
      case 'extend':
        return html`${textField({ name: 'days', label: t(page, '延长工作日数（最多 20 个工作日，只能延长一次）', 'Working days (at most 20, once)'), type: 'number', value: v.days ?? '20', required: true, errors: errs })}
${textArea({ name: 'reason', label: t(page, '延长理由（将告知申请人）', 'Reason (told to the requester)'), value: v.reason ?? '', required: true, rows: 2, errors: errs })}`;
      case 'reply':
        return html`${selectField({ name: 'replyType', label: t(page, '答复类型', 'Reply type'), options: REPLY_TYPES.map((x) => ({ value: x, label: REPLY_TYPE_LABEL[x] })), value: v.replyType ?? '', required: true, placeholder: t(page, '请选择', 'Choose'), errors: errs })}
${selectField({ name: 'reason', label: t(page, '不予公开或不予处理的理由（部分公开、不予公开、不予处理时必选）', 'Reason (withheld, partial or not processed)'), options: [...options(WITHHELD_REASONS), ...options(NOT_PROCESSED_REASONS)], value: v.reason ?? '', placeholder: t(page, '无', 'None'), errors: errs })}
${textArea({ name: 'text', label: t(page, '答复内容（公开的信息、获取方式或理由说明）', 'Reply text'), value: v.text ?? '', required: true, rows: 6, errors: errs })}
${textField({ name: 'competentAgency', label: t(page, '负责公开的机关及联系方式（不属于本机关负责公开时填写）', 'Competent agency (if not ours)'), value: v.competentAgency ?? '', maxLength: 200, errors: errs })}`;
      case 'deliver':
        return html`${selectField({ name: 'method', label: t(page, '送达方式', 'Delivery'), options: options(DELIVERY_LABEL), value: v.method ?? r.delivery, required: true, errors: errs })}
${textField({ name: 'note', label: t(page, '送达说明（如邮件单号）', 'Note (e.g. tracking number)'), value: v.note ?? '', maxLength: 500, errors: errs })}`;
      case 'record_remedy':
        return html`${radioField({ name: 'remedy', legend: t(page, '类别', 'Kind'), options: [{ value: 'reconsideration', label: '行政复议' }, { value: 'lawsuit', label: '行政诉讼' }], value: v.remedy ?? 'reconsideration', errors: errs })}
<div class="field"><label class="choice"><input type="checkbox" name="afterReconsideration" value="true"> ${t(page, '复议后提起诉讼', 'Lawsuit after reconsideration')}</label></div>
${selectField({ name: 'outcome', label: t(page, '结果', 'Outcome'), options: [{ value: 'pending', label: '尚未审结' }, { value: 'upheld', label: '维持' }, { value: 'corrected', label: '纠正' }, { value: 'other', label: '其他结果' }], value: v.outcome ?? 'pending', errors: errs })}`;
      case 'register':
      case 'correction_lapsed':
      case 'fee_paid':
      case 'fee_unpaid':
        return html``;
    }
  };
  const danger = kind === 'correction_lapsed' || kind === 'fee_unpaid';
  return html`<section class="card action" aria-labelledby="act-${kind}">
  <h3 id="act-${kind}">${ACTION_LABEL[kind]}</h3>
  <form method="post" action="/workbench/disclosure-requests/${r.id}/actions/${kind}" class="stack" novalidate>
    ${csrfField(page)}
    <input type="hidden" name="version" value="${r.version}">
    ${fields()}
    <button type="submit"${danger ? html` class="danger"` : ''}>${ACTION_LABEL[kind]}</button>
  </form>
</section>`;
}

export function staffDetailPage(
  page: PageContext,
  r: RequestRow,
  o: { events: RequestEvent[]; clocks: ClockView[]; actions: StaffAction['kind'][]; reveal: boolean; failed?: { kind: StaffAction['kind']; values: FormValues; errors: FieldError[] }; today: string },
): SafeHtml {
  const id = r.requesterIdNumber ? (o.reveal ? r.requesterIdNumber : r.requesterIdNumber.length === 18 ? maskCitizenId(r.requesterIdNumber) : `${r.requesterIdNumber.slice(0, 4)}****`) : '—';
  const phone = r.contactPhone ? (o.reveal ? r.contactPhone : maskMobile(r.contactPhone)) : '—';
  const email = r.contactEmail ? (o.reveal ? r.contactEmail : r.contactEmail.replace(/^(.).*(@.*)$/, '$1***$2')) : '—';
  const address = r.contactAddress ? (o.reveal ? r.contactAddress : `${[...r.contactAddress].slice(0, 6).join('')}****`) : '—';
  return workbenchPage(page, {
    title: `${t(page, '申请', 'Request')} ${r.requestNo}`,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '依申请公开办理', 'Information requests'), href: '/workbench/disclosure-requests' }, { label: r.requestNo }],
    body: html`<h1>${t(page, '政府信息公开申请', 'Information request')} ${r.requestNo}</h1>
<p>${stateBadge(r.state)} <span class="muted">${r.organisationName} · ${CHANNEL_LABEL[r.channel]} · ${t(page, `第 ${r.version} 版`, `Version ${r.version}`)}</span></p>
${clockList(o.clocks)}
<section class="card" aria-labelledby="req-h"><h2 id="req-h">${t(page, '申请信息', 'Request')}</h2>
<dl class="facts">
  <dt>${t(page, '申请人', 'Requester')}</dt><dd>${r.requesterName}（${r.requesterKind === 'natural' ? '自然人' : '法人或其他组织'}）</dd>
  <dt>${t(page, '证件号码', 'ID number')}</dt><dd>${id}</dd>
  <dt>${t(page, '联系方式', 'Contact')}</dt><dd>${phone} · ${email} · ${address}
  ${o.reveal ? '' : html` <a href="/workbench/disclosure-requests/${r.id}?reveal=1">${t(page, '查看完整信息（将记录审计日志）', 'Show in full (audited)')}</a>`}</dd>
  <dt>${t(page, '收到日期', 'Received')}</dt><dd>${chineseDate(r.receivedOn)}${r.receiptConfirmedOn ? html`，${t(page, '确认收到', 'confirmed')} ${chineseDate(r.receiptConfirmedOn)}` : html` <span class="badge warn">${t(page, '待确认收到（条例第三十一条）', 'receipt to confirm')}</span>`}</dd>
  <dt>${t(page, '所需信息', 'Information')}</dt><dd>${paragraphs(r.description)}</dd>
  ${r.documentNumber ? html`<dt>${t(page, '文号', 'Document number')}</dt><dd>${r.documentNumber}</dd>` : ''}
  ${r.purpose ? html`<dt>${t(page, '用途', 'Purpose')}</dt><dd>${r.purpose}</dd>` : ''}
  <dt>${t(page, '获取形式和方式', 'Form and delivery')}</dt><dd>${FORM_LABEL[r.preferredForm]} · ${DELIVERY_LABEL[r.delivery]}</dd>
  ${r.process.extension ? html`<dt>${t(page, '延长期限', 'Extension')}</dt><dd>${r.process.extension.days} 个工作日（${r.process.extension.approvedBy}同意，${chineseDate(r.process.extension.approvedOn)}）：${r.process.extension.reason}</dd>` : ''}
</dl></section>
${replySection(page, r, `/workbench/disclosure-requests/${r.id}/reply.pdf`)}
${o.failed ? errorSummary(o.failed.errors, FORM_LABELS) : ''}
${o.actions.length === 0 ? html`<p class="muted">${t(page, '当前没有您可以执行的办理操作。', 'No actions available to you.')}</p>` : html`<h2>${t(page, '办理操作', 'Actions')}</h2>
${o.actions.map((k) => actionForm(page, r, k, o.failed?.kind === k ? { values: o.failed.values, errors: o.failed.errors, today: o.today } : { values: {}, errors: [], today: o.today }))}`}
${timeline(page, o.events)}`,
  });
}

/** Staff registration of a paper, letter or fax request (条例 Art. 29: oral requests are recorded by staff too). */
export function registerFormPage(page: PageContext, o: { values: FormValues; errors: FieldError[]; idempotencyKey: string; today: string }): SafeHtml {
  const v = o.values;
  return workbenchPage(page, {
    title: t(page, '登记政府信息公开申请', 'Register a request'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '依申请公开办理', 'Information requests'), href: '/workbench/disclosure-requests' }, { label: t(page, '登记', 'Register') }],
    body: html`<h1>${t(page, '登记政府信息公开申请', 'Register a request')}</h1>
${errorSummary(o.errors, FORM_LABELS)}
<form method="post" action="/workbench/disclosure-requests" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="idempotencyKey" value="${o.idempotencyKey}">
  ${selectField({ name: 'channel', label: t(page, '提交方式', 'Channel'), options: (['in_person', 'letter_signed', 'letter_ordinary', 'fax'] as const).map((c) => ({ value: c, label: CHANNEL_LABEL[c] })), value: v.channel ?? 'in_person', required: true, hint: t(page, '当面提交以提交之日、需签收的邮件以签收之日为收到申请之日；平信和传真须与申请人确认', 'In person: day of submission; signed-for post: day signed; ordinary post and fax need confirmation'), errors: o.errors })}
  ${textField({ name: 'receivedOn', label: t(page, '收到申请日期', 'Received on'), type: 'date', value: v.receivedOn ?? o.today, required: true, errors: o.errors })}
  ${radioField({ name: 'requesterKind', legend: t(page, '申请人类型', 'Requester'), options: [{ value: 'natural', label: '自然人' }, { value: 'legal', label: '法人或其他组织' }], value: v.requesterKind ?? 'natural', errors: o.errors })}
  ${selectField({ name: 'legalCategory', label: t(page, '组织类别（法人或其他组织填写）', 'Kind of organisation'), options: [{ value: 'commercial', label: '商业企业' }, { value: 'research', label: '科研机构' }, { value: 'social_welfare', label: '社会公益组织' }, { value: 'legal_service', label: '法律服务机构' }, { value: 'other', label: '其他' }], value: v.legalCategory ?? 'commercial', errors: o.errors })}
  ${textField({ name: 'requesterName', label: t(page, '申请人姓名或名称', 'Name'), value: v.requesterName ?? '', required: true, maxLength: 100, errors: o.errors })}
  ${textField({ name: 'requesterIdNumber', label: t(page, '身份证件号码或统一社会信用代码', 'ID number or USCC'), value: v.requesterIdNumber ?? '', maxLength: 40, errors: o.errors })}
  ${textArea({ name: 'description', label: t(page, '所需信息的描述', 'Information requested'), value: v.description ?? '', required: true, rows: 5, errors: o.errors })}
  ${textField({ name: 'documentNumber', label: t(page, '文号', 'Document number'), value: v.documentNumber ?? '', maxLength: 100, errors: o.errors })}
  ${textArea({ name: 'purpose', label: t(page, '用途（选填）', 'Purpose'), value: v.purpose ?? '', rows: 2, errors: o.errors })}
  ${radioField({ name: 'preferredForm', legend: t(page, '获取信息的形式', 'Form'), options: options(FORM_LABEL), value: v.preferredForm ?? 'paper', errors: o.errors })}
  ${radioField({ name: 'delivery', legend: t(page, '获取信息的方式', 'Delivery'), options: options(DELIVERY_LABEL), value: v.delivery ?? 'post', errors: o.errors })}
  ${textField({ name: 'contactPhone', label: t(page, '联系电话', 'Telephone'), type: 'tel', value: v.contactPhone ?? '', maxLength: 20, errors: o.errors })}
  ${textField({ name: 'contactEmail', label: t(page, '电子邮箱', 'Email'), type: 'email', value: v.contactEmail ?? '', maxLength: 200, errors: o.errors })}
  ${textField({ name: 'contactAddress', label: t(page, '通信地址', 'Postal address'), value: v.contactAddress ?? '', maxLength: 200, errors: o.errors })}
  <button type="submit">${t(page, '登记', 'Register')}</button>
</form>`,
  });
}
