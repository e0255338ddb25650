import type { FieldError } from '../../../platform/errors.ts';
import { errorSummary, formatDate, pager, textArea, textField } from '../../../platform/views/forms.ts';
import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage, workbenchPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { type AnnualTables, NARRATIVE_SECTIONS, type Narrative, TABLE3_COLUMNS, TABLE4_COLUMNS } from '../domain/annual-report.ts';
import { TABLE2_HEAD, reportTitle, table2Rows, table3Rows, table4Rows } from '../domain/report-exports.ts';
import type { AnnualReportRow } from '../request.repository.ts';
import { radioField } from './widgets.ts';

const paragraphs = (text: string) => html`${text.split(/\n+/).filter(Boolean).map((p) => html`<p>${p}</p>`)}`;

function dataTable(caption: string, head: string[], rows: string[][]): SafeHtml {
  return html`<div class="table-scroll"><table class="report-table"><caption>${caption}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map(([label, ...cells]) => html`<tr><th scope="row">${label}</th>${cells.map((c) => html`<td class="num">${c}</td>`)}</tr>`)}</tbody></table></div>`;
}

/** The report body: narrative sections with the national-format tables in sections II–IV. */
export function reportBody(page: PageContext, narrative: Narrative, tables: AnnualTables): SafeHtml {
  return html`${NARRATIVE_SECTIONS.map((s) => {
    const extra =
      s.key === 'proactive'
        ? (() => {
            const rows = table2Rows(tables);
            return rows
              ? dataTable(t(page, '主动公开政府信息情况', 'Proactive disclosure'), TABLE2_HEAD, rows)
              : html`<p class="muted">${t(page, '主动公开情况统计暂未接入本系统。', 'Proactive disclosure figures are not connected yet.')}</p>`;
          })()
        : s.key === 'requests'
          ? dataTable(t(page, '收到和处理政府信息公开申请情况', 'Requests received and handled'), ['项目', ...TABLE3_COLUMNS.map((c) => c.label)], table3Rows(tables))
          : s.key === 'remedies'
            ? dataTable(t(page, '政府信息公开行政复议、行政诉讼情况', 'Reconsideration and litigation'), ['类别', ...TABLE4_COLUMNS.map((c) => c.label)], table4Rows(tables))
            : html``;
    return html`<section><h2>${s.title}</h2>${paragraphs(narrative[s.key] ?? '')}${extra}</section>`;
  })}`;
}

export function reportListPage(
  page: PageContext,
  rows: AnnualReportRow[],
  p: { page: number; pageSize: number; total: number; canCreate: boolean; canGovernment: boolean; errors: FieldError[]; values: { year?: string; kind?: string }; thisYear: number },
): SafeHtml {
  return workbenchPage(page, {
    title: t(page, '政府信息公开年度报告', 'Annual disclosure reports'),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '依申请公开办理', 'Information requests'), href: '/workbench/disclosure-requests' }, { label: t(page, '年度报告', 'Annual reports') }],
    body: html`<h1>${t(page, '政府信息公开工作年度报告', 'Annual disclosure reports')}</h1>
${p.canCreate || p.canGovernment
  ? html`<section class="card" aria-labelledby="new-h"><h2 id="new-h">${t(page, '编制年度报告', 'New report')}</h2>
${errorSummary(p.errors, { year: '年度', kind: '报告类型' })}
<form method="post" action="/workbench/disclosure-reports" class="stack" novalidate>
  ${csrfField(page)}
  ${textField({ name: 'year', label: t(page, '年度', 'Year'), type: 'number', value: p.values.year ?? String(p.thisYear - 1), required: true, errors: p.errors })}
  ${radioField({ name: 'kind', legend: t(page, '报告类型', 'Kind'), options: [...(p.canCreate ? [{ value: 'organisation', label: '本机关年度报告' }] : []), ...(p.canGovernment ? [{ value: 'government', label: '本级人民政府年度报告（汇总辖区各机关）' }] : [])], value: p.values.kind ?? (p.canCreate ? 'organisation' : 'government'), errors: p.errors })}
  <button type="submit">${t(page, '生成报告草稿', 'Create draft')}</button>
</form></section>`
  : ''}
${rows.length === 0
  ? html`<p class="empty">${t(page, '还没有年度报告。', 'No reports yet.')}</p>`
  : html`<table><caption class="visually-hidden">${t(page, '年度报告列表', 'Reports')}</caption>
<thead><tr><th scope="col">${t(page, '报告', 'Report')}</th><th scope="col">${t(page, '状态', 'Status')}</th><th scope="col">${t(page, '发布日期', 'Published')}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/workbench/disclosure-reports/${r.id}">${reportTitle(r.scopeName, r.year)}</a></td><td>${r.status === 'published' ? html`<span class="badge ok">已发布</span>` : html`<span class="badge warn">草稿</span>`}</td><td>${formatDate(r.publishedAt)}</td></tr>`)}</tbody></table>
${pager({ path: '/workbench/disclosure-reports', query: {}, page: p.page, pageSize: p.pageSize, total: p.total })}`}`,
  });
}

export function reportEditorPage(page: PageContext, r: AnnualReportRow, o: { tables: AnnualTables; actions: ('edit' | 'publish')[]; errors: FieldError[]; values?: Narrative }): SafeHtml {
  const narrative = o.values ?? r.narrative;
  const labels = Object.fromEntries(NARRATIVE_SECTIONS.map((s) => [s.key, s.title]));
  return workbenchPage(page, {
    title: reportTitle(r.scopeName, r.year),
    crumbs: [{ label: t(page, '工作台', 'Workbench'), href: '/workbench' }, { label: t(page, '年度报告', 'Annual reports'), href: '/workbench/disclosure-reports' }, { label: `${r.year}` }],
    body: html`<h1>${reportTitle(r.scopeName, r.year)}</h1>
<p>${r.status === 'published' ? html`<span class="badge ok">已发布</span> <a href="/disclosure-reports/${r.id}">${t(page, '查看公开页面', 'Public page')}</a>` : html`<span class="badge warn">草稿</span>`}
 · <a href="/workbench/disclosure-reports/${r.id}/report.pdf">${t(page, '下载 PDF', 'PDF')}</a> · <a href="/workbench/disclosure-reports/${r.id}/report.xlsx">${t(page, '导出 Excel', 'Excel')}</a></p>
${o.actions.includes('edit')
  ? html`${errorSummary(o.errors, labels)}
<form method="post" action="/workbench/disclosure-reports/${r.id}" class="stack" novalidate>
  ${csrfField(page)}
  <input type="hidden" name="version" value="${r.version}">
  ${NARRATIVE_SECTIONS.map((s) => textArea({ name: s.key, label: s.title, value: narrative[s.key] ?? '', rows: 5, hint: s.key === 'requests' || s.key === 'remedies' || s.key === 'proactive' ? t(page, '统计表由系统根据办理数据自动生成，此处填写文字说明', 'The table is computed from the data; add the narrative here') : '', errors: o.errors }))}
  <button type="submit">${t(page, '保存', 'Save')}</button>
</form>`
  : ''}
${o.actions.includes('publish')
  ? html`<form method="post" action="/workbench/disclosure-reports/${r.id}/publish" class="inline-form">${csrfField(page)}<input type="hidden" name="version" value="${r.version}"><button type="submit">${t(page, '发布年度报告', 'Publish')}</button></form>
<p class="muted">${t(page, '发布时统计表将按当时数据定稿，之后不再变化。', 'Publishing freezes the tables.')}</p>`
  : ''}
<h2>${t(page, '预览', 'Preview')}</h2>
<article class="card">${reportBody(page, narrative, o.tables)}</article>`,
  });
}

export function publicReportListPage(page: PageContext, rows: AnnualReportRow[], p: { page: number; pageSize: number; total: number }): SafeHtml {
  return portalPage(page, {
    title: t(page, '政府信息公开工作年度报告', 'Annual disclosure reports'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '年度报告', 'Annual reports') }],
    body: html`<h1>${t(page, '政府信息公开工作年度报告', 'Annual disclosure reports')}</h1>
${rows.length === 0
  ? html`<p class="empty">${t(page, '暂无已发布的年度报告。', 'No reports published yet.')}</p>`
  : html`<ul class="card">${rows.map((r) => html`<li><a href="/disclosure-reports/${r.id}">${reportTitle(r.scopeName, r.year)}</a> <span class="muted">${formatDate(r.publishedAt)}</span></li>`)}</ul>
${pager({ path: '/disclosure-reports', query: {}, ...p })}`}
<p><a href="/disclosure-requests/new">${t(page, '申请政府信息公开', 'Request government information')}</a></p>`,
  });
}

export function publicReportPage(page: PageContext, r: AnnualReportRow, tables: AnnualTables): SafeHtml {
  const title = reportTitle(r.scopeName, r.year);
  return portalPage(page, {
    title,
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '年度报告', 'Annual reports'), href: '/disclosure-reports' }, { label: `${r.year}` }],
    body: html`<article class="card">
<h1>${title}</h1>
<p class="muted">${r.scopeName} · ${t(page, '发布日期：', 'Published: ')}${formatDate(r.publishedAt)} · <a href="/disclosure-reports/${r.id}/report.pdf">${t(page, '下载 PDF', 'PDF')}</a> · <a href="/disclosure-reports/${r.id}/report.xlsx">${t(page, '下载 Excel', 'Excel')}</a></p>
${reportBody(page, r.narrative, tables)}
</article>`,
  });
}
