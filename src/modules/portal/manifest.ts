import type { FastifyReply } from 'fastify';
import type { ModuleManifest } from '../../platform/module.ts';
import type { SearchService, SearchSource } from '../../platform/search/contract.ts';
import type { SearchProvider } from '../../platform/search/providers.ts';
import { accessibilityPage, homePage, workbenchHome, type Headline } from './portal-pages.ts';
import type { KindLabel } from './search-pages.ts';
import { searchRoutes } from './search-routes.ts';

/** Labels for the kinds the issue names, for modules that do not declare theirs. */
const DEFAULT_KINDS: KindLabel[] = [
  { kind: 'publication', label: '政府信息公开', labelEn: 'Government information' },
  { kind: 'service-item', label: '办事事项', labelEn: 'Services' },
  { kind: 'qa', label: '问答', labelEn: 'Q&A' },
  { kind: 'notice', label: '通知公告', labelEn: 'Notices' },
  { kind: 'appeal', label: '诉求回复', labelEn: 'Appeals' },
  { kind: 'interpretation', label: '政策解读', labelEn: 'Policy interpretations' },
];

export interface PortalDeps {
  /** The newest published notices for the home page. */
  headlines: (limit: number) => Promise<Headline[]>;
  /** Name of the visitor's chosen region (cookie zw_region), or null. */
  regionName: (code: string) => Promise<string | null>;
  /** The one search box (platform.search). */
  search: SearchService;
  /** What the modules declared they put in the search box (read from manifests). */
  searchSources: () => (SearchSource | SearchProvider)[];
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
      const kinds = (): KindLabel[] => {
        const declared = deps.searchSources().flatMap((src) => ('kinds' in src ? src.kinds : []));
        return [...declared, ...DEFAULT_KINDS.filter((d) => !declared.some((k) => k.kind === d.kind))];
      };
      const legacy = () => deps.searchSources().filter((src): src is SearchProvider => !('kinds' in src) && typeof src.search === 'function');
      await app.register(searchRoutes({ search: deps.search, kinds, legacy, regionName: deps.regionName }));
      app.get('/accessibility', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => send(reply, accessibilityPage(request.page)));
      app.get('/workbench', { config: { access: { signedIn: ['staff'] } }, schema: { hide: true } }, async (request, reply) => {
        // What waits behind each card (e.g. 办件: 待办 16 件 · 红牌 3), asked in parallel; a module that fails to answer shows no figure (logged).
        const actor = request.actor;
        const figure = async (n: (typeof request.page.nav)[number]) => {
          try {
            return (await n.waiting?.(actor)) ?? null;
          } catch (err) {
            request.log.warn({ err, href: n.href }, 'workbench home: a waiting figure failed');
            return null;
          }
        };
        const waiting = await Promise.all(request.page.nav.map(figure));
        return send(reply, workbenchHome(request.page, waiting));
      });
    },
  };
}
