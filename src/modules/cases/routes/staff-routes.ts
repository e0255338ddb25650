import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAttachment } from '../../../platform/attachments/routes.ts';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import type { FormValue } from '../../../platform/forms/index.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { renderPdf } from '../../../platform/pdf/index.ts';
import type { CaseRecord, WorkbenchBox } from '../case.repository.ts';
import { PII_CONTEXT } from '../commands/personal-data.ts';
import type { Signal } from '../domain/case-clocks.ts';
import { allowedEvents, CASE_STATES, type CaseState } from '../domain/state-machine.ts';
import { caseDocument, documentAvailable, type CaseDocumentKind } from '../documents.ts';
import { caseRolesOf, CASE_PERMISSIONS, staffCanSee } from '../policies.ts';
import { CASE_ACTIONS, type CaseService } from '../service.ts';
import { caseDetailPage, caseListPage, ratingsPage } from '../views/staff-pages.ts';
import { BundleRepository } from '../bundle.repository.ts';
import { bundleOfCase } from '../life-event-service.ts';
import { staffBundleCard } from '../views/life-event-pages.ts';
import { flowRoutes } from './flow-routes.ts';
import { staffPickerFor } from '../staff-picker.ts';
import { actionBodySchema, toAction, type ActionBody, type ActionName } from './action-input.ts';
import { todayText } from '../commands/transition.ts';
import { send } from './citizen-routes.ts';

const PAGE_SIZE = 20;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
export const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    box: { type: 'string', enum: ['todo', 'done', 'all'], default: 'todo' },
    state: { type: 'string', enum: [...CASE_STATES, ''] },
    signal: { type: 'string', enum: ['green', 'yellow', 'red', 'paused', 'none', ''] },
    q: { type: 'string', maxLength: 50 },
    org: { type: 'string', maxLength: 100 },
  },
} as const;
/** The workbench list: the case boxes, plus 我的待办 (mine) and 抄送我的 (copied) from the workflow engine. */
const workbenchQuery = { ...listQuery, properties: { ...listQuery.properties, box: { type: 'string', enum: ['mine', 'todo', 'done', 'all', 'copied'], default: 'todo' } } } as const;
type WorkbenchQuery = Omit<ListQuery, 'box'> & { box: WorkbenchBox | 'mine' | 'copied' };
export type ListQuery = { page: number; box: WorkbenchBox; state?: CaseState | ''; signal?: Signal | ''; q?: string; org?: string };

export function staffRoutes(platform: Platform, service: CaseService) {
  const { cases } = service.deps;
  const { permissions } = platform;

  async function visible(request: FastifyRequest, id: string): Promise<CaseRecord> {
    const c = await cases.getById(id);
    if (!c || c.state === 'DRAFT' || !staffCanSee(permissions, request.actor, c)) throw new AppError('ZW_ERR_NOT_FOUND', '办件不存在或不在您的管辖范围内');
    return c;
  }

  async function detail(request: FastifyRequest, reply: FastifyReply, c: CaseRecord, o: { errors?: FieldError[]; unmasked?: Record<string, FormValue> | null; status?: number } = {}) {
    const [events, materials, pauses, rating, item] = await Promise.all([cases.events(c.id), cases.materials(c.id), cases.pauses(c.id), cases.rating(c.id), service.deps.items.itemForApplication(c.item_id)]);
    const roles = caseRolesOf(permissions, request.actor, c);
    const flow = await service.flowView(request.actor, c);
    const staffPicker = flow ? await staffPickerFor(service.deps, c) : null; // 转办 / 委托 / 加签 / 抄送 receivers
    const bundle = staffBundleCard(request.page, await bundleOfCase(new BundleRepository(cases.db), c), c.id); // 一件事
    return send(
      reply,
      caseDetailPage(request.page, {
        record: c,
        events,
        materials,
        pauses,
        actions: allowedEvents(c.state, roles),
        canUnmask: permissions.has(request.actor, CASE_PERMISSIONS.unmask) && roles.length > 0,
        unmasked: o.unmasked ?? null,
        form: item.ok ? item.item.form : null,
        rating,
        errors: o.errors ?? [],
        flow,
        staffPicker,
        bundle,
        today: todayText(service.deps),
      }),
      o.status ?? 200,
    );
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    await flowRoutes(platform, service, detail)(app);

    app.get<{ Querystring: WorkbenchQuery }>('/workbench/cases', { config: { access: { permission: CASE_PERMISSIONS.read } }, schema: { hide: true, querystring: workbenchQuery } }, async (request, reply) => {
      const { page } = request.query;
      const scope = listScope(request.actor);
      const paging = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
      // 我的待办 / 抄送我的: the workflow engine's tasks for the actor, joined with the cases.
      const [mine, copied] = await Promise.all([service.inbox(request.actor, 'todo', request.query.box === 'mine' ? paging : { limit: 1, offset: 0 }), service.inbox(request.actor, 'copied', request.query.box === 'copied' ? paging : { limit: 1, offset: 0 })]);
      const flowCounts = service.deps.workflow ? { mine: mine.total, copied: copied.total } : undefined;
      if (request.query.box === 'mine' || request.query.box === 'copied') {
        const p = request.query.box === 'mine' ? mine : copied;
        const counts = await cases.boxCounts(scope);
        return send(reply, caseListPage(request.page, p.rows.map((x) => x.record), { filters: { box: request.query.box }, counts: { ...counts, ...flowCounts }, page, pageSize: PAGE_SIZE, total: p.total, steps: p.rows.map((x) => x.task.name), today: todayText(service.deps) }));
      }
      const box = request.query.box;
      const state = request.query.state || undefined;
      const signal = request.query.signal || undefined;
      const q = request.query.q?.trim() || undefined;
      const org = request.query.org || undefined;
      const [{ rows, total }, counts] = await Promise.all([
        cases.listInScope(scope, { box, ...(state ? { state } : {}), ...(signal ? { signal } : {}), ...(q ? { q } : {}), ...(org ? { organisationId: org } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
        cases.boxCounts(scope),
      ]);
      return send(reply, caseListPage(request.page, rows, { filters: { box, state, signal, q, org }, counts: { ...counts, ...flowCounts }, page, pageSize: PAGE_SIZE, total, today: todayText(service.deps) }));
    });

    app.get<{ Params: { id: string } }>('/workbench/cases/:id', { config: { access: { permission: CASE_PERMISSIONS.read } }, schema: { hide: true, params: idParams } }, async (request, reply) =>
      detail(request, reply, await visible(request, request.params.id)),
    );

    // 查看完整个人信息: decrypted for this response only, and audited.
    app.post<{ Params: { id: string } }>(
      '/workbench/cases/:id/unmask',
      { config: { access: { permission: CASE_PERMISSIONS.unmask } }, schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: { type: 'string' } } } } },
      async (request, reply) => {
        const c = await visible(request, request.params.id);
        if (caseRolesOf(permissions, request.actor, c).length === 0 || !c.applicant_pii_enc) throw new AppError('ZW_ERR_FORBIDDEN', '您不能查看该申请人的完整个人信息');
        const pii = JSON.parse(service.deps.cipher.decrypt(c.applicant_pii_enc, PII_CONTEXT)) as Record<string, FormValue>;
        await platform.transactor.auditOnly(request.ctx, { action: 'case.unmask', objectType: 'case', objectId: c.id, detail: { caseNo: c.case_no, fields: Object.keys(pii) } });
        return detail(request, reply, c, { unmasked: pii });
      },
    );

    app.post<{ Params: { id: string; action: ActionName }; Body: ActionBody }>(
      '/workbench/cases/:id/:action',
      {
        config: { access: { permission: CASE_PERMISSIONS.read } },
        schema: { hide: true, params: { type: 'object', required: ['id', 'action'], properties: { id: { type: 'string', format: 'uuid' }, action: { type: 'string', enum: CASE_ACTIONS.filter((a) => a !== 'withdraw') } } }, body: actionBodySchema },
      },
      async (request, reply) => {
        const c = await visible(request, request.params.id);
        const r = await service.act(request.ctx, c.id, request.body.version ?? 0, toAction(request.params.action, request.body));
        if (!r.ok) {
          if (r.reason === 'invalid') return detail(request, reply, c, { errors: r.fields?.length ? r.fields : [{ field: 'reason', message: r.message }], status: 400 });
          throw refusalError(r);
        }
        setFlash(reply, '办理操作已完成');
        return reply.redirect(`/workbench/cases/${c.id}`, 303);
      },
    );

    app.get<{ Params: { id: string; mid: string } }>(
      '/workbench/cases/:id/materials/:mid',
      { config: { access: { permission: CASE_PERMISSIONS.read } }, schema: { hide: true, params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, mid: { type: 'string', format: 'uuid' } } } } },
      async (request, reply) => {
        const c = await visible(request, request.params.id);
        const m = (await cases.materials(c.id)).find((x) => x.id === request.params.mid);
        const opened = m ? await platform.attachments.open(m.attachment_id) : null;
        if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '材料不存在');
        return sendAttachment(reply, opened.meta, opened.stream);
      },
    );

    app.get<{ Params: { id: string; kind: CaseDocumentKind } }>(
      '/workbench/cases/:id/documents/:kind.pdf',
      {
        config: { access: { permission: CASE_PERMISSIONS.read } },
        schema: { hide: true, params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: ['receipt', 'acceptance', 'non-acceptance', 'correction', 'decision'] } } } },
      },
      async (request, reply) => {
        const c = await visible(request, request.params.id);
        if (!documentAvailable(request.params.kind, c)) throw new AppError('ZW_ERR_NOT_FOUND', '该办件没有这份文书');
        const buffer = await renderPdf(caseDocument(request.params.kind, c, await cases.materials(c.id)));
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${c.case_no ?? 'case'}-${request.params.kind}.pdf"`).send(buffer);
      },
    );

    // ---- 差评整改 ----
    app.get<{ Querystring: { page: number } }>(
      '/workbench/ratings',
      { config: { access: { permission: CASE_PERMISSIONS.handle } }, schema: { hide: true, querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, default: 1 } } } } },
      async (request, reply) => {
        const { page } = request.query;
        const { rows, total } = await cases.ratingsInScope(listScope(request.actor), { open: true, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return send(reply, ratingsPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
      },
    );
    app.post<{ Params: { id: string }; Body: { version?: number; outcome?: 'rectified' | 'explained'; feedback?: string } }>(
      '/workbench/ratings/:id/feedback',
      {
        config: { access: { permission: CASE_PERMISSIONS.handle } },
        schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: { type: 'string' }, version: { type: 'integer', minimum: 1 }, outcome: { type: 'string', enum: ['rectified', 'explained'] }, feedback: { type: 'string', maxLength: 2000 } } } },
      },
      async (request, reply) => {
        const r = await service.answerRating(request.ctx, { caseId: request.params.id, version: request.body.version ?? 0, outcome: request.body.outcome ?? 'rectified', feedback: request.body.feedback ?? '' });
        if (!r.ok) throw refusalError(r);
        setFlash(reply, '整改反馈已发送给评价人');
        return reply.redirect('/workbench/ratings', 303);
      },
    );
  };
}
