import type { CodeEntry, CodeStatus, CodeTable, ReliabilityTag } from '../../../platform/codes/code-tables.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { workbenchPage } from '../../../platform/views/layout.ts';
import type { PageContext } from '../../../platform/views/page-context.ts';
import type { CodeTableSummary } from '../code-table.repository.ts';

export const TAG_LABEL: Record<ReliabilityTag, string> = { 'law/standard': '法规/标准', practice: '通行做法', unverified: '待核实' };
const STATUS_LABEL: Record<CodeStatus, string> = { valid: '有效', retired: '已停用', notYetValid: '尚未生效', unknown: '未知' };
const STATUS_BADGE: Record<CodeStatus, string> = { valid: 'badge ok', retired: 'badge', notYetValid: 'badge warn', unknown: 'badge bad' };

export function codeTableList(page: PageContext, tables: CodeTableSummary[]): SafeHtml {
  return workbenchPage(page, {
    title: '基础代码表',
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '基础代码表' }],
    body: html`<h1>基础代码表</h1>
<p>平台统一使用的代码表（只读）。代码从不删除，停用的代码保留并注明停用日期，历史记录仍可显示（DOMAIN.md §1.3）。开放接口：<a href="/api/code-tables">/api/code-tables</a>。</p>
${tables.length === 0
  ? html`<p class="empty">还没有代码表。</p>`
  : html`<table><caption class="visually-hidden">代码表列表</caption>
<thead><tr><th scope="col">标识</th><th scope="col">名称</th><th scope="col">来源</th><th scope="col">可靠性</th><th scope="col">版本</th><th scope="col">条目数</th></tr></thead>
<tbody>${tables.map((t) => html`<tr><td><a href="/workbench/code-tables/${t.id}"><code>${t.id}</code></a></td><td>${t.name}</td><td>${t.source}</td><td>${TAG_LABEL[t.tag]}</td><td>${t.version}</td><td>${t.entryCount}</td></tr>`)}</tbody></table>`}`,
  });
}

function entryRow(table: CodeTable, e: CodeEntry, today: string): SafeHtml {
  const inForce = e.validFrom <= today && (e.validTo === undefined || today < e.validTo);
  const status: CodeStatus = inForce ? 'valid' : e.validFrom > today ? 'notYetValid' : 'retired';
  return html`<tr><td><code>${e.code}</code></td><td>${e.label}</td><td lang="en">${e.labelEn ?? ''}</td>${table.hierarchical ? html`<td>${e.parentCode ?? ''}</td>` : ''}<td>${e.validFrom}</td><td>${e.validTo ?? ''}</td><td>${e.replacedBy ?? ''}</td><td><span class="${STATUS_BADGE[status]}">${STATUS_LABEL[status]}</span></td></tr>`;
}

export function codeTableDetail(page: PageContext, table: CodeTable, today: string): SafeHtml {
  return workbenchPage(page, {
    title: table.name,
    crumbs: [{ label: '工作台', href: '/workbench' }, { label: '基础代码表', href: '/workbench/code-tables' }, { label: table.name }],
    body: html`<h1>${table.name} <code>${table.id}</code></h1>
<dl class="card">
  <dt>来源</dt><dd>${table.source}</dd>
  <dt>可靠性</dt><dd>${TAG_LABEL[table.tag]}</dd>
  <dt>版本</dt><dd>${table.version}</dd>
  <dt>结构</dt><dd>${table.hierarchical ? '分级代码' : '平铺代码'}${table.multiValueSeparator ? html`；可多选，交换时以“${table.multiValueSeparator}”连接` : ''}</dd>
</dl>
<table><caption class="visually-hidden">${table.name}的代码</caption>
<thead><tr><th scope="col">代码</th><th scope="col">名称</th><th scope="col">英文</th>${table.hierarchical ? html`<th scope="col">上级代码</th>` : ''}<th scope="col">生效日期</th><th scope="col">停用日期</th><th scope="col">替代代码</th><th scope="col">状态（${today}）</th></tr></thead>
<tbody>${table.entries().map((e) => entryRow(table, e, today))}</tbody></table>
<p><a href="/api/code-tables/${table.id}">以 JSON 格式获取</a></p>`,
  });
}
