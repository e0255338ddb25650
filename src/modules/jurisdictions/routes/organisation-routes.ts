import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, validationError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { isDivisionCode } from '../division-codes.ts';
import { canManageOrganisations, canViewOrganisations, ORGANISATION_MANAGE } from '../policies.ts';
import { organisationSchema, presentOrganisation, presentOrganisationPage } from '../presenters.ts';
import type { JurisdictionService, Organisation, OrganisationInput, OrganisationResult } from '../types.ts';
import { formValuesOf, organisationDetailPage, organisationFormPage, organisationListPage } from '../views/organisation-pages.ts';

const ID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const idParams = { type: 'object', properties: { id: { type: 'string', pattern: ID_PATTERN } }, required: ['id'] } as const;
const PAGE_SIZE = 20;

const listQuery = {
  type: 'object',
  properties: {
    jurisdiction: { type: 'string', maxLength: 12, description: '行政区划代码：列出该区划及其下级的机构' },
    q: { type: 'string', maxLength: 50, description: '名称或简称包含的文字' },
    type: { type: 'string', maxLength: 20 },
    page: { type: 'integer', minimum: 1, maximum: 10000, default: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: PAGE_SIZE },
  },
} as const;

/** The form posts strings; lengths are generous here so the command's Chinese messages apply. */
const formBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    name: { type: 'string', maxLength: 500 },
    shortName: { type: 'string', maxLength: 500 },
    jurisdictionCode: { type: 'string', maxLength: 100 },
    uscc: { type: 'string', maxLength: 100 },
    type: { type: 'string', maxLength: 50 },
    parentId: { type: 'string', maxLength: 100 },
    sortOrder: { type: 'string', maxLength: 20 },
    version: { type: 'string', maxLength: 20 },
  },
} as const;

const apiFields = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  shortName: { type: ['string', 'null'], maxLength: 50 },
  jurisdictionCode: { type: 'string', pattern: '^[0-9]{2,12}$' },
  uscc: { type: ['string', 'null'], maxLength: 30 },
  type: { type: 'string', maxLength: 20 },
  parentId: { type: ['string', 'null'], maxLength: 36 },
  sortOrder: { type: 'integer', minimum: 0, maximum: 9999 },
} as const;

const savedResponse = { type: 'object', properties: { organisation: organisationSchema, warnings: { type: 'array', items: { type: 'string' } } } } as const;

type FormBody = Record<string, string | undefined>;
type ListQuery = { jurisdiction?: string; q?: string; type?: string; page?: number; pageSize?: number };

/** A refusal as the one error model; duplicates and conflicts are 409, invalid input 400. */
function refusalError(r: Extract<OrganisationResult, { ok: false }>): AppError {
  switch (r.reason) {
    case 'forbidden':
      return new AppError('ZW_ERR_FORBIDDEN', r.message);
    case 'not_found':
      return new AppError('ZW_ERR_NOT_FOUND', r.message);
    case 'conflict':
      return new AppError('ZW_ERR_CONFLICT', r.message);
    case 'duplicate':
      return new AppError('ZW_ERR_DUPLICATE', r.fields?.map((f) => f.message).join('；') ?? r.message, r.fields ?? []);
    case 'invalid':
      return validationError(r.fields ?? [], r.fields ? undefined : r.message);
  }
}

/** A unique index won a race the command's pre-check could not see: still a duplicate, not a 500. */
function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

async function saving(run: () => Promise<OrganisationResult>): Promise<OrganisationResult> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) {
      return { ok: false, reason: 'duplicate', message: '机构已存在', fields: [{ field: 'name', message: '同名机构或相同的统一社会信用代码已存在' }] };
    }
    throw e;
  }
}

function inputFromForm(body: FormBody): OrganisationInput {
  return {
    name: body.name ?? '',
    shortName: body.shortName ?? '',
    jurisdictionCode: body.jurisdictionCode ?? '',
    uscc: body.uscc ?? '',
    type: body.type ?? '',
    parentId: body.parentId ?? '',
    sortOrder: body.sortOrder ?? '',
  };
}

function formValues(body: FormBody): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
}

function html(reply: FastifyReply, status: number, body: { value: string }): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(body.value);
}

function savedFlash(warnings: string[]): string {
  return warnings.length > 0 ? `已保存。请注意：${warnings.join('；')}` : '已保存';
}

/** Staff workbench pages and the organisation JSON API; both call the same service and commands. */
export async function organisationRoutes(app: FastifyInstance, opts: { platform: Platform; service: JurisdictionService }): Promise<void> {
  const { service } = opts;
  const permissions = opts.platform.permissions;

  // Staff reach the list with either duty: the route opens the door to staff, the policy decides.
  const requireViewer = (request: FastifyRequest) => {
    if (!canViewOrganisations(permissions, request.actor)) throw new AppError('ZW_ERR_FORBIDDEN', '您当前的岗位没有“查看组织机构”权限');
  };
  const filtersOf = (q: ListQuery) => ({ jurisdictionCode: q.jurisdiction?.trim() || undefined, q: q.q?.trim() || undefined, type: q.type || undefined });

  async function renderForm(request: FastifyRequest, reply: FastifyReply, status: number, view: { organisation?: Organisation; values: Record<string, string>; errors: FieldError[]; message?: string }) {
    const [types, parents] = await Promise.all([service.organisationTypes(), service.organisationChoices(request.actor)]);
    return html(reply, status, organisationFormPage(request.page, { ...view, types, parents }));
  }

  async function formRefusal(request: FastifyRequest, reply: FastifyReply, r: Extract<OrganisationResult, { ok: false }>, body: FormBody, organisation?: Organisation) {
    switch (r.reason) {
      case 'invalid':
      case 'duplicate':
        return renderForm(request, reply, r.reason === 'invalid' ? 400 : 409, { ...(organisation ? { organisation } : {}), values: formValues(body), errors: r.fields ?? [] });
      case 'conflict':
        return renderForm(request, reply, 409, { ...(organisation ? { organisation } : {}), values: formValues(body), errors: [], message: r.message });
      case 'forbidden':
      case 'not_found':
        throw refusalError(r);
    }
  }

  // ---- workbench pages -------------------------------------------------------------------

  app.get<{ Querystring: ListQuery }>(
    '/workbench/organisations',
    { config: { access: { signedIn: ['staff'] } }, schema: { hide: true, querystring: listQuery } },
    async (request, reply) => {
      requireViewer(request);
      const filters = filtersOf(request.query);
      const [result, types, division] = await Promise.all([
        service.listOrganisations(request.actor, filters, { page: request.query.page ?? 1, pageSize: PAGE_SIZE }),
        service.organisationTypes(),
        filters.jurisdictionCode && isDivisionCode(filters.jurisdictionCode) ? service.getDivision(filters.jurisdictionCode) : null,
      ]);
      return html(
        reply,
        200,
        organisationListPage(request.page, { result, filters, types, canManage: canManageOrganisations(permissions, request.actor), jurisdictionName: division?.name ?? null }),
      );
    },
  );

  app.get('/workbench/organisations/new', { config: { access: { permission: ORGANISATION_MANAGE } }, schema: { hide: true } }, async (request, reply) =>
    renderForm(request, reply, 200, { values: { sortOrder: '0' }, errors: [] }),
  );

  app.post<{ Body: FormBody }>(
    '/workbench/organisations',
    { config: { access: { permission: ORGANISATION_MANAGE } }, schema: { hide: true, body: formBody } },
    async (request, reply) => {
      const r = await saving(() => service.createOrganisation(request.ctx, inputFromForm(request.body)));
      if (!r.ok) return formRefusal(request, reply, r, request.body);
      setFlash(reply, savedFlash(r.value.warnings));
      return reply.redirect(`/workbench/organisations/${r.value.organisation.id}`, 303);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/workbench/organisations/:id',
    { config: { access: { signedIn: ['staff'] } }, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      requireViewer(request);
      const o = await service.viewOrganisation(request.actor, request.params.id);
      if (!o) throw new AppError('ZW_ERR_NOT_FOUND', '机构不存在或不在您的管辖范围内');
      return html(reply, 200, organisationDetailPage(request.page, o, canManageOrganisations(permissions, request.actor)));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/workbench/organisations/:id/edit',
    { config: { access: { permission: ORGANISATION_MANAGE } }, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const o = await service.viewOrganisation(request.actor, request.params.id);
      if (!o) throw new AppError('ZW_ERR_NOT_FOUND', '机构不存在');
      return renderForm(request, reply, 200, { organisation: o, values: formValuesOf(o), errors: [] });
    },
  );

  app.post<{ Params: { id: string }; Body: FormBody }>(
    '/workbench/organisations/:id',
    { config: { access: { permission: ORGANISATION_MANAGE } }, schema: { hide: true, params: idParams, body: formBody } },
    async (request, reply) => {
      const o = await service.viewOrganisation(request.actor, request.params.id);
      if (!o) throw new AppError('ZW_ERR_NOT_FOUND', '机构不存在');
      const version = Number(request.body.version);
      if (!Number.isInteger(version) || version < 1) throw validationError([{ field: 'version', message: '缺少版本号，请刷新页面后重新修改' }]);
      const r = await saving(() => service.updateOrganisation(request.ctx, o.id, version, inputFromForm(request.body)));
      if (!r.ok) return formRefusal(request, reply, r, request.body, o);
      setFlash(reply, savedFlash(r.value.warnings));
      return reply.redirect(`/workbench/organisations/${o.id}`, 303);
    },
  );

  // ---- JSON API ----------------------------------------------------------------------------

  app.get<{ Querystring: ListQuery }>(
    '/api/organisations',
    {
      config: { access: { signedIn: ['staff'] } },
      schema: {
        tags: ['organisations'],
        summary: '组织机构列表（按当前岗位的范围）',
        querystring: listQuery,
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: organisationSchema }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } } },
      },
    },
    async (request) => {
      requireViewer(request);
      const result = await service.listOrganisations(request.actor, filtersOf(request.query), { page: request.query.page ?? 1, pageSize: request.query.pageSize ?? PAGE_SIZE });
      return presentOrganisationPage(result);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/organisations/:id',
    { config: { access: { signedIn: ['staff'] } }, schema: { tags: ['organisations'], summary: '组织机构详情', params: idParams, response: { 200: organisationSchema } } },
    async (request) => {
      requireViewer(request);
      const o = await service.viewOrganisation(request.actor, request.params.id);
      if (!o) throw new AppError('ZW_ERR_NOT_FOUND', '机构不存在或不在您的管辖范围内');
      return presentOrganisation(o);
    },
  );

  app.post<{ Body: OrganisationInput }>(
    '/api/organisations',
    {
      config: { access: { permission: ORGANISATION_MANAGE } },
      schema: {
        tags: ['organisations'],
        summary: '新建组织机构',
        body: { type: 'object', properties: apiFields, required: ['name', 'jurisdictionCode', 'type'], additionalProperties: false },
        response: { 201: savedResponse },
      },
    },
    async (request, reply) => {
      const r = await saving(() => service.createOrganisation(request.ctx, request.body));
      if (!r.ok) throw refusalError(r);
      return reply.status(201).send({ organisation: presentOrganisation(r.value.organisation), warnings: r.value.warnings });
    },
  );

  app.patch<{ Params: { id: string }; Body: OrganisationInput & { version: number } }>(
    '/api/organisations/:id',
    {
      config: { access: { permission: ORGANISATION_MANAGE } },
      schema: {
        tags: ['organisations'],
        summary: '修改组织机构（须提供读取时的 version；版本过期返回 409）',
        params: idParams,
        body: { type: 'object', properties: { ...apiFields, version: { type: 'integer', minimum: 1 } }, required: ['version'], additionalProperties: false },
        response: { 200: savedResponse },
      },
    },
    async (request) => {
      const { version, ...changes } = request.body;
      const r = await saving(() => service.updateOrganisation(request.ctx, request.params.id, version, changes));
      if (!r.ok) throw refusalError(r);
      return { organisation: presentOrganisation(r.value.organisation), warnings: r.value.warnings };
    },
  );
}
