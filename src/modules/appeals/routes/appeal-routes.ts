import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AttachmentKind } from '../../../platform/attachments/media-type.ts';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { AppealInput } from '../commands/validate-appeal.ts';
import { presentTicketForPublic, presentTicketForReporter } from '../presenters.ts';
import type { AppealsService } from '../service.ts';
import { appealFormPage, kbPublicPage, myAppealsPage, publicDetailPage, publicListPage, trackLookupPage, trackPage } from '../views/appeal-pages.ts';
import type { DivisionOption } from '../views/shared.ts';
import { staffRoutes } from './staff-routes.ts';

export const PAGE_SIZE = 20;
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const PHOTO_KINDS: AttachmentKind[] = ['jpeg', 'png', 'webp', 'gif', 'pdf'];

export interface RouteDeps {
  service: AppealsService;
  divisionOptions: () => Promise<DivisionOption[]>;
  /** Organisations a centre may dispatch to: those in its division's subtree. */
  orgChoices: (divisionCode: string) => Promise<{ id: string; name: string }[]>;
}

export const appealJsonBody = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise', 'petition'] },
    title: { type: 'string', maxLength: 2000 },
    description: { type: 'string', maxLength: 100000 },
    categoryCode: { type: 'string', maxLength: 20 },
    divisionCode: { type: 'string', maxLength: 20 },
    address: { type: 'string', maxLength: 2000 },
    lon: { type: 'number' },
    lat: { type: 'number' },
    contactName: { type: 'string', maxLength: 200 },
    contactPhone: { type: 'string', maxLength: 40 },
    consentPublish: { type: 'boolean' },
    anonymous: { type: 'boolean' },
    attachmentIds: { type: 'array', maxItems: 20, items: { type: 'string', format: 'uuid' } },
  },
  required: ['type', 'title', 'description', 'divisionCode'],
  additionalProperties: false,
} as const;

const receiptJson = {
  type: 'object',
  properties: { id: { type: 'string' }, number: { type: 'string' }, queryCode: { type: 'string' }, state: { type: 'string' }, status: { type: 'string' }, replayed: { type: 'boolean' }, reply: { type: ['string', 'null'] } },
} as const;

export const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

/** Reads a multipart appeal form: fields, and each photo stored through platform.attachments. */
async function readMultipart(request: FastifyRequest, platform: Platform): Promise<{ fields: Record<string, string>; attachmentIds: string[]; errors: FieldError[] }> {
  const fields: Record<string, string> = {};
  const attachmentIds: string[] = [];
  const errors: FieldError[] = [];
  for await (const part of request.parts({ limits: { fileSize: platform.attachments.maxBytes + 1, files: 5 } })) {
    if (part.type === 'file') {
      if (!part.filename) {
        part.file.resume();
        continue;
      }
      const r = await platform.attachments.put(part.file, { originalName: part.filename, claimedType: part.mimetype, ctx: request.ctx, allow: PHOTO_KINDS });
      if (r.ok) attachmentIds.push(r.value.id);
      else errors.push({ field: 'photo', message: `“${part.filename}”：${r.message}（只接受图片或 PDF）` });
    } else if (typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, attachmentIds, errors };
}

export function appealRoutes(platform: Platform, deps: RouteDeps) {
  const { service } = deps;
  return async function routes(app: FastifyInstance): Promise<void> {
    const formPage = async (request: FastifyRequest, values: Record<string, unknown>, errors: FieldError[], idempotencyKey?: string) =>
      appealFormPage(request.page, {
        values,
        errors,
        categories: await service.deps.tickets.categories(),
        divisions: await deps.divisionOptions(),
        idempotencyKey: idempotencyKey ?? crypto.randomUUID(),
        canAttach: request.actor.kind === 'citizen' || request.actor.kind === 'enterprise',
      });

    // ---- citizens: one form ----
    app.get('/appeals/new', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => send(reply, await formPage(request, {}, [])));

    app.post('/appeals/new', { config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { hide: true } }, async (request, reply) => {
      let fields: Record<string, unknown>;
      let uploadErrors: FieldError[] = [];
      let attachmentIds: string[] = [];
      if (request.isMultipart()) {
        if (request.actor.kind !== 'citizen' && request.actor.kind !== 'enterprise') throw new AppError('ZW_ERR_UNAUTHENTICATED', '上传附件前请先登录');
        const m = await readMultipart(request, platform);
        fields = m.fields;
        uploadErrors = m.errors;
        attachmentIds = m.attachmentIds;
      } else {
        fields = (request.body ?? {}) as Record<string, unknown>;
      }
      const key = typeof fields.idempotencyKey === 'string' ? fields.idempotencyKey : undefined;
      if (uploadErrors.length > 0) return send(reply, await formPage(request, fields, uploadErrors, key), 400);
      const result = await service.submit(request.ctx, { ...(fields as AppealInput), attachmentIds }, 'web');
      if (!result.ok) {
        if (result.reason === 'invalid') return send(reply, await formPage(request, fields, result.fields ?? [], key), 400);
        throw refusalOf(result);
      }
      const tk = result.value.ticket;
      return reply.redirect(`/appeals/track?number=${tk.number}&code=${tk.queryCode}&new=1`, 303);
    });

    app.get<{ Querystring: { number?: string; code?: string; new?: string } }>(
      '/appeals/track',
      { config: { access: { public: true } }, schema: { hide: true, querystring: { type: 'object', properties: { number: { type: 'string', maxLength: 40 }, code: { type: 'string', maxLength: 20 }, new: { type: 'string', maxLength: 2 } } } } },
      async (request, reply) => {
        const { number, code } = request.query;
        if (!number || !code) return send(reply, trackLookupPage(request.page, { ...(number ? { number } : {}) }));
        const tk = await service.track(number, code);
        if (!tk) return send(reply, trackLookupPage(request.page, { number, code, notFound: true }), 404);
        return send(reply, trackPage(request.page, tk, await service.deps.tickets.events(tk.id, { publicOnly: true }), { justSubmitted: request.query.new === '1' }));
      },
    );

    // 回访评价 by the citizen (authorised by the query code): unsatisfied → handled again.
    app.post<{ Params: { number: string }; Body: { code?: string; version?: string; satisfaction?: string; note?: string } }>(
      '/appeals/track/:number/rate',
      {
        config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { hide: true, params: { type: 'object', properties: { number: { type: 'string', maxLength: 40 } } }, body: { type: 'object', properties: { _csrf: { type: 'string' }, code: { type: 'string', maxLength: 20 }, version: { type: 'string', maxLength: 10 }, satisfaction: { type: 'string', maxLength: 20 }, note: { type: 'string', maxLength: 2000 } } } },
      },
      async (request, reply) => {
        const tk = await service.track(request.params.number, request.body.code ?? '');
        if (!tk) throw new AppError('ZW_ERR_NOT_FOUND', '工单编号或查询码不正确');
        const r = await service.act(request.ctx, tk.id, 'callback', { version: request.body.version, satisfaction: request.body.satisfaction, note: request.body.note, rehandle: request.body.satisfaction === 'unsatisfied' }, { asCitizen: true });
        if (!r.ok) {
          if (r.reason === 'invalid') return send(reply, trackPage(request.page, tk, await service.deps.tickets.events(tk.id, { publicOnly: true }), { errors: r.fields ?? [] }), 400);
          throw refusalOf(r);
        }
        setFlash(reply, '感谢您的评价');
        return reply.redirect(`/appeals/track?number=${tk.number}&code=${tk.queryCode}`, 303);
      },
    );

    // 信访: the petitioner asks for a review (复查) or re-review (复核) of the written opinion.
    app.post<{ Params: { number: string; kind: 'review' | 'recheck' }; Body: { code?: string; version?: string; note?: string } }>(
      '/appeals/track/:number/:kind',
      {
        config: { access: { public: true }, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { hide: true, params: { type: 'object', properties: { number: { type: 'string', maxLength: 40 }, kind: { type: 'string', enum: ['review', 'recheck'] } } }, body: { type: 'object', properties: { _csrf: { type: 'string' }, code: { type: 'string', maxLength: 20 }, version: { type: 'string', maxLength: 10 }, note: { type: 'string', maxLength: 2000 } } } },
      },
      async (request, reply) => {
        const tk = await service.track(request.params.number, request.body.code ?? '');
        if (!tk || tk.track !== 'petition') throw new AppError('ZW_ERR_NOT_FOUND', '工单编号或查询码不正确');
        const event = request.params.kind === 'review' ? 'request_review' : 'request_recheck';
        const r = await service.act(request.ctx, tk.id, event, { version: request.body.version, note: request.body.note }, { asCitizen: true });
        if (!r.ok) throw refusalOf(r);
        setFlash(reply, request.params.kind === 'review' ? '复查申请已提交' : '复核申请已提交');
        return reply.redirect(`/appeals/track?number=${tk.number}&code=${tk.queryCode}`, 303);
      },
    );

    app.get<{ Querystring: { page: number } }>('/appeals/mine', { config: { access: { signedIn: ['citizen', 'enterprise'] } }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const actor = request.actor;
      const accountId = actor.kind === 'citizen' || actor.kind === 'enterprise' ? actor.accountId : '';
      const { rows, total } = await service.deps.tickets.listByReporter(accountId, { limit: PAGE_SIZE, offset: (request.query.page - 1) * PAGE_SIZE });
      return send(reply, myAppealsPage(request.page, rows, { page: request.query.page, pageSize: PAGE_SIZE, total }));
    });

    app.get<{ Querystring: { page: number } }>('/appeals/public', { config: { access: { public: true } }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const { rows, total } = await service.listPublic({ limit: PAGE_SIZE, offset: (request.query.page - 1) * PAGE_SIZE });
      return send(reply, publicListPage(request.page, rows, { page: request.query.page, pageSize: PAGE_SIZE, total }));
    });
    app.get<{ Params: { id: string } }>('/appeals/public/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const tk = await service.deps.tickets.getById(request.params.id);
      if (!tk || !tk.consentPublish || tk.anonymous || !['CLOSED', 'FINAL'].includes(tk.state) || !tk.finalReply || tk.track !== 'hotline') throw new AppError('ZW_ERR_NOT_FOUND', '该来信不存在或未公开');
      return send(reply, publicDetailPage(request.page, tk));
    });
    app.get<{ Params: { id: string } }>('/appeals/kb/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const e = await service.deps.kb.get(request.params.id);
      if (!e || !e.published) throw new AppError('ZW_ERR_NOT_FOUND', '该知识条目不存在或未发布');
      return send(reply, kbPublicPage(request.page, e));
    });

    // ---- public JSON API ----
    app.post<{ Body: AppealInput; Headers: { 'idempotency-key'?: string } }>(
      '/api/appeals',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['appeals'],
          summary: '提交诉求（一表式，匿名或登录）',
          description: '重试时带同一个 Idempotency-Key 头，不会重复登记。',
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 100 } } },
          body: appealJsonBody,
          response: { 201: receiptJson, 200: receiptJson },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const r = await service.submit(request.ctx, { ...request.body, ...(key ? { idempotencyKey: key } : {}) }, 'api');
        if (!r.ok) throw refusalOf(r);
        const tk = r.value.ticket;
        return reply.status(r.value.replayed ? 200 : 201).send({ id: tk.id, number: tk.number, queryCode: tk.queryCode, state: tk.state, status: service.publicStatus(tk.state), replayed: r.value.replayed, reply: tk.finalReply });
      },
    );
    app.get<{ Querystring: { number: string; code: string } }>(
      '/api/appeals/track',
      {
        config: { access: { public: true } },
        schema: { tags: ['appeals'], summary: '凭编号和查询码查询诉求进度', querystring: { type: 'object', required: ['number', 'code'], properties: { number: { type: 'string', maxLength: 40 }, code: { type: 'string', maxLength: 20 } } } },
      },
      async (request) => {
        const tk = await service.track(request.query.number, request.query.code);
        if (!tk) throw new AppError('ZW_ERR_NOT_FOUND', '工单编号或查询码不正确');
        return presentTicketForReporter(tk, await service.deps.tickets.events(tk.id, { publicOnly: true }));
      },
    );
    app.get<{ Querystring: { page: number } }>(
      '/api/appeals/public',
      { config: { access: { public: true } }, schema: { tags: ['appeals'], summary: '公开的来信及答复', querystring: pageQuery } },
      async (request) => {
        const { rows, total } = await service.listPublic({ limit: PAGE_SIZE, offset: (request.query.page - 1) * PAGE_SIZE });
        return { total, page: request.query.page, pageSize: PAGE_SIZE, items: rows.map(presentTicketForPublic) };
      },
    );

    await staffRoutes(app, platform, deps);
  };
}

export function refusalOf(r: { reason: string; message: string; fields?: FieldError[] }): AppError {
  // A step the ticket's state no longer allows (someone acted first, or it is closed): a 409 with the reason.
  if (r.reason === 'state') return new AppError('ZW_ERR_CONFLICT', r.message);
  if (r.reason === 'idempotency_mismatch') return new AppError('ZW_ERR_IDEMPOTENCY_MISMATCH', r.message);
  return refusalError(r);
}

