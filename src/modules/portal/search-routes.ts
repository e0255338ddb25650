import type { FastifyInstance } from 'fastify';
import { subtreePrefix } from '../../platform/auth/scope.ts';
import type { SearchFilters, SearchRequest, SearchService } from '../../platform/search/contract.ts';
import { stripMarks } from '../../platform/search/highlight.ts';
import { parseSearchQuery, type SearchProvider } from '../../platform/search/providers.ts';
import { markHighlights, SEARCH_PAGE_SIZE, searchPage, type KindLabel, type OtherMatches, type SearchPageQuery } from './search-pages.ts';

export interface SearchRouteDeps {
  search: SearchService;
  /** Kinds and their labels, from the modules' manifests (ModuleManifest.search). */
  kinds: () => KindLabel[];
  /** Modules still answering from their own tables (deprecated SearchProvider): shown beside the ranked results. */
  legacy: () => SearchProvider[];
  regionName: (code: string) => Promise<string | null>;
}

interface SearchQuerystring {
  q?: string;
  kind?: string;
  org?: string;
  category?: string;
  genre?: string;
  validity?: 'valid' | 'invalid' | 'repealed';
  year?: number;
  region?: string;
  sort?: 'relevance' | 'date';
  page?: number;
  pageSize?: number;
}

/** One schema for the page and the API: it validates and documents (OpenAPI) the same parameters. */
const querystring = {
  type: 'object',
  properties: {
    // long input is accepted and cut to 200 characters by the engine (the answer says so)
    q: { type: 'string', maxLength: 20000, description: '要查找的内容（最多使用前 200 个字）；支持拼音和拼音首字母查找办事事项' },
    kind: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}(,[a-z][a-z0-9-]{0,39}){0,9}$', description: "类别，如 publication、service-item、notice；多个用逗号分隔" },
    org: { type: 'string', maxLength: 64, description: '发布机构 id' },
    category: { type: 'string', maxLength: 64, description: '公开目录类别代码' },
    genre: { type: 'string', maxLength: 64, description: '文种' },
    validity: { type: 'string', enum: ['valid', 'invalid', 'repealed'], description: '效力' },
    year: { type: 'integer', minimum: 1949, maximum: 2100, description: '发布年份（北京时间）' },
    region: { type: 'string', pattern: '^([0-9]{2,12})?$', description: '只在这个行政区划及其下级范围内查找（区划代码）；不填为全省' },
    sort: { type: 'string', enum: ['relevance', 'date'], default: 'relevance', description: '排序：相关度或发布时间' },
    page: { type: 'integer', minimum: 1, maximum: 100, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
  },
} as const;

const hitSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    kind: { type: 'string' },
    title: { type: 'string' },
    titleHtml: { type: 'string', description: '标题，HTML 转义后用 <mark> 标出命中词' },
    snippet: { type: 'string' },
    snippetHtml: { type: 'string', description: '摘要，HTML 转义后用 <mark> 标出命中词' },
    url: { type: 'string' },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    organisationName: { type: ['string', 'null'] },
    divisionCode: { type: 'string' },
    score: { type: 'number' },
  },
} as const;

const countMap = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const responseSchema = {
  200: {
    type: 'object',
    properties: {
      query: { type: 'string' },
      notice: { type: ['string', 'null'], enum: ['empty', 'truncated', 'loading', null], description: 'empty：没有可查找的内容；truncated：只使用了前 200 个字；loading：索引正在加载，结果可能不完整' },
      total: { type: 'integer' },
      page: { type: 'integer' },
      pageSize: { type: 'integer' },
      tookMs: { type: 'number' },
      suggestion: { type: ['string', 'null'], description: '“您是不是要找”' },
      facets: {
        type: 'object',
        properties: { kind: countMap, organisation: countMap, category: countMap, genre: countMap, year: countMap, validity: countMap },
      },
      facetLabels: { type: 'object', properties: { kind: { type: 'object', additionalProperties: { type: 'string' } }, organisation: { type: 'object', additionalProperties: { type: 'string' } } } },
      hits: { type: 'array', items: hitSchema },
      others: {
        type: 'array',
        description: '不在排序结果中的其他匹配（如行政区划），只在第一页返回',
        items: {
          type: 'object',
          properties: {
            kind: { type: 'string' },
            label: { type: 'string' },
            hits: { type: 'array', items: { type: 'object', properties: { title: { type: 'string' }, url: { type: 'string' }, snippet: { type: 'string' } } } },
          },
        },
      },
    },
  },
} as const;

/** Matches from modules that still answer from their own tables (first page only, at most 5 each). */
async function otherMatches(legacy: SearchProvider[], qs: SearchQuerystring): Promise<OtherMatches[]> {
  if ((qs.page ?? 1) > 1 || !qs.q) return [];
  const query = parseSearchQuery(qs.q, 5);
  if (query.terms.length === 0) return [];
  const groups = await Promise.all(
    legacy.map(async (p) => ({ kind: p.kind, label: p.label, hits: (await p.search(query).catch(() => [])).slice(0, 5).map((h) => ({ title: h.title, url: h.url, snippet: h.snippet })) })),
  );
  return groups.filter((g) => g.hits.length > 0);
}

function toRequest(qs: SearchQuerystring, pageSize: number): SearchRequest {
  const filters: SearchFilters = {};
  if (qs.region) filters.divisionPrefix = subtreePrefix(qs.region);
  if (qs.kind) filters.kinds = qs.kind.split(',');
  if (qs.org) filters.organisationId = qs.org;
  if (qs.category) filters.category = qs.category;
  if (qs.genre) filters.genre = qs.genre;
  if (qs.validity) filters.validity = qs.validity;
  if (qs.year !== undefined) filters.year = qs.year;
  const page = qs.page ?? 1;
  return { text: qs.q ?? '', filters, sort: qs.sort === 'date' ? 'date' : 'relevance', offset: (page - 1) * pageSize, limit: pageSize };
}

/** The one search box: /search (page, works without JavaScript) and /api/search (JSON). */
export function searchRoutes(deps: SearchRouteDeps) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: SearchQuerystring }>('/search', { config: { access: { public: true } }, schema: { hide: true, querystring } }, async (request, reply) => {
      const qs = request.query;
      const query: SearchPageQuery = {
        q: qs.q ?? '',
        ...(qs.kind ? { kind: qs.kind } : {}),
        ...(qs.org ? { org: qs.org } : {}),
        ...(qs.category ? { category: qs.category } : {}),
        ...(qs.genre ? { genre: qs.genre } : {}),
        ...(qs.validity ? { validity: qs.validity } : {}),
        ...(qs.year !== undefined ? { year: qs.year } : {}),
        ...(qs.region ? { region: qs.region } : {}),
        sort: qs.sort === 'date' ? 'date' : 'relevance',
        page: qs.page ?? 1,
      };
      const result = query.q.trim() === '' ? null : await deps.search.query(toRequest(qs, SEARCH_PAGE_SIZE));
      const homeCode = request.cookies.zw_region;
      const homeName = homeCode && /^\d{6,12}$/.test(homeCode) ? await deps.regionName(homeCode) : null;
      const regionName = query.region ? await deps.regionName(query.region) : null;
      const others = await otherMatches(deps.legacy(), qs);
      const markup = searchPage(request.page, { query, result, others, kinds: deps.kinds(), home: homeCode && homeName ? { code: homeCode, name: homeName } : null, regionName });
      return reply.type('text/html; charset=utf-8').send(markup.value);
    });

    app.get<{ Querystring: SearchQuerystring }>(
      '/api/search',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['search'],
          summary: '一站式查询：政府信息、办事事项、通知公告等',
          description: '按相关度（BM25）或发布时间排序；分面计数覆盖全部命中结果；同义词、拼音和“您是不是要找”。',
          querystring,
          response: responseSchema,
        },
      },
      async (request) => {
        const qs = request.query;
        const pageSize = qs.pageSize ?? 10;
        const [r, others] = await Promise.all([deps.search.query(toRequest(qs, pageSize)), otherMatches(deps.legacy(), qs)]);
        const kinds = deps.kinds();
        return {
          query: qs.q ?? '',
          notice: r.notice ?? null,
          total: r.total,
          page: qs.page ?? 1,
          pageSize,
          tookMs: r.tookMs,
          suggestion: r.suggestion,
          facets: r.facets,
          facetLabels: { kind: Object.fromEntries(kinds.map((k) => [k.kind, k.label])), organisation: r.facetLabels?.organisation ?? {} },
          hits: r.hits.map((h) => ({
            key: h.key,
            kind: h.kind,
            title: h.title,
            titleHtml: markHighlights(h.titleHighlighted).value,
            snippet: stripMarks(h.snippetHighlighted),
            snippetHtml: markHighlights(h.snippetHighlighted).value,
            url: h.url,
            publishedAt: h.publishedAt?.toISOString() ?? null,
            organisationName: h.organisationName,
            divisionCode: h.divisionCode,
            score: h.score,
          })),
          others,
        };
      },
    );
  };
}
