import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import { formatDateTime, pager } from '../../../platform/views/forms.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { InboxMessage } from '../../../platform/notify/notification.repository.ts';
import type { OutboxMessage } from '../../../platform/notify/outbox.repository.ts';

const INBOX_CRUMBS = [{ label: '首页', href: '/' }, { label: '我的空间', href: '/account' }, { label: '消息中心' }];

/** 消息中心: the signed-in account's in-app messages, newest first; forms work without JavaScript. */
export function inboxPage(page: PageContext, messages: InboxMessage[], opts: { page: number; pageSize: number; total: number; unread: number }): SafeHtml {
  const body = html`<h1>消息中心</h1>
<p class="lead">${opts.unread > 0 ? `您有 ${opts.unread} 条未读消息。` : '没有未读消息。'}</p>
${
  opts.unread > 0
    ? html`<form method="post" action="/account/inbox/read-all" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">全部标为已读</button></form>`
    : ''
}
${
  messages.length === 0
    ? html`<p class="muted">暂无消息。办件进度、补正通知等消息会显示在这里。</p>`
    : html`<ol class="inbox">${messages.map(
        (m) => html`<li class="${m.readAt ? 'read' : 'unread'}"><article aria-labelledby="msg-${m.id}">
  <h2 id="msg-${m.id}">${m.readAt ? '' : html`<span class="badge warn">未读</span> `}${m.subject}</h2>
  <p class="muted"><time datetime="${m.createdAt.toISOString()}">${formatDateTime(m.createdAt)}</time></p>
  <div class="message-body" style="white-space: pre-line">${m.body}</div>
  ${
    m.readAt
      ? ''
      : html`<form method="post" action="/account/inbox/${m.id}/read" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">标为已读<span class="visually-hidden">：${m.subject}</span></button></form>`
  }
</article></li>`,
      )}</ol>
${pager({ path: '/account/inbox', query: {}, page: opts.page, pageSize: opts.pageSize, total: opts.total })}`
}`;
  return page.actor.kind === 'staff'
    ? workbenchPage(page, { title: '消息中心', body, crumbs: [{ label: '工作台', href: '/workbench' }, { label: '消息中心' }] })
    : portalPage(page, { title: '消息中心', body, crumbs: INBOX_CRUMBS });
}

const CHANNEL_LABEL: Record<OutboxMessage['channel'], string> = { email: '邮件', sms: '短信' };

/** 开发发件箱: emails and SMS kept instead of sent (development and test installations only). */
export function outboxPage(page: PageContext, messages: OutboxMessage[], opts: { page: number; pageSize: number; hasNext: boolean }): SafeHtml {
  const body = html`<h1>开发发件箱</h1>
<p class="lead">本实例未配置邮件服务器或短信网关：邮件和短信不会真正发出，而是记录在这里，便于开发和测试时查看。生产环境不提供此页面。</p>
${
  messages.length === 0
    ? html`<p class="muted">还没有记录的邮件或短信。</p>`
    : html`<table>
<caption class="visually-hidden">已记录的邮件和短信，最新的在前</caption>
<thead><tr><th scope="col">时间</th><th scope="col">渠道</th><th scope="col">发往</th><th scope="col">账号</th><th scope="col">主题</th><th scope="col">内容</th></tr></thead>
<tbody>${messages.map(
        (m) => html`<tr><td><time datetime="${m.createdAt.toISOString()}">${formatDateTime(m.createdAt)}</time></td><td>${CHANNEL_LABEL[m.channel]}</td><td>${m.toAddress}</td><td>${m.recipientAccountId ?? '—'}</td><td>${m.subject ?? '—'}</td><td><pre style="white-space: pre-wrap; margin: 0">${m.body}</pre></td></tr>`,
      )}</tbody></table>`
}
<nav class="pager" aria-label="分页">
  ${opts.page > 1 ? html`<a href="/dev/outbox?page=${opts.page - 1}" rel="prev">上一页</a>` : ''}
  <span>第 ${opts.page} 页</span>
  ${opts.hasNext ? html`<a href="/dev/outbox?page=${opts.page + 1}" rel="next">下一页</a>` : ''}
</nav>`;
  return workbenchPage(page, { title: '开发发件箱', body, crumbs: [{ label: '工作台', href: '/workbench' }, { label: '开发发件箱' }] });
}
