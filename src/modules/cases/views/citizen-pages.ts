import type { FieldError } from '../../../platform/errors.ts';
import { renderFormFields, type FormValues } from '../../../platform/forms/index.ts';
import { errorSummary, formatDate, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CaseEventRow, CaseMaterialRow, CaseRecord, CorrectionItem, LibraryItemRow, RatingRow } from '../case.repository.ts';
import { BAD_REVIEW_REASONS, RATING_LEVELS } from '../commands/rate-case.ts';
import { voidedRatingNote } from './rating-pages.ts';
import type { ApplicationItem } from '../ports.ts';
import { applicantBadge, civil, materialTable, timeline } from './shared.ts';
import type { LockedField } from '../prefill.ts';
import { draftFields, draftNotice, lockedFieldsBlock } from './draft-pages.ts';

const home = (page: PageContext) => ({ label: t(page, '首页', 'Home'), href: '/' });
const mine = (page: PageContext) => ({ label: t(page, '我的办件', 'My cases'), href: '/account/cases' });

function fieldErrors(errors: FieldError[]): Record<string, string> {
  return Object.fromEntries(errors.map((e) => [e.field, e.message]));
}

/** One material: upload a file, or pick one already in the library. */
function materialPicker(page: PageContext, m: { code: string; name: string; required: boolean }, library: LibraryItemRow[], chosen: string | undefined, err: string | undefined): SafeHtml {
  const id = `f-material-${m.code}`;
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="${id}">
  <legend>${m.name}${m.required ? html` <span aria-hidden="true">*</span><span class="visually-hidden">${t(page, '（必交）', ' (required)')}</span>` : html` <span class="muted">${t(page, '（选交）', '(optional)')}</span>`}</legend>
  ${err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">${t(page, '错误：', 'Error: ')}</span>${err}</p>` : ''}
  <label for="file-${m.code}">${t(page, '上传文件', 'Upload a file')}</label>
  <input type="file" id="file-${m.code}" name="file-${m.code}" accept=".pdf,.jpg,.jpeg,.png,.ofd,.docx"${attr('aria-describedby', err ? `${id}-error` : null)}>
  ${library.length > 0
    ? html`<label for="pick-${m.code}">${t(page, '或从“我的材料库”选择', 'Or pick from my material library')}</label>
  <select id="pick-${m.code}" name="pick-${m.code}"><option value="">${t(page, '不选择', 'None')}</option>${library.map((l) => html`<option value="${l.attachment_id}"${chosen === l.attachment_id ? html` selected` : ''}>${l.label}（${l.file_name}）</option>`)}</select>`
    : ''}
</fieldset>`;
}

export function applyPage(
  page: PageContext,
  o: {
    item: ApplicationItem;
    values: FormValues;
    errors: FieldError[];
    library: LibraryItemRow[];
    chosen: Record<string, string>;
    token: string;
    /** Real-name-verified fields (issue 3 prefill): shown read-only, not as inputs. */
    locked?: Record<string, LockedField>;
    /** The applicant's draft for this item, when one was loaded or saved. */
    draft?: { version: number; savedAt: Date } | null;
  },
): SafeHtml {
  const errs = fieldErrors(o.errors);
  const locked = o.locked ?? {};
  const editable = { ...o.item.form, fields: o.item.form.fields.filter((f) => !locked[f.name]) };
  const drafting = draftFields(page, o.item.id, o.draft);
  const labels: Record<string, string> = Object.fromEntries([...o.item.form.fields.map((f): [string, string] => [f.name, f.label]), ...o.item.materials.map((m): [string, string] => [`material-${m.code}`, m.name])]);
  return portalPage(page, {
    title: t(page, `在线申请：${o.item.name}`, `Apply: ${o.item.name}`),
    crumbs: [home(page), { label: o.item.name, href: `/services/${o.item.id}` }, { label: t(page, '在线申请', 'Apply') }],
    body: html`<h1>${t(page, '在线申请', 'Apply online')}：${o.item.name}</h1>
<p class="muted">${o.item.organisationName}${o.item.promisedLimit ? t(page, ` · 承诺时限 ${o.item.promisedLimit.n} ${o.item.promisedLimit.unit === '2' ? '日' : '个工作日'}`, ` · promised in ${o.item.promisedLimit.n} days`) : ''}</p>
${draftNotice(page, o.draft)}
${errorSummary(o.errors, labels)}
<form method="post" action="/services/${o.item.id}/apply?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="token" value="${o.token}">
  ${drafting.hidden}
  <h2>${t(page, '申请信息', 'Application')}</h2>
  ${lockedFieldsBlock(page, locked)}
  ${renderFormFields(editable, o.values, errs, page)}
  <h2>${t(page, '申请材料', 'Materials')}</h2>
  <p class="hint">${t(page, '支持 PDF、JPG、PNG、OFD、DOCX，文件类型按内容识别。上传过的文件会保存到“我的材料库”，以后申请可直接选用。', 'PDF, JPG, PNG, OFD or DOCX; files you upload are kept in your material library for later applications.')}</p>
  ${o.item.materials.map((m) => materialPicker(page, m, o.library, o.chosen[m.code], errs[`material-${m.code}`]))}
  <div class="actions"><button type="submit">${t(page, '提交申请', 'Submit')}</button> ${drafting.button}</div>
</form>`,
  });
}

export function receiptPage(page: PageContext, o: { record: CaseRecord; password: string; materials: CaseMaterialRow[] }): SafeHtml {
  const c = o.record;
  return portalPage(page, {
    title: t(page, '申请已提交', 'Application submitted'),
    crumbs: [home(page), mine(page), { label: t(page, '申请回执', 'Receipt') }],
    body: html`<div class="card">
<h1>${t(page, '申请已提交', 'Application submitted')}</h1>
<dl class="facts">
  <dt>${t(page, '办件编号', 'Case number')}</dt><dd><strong id="case-no">${c.case_no}</strong></dd>
  <dt>${t(page, '查询密码', 'Query password')}</dt><dd><strong id="query-password">${o.password}</strong> <span class="muted">${t(page, '凭办件编号和查询密码可在“办件查询”中查看进度，请妥善保管。', 'Use it with the case number to check progress.')}</span></dd>
  <dt>${t(page, '事项', 'Service')}</dt><dd>${c.item_name}</dd>
  <dt>${t(page, '受理机关', 'Agency')}</dt><dd>${c.organisation_name}</dd>
  <dt>${t(page, '提交时间', 'Submitted')}</dt><dd>${formatDateTime(c.received_at)}</dd>
  <dt>${t(page, '预审期限', 'Pre-review by')}</dt><dd>${t(page, `${civil(c.due_on)} 前告知是否受理或需要补正`, `By ${civil(c.due_on)}`)}</dd>
</dl>
<h2>${t(page, '收件清单', 'Materials received')}</h2>
${materialTable(page, o.materials, (m) => `/account/cases/${c.id}/materials/${m.id}`)}
<p><a class="button" href="/account/cases/${c.id}/receipt.pdf">${t(page, '下载 PDF 回执', 'Download PDF receipt')}</a> <a class="button secondary" href="/account/cases/${c.id}">${t(page, '查看办件', 'View case')}</a></p>
</div>`,
  });
}

export function myCasesPage(page: PageContext, rows: CaseRecord[], p: { page: number; pageSize: number; total: number }, groups: SafeHtml = html``): SafeHtml {
  return portalPage(page, {
    title: t(page, '我的办件', 'My cases'),
    crumbs: [home(page), { label: t(page, '我的办件', 'My cases') }],
    body: html`<h1>${t(page, '我的办件', 'My cases')}</h1>
${groups}
${rows.length === 0
  ? html`<p class="empty">${t(page, '您还没有办件。可在办事指南中选择事项在线申请。', 'You have no cases yet.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '我的办件', 'My cases')}</caption>
<thead><tr><th scope="col">${t(page, '办件编号', 'Number')}</th><th scope="col">${t(page, '事项', 'Service')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th></tr></thead>
<tbody>${rows.map((c) => html`<tr><td><a href="/account/cases/${c.id}">${c.case_no ?? t(page, '草稿', 'Draft')}</a></td><td>${c.item_name}</td><td>${applicantBadge(page, c)}</td><td>${formatDateTime(c.updated_at)}</td></tr>`)}</tbody></table></div>
${pager({ path: '/account/cases', query: {}, ...p })}`}`,
  });
}

function correctionList(page: PageContext, items: CorrectionItem[] | null): SafeHtml {
  if (!items || items.length === 0) return html``;
  return html`<div class="card" id="correction"><h2>${t(page, '需要补正的内容（一次性告知）', 'What to correct')}</h2><ol>${items.map((i) => html`<li>${i.label ? html`<strong>${i.label}</strong>：` : ''}${i.problem}</li>`)}</ol></div>`;
}

export function myCaseDetail(
  page: PageContext,
  o: {
    record: CaseRecord;
    events: CaseEventRow[];
    materials: CaseMaterialRow[];
    rating: RatingRow | null;
    item: ApplicationItem | null;
    library: LibraryItemRow[];
    errors: FieldError[];
    queryPassword: string | null;
  },
): SafeHtml {
  const c = o.record;
  const errs = fieldErrors(o.errors);
  const canWithdraw = ['SUBMITTED', 'NEEDS_CORRECTION', 'ACCEPTED', 'IN_PROCESS', 'SUSPENDED'].includes(c.state);
  const canRate = c.state === 'CLOSED' && c.result_code !== null && [0, 1, 4, 6].includes(c.result_code) && !o.rating;
  return portalPage(page, {
    title: `${c.item_name} ${c.case_no ?? ''}`,
    crumbs: [home(page), mine(page), { label: c.case_no ?? t(page, '草稿', 'Draft') }],
    body: html`<h1>${c.item_name}</h1>
${errorSummary(o.errors, { reason: '理由', score: '评价等级', reasons: '不满意的原因', comment: '评价意见', materials: '补正材料' })}
<div class="card"><dl class="facts">
  <dt>${t(page, '办件编号', 'Case number')}</dt><dd>${c.case_no}</dd>
  ${o.queryPassword ? html`<dt>${t(page, '查询密码', 'Query password')}</dt><dd>${o.queryPassword}</dd>` : ''}
  <dt>${t(page, '当前状态', 'Status')}</dt><dd>${applicantBadge(page, c)}</dd>
  <dt>${t(page, '受理机关', 'Agency')}</dt><dd>${c.organisation_name}</dd>
  ${c.accepted_at ? html`<dt>${t(page, '受理日期', 'Accepted on')}</dt><dd>${formatDate(c.accepted_at)}（${t(page, '受理文书编号', 'No.')} ${c.acceptance_no}）</dd>` : ''}
  ${c.state === 'SUSPENDED' ? html`<dt>${t(page, '办结期限', 'Due')}</dt><dd>${t(page, '特别程序中，暂停计时', 'Paused')}</dd>` : c.decision_due_on && !c.decided_at ? html`<dt>${t(page, '承诺办结日期', 'Due')}</dt><dd>${civil(c.decision_due_on)}</dd>` : ''}
  ${c.decision_reasons && (c.decision === 'refuse' || c.result_code === 6) ? html`<dt>${t(page, '理由', 'Reasons')}</dt><dd>${c.decision_reasons}</dd>` : ''}
  ${c.courier_no ? html`<dt>${t(page, '快递单号', 'Courier no.')}</dt><dd>${c.courier_no}</dd>` : ''}
</dl>
${c.decided_at && c.state !== 'APPROVED' && c.state !== 'REFUSED' ? html`<p><a class="button" href="/account/cases/${c.id}/decision.pdf">${t(page, '下载决定书（PDF）', 'Download the decision (PDF)')}</a></p>` : ''}
<p><a href="/account/cases/${c.id}/receipt.pdf">${t(page, '下载申请回执（PDF）', 'Download the receipt (PDF)')}</a></p>
</div>
${c.state === 'NEEDS_CORRECTION' ? correctionList(page, c.correction_list) : ''}
${c.state === 'NEEDS_CORRECTION' && o.item
  ? html`<form method="post" action="/account/cases/${c.id}/supplement?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="card stack" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
  <h2>${t(page, '提交补正材料', 'Submit corrections')}</h2>
  ${errs.materials ? html`<p class="error" id="f-materials">${errs.materials}</p>` : ''}
  ${o.item.materials.map((m) => materialPicker(page, { ...m, required: false }, o.library, undefined, errs[`material-${m.code}`]))}
  ${textArea({ name: 'note', label: t(page, '补正说明', 'Note'), rows: 3, errors: o.errors })}
  <button type="submit">${t(page, '提交补正', 'Submit corrections')}</button>
</form>`
  : ''}
<h2>${t(page, '办理进度', 'Progress')}</h2>
${timeline(page, o.events, { forApplicant: true })}
<h2>${t(page, '已提交的材料', 'Materials')}</h2>
${materialTable(page, o.materials, (m) => `/account/cases/${c.id}/materials/${m.id}`)}
${o.rating ? ratingView(page, o.rating) : ''}
${canRate ? ratingForm(page, c, o.errors) : ''}
${canWithdraw
  ? html`<form method="post" action="/account/cases/${c.id}/withdraw" class="card stack">${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
  <h2>${t(page, '撤回申请', 'Withdraw')}</h2>
  ${textField({ name: 'reason', label: t(page, '撤回原因', 'Reason'), maxLength: 200, errors: o.errors })}
  <button type="submit" class="danger">${t(page, '撤回申请', 'Withdraw the application')}</button></form>`
  : ''}`,
  });
}

function ratingView(page: PageContext, r: RatingRow): SafeHtml {
  return html`<div class="card" id="rating"><h2>${t(page, '我的评价', 'My rating')}</h2>
<p>${RATING_LEVELS[r.score]}（${r.score}/5）${r.reasons.length ? `：${r.reasons.join('、')}` : ''}</p>${r.comment ? html`<p>${r.comment}</p>` : ''}
${r.rectification_state === 'VOIDED' ? voidedRatingNote(page, r) : r.rectification_state ? html`<p><strong>${t(page, '整改反馈', 'Response')}</strong>：${r.feedback ?? t(page, `办理单位将于 ${civil(r.rectification_due_on)} 前反馈整改情况`, `Due by ${civil(r.rectification_due_on)}`)}</p>` : ''}</div>`;
}

function ratingForm(page: PageContext, c: CaseRecord, errors: FieldError[]): SafeHtml {
  const errs = fieldErrors(errors);
  return html`<form method="post" action="/account/cases/${c.id}/rate" class="card stack" novalidate>${csrfField(page)}
<h2>${t(page, '评价本次服务（好差评）', 'Rate this service')}</h2>
<fieldset class="field${errs.score ? ' has-error' : ''}" id="f-score"><legend>${t(page, '评价等级', 'Rating')} <span aria-hidden="true">*</span></legend>
${errs.score ? html`<p class="error">${errs.score}</p>` : ''}
${[5, 4, 3, 2, 1].map((n) => html`<label><input type="radio" name="score" value="${n}"> ${RATING_LEVELS[n]}</label> `)}</fieldset>
<fieldset class="field${errs.reasons ? ' has-error' : ''}" id="f-reasons"><legend>${t(page, '不满意的原因（差评必选其一或填写意见）', 'Reasons (for a bad rating)')}</legend>
${errs.reasons ? html`<p class="error">${errs.reasons}</p>` : ''}
${BAD_REVIEW_REASONS.map((r, i) => html`<label for="reason-${i}"><input type="checkbox" id="reason-${i}" name="reasons" value="${r}"> ${r}</label> `)}</fieldset>
${textArea({ name: 'comment', label: t(page, '评价意见', 'Comment'), rows: 3, maxLength: 500, errors })}
<button type="submit">${t(page, '提交评价', 'Submit rating')}</button></form>`;
}

export interface ProgressView {
  caseNo: string;
  itemName: string;
  organisationName: string;
  status: string;
  acceptedOn: string | null;
  dueOn: string | null;
  paused: boolean;
  node: string | null;
  corrections: CorrectionItem[] | null;
  result: string | null;
  courierNo: string | null;
  steps: { at: string; label: string }[];
}

export function progressPage(page: PageContext, o: { values: { caseNo?: string }; errors: FieldError[]; result?: ProgressView }): SafeHtml {
  const r = o.result;
  return portalPage(page, {
    title: t(page, '办件查询', 'Check progress'),
    crumbs: [home(page), { label: t(page, '办件查询', 'Check progress') }],
    body: html`<h1>${t(page, '办件查询', 'Check progress')}</h1>
${errorSummary(o.errors, { caseNo: '办件编号', password: '查询密码' })}
<form method="post" action="/progress" class="card stack" novalidate>${csrfField(page)}
${textField({ name: 'caseNo', label: t(page, '办件编号', 'Case number'), value: o.values.caseNo ?? '', required: true, maxLength: 50, errors: o.errors, autocomplete: 'off' })}
${textField({ name: 'password', label: t(page, '查询密码', 'Query password'), type: 'password', required: true, maxLength: 6, hint: t(page, '申请回执上的 6 位数字', 'The 6 digits on your receipt'), errors: o.errors, autocomplete: 'off' })}
<button type="submit">${t(page, '查询', 'Check')}</button></form>
${r
  ? html`<section class="card" aria-labelledby="progress-title"><h2 id="progress-title">${r.itemName}（${r.caseNo}）</h2>
<dl class="facts"><dt>${t(page, '当前状态', 'Status')}</dt><dd><span class="badge">${r.status}</span></dd>
<dt>${t(page, '受理机关', 'Agency')}</dt><dd>${r.organisationName}</dd>
${r.acceptedOn ? html`<dt>${t(page, '受理日期', 'Accepted on')}</dt><dd>${r.acceptedOn}</dd>` : ''}
<dt>${t(page, '办结期限', 'Due')}</dt><dd>${r.paused ? t(page, '特别程序中，暂停计时', 'Paused') : (r.dueOn ?? '—')}</dd>
${r.node ? html`<dt>${t(page, '当前环节', 'Current step')}</dt><dd>${r.node}</dd>` : ''}
${r.result ? html`<dt>${t(page, '办理结果', 'Result')}</dt><dd>${r.result}</dd>` : ''}
${r.courierNo ? html`<dt>${t(page, '快递单号', 'Courier no.')}</dt><dd>${r.courierNo}</dd>` : ''}</dl>
${r.corrections ? html`<h3>${t(page, '需要补正的内容', 'To correct')}</h3><ol>${r.corrections.map((i) => html`<li>${i.label ? `${i.label}：` : ''}${i.problem}</li>`)}</ol>` : ''}
<h3>${t(page, '办理过程', 'Steps')}</h3><ol>${r.steps.map((s) => html`<li>${s.at} ${s.label}</li>`)}</ol></section>`
  : ''}`,
  });
}

export interface AnnouncementRow {
  caseNo: string;
  itemName: string;
  applicant: string;
  organisationName: string;
  result: string;
  closedAt: string;
}

export function announcementsPage(page: PageContext, rows: AnnouncementRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '办件公示', 'Case results'),
    crumbs: [home(page), { label: t(page, '办件公示', 'Case results') }],
    body: html`<h1>${t(page, '办件公示', 'Case results')}</h1>
<p class="muted">${t(page, '申请人信息已按规定脱敏。', 'Applicant data are masked.')}</p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '暂无办结公示。', 'No completed cases yet.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '办件公示', 'Case results')}</caption>
<thead><tr><th scope="col">${t(page, '办件编号', 'Number')}</th><th scope="col">${t(page, '事项', 'Service')}</th><th scope="col">${t(page, '申请人', 'Applicant')}</th><th scope="col">${t(page, '办理机关', 'Agency')}</th><th scope="col">${t(page, '结果', 'Result')}</th><th scope="col">${t(page, '办结时间', 'Closed')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.caseNo}</td><td>${r.itemName}</td><td>${r.applicant}</td><td>${r.organisationName}</td><td>${r.result}</td><td>${r.closedAt}</td></tr>`)}</tbody></table></div>
${pager({ path: '/case-results', query: {}, ...p })}`}`,
  });
}

export function libraryPage(page: PageContext, rows: LibraryItemRow[]): SafeHtml {
  return portalPage(page, {
    title: t(page, '我的材料库', 'My material library'),
    crumbs: [home(page), { label: t(page, '我的材料库', 'My material library') }],
    body: html`<h1>${t(page, '我的材料库', 'My material library')}</h1>
${rows.length === 0
  ? html`<p class="empty">${t(page, '材料库是空的。在线申请时上传的文件会保存在这里。', 'Files you upload when applying are kept here.')}</p>`
  : html`<ul class="card">${rows.map((r) => html`<li><a href="/attachments/${r.attachment_id}">${r.label}</a> <span class="muted">${r.file_name} · ${formatDateTime(r.created_at)}</span></li>`)}</ul>`}`,
  });
}
