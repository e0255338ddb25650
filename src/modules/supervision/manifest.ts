import { listScope } from '../../platform/auth/scope.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { SupervisionRepository } from './alert.repository.ts';
import { supervisionMigrations } from './migrations.ts';
import { supervisionRoutes } from './routes.ts';
import { supervisionClock, SupervisionService, SUPERVISION_PERMISSIONS, type SupervisionDeps } from './service.ts';

export interface SupervisionModuleDeps {
  registry: { numbers: SupervisionDeps['numbers']; calendars: SupervisionDeps['calendars'] };
  regionName: (code: string) => Promise<string | null>;
  /** Injectable clock (tests, journeys); default the real time. */
  now?: () => Date;
}

export interface SupervisionModule {
  manifest: ModuleManifest;
  service: SupervisionService;
}

/** Raise alerts every 10 minutes while the server runs (after the cases sweep), and on demand through this queue. */
export const RAISE_QUEUE = 'supervision.raise';

/**
 * 电子监察 (DOMAIN.md §5): monitoring rules, alerts raised from the cases' clocks, the 督办
 * follow-up (notice → reply → verification → closing, escalation when unanswered) and the
 * supervisors' dashboard with drill-down province → city → county → organisation → case.
 */
export function createSupervisionModule(platform: Platform, d: SupervisionModuleDeps): SupervisionModule {
  const repo = new SupervisionRepository(platform.db);
  const service = new SupervisionService({
    db: platform.db,
    repo,
    permissions: platform.permissions,
    transactor: platform.transactor,
    numbers: d.registry.numbers,
    calendars: d.registry.calendars,
    now: d.now ?? (() => supervisionClock.now()),
  });
  platform.jobs.register(RAISE_QUEUE, async () => {
    await service.raise();
  });
  const routes = supervisionRoutes(platform, { service, regionName: d.regionName });
  const manifest: ModuleManifest = {
    name: 'supervision',
    title: '电子监察',
    migrations: supervisionMigrations,
    permissions: [
      { code: SUPERVISION_PERMISSIONS.view, label: '查看电子监察、发出督办', kind: 'business' },
      { code: SUPERVISION_PERMISSIONS.rules, label: '修改电子监察规则', kind: 'business' },
      { code: SUPERVISION_PERMISSIONS.reply, label: '查看和回告本单位收到的督办', kind: 'business' },
    ],
    grants: {
      clerk: [SUPERVISION_PERMISSIONS.reply],
      org_head: [SUPERVISION_PERMISSIONS.reply],
      jurisdiction_supervisor: [SUPERVISION_PERMISSIONS.view],
      province_supervisor: [SUPERVISION_PERMISSIONS.view, SUPERVISION_PERMISSIONS.rules],
    },
    navigation: [
      { label: '电子监察', labelEn: 'E-supervision', href: '/workbench/supervision/dashboard', permission: SUPERVISION_PERMISSIONS.view },
      {
        label: '督办回告',
        labelEn: 'Supervision notices',
        href: '/workbench/supervision/notices',
        permission: SUPERVISION_PERMISSIONS.reply,
        // Notices (已督办) in the actor's scope still waiting for the unit's 回告.
        waiting: async (actor) => {
          const { total } = await repo.listAlerts(listScope(actor), { states: ['NOTICE_SENT'], limit: 1, offset: 0 });
          return total === 0 ? { text: '没有待回告的督办', textEn: 'No notices to answer' } : { text: `待回告 ${total} 件`, textEn: `${total} to answer` };
        },
      },
    ],
    routes: async (app) => {
      await routes(app);
      if (platform.config.env !== 'test') {
        const timer = setInterval(() => {
          service.raise().catch((e: unknown) => platform.logger.error({ err: e }, 'supervision alert raising failed'));
        }, 600_000);
        timer.unref();
        app.addHook('onClose', async () => clearInterval(timer));
      }
    },
    seed: async () => {
      await service.seedRules();
    },
  };
  return { manifest, service };
}
