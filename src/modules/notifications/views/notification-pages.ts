import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import { formatDateTime, pager } from '../../../platform/views/forms.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { InboxMessage } from '../../../platform/notify/notification.repository.ts';
import type { OutboxMessage } from '../../../platform/notify/outbox.repository.ts';


/** 消息中心: the signed-in account's in-app messages, newest first; forms work without JavaScript. */
export function inboxPage(page: PageContext, messages: InboxMessage[], opts: { page: number; pageSize: number; total: number; unread: number }): SafeHtml {
  const body = html`<h1>${t(page, '消息中心', 'Messages')}</h1>
<p class="lead">${opts.unread > 0 ? t(page, `您有 ${opts.unread} 条未读消息。`, `You have ${opts.unread} unread message(s).`) : t(page, '没有未读消息。', 'No unread messages.')}</p>
${
  opts.unread > 0
    ? html`<form method="post" action="/account/inbox/read-all" class="inline-form">${csrfField(page)}<button type="submit" class="secondary">${t(page, '全部标为已读', 'Mark all as read')}</button></form>`
    : ''
}
${
  messages.length === 0
    ? html`<p class="muted">${t(page, '暂无消息。办件进度、补正通知等消息会显示在这里。', 'No messages yet. Updates on your applications, requests for more information and similar messages will appear here.')}</p>`
    : html`<ol class="inbox">${messages.map(
        (m) => html`<li class="${m.readAt ? 'read' : 'unread'}"><article aria-labelledby="msg-${m.id}">
  <h2 id="msg-${m.id}">${m.readAt ? '' : html`<span class="badge warn">${t(page, '未读', 'Unread')}</span> `}${m.subject}</h2>
  <p class="muted"><time datetime="${m.createdAt.toISOString()}">${formatDateTime(m.createdAt)}</time></p>
  <div class="message-body" style="white-space: pre-line">${m.body}</div>
  ${
    m.readAt
      ? ''
      : html`<form method="post" action="/account/inbox/${m.id}/read" class="inline-form">${csrfField(page)}<button type="submit" class="link-button">${t(page, '标为已读', 'Mark as read')}<span class="visually-hidden">${t(page, '：', ': ')}${m.subject}</span></button></form>`
  }
</article></li>`,
      )}</ol>
${pager({ path: '/account/inbox', query: {}, page: opts.page, pageSize: opts.pageSize, total: opts.total })}`
}`;
  return page.actor.kind === 'staff'
    ? workbenchPage(page, { title: t(page, '消息中心', 'Messages'), body, crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '消息中心', 'Messages') }] })
    : portalPage(page, {
        title: t(page, '消息中心', 'Messages'),
        body,
        crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '我的空间', 'My space'), href: '/account' }, { label: t(page, '消息中心', 'Messages') }],
      });
}

const CHANNEL_LABEL: Record<OutboxMessage['channel'], string> = { email: '邮件', sms: '短信' };
const CHANNEL_LABEL_EN: Record<OutboxMessage['channel'], string> = { email: 'Email', sms: 'SMS' };

/** 开发发件箱: emails and SMS kept instead of sent (development and test installations only). */
export function outboxPage(page: PageContext, messages: OutboxMessage[], opts: { page: number; pageSize: number; hasNext: boolean }): SafeHtml {
  const body = html`<h1>${t(page, '开发发件箱', 'Development outbox')}</h1>
<p class="lead">${t(page, '本实例未配置邮件服务器或短信网关：邮件和短信不会真正发出，而是记录在这里，便于开发和测试时查看。生产环境不提供此页面。', 'This instance has no mail server or SMS gateway: emails and text messages are not sent but recorded here for development and testing. This page does not exist in production.')}</p>
${
  messages.length === 0
    ? html`<p class="muted">${t(page, '还没有记录的邮件或短信。', 'No emails or text messages recorded yet.')}</p>`
    : html`<table>
<caption class="visually-hidden">${t(page, '已记录的邮件和短信，最新的在前', 'Recorded emails and text messages, newest first')}</caption>
<thead><tr><th scope="col">${t(page, '时间', 'Time')}</th><th scope="col">${t(page, '渠道', 'Channel')}</th><th scope="col">${t(page, '发往', 'To')}</th><th scope="col">${t(page, '账号', 'Account')}</th><th scope="col">${t(page, '主题', 'Subject')}</th><th scope="col">${t(page, '内容', 'Content')}</th></tr></thead>
<tbody>${messages.map(
        (m) => html`<tr><td><time datetime="${m.createdAt.toISOString()}">${formatDateTime(m.createdAt)}</time></td><td>${t(page, CHANNEL_LABEL[m.channel], CHANNEL_LABEL_EN[m.channel])}</td><td>${m.toAddress}</td><td>${m.recipientAccountId ?? '—'}</td><td>${m.subject ?? '—'}</td><td><pre style="white-space: pre-wrap; margin: 0">${m.body}</pre></td></tr>`,
      )}</tbody></table>`
}
<nav class="pager" aria-label="${t(page, '分页', 'Pagination')}">
  ${opts.page > 1 ? html`<a href="/dev/outbox?page=${opts.page - 1}" rel="prev">${t(page, '上一页', 'Previous')}</a>` : ''}
  <span>${t(page, `第 ${opts.page} 页`, `Page ${opts.page}`)}</span>
  ${opts.hasNext ? html`<a href="/dev/outbox?page=${opts.page + 1}" rel="next">${t(page, '下一页', 'Next')}</a>` : ''}
</nav>`;
  return workbenchPage(page, {
    title: t(page, '开发发件箱', 'Development outbox'),
    body,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '开发发件箱', 'Development outbox') }],
  });
}
