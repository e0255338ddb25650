import type { SearchFilters, SearchResponse } from '../../platform/search/contract.ts';
import { MARK_END, MARK_START } from '../../platform/search/highlight.ts';
import { formatDate, pager } from '../../platform/views/forms.ts';
import { escapeHtml, html, raw, type SafeHtml } from '../../platform/views/html.ts';
import { portalPage } from '../../platform/views/layout.ts';
import { t, type PageContext } from '../../platform/views/page-context.ts';

/** What the search page was asked (all from the GET query string). */
export interface SearchPageQuery {
  q: string;
  kind?: string;
  org?: string;
  category?: string;
  genre?: string;
  validity?: SearchFilters['validity'];
  year?: number;
  /** Division code of the subtree to search in; absent = the whole province. */
  region?: string;
  sort: 'relevance' | 'date';
  page: number;
}

export interface KindLabel {
  kind: string;
  label: string;
  labelEn: string;
}

const VALIDITY_LABELS: Record<string, [string, string]> = { valid: ['有效', 'In force'], invalid: ['失效', 'Expired'], repealed: ['废止', 'Repealed'] };

/** Escapes first, then turns the engine's match markers into <mark> (a document cannot inject markup). */
export function markHighlights(s: string): SafeHtml {
  return raw(escapeHtml(s).replaceAll(MARK_START, '<mark>').replaceAll(MARK_END, '</mark>'));
}

export const SEARCH_PAGE_SIZE = 10;

/** Matches outside the ranked index (modules with the deprecated SearchProvider, e.g. regions). */
export interface OtherMatches {
  kind: string;
  label: string;
  hits: { title: string; url: string; snippet: string }[];
}

export function searchPage(
  page: PageContext,
  opts: {
    query: SearchPageQuery;
    result: SearchResponse | null;
    others: OtherMatches[];
    kinds: KindLabel[];
    /** The visitor's chosen region (cookie), offered as "search only here". */
    home: { code: string; name: string } | null;
    regionName: string | null;
  },
): SafeHtml {
  const { query: q, result } = opts;
  const kindLabel = (kind: string) => {
    const k = opts.kinds.find((x) => x.kind === kind);
    return k ? t(page, k.label, k.labelEn) : kind;
  };
  const link = (change: Partial<Record<keyof SearchPageQuery, string | number | undefined>>) => {
    const params = new URLSearchParams();
    const merged: Record<string, string | number | undefined> = { q: q.q, kind: q.kind, org: q.org, category: q.category, genre: q.genre, validity: q.validity, year: q.year, region: q.region, sort: q.sort === 'date' ? 'date' : undefined, ...change };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== '') params.set(k, String(v));
    return `/search?${params.toString()}`;
  };
  const facet = (title: string, name: 'kind' | 'org' | 'category' | 'genre' | 'validity' | 'year', counts: Record<string, number>, label: (v: string) => string) => {
    const entries = Object.entries(counts).slice(0, 12);
    const current = q[name] === undefined ? undefined : String(q[name]);
    if (entries.length === 0 && current === undefined) return html``;
    return html`<section class="facet" aria-labelledby="facet-${name}">
  <h3 id="facet-${name}">${title}</h3>
  <ul>
    ${entries.map(([value, count]) =>
      value === current
        ? html`<li><strong aria-current="true">${label(value)}（${count}）</strong> <a href="${link({ [name]: undefined, page: undefined })}">${t(page, '不限', 'Any')}</a></li>`
        : html`<li><a href="${link({ [name]: value, page: undefined })}">${label(value)}</a>（${count}）</li>`,
    )}
    ${current !== undefined && !entries.some(([v]) => v === current) ? html`<li><strong aria-current="true">${label(current)}（0）</strong> <a href="${link({ [name]: undefined })}">${t(page, '不限', 'Any')}</a></li>` : ''}
  </ul>
</section>`;
  };

  const summary = (r: SearchResponse) => html`<p role="status">${t(page, `找到 ${r.total} 条结果`, `${r.total} results`)}<span class="muted">（${t(page, `用时 ${r.tookMs} 毫秒`, `${r.tookMs} ms`)}）</span>
  ${q.region ? html` · ${t(page, '范围', 'In')}：${opts.regionName ?? q.region} <a href="${link({ region: undefined, page: undefined })}">${t(page, '改为全省', 'Search the whole province')}</a>` : ''}
  · ${q.sort === 'date'
    ? html`${t(page, '按发布时间排序', 'Newest first')} <a href="${link({ sort: undefined, page: undefined })}">${t(page, '按相关度排序', 'Sort by relevance')}</a>`
    : html`${t(page, '按相关度排序', 'By relevance')} <a href="${link({ sort: 'date', page: undefined })}">${t(page, '按发布时间排序', 'Newest first')}</a>`}</p>`;

  let body: SafeHtml;
  if (!result || result.notice === 'empty') {
    body = html`<p class="empty">${q.q.trim() === '' ? t(page, '请输入要查找的内容，例如“营业执照”“社保卡补办”或事项名称的拼音首字母“yyzz”。', 'Type what you are looking for, e.g. “business licence”.') : t(page, '您输入的内容只有标点符号或常用虚词，请换成具体的关键词再试。', 'Your search had only punctuation or very common words; please use specific keywords.')}</p>`;
  } else {
    const suggestion = result.suggestion
      ? html`<p class="suggestion">${t(page, '您是不是要找', 'Did you mean')}：<a href="${link({ q: result.suggestion, page: undefined })}">${result.suggestion}</a></p>`
      : '';
    const truncated =
      result.notice === 'truncated'
        ? html`<p class="muted">${t(page, '搜索内容过长，只使用了前 200 个字。', 'Your search was long; only the first 200 characters were used.')}</p>`
        : result.notice === 'loading'
          ? html`<p class="muted">${t(page, '搜索服务刚刚启动，正在加载索引，结果可能不完整，请稍后再试。', 'The search index is still loading; results may be incomplete.')}</p>`
          : '';
    if (result.total === 0) {
      body = html`${truncated}${suggestion}
<p class="empty">${t(page, `没有找到与“${q.q}”相关的内容。`, `Nothing found for “${q.q}”.`)}</p>
<ul class="muted">
  <li>${t(page, '检查是否有错别字，或换一个说法（如“社保卡”和“社会保障卡”）；', 'Check the spelling or try another word;')}</li>
  <li>${t(page, '减少关键词的数量；', 'Use fewer words;')}</li>
  ${q.region || q.kind || q.org || q.category || q.genre || q.validity || q.year ? html`<li><a href="${link({ kind: undefined, org: undefined, category: undefined, genre: undefined, validity: undefined, year: undefined, region: undefined, page: undefined })}">${t(page, '清除筛选条件，在全省范围内搜索', 'Clear the filters and search the whole province')}</a>。</li>` : ''}
</ul>`;
    } else {
      const f = result.facets;
      const orgLabel = (id: string) => result.facetLabels?.organisation[id] ?? id;
      body = html`${truncated}${suggestion}${summary(result)}
<div class="search-layout">
  <aside class="card facets" aria-label="${t(page, '筛选', 'Filters')}">
    <h2>${t(page, '筛选结果', 'Refine')}</h2>
    ${facet(t(page, '类别', 'Type'), 'kind', f.kind, kindLabel)}
    ${facet(t(page, '发布机构', 'Organisation'), 'org', f.organisation, orgLabel)}
    ${facet(t(page, '公开目录', 'Category'), 'category', f.category, (v) => v)}
    ${facet(t(page, '文种', 'Genre'), 'genre', f.genre, (v) => v)}
    ${facet(t(page, '年份', 'Year'), 'year', Object.fromEntries(Object.entries(f.year).sort((a, b) => Number(b[0]) - Number(a[0]))), (v) => t(page, `${v}年`, v))}
    ${facet(t(page, '效力', 'Validity'), 'validity', f.validity, (v) => (VALIDITY_LABELS[v] ? t(page, VALIDITY_LABELS[v][0], VALIDITY_LABELS[v][1]) : v))}
  </aside>
  <ol class="results" start="${(q.page - 1) * SEARCH_PAGE_SIZE + 1}">
    ${result.hits.map(
      (h) => html`<li class="card">
      <h2 class="hit-title"><a href="${h.url}">${markHighlights(h.titleHighlighted)}</a></h2>
      <p class="muted">${kindLabel(h.kind)}${h.organisationName ? html` · ${h.organisationName}` : ''}${h.publishedAt ? html` · <time datetime="${h.publishedAt.toISOString()}">${formatDate(h.publishedAt)}</time>` : ''}</p>
      <p>${markHighlights(h.snippetHighlighted)}</p>
    </li>`,
    )}
  </ol>
</div>
${pager({ path: '/search', query: { q: q.q, kind: q.kind, org: q.org, category: q.category, genre: q.genre, validity: q.validity, year: q.year === undefined ? undefined : String(q.year), region: q.region, sort: q.sort === 'date' ? 'date' : undefined }, page: q.page, pageSize: SEARCH_PAGE_SIZE, total: Math.min(result.total, 1000) })}`;
    }
  }

  return portalPage(page, {
    title: q.q ? `${t(page, '搜索', 'Search')}：${q.q.slice(0, 40)}` : t(page, '搜索', 'Search'),
    crumbs: [{ label: t(page, '首页', 'Home'), href: '/' }, { label: t(page, '搜索', 'Search') }],
    ...(opts.home ? { jurisdictionName: opts.home.name } : {}),
    body: html`<h1>${t(page, '一站式查询', 'Search')}</h1>
<form class="search" role="search" method="get" action="/search">
  <label class="visually-hidden" for="page-search">${t(page, '搜索政府信息、办事事项和通知公告', 'Search government information, services and notices')}</label>
  <input id="page-search" name="q" type="search" maxlength="200" value="${q.q.slice(0, 200)}">
  ${opts.home
    ? html`<fieldset class="inline">
    <legend>${t(page, '搜索范围', 'Where')}</legend>
    <label><input type="radio" name="region" value=""${q.region ? '' : raw(' checked')}> ${t(page, '全省', 'Whole province')}</label>
    <label><input type="radio" name="region" value="${opts.home.code}"${q.region === opts.home.code ? raw(' checked') : ''}> ${t(page, `仅${opts.home.name}`, `Only ${opts.home.name}`)}</label>
  </fieldset>`
    : q.region
      ? html`<input type="hidden" name="region" value="${q.region}">`
      : ''}
  ${q.sort === 'date' ? html`<input type="hidden" name="sort" value="date">` : ''}
  <button type="submit">${t(page, '搜索', 'Search')}</button>
</form>
${opts.others.map(
  (g) => html`<section class="card" aria-labelledby="other-${g.kind}">
  <h2 id="other-${g.kind}">${g.label}</h2>
  <ul>${g.hits.map((h) => html`<li><a href="${h.url}">${h.title}</a> <span class="muted">${h.snippet}</span></li>`)}</ul>
</section>`,
)}
${body}`,
  });
}
