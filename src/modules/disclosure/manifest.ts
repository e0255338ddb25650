import type { FastifyInstance } from 'fastify';
import { systemActor, systemContext, type Actor, type RequestContext } from '../../platform/auth/actor.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import type { CalendarService, NumberService } from '../registry/index.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { WorkCalendar } from '../../platform/calendar/index.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { DisclosureDeps } from './commands/deps.ts';
import { importPublications } from './commands/import-publications.ts';
import { ImportRunRepository } from './import-run.repository.ts';
import { disclosureMigrations } from './migrations.ts';
import { PublicationRepository } from './publication.repository.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { portalRoutes } from './routes/portal-routes.ts';
import type { DivisionLookup, RouteDeps } from './routes/shared.ts';
import { workbenchRoutes } from './routes/workbench-routes.ts';
import { seedPublications, type SeedOrganisation } from './seed.ts';
import { DisclosureCommands } from './service.ts';
import { createDisclosureStats, type DisclosureStats } from './stats.ts';

export interface DisclosureModuleDeps {
  divisions: DivisionLookup;
  /** USCC of an organisation (index numbers print its organisation code). */
  organisationUscc: (organisationId: string) => Promise<string | null>;
  numbers: DisclosureDeps['numbers'];
  calendars: { calendarFor(jurisdictionCode: string, tx?: Db | Tx): Promise<WorkCalendar> };
  findOrganisation: (name: string) => Promise<SeedOrganisation | null>;
}

/** The services this module takes from the jurisdictions and registry modules (one wiring line in app.ts). */
export function disclosureDeps(jurisdictions: JurisdictionService, registry: { numbers: NumberService; calendars: CalendarService }): DisclosureModuleDeps {
  return {
    divisions: jurisdictions,
    organisationUscc: async (id) => (await jurisdictions.getOrganisation(id))?.uscc ?? null,
    numbers: registry.numbers,
    calendars: registry.calendars,
    findOrganisation: async (name) => {
      const found = await jurisdictions.listOrganisations(systemActor('seed'), { q: name }, { page: 1, pageSize: 10 });
      return found.items.find((o) => o.name === name) ?? null;
    },
  };
}

export interface DisclosureModule {
  manifest: ModuleManifest;
  stats: DisclosureStats;
  commands: DisclosureCommands;
}

const IMPORT_QUEUE = 'disclosure.import';
const OVERDUE_QUEUE = 'disclosure.overdue';

/**
 * 主动公开 (proactive disclosure, DOMAIN.md §7.1): publications with catalog metadata, the
 * drafter → 保密审查 → publisher workflow, index numbers (§7.4), the Art. 26 deadline with
 * overdue alerts, the jurisdiction portals with feeds and a sitemap, bulk import, and the
 * feed into the one search box.
 */
export function createDisclosureModule(platform: Platform, deps: DisclosureModuleDeps): DisclosureModule {
  const publications = new PublicationRepository(platform.db);
  const imports = new ImportRunRepository(platform.db);
  const commandDeps: DisclosureDeps = {
    publications,
    permissions: platform.permissions,
    calendars: deps.calendars,
    numbers: deps.numbers,
    organisationUscc: deps.organisationUscc,
    search: platform.search,
  };
  const commands = new DisclosureCommands(commandDeps, platform.transactor);

  // Bulk import runs as a job: progress is written after each row; each row is its own transaction.
  platform.jobs.register<{ runId: string }>(
    IMPORT_QUEUE,
    async (job) => {
      const payload = await imports.payload(job.payload.runId);
      if (!payload) return;
      const run = await imports.get(job.payload.runId);
      if (!run || run.status === 'done') return;
      const ctx: RequestContext = { actor: payload.actor as Actor, requestId: `job-${job.id}`, clientIp: null };
      const tally = { created: 0, skipped: 0, failed: 0 };
      const report: Parameters<typeof imports.progress>[1]['report'] = [];
      await imports.progress(run.id, { status: 'running', processed: 0, ...tally, report });
      await importPublications(commands, ctx, payload.rows, new Map(Object.entries(payload.attachments)), async (done, r) => {
        tally[r.outcome] += 1;
        report.push(r);
        await imports.progress(run.id, { status: done === payload.rows.length ? 'done' : 'running', processed: done, ...tally, report });
      });
      if (payload.rows.length === 0) await imports.progress(run.id, { status: 'done', processed: 0, ...tally, report });
    },
    { timeoutMs: 30 * 60_000 },
  );
  platform.jobs.register(OVERDUE_QUEUE, async (job) => {
    await commands.raiseOverdueAlerts(job.ctx);
  });

  const routeDeps: RouteDeps = {
    commands,
    publications,
    imports,
    permissions: platform.permissions,
    calendars: deps.calendars,
    divisions: deps.divisions,
    attachments: platform.attachments,
    publicUrl: platform.config.publicUrl,
    transact: (ctx, fn) => platform.transactor.run(ctx, fn),
    startImport: (ctx, run) =>
      platform.transactor.run(ctx, async (uow) => {
        const id = await imports.insert(uow.tx, run);
        await uow.enqueue({ queue: IMPORT_QUEUE, payload: { runId: id }, dedupeKey: `disclosure-import:${id}` });
        await uow.audit({ action: 'disclosure.import', objectType: 'import_run', objectId: id, detail: { rows: run.payload.rows.length } });
        return id;
      }),
  };
  const workbench = workbenchRoutes(routeDeps);
  const portal = portalRoutes(routeDeps);
  const api = apiRoutes(routeDeps);

  const manifest: ModuleManifest = {
    name: 'disclosure',
    title: '主动公开',
    migrations: disclosureMigrations,
    permissions: [
      { code: 'disclosure.read', label: '查看主动公开信息（含草稿）', kind: 'business' },
      { code: 'disclosure.draft', label: '起草主动公开信息', kind: 'business' },
      { code: 'disclosure.review', label: '主动公开保密审查', kind: 'business' },
      { code: 'disclosure.publish', label: '发布、撤销和修订主动公开信息', kind: 'business' },
      { code: 'disclosure.import', label: '批量导入历史公开信息', kind: 'business' },
      { code: 'disclosure.catalog', label: '维护政府信息公开目录分类', kind: 'system' },
    ],
    grants: {
      clerk: ['disclosure.read', 'disclosure.draft'],
      org_head: ['disclosure.read', 'disclosure.draft', 'disclosure.review', 'disclosure.publish', 'disclosure.import'],
      jurisdiction_supervisor: ['disclosure.read'],
      province_supervisor: ['disclosure.read'],
      sysadmin: ['disclosure.catalog'],
    },
    navigation: [
      { label: '主动公开', labelEn: 'Proactive disclosure', href: '/workbench/disclosure', permission: 'disclosure.read' },
      { label: '索引号规则', labelEn: 'Index number rules', href: '/workbench/index-numbers', permission: 'numbering.manage' },
      { label: '公开目录维护', labelEn: 'Disclosure catalog', href: '/workbench/open-catalog', permission: 'disclosure.catalog' },
    ],
    routes: async (app: FastifyInstance) => {
      await workbench(app);
      await portal(app);
      await api(app);
      // Art. 26 alerts: checked hourly while the server runs (and on demand through the job queue).
      if (platform.config.env !== 'test') {
        const timer = setInterval(() => {
          commands.raiseOverdueAlerts(systemContext(OVERDUE_QUEUE)).catch((e: unknown) => platform.logger.error({ err: e }, 'disclosure overdue scan failed'));
        }, 3_600_000);
        timer.unref();
        app.addHook('onClose', async () => clearInterval(timer));
      }
    },
    seed: async () => {
      await seedPublications(platform, commands, deps.findOrganisation);
    },
  };
  return { manifest, stats: createDisclosureStats(publications), commands };
}
