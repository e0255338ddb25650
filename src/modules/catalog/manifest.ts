import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { SearchIndexWriter } from '../../platform/search/contract.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { CatalogRepository } from './catalog.repository.ts';
import { serviceItemDocument, type CatalogDeps } from './commands/deps.ts';
import { catalogMigrations } from './migrations.ts';
import { catalogRoutes } from './routes/catalog-routes.ts';
import { seedCatalog, type SeedOrganisation } from './seed.ts';
import { createCatalogService, type CatalogService } from './service.ts';
import { transferRoutes } from './routes/transfer-routes.ts';
import { lifeEventRoutes } from './routes/life-event-routes.ts';

export interface CatalogModuleDeps {
  findOrganisation: (name: string) => Promise<SeedOrganisation | null>;
  /** The one search box; defaults to `platform.search` when the platform carries it. */
  search?: SearchIndexWriter | null;
}

/**
 * 事项库: basic items and implementation items with the GB/T 39046 elements, versions,
 * review and publishing under the §2.5 quality rules, the service guide and finder,
 * 一件事 bundles, Excel import/export, and forms as data for the cases module.
 */
export function createCatalogModule(platform: Platform, deps: CatalogModuleDeps): { manifest: ModuleManifest; service: CatalogService } {
  const catalog = new CatalogRepository(platform.db);
  const commandDeps: CatalogDeps = { catalog, permissions: platform.permissions, search: deps.search === undefined ? platform.search : deps.search };
  const routes = catalogRoutes(platform, commandDeps);
  const transfers = transferRoutes(platform, commandDeps);
  const lifeEvents = lifeEventRoutes(platform, commandDeps);
  const manifest: ModuleManifest = {
    name: 'catalog',
    title: '事项库',
    migrations: catalogMigrations,
    permissions: [
      { code: 'catalog.read', label: '查看事项库', kind: 'business' },
      { code: 'catalog.edit', label: '编制和修改事项', kind: 'business' },
      { code: 'catalog.review', label: '审核、发布、暂停和取消事项', kind: 'business' },
    ],
    grants: {
      clerk: ['catalog.read', 'catalog.edit'],
      org_head: ['catalog.read', 'catalog.edit', 'catalog.review'],
      jurisdiction_supervisor: ['catalog.read'],
      province_supervisor: ['catalog.read'],
    },
    navigation: [{ label: '事项管理', labelEn: 'Service items', href: '/workbench/catalog', permission: 'catalog.read' }],
    routes: async (app) => {
      await routes(app);
      await transfers(app);
      await lifeEvents(app);
    },
    seed: async () => {
      await seedCatalog(platform, commandDeps, deps.findOrganisation);
    },
    search: {
      kinds: [{ kind: 'service-item', label: '办事事项', labelEn: 'Services' }],
      reindex: () => reindexCatalog(platform, commandDeps),
    },
  };
  return { manifest, service: createCatalogService(catalog) };
}

/** Puts every published item into the search box again (`zhengwu search reindex`). */
async function reindexCatalog(platform: Platform, deps: CatalogDeps): Promise<number> {
  const pageSize = 200;
  let done = 0;
  for (let offset = 0; ; offset += pageSize) {
    const { rows } = await deps.catalog.listPublished({}, { limit: pageSize, offset });
    if (rows.length === 0) break;
    await platform.transactor.run(systemContext('search-reindex'), async (uow) => {
      for (const item of rows) {
        const v = item.publishedVersionId ? await deps.catalog.getVersion(item.publishedVersionId, uow.tx) : null;
        if (v) await platform.search.put(uow, serviceItemDocument(item, v.elements));
      }
      await uow.audit({ action: 'search.reindex', objectType: 'service_item', objectId: 'published', detail: { count: rows.length, offset } });
    });
    done += rows.length;
    if (rows.length < pageSize) break;
  }
  return done;
}
