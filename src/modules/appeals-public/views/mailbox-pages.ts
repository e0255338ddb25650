import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDate, formatDateTime, pager, textField } from '../../../platform/views/forms.ts';
import { html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { APPEAL_TYPE_LABEL, type AppealType, type appealPublicQueries } from '../../appeals/index.ts';
import type { ApiClient } from '../api-keys.ts';
import type { FigureRow, Figures } from '../figures.ts';
import { maskPersonalText } from '../masking.ts';

type PublicTicketRow = appealPublicQueries.PublicTicketRow;
type PublicReply = appealPublicQueries.PublicReply;

export const MAILBOX_TYPES: AppealType[] = ['complaint', 'help', 'consultation', 'report', 'suggestion', 'praise'];
export const MAILBOX_LABELS = { q: '关键词', type: '类型', org: '承办单位', from: '起始日期', to: '截止日期', month: '月份', name: '客户端名称' };

export interface MailboxQuery {
  q?: string | undefined;
  type?: string | undefined;
  org?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

function paragraphs(text: string): SafeHtml {
  return html`${text.split(/\n+/).map((p) => html`<p>${p}</p>`)}`;
}

const selected = (on: boolean) => (on ? html` selected` : '');

function mailboxNav(page: PageContext, current: 'list' | 'stats'): SafeHtml {
  return html`<nav class="tabs" aria-label="${t(page, '政民互动信箱', 'Mailbox')}"><ul>
  <li>${current === 'list' ? html`<span aria-current="page">${t(page, '来信选登', 'Published letters')}</span>` : html`<a href="/mailbox">${t(page, '来信选登', 'Published letters')}</a>`}</li>
  <li>${current === 'stats' ? html`<span aria-current="page">${t(page, '办理统计', 'Figures')}</span>` : html`<a href="/mailbox/statistics">${t(page, '办理统计', 'Figures')}</a>`}</li>
  <li><a href="/appeals/new">${t(page, '我要写信', 'Write to us')}</a></li>
  <li><a href="/appeals/track">${t(page, '查询办理进度', 'Track a letter')}</a></li>
</ul></nav>`;
}

export function mailboxList(
  page: PageContext,
  rows: PublicTicketRow[],
  o: { query: MailboxQuery; errors: FieldError[]; departments: { id: string; name: string }[]; page: number; pageSize: number; total: number },
): SafeHtml {
  const q = o.query;
  const filtered = Boolean(q.q || q.type || q.org || q.from || q.to);
  const title = t(page, '政民互动信箱', 'Public mailbox');
  return portalPage(page, {
    title,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: title }],
    body: html`<h1>${title}</h1>
<p class="lead">${t(page, '这里选登经诉求人同意公开、已经办结答复的来信。联系方式等个人信息已隐去；匿名举报从不公开。', 'Letters whose writers agreed to publication, with the replies. Personal data is removed; anonymous reports are never published.')}</p>
${mailboxNav(page, 'list')}
${errorSummary(o.errors, MAILBOX_LABELS)}
<form method="get" action="/mailbox" class="filters" role="search">
  ${textField({ name: 'q', label: t(page, '关键词', 'Keywords'), value: q.q ?? '', maxLength: 50, errors: o.errors })}
  <div class="field"><label for="f-type">${t(page, '类型', 'Type')}</label>
  <select id="f-type" name="type"><option value="">${t(page, '全部', 'All')}</option>${MAILBOX_TYPES.map((ty) => html`<option value="${ty}"${selected(ty === q.type)}>${APPEAL_TYPE_LABEL[ty]}</option>`)}</select></div>
  <div class="field"><label for="f-org">${t(page, '承办单位', 'Handling unit')}</label>
  <select id="f-org" name="org"><option value="">${t(page, '全部', 'All')}</option>${o.departments.map((d) => html`<option value="${d.id}"${selected(d.id === q.org)}>${d.name}</option>`)}</select></div>
  ${textField({ name: 'from', label: t(page, '起始日期', 'From'), type: 'date', value: q.from ?? '', errors: o.errors })}
  ${textField({ name: 'to', label: t(page, '截止日期', 'To'), type: 'date', value: q.to ?? '', errors: o.errors })}
  <button type="submit" class="secondary">${t(page, '查询', 'Search')}</button>
</form>
${rows.length === 0
  ? html`<p class="empty">${filtered ? t(page, '没有符合条件的来信，请换个关键词或放宽条件。', 'No letters match.') : t(page, '暂无公开的来信。', 'No letters have been published yet.')}</p>`
  : html`<table>
<caption class="visually-hidden">${t(page, '公开来信列表', 'Published letters')}</caption>
<thead><tr><th scope="col">${t(page, '编号', 'Number')}</th><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '类型', 'Type')}</th><th scope="col">${t(page, '承办单位', 'Handled by')}</th><th scope="col">${t(page, '来信日期', 'Received')}</th><th scope="col">${t(page, '答复日期', 'Replied')}</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr><td>${r.number}</td><td><a href="/mailbox/${r.id}">${r.title}</a></td><td>${APPEAL_TYPE_LABEL[r.type]}</td><td>${r.leadOrgName ?? '—'}</td><td>${formatDate(r.createdAt)}</td><td>${formatDate(r.repliedAt ?? r.closedAt)}</td></tr>`,
    )}</tbody></table>
${pager({ path: '/mailbox', query: { q: q.q, type: q.type, org: q.org, from: q.from, to: q.to }, page: o.page, pageSize: o.pageSize, total: o.total })}`}`,
  });
}

export function mailboxDetail(page: PageContext, r: PublicTicketRow, replies: PublicReply[]): SafeHtml {
  return portalPage(page, {
    title: r.title,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '政民互动信箱', 'Public mailbox'), href: '/mailbox' }, { label: r.title }],
    body: html`<article class="card">
<h1>${r.title}</h1>
<dl class="facts">
  <dt>${t(page, '编号', 'Number')}</dt><dd>${r.number}</dd>
  <dt>${t(page, '类型', 'Type')}</dt><dd>${APPEAL_TYPE_LABEL[r.type]}</dd>
  ${r.categoryName ? html`<dt>${t(page, '分类', 'Category')}</dt><dd>${r.categoryName}</dd>` : ''}
  <dt>${t(page, '来信时间', 'Received')}</dt><dd>${formatDateTime(r.createdAt)}</dd>
  <dt>${t(page, '承办单位', 'Handled by')}</dt><dd>${r.leadOrgName ?? '—'}</dd>
</dl>
<h2>${t(page, '来信内容', 'Letter')}</h2>
${paragraphs(maskPersonalText(r.description))}
<h2>${t(page, '答复', 'Reply')}</h2>
${replies.length === 0 && r.finalReply ? paragraphs(maskPersonalText(r.finalReply)) : ''}
${replies.map(
  (e) => html`<section class="reply"><p class="muted">${e.event === 'interim_reply' ? t(page, '阶段性答复', 'Interim reply') : t(page, '答复', 'Reply')} · ${e.organisationName ?? ''} · ${formatDateTime(e.at)}</p>${paragraphs(maskPersonalText(e.note))}</section>`,
)}
</article>
<p><a href="/mailbox">${t(page, '返回来信列表', 'Back to the letters')}</a></p>`,
  });
}

const pctText = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

function figuresTable(page: PageContext, rows: FigureRow[], total: FigureRow | null, caption: string, first: string): SafeHtml {
  return html`<table class="figures">
<caption>${caption}</caption>
<thead><tr><th scope="col">${first}</th><th scope="col">${t(page, '受理量', 'Received')}</th><th scope="col">${t(page, '办结量', 'Closed')}</th><th scope="col">${t(page, '按时办结率', 'On time')}</th><th scope="col">${t(page, '满意率', 'Satisfaction')}</th><th scope="col">${t(page, '重复投诉率', 'Repeat complaints')}</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr><th scope="row">${r.label}</th><td>${r.received}</td><td>${r.closed}</td><td>${pctText(r.onTimeRate)}</td><td>${pctText(r.satisfactionRate)}</td><td>${pctText(r.repeatRate)}</td></tr>`,
  )}</tbody>
${total ? html`<tfoot><tr><th scope="row">${total.label}</th><td>${total.received}</td><td>${total.closed}</td><td>${pctText(total.onTimeRate)}</td><td>${pctText(total.satisfactionRate)}</td><td>${pctText(total.repeatRate)}</td></tr></tfoot>` : ''}
</table>`;
}

/** JSON for the chart island, safe inside a <script type="application/json"> element. */
function chartData(f: Figures): SafeHtml {
  const data = {
    months: f.months,
    received: f.byMonth.map((r) => r.received),
    closed: f.byMonth.map((r) => r.closed),
    onTime: f.byMonth.map((r) => r.onTimeRate),
    satisfaction: f.byMonth.map((r) => r.satisfactionRate),
    repeat: f.byMonth.map((r) => r.repeatRate),
    departments: f.byDepartment.slice(0, 15).map((r) => ({ name: r.label, received: r.received, onTime: r.onTimeRate })),
  };
  return raw(JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));
}

export interface StatisticsOptions {
  from: string;
  to: string;
  org?: string | undefined;
  departments: { id: string; name: string }[];
  errors: FieldError[];
  staff: boolean;
}

function statisticsBody(page: PageContext, f: Figures, o: StatisticsOptions): SafeHtml {
  const action = o.staff ? '/workbench/appeals-statistics' : '/mailbox/statistics';
  const exportQuery = new URLSearchParams({ from: o.from, to: o.to, ...(o.org ? { org: o.org } : {}) }).toString();
  return html`${errorSummary(o.errors, MAILBOX_LABELS)}
<form method="get" action="${action}" class="filters">
  <div class="field"><label for="f-from">${t(page, '起始月份', 'From month')}</label><input id="f-from" name="from" type="month" value="${o.from}" pattern="\\d{4}-\\d{2}" aria-describedby="f-month-hint"></div>
  <div class="field"><label for="f-to">${t(page, '截止月份', 'To month')}</label><input id="f-to" name="to" type="month" value="${o.to}" pattern="\\d{4}-\\d{2}" aria-describedby="f-month-hint"></div>
  <div class="field"><label for="f-org">${t(page, '承办单位', 'Handling unit')}</label>
  <select id="f-org" name="org"><option value="">${t(page, '全部', 'All')}</option>${o.departments.map((d) => html`<option value="${d.id}"${selected(d.id === o.org)}>${d.name}</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '统计', 'Show')}</button>
  ${o.staff ? html`<a class="button" href="/workbench/appeals-statistics.xlsx?${exportQuery}">${t(page, '导出 Excel', 'Export to Excel')}</a>` : ''}
</form>
<p class="hint" id="f-month-hint">${t(page, '月份格式：2026-01。按诉求登记时间（北京时间）所在月份统计，最长 36 个月。', 'Months as 2026-01, by registration date (Beijing time), up to 36 months.')}</p>
${f.total.received === 0
  ? html`<p class="empty">${t(page, '所选期间没有派单办理的诉求。', 'No dispatched tickets in this period.')}</p>`
  : html`<div class="charts" data-figures-charts hidden>
  <div id="chart-volume" class="chart" role="img" aria-label="${t(page, '各月受理量与办结量柱状图，数据见下表', 'Received and closed per month; the table below has the data')}"></div>
  <div id="chart-rates" class="chart" role="img" aria-label="${t(page, '各月按时办结率、满意率、重复投诉率折线图，数据见下表', 'Rates per month; the table below has the data')}"></div>
  <div id="chart-departments" class="chart" role="img" aria-label="${t(page, '各承办单位受理量与按时办结率，数据见下表', 'Per unit; the table below has the data')}"></div>
</div>
<script type="application/json" id="figures-data">${chartData(f)}</script>
${figuresTable(page, f.byDepartment, f.total, t(page, `各承办单位办理情况（${o.from} 至 ${o.to}）`, `By handling unit (${o.from} to ${o.to})`), t(page, '承办单位', 'Unit'))}
${figuresTable(page, f.byMonth, null, t(page, '各月办理情况', 'By month'), t(page, '月份', 'Month'))}
<script src="/assets/mailbox/charts.js" defer></script>`}
<details><summary>${t(page, '指标口径', 'Definitions')}</summary>
<ul>
<li>${t(page, '受理量：当月登记并已派至该单位承办的诉求（热线工单，不含已合并的重复工单）。', 'Received: tickets registered in the month and dispatched to the unit.')}</li>
<li>${t(page, '办结量：其中已办结的诉求；按时办结率＝在办理时限内答复的办结量 ÷ 办结量。', 'Closed; on time = closed with the reply within the handling deadline ÷ closed.')}</li>
<li>${t(page, '满意率：回访评价为“满意”或“基本满意”的 ÷ 已回访评价的。', 'Satisfaction: satisfied or basically satisfied ÷ rated.')}</li>
<li>${t(page, '重复投诉率：同一联系电话或账号在前 90 天内就同一分类、同一区划已提出过诉求的投诉 ÷ 投诉量。', 'Repeat complaints: complaints by the same phone or account about the same category and division within 90 days ÷ complaints.')}</li>
</ul></details>`;
}

export function statisticsPage(page: PageContext, f: Figures, o: StatisticsOptions): SafeHtml {
  const title = t(page, '诉求办理统计', 'Appeal figures');
  if (o.staff) {
    return workbenchPage(page, {
      title,
      crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: title }],
      body: html`<h1>${title}</h1><p class="lead">${t(page, '您管辖范围内各承办单位的办理情况。', 'Figures for the units in your scope.')}</p>${statisticsBody(page, f, o)}`,
    });
  }
  return portalPage(page, {
    title,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '政民互动信箱', 'Public mailbox'), href: '/mailbox' }, { label: title }],
    body: html`<h1>${title}</h1>${mailboxNav(page, 'stats')}${statisticsBody(page, f, o)}`,
  });
}

export function keysPage(page: PageContext, clients: ApiClient[], o: { errors: FieldError[]; name?: string; issued?: { key: string; name: string } | undefined }): SafeHtml {
  const title = t(page, 'Open311 接口密钥', 'Open311 API keys');
  return workbenchPage(page, {
    title,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: title }],
    body: html`<h1>${title}</h1>
<p class="lead">${t(page, '第三方应用通过 Open311 GeoReport v2 接口（/open311/v2）提交诉求时须携带 api_key。密钥只在签发时显示一次，平台只保存其摘要。', 'Clients need an api_key to post requests to /open311/v2. A key is shown once; only its hash is stored.')}</p>
${o.issued
  ? html`<div class="notice ok" role="status"><p>${t(page, `已为“${o.issued.name}”签发密钥，请立即复制保存，离开本页后将无法再次查看：`, `Key issued for "${o.issued.name}"; copy it now:`)}</p><p><code>${o.issued.key}</code></p></div>`
  : ''}
${errorSummary(o.errors, MAILBOX_LABELS)}
<form method="post" action="/workbench/open311-keys" class="card">
  ${csrfField(page)}
  ${textField({ name: 'name', label: t(page, '客户端名称', 'Client name'), value: o.name ?? '', required: true, maxLength: 60, hint: t(page, '如：某某区城市管理 App', 'e.g. a district city-management app'), errors: o.errors })}
  <button type="submit">${t(page, '签发密钥', 'Issue key')}</button>
</form>
${clients.length === 0
  ? html`<p class="empty">${t(page, '还没有签发过密钥。', 'No keys issued yet.')}</p>`
  : html`<table><caption>${t(page, '已签发的密钥', 'Issued keys')}</caption>
<thead><tr><th scope="col">${t(page, '客户端', 'Client')}</th><th scope="col">${t(page, '密钥前缀', 'Prefix')}</th><th scope="col">${t(page, '签发时间', 'Issued')}</th><th scope="col">${t(page, '最近使用', 'Last used')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '操作', 'Action')}</th></tr></thead>
<tbody>${clients.map(
      (c) => html`<tr><td>${c.name}</td><td><code>${c.keyPrefix}…</code></td><td>${formatDateTime(c.createdAt)}</td><td>${formatDateTime(c.lastUsedAt) || '—'}</td><td>${c.revokedAt ? t(page, '已吊销', 'Revoked') : t(page, '有效', 'Active')}</td>
<td>${c.revokedAt ? '' : html`<form method="post" action="/workbench/open311-keys/${c.id}/revoke">${csrfField(page)}<input type="hidden" name="version" value="${c.version}"><button type="submit" class="secondary">${t(page, `吊销“${c.name}”的密钥`, `Revoke ${c.name}`)}</button></form>`}</td></tr>`,
    )}</tbody></table>`}`,
  });
}
