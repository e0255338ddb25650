import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { formatCivilDate } from '../../../platform/calendar/index.ts';
import { AppError, refusalError, unwrap } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { renderPdf } from '../../../platform/pdf/index.ts';
import type { SafeHtml } from '../../../platform/views/html.ts';
import { actOnRequest, isStaffActionKind, parseStaffAction } from '../commands/act-on-request.ts';
import type { CommandDeps } from '../commands/deps.ts';
import { resolveAddressee, submitRequest, type SubmitInput } from '../commands/submit-request.ts';
import { REQUEST_STATES, type RequestState, STAFF_ACTIONS, availableStaffActions, requestClocks } from '../domain/request-machine.ts';
import { replyLetterSpec } from '../domain/reply-letter.ts';
import { PERMISSIONS, inStaffScope, isRequester, mayAct } from '../policies.ts';
import type { RequestEvent, RequestRow } from '../request.repository.ts';
import { type FormValues, myRequestsPage, registerFormPage, requestFormPage, staffDetailPage, staffListPage, trackingPage } from '../views/request-pages.ts';

const PAGE_SIZE = 20;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const pageQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    state: { type: 'string', enum: [...REQUEST_STATES, ''] },
  },
} as const;
const text = (max: number) => ({ type: 'string', maxLength: max }) as const;
const submitBody = {
  type: 'object',
  properties: {
    _csrf: text(128),
    organisationId: text(100),
    description: text(20000),
    documentNumber: text(1000),
    purpose: text(5000),
    preferredForm: { type: 'string', enum: ['paper', 'electronic', ''] },
    delivery: { type: 'string', enum: ['post', 'email', 'pickup', 'online', ''] },
    contactPhone: text(100),
    contactEmail: text(500),
    contactAddress: text(1000),
    legalCategory: text(40),
    idempotencyKey: text(100),
    channel: text(40),
    receivedOn: text(20),
    requesterKind: text(20),
    requesterName: text(500),
    requesterIdNumber: text(100),
  },
} as const;
const actionBody = {
  type: 'object',
  properties: {
    _csrf: text(128),
    version: { type: 'integer', minimum: 1 },
    on: text(20),
    items: { anyOf: [text(5000), { type: 'array', maxItems: 20, items: text(500) }] },
    periodDays: { type: ['integer', 'string'], maxLength: 10 },
    party: { type: 'string', enum: ['third_party', 'agency'] },
    name: text(500),
    opinion: { type: 'string', enum: ['consent', 'object', 'none'] },
    note: text(2000),
    reasons: text(5000),
    amount: { type: ['number', 'string'], maxLength: 20 },
    days: { type: ['integer', 'string'], maxLength: 10 },
    reason: text(2000),
    replyType: text(40),
    text: text(20000),
    competentAgency: text(1000),
    method: text(20),
    remedy: { type: 'string', enum: ['reconsideration', 'lawsuit'] },
    outcome: { type: 'string', enum: ['upheld', 'corrected', 'other', 'pending'] },
    afterReconsideration: { type: ['boolean', 'string'], maxLength: 10 },
  },
} as const;
const correctionBody = { type: 'object', properties: { _csrf: text(128), version: { type: 'integer', minimum: 1 }, description: text(20000), documentNumber: text(1000) } } as const;

const clockJson = {
  type: 'object',
  properties: { key: { type: 'string' }, label: { type: 'string' }, dueOn: { type: ['string', 'null'] }, remaining: { type: ['integer', 'null'] }, status: { type: 'string', enum: ['running', 'warn', 'overdue', 'paused'] } },
} as const;
export const requestJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    requestNo: { type: 'string' },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    jurisdictionCode: { type: 'string' },
    requesterKind: { type: 'string', enum: ['natural', 'legal'] },
    requesterName: { type: 'string' },
    channel: { type: 'string' },
    description: { type: 'string' },
    documentNumber: { type: ['string', 'null'] },
    purpose: { type: ['string', 'null'] },
    preferredForm: { type: 'string' },
    delivery: { type: 'string' },
    state: { type: 'string', enum: [...REQUEST_STATES] },
    submittedAt: { type: 'string', format: 'date-time' },
    receivedOn: { type: 'string' },
    receiptConfirmedOn: { type: ['string', 'null'] },
    clockStartedOn: { type: ['string', 'null'] },
    replyDueOn: { type: ['string', 'null'] },
    correction: { type: ['object', 'null'], additionalProperties: true },
    replyType: { type: ['string', 'null'] },
    replyReason: { type: ['string', 'null'] },
    replyText: { type: ['string', 'null'] },
    replyNo: { type: ['string', 'null'] },
    repliedOn: { type: ['string', 'null'] },
    deliveredOn: { type: ['string', 'null'] },
    closedReason: { type: ['string', 'null'] },
    clocks: { type: 'array', items: clockJson },
    allowedActions: { type: 'array', items: { type: 'string' } },
    version: { type: 'integer' },
  },
} as const;

/** Presenter: contact data and identity numbers are never in the JSON (they are on the audited page only). */
export function presentRequest(r: RequestRow, extra: { clocks: unknown[]; allowedActions: string[] }) {
  return {
    id: r.id,
    requestNo: r.requestNo,
    organisationId: r.organisationId,
    organisationName: r.organisationName,
    jurisdictionCode: r.jurisdictionCode,
    requesterKind: r.requesterKind,
    requesterName: r.requesterName,
    channel: r.channel,
    description: r.description,
    documentNumber: r.documentNumber,
    purpose: r.purpose,
    preferredForm: r.preferredForm,
    delivery: r.delivery,
    state: r.state,
    submittedAt: r.submittedAt.toISOString(),
    receivedOn: r.receivedOn,
    receiptConfirmedOn: r.receiptConfirmedOn,
    clockStartedOn: r.clockStartedOn,
    replyDueOn: r.replyDueOn,
    correction: r.process.correction ?? null,
    replyType: r.replyType,
    replyReason: r.replyReason,
    replyText: r.replyText,
    replyNo: r.replyNo,
    repliedOn: r.repliedOn,
    deliveredOn: r.deliveredOn,
    closedReason: r.closedReason,
    clocks: extra.clocks,
    allowedActions: extra.allowedActions,
    version: r.version,
  };
}

export function requestRoutes(platform: Platform, deps: CommandDeps) {
  const { transactor, permissions } = platform;
  const send = (reply: FastifyReply, markup: SafeHtml, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);
  const notFound = () => new AppError('ZW_ERR_NOT_FOUND', '申请不存在或不在您的管辖范围内');

  const clocksOf = async (r: RequestRow) => requestClocks(r, deps.today(), await deps.calendar(r.jurisdictionCode));
  const staffActionsOf = async (actor: Parameters<typeof mayAct>[1], r: RequestRow) =>
    availableStaffActions(r, deps.today(), await deps.calendar(r.jurisdictionCode)).filter((k) => mayAct(permissions, actor, k, r));
  const pdfOf = async (r: RequestRow): Promise<Buffer> => {
    if (r.state !== 'REPLIED' || !r.replyType || !r.repliedOn) throw new AppError('ZW_ERR_NOT_FOUND', '该申请尚未答复，没有答复书');
    return renderPdf(
      replyLetterSpec({
        requestNo: r.requestNo,
        replyNo: r.replyNo ?? r.requestNo,
        organisationName: r.organisationName,
        requesterName: r.requesterName,
        description: r.description,
        receivedOn: r.receiptConfirmedOn ?? r.receivedOn,
        correctionSuppliedOn: r.process.correction?.suppliedOn ?? null,
        replyType: r.replyType,
        replyReason: r.replyReason,
        replyText: r.replyText ?? '',
        competentAgency: r.process.competentAgency ?? null,
        repliedOn: r.repliedOn,
        repliedAt: r.updatedAt,
      }),
    );
  };
  const sendPdf = (reply: FastifyReply, r: RequestRow, pdf: Buffer) =>
    reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="reply-${r.requestNo}.pdf"; filename*=UTF-8''${encodeURIComponent(`政府信息公开申请答复书-${r.requestNo}.pdf`)}`)
      .send(pdf);

  const ownRequest = async (actor: Parameters<typeof isRequester>[0], id: string): Promise<RequestRow> => {
    const r = await deps.requests.getById(id);
    if (!r || !isRequester(actor, r)) throw notFound();
    return r;
  };
  const staffRequest = async (actor: Parameters<typeof inStaffScope>[1], id: string): Promise<RequestRow> => {
    const r = await deps.requests.getById(id);
    if (!r || !inStaffScope(permissions, actor, r)) throw notFound();
    return r;
  };
  const trackingView = async (request: { page: Parameters<typeof trackingPage>[0] }, r: RequestRow, values: FormValues = {}, errors: Parameters<typeof trackingPage>[2]['errors'] = []) =>
    trackingPage(request.page, r, { events: await deps.requests.events(r.id, { publicOnly: true }), clocks: await clocksOf(r), values, errors });
  const today = () => formatCivilDate(deps.today());

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- requester (signed-in citizens and enterprises) ----
    const requesterAccess = { access: { signedIn: ['citizen', 'enterprise'] as ('citizen' | 'enterprise')[] } };
    app.get('/disclosure-requests/new', { config: requesterAccess, schema: { hide: true } }, async (request, reply) => {
      const actor = request.actor;
      if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
      return send(reply, requestFormPage(request.page, { organisations: await deps.ext.listOrganisations(), values: {}, errors: [], idempotencyKey: crypto.randomUUID(), requesterName: actor.displayName, legal: actor.kind === 'enterprise' }));
    });
    app.post<{ Body: SubmitInput & Record<string, string | undefined> }>('/disclosure-requests', { config: requesterAccess, schema: { hide: true, body: submitBody } }, async (request, reply) => {
      const actor = request.actor;
      if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
      const body = { ...request.body, channel: undefined, receivedOn: undefined, requesterKind: undefined, requesterName: undefined, requesterIdNumber: undefined };
      const addressee = await resolveAddressee(deps, body);
      const result = await transactor.run(request.ctx, (uow) => submitRequest(deps, uow, body, addressee));
      if (!result.ok) {
        if (result.reason === 'invalid') {
          const values = request.body as FormValues;
          return send(reply, requestFormPage(request.page, { organisations: await deps.ext.listOrganisations(), values, errors: result.fields ?? [], idempotencyKey: values.idempotencyKey || crypto.randomUUID(), requesterName: actor.displayName, legal: actor.kind === 'enterprise' }), 400);
        }
        throw refusalError(result);
      }
      setFlash(reply, result.value.replayed ? '该申请已提交过，以下是已提交的申请' : '申请已提交');
      return reply.redirect(`/account/disclosure-requests/${result.value.request.id}`, 303);
    });
    app.get<{ Querystring: { page: number } }>('/account/disclosure-requests', { config: requesterAccess, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const page = request.query.page;
      const accountId = request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' ? request.actor.accountId : '';
      const { rows, total } = await deps.requests.listForRequester(accountId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, myRequestsPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
    });
    app.get<{ Params: { id: string } }>('/account/disclosure-requests/:id', { config: requesterAccess, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const r = await ownRequest(request.actor, request.params.id);
      return send(reply, await trackingView(request, r));
    });
    app.post<{ Params: { id: string }; Body: { version?: number; description?: string; documentNumber?: string } }>(
      '/account/disclosure-requests/:id/correction',
      { config: requesterAccess, schema: { hide: true, params: idParams, body: correctionBody } },
      async (request, reply) => {
        const body = request.body;
        const result = await transactor.run(request.ctx, (uow) =>
          actOnRequest(deps, uow, request.params.id, body.version ?? 0, { kind: 'supply_correction', description: body.description ?? '', documentNumber: body.documentNumber?.trim() || null }),
        );
        if (!result.ok) {
          if (result.reason === 'invalid') {
            const r = await ownRequest(request.actor, request.params.id);
            return send(reply, await trackingView(request, r, body as FormValues, result.fields ?? []), 400);
          }
          throw refusalError(result);
        }
        setFlash(reply, '补正已提交，答复期限自今日起重新计算');
        return reply.redirect(`/account/disclosure-requests/${result.value.id}`, 303);
      },
    );
    app.get<{ Params: { id: string } }>('/account/disclosure-requests/:id/reply.pdf', { config: requesterAccess, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const r = await ownRequest(request.actor, request.params.id);
      return sendPdf(reply, r, await pdfOf(r));
    });

    // ---- workbench ----
    app.get<{ Querystring: { page: number; state?: RequestState | '' } }>(
      '/workbench/disclosure-requests',
      { config: { access: { permission: PERMISSIONS.read } }, schema: { hide: true, querystring: pageQuery } },
      async (request, reply) => {
        const { page } = request.query;
        const state = request.query.state || undefined;
        const { rows, total } = await deps.requests.listInScope(listScope(request.actor), { ...(state ? { state } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        const withClocks = await Promise.all(rows.map(async (row) => ({ row, clocks: await clocksOf(row) })));
        return send(reply, staffListPage(request.page, withClocks, { page, pageSize: PAGE_SIZE, total, state, canRegister: permissions.has(request.actor, PERMISSIONS.handle) }));
      },
    );
    app.get('/workbench/disclosure-requests/new', { config: { access: { permission: PERMISSIONS.handle } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, registerFormPage(request.page, { values: {}, errors: [], idempotencyKey: crypto.randomUUID(), today: today() })),
    );
    app.post<{ Body: SubmitInput & Record<string, string | undefined> }>(
      '/workbench/disclosure-requests',
      { config: { access: { permission: PERMISSIONS.handle } }, schema: { hide: true, body: submitBody } },
      async (request, reply) => {
        const result = await transactor.run(request.ctx, (uow) => submitRequest(deps, uow, request.body, null));
        if (!result.ok) {
          if (result.reason === 'invalid') {
            const values = request.body as FormValues;
            return send(reply, registerFormPage(request.page, { values, errors: result.fields ?? [], idempotencyKey: values.idempotencyKey || crypto.randomUUID(), today: today() }), 400);
          }
          throw refusalError(result);
        }
        setFlash(reply, '申请已登记');
        return reply.redirect(`/workbench/disclosure-requests/${result.value.request.id}`, 303);
      },
    );
    const detail = async (request: { actor: Parameters<typeof mayAct>[1]; page: Parameters<typeof staffDetailPage>[0] }, r: RequestRow, reveal: boolean, failed?: Parameters<typeof staffDetailPage>[2]['failed']) =>
      staffDetailPage(request.page, r, {
        events: await deps.requests.events(r.id, { publicOnly: false }),
        clocks: await clocksOf(r),
        actions: await staffActionsOf(request.actor, r),
        reveal,
        today: today(),
        ...(failed ? { failed } : {}),
      });
    app.get<{ Params: { id: string }; Querystring: { reveal?: string } }>(
      '/workbench/disclosure-requests/:id',
      { config: { access: { permission: PERMISSIONS.read } }, schema: { hide: true, params: idParams, querystring: { type: 'object', properties: { reveal: { type: 'string', enum: ['1'] } } } } },
      async (request, reply) => {
        const r = await staffRequest(request.actor, request.params.id);
        const reveal = request.query.reveal === '1';
        // Unmasked personal data is shown only on request, and the viewing is audited.
        if (reveal) await transactor.auditOnly(request.ctx, { action: 'disclosure_request.view_personal_data', objectType: 'disclosure_request', objectId: r.id });
        return send(reply, await detail(request, r, reveal));
      },
    );
    app.post<{ Params: { id: string; kind: string }; Body: Record<string, unknown> & { version?: number } }>(
      '/workbench/disclosure-requests/:id/actions/:kind',
      {
        config: { access: { permission: PERMISSIONS.read } },
        schema: { hide: true, params: { type: 'object', required: ['id', 'kind'], properties: { id: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: [...STAFF_ACTIONS] } } }, body: actionBody },
      },
      async (request, reply) => {
        const kind = request.params.kind;
        if (!isStaffActionKind(kind)) throw notFound();
        const actor = request.actor;
        const action = parseStaffAction(kind, request.body, actor.kind === 'staff' ? actor.displayName : '', today());
        const result = await transactor.run(request.ctx, (uow) => actOnRequest(deps, uow, request.params.id, request.body.version ?? 0, action));
        if (!result.ok) {
          if (result.reason === 'invalid') {
            const r = await staffRequest(actor, request.params.id);
            const values: FormValues = Object.fromEntries(Object.entries(request.body).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
            return send(reply, await detail(request, r, false, { kind, values, errors: result.fields ?? [{ field: kind, message: result.message }] }), 400);
          }
          throw refusalError(result);
        }
        setFlash(reply, '已办理');
        return reply.redirect(`/workbench/disclosure-requests/${result.value.id}`, 303);
      },
    );
    app.get<{ Params: { id: string } }>('/workbench/disclosure-requests/:id/reply.pdf', { config: { access: { permission: PERMISSIONS.read } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const r = await staffRequest(request.actor, request.params.id);
      return sendPdf(reply, r, await pdfOf(r));
    });

    // ---- JSON API (same commands) ----
    const present = async (actor: Parameters<typeof mayAct>[1], r: RequestRow, staff: boolean) =>
      presentRequest(r, { clocks: await clocksOf(r), allowedActions: staff ? await staffActionsOf(actor, r) : r.state === 'CORRECTION_REQUESTED' ? ['supply_correction'] : [] });
    app.post<{ Body: SubmitInput }>(
      '/api/disclosure-requests',
      {
        config: { access: { signedIn: ['citizen', 'enterprise', 'staff'] } },
        schema: {
          tags: ['disclosure-requests'],
          summary: '提出（或由工作人员登记）政府信息公开申请；Idempotency-Key 头或 idempotencyKey 字段防止重复提交',
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 100 } } },
          body: { ...submitBody, additionalProperties: false },
          response: { 200: requestJson, 201: requestJson },
        },
      },
      async (request, reply) => {
        const key = (request.headers['idempotency-key'] as string | undefined) ?? (request.body.idempotencyKey as string | undefined);
        const body = request.actor.kind === 'staff' ? request.body : { ...request.body, channel: undefined, receivedOn: undefined, requesterKind: undefined, requesterName: undefined, requesterIdNumber: undefined };
        const addressee = request.actor.kind === 'staff' ? null : await resolveAddressee(deps, body);
        const { request: r, replayed } = unwrap(await transactor.run(request.ctx, (uow) => submitRequest(deps, uow, { ...body, idempotencyKey: key }, addressee)));
        return reply.status(replayed ? 200 : 201).send(await present(request.actor, r, request.actor.kind === 'staff'));
      },
    );
    app.get<{ Querystring: { page: number } }>(
      '/api/account/disclosure-requests',
      { config: { access: { signedIn: ['citizen', 'enterprise'] } }, schema: { tags: ['disclosure-requests'], summary: '我的政府信息公开申请', querystring: pageQuery } },
      async (request) => {
        const page = request.query.page;
        const accountId = request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' ? request.actor.accountId : '';
        const { rows, total } = await deps.requests.listForRequester(accountId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: await Promise.all(rows.map((r) => present(request.actor, r, false))) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/account/disclosure-requests/:id',
      { config: { access: { signedIn: ['citizen', 'enterprise'] } }, schema: { tags: ['disclosure-requests'], params: idParams, response: { 200: requestJson } } },
      async (request) => present(request.actor, await ownRequest(request.actor, request.params.id), false),
    );
    app.post<{ Params: { id: string }; Body: { version?: number; description?: string; documentNumber?: string } }>(
      '/api/account/disclosure-requests/:id/correction',
      {
        config: { access: { signedIn: ['citizen', 'enterprise'] } },
        schema: { tags: ['disclosure-requests'], summary: '提交补正', params: idParams, body: { ...correctionBody, required: ['version', 'description'], additionalProperties: false }, response: { 200: requestJson } },
      },
      async (request) => {
        const b = request.body;
        const r = unwrap(await transactor.run(request.ctx, (uow) => actOnRequest(deps, uow, request.params.id, b.version ?? 0, { kind: 'supply_correction', description: b.description ?? '', documentNumber: b.documentNumber?.trim() || null })));
        return present(request.actor, r, false);
      },
    );
    app.get<{ Querystring: { page: number; state?: RequestState | '' } }>(
      '/api/disclosure-requests',
      { config: { access: { permission: PERMISSIONS.read } }, schema: { tags: ['disclosure-requests'], summary: '管辖范围内的政府信息公开申请', querystring: pageQuery } },
      async (request) => {
        const { page } = request.query;
        const state = request.query.state || undefined;
        const { rows, total } = await deps.requests.listInScope(listScope(request.actor), { ...(state ? { state } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: await Promise.all(rows.map((r) => present(request.actor, r, true))) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/disclosure-requests/:id',
      { config: { access: { permission: PERMISSIONS.read } }, schema: { tags: ['disclosure-requests'], params: idParams, response: { 200: requestJson } } },
      async (request) => present(request.actor, await staffRequest(request.actor, request.params.id), true),
    );
    app.post<{ Params: { id: string; kind: string }; Body: Record<string, unknown> & { version?: number } }>(
      '/api/disclosure-requests/:id/actions/:kind',
      {
        config: { access: { permission: PERMISSIONS.read } },
        schema: {
          tags: ['disclosure-requests'],
          summary: '办理操作（确认收到、补正告知、征求意见、延期、答复、送达等），须带 version',
          params: { type: 'object', required: ['id', 'kind'], properties: { id: { type: 'string', format: 'uuid' }, kind: { type: 'string', enum: [...STAFF_ACTIONS] } } },
          body: { ...actionBody, required: ['version'], additionalProperties: false },
          response: { 200: requestJson },
        },
      },
      async (request) => {
        const kind = request.params.kind;
        if (!isStaffActionKind(kind)) throw notFound();
        const actor = request.actor;
        const action = parseStaffAction(kind, request.body, actor.kind === 'staff' ? actor.displayName : '', today());
        const r = unwrap(await transactor.run(request.ctx, (uow) => actOnRequest(deps, uow, request.params.id, request.body.version ?? 0, action)));
        return present(actor, r, true);
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/disclosure-requests/:id/events',
      { config: { access: { permission: PERMISSIONS.read } }, schema: { tags: ['disclosure-requests'], summary: '办理过程', params: idParams } },
      async (request) => {
        const r = await staffRequest(request.actor, request.params.id);
        const events: RequestEvent[] = await deps.requests.events(r.id, { publicOnly: false });
        return { items: events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, text: e.text, actorName: e.actorName, public: e.public })) };
      },
    );
  };
}
