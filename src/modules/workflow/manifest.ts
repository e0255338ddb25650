import { systemContext } from '../../platform/auth/actor.ts';
import type { WorkCalendar } from '../../platform/calendar/index.ts';
import { nationalCalendar } from '../../platform/calendar/index.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { WorkflowEngine, workflowMigrations } from '../../platform/workflow/index.ts';
import { definitionRoutes } from './routes/definition-routes.ts';
import { taskRoutes } from './routes/task-routes.ts';

export interface WorkflowModule {
  manifest: ModuleManifest;
  /** The engine other modules (cases, documents, appeals) drive inside their own units of work. */
  engine: WorkflowEngine;
}

/**
 * 公用协同工作环境: the workflow engine's tables (schema `workflow`, migrations in
 * src/platform/workflow/migrations.ts, registered here as this module's migrations), the timer
 * job handler, and the definition pages with the bpmn-js designer. Modules using the engine
 * are listed after this one in createModules.
 */
export function createWorkflowModule(
  platform: Platform,
  deps: { calendarFor?: (jurisdictionCode: string, tx?: Db | Tx) => Promise<WorkCalendar> } = {},
): WorkflowModule {
  const calendarFor = deps.calendarFor;
  const engine = new WorkflowEngine({
    db: platform.db,
    ...(calendarFor
      ? {
          calendarFor: async (code: string, tx: Db | Tx) => {
            try {
              return await calendarFor(code, tx);
            } catch (e) {
              // An instance without a (valid) jurisdiction counts on the national calendar.
              if (e instanceof RangeError) return nationalCalendar();
              throw e;
            }
          },
        }
      : {}),
  });
  engine.registerJobs(platform.jobs, platform.transactor);
  const commandDeps = { engine, permissions: platform.permissions };
  const manifest: ModuleManifest = {
    name: 'workflow',
    title: '流程定义',
    migrations: workflowMigrations,
    permissions: [
      { code: 'workflow.read', label: '查看流程定义', kind: 'business' },
      { code: 'workflow.define', label: '编辑流程定义', kind: 'business' },
      { code: 'workflow.publish', label: '发布流程定义', kind: 'business' },
    ],
    // Definitions are business rules of an organisation (三员分立: not the sysadmin's).
    grants: {
      clerk: ['workflow.read'],
      org_head: ['workflow.read', 'workflow.define', 'workflow.publish'],
      jurisdiction_supervisor: ['workflow.read'],
      province_supervisor: ['workflow.read'],
    },
    navigation: [{ label: '流程定义', labelEn: 'Workflows', href: '/workbench/workflows', permission: 'workflow.read' }],
    routes: async (app) => {
      await definitionRoutes(platform, commandDeps)(app);
      await taskRoutes(platform, engine)(app);
    },
    seed: async () => {
      await platform.transactor.run(systemContext('seed'), (uow) => engine.ensureDefaultDefinition(uow.tx));
    },
  };
  return { manifest, engine };
}
