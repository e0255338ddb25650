import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/auth/actor.ts';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import type { FormValues } from '../../../platform/forms/index.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { BundleRow } from '../bundle.repository.ts';
import type { CaseRecord } from '../case.repository.ts';
import { audienceRefusal, bundleMaterials, materialKey, type BundleCase, type BundleMaterial } from '../commands/submit-life-event.ts';
import { bundleProgress, LifeEventApplications } from '../life-event-service.ts';
import type { ApplicationLifeEvent } from '../ports.ts';
import { withLocked } from '../prefill.ts';
import { caseJson, presentCase } from '../presenters.ts';
import type { CaseService } from '../service.ts';
import { bundleDetailPage, bundleReceiptPage, lifeEventApplyPage } from '../views/life-event-pages.ts';
import { APPLICANTS, send } from './citizen-routes.ts';
import { formInput, readApplicationParts } from './multipart.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const PAGE_SIZE = 20;
const csrfQuery = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;

const bundleJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    bundleNo: { type: 'string' },
    lifeEventId: { type: 'string' },
    lifeEventCode: { type: 'string' },
    lifeEventName: { type: 'string' },
    createdAt: { type: 'string' },
    progress: { type: 'object', properties: { total: { type: 'integer' }, finished: { type: 'integer' }, label: { type: 'string' } } },
    cases: { type: 'array', items: { type: 'object', properties: { ...caseJson.properties, queryPassword: { type: 'string' } } } },
  },
} as const;

const applicationBody = {
  type: 'object',
  required: ['values'],
  additionalProperties: false,
  properties: {
    values: { type: 'object', additionalProperties: true, description: '合并后表单的字段值（GET /api/life-events/{id} 的 form）' },
    materials: {
      type: 'array',
      maxItems: 100,
      default: [],
      description: '材料：按材料名称（各事项材料清单中的 name；几个事项共用的材料填一次）或 key 指定材料库中的文件',
      items: { type: 'object', required: ['attachmentId'], additionalProperties: false, properties: { name: { type: 'string', maxLength: 200 }, key: { type: 'string', maxLength: 20 }, attachmentId: { type: 'string', format: 'uuid' } } },
    },
  },
} as const;

interface ApplicationBody {
  values: Record<string, unknown>;
  materials: { name?: string; key?: string; attachmentId: string }[];
}

function presentBundle(bundle: BundleRow, cases: { record: CaseRecord; queryPassword?: string }[]) {
  return {
    id: bundle.id,
    bundleNo: bundle.bundle_no,
    lifeEventId: bundle.life_event_id,
    lifeEventCode: bundle.life_event_code,
    lifeEventName: bundle.life_event_name,
    createdAt: bundle.created_at.toISOString(),
    progress: bundleProgress(cases.map((c) => c.record)),
    cases: cases.map((c) => ({ ...presentCase(c.record), ...(c.queryPassword !== undefined ? { queryPassword: c.queryPassword } : {}) })),
  };
}

/** 一件事 pages (apply, receipt, progress) and the JSON API beside them; the same command behind both. */
export function lifeEventRoutes(platform: Platform, service: CaseService) {
  const apps = new LifeEventApplications(service);
  const { cases } = service.deps;

  async function available(id: string, actor: Actor): Promise<ApplicationLifeEvent> {
    const found = await apps.lookup(id);
    if (!found.ok) throw new AppError(found.reason === 'not_found' ? 'ZW_ERR_NOT_FOUND' : 'ZW_ERR_LIFE_EVENT_UNAVAILABLE', found.message);
    if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
    const wrong = audienceRefusal(found.lifeEvent, actor.kind);
    if (wrong) throw new AppError('ZW_ERR_FORBIDDEN', wrong);
    return found.lifeEvent;
  }

  async function owned(request: FastifyRequest, id: string) {
    const found = await apps.own(request.actor, id);
    if (!found) throw new AppError('ZW_ERR_NOT_FOUND', '该“一件事”申请不存在');
    return found;
  }

  const library = (actor: Actor) => (actor.kind === 'citizen' || actor.kind === 'enterprise' ? cases.library(actor.accountId) : Promise.resolve([]));

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { id: string } }>('/life-events/:id/apply', { config: { access: APPLICANTS }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const actor = request.actor;
      const le = await available(request.params.id, actor);
      // Prefilled from the applicant's profile like the single-item page; verified fields read-only. No draft here.
      const pre = await apps.prefill(actor, le);
      return send(reply, lifeEventApplyPage(request.page, { lifeEvent: le, materials: bundleMaterials(le.items), values: pre.values, locked: pre.locked, errors: [], library: await library(actor), chosen: {}, token: crypto.randomUUID() }));
    });

    app.post<{ Params: { id: string } }>('/life-events/:id/apply', { config: { access: APPLICANTS }, schema: { hide: true, params: idParams, querystring: csrfQuery } }, async (request, reply) => {
      const le = await available(request.params.id, request.actor);
      if (!request.isMultipart()) throw new AppError('ZW_ERR_UNSUPPORTED_MEDIA', '请通过申请页面提交（multipart/form-data）');
      const materials = bundleMaterials(le.items);
      // A bundle's union of materials and merged form can exceed the one-item limits (10 files, 50 fields): one file part and one pick field per material.
      const limits = { files: Math.max(1, materials.length), fields: 60 + materials.length + le.form.fields.length * 2, parts: 0 };
      limits.parts = limits.files + limits.fields;
      const parsed = await readApplicationParts(request, service, materials.map((m) => ({ code: m.key, name: m.name, required: m.required })), limits);
      const token = typeof parsed.fields.token === 'string' ? parsed.fields.token : null;
      const { locked } = await apps.prefill(request.actor, le);
      // Locked fields are not inputs on the page; a tampered post cannot change them (submit enforces it too).
      const values = withLocked(formInput(parsed.fields, le.form.fields), locked);
      const again = async (errors: FieldError[]) =>
        send(reply, lifeEventApplyPage(request.page, { lifeEvent: le, materials, values: values as FormValues, locked, errors, library: await library(request.actor), chosen: parsed.chosen, token: token ?? crypto.randomUUID() }), 400);
      if (parsed.errors.length > 0) return again(parsed.errors);
      const r = await apps.submit(request.ctx, { lifeEventId: le.id, idempotencyKey: token, values, materials: parsed.chosen });
      if (!r.ok) {
        if (r.reason === 'invalid') return again(r.fields ?? [{ field: 'lifeEvent', message: r.message }]);
        if (r.reason === 'unavailable') throw new AppError('ZW_ERR_LIFE_EVENT_UNAVAILABLE', r.message);
        throw refusalError(r);
      }
      return reply.redirect(`/account/life-events/${r.value.bundle.id}/receipt`, 303);
    });

    app.get<{ Params: { id: string } }>('/account/life-events/:id/receipt', { config: { access: APPLICANTS }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const { bundle } = await owned(request, request.params.id);
      const view = await apps.view(bundle, true);
      return send(reply, bundleReceiptPage(request.page, { bundle, cases: view.cases }));
    });

    app.get<{ Params: { id: string } }>('/account/life-events/:id', { config: { access: APPLICANTS }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const found = await owned(request, request.params.id);
      return send(reply, bundleDetailPage(request.page, found));
    });

    // ---- JSON API ----
    app.post<{ Params: { id: string }; Body: ApplicationBody }>(
      '/api/life-events/:id/applications',
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['cases'],
          summary: '“一件事”一次申请：一张合并表单和一套材料，分送各事项的部门，各生成一个办件（Idempotency-Key 请求头：重试返回同一申请）',
          params: idParams,
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 100 } } },
          body: applicationBody,
          response: { 201: bundleJson, 200: bundleJson },
        },
      },
      async (request, reply) => {
        const le = await available(request.params.id, request.actor);
        const materials = bundleMaterials(le.items);
        const chosen: Record<string, string> = {};
        const errors: FieldError[] = [];
        request.body.materials.forEach((m, i) => {
          const key = m.key ?? (m.name !== undefined ? materialKey(m.name.trim()) : '');
          if (!materials.some((x) => x.key === key)) errors.push({ field: `materials[${i}]`, message: m.name ? `“${m.name}”不在本“一件事”的材料清单中` : '请用 name（材料名称）或 key 指明材料' });
          else chosen[key] = m.attachmentId;
        });
        if (errors.length > 0) throw new AppError('ZW_ERR_VALIDATION', '申请材料有需要修改的地方', errors);
        const key = request.headers['idempotency-key'];
        const r = await apps.submit(request.ctx, { lifeEventId: le.id, idempotencyKey: typeof key === 'string' ? key : null, values: request.body.values, materials: chosen });
        if (!r.ok) {
          if (r.reason === 'unavailable') throw new AppError('ZW_ERR_LIFE_EVENT_UNAVAILABLE', r.message);
          throw refusalError({ ...r, fields: (r.fields ?? []).map((f) => apiField(f, materials)) });
        }
        return reply.status(r.value.replay ? 200 : 201).send(presentBundle(r.value.bundle, r.value.cases));
      },
    );

    app.get<{ Querystring: { page: number } }>(
      '/api/life-event-applications',
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['cases'],
          summary: '本人的“一件事”申请（最新在前），各含其办件',
          querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } },
          response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: bundleJson } } } },
        },
      },
      async (request) => {
        const actor = request.actor;
        if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') throw new AppError('ZW_ERR_FORBIDDEN');
        const { page } = request.query;
        const { rows, total } = await apps.bundles.listForApplicant(actor.accountId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map((b) => presentBundle(b, b.cases.map((record) => ({ record })))) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/life-event-applications/:id',
      { config: { access: APPLICANTS }, schema: { tags: ['cases'], summary: '“一件事”申请及其各办件的办理情况（仅申请人本人）', params: idParams, response: { 200: bundleJson } } },
      async (request) => {
        const { bundle, cases: rows } = await owned(request, request.params.id);
        return presentBundle(bundle, rows.map((record): Omit<BundleCase, 'queryPassword'> => ({ record })));
      },
    );
  };
}

/** Page field names → API names: material-<key> becomes materials.<材料名称>. */
function apiField(f: FieldError, materials: BundleMaterial[]): FieldError {
  if (!f.field.startsWith('material-')) return f;
  const m = materials.find((x) => `material-${x.key}` === f.field);
  return m ? { field: `materials.${m.name}`, message: f.message } : f;
}
