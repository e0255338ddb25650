import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { sendAttachment } from '../../../platform/attachments/routes.ts';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { AppealInput } from '../commands/validate-appeal.ts';
import { divisionChain } from '../classifier/dispatch-advisor.ts';
import { matchKnowledge } from '../kb-match.ts';
import { centreOf } from '../policies.ts';
import { presentTicketForStaff } from '../presenters.ts';
import type { TicketRow } from '../ticket.repository.ts';
import { HOTLINE_EVENTS, HOTLINE_STATES, PETITION_EVENTS, PETITION_STATES, type TicketEvent, type TicketState } from '../ticket-machine.ts';
import { callFormPage, detailPage, inboxPage, kbFormPage, kbListPage } from '../views/workbench-pages.ts';
import { idParams, PAGE_SIZE, refusalOf, send, type RouteDeps } from './appeal-routes.ts';

const ALL_EVENTS = [...new Set<TicketEvent>([...HOTLINE_EVENTS, ...PETITION_EVENTS])];
const ALL_STATES = [...new Set<TicketState>([...HOTLINE_STATES, ...PETITION_STATES])];
const inboxQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    state: { type: 'string', enum: [...ALL_STATES, ''] },
    colour: { type: 'string', enum: ['red', 'yellow', ''] },
    q: { type: 'string', maxLength: 60 },
  },
} as const;
const actionBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    version: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 10 }] },
    reason: { type: 'string', maxLength: 2000 },
    note: { type: 'string', maxLength: 10000 },
    leadOrgId: { type: 'string', maxLength: 64 },
    coOrgIds: { anyOf: [{ type: 'array', maxItems: 10, items: { type: 'string', maxLength: 64 } }, { type: 'string', maxLength: 64 }] },
    categoryCode: { type: 'string', maxLength: 20 },
    emergencyLine: { type: 'string', maxLength: 10 },
    mergeIntoNumber: { type: 'string', maxLength: 40 },
    satisfaction: { type: 'string', maxLength: 20 },
    rehandle: { anyOf: [{ type: 'boolean' }, { type: 'string', maxLength: 5 }] },
    extensionDays: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 5 }] },
    outcome: { type: 'string', maxLength: 20 },
  },
} as const;
type ActionBody = Record<string, unknown>;
const eventParams = { type: 'object', required: ['id', 'event'], properties: { id: { type: 'string', format: 'uuid' }, event: { type: 'string', enum: ALL_EVENTS } } } as const;

export async function staffRoutes(app: FastifyInstance, platform: Platform, deps: RouteDeps): Promise<void> {
  const { service } = deps;
  const { permissions } = platform;

  const load = async (request: FastifyRequest, id: string): Promise<TicketRow> => {
    const tk = await service.getTicket(request.actor, id);
    if (!tk) throw new AppError('ZW_ERR_NOT_FOUND', '工单不存在或不在您的管辖范围内');
    return tk;
  };

  const detail = async (request: FastifyRequest, tk: TicketRow, extra: { kbq?: string; reveal?: boolean; errors?: FieldError[]; values?: Record<string, string>; failedEvent?: TicketEvent } = {}) => {
    const actions = await service.allowedEvents(request.actor, tk);
    const dispatching = actions.some((e) => ['dispatch', 'reassign', 'uphold_return', 'assign', 'merge'].includes(e));
    const centre = centreOf(request.actor, await service.centres());
    const kbq = extra.kbq?.trim() ?? '';
    const attachments = [];
    for (const id of tk.attachmentIds) {
      const a = await platform.attachments.get(id);
      if (a) attachments.push({ id: a.id, name: a.originalName });
    }
    return detailPage(request.page, {
      ticket: tk,
      events: await service.deps.tickets.events(tk.id),
      actions,
      suggestion: dispatching ? await service.suggest(tk) : null,
      organisations: dispatching && centre ? await deps.orgChoices(centre.divisionCode) : [],
      categories: await service.deps.tickets.categories(),
      templates: await service.deps.tickets.templates(),
      kbQuery: kbq,
      kbHits: kbq ? matchKnowledge(kbq, await service.deps.kb.published(), 5) : [],
      attachments,
      reveal: extra.reveal ?? false,
      errors: extra.errors ?? [],
      values: extra.values ?? {},
      failedEvent: extra.failedEvent,
    });
  };

  // ---- workbench pages ----
  app.get<{ Querystring: { page: number; state?: TicketState | ''; colour?: 'red' | 'yellow' | ''; q?: string } }>(
    '/workbench/appeals',
    { config: { access: { permission: 'appeals.read' } }, schema: { hide: true, querystring: inboxQuery } },
    async (request, reply) => {
      const { page, q } = request.query;
      const state = request.query.state || undefined;
      const colour = request.query.colour || undefined;
      const { rows, total } = await service.list(request.actor, { state, colour, q: q?.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const centre = centreOf(request.actor, await service.centres());
      return send(
        reply,
        inboxPage(request.page, rows, {
          page,
          pageSize: PAGE_SIZE,
          total,
          state,
          colour,
          q,
          canIntake: Boolean(centre) && permissions.has(request.actor, 'appeals.intake'),
          canKb: Boolean(centre),
        }),
      );
    },
  );

  const callForm = async (request: FastifyRequest, values: Record<string, unknown>, errors: FieldError[], key?: string) =>
    callFormPage(request.page, { values, errors, categories: await service.deps.tickets.categories(), divisions: await deps.divisionOptions(), idempotencyKey: key ?? crypto.randomUUID() });
  app.get('/workbench/appeals/new-call', { config: { access: { permission: 'appeals.intake' } }, schema: { hide: true } }, async (request, reply) => {
    if (!centreOf(request.actor, await service.centres())) throw new AppError('ZW_ERR_FORBIDDEN', '只有 12345 热线或信访部门的受理人员可以登记来电');
    return send(reply, await callForm(request, {}, []));
  });
  app.post<{ Body: Record<string, string> }>('/workbench/appeals/new-call', { config: { access: { permission: 'appeals.intake' } }, schema: { hide: true } }, async (request, reply) => {
    const body = request.body ?? {};
    const r = await service.submit(request.ctx, body, 'hotline');
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, await callForm(request, body, r.fields ?? [], body.idempotencyKey), 400);
      throw refusalOf(r);
    }
    setFlash(reply, `已登记，工单编号 ${r.value.ticket.number}`);
    return reply.redirect(`/workbench/appeals/${r.value.ticket.id}`, 303);
  });

  // Knowledge base (before /:id so the static path wins).
  app.get<{ Querystring: { page: number } }>(
    '/workbench/appeals/kb',
    { config: { access: { permission: 'appeals.read' } }, schema: { hide: true, querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, default: 1 } } } } },
    async (request, reply) => {
      const centre = centreOf(request.actor, await service.centres());
      const prefix = centre ? subtreePrefix(centre.divisionCode) : undefined;
      const ancestors = centre ? divisionChain(centre.divisionCode).slice(1) : [];
      const { rows, total } = await service.deps.kb.list({ ...(prefix ? { prefix, ancestors } : { publishedOnly: true }), limit: PAGE_SIZE, offset: (request.query.page - 1) * PAGE_SIZE });
      return send(reply, kbListPage(request.page, rows, { page: request.query.page, pageSize: PAGE_SIZE, total, canEdit: Boolean(centre) && permissions.has(request.actor, 'appeals.kb-manage') }));
    },
  );
  app.get('/workbench/appeals/kb/new', { config: { access: { permission: 'appeals.kb-manage' } }, schema: { hide: true } }, async (request, reply) =>
    send(reply, kbFormPage(request.page, { values: {}, errors: [], categories: await service.deps.tickets.categories() })),
  );
  app.post<{ Body: Record<string, string> }>('/workbench/appeals/kb', { config: { access: { permission: 'appeals.kb-manage' } }, schema: { hide: true } }, async (request, reply) => {
    const r = await service.saveKb(request.ctx, null, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, kbFormPage(request.page, { values: request.body ?? {}, errors: r.fields ?? [], categories: await service.deps.tickets.categories() }), 400);
      throw refusalOf(r);
    }
    setFlash(reply, '知识条目已保存');
    return reply.redirect('/workbench/appeals/kb', 303);
  });
  app.get<{ Params: { id: string } }>('/workbench/appeals/kb/:id', { config: { access: { permission: 'appeals.kb-manage' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const e = await service.deps.kb.get(request.params.id);
    if (!e) throw new AppError('ZW_ERR_NOT_FOUND', '知识条目不存在');
    return send(reply, kbFormPage(request.page, { entry: e, values: { ...e, keywords: e.keywords, published: e.published ? 'on' : '' }, errors: [], categories: await service.deps.tickets.categories() }));
  });
  app.post<{ Params: { id: string }; Body: Record<string, string> }>('/workbench/appeals/kb/:id', { config: { access: { permission: 'appeals.kb-manage' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const r = await service.saveKb(request.ctx, request.params.id, request.body ?? {});
    if (!r.ok) {
      const e = await service.deps.kb.get(request.params.id);
      if (r.reason === 'invalid' && e) return send(reply, kbFormPage(request.page, { entry: e, values: request.body ?? {}, errors: r.fields ?? [], categories: await service.deps.tickets.categories() }), 400);
      throw refusalOf(r);
    }
    setFlash(reply, '知识条目已保存');
    return reply.redirect('/workbench/appeals/kb', 303);
  });

  app.get<{ Params: { id: string }; Querystring: { kbq?: string } }>(
    '/workbench/appeals/:id',
    { config: { access: { permission: 'appeals.read' } }, schema: { hide: true, params: idParams, querystring: { type: 'object', properties: { kbq: { type: 'string', maxLength: 100 } } } } },
    async (request, reply) => send(reply, await detail(request, await load(request, request.params.id), { ...(request.query.kbq ? { kbq: request.query.kbq } : {}) })),
  );

  // Showing the reporter's contact unmasked is an audited view (never for an anonymous report).
  app.post<{ Params: { id: string } }>('/workbench/appeals/:id/reveal', { config: { access: { permission: 'appeals.read' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const tk = await load(request, request.params.id);
    if (tk.anonymous) throw new AppError('ZW_ERR_FORBIDDEN', '匿名举报人的身份受保护，不能查看');
    await platform.transactor.auditOnly(request.ctx, { action: 'appeal.reveal-contact', objectType: 'appeal', objectId: tk.id, detail: { number: tk.number } });
    return send(reply, await detail(request, tk, { reveal: true }));
  });

  app.get<{ Params: { id: string; aid: string } }>(
    '/workbench/appeals/:id/attachments/:aid',
    { config: { access: { permission: 'appeals.read' } }, schema: { hide: true, params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, aid: { type: 'string', format: 'uuid' } } } } },
    async (request, reply) => {
      const tk = await load(request, request.params.id);
      if (!tk.attachmentIds.includes(request.params.aid)) throw new AppError('ZW_ERR_NOT_FOUND', '附件不存在');
      const opened = await platform.attachments.open(request.params.aid);
      if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '附件内容已不存在');
      return sendAttachment(reply, opened.meta, opened.stream);
    },
  );

  app.post<{ Params: { id: string; event: TicketEvent }; Body: ActionBody }>(
    '/workbench/appeals/:id/events/:event',
    { config: { access: { permission: 'appeals.read' } }, schema: { hide: true, params: eventParams, body: actionBody } },
    async (request, reply) => {
      const body = request.body ?? {};
      const r = await service.act(request.ctx, request.params.id, request.params.event, body);
      if (!r.ok) {
        if (r.reason === 'invalid') {
          const tk = await load(request, request.params.id);
          const values = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
          return send(reply, await detail(request, tk, { errors: r.fields ?? [{ field: 'note', message: r.message }], values, failedEvent: request.params.event }), 400);
        }
        throw refusalOf(r);
      }
      setFlash(reply, '操作已完成');
      return reply.redirect(`/workbench/appeals/${r.value.id}`, 303);
    },
  );

  // ---- staff JSON API (same commands) ----
  app.get<{ Querystring: { page: number; state?: TicketState | ''; colour?: 'red' | 'yellow' | ''; q?: string } }>(
    '/api/appeals',
    { config: { access: { permission: 'appeals.read' } }, schema: { tags: ['appeals'], summary: '管辖范围内的诉求工单', querystring: inboxQuery } },
    async (request) => {
      const { page, q } = request.query;
      const { rows, total } = await service.list(request.actor, { state: request.query.state || undefined, colour: request.query.colour || undefined, q: q?.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return { total, page, pageSize: PAGE_SIZE, items: rows.map((r) => presentTicketForStaff(r)) };
    },
  );
  app.post<{ Body: AppealInput; Headers: { 'idempotency-key'?: string } }>(
    '/api/appeals/calls',
    { config: { access: { permission: 'appeals.intake' } }, schema: { tags: ['appeals'], summary: '热线来电登记', headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 100 } } } } },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const r = await service.submit(request.ctx, { ...(request.body ?? {}), ...(key ? { idempotencyKey: key } : {}) }, 'hotline');
      if (!r.ok) throw refusalOf(r);
      return reply.status(r.value.replayed ? 200 : 201).send(presentTicketForStaff(r.value.ticket));
    },
  );
  app.get<{ Params: { id: string } }>('/api/appeals/:id', { config: { access: { permission: 'appeals.read' } }, schema: { tags: ['appeals'], params: idParams } }, async (request) => {
    const tk = await load(request, request.params.id);
    return { ...presentTicketForStaff(tk), actions: await service.allowedEvents(request.actor, tk), history: (await service.deps.tickets.events(tk.id)).map((e) => ({ event: e.event, from: e.fromState, to: e.toState, actor: e.actorName, organisation: e.organisationName, note: e.note, at: e.at.toISOString() })) };
  });
  app.get<{ Params: { id: string } }>('/api/appeals/:id/suggestions', { config: { access: { permission: 'appeals.dispatch' } }, schema: { tags: ['appeals'], summary: '派单建议与重复检测', params: idParams } }, async (request) => {
    const tk = await load(request, request.params.id);
    return service.suggest(tk);
  });
  app.post<{ Params: { id: string; event: TicketEvent }; Body: ActionBody }>(
    '/api/appeals/:id/events/:event',
    { config: { access: { permission: 'appeals.read' } }, schema: { tags: ['appeals'], summary: '工单操作（派单、签收、退单、答复、回访……）', params: eventParams, body: { ...actionBody, required: ['version'] } } },
    async (request) => {
      const r = await service.act(request.ctx, request.params.id, request.params.event, request.body ?? {});
      if (!r.ok) throw refusalOf(r);
      return presentTicketForStaff(r.value);
    },
  );
  app.post<{ Body: Record<string, unknown> }>('/api/appeals/kb', { config: { access: { permission: 'appeals.kb-manage' } }, schema: { tags: ['appeals'], summary: '新增知识库条目' } }, async (request, reply) => {
    const r = await service.saveKb(request.ctx, null, request.body ?? {});
    if (!r.ok) throw refusalOf(r);
    return reply.status(201).send(r.value);
  });
}
