import { maskCitizenId, maskMobile } from '../../../platform/codes/validators.ts';
import { formatDateTime, pager } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { DRAFT_RETENTION_DAYS } from '../commands/save-draft.ts';
import type { DraftRow } from '../draft.repository.ts';
import type { LockedField } from '../prefill.ts';

/** The application page's block of real-name-verified fields: shown, not editable (the server keeps the account's values). */
export function lockedFieldsBlock(page: PageContext, locked: Record<string, LockedField>): SafeHtml {
  const list = Object.values(locked);
  if (list.length === 0) return html``;
  const shown = (l: LockedField) => (l.type === 'idNumber' ? maskCitizenId(l.value) : l.type === 'mobile' ? maskMobile(l.value) : l.value);
  return html`<section class="card" aria-labelledby="locked-title" id="locked-fields">
<h3 id="locked-title">${t(page, '实名信息（已核验，自动填入，不可修改）', 'Verified identity (filled in, cannot be changed)')}</h3>
<dl class="facts">${list.map((l) => html`<dt>${l.label}</dt><dd id="locked-${l.name}">${shown(l)}</dd>`)}</dl>
<p class="muted">${t(page, '如信息有误，请到线下窗口办理实名信息变更。', 'If this is wrong, have your verified identity corrected at a service counter.')}</p>
</section>`;
}

/** Above the form when a draft was loaded; the hidden version goes back with 保存草稿. */
export function draftNotice(page: PageContext, draft: { version: number; savedAt: Date } | null | undefined): SafeHtml {
  if (!draft) return html``;
  return html`<p class="notice" role="status" id="draft-notice">${t(page, `已载入您于 ${formatDateTime(draft.savedAt)} 保存的草稿，可继续填写。`, `Your draft saved ${formatDateTime(draft.savedAt)} has been loaded.`)}</p>`;
}

export function draftFields(page: PageContext, itemId: string, draft: { version: number } | null | undefined): { hidden: SafeHtml; button: SafeHtml } {
  return {
    hidden: html`<input type="hidden" name="draftVersion" value="${draft ? String(draft.version) : ''}">`,
    // Same form, other action: works without JavaScript (formaction). Required fields are not checked for a draft.
    button: html`<button type="submit" class="secondary" name="intent" value="draft" formaction="/services/${itemId}/draft?_csrf=${encodeURIComponent(page.csrfToken)}" formnovalidate>${t(page, '保存草稿', 'Save as draft')}</button>`,
  };
}

/** 我的草稿 under 我的空间: item, saved time, 继续填写 / 删除. */
export function myDraftsPage(page: PageContext, rows: DraftRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '我的草稿', 'My drafts'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的空间', 'My space'), href: '/account' }, { label: t(page, '我的草稿', 'My drafts') }],
    body: html`<h1>${t(page, '我的草稿', 'My drafts')}</h1>
<p class="muted">${t(page, `在线申请时点“保存草稿”即可保存在这里；草稿保存 ${DRAFT_RETENTION_DAYS} 天，逾期未再保存的将自动删除。`, `Drafts are kept for ${DRAFT_RETENTION_DAYS} days after they were last saved.`)}</p>
${rows.length === 0
  ? html`<p class="empty">${t(page, '您还没有草稿。在线申请时可以先保存草稿，稍后再继续填写。', 'You have no drafts.')}</p>`
  : html`<div class="table-scroll"><table><caption class="visually-hidden">${t(page, '我的草稿', 'My drafts')}</caption>
<thead><tr><th scope="col">${t(page, '事项', 'Service')}</th><th scope="col">${t(page, '保存时间', 'Saved')}</th><th scope="col">${t(page, '操作', 'Actions')}</th></tr></thead>
<tbody>${rows.map(
      (d) => html`<tr><td>${d.item_name}</td><td>${formatDateTime(d.updated_at)}</td><td>
<a class="button" href="/services/${d.item_id}/apply">${t(page, '继续填写', 'Continue')}<span class="visually-hidden">：${d.item_name}</span></a>
<form method="post" action="/account/drafts/${d.id}/delete" class="inline-form">${csrfField(page)}<input type="hidden" name="version" value="${String(d.version)}"><button type="submit" class="link-button">${t(page, '删除', 'Delete')}<span class="visually-hidden">：${d.item_name}</span></button></form>
</td></tr>`,
    )}</tbody></table></div>
${pager({ path: '/account/drafts', query: {}, ...p })}`}`,
  });
}
