import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, refusalError, unwrap, validationError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { TaskRow } from '../../../platform/workflow/index.ts';
import type { CaseRecord } from '../case.repository.ts';
import { FLOW_LABEL, FLOW_OPERATIONS, type FlowOperation } from '../commands/flow-operations.ts';
import { CASE_PERMISSIONS, staffCanSee } from '../policies.ts';
import type { CaseService } from '../service.ts';
import { eligibleReceivers, staffPickerFor } from '../staff-picker.ts';

const opParams = { type: 'object', required: ['id', 'op'], properties: { id: { type: 'string', format: 'uuid' }, op: { type: 'string', enum: [...FLOW_OPERATIONS] } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

export const taskJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    step: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    state: { type: 'string' },
    candidateRoles: { type: 'array', items: { type: 'string' } },
    organisationId: { type: 'string' },
    assignee: { type: ['string', 'null'] },
    delegatedFrom: { type: ['string', 'null'] },
    transferredFrom: { type: ['string', 'null'] },
    dueAt: { type: ['string', 'null'] },
    completedAt: { type: ['string', 'null'] },
    outcome: { type: ['string', 'null'] },
    comment: { type: ['string', 'null'] },
    urgeCount: { type: 'integer' },
    version: { type: 'integer' },
  },
} as const;

export function presentTask(x: TaskRow) {
  return {
    id: x.id,
    step: x.nodeId,
    name: x.name,
    kind: x.kind,
    state: x.state,
    candidateRoles: x.candidateRoles,
    organisationId: x.organisationId,
    assignee: x.assignee,
    delegatedFrom: x.delegatedFrom,
    transferredFrom: x.transferredFrom,
    dueAt: x.dueAt?.toISOString() ?? null,
    completedAt: x.completedAt?.toISOString() ?? null,
    outcome: x.outcome,
    comment: x.comment,
    urgeCount: x.urgeCount,
    version: x.version,
  };
}

interface FlowBody {
  _csrf?: string;
  version?: number;
  taskId?: string;
  /** Account ids: an array (API) or text separated by commas, spaces or new lines (form). */
  to?: string | string[];
  comment?: string;
}

const flowBodySchema = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    version: { type: 'integer', minimum: 1 },
    taskId: { type: 'string', maxLength: 40 },
    to: { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 100 } }] },
    comment: { type: 'string', maxLength: 2000 },
  },
} as const;

const toList = (to: FlowBody['to']): string[] => (Array.isArray(to) ? to : (to ?? '').split(/[\s,，、;；]+/)).map((s) => s.trim()).filter(Boolean);

/**
 * The approval operations of issue 3 on a case (转办, 委托, 加签, 减签, 抄送, 催办): a form post
 * beside the staff case page, and the JSON API (`/api/cases/:id/flow…`) with the same command.
 */
export function flowRoutes(platform: Platform, service: CaseService, detail: (request: FastifyRequest, reply: FastifyReply, c: CaseRecord, o: { errors?: FieldError[]; status?: number }) => Promise<unknown>) {
  const { cases } = service.deps;

  async function visible(request: FastifyRequest, id: string): Promise<CaseRecord> {
    const c = await cases.getById(id);
    if (!c || c.state === 'DRAFT' || !staffCanSee(platform.permissions, request.actor, c)) throw new AppError('ZW_ERR_NOT_FOUND', '办件不存在或不在您的管辖范围内');
    return c;
  }

  /**
   * The receivers must be on the picker's list (active staff: the handling organisation's clerks and heads
   * for 转办 / 委托 / 加签, the jurisdiction's staff for 抄送); the refusal names the field `to`.
   */
  async function ineligibleReceiver(c: CaseRecord, op: FlowOperation, b: FlowBody): Promise<FieldError | null> {
    const picker = await staffPickerFor(service.deps, c);
    const allowed = picker ? eligibleReceivers(picker, op) : null;
    if (!allowed) return null;
    const wrong = toList(b.to).filter((id) => !allowed.has(id));
    if (wrong.length === 0) return null;
    return { field: 'to', message: op === 'copy' ? '抄送人须为本辖区在岗的工作人员，请从列表中选择' : '接收人须为本单位在岗的办事员或负责人，请从列表中选择' };
  }

  const input = (c: CaseRecord, op: FlowOperation, b: FlowBody) => ({ caseId: c.id, version: b.version ?? 0, op, ...(b.taskId ? { taskId: b.taskId } : {}), to: toList(b.to), ...(b.comment !== undefined ? { comment: b.comment } : {}) });

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{ Params: { id: string; op: FlowOperation }; Body: FlowBody }>(
      '/workbench/cases/:id/flow/:op',
      { config: { access: { permission: CASE_PERMISSIONS.read } }, schema: { hide: true, params: opParams, body: flowBodySchema } },
      async (request, reply) => {
        const c = await visible(request, request.params.id);
        const wrong = await ineligibleReceiver(c, request.params.op, request.body);
        if (wrong) return detail(request, reply, c, { errors: [wrong], status: 400 });
        const r = await service.flow(request.ctx, input(c, request.params.op, request.body));
        if (!r.ok) {
          if (r.reason === 'invalid') return detail(request, reply, c, { errors: r.fields?.length ? r.fields : [{ field: 'to', message: r.message }], status: 400 });
          throw refusalError(r);
        }
        setFlash(reply, `${FLOW_LABEL[request.params.op]}已完成`);
        return reply.redirect(`/workbench/cases/${c.id}`, 303);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/cases/:id/flow',
      {
        config: { access: { permission: CASE_PERMISSIONS.read } },
        schema: {
          tags: ['cases'],
          summary: '办件的审批流程：流程定义及版本、当前待办环节、本人可办理的环节、可退回的环节、流转记录',
          params: idParams,
          response: {
            200: {
              type: 'object',
              properties: {
                key: { type: 'string' },
                version: { type: 'integer' },
                state: { type: 'string' },
                open: { type: 'array', items: taskJson },
                mine: { type: 'array', items: { type: 'string' } },
                returnTargets: { type: 'array', items: { type: 'object', properties: { step: { type: 'string' }, name: { type: 'string' } } } },
                history: { type: 'array', items: taskJson },
              },
            },
          },
        },
      },
      async (request) => {
        const c = await visible(request, request.params.id);
        const v = await service.flowView(request.actor, c);
        if (!v) throw new AppError('ZW_ERR_NOT_FOUND', '该办件没有审批流程（尚未受理）');
        return { key: v.key, version: v.version, state: v.state, open: v.open.map(presentTask), mine: v.mine.map((x) => x.id), returnTargets: v.returnTargets.map((x) => ({ step: x.nodeId, name: x.name })), history: v.history.map(presentTask) };
      },
    );

    app.post<{ Params: { id: string; op: FlowOperation }; Body: FlowBody }>(
      '/api/cases/:id/flow/:op',
      {
        config: { access: { permission: CASE_PERMISSIONS.read } },
        schema: {
          tags: ['cases'],
          summary: '审批操作：transfer 转办、delegate 委托、add-signer 加签、remove-signer 减签、copy 抄送、urge 催办；version 为办件的乐观锁版本，to 为工作人员账号',
          params: opParams,
          body: { ...flowBodySchema, required: ['version'] },
          response: { 200: { type: 'object', properties: { caseVersion: { type: 'integer' }, step: { type: ['string', 'null'] }, tasks: { type: 'array', items: taskJson } } } },
        },
      },
      async (request) => {
        const c = await visible(request, request.params.id);
        const wrong = await ineligibleReceiver(c, request.params.op, request.body);
        if (wrong) throw validationError([wrong]);
        const r = unwrap(await service.flow(request.ctx, input(c, request.params.op, request.body)));
        return { caseVersion: r.record.version, step: r.record.step_name, tasks: r.tasks.map(presentTask) };
      },
    );
  };
}
