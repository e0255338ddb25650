import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { anonymousAuthenticator, type Authenticator } from './platform/auth/authenticator.ts';
import { systemActor } from './platform/auth/actor.ts';
import { PermissionRegistry } from './platform/auth/permissions.ts';
import { auditMigrations } from './platform/audit/migrations.ts';
import { AuditSealer } from './platform/audit/audit-sealer.ts';
import type { Config } from './platform/config.ts';
import type { Database } from './platform/db/database.ts';
import { migrate, type MigrationSet } from './platform/db/migrator.ts';
import type { RouteRecord } from './platform/http/access.ts';
import { opsRoutes } from './platform/http/ops-routes.ts';
import { createServer } from './platform/http/server.ts';
import { jobMigrations } from './platform/jobs/migrations.ts';
import { JobRunner } from './platform/jobs/job-runner.ts';
import { notifyMigrations } from './platform/notify/migrations.ts';
import { attachmentMigrations } from './platform/attachments/migrations.ts';
import { createAttachmentStore } from './platform/attachments/attachment-store.ts';
import { LocalBlobStorage } from './platform/attachments/blob-storage.ts';
import { attachmentRoutes } from './platform/attachments/routes.ts';
import { createLogger } from './platform/logger.ts';
import { searchMigrations } from './platform/search/migrations.ts';
import { IndexedSearchService } from './platform/search/search-service.ts';
import type { ModuleManifest, NavItem } from './platform/module.ts';
import type { Platform } from './platform/platform.ts';
import { Transactor } from './platform/unit-of-work.ts';
import { platformRoutes } from './platform/http/platform-routes.ts';
import { createJurisdictionsModule } from './modules/jurisdictions/index.ts';
import { createIdentityModule } from './modules/identity/index.ts';
import { createRegistryModule } from './modules/registry/index.ts';
import { createNoticesModule } from './modules/notices/index.ts';
import { createCatalogModule } from './modules/catalog/index.ts';
import { createCasesModule, casesDeps } from './modules/cases/index.ts';
import { createGovstackModule } from './modules/govstack/index.ts';
import { createSupervisionModule } from './modules/supervision/index.ts';
import { createConsultationsModule } from './modules/consultations/index.ts';
import { createAppealsModule } from './modules/appeals/index.ts';
import { createAppealsPublicModule } from './modules/appeals-public/index.ts';
import { createDisclosureRequestsModule, disclosureRequestsDeps } from './modules/disclosure-requests/index.ts';
import { createDisclosureModule, disclosureDeps } from './modules/disclosure/index.ts';
import { createNotificationsModule } from './modules/notifications/index.ts';
import { createPortalModule } from './modules/portal/index.ts';
import { createAuditTrailModule } from './modules/audit-trail/index.ts';
import { createOidcModule, createStaffDirectoryAccounts } from './modules/oidc/index.ts';
import { createWorkflowModule } from './modules/workflow/index.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  logger?: Logger;
  /** Tests and benchmarks only: resolve actors some other way than the identity module's sessions. */
  authenticatorOverride?: Authenticator;
  /** Benchmarks and tests only: more routes (each with config.access), registered before the app is ready. */
  extraRoutes?: (app: FastifyInstance, platform: Platform) => Promise<void>;
}

export interface Zhengwu {
  app: FastifyInstance;
  platform: Platform;
  modules: ModuleManifest[];
  routes: RouteRecord[];
  /** Seals audit entries into the hash chain right after their commits. */
  auditSealer: AuditSealer;
  close(): Promise<void>;
}

/** Migration sets in dependency order: platform first, then modules as listed. */
export function migrationSets(modules: ModuleManifest[]): MigrationSet[] {
  return [
    { module: 'platform', migrations: jobMigrations },
    { module: 'audit', migrations: auditMigrations },
    { module: 'notify', migrations: notifyMigrations },
    { module: 'attachments', migrations: attachmentMigrations },
    { module: 'search', migrations: searchMigrations },
    ...modules.map((m) => ({ module: m.name, migrations: m.migrations })),
  ];
}

/** The platform services, without HTTP: used by the server, the CLI and tests. */
export function createPlatform(opts: AppOptions): Platform {
  const logger = opts.logger ?? createLogger(opts.config.logLevel);
  const permissions = new PermissionRegistry();
  const jobs = new JobRunner({ db: opts.database.db, logger });
  const auditSealer = new AuditSealer(opts.database.db, { logger });
  const transactor = new Transactor(opts.database.db, { onJobs: () => jobs.poke(), onAudit: () => auditSealer.poke() });
  const attachments = createAttachmentStore({
    db: opts.database.db,
    transactor,
    blobs: new LocalBlobStorage(path.join(opts.config.dataDir, 'files')),
    maxBytes: opts.config.attachmentMaxBytes,
  });
  const search = new IndexedSearchService(opts.database.db, logger);
  return { config: opts.config, database: opts.database, db: opts.database.db, logger, permissions, transactor, jobs, attachments, auditSealer, search };
}

/**
 * Every module of the installation, wired with the services it needs, in dependency
 * order (migrations and seeds run in this order). One line per module.
 */
export function createModules(platform: Platform): { modules: ModuleManifest[]; authenticator: Authenticator } {
  const modules: ModuleManifest[] = [];
  let authenticator: Authenticator = anonymousAuthenticator;
  // -- modules (keep this list; add a line for a new module) --
  const registry = createRegistryModule(platform); // registries (numbers, calendars, code tables): depend on no module
  modules.push(registry.manifest);
  const jurisdictions = createJurisdictionsModule(platform); // first: other modules reference divisions and organisations
  modules.push(jurisdictions.manifest);
  const identity = createIdentityModule(platform, { organisations: jurisdictions.service }); // accounts, sessions: after jurisdictions
  modules.push(identity.manifest);
  authenticator = identity.authenticator;
  const workflow = createWorkflowModule(platform, { calendarFor: (code, tx) => registry.calendars.calendarFor(code, tx) }); // 公用协同工作环境: engine + definitions; before the modules that drive it (cases, documents, appeals) — pass them workflow.engine
  modules.push(workflow.manifest);
  const notices = createNoticesModule(platform, {
    findOrganisation: async (name) => {
      const found = await jurisdictions.service.listOrganisations(systemActor('seed'), { q: name }, { page: 1, pageSize: 5 });
      return found.items.find((o) => o.name === name) ?? null;
    },
  });
  modules.push(notices.manifest);
  const catalog = createCatalogModule(platform, { findOrganisation: async (name) => (await jurisdictions.service.listOrganisations(systemActor('seed'), { q: name }, { page: 1, pageSize: 5 })).items.find((o) => o.name === name) ?? null }); // 事项库: cases use catalog.service
  modules.push(catalog.manifest);
  const cases = createCasesModule(platform, casesDeps({ catalog: catalog.service, registry, identity, workflow })); // 办件: after catalog and workflow
  modules.push(cases.manifest);
  modules.push(createGovstackModule(platform, { cases: cases.service, catalog: catalog.service }).manifest); // GovStack Registration BB API (/govstack): after cases
  modules.push(createSupervisionModule(platform, { registry, regionName: async (code) => (await jurisdictions.service.getDivision(code))?.name ?? null }).manifest); // 电子监察: after cases (reads its clocks)
  modules.push(createConsultationsModule(platform, { findOrganisation: async (name) => (await jurisdictions.service.listOrganisations(systemActor('seed'), { q: name }, { page: 1, pageSize: 5 })).items.find((o) => o.name === name) ?? null, regionName: async (code) => (await jurisdictions.service.getDivision(code))?.name ?? null }).manifest); // 征求意见与网上调查
  modules.push(createNotificationsModule(platform).manifest);
  const disclosure = createDisclosureModule(platform, disclosureDeps(jurisdictions.service, registry)); // 主动公开: after jurisdictions and registry
  modules.push(disclosure.manifest);
  const appeals = createAppealsModule(platform, { jurisdictions: jurisdictions.service, registry }); // 12345 诉求与信访: after jurisdictions and registry
  modules.push(appeals.manifest);
  modules.push(createAppealsPublicModule(platform, { appeals: appeals.service, jurisdictions: jurisdictions.service }).manifest); // Open311 + 政民互动信箱 + 统计: after appeals
  modules.push(createDisclosureRequestsModule(platform, disclosureRequestsDeps(jurisdictions.service, registry, { disclosureStats: disclosure.stats })).manifest); // 依申请公开、年度报告: after jurisdictions and registry
  modules.push(createAuditTrailModule(platform, { organisations: jurisdictions.service }).manifest);
  // OIDC provider (统一身份认证): staff claims from identity; signing keys encrypted with identity's key ring.
  modules.push(createOidcModule(platform, { accounts: createStaffDirectoryAccounts(identity.service), keyCipher: identity.secretCipher('oidc-keys') }).manifest);
  // The portal comes last: it reads the other modules' manifests (what they put in the search box).
  modules.push(
    createPortalModule({
      headlines: async (limit) =>
        (await notices.notices.listPublished({ limit, offset: 0 })).rows.map((n) => ({ title: n.title, url: `/notices/${n.id}`, date: n.publishedAt, source: n.organisationName })),
      regionName: async (code) => (await jurisdictions.service.getDivision(code))?.name ?? null,
      search: platform.search,
      searchSources: () => modules.flatMap((m) => (m.search ? [m.search] : [])),
    }),
  );
  // -- end of modules --
  return { modules, authenticator };
}

/** build() returns the app without listening (Fastify's testing guide); tests call inject(). */
export async function buildApp(opts: AppOptions): Promise<Zhengwu> {
  const platform = createPlatform(opts);
  const { modules, authenticator } = createModules(platform);
  for (const m of modules) platform.permissions.register(m.permissions, m.grants);
  platform.permissions.check();
  await migrate(platform.db, migrationSets(modules));

  const navigation: NavItem[] = modules.flatMap((m) => m.navigation ?? []);
  const { app, routes } = await createServer({
    config: opts.config,
    logger: platform.logger,
    permissions: platform.permissions,
    authenticator: opts.authenticatorOverride ?? authenticator,
    navigation: () => navigation,
    uploadLimit: opts.config.attachmentMaxBytes + 1,
  });
  let ready = false;
  await app.register(opsRoutes, { db: platform.db, isReady: () => ready, metricsToken: opts.config.metricsToken });
  await app.register(platformRoutes, { config: opts.config });
  await app.register(attachmentRoutes, { store: platform.attachments });
  for (const m of modules) {
    if (m.routes) await app.register(m.routes);
  }
  const extraRoutes = opts.extraRoutes;
  if (extraRoutes) await app.register(async (scope) => extraRoutes(scope, platform));
  await app.ready();
  platform.jobs.start();
  platform.auditSealer.start();
  if (platform.search instanceof IndexedSearchService) platform.search.start(); // loads the index in the background
  ready = true;
  return {
    app,
    platform,
    modules,
    routes,
    auditSealer: platform.auditSealer,
    close: async () => {
      await app.close();
      await platform.jobs.stop();
      await platform.auditSealer.stop();
      if (platform.search instanceof IndexedSearchService) await platform.search.stop();
    },
  };
}
