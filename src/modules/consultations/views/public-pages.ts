import type { AttachmentMeta } from '../../../platform/attachments/attachment-store.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { attr, html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CommentRow, ConsultationKind, ConsultationRow, PublicState, ResponseRow } from '../consultation.repository.ts';
import { COMMENT_LABELS } from '../commands/submit-comment.ts';
import type { Question, SurveyResults } from '../questionnaire.ts';
import { COMMENT_MAX, phaseAt, type Phase } from '../rules.ts';
import { ADOPTION_LABEL, ADOPTION_LABEL_EN, draftBody, KIND_LABEL, KIND_LABEL_EN, paragraphs, phaseBadge, publicAuthor, resultsTables } from './shared.ts';

const home = (page: PageContext) => ({ label: t(page, '首页', 'Home'), href: '/' });
const listCrumb = (page: PageContext) => ({ label: t(page, '征求意见与网上调查', 'Consultations'), href: '/consultations' });

export function publicList(
  page: PageContext,
  rows: ConsultationRow[],
  p: { state: PublicState; kind?: ConsultationKind | undefined; region?: string | undefined; regionName?: string | null; page: number; pageSize: number; total: number; now: Date },
): SafeHtml {
  const query = { state: p.state, kind: p.kind, region: p.region };
  const tab = (state: PublicState, label: string) => {
    const params = new URLSearchParams({ state, ...(p.kind ? { kind: p.kind } : {}), ...(p.region ? { region: p.region } : {}) });
    return html`<a class="button${state === p.state ? '' : ' secondary'}" href="/consultations?${params.toString()}"${attr('aria-current', state === p.state ? 'page' : null)}>${label}</a>`;
  };
  return portalPage(page, {
    title: t(page, '征求意见与网上调查', 'Consultations and surveys'),
    crumbs: [home(page), { label: t(page, '征求意见与网上调查', 'Consultations') }],
    body: html`<h1>${t(page, '征求意见与网上调查', 'Consultations and surveys')}</h1>
<p class="lead">${t(page, '政府部门在这里公开征求对政策草案的意见，开展网上调查，并公布意见采纳情况和调查结果。', 'Agencies ask for comments on draft policies, run surveys, and publish what they did with the answers.')}</p>
${p.region ? html`<p>${t(page, '当前地区：', 'Region: ')}${p.regionName ?? p.region} <a href="/consultations?state=${p.state}">${t(page, '查看全部地区', 'All regions')}</a></p>` : ''}
<p>${tab('open', t(page, '正在征集', 'Open'))} ${tab('closed', t(page, '已经截止', 'Closed'))}</p>
<form method="get" action="/consultations" class="filters">
  <input type="hidden" name="state" value="${p.state}">
  ${p.region ? html`<input type="hidden" name="region" value="${p.region}">` : ''}
  <div class="field"><label for="f-kind">${t(page, '类别', 'Type')}</label>
  <select id="f-kind" name="kind"><option value="">${t(page, '全部', 'All')}</option>${(['draft', 'survey'] as const).map((k) => html`<option value="${k}"${attr('selected', k === p.kind)}>${t(page, KIND_LABEL[k], KIND_LABEL_EN[k])}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>
${rows.length === 0
  ? html`<p class="empty">${p.state === 'open' ? t(page, '目前没有正在征集的项目，欢迎稍后再来。', 'Nothing is open for comment right now.') : t(page, '还没有已截止的项目。', 'No closed consultations yet.')}</p>`
  : html`<ul class="card">${rows.map(
      (c) => html`<li><span class="badge">${t(page, KIND_LABEL[c.kind], KIND_LABEL_EN[c.kind])}</span> <a href="/consultations/${c.id}">${c.title}</a> ${phaseBadge(page, phaseAt(c, p.now))}
<br><span class="muted">${c.organisationName} · ${t(page, '征集时间', 'Open')} ${formatDateTime(c.opensAt)} ${t(page, '至', 'to')} ${formatDateTime(c.closesAt)}</span></li>`,
    )}</ul>
${pager({ path: '/consultations', query, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export interface DetailState {
  now: Date;
  attachments: AttachmentMeta[];
  /** Draft: comments shown publicly (approved, when the organiser chose to show them). */
  publicComments: CommentRow[];
  /** The signed-in person's earlier comment or response, if any. */
  mine: CommentRow | ResponseRow | null;
  submissionId: string;
  values: Record<string, unknown>;
  errors: FieldError[];
  resultsVisible: boolean;
}

function participationNote(page: PageContext, c: ConsultationRow): SafeHtml {
  return c.participation === 'real_name'
    ? html`<p>${t(page, '参与方式：实名参与（须登录并完成实名认证），每人限提交一次。', 'Real-name participation: sign in with a verified account; once per person.')}</p>`
    : html`<p>${t(page, '参与方式：可匿名参与（匿名提交请留下联系方式），登录后每人限提交一次。', 'Open participation: anonymous answers leave a contact; once per person when signed in.')}</p>`;
}

function signInPrompt(page: PageContext, c: ConsultationRow): SafeHtml {
  return html`<p><a class="button" href="/login?next=${encodeURIComponent(`/consultations/${c.id}`)}">${t(page, '登录后参与', 'Sign in to take part')}</a></p>`;
}

function needsSignIn(page: PageContext, c: ConsultationRow): 'sign_in' | 'verify' | null {
  if (c.participation !== 'real_name') return null;
  const a = page.actor;
  if (a.kind === 'anonymous' || a.kind === 'system') return 'sign_in';
  return a.realNameLevel >= 2 ? null : 'verify';
}

function commentForm(page: PageContext, c: ConsultationRow, s: DetailState): SafeHtml {
  const anonymous = page.actor.kind === 'anonymous';
  return html`<section class="card" aria-labelledby="comment-h">
  <h2 id="comment-h">${t(page, '发表意见', 'Comment')}</h2>
  ${errorSummary(s.errors, COMMENT_LABELS)}
  <form method="post" action="/consultations/${c.id}/comments" class="stack" novalidate>
    ${csrfField(page)}
    <input type="hidden" name="submissionId" value="${s.submissionId}">
    ${textArea({ name: 'body', label: t(page, COMMENT_LABELS.body ?? '意见内容', 'Your comment'), value: typeof s.values.body === 'string' ? s.values.body : '', required: true, maxLength: COMMENT_MAX, hint: t(page, `5 至 ${COMMENT_MAX} 字。意见经审核后${c.publicComments ? '公开展示' : '由起草单位研究，不公开展示'}。`, `5–${COMMENT_MAX} characters; moderated before ${c.publicComments ? 'being shown' : 'being read (not shown publicly)'}.`), rows: 8, errors: s.errors })}
    ${anonymous
      ? html`${textField({ name: 'authorName', label: t(page, '称呼（选填）', 'Name (optional)'), value: typeof s.values.authorName === 'string' ? s.values.authorName : '', maxLength: 50, errors: s.errors })}
    ${textField({ name: 'contact', label: t(page, '联系方式', 'Contact'), value: typeof s.values.contact === 'string' ? s.values.contact : '', required: true, maxLength: 100, hint: t(page, '手机号码或电子邮箱，仅供起草单位核实，不公开', 'Mobile number or email; never shown'), errors: s.errors })}`
      : ''}
    <button type="submit">${t(page, '提交意见', 'Submit comment')}</button>
  </form>
</section>`;
}

function questionField(page: PageContext, q: Question, index: number, value: unknown, errors: FieldError[]): SafeHtml {
  const err = errors.find((e) => e.field === q.id)?.message;
  const id = `f-${q.id}`;
  const chosen = new Set((Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).map(String));
  const head = html`${index + 1}. ${q.title}${q.required ? html` <span aria-hidden="true">*</span><span class="visually-hidden">${t(page, '（必答）', '(required)')}</span>` : ''}`;
  const errorLine = err ? html`<p class="error" id="${id}-error"><span class="visually-hidden">错误：</span>${err}</p>` : '';
  if (q.type === 'text') {
    return html`<div class="field${err ? ' has-error' : ''}"><label for="${id}">${head}</label>${errorLine}
<textarea id="${id}" name="${q.id}" rows="4" maxlength="500"${attr('aria-invalid', err ? 'true' : null)}${attr('aria-describedby', err ? `${id}-error` : null)}>${typeof value === 'string' ? value : ''}</textarea></div>`;
  }
  const options = q.type === 'rating' ? ['1 分（很不满意）', '2 分', '3 分', '4 分', '5 分（非常满意）'] : (q.options ?? []);
  const inputType = q.type === 'multiple' ? 'checkbox' : 'radio';
  const hint =
    q.type === 'multiple' ? t(page, `可多选${q.min ? `，至少 ${q.min} 项` : ''}${q.max !== undefined ? `，最多 ${q.max} 项` : ''}`, `Choose${q.min ? ` at least ${q.min}` : ''}${q.max !== undefined ? ` up to ${q.max}` : ''}`) : '';
  return html`<fieldset id="${id}" class="field${err ? ' has-error' : ''}"${attr('aria-describedby', err ? `${id}-error` : null)}><legend>${head}</legend>
${hint ? html`<p class="hint">${hint}</p>` : ''}${errorLine}
${options.map((label, i) => {
  const v = q.type === 'rating' ? String(i + 1) : String(i);
  return html`<div><input type="${inputType}" id="${id}-${i}" name="${q.id}" value="${v}"${attr('checked', chosen.has(v))}> <label for="${id}-${i}" style="display:inline;font-weight:normal">${label}</label></div>`;
})}
</fieldset>`;
}

function questionnaireForm(page: PageContext, c: ConsultationRow, s: DetailState): SafeHtml {
  const labels = Object.fromEntries(c.questions.map((q, i) => [q.id, `第 ${i + 1} 题`]));
  return html`<section class="card" aria-labelledby="survey-h">
  <h2 id="survey-h">${t(page, '填写问卷', 'Answer the survey')}</h2>
  ${errorSummary(s.errors, { ...labels, submissionId: '提交编号' })}
  <form method="post" action="/consultations/${c.id}/responses" class="stack" novalidate>
    ${csrfField(page)}
    <input type="hidden" name="submissionId" value="${s.submissionId}">
    ${c.questions.map((q, i) => questionField(page, q, i, s.values[q.id], s.errors))}
    <button type="submit">${t(page, '提交问卷', 'Submit answers')}</button>
  </form>
</section>`;
}

function participation(page: PageContext, c: ConsultationRow, phase: Phase, s: DetailState): SafeHtml {
  const noun = c.kind === 'draft' ? t(page, '意见', 'comment') : t(page, '问卷', 'answers');
  if (s.mine) {
    if (c.kind === 'draft' && 'body' in s.mine) {
      return html`<section class="card"><h2>${t(page, '您提交的意见', 'Your comment')}</h2><p class="muted">${t(page, '提交时间：', 'Submitted ')}${formatDateTime(s.mine.createdAt)}</p>${paragraphs(s.mine.body)}
<p>${t(page, '每人限提交一条意见。意见采纳情况将在征集结束后公布。', 'One comment per person. The feedback is published after the consultation closes.')}</p></section>`;
    }
    return html`<section class="card"><h2>${t(page, '您已参与本次调查', 'You have answered this survey')}</h2><p>${t(page, `感谢参与！您的${noun}已于 ${formatDateTime(s.mine.createdAt)} 提交，每人限提交一次。`, `Thank you. Submitted ${formatDateTime(s.mine.createdAt)}; once per person.`)}</p></section>`;
  }
  if (phase === 'scheduled') return html`<p class="empty">${t(page, `征集将于 ${formatDateTime(c.opensAt)} 开始。`, `Opens ${formatDateTime(c.opensAt)}.`)}</p>`;
  if (phase !== 'open') return html`<p class="empty">${t(page, '征集已截止，感谢关注。', 'This consultation has closed.')}</p>`;
  const gate = needsSignIn(page, c);
  if (gate === 'sign_in') return html`<section class="card"><p>${t(page, '本次征集须实名参与，请先登录。', 'Real-name participation: please sign in.')}</p>${signInPrompt(page, c)}</section>`;
  if (gate === 'verify') return html`<section class="card"><p>${t(page, '本次征集须实名参与：您的账号尚未完成实名认证（身份证号核验），暂不能提交。', 'Your account is not verified for real-name participation yet.')}</p></section>`;
  return c.kind === 'draft' ? commentForm(page, c, s) : questionnaireForm(page, c, s);
}

export function publicDetail(page: PageContext, c: ConsultationRow, s: DetailState): SafeHtml {
  const phase = phaseAt(c, s.now);
  return portalPage(page, {
    title: c.title,
    crumbs: [home(page), listCrumb(page), { label: c.title }],
    body: html`<article class="card">
  <p><span class="badge">${t(page, KIND_LABEL[c.kind], KIND_LABEL_EN[c.kind])}</span> ${phaseBadge(page, phase)}</p>
  <h1>${c.title}</h1>
  <p class="muted">${t(page, '发布单位：', 'By ')}${c.organisationName}${t(page, '　', ' · ')}${t(page, '征集时间：', 'Open: ')}${formatDateTime(c.opensAt)} ${t(page, '至', 'to')} ${formatDateTime(c.closesAt)}</p>
  ${participationNote(page, c)}
  ${c.summary ? html`<h2>${t(page, '内容简介', 'Summary')}</h2>${paragraphs(c.summary)}` : ''}
  ${c.kind === 'draft' ? html`<h2>${t(page, '征求意见稿全文', 'Full text')}</h2><div class="draft-text">${draftBody(c)}</div>` : ''}
  ${s.attachments.length > 0
    ? html`<h2>${t(page, '附件', 'Attachments')}</h2><ul>${s.attachments.map((a) => html`<li><a href="/consultations/${c.id}/attachments/${a.id}">${a.originalName}</a></li>`)}</ul>`
    : ''}
</article>
${c.status === 'concluded' && c.kind === 'draft' ? html`<p><a class="button" href="/consultations/${c.id}/feedback">${t(page, '查看意见采纳情况', 'See the feedback')}</a></p>` : ''}
${s.resultsVisible ? html`<p><a class="button" href="/consultations/${c.id}/results">${t(page, c.status === 'concluded' ? '查看调查结果' : '查看实时结果', 'See the results')}</a></p>` : ''}
${participation(page, c, phase, s)}
${c.kind === 'draft' && c.publicComments
  ? html`<section aria-labelledby="comments-h"><h2 id="comments-h">${t(page, '网友意见', 'Comments')}</h2>
${s.publicComments.length === 0 ? html`<p class="empty">${t(page, '暂无公开的意见。', 'No comments shown yet.')}</p>` : html`<ul class="card">${s.publicComments.map((x) => html`<li><strong>${publicAuthor(x)}</strong> <span class="muted">${formatDateTime(x.createdAt)}</span>${paragraphs(x.body)}</li>`)}</ul>`}
</section>`
  : ''}`,
  });
}

export function feedbackPage(page: PageContext, c: ConsultationRow, comments: CommentRow[]): SafeHtml {
  const counts = { adopted: 0, partly: 0, not_adopted: 0 };
  for (const x of comments) if (x.adoption) counts[x.adoption] += 1;
  return portalPage(page, {
    title: t(page, `意见采纳情况：${c.title}`, `Feedback: ${c.title}`),
    crumbs: [home(page), listCrumb(page), { label: c.title, href: `/consultations/${c.id}` }, { label: t(page, '意见采纳情况', 'Feedback') }],
    body: html`<h1>${t(page, '意见采纳情况', 'Feedback')}</h1>
<p class="muted">${c.title} · ${c.organisationName} · ${t(page, '公布时间：', 'Published ')}${formatDateTime(c.concludedAt)}</p>
<section class="card"><h2>${t(page, '总体情况', 'Summary')}</h2>${paragraphs(c.feedbackSummary)}
<p>${t(page, `共收到有效意见 ${comments.length} 条，其中采纳 ${counts.adopted} 条，部分采纳 ${counts.partly} 条，未采纳 ${counts.not_adopted} 条。`, `${comments.length} comments: ${counts.adopted} adopted, ${counts.partly} partly, ${counts.not_adopted} not adopted.`)}</p></section>
${comments.length === 0
  ? html`<p class="empty">${t(page, '本次征集未收到有效意见。', 'No comments were received.')}</p>`
  : html`<table><caption>${t(page, '逐条意见及采纳情况', 'Each comment and what was done with it')}</caption>
<thead><tr><th scope="col">${t(page, '序号', 'No.')}</th><th scope="col">${t(page, '提出人', 'From')}</th><th scope="col">${t(page, '意见', 'Comment')}</th><th scope="col">${t(page, '采纳情况', 'Decision')}</th><th scope="col">${t(page, '理由', 'Reason')}</th></tr></thead>
<tbody>${comments.map(
      (x, i) => html`<tr><td>${i + 1}</td><td>${publicAuthor(x)}</td><td>${x.body}</td><td>${x.adoption ? t(page, ADOPTION_LABEL[x.adoption], ADOPTION_LABEL_EN[x.adoption]) : ''}</td><td>${x.adoptionReason ?? ''}</td></tr>`,
    )}</tbody></table>`}`,
  });
}

export function resultsPage(page: PageContext, c: ConsultationRow, results: SurveyResults, now: Date): SafeHtml {
  const phase = phaseAt(c, now);
  return portalPage(page, {
    title: t(page, `调查结果：${c.title}`, `Results: ${c.title}`),
    crumbs: [home(page), listCrumb(page), { label: c.title, href: `/consultations/${c.id}` }, { label: t(page, '调查结果', 'Results') }],
    body: html`<h1>${t(page, '调查结果', 'Survey results')}</h1>
<p class="muted">${c.title} · ${c.organisationName} · ${phase === 'concluded' ? t(page, `公布时间：${formatDateTime(c.concludedAt)}`, `Published ${formatDateTime(c.concludedAt)}`) : t(page, '实时结果，调查仍在进行中或尚未公布最终结果', 'Live results')}</p>
${c.feedbackSummary ? html`<section class="card"><h2>${t(page, '结果说明', 'Notes')}</h2>${paragraphs(c.feedbackSummary)}</section>` : ''}
${resultsTables(page, results)}`,
  });
}
