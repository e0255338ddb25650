import type { FastifyInstance } from 'fastify';
import type { WorkflowEngine, TaskRow } from '../../../platform/workflow/index.ts';
import type { Platform } from '../../../platform/platform.ts';

const PAGE_SIZE = 20;

export function presentTask(t: TaskRow) {
  return {
    id: t.id,
    instanceId: t.instanceId,
    subjectType: t.subjectType,
    subjectId: t.subjectId,
    kind: t.kind,
    nodeId: t.nodeId,
    name: t.name,
    candidateRoles: t.candidateRoles,
    organisationId: t.organisationId,
    assignee: t.assignee,
    state: t.state,
    createdAt: t.createdAt.toISOString(),
    dueAt: t.dueAt?.toISOString() ?? null,
    completedAt: t.completedAt?.toISOString() ?? null,
    outcome: t.outcome,
    delegatedFrom: t.delegatedFrom,
    urgeCount: t.urgeCount,
    version: t.version,
  };
}

const taskJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    instanceId: { type: 'string' },
    subjectType: { type: 'string' },
    subjectId: { type: 'string' },
    kind: { type: 'string', enum: ['user', 'copy'] },
    nodeId: { type: 'string' },
    name: { type: 'string' },
    candidateRoles: { type: 'array', items: { type: 'string' } },
    organisationId: { type: 'string' },
    assignee: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['open', 'done', 'cancelled'] },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    completedAt: { type: ['string', 'null'], format: 'date-time' },
    outcome: { type: ['string', 'null'] },
    delegatedFrom: { type: ['string', 'null'] },
    urgeCount: { type: 'integer' },
    version: { type: 'integer' },
  },
} as const;

/**
 * The signed-in staff member's own task lists (待办 / 已办 / 抄送我的) as JSON: only the actor's
 * own tasks by construction (assignee, or role + organisation of the current position).
 * The case workbench joins these to cases through the engine; this is the plain list.
 */
export function taskRoutes(platform: Platform, engine: WorkflowEngine) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { box: 'todo' | 'done' | 'copied'; subjectType?: string; page: number } }>(
      '/api/workflow/tasks',
      {
        config: { access: { signedIn: ['staff'] } },
        schema: {
          tags: ['workflow'],
          summary: '我的待办、已办、抄送',
          querystring: {
            type: 'object',
            properties: {
              box: { type: 'string', enum: ['todo', 'done', 'copied'], default: 'todo' },
              subjectType: { type: 'string', maxLength: 50 },
              page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
            },
          },
          response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: taskJson } } } },
        },
      },
      async (request) => {
        const { box, subjectType, page } = request.query;
        const r = await engine.inbox(platform.db, request.actor, box, { ...(subjectType ? { subjectType } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total: r.total, page, pageSize: PAGE_SIZE, items: r.rows.map(presentTask) };
      },
    );
  };
}
