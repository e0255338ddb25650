import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { systemContext, type Actor } from '../../../platform/auth/actor.ts';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import type { FormValues } from '../../../platform/forms/index.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { deleteDraft } from '../commands/delete-draft.ts';
import { purgeDrafts } from '../commands/purge-drafts.ts';
import { DRAFT_PURGE_QUEUE, draftFormValues, saveDraft } from '../commands/save-draft.ts';
import { DraftRepository, type DraftRow } from '../draft.repository.ts';
import type { ApplicationItem } from '../ports.ts';
import { withLocked, type LockedField } from '../prefill.ts';
import { prefillFor, type Applicant } from './application-start.ts';
import type { CaseService } from '../service.ts';
import { applyPage } from '../views/citizen-pages.ts';
import { myDraftsPage } from '../views/draft-pages.ts';
import { APPLICANTS, send } from './citizen-routes.ts';
import { formInput, readApplicationParts } from './multipart.ts';

const PAGE_SIZE = 20;
const tags = ['cases'];
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const itemParams = { type: 'object', required: ['itemId'], properties: { itemId: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const csrfQuery = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;
const materialChoice = { type: 'object', required: ['code', 'attachmentId'], additionalProperties: false, properties: { code: { type: 'string', maxLength: 50 }, attachmentId: { type: 'string', format: 'uuid' } } } as const;
const draftSummary = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    itemId: { type: 'string' },
    itemName: { type: 'string' },
    version: { type: 'integer', description: '再次保存或删除时回传（乐观锁）' },
    savedAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;
const draftFull = {
  type: 'object',
  properties: {
    ...draftSummary.properties,
    values: { type: 'object', additionalProperties: true, description: '已填写的表单内容（本人可见的完整值）' },
    materials: { type: 'array', items: materialChoice },
  },
} as const;
const problem = { type: 'object', description: 'RFC 9457 problem+json', additionalProperties: true } as const;

function applicantOf(actor: Actor): Applicant {
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
  return actor;
}

function summary(d: DraftRow) {
  return { id: d.id, itemId: d.item_id, itemName: d.item_name, version: d.version, savedAt: d.updated_at.toISOString(), createdAt: d.created_at.toISOString() };
}

/** Locked fields are not stored in a draft: they come from the account every time. */
function withoutLocked(values: Record<string, unknown>, locked: Record<string, LockedField>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !locked[k]));
}

function versionOf(v: unknown): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/**
 * 申请草稿 (issue 3): 保存草稿 from the application page, 我的草稿 under 我的空间, and the API
 * beside them; the 90-day retention purge as a platform job.
 */
export function draftRoutes(platform: Platform, service: CaseService) {
  const drafts = new DraftRepository(platform.db);
  if (!platform.jobs.registeredQueues.includes(DRAFT_PURGE_QUEUE)) {
    platform.jobs.register(DRAFT_PURGE_QUEUE, async () => {
      await purgeDrafts(drafts, platform.transactor, new Date());
    });
  }

  async function save(ctx: Parameters<CaseService['run']>[0], item: ApplicationItem, version: number | null, values: Record<string, unknown>, materials: { code: string; attachmentId: string }[]) {
    // the item was read before the transaction (one connection in the embedded database)
    return service.run(ctx, (uow) => saveDraft(service.deps, uow, item, { itemId: item.id, version, values, materials }));
  }

  async function itemFor(itemId: string): Promise<ApplicationItem> {
    const found = await service.deps.items.itemForApplication(itemId);
    if (!found.ok) throw new AppError('ZW_ERR_NOT_FOUND', found.message);
    return found.item;
  }

  async function ownDraft(actor: Applicant, id: string): Promise<DraftRow> {
    const d = await drafts.get(id);
    if (!d || d.applicant_account_id !== actor.accountId) throw new AppError('ZW_ERR_NOT_FOUND', '草稿不存在或已删除');
    return d;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    if (platform.config.env !== 'test') {
      // Once a day (and at start): one purge job per day, deduplicated across processes.
      const enqueue = () =>
        platform.transactor
          .run(systemContext('cases.draft-purge'), (uow) => uow.enqueue({ queue: DRAFT_PURGE_QUEUE, dedupeKey: `${DRAFT_PURGE_QUEUE}:${new Date().toISOString().slice(0, 10)}` }))
          .catch((e: unknown) => platform.logger.error({ err: e }, 'cases draft purge enqueue failed'));
      const timer = setInterval(() => void enqueue(), 6 * 3_600_000);
      timer.unref();
      app.addHook('onReady', async () => void enqueue());
      app.addHook('onClose', async () => clearInterval(timer));
    }

    // ---- 保存草稿: the application form posted to this action (formaction of the second button) ----
    app.post<{ Params: { itemId: string } }>(
      '/services/:itemId/draft',
      { config: { access: APPLICANTS }, schema: { hide: true, params: itemParams, querystring: csrfQuery } },
      async (request, reply) => {
        const actor = applicantOf(request.actor);
        const item = await itemFor(request.params.itemId);
        if (!request.isMultipart()) throw new AppError('ZW_ERR_UNSUPPORTED_MEDIA', '请通过申请页面保存草稿（multipart/form-data）');
        const parsed = await readApplicationParts(request, service, item.materials);
        const pre = await prefillFor(service, actor, item);
        const entered = formInput(parsed.fields, item.form.fields);
        const version = versionOf(parsed.fields.draftVersion);
        const token = typeof parsed.fields.token === 'string' ? parsed.fields.token : crypto.randomUUID();
        const again = async (errors: FieldError[], status: number) => {
          const library = await service.deps.cases.library(actor.accountId);
          const current = await drafts.forItem(actor.accountId, item.id);
          return send(
            reply,
            applyPage(request.page, {
              item,
              values: withLocked(entered, pre.locked) as FormValues,
              errors,
              library,
              chosen: parsed.chosen,
              token,
              locked: pre.locked,
              // after a conflict the page carries the latest version: saving again is then a deliberate overwrite
              draft: current ? { version: current.version, savedAt: current.updated_at } : null,
            }),
            status,
          );
        };
        if (parsed.errors.length > 0) return again(parsed.errors, 400);
        const materials = Object.entries(parsed.chosen).map(([code, attachmentId]) => ({ code, attachmentId }));
        const r = await save(request.ctx, item, version, withoutLocked(entered, pre.locked), materials);
        if (!r.ok) {
          if (r.reason === 'invalid') return again(r.fields ?? [{ field: 'item', message: r.message }], 400);
          if (r.reason === 'conflict') return again([{ field: 'item', message: r.message }], 409);
          throw refusalError(r);
        }
        setFlash(reply, `草稿已保存：${item.name}。可在“我的草稿”中继续填写`);
        return reply.redirect('/account/drafts', 303);
      },
    );

    // ---- 我的草稿 ----
    app.get<{ Querystring: { page: number } }>(
      '/account/drafts',
      { config: { access: APPLICANTS }, schema: { hide: true, querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } } },
      async (request, reply) => {
        const actor = applicantOf(request.actor);
        const { page } = request.query;
        const { rows, total } = await drafts.listFor(actor.accountId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return send(reply, myDraftsPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
      },
    );
    app.post<{ Params: { id: string }; Body: { version?: string } }>(
      '/account/drafts/:id/delete',
      { config: { access: APPLICANTS }, schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: { type: 'string', maxLength: 12 } } } } },
      async (request, reply) => {
        applicantOf(request.actor);
        const r = await service.run(request.ctx, (uow) => deleteDraft(service.deps, uow, { id: request.params.id, version: versionOf(request.body.version) }));
        if (!r.ok) throw refusalError(r);
        setFlash(reply, '草稿已删除');
        return reply.redirect('/account/drafts', 303);
      },
    );

    // ---- API ----
    app.put<{ Params: { itemId: string }; Body: { version?: number | null; values: Record<string, unknown>; materials: { code: string; attachmentId: string }[] } }>(
      '/api/items/:itemId/draft',
      {
        config: { access: APPLICANTS },
        schema: {
          tags,
          summary: '保存申请草稿（不校验必填项；同一事项一份草稿，再次保存须回传 version）',
          params: itemParams,
          body: {
            type: 'object',
            required: ['values'],
            additionalProperties: false,
            properties: {
              version: { type: ['integer', 'null'], minimum: 1, description: '上次保存得到的版本号；首次保存不填' },
              values: { type: 'object', additionalProperties: true, maxProperties: 200 },
              materials: { type: 'array', maxItems: 50, items: materialChoice, default: [] },
            },
          },
          response: { 200: draftSummary, 201: draftSummary, 400: problem, 404: problem, 409: problem },
        },
      },
      async (request, reply) => {
        const actor = applicantOf(request.actor);
        const item = await itemFor(request.params.itemId);
        const pre = await prefillFor(service, actor, item);
        const r = await save(request.ctx, item, request.body.version ?? null, withoutLocked(request.body.values, pre.locked), request.body.materials);
        if (!r.ok) throw refusalError(r);
        return reply.status(r.value.created ? 201 : 200).send(summary(r.value.draft));
      },
    );
    app.get<{ Querystring: { page: number } }>(
      '/api/drafts',
      {
        config: { access: APPLICANTS },
        schema: {
          tags,
          summary: '我的草稿',
          querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } },
          response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: draftSummary } } } },
        },
      },
      async (request) => {
        const actor = applicantOf(request.actor);
        const { page } = request.query;
        const { rows, total } = await drafts.listFor(actor.accountId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(summary) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/drafts/:id',
      { config: { access: APPLICANTS }, schema: { tags, summary: '草稿内容（本人）', params: idParams, response: { 200: draftFull, 404: problem } } },
      async (request, reply) => {
        const d = await ownDraft(applicantOf(request.actor), request.params.id);
        reply.header('cache-control', 'no-store');
        return { ...summary(d), values: draftFormValues(service.deps, d), materials: d.materials };
      },
    );
    app.delete<{ Params: { id: string }; Querystring: { version?: number } }>(
      '/api/drafts/:id',
      {
        config: { access: APPLICANTS },
        schema: {
          tags,
          summary: '删除草稿（可带 version：草稿已被再次保存时返回 409）',
          params: idParams,
          querystring: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } } },
          response: { 204: { type: 'null' }, 404: problem, 409: problem },
        },
      },
      async (request, reply) => {
        applicantOf(request.actor);
        const r = await service.run(request.ctx, (uow) => deleteDraft(service.deps, uow, { id: request.params.id, version: request.query.version ?? null }));
        if (!r.ok) throw refusalError(r);
        return reply.status(204).send();
      },
    );
  };
}
