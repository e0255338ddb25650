import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDate, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { NoticeAction } from '../policies.ts';
import type { NoticeRow, NoticeStatus } from '../notice.repository.ts';

export const STATUS_LABEL: Record<NoticeStatus, string> = { draft: '草稿', published: '已发布', withdrawn: '已撤回' };
const STATUS_LABEL_EN: Record<NoticeStatus, string> = { draft: 'Draft', published: 'Published', withdrawn: 'Withdrawn' };
const STATUS_BADGE: Record<NoticeStatus, string> = { draft: 'badge warn', published: 'badge ok', withdrawn: 'badge' };
const LABELS = { title: '标题', body: '正文' };

/** Paragraphs from plain text; the body is never interpreted as markup. */
function paragraphs(body: string): SafeHtml {
  return html`${body.split(/\n{1,}/).map((p) => html`<p>${p}</p>`)}`;
}

export function publicNoticeList(page: PageContext, rows: NoticeRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '通知公告', 'Notices'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '通知公告', 'Notices') }],
    body: html`<h1>${t(page, '通知公告', 'Notices')}</h1>
${rows.length === 0
  ? html`<p class="empty">${t(page, '暂无已发布的通知公告。', 'No notices have been published yet.')}</p>`
  : html`<ul class="card notice-list">${rows.map((n) => html`<li><a href="/notices/${n.id}">${n.title}</a> <span class="muted">${n.organisationName} · ${formatDate(n.publishedAt)}</span></li>`)}</ul>
${pager({ path: '/notices', query: {}, ...p })}`}`,
  });
}

export function publicNoticeDetail(page: PageContext, n: NoticeRow): SafeHtml {
  return portalPage(page, {
    title: n.title,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '通知公告', 'Notices'), href: '/notices' }, { label: n.title }],
    body: html`<article class="card">
  <h1>${n.title}</h1>
  <p class="muted">${t(page, '发布机关：', 'Published by ')}${n.organisationName}${t(page, '，发布日期：', ' on ')}${formatDate(n.publishedAt)}</p>
  ${paragraphs(n.body)}
</article>`,
  });
}

export function staffNoticeList(
  page: PageContext,
  rows: NoticeRow[],
  p: { page: number; pageSize: number; total: number; status?: NoticeStatus | undefined; canCreate: boolean },
): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '通知公告管理', 'Manage notices'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '通知公告管理', 'Manage notices') }],
    body: html`<h1>${t(page, '通知公告管理', 'Manage notices')}</h1>
<form method="get" action="/workbench/notices" class="filters">
  <div class="field"><label for="f-status">${t(page, '状态', 'Status')}</label>
  <select id="f-status" name="status"><option value="">${t(page, '全部', 'All')}</option>${(['draft', 'published', 'withdrawn'] as const).map((s) => html`<option value="${s}"${s === p.status ? html` selected` : ''}>${t(page, STATUS_LABEL[s], STATUS_LABEL_EN[s])}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
  ${p.canCreate ? html`<a class="button" href="/workbench/notices/new">${t(page, '起草通知公告', 'Draft a notice')}</a>` : ''}
</form>
${rows.length === 0
  ? html`<p class="empty">${p.status ? t(page, '没有符合条件的通知公告。', 'No notices match.') : t(page, '您的管辖范围内还没有通知公告。', 'There are no notices in your jurisdiction yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '通知公告列表', 'Notices')}</caption>
<thead><tr><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '发布单位', 'Organisation')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '更新时间', 'Updated')}</th></tr></thead>
<tbody>${rows.map((n) => html`<tr><td><a href="/workbench/notices/${n.id}">${n.title}</a></td><td>${n.organisationName}</td><td><span class="${STATUS_BADGE[n.status]}">${t(page, STATUS_LABEL[n.status], STATUS_LABEL_EN[n.status])}</span></td><td>${formatDateTime(n.updatedAt)}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/notices', query: { status: p.status }, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export function staffNoticeDetail(page: PageContext, n: NoticeRow, actions: NoticeAction[]): SafeHtml {
  const button = (action: 'publish' | 'withdraw', label: string, cls: string) =>
    actions.includes(action)
      ? html`<form method="post" action="/workbench/notices/${n.id}/${action}" class="inline-form">${csrfField(page)}<input type="hidden" name="version" value="${n.version}"><button type="submit" class="${cls}">${label}</button></form>`
      : '';
  return workbenchPage(page, {
    title: n.title,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '通知公告管理', 'Manage notices'), href: '/workbench/notices' }, { label: n.title }],
    body: html`<article class="card">
  <h1>${n.title}</h1>
  <p><span class="${STATUS_BADGE[n.status]}">${t(page, STATUS_LABEL[n.status], STATUS_LABEL_EN[n.status])}</span> <span class="muted">${n.organisationName} · ${t(page, '更新于', 'Updated')} ${formatDateTime(n.updatedAt)} · ${t(page, `第 ${n.version} 版`, `Version ${n.version}`)}</span></p>
  ${paragraphs(n.body)}
</article>
<p>${actions.includes('edit') ? html`<a class="button secondary" href="/workbench/notices/${n.id}/edit">${t(page, '修改', 'Edit')}</a> ` : ''}${button('publish', t(page, '发布', 'Publish'), '')} ${button('withdraw', t(page, '撤回', 'Withdraw'), 'danger')}</p>`,
  });
}

export function noticeForm(
  page: PageContext,
  opts: { notice?: NoticeRow; values: { title?: string; body?: string }; errors: FieldError[]; version?: number },
): SafeHtml {
  const editing = Boolean(opts.notice);
  const action = editing ? `/workbench/notices/${opts.notice?.id}` : '/workbench/notices';
  return workbenchPage(page, {
    title: editing ? t(page, '修改通知公告', 'Edit notice') : t(page, '起草通知公告', 'Draft a notice'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '通知公告管理', 'Manage notices'), href: '/workbench/notices' }, { label: editing ? t(page, '修改', 'Edit') : t(page, '起草', 'Draft') }],
    body: html`<h1>${editing ? t(page, '修改通知公告', 'Edit notice') : t(page, '起草通知公告', 'Draft a notice')}</h1>
${errorSummary(opts.errors, LABELS)}
<form method="post" action="${action}" class="stack" novalidate>
  ${csrfField(page)}
  ${editing ? html`<input type="hidden" name="version" value="${opts.version ?? opts.notice?.version ?? 1}">` : ''}
  ${textField({ name: 'title', label: t(page, LABELS.title, 'Title'), value: opts.values.title ?? '', required: true, maxLength: 120, errors: opts.errors })}
  ${textArea({ name: 'body', label: t(page, LABELS.body, 'Text'), value: opts.values.body ?? '', required: true, hint: t(page, '纯文本，空行分段', 'Plain text; leave a blank line between paragraphs'), rows: 12, errors: opts.errors })}
  <button type="submit">${editing ? t(page, '保存修改', 'Save changes') : t(page, '保存草稿', 'Save draft')}</button>
  <a href="/workbench/notices" class="button secondary">${t(page, '取消', 'Cancel')}</a>
</form>`,
  });
}
