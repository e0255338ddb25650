import type { FastifyInstance } from 'fastify';
import { nationalCalendar, civilDayAt } from '../../platform/calendar/index.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { listScope } from '../../platform/auth/scope.ts';
import { requestClocks, worstStatus } from './domain/request-machine.ts';
import { REPORT_SEARCH_KIND, reportSearchDocument } from './commands/annual-reports.ts';
import type { CommandDeps, DisclosureRequestsDeps } from './commands/deps.ts';
import { disclosureRequestMigrations } from './migrations.ts';
import { PERMISSIONS } from './policies.ts';
import { RequestRepository } from './request.repository.ts';
import { sweepLapses } from './commands/sweep-lapses.ts';
import { reportRoutes } from './routes/report-routes.ts';
import { requestRoutes } from './routes/request-routes.ts';

/** The home card counts at most this many open requests (and says “以上” beyond). */
const WAITING_LIMIT = 500;

/**
 * 依申请公开 and 年度报告 (GitHub issue 4; DOMAIN.md §7.2–7.3): requests from citizens and
 * enterprises online or registered by staff, the Art. 30–45 state machine with working-day
 * clocks, reply letters as PDF, and each organisation's and government's annual report
 * (page, PDF, Excel). See docs/disclosure-requests.md.
 */
export function createDisclosureRequestsModule(
  platform: Platform,
  ext: DisclosureRequestsDeps,
): { manifest: ModuleManifest; requests: RequestRepository; sweepLapses: () => Promise<number> } {
  const requests = new RequestRepository(platform.db);
  const deps: CommandDeps = {
    requests,
    permissions: platform.permissions,
    ext,
    calendar: async (code, tx) => (ext.calendarFor ? ext.calendarFor(code, tx) : nationalCalendar()),
    today: () => (ext.today ? ext.today() : civilDayAt(new Date())),
    search: platform.search,
  };
  const requestPart = requestRoutes(platform, deps);
  const reportPart = reportRoutes(platform, deps);
  const manifest: ModuleManifest = {
    name: 'disclosure_requests',
    title: '依申请公开',
    migrations: disclosureRequestMigrations,
    permissions: [
      { code: PERMISSIONS.read, label: '查看政府信息公开申请', kind: 'business' },
      { code: PERMISSIONS.handle, label: '办理政府信息公开申请', kind: 'business' },
      { code: PERMISSIONS.extend, label: '同意延长政府信息公开答复期限（政府信息公开工作机构负责人）', kind: 'business' },
      { code: PERMISSIONS.reportWrite, label: '编制本机关政府信息公开工作年度报告', kind: 'business' },
      { code: PERMISSIONS.reportPublish, label: '发布本机关政府信息公开工作年度报告', kind: 'business' },
      { code: PERMISSIONS.reportGovernment, label: '编制和发布本级人民政府政府信息公开工作年度报告', kind: 'business' },
    ],
    grants: {
      clerk: [PERMISSIONS.read, PERMISSIONS.handle, PERMISSIONS.reportWrite],
      org_head: [PERMISSIONS.read, PERMISSIONS.handle, PERMISSIONS.extend, PERMISSIONS.reportWrite, PERMISSIONS.reportPublish],
      jurisdiction_supervisor: [PERMISSIONS.read, PERMISSIONS.reportGovernment],
      province_supervisor: [PERMISSIONS.read, PERMISSIONS.reportGovernment],
    },
    navigation: [
      {
        label: '依申请公开办理',
        labelEn: 'Information requests',
        href: '/workbench/disclosure-requests',
        permission: PERMISSIONS.read,
        // The open requests and their worst clock, as the list's badges show them.
        waiting: async (actor) => {
          const open = await requests.openInScope(listScope(actor), WAITING_LIMIT);
          let overdue = 0;
          let warn = 0;
          for (const r of open) {
            const worst = worstStatus(requestClocks(r, deps.today(), await deps.calendar(r.jurisdictionCode)));
            if (worst === 'overdue') overdue += 1;
            if (worst === 'warn') warn += 1;
          }
          if (open.length === 0) return { text: '没有办理中的申请', textEn: 'No open requests' };
          const n = open.length >= WAITING_LIMIT ? `${WAITING_LIMIT} 件以上` : `${open.length} 件`;
          const marks = [overdue ? `超期 ${overdue}` : '', warn ? `临期 ${warn}` : ''].filter(Boolean);
          return { text: [`办理中 ${n}`, ...marks].join(' · '), textEn: `${open.length}${open.length >= WAITING_LIMIT ? '+' : ''} open${overdue ? ` · ${overdue} overdue` : ''}${warn ? ` · ${warn} due soon` : ''}` };
        },
      },
      { label: '信息公开年度报告', labelEn: 'Annual disclosure reports', href: '/workbench/disclosure-reports', permission: PERMISSIONS.reportWrite },
    ],
    search: {
      kinds: [{ kind: REPORT_SEARCH_KIND, label: '信息公开年度报告', labelEn: 'Annual disclosure reports' }],
      reindex: async () => {
        let n = 0;
        for (let offset = 0; ; offset += 100) {
          const { rows } = await requests.listPublishedReports({ limit: 100, offset });
          for (const r of rows) await platform.transactor.run(systemContext('search-reindex'), (uow) => platform.search.put(uow, reportSearchDocument(r)));
          n += rows.length;
          if (rows.length < 100) return n;
        }
      },
    },
    routes: async (app: FastifyInstance) => {
      await requestPart(app);
      await reportPart(app);
      // Lapsed periods are recorded hourly while the server runs (tests call sweepLapses directly).
      if (platform.config.env !== 'test') {
        const timer = setInterval(() => {
          sweepLapses(deps, platform.transactor).catch((e: unknown) => platform.logger.error({ err: e }, 'disclosure request lapse sweep failed'));
        }, 3_600_000);
        timer.unref();
        app.addHook('onClose', async () => clearInterval(timer));
      }
    },
  };
  return { manifest, requests, sweepLapses: () => sweepLapses(deps, platform.transactor) };
}
