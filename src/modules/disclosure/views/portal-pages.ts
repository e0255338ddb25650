import { formatDate } from '../../../platform/views/forms.ts';
import { attr, html, raw, type SafeHtml } from '../../../platform/views/html.ts';
import { portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { pager } from '../../../platform/views/forms.ts';
import { VALIDITY_LABEL } from '../catalog.ts';
import type { CategoryRow, PublicationEvent, PublicationRow } from '../publication.repository.ts';
import { historyList, metadataTable, relatedBlock } from './workbench-pages.ts';

export interface DivisionRef {
  code: string;
  name: string;
}

export interface PortalListing {
  division: DivisionRef | null;
  ancestors: DivisionRef[];
  children: DivisionRef[];
  categories: CategoryRow[];
  counts: Map<string, number>;
  organisations: { id: string; name: string; n: number }[];
  category: CategoryRow | null;
  organisationId: string | undefined;
  rows: PublicationRow[];
  page: number;
  pageSize: number;
  total: number;
}

const base = (division: DivisionRef | null) => (division ? `/disclosure/${division.code}` : '/disclosure');

function catalogTree(page: PageContext, l: PortalListing): SafeHtml {
  const top = l.categories.filter((c) => !c.parentCode);
  const count = (c: CategoryRow) => (l.counts.get(c.code) ?? 0) + l.categories.filter((k) => k.parentCode === c.code).reduce((s, k) => s + (l.counts.get(k.code) ?? 0), 0);
  const link = (c: CategoryRow) => html`<a href="${base(l.division)}?category=${c.code}"${attr('aria-current', l.category?.code === c.code ? 'page' : null)}>${c.name}</a> <span class="muted">(${count(c)})</span>`;
  return html`<nav aria-label="${t(page, '公开目录', 'Catalog')}" class="card catalog-tree"><h2>${t(page, '公开目录', 'Catalog')}</h2>
<ul><li><a href="${base(l.division)}"${attr('aria-current', !l.category && !l.organisationId ? 'page' : null)}>${t(page, '全部信息', 'All')}</a></li>
${top.map((c) => {
  const kids = l.categories.filter((k) => k.parentCode === c.code);
  return html`<li>${link(c)}${kids.length > 0 ? html`<ul>${kids.map((k) => html`<li>${link(k)}</li>`)}</ul>` : ''}</li>`;
})}</ul></nav>`;
}

export function portalListing(page: PageContext, l: PortalListing): SafeHtml {
  const where = l.division?.name ?? t(page, '全省', 'Province-wide');
  const title = t(page, `${where}政府信息公开`, `Government information: ${where}`);
  const feed = `${base(l.division)}/feed.xml${l.category ? `?category=${l.category.code}` : ''}`;
  const listTitle = l.category ? l.category.name : l.organisationId ? (l.organisations.find((o) => o.id === l.organisationId)?.name ?? t(page, '机构', 'Organisation')) : t(page, '最新公开信息', 'Latest');
  return portalPage(page, {
    title,
    ...(l.division ? { jurisdictionName: l.division.name } : {}),
    crumbs: [
      { label: t(page, '首页', 'Home'), href: '/' },
      { label: t(page, '政府信息公开', 'Disclosure'), href: '/disclosure' },
      ...l.ancestors.map((a) => ({ label: a.name, href: `/disclosure/${a.code}` })),
      ...(l.division ? [{ label: l.division.name }] : []),
    ],
    body: html`<h1>${title}</h1>
<p><a href="/disclosure-requests/new">${t(page, '依申请公开', 'Request information')}</a> · <a href="/disclosure-reports">${t(page, '政府信息公开工作年度报告', 'Annual reports')}</a> · <a href="${feed}">${t(page, '订阅本栏目（RSS）', 'Subscribe (RSS)')}</a> · <a href="/search">${t(page, '全省一站式搜索', 'Search everything')}</a></p>
${l.children.length > 0 ? html`<nav aria-label="${t(page, '下级地区', 'Regions below')}" class="filters"><span>${t(page, '下级地区：', 'Regions: ')}</span>${l.children.map((c) => html` <a href="/disclosure/${c.code}">${c.name}</a>`)}</nav>` : ''}
<div class="disclosure-layout">
${catalogTree(page, l)}
<section aria-labelledby="list-heading">
<h2 id="list-heading">${listTitle}</h2>
<form method="get" action="${base(l.division)}" class="filters">
  ${l.category ? html`<input type="hidden" name="category" value="${l.category.code}">` : ''}
  <div class="field"><label for="f-org">${t(page, '发布机构', 'Organisation')}</label>
  <select id="f-org" name="org"><option value="">${t(page, '全部', 'All')}</option>${l.organisations.map((o) => html`<option value="${o.id}"${attr('selected', o.id === l.organisationId)}>${o.name}（${o.n}）</option>`)}</select></div>
  <button type="submit" class="secondary">${t(page, '筛选', 'Filter')}</button>
</form>
${l.rows.length === 0
  ? html`<p class="empty">${t(page, '本栏目暂无公开信息。', 'Nothing has been published here yet.')}</p>`
  : html`<table><caption class="visually-hidden">${listTitle}</caption><thead><tr><th scope="col">${t(page, '标题', 'Title')}</th><th scope="col">${t(page, '发布机构', 'Issued by')}</th><th scope="col">${t(page, '文号', 'Number')}</th><th scope="col">${t(page, '发布日期', 'Published')}</th></tr></thead>
<tbody>${l.rows.map((p) => html`<tr><td><a href="/disclosure/publications/${p.id}">${p.title}</a>${p.validity !== 'valid' ? html` <span class="badge">${VALIDITY_LABEL[p.validity]}</span>` : ''}</td><td>${p.organisationName}</td><td>${p.docNumber ?? ''}</td><td>${formatDate(p.publishedAt)}</td></tr>`)}</tbody></table>
${pager({ path: base(l.division), query: { category: l.category?.code, org: l.organisationId }, page: l.page, pageSize: l.pageSize, total: l.total })}`}
</section>
</div>`,
  });
}

export function publicDetail(
  page: PageContext,
  p: PublicationRow,
  o: { categoryName: string; division: DivisionRef | null; related: { interprets: PublicationRow[]; interpretedBy: PublicationRow[] }; events: PublicationEvent[] },
): SafeHtml {
  const withdrawn = p.status === 'withdrawn';
  return portalPage(page, {
    title: p.title,
    ...(o.division ? { jurisdictionName: o.division.name } : {}),
    crumbs: [
      { label: t(page, '首页', 'Home'), href: '/' },
      { label: t(page, '政府信息公开', 'Disclosure'), href: '/disclosure' },
      ...(o.division ? [{ label: o.division.name, href: `/disclosure/${o.division.code}` }] : []),
      { label: p.title },
    ],
    body: html`<article>
<h1>${p.title}</h1>
${metadataTable(page, p, o.categoryName)}
${withdrawn
  ? html`<p class="card" role="note"><strong>${t(page, '本信息已撤销公开。', 'This publication has been withdrawn.')}</strong>${p.withdrawnReason ? html`${t(page, '原因：', ' Reason: ')}${p.withdrawnReason}` : ''}</p>`
  : html`${p.summary ? html`<p class="muted">${p.summary}</p>` : ''}
<div class="card publication-body">${raw(p.bodyHtml)}</div>
${p.attachmentIds.length > 0 ? html`<h2>${t(page, '附件', 'Attachments')}</h2><ul>${p.attachmentIds.map((id, i) => html`<li><a href="/disclosure/publications/${p.id}/attachments/${id}">${t(page, `附件 ${i + 1}`, `Attachment ${i + 1}`)}</a></li>`)}</ul>` : ''}
${relatedBlock(page, o.related, (r) => `/disclosure/publications/${r.id}`)}`}
${o.events.length > 0 ? html`<h2>${t(page, '发布与修订记录', 'Publication history')}</h2>${historyList(page, o.events)}` : ''}
</article>`,
  });
}
