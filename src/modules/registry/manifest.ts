import type { FastifyInstance } from 'fastify';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { CalendarRepository } from './calendar.repository.ts';
import { CalendarServiceImpl, type CalendarService } from './calendar-service.ts';
import { CodeTableRepository } from './code-table.repository.ts';
import { CodeTableServiceImpl, type CodeTableService } from './code-table-service.ts';
import { registryMigrations } from './migrations.ts';
import { NumberRepository } from './number.repository.ts';
import { NumberServiceImpl, type NumberService } from './number-service.ts';
import { calendarRoutes } from './routes/calendar-routes.ts';
import { codeTableRoutes } from './routes/code-table-routes.ts';

export interface RegistryModule {
  manifest: ModuleManifest;
  numbers: NumberService;
  calendars: CalendarService;
  codes: CodeTableService;
}

/**
 * 基础代码与编号: the shared registries other modules build on — gap-free number generators
 * (DOMAIN.md §1.4), per-jurisdiction working-day calendars (§1.1.2) and code tables (§1.3).
 * It depends on no other module, so it comes first in the module list.
 */
export function createRegistryModule(platform: Platform): RegistryModule {
  const numbers = new NumberServiceImpl(new NumberRepository(platform.db), platform.transactor, platform.permissions);
  const calendars = new CalendarServiceImpl(new CalendarRepository(platform.db), platform.transactor, platform.permissions);
  const codes = new CodeTableServiceImpl(new CodeTableRepository(platform.db));
  const calendar = calendarRoutes(platform, { calendars, codes });
  const codeTables = codeTableRoutes({ codes });

  const manifest: ModuleManifest = {
    name: 'registry',
    title: '基础代码与编号',
    migrations: registryMigrations,
    permissions: [
      { code: 'calendar.manage', label: '维护工作日历', kind: 'system' },
      { code: 'codetable.view', label: '查看基础代码表', kind: 'system' },
      { code: 'numbering.manage', label: '维护编号规则', kind: 'system' },
    ],
    grants: { sysadmin: ['calendar.manage', 'codetable.view', 'numbering.manage'] },
    navigation: [
      { label: '工作日历', labelEn: 'Working-day calendar', href: '/workbench/calendar', permission: 'calendar.manage' },
      { label: '基础代码表', labelEn: 'Code tables', href: '/workbench/code-tables', permission: 'codetable.view' },
    ],
    routes: async (app: FastifyInstance) => {
      await calendar(app);
      await codeTables(app);
    },
  };
  return { manifest, numbers, calendars, codes };
}
