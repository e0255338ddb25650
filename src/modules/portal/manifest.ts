import type { FastifyReply } from 'fastify';
import type { ModuleManifest } from '../../platform/module.ts';
import { parseSearchQuery, type SearchProvider } from '../../platform/search/providers.ts';
import { accessibilityPage, homePage, searchPage, workbenchHome, type Headline } from './portal-pages.ts';

export interface PortalDeps {
  /** The newest published notices for the home page. */
  headlines: (limit: number) => Promise<Headline[]>;
  /** Name of the visitor's chosen region (cookie zw_region), or null. */
  regionName: (code: string) => Promise<string | null>;
  /** Every module's search provider (read from manifests). */
  searchProviders: () => SearchProvider[];
}

/** The public portal's home, search and accessibility pages, and the workbench home. */
export function createPortalModule(deps: PortalDeps): ModuleManifest {
  const send = (reply: FastifyReply, markup: { value: string }) => reply.type('text/html; charset=utf-8').send(markup.value);
  return {
    name: 'portal',
    title: '门户',
    migrations: [],
    permissions: [],
    routes: async (app) => {
      app.get('/', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => {
        const code = request.cookies.zw_region;
        const regionName = (code && /^\d{6,12}$/.test(code) ? await deps.regionName(code) : null) ?? '湖北省';
        return send(reply, homePage(request.page, { headlines: await deps.headlines(6), regionName }));
      });
      app.get<{ Querystring: { q?: string } }>(
        '/search',
        { config: { access: { public: true } }, schema: { hide: true, querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 2000 } } } } },
        async (request, reply) => {
          const query = parseSearchQuery(request.query.q);
          const providers = deps.searchProviders();
          const groups = query.terms.length === 0 ? [] : await Promise.all(providers.map(async (p) => ({ label: p.label, hits: await p.search(query) })));
          return send(reply, searchPage(request.page, { text: query.text, groups, tooShort: query.terms.length === 0 }));
        },
      );
      app.get<{ Querystring: { q?: string } }>(
        '/api/search',
        {
          config: { access: { public: true } },
          schema: { tags: ['search'], summary: '站内搜索', querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 2000 } } } },
        },
        async (request) => {
          const query = parseSearchQuery(request.query.q);
          const providers = deps.searchProviders();
          const results = query.terms.length === 0 ? [] : await Promise.all(providers.map(async (p) => ({ kind: p.kind, label: p.label, hits: await p.search(query) })));
          return { query: query.text, terms: query.terms, facets: results.map((r) => ({ kind: r.kind, label: r.label, count: r.hits.length })), hits: results.flatMap((r) => r.hits.map((h) => ({ kind: r.kind, ...h, date: h.date?.toISOString() ?? null }))) };
        },
      );
      app.get('/accessibility', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => send(reply, accessibilityPage(request.page)));
      app.get('/workbench', { config: { access: { signedIn: ['staff'] } }, schema: { hide: true } }, async (request, reply) => send(reply, workbenchHome(request.page)));
    },
  };
}
