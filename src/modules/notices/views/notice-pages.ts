import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDate, formatDateTime, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { NoticeAction } from '../policies.ts';
import type { NoticeRow, NoticeStatus } from '../notice.repository.ts';

export const STATUS_LABEL: Record<NoticeStatus, string> = { draft: '草稿', published: '已发布', withdrawn: '已撤回' };
const STATUS_BADGE: Record<NoticeStatus, string> = { draft: 'badge warn', published: 'badge ok', withdrawn: 'badge' };
const LABELS = { title: '标题', body: '正文' };

/** Paragraphs from plain text; the body is never interpreted as markup. */
function paragraphs(body: string): SafeHtml {
  return html`${body.split(/\n{1,}/).map((p) => html`<p>${p}</p>`)}`;
}

export function publicNoticeList(page: PageContext, rows: NoticeRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: '通知公告',
    crumbs: [{ label: '首页', href: '/' }, { label: '通知公告' }],
    body: html`<h1>通知公告</h1>
${rows.length === 0
  ? html`<p class="empty">暂无已发布的通知公告。</p>`
  : html`<ul class="card notice-list">${rows.map((n) => html`<li><a href="/notices/${n.id}">${n.title}</a> <span class="muted">${n.organisationName} · ${formatDate(n.publishedAt)}</span></li>`)}</ul>
${pager({ path: '/notices', query: {}, ...p })}`}`,
  });
}

export function publicNoticeDetail(page: PageContext, n: NoticeRow): SafeHtml {
  return portalPage(page, {
    title: n.title,
    crumbs: [{ label: '首页', href: '/' }, { label: '通知公告', href: '/notices' }, { label: n.title }],
    body: html`<article class="card">
  <h1>${n.title}</h1>
  <p class="muted">发布机关：${n.organisationName}，发布日期：${formatDate(n.publishedAt)}</p>
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
    title: '通知公告管理',
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '通知公告管理' }],
    body: html`<h1>通知公告管理</h1>
<form method="get" action="/workbench/notices" class="filters">
  <div class="field"><label for="f-status">状态</label>
  <select id="f-status" name="status"><option value="">全部</option>${(['draft', 'published', 'withdrawn'] as const).map((s) => html`<option value="${s}"${s === p.status ? html` selected` : ''}>${STATUS_LABEL[s]}</option>`)}</select></div>
  <button type="submit" class="secondary">筛选</button>
  ${p.canCreate ? html`<a class="button" href="/workbench/notices/new">起草通知公告</a>` : ''}
</form>
${rows.length === 0
  ? html`<p class="empty">${p.status ? '没有符合条件的通知公告。' : '您的管辖范围内还没有通知公告。'}</p>`
  : html`<table><caption class="visually-hidden">通知公告列表</caption>
<thead><tr><th scope="col">标题</th><th scope="col">发布单位</th><th scope="col">状态</th><th scope="col">更新时间</th></tr></thead>
<tbody>${rows.map((n) => html`<tr><td><a href="/workbench/notices/${n.id}">${n.title}</a></td><td>${n.organisationName}</td><td><span class="${STATUS_BADGE[n.status]}">${STATUS_LABEL[n.status]}</span></td><td>${formatDateTime(n.updatedAt)}</td></tr>`)}</tbody></table>
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
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '通知公告管理', href: '/workbench/notices' }, { label: n.title }],
    body: html`<article class="card">
  <h1>${n.title}</h1>
  <p><span class="${STATUS_BADGE[n.status]}">${STATUS_LABEL[n.status]}</span> <span class="muted">${n.organisationName} · 更新于 ${formatDateTime(n.updatedAt)} · 第 ${n.version} 版</span></p>
  ${paragraphs(n.body)}
</article>
<p>${actions.includes('edit') ? html`<a class="button secondary" href="/workbench/notices/${n.id}/edit">修改</a> ` : ''}${button('publish', '发布', '')} ${button('withdraw', '撤回', 'danger')}</p>`,
  });
}

export function noticeForm(
  page: PageContext,
  opts: { notice?: NoticeRow; values: { title?: string; body?: string }; errors: FieldError[]; version?: number },
): SafeHtml {
  const editing = Boolean(opts.notice);
  const action = editing ? `/workbench/notices/${opts.notice?.id}` : '/workbench/notices';
  return workbenchPage(page, {
    title: editing ? '修改通知公告' : '起草通知公告',
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '通知公告管理', href: '/workbench/notices' }, { label: editing ? '修改' : '起草' }],
    body: html`<h1>${editing ? '修改通知公告' : '起草通知公告'}</h1>
${errorSummary(opts.errors, LABELS)}
<form method="post" action="${action}" class="stack" novalidate>
  ${csrfField(page)}
  ${editing ? html`<input type="hidden" name="version" value="${opts.version ?? opts.notice?.version ?? 1}">` : ''}
  ${textField({ name: 'title', label: LABELS.title, value: opts.values.title ?? '', required: true, maxLength: 120, errors: opts.errors })}
  ${textArea({ name: 'body', label: LABELS.body, value: opts.values.body ?? '', required: true, hint: '纯文本，空行分段', rows: 12, errors: opts.errors })}
  <button type="submit">${editing ? '保存修改' : '保存草稿'}</button>
  <a href="/workbench/notices" class="button secondary">取消</a>
</form>`,
  });
}
