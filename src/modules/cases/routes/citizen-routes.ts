import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import type { FormValues } from '../../../platform/forms/index.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { sendAttachment } from '../../../platform/attachments/routes.ts';
import type { Platform } from '../../../platform/platform.ts';
import { renderPdf } from '../../../platform/pdf/index.ts';
import type { SafeHtml } from '../../../platform/views/html.ts';
import type { CaseRecord } from '../case.repository.ts';
import { caseDocument } from '../documents.ts';
import { isApplicant } from '../policies.ts';
import { presentAnnouncement } from '../presenters.ts';
import type { CaseService } from '../service.ts';
import { announcementsPage, applyPage, libraryPage, myCaseDetail, myCasesPage, progressPage, receiptPage } from '../views/citizen-pages.ts';
import { formInput, readApplicationParts } from './multipart.ts';
import { applicationStart, prefillFor } from './application-start.ts';
import { withLocked } from '../prefill.ts';
import { DraftRepository } from '../draft.repository.ts';
import { BundleRepository } from '../bundle.repository.ts';
import { myBundlesSection } from '../views/life-event-pages.ts';

export const APPLICANTS = { signedIn: ['citizen', 'enterprise'] as ('citizen' | 'enterprise')[] };
const PAGE_SIZE = 20;
/** 进度查询 is anonymous: rate-limited per client so the 6-digit password cannot be guessed online. */
export const PROGRESS_RATE_LIMIT = { max: 10, timeWindow: '1 minute' };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const itemParams = { type: 'object', required: ['itemId'], properties: { itemId: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const csrfQuery = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;
const versionBody = (extra: Record<string, unknown> = {}) =>
  ({ type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: { type: 'integer', minimum: 1 }, ...extra } }) as const;

export function send(reply: FastifyReply, markup: SafeHtml, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(markup.value);
}

export async function ownCase(service: CaseService, request: FastifyRequest, id: string): Promise<CaseRecord> {
  const c = await service.deps.cases.getById(id);
  if (!c || !isApplicant(request.actor, c)) throw new AppError('ZW_ERR_NOT_FOUND', '办件不存在');
  return c;
}

export function queryPasswordOf(service: CaseService, c: CaseRecord): string | null {
  return c.query_password_enc ? service.deps.cipher.decrypt(c.query_password_enc, 'cases.query-password') : null;
}

export function citizenRoutes(platform: Platform, service: CaseService) {
  const { cases } = service.deps;

  async function showDetail(request: FastifyRequest, reply: FastifyReply, c: CaseRecord, errors: FieldError[] = [], status = 200) {
    const [events, materials, rating, library, item] = await Promise.all([
      cases.events(c.id),
      cases.materials(c.id),
      cases.rating(c.id),
      request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' ? cases.library(request.actor.accountId) : Promise.resolve([]),
      service.deps.items.itemForApplication(c.item_id),
    ]);
    return send(reply, myCaseDetail(request.page, { record: c, events, materials, rating, item: item.ok ? item.item : null, library, errors, queryPassword: queryPasswordOf(service, c) }), status);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- online application ----
    app.get<{ Params: { itemId: string } }>('/services/:itemId/apply', { config: { access: APPLICANTS }, schema: { hide: true, params: itemParams } }, async (request, reply) => {
      const found = await service.deps.items.itemForApplication(request.params.itemId);
      if (!found.ok) throw new AppError('ZW_ERR_NOT_FOUND', found.message);
      const actor = request.actor;
      if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
      // issue 3: prefilled from the applicant's profile, then their draft for this item (if any)
      const start = await applicationStart(service, actor, found.item);
      const library = await cases.library(actor.accountId);
      return send(reply, applyPage(request.page, { item: found.item, values: start.values, errors: [], library, chosen: start.chosen, token: crypto.randomUUID(), locked: start.locked, draft: start.draft }));
    });

    app.post<{ Params: { itemId: string } }>(
      '/services/:itemId/apply',
      { config: { access: APPLICANTS }, schema: { hide: true, params: itemParams, querystring: csrfQuery } },
      async (request, reply) => {
        const found = await service.deps.items.itemForApplication(request.params.itemId);
        if (!found.ok) throw new AppError('ZW_ERR_NOT_FOUND', found.message);
        const item = found.item;
        if (!request.isMultipart()) throw new AppError('ZW_ERR_UNSUPPORTED_MEDIA', '请通过申请页面提交（multipart/form-data）');
        const parsed = await readApplicationParts(request, service, item.materials);
        const token = typeof parsed.fields.token === 'string' ? parsed.fields.token : null;
        // real-name-verified fields are not inputs: the account's values are used whatever was posted (issue 3)
        const pre = request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' ? await prefillFor(service, request.actor, item) : null;
        const locked = pre?.locked ?? {};
        const values = withLocked(formInput(parsed.fields, item.form.fields), locked);
        const library = request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' ? await cases.library(request.actor.accountId) : [];
        const again = async (errors: FieldError[]) => {
          const draft = request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' ? await new DraftRepository(cases.db).forItem(request.actor.accountId, item.id) : null;
          return send(
            reply,
            applyPage(request.page, { item, values: values as FormValues, errors, library, chosen: parsed.chosen, token: token ?? crypto.randomUUID(), locked, draft: draft ? { version: draft.version, savedAt: draft.updated_at } : null }),
            400,
          );
        };
        if (parsed.errors.length > 0) return again(parsed.errors);
        const r = await service.submit(request.ctx, { itemId: item.id, idempotencyKey: token, values, materials: Object.entries(parsed.chosen).map(([code, attachmentId]) => ({ code, attachmentId })) }, { item: found, ...(pre?.deliveryMobile !== undefined ? { deliveryMobile: pre.deliveryMobile } : {}) });
        if (!r.ok) {
          if (r.reason === 'invalid') return again(r.fields ?? [{ field: 'item', message: r.message }]);
          throw refusalError(r);
        }
        return reply.redirect(`/account/cases/${r.value.record.id}/receipt`, 303);
      },
    );

    app.get<{ Params: { id: string } }>('/account/cases/:id/receipt', { config: { access: APPLICANTS }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const c = await ownCase(service, request, request.params.id);
      return send(reply, receiptPage(request.page, { record: c, password: queryPasswordOf(service, c) ?? '', materials: await cases.materials(c.id) }));
    });

    const pdf = (path: string, kind: 'receipt' | 'decision') =>
      app.get<{ Params: { id: string } }>(path, { config: { access: APPLICANTS }, schema: { hide: true, params: idParams } }, async (request, reply) => {
        const c = await ownCase(service, request, request.params.id);
        if (kind === 'decision' && (!c.decided_at || c.state === 'APPROVED' || c.state === 'REFUSED')) throw new AppError('ZW_ERR_NOT_FOUND', '决定书尚未制作');
        const buffer = await renderPdf(caseDocument(kind, c, await cases.materials(c.id)));
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${c.case_no ?? 'case'}-${kind}.pdf"`)
          .send(buffer);
      });
    pdf('/account/cases/:id/receipt.pdf', 'receipt');
    pdf('/account/cases/:id/decision.pdf', 'decision');

    // ---- my cases ----
    app.get<{ Querystring: { page: number } }>('/account/cases', { config: { access: APPLICANTS }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const actor = request.actor;
      if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
      const { page } = request.query;
      const { rows, total } = await cases.listForApplicant(actor.accountId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      const bundles = page === 1 ? await new BundleRepository(cases.db).listForApplicant(actor.accountId, { limit: 10, offset: 0 }) : { rows: [], total: 0 }; // 一件事 groups
      return send(reply, myCasesPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }, myBundlesSection(request.page, bundles.rows, bundles.total)));
    });
    app.get<{ Params: { id: string } }>('/account/cases/:id', { config: { access: APPLICANTS }, schema: { hide: true, params: idParams } }, async (request, reply) =>
      showDetail(request, reply, await ownCase(service, request, request.params.id)),
    );
    app.get<{ Params: { id: string; mid: string } }>(
      '/account/cases/:id/materials/:mid',
      { config: { access: APPLICANTS }, schema: { hide: true, params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, mid: { type: 'string', format: 'uuid' } } } } },
      async (request, reply) => {
        const c = await ownCase(service, request, request.params.id);
        const m = (await cases.materials(c.id)).find((x) => x.id === request.params.mid);
        const opened = m ? await platform.attachments.open(m.attachment_id) : null;
        if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '材料不存在');
        return sendAttachment(reply, opened.meta, opened.stream);
      },
    );
    app.get('/account/materials', { config: { access: APPLICANTS }, schema: { hide: true } }, async (request, reply) => {
      const actor = request.actor;
      if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
      return send(reply, libraryPage(request.page, await cases.library(actor.accountId)));
    });

    app.post<{ Params: { id: string } }>(
      '/account/cases/:id/supplement',
      { config: { access: APPLICANTS }, schema: { hide: true, params: idParams, querystring: csrfQuery } },
      async (request, reply) => {
        const c = await ownCase(service, request, request.params.id);
        const found = await service.deps.items.itemForApplication(c.item_id);
        const materials = found.ok ? found.item.materials : [];
        if (!request.isMultipart()) throw new AppError('ZW_ERR_UNSUPPORTED_MEDIA', '请通过办件页面提交补正材料');
        const parsed = await readApplicationParts(request, service, materials);
        if (parsed.errors.length > 0) return showDetail(request, reply, c, parsed.errors, 400);
        const version = Number(parsed.fields.version ?? 0);
        const note = typeof parsed.fields.note === 'string' ? parsed.fields.note : '';
        const r = await service.supplement(request.ctx, { caseId: c.id, version, materials: Object.entries(parsed.chosen).map(([code, attachmentId]) => ({ code, attachmentId })), note });
        if (!r.ok) {
          if (r.reason === 'invalid') return showDetail(request, reply, c, r.fields ?? [], 400);
          throw refusalError(r);
        }
        setFlash(reply, '补正材料已提交');
        return reply.redirect(`/account/cases/${c.id}`, 303);
      },
    );

    app.post<{ Params: { id: string }; Body: { version?: number; reason?: string } }>(
      '/account/cases/:id/withdraw',
      { config: { access: APPLICANTS }, schema: { hide: true, params: idParams, body: versionBody({ reason: { type: 'string', maxLength: 200 } }) } },
      async (request, reply) => {
        const c = await ownCase(service, request, request.params.id);
        const r = await service.act(request.ctx, c.id, request.body.version ?? 0, { action: 'withdraw', ...(request.body.reason ? { reason: request.body.reason } : {}) });
        if (!r.ok) throw refusalError(r);
        setFlash(reply, '申请已撤回');
        return reply.redirect(`/account/cases/${c.id}`, 303);
      },
    );

    app.post<{ Params: { id: string }; Body: { score?: string; reasons?: string | string[]; comment?: string } }>(
      '/account/cases/:id/rate',
      {
        config: { access: APPLICANTS },
        schema: {
          hide: true,
          params: idParams,
          body: { type: 'object', properties: { _csrf: { type: 'string' }, score: { type: 'string', maxLength: 1 }, reasons: { anyOf: [{ type: 'string', maxLength: 50 }, { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 50 } }] }, comment: { type: 'string', maxLength: 2000 } } },
        },
      },
      async (request, reply) => {
        const c = await ownCase(service, request, request.params.id);
        const reasons = request.body.reasons === undefined ? [] : Array.isArray(request.body.reasons) ? request.body.reasons : [request.body.reasons];
        const r = await service.rate(request.ctx, { caseId: c.id, score: Number(request.body.score ?? 0), reasons, comment: request.body.comment ?? '' });
        if (!r.ok) {
          if (r.reason === 'invalid') return showDetail(request, reply, c, r.fields ?? [], 400);
          throw refusalError(r);
        }
        setFlash(reply, '感谢您的评价');
        return reply.redirect(`/account/cases/${c.id}`, 303);
      },
    );

    // ---- anonymous progress query (进度查询) ----
    app.get('/progress', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => send(reply, progressPage(request.page, { values: {}, errors: [] })));
    app.post<{ Body: { caseNo?: string; password?: string } }>(
      '/progress',
      {
        config: { access: { public: true }, rateLimit: PROGRESS_RATE_LIMIT },
        schema: { hide: true, body: { type: 'object', properties: { _csrf: { type: 'string' }, caseNo: { type: 'string', maxLength: 100 }, password: { type: 'string', maxLength: 100 } } } },
      },
      async (request, reply) => {
        const caseNo = (request.body.caseNo ?? '').trim();
        const r = await service.progress(caseNo, request.body.password ?? '');
        if (!r.ok) return send(reply, progressPage(request.page, { values: { caseNo }, errors: r.errors }), r.status);
        return send(reply, progressPage(request.page, { values: { caseNo }, errors: [], result: r.view }));
      },
    );

    // ---- 办件公示 ----
    app.get<{ Querystring: { page: number } }>('/case-results', { config: { access: { public: true } }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const { page } = request.query;
      const { rows, total } = await cases.listClosed({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, announcementsPage(request.page, rows.map(presentAnnouncement), { page, pageSize: PAGE_SIZE, total }));
    });
  };
}
