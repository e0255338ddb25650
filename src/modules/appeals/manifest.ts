import { systemActor, systemContext } from '../../platform/auth/actor.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import type { CalendarService, NumberService } from '../registry/index.ts';
import type { AppealDeps } from './commands/deps.ts';
import { DEFAULT_DEADLINES, type DeadlineTable } from './deadlines.ts';
import { KbRepository } from './kb.repository.ts';
import { appealMigrations } from './migrations.ts';
import { APPEAL_PERMISSIONS } from './policies.ts';
import { appealRoutes } from './routes/appeal-routes.ts';
import { CatalogueAdmin } from './admin/catalogue-admin.ts';
import { adminRoutes } from './admin/routes.ts';
import { dutyContactRoutes } from './duty/duty-contact-routes.ts';
import { DutyContacts } from './duty/duty-contacts.ts';
import { REMIND_QUEUE } from './reminders.ts';
import { seedAppeals } from './seed.ts';
import { AppealsService, createAdvisor, RETRAIN_QUEUE } from './service.ts';
import { TicketRepository } from './ticket.repository.ts';
import type { DivisionOption } from './views/shared.ts';

export interface AppealsModuleDeps {
  jurisdictions: JurisdictionService;
  registry: { numbers: NumberService; calendars: CalendarService };
  /** Deadline table override (defaults: DOMAIN.md §6 presets). */
  deadlines?: DeadlineTable;
  /** The clock of the reminder sweep (tests advance it). */
  now?: () => Date;
}

/**
 * 12345 诉求与信访 (DOMAIN.md §6): one intake form for every channel, the ticket state machines,
 * dispatch with suggestions, handling, callback, deadlines, the handler workbench and the
 * knowledge base. The service is the interface for Open311, the public mailbox and statistics.
 */
export function createAppealsModule(platform: Platform, d: AppealsModuleDeps): { manifest: ModuleManifest; service: AppealsService } {
  const tickets = new TicketRepository(platform.db);
  const kb = new KbRepository(platform.db);
  const seedActor = systemActor('appeals');
  let service: AppealsService | null = null;
  const deps: AppealDeps = {
    tickets,
    kb,
    permissions: platform.permissions,
    search: platform.search,
    advisor: createAdvisor(),
    deadlines: d.deadlines ?? DEFAULT_DEADLINES,
    nextTicketNumber: async (tx) => (await d.registry.numbers.next(tx, 'ticket', {})).value,
    nextTicketNumbers: async (tx, count) => (await d.registry.numbers.nextMany(tx, 'ticket', {}, count)).map((n) => n.value),
    calendarFor: (code, tx) => d.registry.calendars.calendarFor(code, tx),
    divisionName: async (code) => {
      const div = await d.jurisdictions.getDivision(code);
      return div && !div.validTo ? div.name : null;
    },
    organisation: async (id) => {
      const o = await d.jurisdictions.getOrganisation(id);
      return o ? { id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode } : null;
    },
    centres: () => (service ? service.centres() : tickets.centres()),
    attachment: async (id) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
      const a = await platform.attachments.get(id);
      return a ? { id: a.id, ownerAccountId: a.ownerAccountId, mediaType: a.mediaType, originalName: a.originalName } : null;
    },
  };
  service = new AppealsService(deps, platform);
  const svc = service;

  let divisions: DivisionOption[] | null = null;
  const divisionOptions = async (): Promise<DivisionOption[]> => {
    if (divisions && divisions.length > 0) return divisions;
    const out: DivisionOption[] = [];
    for (const pref of await d.jurisdictions.children('420000')) {
      if (pref.validTo) continue;
      for (const county of await d.jurisdictions.children(pref.code)) if (!county.validTo) out.push({ code: county.code, name: county.name, group: pref.name });
    }
    divisions = out;
    return out;
  };
  const orgChoices = async (divisionCode: string) =>
    (await d.jurisdictions.listOrganisations(seedActor, { jurisdictionCode: divisionCode }, { page: 1, pageSize: 100 })).items.map((o) => ({ id: o.id, name: o.name }));

  if (!platform.jobs.registeredQueues.includes(RETRAIN_QUEUE)) {
    platform.jobs.register(RETRAIN_QUEUE, async () => {
      await svc.retrain();
    });
  }
  // Deadline reminders (临期提醒 / 超期通知): on demand through the job queue, and every 10 minutes while the server runs.
  const now = d.now ?? (() => new Date());
  const remind = () => svc.sendReminders(now());
  if (!platform.jobs.registeredQueues.includes(REMIND_QUEUE)) {
    platform.jobs.register(REMIND_QUEUE, async () => {
      await remind();
    });
  }
  const routes = appealRoutes(platform, { service: svc, divisionOptions, orgChoices });
  const admin = new CatalogueAdmin({ platform, service: svc, divisionName: deps.divisionName, organisation: deps.organisation });
  const duty = new DutyContacts({
    platform,
    centres: () => svc.centres(),
    organisation: deps.organisation,
    unitsIn: async (divisionCode, page, pageSize) => {
      const r = await d.jurisdictions.listOrganisations(seedActor, { jurisdictionCode: divisionCode }, { page, pageSize });
      return { items: r.items.map((o) => ({ id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode })), total: r.total };
    },
  });

  const manifest: ModuleManifest = {
    name: 'appeals',
    title: '诉求与信访',
    migrations: appealMigrations,
    permissions: APPEAL_PERMISSIONS.map((p) => ({ ...p })),
    grants: {
      clerk: ['appeals.read', 'appeals.intake', 'appeals.dispatch', 'appeals.handle', 'appeals.callback'],
      org_head: ['appeals.read', 'appeals.intake', 'appeals.dispatch', 'appeals.handle', 'appeals.callback', 'appeals.review-return', 'appeals.approve-extension', 'appeals.supervise', 'appeals.kb-manage', 'appeals.catalogue', 'appeals.duty-contacts'],
      sysadmin: ['appeals.centres'],
      jurisdiction_supervisor: ['appeals.read', 'appeals.supervise'],
      province_supervisor: ['appeals.read', 'appeals.supervise'],
    },
    navigation: [
      {
        label: '诉求工单',
        labelEn: 'Appeals',
        href: '/workbench/appeals',
        permission: 'appeals.read',
        // Overdue and due-soon tickets in the actor's scope, as the inbox's 超期/临期 filters count them.
        waiting: async (actor) => {
          const [red, yellow] = await Promise.all((['red', 'yellow'] as const).map((colour) => service.list(actor, { colour, limit: 1, offset: 0 })));
          const late = red!.total;
          const soon = yellow!.total;
          return late + soon === 0
            ? { text: '没有超期或临期的工单', textEn: 'Nothing overdue or due soon' }
            : { text: `超期 ${late} 件 · 临期 ${soon} 件`, textEn: `${late} overdue · ${soon} due soon` };
        },
      },
      { label: '派单目录', labelEn: 'Dispatch catalogue', href: '/workbench/appeals/catalogue', permission: 'appeals.catalogue' },
      { label: '热线中心', labelEn: 'Hotline centres', href: '/workbench/appeals/centres', permission: 'appeals.centres' },
      { label: '值班联系方式', labelEn: 'Duty contacts', href: '/workbench/appeals/duty-contacts', permission: 'appeals.duty-contacts' },
    ],
    routes: async (app) => {
      await routes(app);
      await dutyContactRoutes(app, duty);
      await adminRoutes(app, { admin, service: svc, divisionOptions, orgChoices, allOrganisations: async () => (await d.jurisdictions.organisationChoices(seedActor, 1000)).map((o) => ({ id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode })) });
      if (platform.config.env !== 'test') {
        const timer = setInterval(() => {
          remind().catch((e: unknown) => platform.logger.error({ err: e }, 'appeals reminder sweep failed'));
        }, 600_000);
        timer.unref();
        app.addHook('onClose', async () => clearInterval(timer));
      }
    },
    seed: async () => {
      await seedAppeals(platform, svc, {
        inDivision: async (code) =>
          (await d.jurisdictions.listOrganisations(seedActor, { jurisdictionCode: code }, { page: 1, pageSize: 100 })).items.filter((o) => o.jurisdictionCode === code),
      });
    },
    search: {
      kinds: [{ kind: 'qa', label: '热线问答', labelEn: 'Hotline Q&A' }],
      reindex: async () => {
        const entries = await kb.published();
        await platform.transactor.run(systemContext('appeals-reindex'), async (uow) => {
          for (const e of entries) {
            await platform.search.put(uow, { key: `qa:${e.id}`, kind: 'qa', title: e.question, body: e.answer, url: `/appeals/kb/${e.id}`, publishedAt: e.updatedAt, divisionCode: e.divisionCode, organisationId: e.organisationId, organisationName: e.organisationName, category: e.categoryCode, keywords: e.keywords });
          }
        });
        return entries.length;
      },
    },
  };
  return { manifest, service: svc };
}
