import type { CodeEntry, CodeStatus, CodeTable, ReliabilityTag } from '../../../platform/codes/code-tables.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import type { CodeTableSummary } from '../code-table.repository.ts';

export const TAG_LABEL: Record<ReliabilityTag, string> = { 'law/standard': '法规/标准', practice: '通行做法', unverified: '待核实' };
const STATUS_LABEL: Record<CodeStatus, string> = { valid: '有效', retired: '已停用', notYetValid: '尚未生效', unknown: '未知' };
const TAG_LABEL_EN: Record<ReliabilityTag, string> = { 'law/standard': 'Law or standard', practice: 'Common practice', unverified: 'Unverified' };
const STATUS_LABEL_EN: Record<CodeStatus, string> = { valid: 'Valid', retired: 'Retired', notYetValid: 'Not yet valid', unknown: 'Unknown' };
const STATUS_BADGE: Record<CodeStatus, string> = { valid: 'badge ok', retired: 'badge', notYetValid: 'badge warn', unknown: 'badge bad' };

export function codeTableList(page: PageContext, tables: CodeTableSummary[]): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '基础代码表', 'Code tables'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '基础代码表', 'Code tables') }],
    body: html`<h1>${t(page, '基础代码表', 'Code tables')}</h1>
<p>${t(page, '平台统一使用的代码表（只读）。代码从不删除，停用的代码保留并注明停用日期，历史记录仍可显示（DOMAIN.md §1.3）。开放接口：', 'The code tables used across the platform (read only). Codes are never deleted: retired codes are kept with their end date so old records still display (DOMAIN.md §1.3). Open API: ')}<a href="/api/code-tables">/api/code-tables</a>${t(page, '。', '.')}</p>
${tables.length === 0
  ? html`<p class="empty">${t(page, '还没有代码表。', 'No code tables yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '代码表列表', 'Code tables')}</caption>
<thead><tr><th scope="col">${t(page, '标识', 'Id')}</th><th scope="col">${t(page, '名称', 'Name')}</th><th scope="col">${t(page, '来源', 'Source')}</th><th scope="col">${t(page, '可靠性', 'Reliability')}</th><th scope="col">${t(page, '版本', 'Version')}</th><th scope="col">${t(page, '条目数', 'Entries')}</th></tr></thead>
<tbody>${tables.map((x) => html`<tr><td><a href="/workbench/code-tables/${x.id}"><code>${x.id}</code></a></td><td>${x.name}</td><td>${x.source}</td><td>${t(page, TAG_LABEL[x.tag], TAG_LABEL_EN[x.tag])}</td><td>${x.version}</td><td>${x.entryCount}</td></tr>`)}</tbody></table>`}`,
  });
}

function entryRow(page: PageContext, table: CodeTable, e: CodeEntry, today: string): SafeHtml {
  const inForce = e.validFrom <= today && (e.validTo === undefined || today < e.validTo);
  const status: CodeStatus = inForce ? 'valid' : e.validFrom > today ? 'notYetValid' : 'retired';
  return html`<tr><td><code>${e.code}</code></td><td>${e.label}</td><td lang="en">${e.labelEn ?? ''}</td>${table.hierarchical ? html`<td>${e.parentCode ?? ''}</td>` : ''}<td>${e.validFrom}</td><td>${e.validTo ?? ''}</td><td>${e.replacedBy ?? ''}</td><td><span class="${STATUS_BADGE[status]}">${t(page, STATUS_LABEL[status], STATUS_LABEL_EN[status])}</span></td></tr>`;
}

export function codeTableDetail(page: PageContext, table: CodeTable, today: string): SafeHtml {
  return workbenchPage(page, {
    title: table.name,
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '基础代码表', 'Code tables'), href: '/workbench/code-tables' }, { label: table.name }],
    body: html`<h1>${table.name} <code>${table.id}</code></h1>
<dl class="card facts">
  <dt>${t(page, '来源', 'Source')}</dt><dd>${table.source}</dd>
  <dt>${t(page, '可靠性', 'Reliability')}</dt><dd>${t(page, TAG_LABEL[table.tag], TAG_LABEL_EN[table.tag])}</dd>
  <dt>${t(page, '版本', 'Version')}</dt><dd>${table.version}</dd>
  <dt>${t(page, '结构', 'Structure')}</dt><dd>${table.hierarchical ? t(page, '分级代码', 'Hierarchical') : t(page, '平铺代码', 'Flat')}${table.multiValueSeparator ? t(page, `；可多选，交换时以“${table.multiValueSeparator}”连接`, `; several values allowed, joined with “${table.multiValueSeparator}” in exchange`) : ''}</dd>
</dl>
<table><caption class="visually-hidden">${t(page, `${table.name}的代码`, `Codes in ${table.name}`)}</caption>
<thead><tr><th scope="col">${t(page, '代码', 'Code')}</th><th scope="col">${t(page, '名称', 'Name')}</th><th scope="col">${t(page, '英文', 'English')}</th>${table.hierarchical ? html`<th scope="col">${t(page, '上级代码', 'Parent code')}</th>` : ''}<th scope="col">${t(page, '生效日期', 'Valid from')}</th><th scope="col">${t(page, '停用日期', 'Retired on')}</th><th scope="col">${t(page, '替代代码', 'Replaced by')}</th><th scope="col">${t(page, `状态（${today}）`, `Status (${today})`)}</th></tr></thead>
<tbody>${table.entries().map((e) => entryRow(page, table, e, today))}</tbody></table>
<p><a href="/api/code-tables/${table.id}">${t(page, '以 JSON 格式获取', 'Get as JSON')}</a></p>`,
  });
}
