import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, unwrap, type FieldError } from '../../../platform/errors.ts';
import { formToJsonSchema } from '../../../platform/forms/json-schema.ts';
import { validateFormDefinition, type FormDefinition } from '../../../platform/forms/definition.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { SafeHtml } from '../../../platform/views/html.ts';
import type { CatalogRepository, ItemRow, VersionRow } from '../catalog.repository.ts';
import { changeItem, type ItemChange } from '../commands/change-item.ts';
import { createItem } from '../commands/create-item.ts';
import type { CatalogDeps } from '../commands/deps.ts';
import { saveDraft } from '../commands/save-draft.ts';
import { elementsFromForm, pageFieldOf, parseElements } from '../elements-input.ts';
import { allowedCatalogActions, CATALOG_EDIT, inCatalogScope } from '../policies.ts';
import { checkQuality } from '../quality-rules.ts';
import { createCatalogService, presentForApplication } from '../service.ts';
import { emptyElements, type ItemStatus } from '../types.ts';
import { lifeEventDetail, lifeEventList, serviceFinder, serviceGuide, type FinderFilters } from '../views/public-pages.ts';
import { formEditor, formValuesOf, itemEditor, staffItemDetail, staffItemList, versionView } from '../views/staff-pages.ts';

const PAGE_SIZE = 20;
const uuid = { type: 'string', format: 'uuid' } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const;
const staffQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    status: { type: 'string', enum: ['draft', 'published', 'suspended', 'cancelled', ''] },
    q: { type: 'string', maxLength: 100 },
  },
} as const;
const finderQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    q: { type: 'string', maxLength: 100 },
    org: { type: 'string', maxLength: 64 },
    level: { type: 'string', enum: ['', '1', '2', '3', '4', '5', '6', '7'] },
    theme: { type: 'string', maxLength: 30 },
    type: { type: 'string', maxLength: 2 },
    event: { anyOf: [{ type: 'string', format: 'uuid' }, { type: 'string', maxLength: 0 }] },
  },
} as const;
/** Page forms: free-form fields (lists repeat keys), checked by parseElements. */
const pageBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } as const;
const actionBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: { type: 'integer', minimum: 0 }, comment: { type: 'string', maxLength: 1000 } } } as const;
const coercedActionBody = { ...actionBody, properties: { ...actionBody.properties, version: { type: 'string', pattern: '^\\d{1,9}$' } } } as const;

const STARTER_FORM: FormDefinition = {
  version: 1,
  fields: [
    { name: 'applicantName', label: '申请人姓名', type: 'text', required: true, maxLength: 30, prefill: 'applicant.name' },
    { name: 'applicantMobile', label: '联系电话', type: 'mobile', required: true, prefill: 'applicant.mobile' },
    { name: 'truthfulness', label: '本人承诺所填写内容和提交的材料真实、有效', type: 'checkbox', required: true },
  ],
};

export function presentItem(i: ItemRow) {
  return {
    id: i.id,
    implementationCode: i.implementationCode,
    basicCode: i.basicCode,
    name: i.name,
    itemType: i.itemType,
    exerciseLevel: i.exerciseLevel,
    organisationId: i.organisationId,
    organisationName: i.organisationName,
    jurisdictionCode: i.jurisdictionCode,
    themes: i.themes,
    status: i.status,
    publishedVersionId: i.publishedVersionId,
    publishedAt: i.publishedAt?.toISOString() ?? null,
    updatedAt: i.updatedAt.toISOString(),
    version: i.version,
  };
}

export function presentVersion(v: VersionRow) {
  return {
    id: v.id,
    versionNo: v.versionNo,
    status: v.status,
    elements: v.elements,
    form: v.form,
    issues: v.issues,
    reviewComment: v.reviewComment,
    submittedAt: v.submittedAt?.toISOString() ?? null,
    publishedAt: v.publishedAt?.toISOString() ?? null,
    updatedAt: v.updatedAt.toISOString(),
    lockVersion: v.lockVersion,
  };
}

type Flat = Record<string, unknown>;
const toPageErrors = (fields: FieldError[]) => fields.map((f) => ({ field: pageFieldOf(f.field), message: f.message }));
const PATHS: Record<string, ItemChange['kind']> = { submit: 'submit', approve: 'approve', reject: 'reject', 'new-version': 'new_version', suspend: 'suspend', resume: 'resume', cancel: 'cancel' };
const DONE: Record<ItemChange['kind'], string> = { submit: '已提交审核', approve: '已审核通过并发布', reject: '已退回修改', new_version: '已起草新版本', suspend: '已暂停办理', resume: '已恢复办理', cancel: '事项已取消' };
const PERMISSION_OF: Record<ItemChange['kind'], string> = { submit: 'catalog.edit', new_version: 'catalog.edit', approve: 'catalog.review', reject: 'catalog.review', suspend: 'catalog.review', resume: 'catalog.review', cancel: 'catalog.review' };

export function catalogRoutes(platform: Platform, deps: CatalogDeps) {
  const { transactor, permissions } = platform;
  const catalog: CatalogRepository = deps.catalog;
  const service = createCatalogService(catalog);
  const send = (reply: FastifyReply, markup: SafeHtml, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

  async function staffItem(request: FastifyRequest, id: string): Promise<ItemRow> {
    const item = await catalog.getItem(id);
    if (!item || !inCatalogScope(permissions, request.actor, item)) throw new AppError('ZW_ERR_NOT_FOUND', '事项不存在或不在您的管辖范围内');
    return item;
  }

  async function detailView(request: FastifyRequest, item: ItemRow, refusal?: { message: string; fields: FieldError[] }) {
    const [open, versions] = await Promise.all([catalog.openVersion(item.id), catalog.listVersions(item.id)]);
    const published = versions.find((v) => v.id === item.publishedVersionId) ?? null;
    return staffItemDetail(request.page, item, { open, published, versions, actions: allowedCatalogActions(permissions, request.actor, item, open), refusal });
  }

  async function publishedGuide(id: string) {
    const item = await catalog.getItem(id);
    if (!item || (item.status !== 'published' && item.status !== 'suspended') || !item.publishedVersionId) return null;
    const v = await catalog.getVersion(item.publishedVersionId);
    return v ? { item, v } : null;
  }

  /** Finder filters; a life event (一件事) narrows the list to its items. */
  const finderFilters = async (q: FinderFilters) => {
    const event = q.event ? await catalog.getLifeEvent(q.event) : null;
    return {
      q: q.q?.trim() || undefined,
      organisationId: q.org || undefined,
      level: q.level || undefined,
      theme: q.theme || undefined,
      itemType: q.type || undefined,
      ...(q.event ? { ids: event && event.status === 'published' ? event.itemIds : [] } : {}),
    };
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---------------- public: finder, guide, life events ----------------
    app.get<{ Querystring: FinderFilters & { page: number } }>('/services', { config: { access: { public: true } }, schema: { hide: true, querystring: finderQuery } }, async (request, reply) => {
      const page = request.query.page;
      const [{ rows, total }, organisations, lifeEvents] = await Promise.all([
        catalog.listPublished(await finderFilters(request.query), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
        catalog.publishedOrganisations(),
        catalog.listLifeEvents(true),
      ]);
      return send(reply, serviceFinder(request.page, { rows, total, page, pageSize: PAGE_SIZE, filters: request.query, organisations, lifeEvents }));
    });
    app.get<{ Querystring: FinderFilters & { page: number } }>(
      '/api/services',
      { config: { access: { public: true } }, schema: { tags: ['catalog'], summary: '查找已发布的办事事项（名称、拼音、首字母、部门、层级、主题、类型）', querystring: finderQuery } },
      async (request) => {
        const page = request.query.page;
        const { rows, total } = await catalog.listPublished(await finderFilters(request.query), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentItem) };
      },
    );
    app.get<{ Querystring: { page: number } }>(
      '/api/catalog/basic-items',
      { config: { access: { public: true } }, schema: { tags: ['catalog'], summary: '基本目录：已发布事项的基本编码、名称、类型及各层级实施清单数', querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } } },
      async (request) => {
        const page = request.query.page;
        const { rows, total } = await catalog.basicItems({ limit: 100, offset: (page - 1) * 100 });
        return { total, page, pageSize: 100, items: rows };
      },
    );
    app.get<{ Params: { id: string } }>('/services/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const g = await publishedGuide(request.params.id);
      if (!g) throw new AppError('ZW_ERR_NOT_FOUND', '该事项不存在或尚未发布');
      return send(reply, serviceGuide(request.page, g.item, g.v, { canApply: request.actor.kind === 'citizen' || request.actor.kind === 'enterprise' }));
    });
    app.get<{ Params: { id: string } }>(
      '/api/services/:id',
      { config: { access: { public: true } }, schema: { tags: ['catalog'], summary: '办事指南（已发布版本的全部要素、申请表单及其 JSON Schema）', params: idParams } },
      async (request) => {
        const g = await publishedGuide(request.params.id);
        if (!g) throw new AppError('ZW_ERR_NOT_FOUND', '该事项不存在或尚未发布');
        return { item: presentItem(g.item), version: g.v.versionNo, versionId: g.v.id, elements: g.v.elements, form: g.v.form, formSchema: formToJsonSchema(g.v.form, { title: g.v.elements.name }), forApplication: g.item.status === 'published' ? presentForApplication(g.item, g.v) : null };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/services/:id/form-schema',
      { config: { access: { public: true } }, schema: { tags: ['catalog'], summary: '申请表单的 JSON Schema 2020-12（GovStack eForms）', params: idParams } },
      async (request, reply) => {
        const g = await publishedGuide(request.params.id);
        if (!g) throw new AppError('ZW_ERR_NOT_FOUND', '该事项不存在或尚未发布');
        return reply.type('application/schema+json').send(formToJsonSchema(g.v.form, { id: `/api/services/${g.item.id}/form-schema`, title: g.v.elements.name }));
      },
    );
    app.get<{ Params: { id: string; attachmentId: string } }>(
      '/services/:id/files/:attachmentId',
      { config: { access: { public: true } }, schema: { hide: true, params: { type: 'object', required: ['id', 'attachmentId'], properties: { id: uuid, attachmentId: uuid } } } },
      async (request, reply) => {
        const g = await publishedGuide(request.params.id);
        const e = g?.v.elements;
        const referenced = e && (e.resultSampleAttachmentId === request.params.attachmentId || e.materials.some((m) => m.blankFormAttachmentId === request.params.attachmentId || m.sampleAttachmentId === request.params.attachmentId));
        const opened = referenced ? await platform.attachments.open(request.params.attachmentId) : null;
        if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '文件不存在');
        return reply
          .type(opened.meta.mediaType)
          .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(opened.meta.originalName)}`)
          .header('x-content-type-options', 'nosniff')
          .send(opened.stream);
      },
    );
    app.get('/life-events', { config: { access: { public: true } }, schema: { hide: true } }, async (request, reply) => send(reply, lifeEventList(request.page, await catalog.listLifeEvents(true))));
    app.get<{ Params: { id: string } }>('/life-events/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const le = await catalog.getLifeEvent(request.params.id);
      if (!le || le.status !== 'published') throw new AppError('ZW_ERR_NOT_FOUND', '该“一件事”不存在');
      const { rows } = await catalog.listPublished({ ids: le.itemIds }, { limit: 50, offset: 0 });
      const found = await service.lifeEventForApplication(le.id);
      const ordered = le.itemIds.map((id) => rows.find((r) => r.id === id)).filter((r): r is ItemRow => Boolean(r));
      return send(reply, lifeEventDetail(request.page, le, ordered, found.ok ? null : found.message));
    });
    app.get('/api/life-events', { config: { access: { public: true } }, schema: { tags: ['catalog'], summary: '“一件事”列表' } }, async () => ({
      items: (await catalog.listLifeEvents(true)).map((le) => ({ id: le.id, code: le.code, name: le.name, description: le.description, audience: le.audience, itemIds: le.itemIds })),
    }));
    app.get<{ Params: { id: string } }>(
      '/api/life-events/:id',
      { config: { access: { public: true } }, schema: { tags: ['catalog'], summary: '“一件事”的事项和合并后的申请表单', params: idParams } },
      async (request) => {
        const found = await service.lifeEventForApplication(request.params.id);
        if (!found.ok) {
          // Unknown, draft or withdrawn: not in the public catalog. An item at fault: 409 naming it.
          if (found.reason === 'item_suspended' || found.reason === 'item_unavailable') throw new AppError('ZW_ERR_LIFE_EVENT_UNAVAILABLE', found.message);
          throw new AppError('ZW_ERR_NOT_FOUND', '该“一件事”不存在');
        }
        const le = found.lifeEvent;
        return { ...le, formSchema: formToJsonSchema(le.form, { title: le.name }) };
      },
    );

    // ---------------- workbench pages ----------------
    app.get<{ Querystring: { page: number; status?: ItemStatus | ''; q?: string } }>(
      '/workbench/catalog',
      { config: { access: { permission: 'catalog.read' } }, schema: { hide: true, querystring: staffQuery } },
      async (request, reply) => {
        const { page } = request.query;
        const status = request.query.status || undefined;
        const q = request.query.q?.trim() || undefined;
        const { rows, total } = await catalog.listInScope(listScope(request.actor), { status, q, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return send(reply, staffItemList(request.page, rows, { page, pageSize: PAGE_SIZE, total, status, q, canCreate: permissions.has(request.actor, CATALOG_EDIT), canReview: permissions.has(request.actor, 'catalog.review') }));
      },
    );
    app.get('/workbench/catalog/new', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, itemEditor(request.page, { values: formValuesOf(emptyElements()), errors: [] })),
    );
    app.post<{ Body: Flat }>('/workbench/catalog', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, body: pageBody } }, async (request, reply) => {
      const result = await transactor.run(request.ctx, (uow) => createItem(deps, uow, { implementationCode: request.body.implementationCode, elements: elementsFromForm(request.body), form: STARTER_FORM }));
      if (!result.ok) {
        if (result.reason === 'invalid' || result.reason === 'duplicate') return send(reply, itemEditor(request.page, { values: request.body, errors: toPageErrors(result.fields ?? []) }), result.reason === 'duplicate' ? 409 : 400);
        throw refusalError(result);
      }
      const n = result.value.version.issues.length;
      setFlash(reply, n ? `草稿已保存。质量检查发现 ${n} 处问题，提交审核前请改正` : '草稿已保存');
      return reply.redirect(`/workbench/catalog/${result.value.item.id}`, 303);
    });
    app.get<{ Params: { id: string } }>('/workbench/catalog/:id', { config: { access: { permission: 'catalog.read' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const item = await staffItem(request, request.params.id);
      return send(reply, await detailView(request, item));
    });
    app.get<{ Params: { id: string; versionId: string } }>(
      '/workbench/catalog/:id/versions/:versionId',
      { config: { access: { permission: 'catalog.read' } }, schema: { hide: true, params: { type: 'object', required: ['id', 'versionId'], properties: { id: uuid, versionId: uuid } } } },
      async (request, reply) => {
        const item = await staffItem(request, request.params.id);
        const v = await catalog.getVersion(request.params.versionId);
        if (!v || v.itemId !== item.id) throw new AppError('ZW_ERR_NOT_FOUND', '该版本不存在');
        return send(reply, versionView(request.page, item, v));
      },
    );
    app.get<{ Params: { id: string } }>('/workbench/catalog/:id/edit', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const item = await staffItem(request, request.params.id);
      const open = await catalog.openVersion(item.id);
      if (!open || !allowedCatalogActions(permissions, request.actor, item, open).includes('edit')) throw new AppError('ZW_ERR_FORBIDDEN', '该事项当前没有可修改的草稿');
      return send(reply, itemEditor(request.page, { item, lockVersion: open.lockVersion, values: formValuesOf(open.elements), errors: [], issues: open.issues }));
    });
    app.post<{ Params: { id: string }; Body: Flat }>('/workbench/catalog/:id', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, params: idParams, body: pageBody } }, async (request, reply) => {
      const lock = Number(request.body.lockVersion ?? 0);
      const result = await transactor.run(request.ctx, (uow) => saveDraft(deps, uow, request.params.id, lock, { elements: elementsFromForm(request.body) }));
      if (!result.ok) {
        if (result.reason === 'invalid') {
          const item = await staffItem(request, request.params.id);
          return send(reply, itemEditor(request.page, { item, lockVersion: lock, values: request.body, errors: toPageErrors(result.fields ?? []) }), 400);
        }
        throw refusalError(result);
      }
      const n = result.value.issues.length;
      setFlash(reply, n ? `草稿已保存。质量检查发现 ${n} 处问题，提交审核前请改正` : '草稿已保存，质量检查已通过');
      return reply.redirect(`/workbench/catalog/${request.params.id}`, 303);
    });
    app.get<{ Params: { id: string } }>('/workbench/catalog/:id/form', { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const item = await staffItem(request, request.params.id);
      const open = await catalog.openVersion(item.id);
      if (!open || !allowedCatalogActions(permissions, request.actor, item, open).includes('edit')) throw new AppError('ZW_ERR_FORBIDDEN', '该事项当前没有可修改的草稿');
      return send(reply, formEditor(request.page, item, { lockVersion: open.lockVersion, json: JSON.stringify(open.form, null, 2), preview: open.form, errors: [], current: open.form }));
    });
    app.post<{ Params: { id: string }; Body: { formJson?: string; lockVersion?: string; intent?: string } }>(
      '/workbench/catalog/:id/form',
      { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: { type: 'string' }, formJson: { type: 'string', maxLength: 200000 }, lockVersion: { type: 'string', maxLength: 12 }, intent: { type: 'string', enum: ['preview', 'save'] } } } } },
      async (request, reply) => {
        const item = await staffItem(request, request.params.id);
        const json = request.body.formJson ?? '';
        const lock = Number(request.body.lockVersion ?? 0);
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch {
          return send(reply, formEditor(request.page, item, { lockVersion: lock, json, preview: null, errors: [{ field: 'formJson', message: '不是有效的 JSON，请检查括号、引号和逗号' }] }), 400);
        }
        const checked = validateFormDefinition(parsed);
        if (!checked.ok) return send(reply, formEditor(request.page, item, { lockVersion: lock, json, preview: null, errors: checked.errors.map((e) => ({ field: 'formJson', message: `${e.field}：${e.message}` })) }), 400);
        if (request.body.intent !== 'save') return send(reply, formEditor(request.page, item, { lockVersion: lock, json, preview: checked.definition, errors: [] }));
        const result = await transactor.run(request.ctx, (uow) => saveDraft(deps, uow, item.id, lock, { form: checked.definition }));
        if (!result.ok) throw refusalError(result);
        setFlash(reply, '申请表单已保存');
        return reply.redirect(`/workbench/catalog/${item.id}/form`, 303);
      },
    );
    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
      '/workbench/catalog/:id/form/fields',
      { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, params: idParams, body: pageBody } },
      async (request, reply) => {
        const item = await staffItem(request, request.params.id);
        const open = await catalog.openVersion(item.id);
        if (!open) throw new AppError('ZW_ERR_FORBIDDEN', '该事项当前没有可修改的草稿');
        const b = request.body;
        const lock = Number(b.lockVersion ?? 0);
        const fields = [...open.form.fields];
        const at = fields.findIndex((f) => f.name === b.name);
        if (b.op === 'remove' && at >= 0) {
          const dependants = fields.filter((f) => f.showIf?.field === b.name).map((f) => f.label);
          if (dependants.length) throw new AppError('ZW_ERR_VALIDATION', `字段“${fields[at]?.label ?? ''}”是“${dependants.join('、')}”的显示条件，请先修改这些字段`);
          fields.splice(at, 1);
        } else if (b.op === 'up' && at > 0) {
          const [moved] = fields.splice(at, 1);
          if (moved) fields.splice(at - 1, 0, moved);
        } else if (b.op === 'add') {
          const options = (b.fieldOptions ?? '')
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .map((l) => {
              const [value = '', label] = l.split(/[|｜]/).map((x) => x.trim());
              return { value, label: label ?? value };
            });
          const equals = (b.showIfEquals ?? '').split(/[,，、]/).map((x) => x.trim()).filter(Boolean);
          fields.push({
            name: (b.fieldName ?? '').trim(),
            label: (b.fieldLabel ?? '').trim(),
            type: (b.fieldType ?? 'text') as FormDefinition['fields'][number]['type'],
            ...(b.fieldRequired === 'on' ? { required: true } : {}),
            ...(options.length ? { options } : {}),
            ...(b.fieldHelp?.trim() ? { help: b.fieldHelp.trim() } : {}),
            ...(b.showIfField ? { showIf: { field: b.showIfField, equals: equals.length === 1 ? (equals[0] ?? '') : equals } } : {}),
            ...(b.fieldPrefill ? { prefill: b.fieldPrefill as NonNullable<FormDefinition['fields'][number]['prefill']> } : {}),
          });
        } else throw new AppError('ZW_ERR_VALIDATION', '找不到要修改的字段');
        const checked = validateFormDefinition({ version: 1, fields });
        if (!checked.ok) {
          const last = `fields[${fields.length - 1}]`;
          const map: Record<string, string> = { name: 'fieldName', label: 'fieldLabel', type: 'fieldType', options: 'fieldOptions', help: 'fieldHelp', showIf: 'showIfEquals', prefill: 'fieldPrefill' };
          const fieldErrors = checked.errors.map((e) => ({ field: map[e.field.replace(`${last}.`, '').replace(/\[.*$/, '')] ?? 'fieldName', message: e.message }));
          const values = Object.fromEntries(Object.entries(b).filter((e): e is [string, string] => typeof e[1] === 'string'));
          return send(reply, formEditor(request.page, item, { lockVersion: lock, json: JSON.stringify(open.form, null, 2), preview: open.form, errors: [], current: open.form, fieldValues: values, fieldErrors }), 400);
        }
        const result = await transactor.run(request.ctx, (uow) => saveDraft(deps, uow, item.id, lock, { form: checked.definition }));
        if (!result.ok) throw refusalError(result);
        setFlash(reply, b.op === 'add' ? '字段已添加' : b.op === 'remove' ? '字段已删除' : '字段已上移');
        return reply.redirect(`/workbench/catalog/${item.id}/form`, 303);
      },
    );
    for (const [path, kind] of Object.entries(PATHS)) {
      app.post<{ Params: { id: string }; Body: { version?: string; comment?: string } }>(
        `/workbench/catalog/:id/${path}`,
        { config: { access: { permission: PERMISSION_OF[kind] } }, schema: { hide: true, params: idParams, body: coercedActionBody } },
        async (request, reply) => {
          const change = { kind, comment: request.body.comment } as ItemChange;
          const result = await transactor.run(request.ctx, (uow) => changeItem(deps, uow, request.params.id, Number(request.body.version ?? 0), change));
          if (!result.ok) {
            if (result.reason === 'invalid') {
              const item = await staffItem(request, request.params.id);
              return send(reply, await detailView(request, item, { message: result.message, fields: result.fields ?? [] }), 400);
            }
            throw refusalError(result);
          }
          setFlash(reply, DONE[kind]);
          return reply.redirect(`/workbench/catalog/${request.params.id}`, 303);
        },
      );
    }

    // Result sample (审批结果样本), blank forms (空白表格) and filled samples (示范文本) of the draft.
    app.post<{ Params: { id: string }; Querystring: { _csrf?: string } }>(
      '/workbench/catalog/:id/files',
      { config: { access: { permission: 'catalog.edit' } }, schema: { hide: true, params: idParams, querystring: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } } },
      async (request, reply) => {
        const item = await staffItem(request, request.params.id);
        const fields: Record<string, string> = {};
        let attachmentId: string | null = null;
        let refusal: string | null = null;
        for await (const part of request.parts({ limits: { fileSize: platform.attachments.maxBytes + 1, files: 1 } })) {
          if (part.type === 'field') {
            fields[part.fieldname] = typeof part.value === 'string' ? part.value : '';
            continue;
          }
          const put = await platform.attachments.put(part.file, { originalName: part.filename, claimedType: part.mimetype, ctx: request.ctx, allow: ['pdf', 'jpeg', 'png', 'ofd', 'docx', 'xlsx'] });
          if (put.ok) attachmentId = put.value.id;
          else refusal = put.message;
        }
        if (refusal) throw new AppError('ZW_ERR_UNSUPPORTED_MEDIA', refusal, [{ field: 'file', message: refusal }]);
        if (!attachmentId) throw new AppError('ZW_ERR_VALIDATION', '请选择要上传的文件', [{ field: 'file', message: '请选择要上传的文件' }]);
        const open = await catalog.openVersion(item.id);
        if (!open) throw new AppError('ZW_ERR_FORBIDDEN', '该事项当前没有可修改的草稿');
        const target = fields.target ?? '';
        const elements = structuredClone(open.elements);
        const [kind, code] = target.split(':');
        const material = elements.materials.find((m) => m.code === code);
        if (target === 'result') elements.resultSampleAttachmentId = attachmentId;
        else if (kind === 'blank' && material) material.blankFormAttachmentId = attachmentId;
        else if (kind === 'sample' && material) material.sampleAttachmentId = attachmentId;
        else throw new AppError('ZW_ERR_VALIDATION', '请选择文件的用途', [{ field: 'target', message: '请选择文件的用途' }]);
        const result = await transactor.run(request.ctx, (uow) => saveDraft(deps, uow, item.id, Number(fields.lockVersion ?? 0), { elements }));
        if (!result.ok) throw refusalError(result);
        setFlash(reply, '文件已上传');
        return reply.redirect(`/workbench/catalog/${item.id}`, 303);
      },
    );

    // ---------------- workbench JSON API (same commands) ----------------
    app.get<{ Querystring: { page: number; status?: ItemStatus | ''; q?: string } }>(
      '/api/catalog/items',
      { config: { access: { permission: 'catalog.read' } }, schema: { tags: ['catalog'], summary: '管辖范围内的实施清单事项', querystring: staffQuery } },
      async (request) => {
        const { page } = request.query;
        const { rows, total } = await catalog.listInScope(listScope(request.actor), { status: request.query.status || undefined, q: request.query.q?.trim() || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map((r) => ({ ...presentItem(r), openStatus: r.openStatus })) };
      },
    );
    app.post<{ Body: { implementationCode: string; elements: unknown; form?: unknown } }>(
      '/api/catalog/items',
      {
        config: { access: { permission: 'catalog.edit' } },
        schema: {
          tags: ['catalog'],
          summary: '新建实施清单事项（第 1 版草稿）；实施编码即幂等键',
          body: { type: 'object', required: ['implementationCode', 'elements'], additionalProperties: false, properties: { implementationCode: { type: 'string', maxLength: 24 }, elements: { type: 'object' }, form: { type: 'object' } } },
        },
      },
      async (request, reply) => {
        const r = unwrap(await transactor.run(request.ctx, (uow) => createItem(deps, uow, { ...request.body, form: request.body.form ?? STARTER_FORM })));
        return reply.status(201).send({ item: presentItem(r.item), version: presentVersion(r.version) });
      },
    );
    app.get<{ Params: { id: string } }>('/api/catalog/items/:id', { config: { access: { permission: 'catalog.read' } }, schema: { tags: ['catalog'], summary: '事项、在编版本、已发布版本和版本历史', params: idParams } }, async (request) => {
      const item = await staffItem(request, request.params.id);
      const [open, versions] = await Promise.all([catalog.openVersion(item.id), catalog.listVersions(item.id)]);
      return {
        item: presentItem(item),
        openVersion: open ? presentVersion(open) : null,
        publishedVersion: versions.find((v) => v.id === item.publishedVersionId) ? presentVersion(versions.find((v) => v.id === item.publishedVersionId) as VersionRow) : null,
        versions: versions.map((v) => ({ id: v.id, versionNo: v.versionNo, status: v.status, publishedAt: v.publishedAt?.toISOString() ?? null })),
        actions: allowedCatalogActions(permissions, request.actor, item, open),
      };
    });
    app.patch<{ Params: { id: string }; Body: { lockVersion: number; elements?: unknown; form?: unknown } }>(
      '/api/catalog/items/:id/draft',
      {
        config: { access: { permission: 'catalog.edit' } },
        schema: {
          tags: ['catalog'],
          summary: '保存草稿（质量规则的结果作为 issues 返回；过期的 lockVersion 返回 409）',
          params: idParams,
          body: { type: 'object', required: ['lockVersion'], additionalProperties: false, properties: { lockVersion: { type: 'integer', minimum: 0 }, elements: { type: 'object' }, form: { type: 'object' } } },
        },
      },
      async (request) => presentVersion(unwrap(await transactor.run(request.ctx, (uow) => saveDraft(deps, uow, request.params.id, request.body.lockVersion, request.body)))),
    );
    for (const [path, kind] of Object.entries(PATHS)) {
      app.post<{ Params: { id: string }; Body: { version: number; comment?: string } }>(
        `/api/catalog/items/:id/${path}`,
        { config: { access: { permission: PERMISSION_OF[kind] } }, schema: { tags: ['catalog'], summary: `事项：${DONE[kind]}`, params: idParams, body: { ...actionBody, required: ['version'], additionalProperties: false } } },
        async (request) => {
          const r = unwrap(await transactor.run(request.ctx, (uow) => changeItem(deps, uow, request.params.id, request.body.version, { kind, comment: request.body.comment })));
          return { item: presentItem(r.item), version: r.version ? presentVersion(r.version) : null };
        },
      );
    }
    app.post<{ Body: { elements: unknown } }>(
      '/api/catalog/quality-check',
      { config: { access: { permission: 'catalog.edit' } }, schema: { tags: ['catalog'], summary: '对一组事项要素运行质量规则 Q1–Q10（不保存）', body: { type: 'object', required: ['elements'], properties: { elements: { type: 'object' } } } } },
      async (request) => {
        const { value, errors } = parseElements(request.body.elements);
        return { errors, issues: checkQuality(value) };
      },
    );
  };
}
