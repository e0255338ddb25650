import { listScope } from '../../platform/auth/scope.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { WorkflowEngine } from '../../platform/workflow/index.ts';
import { CaseRepository } from './case.repository.ts';
import type { CaseDeps } from './commands/deps.ts';
import { caseMigrations } from './migrations.ts';
import type { CaseStaffDirectory, CaseApplicantDirectory, CaseCalendars, CaseItemSource, CaseLifeEventSource, CaseNumbers, PersonalDataCipher } from './ports.ts';
import { caseRoutes } from './routes/case-routes.ts';
import { seedDemoCases } from './seed-cases.ts';
import { CaseService } from './service.ts';

export interface CasesModuleDeps {
  items: CaseItemSource;
  numbers: CaseNumbers;
  calendars: CaseCalendars;
  cipher: PersonalDataCipher;
  applicants: CaseApplicantDirectory;
  /** Injectable clock (tests, the supervision journey); default: the real time. */
  now?: () => Date;
  /** The workflow engine (src/app.ts passes workflow.engine). */
  workflow?: WorkflowEngine;
  /** Staff accounts for 转办 / 委托 / 加签 / 抄送 (identity.service). */
  staff?: CaseStaffDirectory;
  /** 一件事 (the catalog's life events, catalogLifeEventSource). */
  lifeEvents?: CaseLifeEventSource;
}

export interface CasesModule {
  manifest: ModuleManifest;
  service: CaseService;
}

/** Sweep every 10 minutes in a running installation (jobs are idempotent: the sweep recomputes). */
export const SWEEP_QUEUE = 'cases.sweep';

/**
 * 办件 (DOMAIN.md §3–5): online application, the legal case state machine with its clocks,
 * the staff workbench, progress query, ratings and the deadline sweep for e-supervision.
 */
export function createCasesModule(platform: Platform, moduleDeps: CasesModuleDeps): CasesModule {
  const cases = new CaseRepository(platform.db);
  const deps: CaseDeps = {
    cases,
    permissions: platform.permissions,
    items: moduleDeps.items,
    numbers: moduleDeps.numbers,
    calendars: moduleDeps.calendars,
    cipher: moduleDeps.cipher,
    applicants: moduleDeps.applicants,
    now: moduleDeps.now ?? (() => new Date()),
    ...(moduleDeps.workflow ? { workflow: moduleDeps.workflow } : {}),
    ...(moduleDeps.staff ? { staff: moduleDeps.staff } : {}),
    ...(moduleDeps.lifeEvents ? { lifeEvents: moduleDeps.lifeEvents } : {}),
  };
  const service = new CaseService(deps, platform.transactor, platform.attachments);
  // The deadline sweep (DOMAIN.md §5): on demand through the job queue, and every 10 minutes while the server runs.
  if (!platform.jobs.registeredQueues.includes(SWEEP_QUEUE)) {
    platform.jobs.register(SWEEP_QUEUE, async () => {
      await service.sweep();
    });
  }
  const routes = caseRoutes(platform, service);
  const manifest: ModuleManifest = {
    name: 'cases',
    title: '办件',
    migrations: caseMigrations,
    permissions: [
      { code: 'case.read', label: '查看办件', kind: 'business' },
      { code: 'case.handle', label: '受理和审查办件', kind: 'business' },
      { code: 'case.decide', label: '审批决定和批准延期', kind: 'business' },
      { code: 'case.unmask', label: '查看申请人完整个人信息', kind: 'business' },
      { code: 'case.supervise', label: '电子监察（作废、删除、督办）', kind: 'business' },
    ],
    grants: {
      clerk: ['case.read', 'case.handle', 'case.unmask'],
      org_head: ['case.read', 'case.handle', 'case.decide', 'case.unmask'],
      jurisdiction_supervisor: ['case.read', 'case.supervise'],
      province_supervisor: ['case.read', 'case.supervise'],
    },
    navigation: [
      {
        label: '办件',
        labelEn: 'Cases',
        href: '/workbench/cases',
        permission: 'case.read',
        waiting: async (actor) => {
          const c = await cases.boxCounts(listScope(actor));
          const warn = [c.yellow ? `黄牌 ${c.yellow}` : '', c.red ? `红牌 ${c.red}` : ''].filter(Boolean);
          return { text: [`待办 ${c.todo} 件`, ...warn].join(' · '), textEn: `${c.todo} to do${c.yellow ? ` · ${c.yellow} yellow` : ''}${c.red ? ` · ${c.red} red` : ''}` };
        },
      },
      {
        label: '差评整改',
        labelEn: 'Bad reviews',
        href: '/workbench/ratings',
        permission: 'case.handle',
        // Bad ratings still waiting for the unit's rectification feedback, as the list shows them.
        waiting: async (actor) => {
          const { total } = await cases.ratingsInScope(listScope(actor), { open: true, limit: 1, offset: 0 });
          return total === 0 ? { text: '没有待整改的差评', textEn: 'No bad reviews to answer' } : { text: `待整改 ${total} 件`, textEn: `${total} to answer` };
        },
      },
      { label: '差评申诉复核', labelEn: 'Rating appeals', href: '/workbench/ratings/appeals', permission: 'case.supervise' },
    ],
    routes: async (app) => {
      await routes(app);
      if (platform.config.env !== 'test') {
        const timer = setInterval(() => {
          service.sweep().catch((e: unknown) => platform.logger.error({ err: e }, 'cases deadline sweep failed'));
        }, 600_000);
        timer.unref();
        app.addHook('onClose', async () => clearInterval(timer));
      }
    },
    // Demo cases for `npm start` (after the identity and catalog seeds, by module order); not under NODE_ENV=test.
    seed: async () => {
      if (platform.config.env === 'test') return;
      try {
        const added = await seedDemoCases(platform, service);
        if (added > 0) platform.logger.info({ added }, 'cases seed: demo cases added');
      } catch (e) {
        platform.logger.warn({ err: e }, 'cases seed: demo cases skipped'); // never fails the start-up
      }
    },
  };
  return { manifest, service };
}
