import { maskName } from '../../../platform/codes/validators.ts';
import { html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { Adoption, CommentRow, ConsultationKind, ConsultationRow } from '../consultation.repository.ts';
import type { SurveyResults } from '../questionnaire.ts';
import { PHASE_BADGE, PHASE_LABEL, PHASE_LABEL_EN, type Phase } from '../rules.ts';

export const KIND_LABEL: Record<ConsultationKind, string> = { draft: '征求意见', survey: '网上调查' };
export const KIND_LABEL_EN: Record<ConsultationKind, string> = { draft: 'Draft for comment', survey: 'Survey' };
export const ADOPTION_LABEL: Record<Adoption, string> = { adopted: '采纳', partly: '部分采纳', not_adopted: '未采纳' };
export const ADOPTION_LABEL_EN: Record<Adoption, string> = { adopted: 'Adopted', partly: 'Partly adopted', not_adopted: 'Not adopted' };

export function phaseBadge(page: PageContext, phase: Phase): SafeHtml {
  return html`<span class="${PHASE_BADGE[phase]}">${t(page, PHASE_LABEL[phase], PHASE_LABEL_EN[phase])}</span>`;
}

/** The draft's text: markup already passed through the sanitize-html allow-list when saved. */
export function draftBody(c: ConsultationRow): SafeHtml {
  return raw(c.bodyHtml);
}

export function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n+/)
    .filter((p) => p.trim())
    .map((p) => html`<p>${p}</p>`)}`;
}

/** Public display name of a commenter: masked (张*), anonymous stays 匿名. */
export function publicAuthor(c: Pick<CommentRow, 'authorName' | 'accountId'>): string {
  return c.accountId ? maskName(c.authorName) : c.authorName === '匿名' ? '匿名' : maskName(c.authorName);
}

/**
 * Results as a data table with a CSS bar per row (no script): the numbers are in the
 * table for screen readers, the bar is decoration (aria-hidden).
 */
export function resultsTables(page: PageContext, results: SurveyResults): SafeHtml {
  return html`<p>${t(page, `共收到 ${results.responses} 份答卷。`, `${results.responses} responses received.`)}</p>
${results.questions.map(
  (r, i) => html`<section class="card">
  <h2>${i + 1}. ${r.question.title}</h2>
  ${r.question.type === 'text'
    ? html`<p class="muted">${t(page, `${r.answered} 人作答，以下为审核后公开的回答。`, `${r.answered} answered; moderated answers below.`)}</p>
${r.texts.length === 0 ? html`<p class="empty">${t(page, '暂无公开的文字回答。', 'No answers shown yet.')}</p>` : html`<ul>${r.texts.map((x) => html`<li>${x}</li>`)}</ul>`}`
    : html`<table>
  <caption class="visually-hidden">${t(page, `第 ${i + 1} 题结果`, `Results of question ${i + 1}`)}</caption>
  <thead><tr><th scope="col">${t(page, r.question.type === 'rating' ? '评分' : '选项', r.question.type === 'rating' ? 'Score' : 'Option')}</th><th scope="col">${t(page, '人数', 'Count')}</th><th scope="col">${t(page, '占比', 'Share')}</th><th scope="col"><span class="visually-hidden">${t(page, '图示', 'Chart')}</span></th></tr></thead>
  <tbody>${r.counts.map(
    (c) => html`<tr><th scope="row">${c.label}</th><td>${c.count}</td><td>${c.percent}%</td><td style="width:40%"><div aria-hidden="true" style="background:#e4e7eb;height:1rem;border-radius:2px"><div style="background:#1d5fb4;height:1rem;border-radius:2px;width:${String(Math.min(100, c.percent))}%"></div></div></td></tr>`,
  )}</tbody>
</table>
<p class="muted">${t(page, `${r.answered} 人作答`, `${r.answered} answered`)}${r.average !== null ? t(page, `，平均 ${r.average} 分`, `, average ${r.average}`) : ''}${r.question.type === 'multiple' ? t(page, '（多选题，占比之和可能超过 100%）', ' (multiple choice: shares may add up to more than 100%)') : ''}</p>`}
</section>`,
)}`;
}
