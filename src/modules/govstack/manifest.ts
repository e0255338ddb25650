import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { govstackCatalogPort, type CatalogService } from '../catalog/index.ts';
import { GovstackCasePort, type CaseService } from '../cases/index.ts';
import { ApplicationFileRepository } from './application-file.repository.ts';
import { govstackMigrations } from './migrations.ts';
import { govstackRoutes } from './routes.ts';

/**
 * The GovStack Registration Building Block API (draft 0.1.1 + statistics 1.0.0) under /govstack:
 * services ↔ published items, eForms ↔ item forms, applications ↔ cases, documents ↔ the
 * applicant's material library, tasks ↔ the open step of a case, statistics ↔ counts.
 * Every change goes through CaseService (docs/govstack.md).
 */
export function createGovstackModule(platform: Platform, deps: { cases: CaseService; catalog: CatalogService }): { manifest: ModuleManifest } {
  const files = new ApplicationFileRepository(platform.db);
  const manifest: ModuleManifest = {
    name: 'govstack',
    title: 'GovStack 登记构件接口',
    migrations: govstackMigrations,
    permissions: [],
    routes: govstackRoutes(platform, { cases: deps.cases, casePort: new GovstackCasePort(platform.db), catalog: deps.catalog, catalogPort: govstackCatalogPort(platform.db), files }),
  };
  return { manifest };
}
