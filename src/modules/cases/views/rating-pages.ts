import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDateTime, pager, textArea } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { RatingRow } from '../case.repository.ts';
import { APPEAL_CATEGORIES } from '../commands/rating-appeal.ts';
import { RATING_LEVELS } from '../commands/rate-case.ts';
import { civil } from './shared.ts';

export type RatingListRow = RatingRow & { case_no: string | null; item_name: string };

const wb = (page: PageContext) => ({ label: t(page, '工作台', 'Workbench'), href: '/workbench' });
const ratings = (page: PageContext) => ({ label: t(page, '差评整改', 'Bad reviews'), href: '/workbench/ratings' });
const categoryLabel = (c: string | null) => (c && c in APPEAL_CATEGORIES ? APPEAL_CATEGORIES[c as keyof typeof APPEAL_CATEGORIES] : (c ?? ''));

function ratingSummary(page: PageContext, r: RatingListRow): SafeHtml {
  return html`<dl class="facts">
  <dt>${t(page, '办件', 'Case')}</dt><dd>${r.item_name} <span class="muted">${r.case_no}</span></dd>
  <dt>${t(page, '评价', 'Rating')}</dt><dd>${RATING_LEVELS[r.score]}（${r.score}/5）${r.reasons.length ? `：${r.reasons.join('、')}` : ''}</dd>
  ${r.comment ? html`<dt>${t(page, '评价意见', 'Comment')}</dt><dd>${r.comment}</dd>` : ''}
  <dt>${t(page, '评价时间', 'Rated at')}</dt><dd>${formatDateTime(r.rated_at)}</dd>
  <dt>${t(page, '整改反馈期限', 'Feedback due')}</dt><dd>${civil(r.rectification_due_on)}</dd>
</dl>`;
}

function radios(page: PageContext, o: { name: string; legend: string; options: [string, string][]; value: string; errors: FieldError[]; idPrefix: string }): SafeHtml {
  const err = o.errors.find((e) => e.field === o.name)?.message;
  return html`<fieldset class="field${err ? ' has-error' : ''}" id="${o.idPrefix}${o.name}"><legend>${o.legend} <span aria-hidden="true">*</span></legend>
${err ? html`<p class="error">${err}</p>` : ''}
${o.options.map(([value, label]) => html`<div><input type="radio" id="${o.idPrefix}${o.name}-${value}" name="${o.name}" value="${value}"${value === o.value ? html` checked` : ''}> <label for="${o.idPrefix}${o.name}-${value}">${label}</label></div>`)}</fieldset>`;
}

/** 差评申诉: the handling unit's form for one bad rating (shown again with the errors and what was typed). */
export function appealFormPage(page: PageContext, r: RatingListRow, o: { errors: FieldError[]; values: { category?: string; statement?: string } }): SafeHtml {
  if (r.appeal_at) {
    return workbenchPage(page, {
      title: t(page, '差评申诉', 'Appeal a bad review'),
      crumbs: [wb(page), ratings(page), { label: t(page, '差评申诉', 'Appeal') }],
      body: html`<h1>${t(page, '差评申诉', 'Appeal a bad review')}</h1>
<div class="card">${ratingSummary(page, r)}${appealRecord(page, r)}</div>
<p class="muted">${t(page, '每条差评只能申诉一次。', 'One appeal per rating.')}</p>`,
    });
  }
  return workbenchPage(page, {
    title: t(page, '差评申诉', 'Appeal a bad review'),
    crumbs: [wb(page), ratings(page), { label: t(page, '差评申诉', 'Appeal') }],
    body: html`<h1>${t(page, '差评申诉', 'Appeal a bad review')}</h1>
${errorSummary(o.errors, { category: '申诉理由类别', statement: '申诉说明' })}
<div class="card">${ratingSummary(page, r)}</div>
<p class="muted">${t(page, '每条差评只能申诉一次，须在整改反馈期限内提出。申诉期间整改期限照常计算；申诉成立的评价作废，不计入统计。', 'One appeal per rating, within the feedback period.')}</p>
<form method="post" action="/workbench/ratings/${r.id}/appeal" class="card stack" novalidate>${csrfField(page)}<input type="hidden" name="version" value="${r.version}">
${radios(page, { name: 'category', legend: t(page, '申诉理由类别', 'Category'), options: Object.entries(APPEAL_CATEGORIES), value: o.values.category ?? '', errors: o.errors, idPrefix: 'f-' })}
${textArea({ name: 'statement', label: t(page, '申诉说明（不少于 10 个字）', 'Statement (at least 10 characters)'), value: o.values.statement ?? '', required: true, maxLength: 2000, rows: 5, errors: o.errors })}
<button type="submit">${t(page, '提交申诉', 'Submit appeal')}</button></form>`,
  });
}

/** 差评申诉复核: the rating office's queue of APPEALED ratings in its jurisdiction, each with its decision form. */
export function appealQueuePage(
  page: PageContext,
  rows: RatingListRow[],
  p: { page: number; pageSize: number; total: number },
  o: { errors?: FieldError[]; errorFor?: string; values?: { decision?: string; reason?: string } } = {},
): SafeHtml {
  const errors = o.errors ?? [];
  return workbenchPage(page, {
    title: t(page, '差评申诉复核', 'Rating appeals'),
    crumbs: [wb(page), { label: t(page, '差评申诉复核', 'Rating appeals') }],
    body: html`<h1>${t(page, '差评申诉复核', 'Rating appeals')}</h1>
${o.errorFor ? html`<div class="error-summary" role="alert" tabindex="-1"><h2>${t(page, `提交的内容有 ${errors.length} 处需要修改`, 'Please correct the form')}</h2><ul>${errors.map((e) => html`<li><a href="#f-${o.errorFor}-${e.field}">${{ decision: '复核结论', reason: '复核理由' }[e.field] ?? e.field}：${e.message}</a></li>`)}</ul></div>` : ''}
<p class="muted">${t(page, '申诉成立：评价作废，不再计入任何满意度统计，并告知评价人理由；申诉不成立：退回办理单位继续整改，原整改期限不变。', 'Upheld: the rating is voided; rejected: back to rectification.')}</p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '没有待复核的差评申诉。', 'No appeals to review.')}</p>`
  : html`${rows.map((r) => {
      const mine = o.errorFor === r.id;
      const errs = mine ? errors : [];
      const reasonErr = errs.find((e) => e.field === 'reason')?.message;
      return html`<form method="post" action="/workbench/ratings/appeals/${r.id}/decision" class="card stack" novalidate>${csrfField(page)}<input type="hidden" name="version" value="${r.version}">
<h2>${r.item_name} <span class="muted">${r.case_no}</span></h2>
${ratingSummary(page, r)}
<dl class="facts"><dt>${t(page, '申诉理由类别', 'Category')}</dt><dd>${categoryLabel(r.appeal_category)}</dd>
<dt>${t(page, '申诉说明', 'Statement')}</dt><dd>${r.appeal_statement}</dd>
<dt>${t(page, '申诉时间', 'Appealed at')}</dt><dd>${formatDateTime(r.appeal_at)}</dd></dl>
${radios(page, { name: 'decision', legend: t(page, '复核结论', 'Decision'), options: [['upheld', t(page, '申诉成立（评价作废）', 'Upheld (void the rating)')], ['rejected', t(page, '申诉不成立（继续整改）', 'Rejected (rectify)')]], value: mine ? (o.values?.decision ?? '') : '', errors: errs, idPrefix: `f-${r.id}-` })}
<div class="field${reasonErr ? ' has-error' : ''}"><label for="f-${r.id}-reason">${t(page, '复核理由（告知评价人和办理单位）', 'Reason')} <span aria-hidden="true">*</span></label>${reasonErr ? html`<p class="error" id="f-${r.id}-reason-error">${reasonErr}</p>` : ''}<textarea id="f-${r.id}-reason" name="reason" rows="3" maxlength="2000" required${reasonErr ? html` aria-invalid="true" aria-describedby="f-${r.id}-reason-error"` : ''}>${mine ? (o.values?.reason ?? '') : ''}</textarea></div>
<button type="submit">${t(page, '提交复核结论', 'Submit decision')}</button></form>`;
    })}
${pager({ path: '/workbench/ratings/appeals', query: {}, ...p })}`}`,
  });
}

/** What the rater reads under "我的评价" once the rating office has voided the rating. */
export function voidedRatingNote(page: PageContext, r: RatingRow): SafeHtml {
  if (r.rectification_state !== 'VOIDED') return html``;
  return html`<p class="notice"><strong>${t(page, '评价复核结果', 'Review result')}</strong>：${t(page, '经办理单位申诉、评价管理部门复核，本条评价认定为无效评价，不计入统计。', 'This rating was voided on appeal and is not counted.')}${r.appeal_decision_reason ? html`<br>${t(page, '复核理由', 'Reason')}：${r.appeal_decision_reason}` : ''}</p>`;
}

/** A line for the unit's rectification list: appeal link or the appeal's outcome. */
export function appealStatus(page: PageContext, r: RatingRow): SafeHtml {
  if (r.appeal_decision === 'rejected') return html`<p class="muted">${t(page, `申诉不成立（${r.appeal_decision_reason ?? ''}），请在期限内整改。`, 'Appeal rejected.')}</p>`;
  if (r.appeal_at) return html``;
  if (r.score > 2) return html``;
  return html`<p><a href="/workbench/ratings/${r.id}/appeal">${t(page, '对该差评提出申诉', 'Appeal this rating')}</a></p>`;
}

const DECISION_LABEL: Record<string, string> = { upheld: '申诉成立，评价已作废', rejected: '申诉不成立，继续整改' };

function appealRecord(page: PageContext, r: RatingRow): SafeHtml {
  return html`<dl class="facts">
  <dt>${t(page, '申诉理由类别', 'Category')}</dt><dd>${categoryLabel(r.appeal_category)}</dd>
  <dt>${t(page, '申诉说明', 'Statement')}</dt><dd>${r.appeal_statement}</dd>
  <dt>${t(page, '申诉时间', 'Appealed at')}</dt><dd>${formatDateTime(r.appeal_at)}</dd>
  <dt>${t(page, '复核结论', 'Decision')}</dt><dd>${r.appeal_decision ? DECISION_LABEL[r.appeal_decision] : t(page, '待评价管理部门复核', 'Under review')}</dd>
  ${r.appeal_decision_reason ? html`<dt>${t(page, '复核理由', 'Reason')}</dt><dd>${r.appeal_decision_reason}</dd>` : ''}
</dl>`;
}

/** 本单位的差评申诉记录: the unit's appeals and their outcome. */
export function unitAppealsPage(page: PageContext, rows: RatingListRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '本单位的差评申诉记录', 'Our rating appeals'),
    crumbs: [wb(page), ratings(page), { label: t(page, '申诉记录', 'Appeals') }],
    body: html`<h1>${t(page, '本单位的差评申诉记录', 'Our rating appeals')}</h1>
${rows.length === 0
  ? html`<p class="empty">${t(page, '本单位还没有提出过差评申诉。', 'No appeals yet.')}</p>`
  : html`${rows.map((r) => html`<section class="card"><h2>${r.item_name} <span class="muted">${r.case_no}</span></h2>${ratingSummary(page, r)}${appealRecord(page, r)}</section>`)}
${pager({ path: '/workbench/ratings/appealed', query: {}, ...p })}`}`,
  });
}

