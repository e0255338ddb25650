import { html, type SafeHtml } from '../../../platform/views/html.ts';
import { csrfField, portalPage } from '../../../platform/views/layout.ts';
import { t, type PageContext } from '../../../platform/views/page-context.ts';
import { LEVEL_LABELS } from '../division-codes.ts';
import type { Division, DivisionLevel, DivisionMatch, DivisionSubtreeCounts } from '../types.ts';

function levelLabel(page: PageContext, level: DivisionLevel): string {
  const l = LEVEL_LABELS[level];
  return t(page, l.zh, l.en);
}

function countsLine(page: PageContext, counts: DivisionSubtreeCounts): SafeHtml {
  const parts = ([2, 3, 4, 5] as const)
    .filter((l) => counts.byLevel[l])
    .map((l) => t(page, `${LEVEL_LABELS[l].zh} ${counts.byLevel[l]} 个`, `${counts.byLevel[l]} ${LEVEL_LABELS[l].en.toLowerCase()}`));
  return parts.length > 0 ? html`<p class="muted">${t(page, '下辖：', 'Below: ')}${parts.join(t(page, '、', ', '))}</p>` : html``;
}

/** "Set as my region": a plain POST form, so it works without JavaScript. */
function regionForm(page: PageContext, d: Division, current: Division | null): SafeHtml {
  if (current?.code === d.code) return html`<p><span class="badge ok">${t(page, '当前地区', 'Current region')}</span></p>`;
  return html`<form method="post" action="/jurisdictions/region" class="inline-form">
  ${csrfField(page)}<input type="hidden" name="code" value="${d.code}"><input type="hidden" name="back" value="${page.path}">
  <button type="submit" class="small">${t(page, `切换到${d.name}`, `Switch to ${d.name}`)}</button>
</form>`;
}

function searchForm(page: PageContext, q: string): SafeHtml {
  return html`<form method="get" action="/jurisdictions" class="filters" role="search">
  <div class="field"><label for="f-q">${t(page, '按名称查找区划', 'Find a region by name')}</label>
  <input id="f-q" name="q" type="search" maxlength="50" value="${q}"></div>
  <button type="submit" class="secondary">${t(page, '查找', 'Search')}</button>
</form>`;
}

function divisionLink(d: Division): SafeHtml {
  return html`<a href="/jurisdictions/${d.code}">${d.name}</a> <span class="muted">${d.code}</span>`;
}

export interface DivisionIndexView {
  roots: { division: Division; counts: DivisionSubtreeCounts }[];
  q: string;
  matches: DivisionMatch[] | null;
  current: Division | null;
}

export function divisionIndexPage(page: PageContext, v: DivisionIndexView): SafeHtml {
  const title = t(page, '行政区划', 'Administrative divisions');
  const results =
    v.matches === null
      ? html``
      : v.matches.length === 0
        ? html`<p class="empty">${t(page, `没有名称含“${v.q}”的现行区划。`, `No current region named “${v.q}”.`)}</p>`
        : html`<h2>${t(page, `名称含“${v.q}”的区划`, `Regions matching “${v.q}”`)}</h2>
<ul class="card">${v.matches.map((m) => html`<li>${divisionLink(m)} <span class="muted">${levelLabel(page, m.level)}${m.path.length > 0 ? ` · ${m.path.join(' › ')}` : ''}</span></li>`)}</ul>`;
  return portalPage(page, {
    title,
    ...(v.current ? { jurisdictionName: v.current.name } : {}),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: title }],
    body: html`<h1>${title}</h1>
<p>${t(page, '按省、市、县、乡镇逐级浏览行政区划，选择一个地区后，门户将优先显示该地区的办事服务。', 'Browse regions level by level; choose one to see its services first.')}</p>
${v.current ? html`<p>${t(page, '当前地区：', 'Current region: ')}<a href="/jurisdictions/${v.current.code}">${v.current.name}</a></p>` : ''}
${searchForm(page, v.q)}
${results}
${v.matches === null
  ? v.roots.length === 0
    ? html`<p class="empty">${t(page, '尚未导入行政区划数据。管理员可运行 zhengwu import-divisions --province 42 导入。', 'No divisions imported yet (zhengwu import-divisions --province 42).')}</p>`
    : html`<div class="grid">${v.roots.map((r) => html`<section class="card"><h2>${divisionLink(r.division)}</h2>${countsLine(page, r.counts)}</section>`)}</div>`
  : ''}`,
  });
}

export interface DivisionNodeView {
  division: Division;
  ancestors: Division[];
  children: Division[];
  counts: DivisionSubtreeCounts;
  current: Division | null;
}

/** One node of the tree: breadcrumbs of its ancestors, its children grouped by level. */
export function divisionNodePage(page: PageContext, v: DivisionNodeView): SafeHtml {
  const d = v.division;
  const groups = ([2, 3, 4, 5] as const)
    .map((level) => ({ level, items: v.children.filter((c) => c.level === level) }))
    .filter((g) => g.items.length > 0);
  const groupTitle = (level: DivisionLevel, n: number) =>
    d.level === 1 && level === 3
      ? t(page, `省直辖县级行政区划（${n}）`, `County-level units directly under the province (${n})`)
      : t(page, `${LEVEL_LABELS[level].zh}行政区划（${n}）`, `${LEVEL_LABELS[level].en} level (${n})`);
  const status =
    d.validTo === null
      ? html``
      : html`<p><span class="badge warn">${t(page, `已于 ${d.validTo} 撤销`, `Closed on ${d.validTo}`)}</span></p>`;
  return portalPage(page, {
    title: d.name,
    ...(v.current ? { jurisdictionName: v.current.name } : {}),
    crumbs: [
      { label: t(page, '首页', 'Home'), href: '/' },
      { label: t(page, '行政区划', 'Regions'), href: '/jurisdictions' },
      ...v.ancestors.map((a) => ({ label: a.name, href: `/jurisdictions/${a.code}` })),
      { label: d.name },
    ],
    body: html`<h1>${d.name}</h1>
<p class="muted">${t(page, '区划代码', 'Code')} <code>${d.code}</code> · ${levelLabel(page, d.level)}</p>
${status}
${d.validTo === null ? regionForm(page, d, v.current) : ''}
${countsLine(page, v.counts)}
${groups.length === 0
  ? html`<p class="empty">${d.level >= 4 ? t(page, '本级以下的村（社区）区划未导入或不存在。', 'Villages below this level are not imported.') : t(page, '没有现行的下级区划。', 'No current regions below this one.')}</p>`
  : groups.map(
      (g) => html`<section class="card"><h2>${groupTitle(g.level, g.items.length)}</h2>
<ul class="division-list">${g.items.map((c) => html`<li>${divisionLink(c)}</li>`)}</ul></section>`,
    )}`,
  });
}
