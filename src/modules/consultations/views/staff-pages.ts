import type { AttachmentMeta } from '../../../platform/attachments/attachment-store.ts';
import { maskMobile } from '../../../platform/codes/validators.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CommentRow, CommentStatus, ConsultationKind, ConsultationRow, ConsultationStatus, ResponseRow } from '../consultation.repository.ts';
import { FIELD_LABELS, toShanghaiLocal } from '../commands/validate-consultation.ts';
import type { ConsultationAction } from '../policies.ts';
import { answerText, questionnaireToText, type SurveyResults } from '../questionnaire.ts';
import { phaseAt } from '../rules.ts';
import { ADOPTION_LABEL, draftBody, KIND_LABEL, KIND_LABEL_EN, paragraphs, phaseBadge, resultsTables } from './shared.ts';

const BASE = '/workbench/consultations';
const wb = (page: PageContext) => ({ label: t(page, '工作台', 'Workbench'), href: '/workbench' });
const listCrumb = (page: PageContext) => ({ label: t(page, '征求意见与调查', 'Consultations'), href: BASE });
const STATUS_LABEL: Record<ConsultationStatus, string> = { draft: '草稿', published: '已发布', concluded: '已公布结果' };
const COMMENT_STATUS: Record<CommentStatus, string> = { pending: '待审核', approved: '已公开', hidden: '不予公开' };

/** Shows a contact masked: a mobile number as 138****8000, an email with its local part shortened. */
function maskContact(contact: string | null): string {
  if (!contact) return '';
  if (/^1\d{10}$/.test(contact)) return maskMobile(contact);
  const [local = '', domain = ''] = contact.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

export function staffList(
  page: PageContext,
  rows: ConsultationRow[],
  p: { page: number; pageSize: number; total: number; kind?: ConsultationKind | undefined; status?: ConsultationStatus | undefined; canCreate: boolean; now: Date },
): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '征求意见与调查', 'Consultations'),
    crumbs: [wb(page), { label: t(page, '征求意见与调查', 'Consultations') }],
    body: html`<h1>${t(page, '征求意见与网上调查', 'Consultations and surveys')}</h1>
<form method="get" action="${BASE}" class="filters">
  <div class="field"><label for="f-kind">${t(page, '类别', 'Type')}</label>
  <select id="f-kind" name="kind"><option value="">${t(page, '全部', 'All')}</option>${(['draft', 'survey'] as const).map((k) => html`<option value="${k}"${attr('selected', k === p.kind)}>${t(page, KIND_LABEL[k], KIND_LABEL_EN[k])}</option>`)}</select></div>
  <div class="field"><label for="f-status">${t(page, '状态', 'Status')}</label>
  <select id="f-status" name="status"><option value="">${t(page, '全部', 'All')}</option>${(['draft', 'published', 'concluded'] as const).map((s) => html`<option value="${s}"${attr('selected', s === p.status)}>${STATUS_LABEL[s]}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
  ${p.canCreate ? html`<a class="button" href="${BASE}/new?kind=draft">${t(page, '发起征求意见', 'New draft for comment')}</a> <a class="button" href="${BASE}/new?kind=survey">${t(page, '发起网上调查', 'New survey')}</a>` : ''}
</form>
${rows.length === 0
  ? html`<p class="empty">${p.kind || p.status ? t(page, '没有符合条件的项目。', 'Nothing matches.') : t(page, '您的管辖范围内还没有征求意见或网上调查。', 'No consultations in your scope yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '征求意见与调查列表', 'Consultations')}</caption>
<thead><tr><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '类别', 'Type')}</th><th scope="col">${t(page, '单位', 'Organisation')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '截止时间', 'Closes')}</th></tr></thead>
<tbody>${rows.map((c) => html`<tr><td><a href="${BASE}/${c.id}">${c.title}</a></td><td>${KIND_LABEL[c.kind]}</td><td>${c.organisationName}</td><td>${phaseBadge(page, phaseAt(c, p.now))}</td><td>${formatDateTime(c.closesAt)}</td></tr>`)}</tbody></table>
${pager({ path: BASE, query: { kind: p.kind, status: p.status }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export function consultationForm(
  page: PageContext,
  opts: { kind: ConsultationKind; consultation?: ConsultationRow; values: Record<string, unknown>; errors: FieldError[]; version?: number },
): SafeHtml {
  const editing = Boolean(opts.consultation);
  const v = opts.values;
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k]) : '');
  const checked = (k: string) => v[k] === true || v[k] === 'on' || v[k] === 'true';
  const heading = editing ? t(page, '修改', 'Edit') : opts.kind === 'draft' ? t(page, '发起征求意见', 'New draft for comment') : t(page, '发起网上调查', 'New survey');
  const participation = str('participation') || 'real_name';
  return workbenchPage(page, {
    title: heading,
    crumbs: [wb(page), listCrumb(page), { label: heading }],
    body: html`<h1>${heading}</h1>
${errorSummary(opts.errors, FIELD_LABELS)}
<form method="post" action="${editing ? `${BASE}/${opts.consultation?.id}` : `${BASE}?kind=${opts.kind}`}" class="stack" novalidate>
  ${csrfField(page)}
  ${editing ? html`<input type="hidden" name="version" value="${opts.version ?? opts.consultation?.version ?? 1}">` : ''}
  ${textField({ name: 'title', label: t(page, '标题', 'Title'), value: str('title'), required: true, maxLength: 200, errors: opts.errors, ...(opts.kind === 'draft' ? { hint: t(page, '如：《武汉市××管理办法（征求意见稿）》', 'e.g. the draft regulation’s title') } : {}) })}
  ${textArea({ name: 'summary', label: t(page, '内容简介', 'Summary'), value: str('summary'), maxLength: 1000, rows: 4, errors: opts.errors, hint: t(page, '选填，不超过 1000 字：起草背景、主要内容', 'Optional, up to 1000 characters') })}
  ${opts.kind === 'draft'
    ? textArea({ name: 'body', label: t(page, '正文', 'Full text'), value: str('body'), required: true, rows: 14, errors: opts.errors, hint: t(page, '可直接粘贴文字（空行分段），也可使用简单的 HTML 标记（标题、段落、列表、表格）；其他标记会被清除', 'Plain text or simple HTML; anything else is removed') })
    : textArea({ name: 'questionsText', label: t(page, '问卷题目', 'Questions'), value: str('questionsText'), required: true, rows: 10, errors: opts.errors, hint: t(page, '每行一题：题型 | 题目 | 选项（用 / 分隔）。题型为单选、多选、评分（1–5 分）、简答；加 * 表示必答；多选可写“多选(1-3)”限制选择数。例：单选* | 您对办事效率是否满意？ | 满意 / 一般 / 不满意', 'One question per line: type | question | options separated by /') })}
  ${textField({ name: 'opensAt', label: t(page, '开始时间', 'Opens'), value: str('opensAt'), required: true, hint: t(page, '北京时间，格式如 2026-12-01 09:00', 'Beijing time, e.g. 2026-12-01 09:00'), errors: opts.errors })}
  ${textField({ name: 'closesAt', label: t(page, '截止时间', 'Closes'), value: str('closesAt'), required: true, hint: t(page, '北京时间；到时自动截止，不再接收提交', 'Beijing time; submissions stop automatically'), errors: opts.errors })}
  <fieldset id="f-participation" class="field${opts.errors.some((e) => e.field === 'participation') ? ' has-error' : ''}"><legend>${t(page, '参与方式', 'Who may take part')}</legend>
    <div><input type="radio" id="f-participation-real" name="participation" value="real_name"${attr('checked', participation === 'real_name')}> <label for="f-participation-real" style="display:inline;font-weight:normal">${t(page, '实名参与：须登录并完成实名认证，每人一次', 'Verified accounts only, once per person')}</label></div>
    <div><input type="radio" id="f-participation-open" name="participation" value="open"${attr('checked', participation === 'open')}> <label for="f-participation-open" style="display:inline;font-weight:normal">${t(page, opts.kind === 'draft' ? '可匿名参与：未登录者须留下联系方式' : '可匿名参与：未登录者每个浏览器一次', 'Anyone; anonymous people leave a contact / once per browser')}</label></div>
  </fieldset>
  ${opts.kind === 'draft'
    ? html`<div class="field"><input type="checkbox" id="f-publicComments" name="publicComments" value="on"${attr('checked', checked('publicComments'))}> <label for="f-publicComments" style="display:inline">${t(page, '审核后公开展示网友意见', 'Show comments publicly after moderation')}</label></div>`
    : html`<div class="field"><input type="checkbox" id="f-liveResults" name="liveResults" value="on"${attr('checked', checked('liveResults'))}> <label for="f-liveResults" style="display:inline">${t(page, '调查期间公开实时结果（否则截止后公布）', 'Show live results while open')}</label></div>`}
  <button type="submit">${editing ? t(page, '保存修改', 'Save changes') : t(page, '保存草稿', 'Save draft')}</button>
  <a href="${editing ? `${BASE}/${opts.consultation?.id}` : BASE}" class="button secondary">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}

/** Form values of a saved consultation (for the edit form). */
export function formValues(c: ConsultationRow): Record<string, unknown> {
  return {
    title: c.title,
    summary: c.summary,
    body: c.bodyHtml,
    questionsText: questionnaireToText(c.questions),
    opensAt: toShanghaiLocal(c.opensAt).replace('T', ' '),
    closesAt: toShanghaiLocal(c.closesAt).replace('T', ' '),
    participation: c.participation,
    publicComments: c.publicComments,
    liveResults: c.liveResults,
  };
}

export function staffDetail(
  page: PageContext,
  c: ConsultationRow,
  p: { actions: ConsultationAction[]; now: Date; commentCounts: Record<CommentStatus, number>; responses: number; attachments: AttachmentMeta[]; results: SurveyResults | null },
): SafeHtml {
  const phase = phaseAt(c, p.now);
  const button = (action: 'publish' | 'close', label: string, cls: string) =>
    p.actions.includes(action)
      ? html`<form method="post" action="${BASE}/${c.id}/${action}" class="inline-form">${csrfField(page)}<input type="hidden" name="version" value="${c.version}"><button type="submit" class="${cls}">${label}</button></form> `
      : '';
  return workbenchPage(page, {
    title: c.title,
    crumbs: [wb(page), listCrumb(page), { label: c.title }],
    body: html`<article class="card">
  <p><span class="badge">${KIND_LABEL[c.kind]}</span> ${phaseBadge(page, phase)}</p>
  <h1>${c.title}</h1>
  <p class="muted">${c.organisationName} · ${t(page, '征集时间', 'Open')} ${formatDateTime(c.opensAt)} ${t(page, '至', 'to')} ${formatDateTime(c.closesAt)} · ${c.participation === 'real_name' ? t(page, '实名参与', 'Real-name') : t(page, '可匿名参与', 'Open')} · ${t(page, `第 ${c.version} 版`, `Version ${c.version}`)}</p>
  ${c.summary ? paragraphs(c.summary) : ''}
  ${c.kind === 'draft' ? html`<details><summary>${t(page, '查看正文', 'Show the full text')}</summary><div class="draft-text">${draftBody(c)}</div></details>` : html`<ol>${c.questions.map((q) => html`<li>${q.title}${q.required ? t(page, '（必答）', ' (required)') : ''}${q.options ? html`<br><span class="muted">${q.options.join(' / ')}</span>` : ''}</li>`)}</ol>`}
</article>
<section class="card"><h2>${t(page, '参与情况', 'Participation')}</h2>
${c.kind === 'draft'
  ? html`<p>${t(page, `收到意见 ${p.commentCounts.pending + p.commentCounts.approved + p.commentCounts.hidden} 条：待审核 ${p.commentCounts.pending} 条，已公开 ${p.commentCounts.approved} 条，不予公开 ${p.commentCounts.hidden} 条。`, `Comments: ${p.commentCounts.pending} pending, ${p.commentCounts.approved} approved, ${p.commentCounts.hidden} hidden.`)}</p>`
  : html`<p>${t(page, `收到答卷 ${p.responses} 份。`, `${p.responses} responses.`)}</p>`}
</section>
<section class="card"><h2>${t(page, '附件', 'Attachments')}</h2>
${p.attachments.length === 0 ? html`<p class="empty">${t(page, '没有附件。', 'No attachments.')}</p>` : html`<ul>${p.attachments.map((a) => html`<li><a href="/consultations/${c.id}/attachments/${a.id}">${a.originalName}</a></li>`)}</ul>`}
${p.actions.includes('edit')
  ? html`<form method="post" action="${BASE}/${c.id}/attachments?_csrf=${encodeURIComponent(page.csrfToken)}" enctype="multipart/form-data" class="inline-form">
  <label for="f-file">${t(page, '添加附件（PDF、Word、Excel、图片）', 'Add a file')}</label> <input id="f-file" type="file" name="file"> <button type="submit" class="secondary small">${t(page, '上传', 'Upload')}</button></form>`
  : ''}
</section>
<p>${p.actions.includes('edit') ? html`<a class="button secondary" href="${BASE}/${c.id}/edit">${t(page, '修改', 'Edit')}</a> ` : ''}${button('publish', t(page, '发布', 'Publish'), '')}${button('close', t(page, '提前截止', 'Close now'), 'danger')}
${p.actions.includes('moderate') ? html`<a class="button secondary" href="${BASE}/${c.id}/moderation">${t(page, c.kind === 'draft' ? '审核意见' : '审核文字回答', 'Moderate')}</a> ` : ''}
${p.actions.includes('feedback') || p.actions.includes('conclude') ? html`<a class="button" href="${BASE}/${c.id}/feedback">${t(page, c.kind === 'draft' ? '填写并公布意见采纳情况' : '公布调查结果', c.kind === 'draft' ? 'Write and publish the feedback' : 'Publish the results')}</a> ` : ''}
${p.actions.includes('export') && phase !== 'draft' ? html`<a class="button secondary" href="${BASE}/${c.id}/export.xlsx">${t(page, '导出 Excel', 'Export Excel')}</a> <a class="button secondary" href="${BASE}/${c.id}/export.csv">${t(page, '导出 CSV', 'Export CSV')}</a>` : ''}
${phase !== 'draft' ? html` <a href="/consultations/${c.id}">${t(page, '查看公开页面', 'Public page')}</a>` : ''}</p>
${p.results ? html`<h2>${t(page, '实时结果', 'Live results')}</h2>${resultsTables(page, p.results)}` : ''}`,
  });
}

function moderationForm(page: PageContext, action: string, version: number | null, errors: FieldError[], idPrefix: string): SafeHtml {
  return html`<form method="post" action="${action}" class="inline-form">${csrfField(page)}${version !== null ? html`<input type="hidden" name="version" value="${version}">` : ''}
<label for="${idPrefix}-reason">${t(page, '理由', 'Reason')}</label> <input id="${idPrefix}-reason" name="reason" maxlength="500"${attr('aria-invalid', errors.length > 0 ? 'true' : null)}>
<button type="submit" name="decision" value="approve" class="small">${t(page, '公开', 'Show')}</button>
<button type="submit" name="decision" value="hide" class="small danger">${t(page, '不予公开', 'Hide')}</button></form>`;
}

export function moderationPage(
  page: PageContext,
  c: ConsultationRow,
  p: { comments: CommentRow[]; responses: ResponseRow[]; status: string; page: number; pageSize: number; total: number; errors: FieldError[]; canModerate: boolean },
): SafeHtml {
  const tabs = (['pending', 'approved', 'hidden'] as const).map(
    (s) => html`<a class="button${s === p.status ? '' : ' secondary'} small" href="${BASE}/${c.id}/moderation?status=${s}"${attr('aria-current', s === p.status ? 'page' : null)}>${COMMENT_STATUS[s]}</a> `,
  );
  const flagged = (terms: string[]) => (terms.length > 0 ? html` <span class="badge bad">${t(page, '疑似不当用语：', 'Flagged: ')}${terms.join('、')}</span>` : '');
  return workbenchPage(page, {
    title: t(page, '审核', 'Moderation'),
    crumbs: [wb(page), listCrumb(page), { label: c.title, href: `${BASE}/${c.id}` }, { label: t(page, '审核', 'Moderation') }],
    body: html`<h1>${t(page, c.kind === 'draft' ? '审核意见' : '审核文字回答', 'Moderation')}</h1>
<p class="muted">${c.title}</p>
${errorSummary(p.errors, { reason: '理由', decision: '审核结果' })}
<p>${tabs}</p>
${c.kind === 'draft'
  ? p.comments.length === 0
    ? html`<p class="empty">${t(page, '没有此状态的意见。', 'No comments here.')}</p>`
    : html`<ol class="card">${p.comments.map(
        (x) => html`<li id="c-${x.id}"><p><strong>${x.authorName}</strong>${x.contact ? html` <span class="muted">${maskContact(x.contact)}</span>` : ''} <span class="muted">${formatDateTime(x.createdAt)}</span> <span class="badge">${COMMENT_STATUS[x.status]}</span>${flagged(x.flaggedTerms)}</p>
${paragraphs(x.body)}${x.moderationReason ? html`<p class="muted">${t(page, '审核理由：', 'Reason: ')}${x.moderationReason}</p>` : ''}
${p.canModerate ? moderationForm(page, `${BASE}/${c.id}/comments/${x.id}/moderate`, x.version, [], `m-${x.id}`) : ''}</li>`,
      )}</ol>`
  : p.responses.length === 0
    ? html`<p class="empty">${t(page, '没有此状态的文字回答。', 'Nothing here.')}</p>`
    : html`<ol class="card">${p.responses.map(
        (r) => html`<li id="r-${r.id}"><p class="muted">${formatDateTime(r.createdAt)}${flagged(r.flaggedTerms)}</p>
<ul>${c.questions.filter((q) => q.type === 'text' && r.answers[q.id] !== undefined).map((q) => html`<li>${q.title}：${answerText(q, r.answers[q.id])}</li>`)}</ul>
${r.moderationReason ? html`<p class="muted">${t(page, '审核理由：', 'Reason: ')}${r.moderationReason}</p>` : ''}
${p.canModerate ? moderationForm(page, `${BASE}/${c.id}/responses/${r.id}/moderate`, null, [], `m-${r.id}`) : ''}</li>`,
      )}</ol>`}
${pager({ path: `${BASE}/${c.id}/moderation`, query: { status: p.status }, page: p.page, pageSize: p.pageSize, total: p.total })}`,
  });
}

export function feedbackForm(
  page: PageContext,
  c: ConsultationRow,
  p: { comments: CommentRow[]; values: Record<string, unknown>; errors: FieldError[]; canConclude: boolean; canWrite: boolean; pending: number },
): SafeHtml {
  const str = (k: string, fallback = '') => (typeof p.values[k] === 'string' ? (p.values[k]) : fallback);
  const labels: Record<string, string> = { summary: '总体情况说明' };
  p.comments.forEach((x, i) => {
    labels[`adoption_${x.id}`] = `第 ${i + 1} 条意见`;
    labels[`reason_${x.id}`] = `第 ${i + 1} 条意见的理由`;
  });
  return workbenchPage(page, {
    title: t(page, c.kind === 'draft' ? '意见采纳情况' : '公布调查结果', 'Feedback'),
    crumbs: [wb(page), listCrumb(page), { label: c.title, href: `${BASE}/${c.id}` }, { label: t(page, '结果公布', 'Feedback') }],
    body: html`<h1>${t(page, c.kind === 'draft' ? '意见采纳情况' : '公布调查结果', c.kind === 'draft' ? 'Feedback on comments' : 'Publish the results')}</h1>
<p class="muted">${c.title}</p>
${errorSummary(p.errors, labels)}
${p.pending > 0 ? html`<p class="flash" role="status">${t(page, `还有 ${p.pending} 条待审核，审核完成后才能公布。`, `${p.pending} still to moderate.`)} <a href="${BASE}/${c.id}/moderation">${t(page, '去审核', 'Moderate')}</a></p>` : ''}
<form method="post" action="${BASE}/${c.id}/feedback" class="stack" novalidate>
  ${csrfField(page)}<input type="hidden" name="version" value="${c.version}">
  ${textArea({ name: 'summary', label: t(page, c.kind === 'draft' ? '总体情况说明' : '结果说明', 'Summary'), value: str('summary', c.feedbackSummary), rows: 6, required: c.kind === 'draft', errors: p.errors, hint: t(page, '公布时一并公开，如：共收到意见多少条，主要意见及采纳情况', 'Published with the results') })}
  ${c.kind === 'draft'
    ? p.comments.length === 0
      ? html`<p class="empty">${t(page, '没有已公开审核通过的意见需要答复。', 'No approved comments to answer.')}</p>`
      : p.comments.map((x, i) => {
          const chosen = str(`adoption_${x.id}`, x.adoption ?? '');
          const err = p.errors.find((e) => e.field === `adoption_${x.id}` || e.field === `reason_${x.id}`);
          return html`<fieldset id="f-adoption_${x.id}" class="card field${err ? ' has-error' : ''}"><legend>${t(page, `第 ${i + 1} 条意见`, `Comment ${i + 1}`)}（${x.authorName}）</legend>
${paragraphs(x.body)}
${err ? html`<p class="error"><span class="visually-hidden">错误：</span>${err.message}</p>` : ''}
${(['adopted', 'partly', 'not_adopted'] as const).map((a) => html`<span><input type="radio" id="f-adoption_${x.id}-${a}" name="adoption_${x.id}" value="${a}"${attr('checked', chosen === a)}> <label for="f-adoption_${x.id}-${a}" style="display:inline;font-weight:normal">${ADOPTION_LABEL[a]}</label></span> `)}
<div class="field"><label for="f-reason_${x.id}">${t(page, '理由或说明', 'Reason')}</label><textarea id="f-reason_${x.id}" name="reason_${x.id}" rows="2" maxlength="1000">${str(`reason_${x.id}`, x.adoptionReason ?? '')}</textarea></div>
</fieldset>`;
        })
    : ''}
  ${p.canWrite ? html`<button type="submit" name="intent" value="save" class="secondary">${t(page, '保存', 'Save')}</button>` : ''}
  ${p.canConclude ? html`<button type="submit" name="intent" value="conclude">${t(page, c.kind === 'draft' ? '保存并公布意见采纳情况' : '公布调查结果', 'Save and publish')}</button>` : ''}
</form>`,
  });
}
