import type { FastifyInstance, FastifyRequest } from 'fastify';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { AppError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { divisionChain } from '../classifier/dispatch-advisor.ts';
import { PAGE_SIZE, refusalOf, send } from '../routes/appeal-routes.ts';
import type { AppealsService } from '../service.ts';
import type { Centre } from '../ticket.repository.ts';
import type { DivisionOption } from '../views/shared.ts';
import type { AdminCategory, AdminCentre, AdminRule } from './catalogue-admin.repository.ts';
import type { CatalogueAdmin } from './catalogue-admin.ts';
import { categoryPage, cataloguePage, centreFormPage, centresPage, leafOptions, ruleFormPage, rulesPage, type TryResult } from './pages.ts';

export interface AdminRouteDeps {
  admin: CatalogueAdmin;
  service: AppealsService;
  divisionOptions: () => Promise<DivisionOption[]>;
  /** Organisations a centre may name in rules (its division's subtree). */
  orgChoices: (divisionCode: string) => Promise<{ id: string; name: string }[]>;
  /** Every organisation (the centre form's staff-organisation choice). */
  allOrganisations: () => Promise<{ id: string; name: string; jurisdictionCode: string }[]>;
}

const CATALOGUE = { access: { permission: 'appeals.catalogue' } } as const;
const CENTRES = { access: { permission: 'appeals.centres' } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 }, categoryCode: { type: 'string', maxLength: 8 } } } as const;
const codeParams = { type: 'object', required: ['code'], properties: { code: { type: 'string', pattern: '^[0-9]{2,8}$' } } } as const;
const opParams = { type: 'object', required: ['code', 'op'], properties: { code: { type: 'string', pattern: '^[0-9]{2,8}$' }, op: { type: 'string', enum: ['rename', 'disable', 'enable'] } } } as const;
const ruleParams = { type: 'object', required: ['category', 'division'], properties: { category: { type: 'string', pattern: '^[0-9]{2,8}$' }, division: { type: 'string', pattern: '^[0-9]{6,9}$' } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const tryQuery = { type: 'object', properties: { categoryCode: { type: 'string', maxLength: 8 }, divisionCode: { type: 'string', maxLength: 9 } } } as const;

const categoryJson = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    parentCode: { type: ['string', 'null'] },
    active: { type: 'boolean' },
    version: { type: 'integer' },
    children: { type: 'integer' },
    rules: { type: 'integer' },
    tickets: { type: 'integer' },
    kbEntries: { type: 'integer' },
  },
} as const;
const ruleJson = {
  type: 'object',
  properties: {
    categoryCode: { type: 'string' },
    categoryName: { type: 'string' },
    divisionCode: { type: 'string' },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    coOrgIds: { type: 'array', items: { type: 'string' } },
    coOrgNames: { type: 'array', items: { type: 'string' } },
    version: { type: 'integer' },
  },
} as const;
const centreJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string', enum: ['hotline', 'petition'] },
    divisionCode: { type: 'string' },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    hotline: { type: 'string' },
    dutyMobile: { type: 'string' },
    dutyEmail: { type: 'string' },
    version: { type: 'integer' },
  },
} as const;
const categoryBody = { type: 'object', required: ['code', 'name'], properties: { parentCode: { type: 'string', maxLength: 8 }, code: { type: 'string', maxLength: 20 }, name: { type: 'string', maxLength: 200 } }, additionalProperties: false } as const;
const categoryOpBody = { type: 'object', required: ['version'], properties: { name: { type: 'string', maxLength: 200 }, version: { type: 'integer', minimum: 1 } }, additionalProperties: false } as const;
const ruleBody = {
  type: 'object',
  required: ['organisationId'],
  properties: {
    categoryCode: { type: 'string', maxLength: 8 },
    divisionCode: { type: 'string', maxLength: 9 },
    organisationId: { type: 'string', maxLength: 64 },
    coOrgIds: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 64 } },
    version: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
} as const;
const centreBody = {
  type: 'object',
  required: ['name', 'kind', 'divisionCode', 'organisationId', 'hotline'],
  properties: {
    name: { type: 'string', maxLength: 200 },
    kind: { type: 'string', maxLength: 20 },
    divisionCode: { type: 'string', maxLength: 12 },
    organisationId: { type: 'string', maxLength: 64 },
    hotline: { type: 'string', maxLength: 40 },
    dutyMobile: { type: 'string', maxLength: 40 },
    dutyEmail: { type: 'string', maxLength: 200 },
    version: { type: 'integer', minimum: 1 },
  },
  additionalProperties: false,
} as const;
const pageOf = (items: object) => ({ type: 'object', properties: { items: { type: 'array', items }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } });
const tryJson = {
  type: 'object',
  properties: {
    categoryCode: { type: 'string' },
    divisionCode: { type: 'string' },
    chain: { type: 'array', items: { type: 'string' } },
    rule: { anyOf: [{ type: 'null' }, { type: 'object', properties: { categoryCode: { type: 'string' }, divisionCode: { type: 'string' }, organisationId: { type: 'string' }, organisationName: { type: 'string' }, coOrgIds: { type: 'array', items: { type: 'string' } }, coOrgNames: { type: 'array', items: { type: 'string' } } } }] },
  },
} as const;

type Body = Record<string, unknown>;

/** Workbench pages and the JSON API for the dispatch catalogue (派单目录) and the centres. */
export async function adminRoutes(app: FastifyInstance, d: AdminRouteDeps): Promise<void> {
  const { admin, service } = d;

  const centreOrForbid = async (request: FastifyRequest): Promise<Centre> => {
    const c = await admin.catalogueCentre(request.actor);
    if (!c) throw new AppError('ZW_ERR_FORBIDDEN', '只有 12345 热线中心负责人可以维护派单目录');
    return c;
  };

  /** Which rule the dispatch advisor applies for this category and division (the same walk as a real suggestion). */
  const tryRule = async (categoryCode: string, divisionCode: string): Promise<{ result: TryResult | null; errors: FieldError[] }> => {
    const errors: FieldError[] = [];
    const categories = await admin.repo.categories();
    if (!leafOptions(categories).some((o) => o.value === categoryCode)) errors.push({ field: 'categoryCode', message: '请选择一个启用的末级分类' });
    if (!/^\d{6}(\d{3})?$/.test(divisionCode)) errors.push({ field: 'divisionCode', message: '请选择区划（6 位或 9 位代码）' });
    if (errors.length > 0) return { result: null, errors };
    await service.warm();
    const rule = service.deps.advisor.unitFor(categoryCode, divisionCode);
    return { result: { categoryCode, divisionCode, chain: divisionChain(divisionCode), rule }, errors };
  };

  const cataloguePageFor = async (request: FastifyRequest, o: { values?: Body; errors?: FieldError[]; tryValues?: Record<string, string> } = {}) => {
    const tryValues = o.tryValues ?? {};
    const tried = tryValues.categoryCode || tryValues.divisionCode ? await tryRule(tryValues.categoryCode ?? '', tryValues.divisionCode ?? '') : { result: null, errors: [] };
    return cataloguePage(request.page, {
      canEdit: Boolean(await admin.catalogueCentre(request.actor)),
      categories: await admin.repo.categories(),
      divisions: await d.divisionOptions(),
      values: o.values ?? {},
      errors: o.errors ?? [],
      tryValues,
      tryResult: tried.result,
      tryErrors: tried.errors,
    });
  };

  // ---- catalogue pages ----
  // Read-only for other holders of the permission (heads of ordinary units see the tree and 试一试).
  app.get<{ Querystring: { categoryCode?: string; divisionCode?: string } }>('/workbench/appeals/catalogue', { config: CATALOGUE, schema: { hide: true, querystring: tryQuery } }, async (request, reply) => {
    const { categoryCode, divisionCode } = request.query;
    return send(reply, await cataloguePageFor(request, { tryValues: { ...(categoryCode ? { categoryCode } : {}), ...(divisionCode ? { divisionCode } : {}) } }));
  });
  app.post<{ Body: Body }>('/workbench/appeals/catalogue/categories', { config: CATALOGUE, schema: { hide: true } }, async (request, reply) => {
    const r = await admin.addCategory(request.ctx, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, await cataloguePageFor(request, { values: request.body ?? {}, errors: r.fields ?? [] }), 400);
      throw refusalOf(r);
    }
    setFlash(reply, `已新增分类 ${r.value.code}`);
    return reply.redirect('/workbench/appeals/catalogue', 303);
  });
  const loadCategory = async (code: string): Promise<{ category: AdminCategory; parentName: string | null }> => {
    const category = await admin.repo.category(code);
    if (!category) throw new AppError('ZW_ERR_NOT_FOUND', '分类不存在');
    const parent = category.parentCode ? await admin.repo.category(category.parentCode) : null;
    return { category, parentName: parent ? `${parent.code} ${parent.name}` : null };
  };
  app.get<{ Params: { code: string } }>('/workbench/appeals/catalogue/categories/:code', { config: CATALOGUE, schema: { hide: true, params: codeParams } }, async (request, reply) => {
    await centreOrForbid(request);
    return send(reply, categoryPage(request.page, { ...(await loadCategory(request.params.code)), values: {}, errors: [] }));
  });
  app.post<{ Params: { code: string; op: 'rename' | 'disable' | 'enable' }; Body: Body }>('/workbench/appeals/catalogue/categories/:code/:op', { config: CATALOGUE, schema: { hide: true, params: opParams } }, async (request, reply) => {
    const r = await admin.changeCategory(request.ctx, request.params.code, request.params.op, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, categoryPage(request.page, { ...(await loadCategory(request.params.code)), values: request.body ?? {}, errors: r.fields ?? [] }), 400);
      throw refusalOf(r);
    }
    setFlash(reply, { rename: '分类已改名', disable: '分类已停用', enable: '分类已启用' }[request.params.op]);
    return reply.redirect(`/workbench/appeals/catalogue/categories/${request.params.code}`, 303);
  });

  // ---- rule pages ----
  app.get<{ Querystring: { page: number; categoryCode?: string } }>('/workbench/appeals/catalogue/rules', { config: CATALOGUE, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const centre = await centreOrForbid(request);
    const { page } = request.query;
    const categoryCode = request.query.categoryCode ?? '';
    const { rows, total } = await admin.repo.rules({ prefix: subtreePrefix(centre.divisionCode), categoryCode: categoryCode || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return send(reply, rulesPage(request.page, { rows, total, page, pageSize: PAGE_SIZE, categoryCode, categories: await admin.repo.categories(), scopeName: `${centre.organisationName}（${centre.divisionCode}）` }));
  });
  const ruleForm = async (request: FastifyRequest, centre: Centre, rule: AdminRule | null, values: Body, errors: FieldError[]) =>
    ruleFormPage(request.page, { rule, values, errors, categories: await admin.repo.categories(), divisions: await d.divisionOptions(), organisations: await d.orgChoices(centre.divisionCode) });
  const loadRule = async (centre: Centre, category: string, division: string): Promise<AdminRule> => {
    const rule = await admin.repo.rule(category, division);
    if (!rule || !division.startsWith(subtreePrefix(centre.divisionCode))) throw new AppError('ZW_ERR_NOT_FOUND', '派单规则不存在或不在您的管辖范围内');
    return rule;
  };
  app.get('/workbench/appeals/catalogue/rules/new', { config: CATALOGUE, schema: { hide: true } }, async (request, reply) => {
    const centre = await centreOrForbid(request);
    return send(reply, await ruleForm(request, centre, null, { divisionCode: centre.divisionCode }, []));
  });
  app.post<{ Body: Body }>('/workbench/appeals/catalogue/rules', { config: CATALOGUE, schema: { hide: true } }, async (request, reply) => {
    const r = await admin.saveRule(request.ctx, null, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, await ruleForm(request, await centreOrForbid(request), null, request.body ?? {}, r.fields ?? []), 400);
      throw refusalOf(r);
    }
    setFlash(reply, '派单规则已保存，下一次派单建议即按新规则');
    return reply.redirect('/workbench/appeals/catalogue/rules', 303);
  });
  app.get<{ Params: { category: string; division: string } }>('/workbench/appeals/catalogue/rules/:category/:division', { config: CATALOGUE, schema: { hide: true, params: ruleParams } }, async (request, reply) => {
    const centre = await centreOrForbid(request);
    const rule = await loadRule(centre, request.params.category, request.params.division);
    return send(reply, await ruleForm(request, centre, rule, { organisationId: rule.organisationId, coOrgIds: rule.coOrgIds }, []));
  });
  app.post<{ Params: { category: string; division: string }; Body: Body }>('/workbench/appeals/catalogue/rules/:category/:division', { config: CATALOGUE, schema: { hide: true, params: ruleParams } }, async (request, reply) => {
    const key = { categoryCode: request.params.category, divisionCode: request.params.division };
    const r = await admin.saveRule(request.ctx, key, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') {
        const centre = await centreOrForbid(request);
        return send(reply, await ruleForm(request, centre, await loadRule(centre, key.categoryCode, key.divisionCode), request.body ?? {}, r.fields ?? []), 400);
      }
      throw refusalOf(r);
    }
    setFlash(reply, '派单规则已保存，下一次派单建议即按新规则');
    return reply.redirect('/workbench/appeals/catalogue/rules', 303);
  });
  app.post<{ Params: { category: string; division: string }; Body: Body }>('/workbench/appeals/catalogue/rules/:category/:division/delete', { config: CATALOGUE, schema: { hide: true, params: ruleParams } }, async (request, reply) => {
    const r = await admin.deleteRule(request.ctx, request.params.category, request.params.division, request.body ?? {});
    if (!r.ok) throw refusalOf(r);
    setFlash(reply, '派单规则已删除');
    return reply.redirect('/workbench/appeals/catalogue/rules', 303);
  });

  // ---- centre pages (system administrator) ----
  const orgOptions = async () => (await d.allOrganisations()).map((o) => ({ id: o.id, name: o.name, group: o.jurisdictionCode }));
  const centreValues = (c: AdminCentre): Body => ({ ...c });
  app.get<{ Querystring: { page: number } }>('/workbench/appeals/centres', { config: CENTRES, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const { page } = request.query;
    const { rows, total } = await admin.repo.centres({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return send(reply, centresPage(request.page, { rows, total, page, pageSize: PAGE_SIZE }));
  });
  app.get('/workbench/appeals/centres/new', { config: CENTRES, schema: { hide: true } }, async (request, reply) =>
    send(reply, centreFormPage(request.page, { centre: null, values: { kind: 'hotline', hotline: '12345' }, errors: [], organisations: await orgOptions() })),
  );
  app.post<{ Body: Body }>('/workbench/appeals/centres', { config: CENTRES, schema: { hide: true } }, async (request, reply) => {
    const r = await admin.saveCentre(request.ctx, null, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, centreFormPage(request.page, { centre: null, values: request.body ?? {}, errors: r.fields ?? [], organisations: await orgOptions() }), 400);
      throw refusalOf(r);
    }
    setFlash(reply, `已新增“${r.value.name}”`);
    return reply.redirect('/workbench/appeals/centres', 303);
  });
  const loadCentre = async (id: string) => {
    const c = await admin.repo.centre(id);
    if (!c) throw new AppError('ZW_ERR_NOT_FOUND', '热线中心不存在');
    return c;
  };
  app.get<{ Params: { id: string } }>('/workbench/appeals/centres/:id', { config: CENTRES, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const c = await loadCentre(request.params.id);
    return send(reply, centreFormPage(request.page, { centre: c, values: centreValues(c), errors: [], organisations: await orgOptions() }));
  });
  app.post<{ Params: { id: string }; Body: Body }>('/workbench/appeals/centres/:id', { config: CENTRES, schema: { hide: true, params: idParams } }, async (request, reply) => {
    const r = await admin.saveCentre(request.ctx, request.params.id, request.body ?? {});
    if (!r.ok) {
      if (r.reason === 'invalid') return send(reply, centreFormPage(request.page, { centre: await loadCentre(request.params.id), values: request.body ?? {}, errors: r.fields ?? [], organisations: await orgOptions() }), 400);
      throw refusalOf(r);
    }
    setFlash(reply, `“${r.value.name}”已保存`);
    return reply.redirect('/workbench/appeals/centres', 303);
  });

  // ---- JSON API ----
  const tags = ['appeals'];
  app.get('/api/appeals/catalogue/categories', { config: CATALOGUE, schema: { tags, summary: '派单目录：分类树（含使用情况）', response: { 200: { type: 'object', properties: { items: { type: 'array', items: categoryJson } } } } } }, async (request) => {
    await centreOrForbid(request);
    return { items: await admin.repo.categories() };
  });
  app.post<{ Body: Body }>('/api/appeals/catalogue/categories', { config: CATALOGUE, schema: { tags, summary: '派单目录：新增分类', body: categoryBody, response: { 201: categoryJson } } }, async (request, reply) => {
    const r = await admin.addCategory(request.ctx, request.body ?? {});
    if (!r.ok) throw refusalOf(r);
    return reply.status(201).send(await admin.repo.category(r.value.code));
  });
  app.post<{ Params: { code: string; op: 'rename' | 'disable' | 'enable' }; Body: Body }>(
    '/api/appeals/catalogue/categories/:code/:op',
    { config: CATALOGUE, schema: { tags, summary: '派单目录：分类改名、停用、启用（带版本号）', params: opParams, body: categoryOpBody, response: { 200: categoryJson } } },
    async (request) => {
      const r = await admin.changeCategory(request.ctx, request.params.code, request.params.op, request.body ?? {});
      if (!r.ok) throw refusalOf(r);
      return admin.repo.category(r.value.code);
    },
  );
  app.get<{ Querystring: { page: number; categoryCode?: string } }>('/api/appeals/catalogue/rules', { config: CATALOGUE, schema: { tags, summary: '派单规则（本中心管辖范围，分页）', querystring: pageQuery, response: { 200: pageOf(ruleJson) } } }, async (request) => {
    const centre = await centreOrForbid(request);
    const { page, categoryCode } = request.query;
    const { rows, total } = await admin.repo.rules({ prefix: subtreePrefix(centre.divisionCode), categoryCode: categoryCode || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return { items: rows, total, page, pageSize: PAGE_SIZE };
  });
  app.post<{ Body: Body }>('/api/appeals/catalogue/rules', { config: CATALOGUE, schema: { tags, summary: '新增派单规则', body: { ...ruleBody, required: ['categoryCode', 'divisionCode', 'organisationId'] }, response: { 201: ruleJson } } }, async (request, reply) => {
    const r = await admin.saveRule(request.ctx, null, request.body ?? {});
    if (!r.ok) throw refusalOf(r);
    return reply.status(201).send(r.value);
  });
  app.put<{ Params: { category: string; division: string }; Body: Body }>(
    '/api/appeals/catalogue/rules/:category/:division',
    { config: CATALOGUE, schema: { tags, summary: '修改派单规则（带版本号）', params: ruleParams, body: { ...ruleBody, required: ['organisationId', 'version'] }, response: { 200: ruleJson } } },
    async (request) => {
      const r = await admin.saveRule(request.ctx, { categoryCode: request.params.category, divisionCode: request.params.division }, request.body ?? {});
      if (!r.ok) throw refusalOf(r);
      return r.value;
    },
  );
  app.delete<{ Params: { category: string; division: string }; Querystring: { version?: number } }>(
    '/api/appeals/catalogue/rules/:category/:division',
    { config: CATALOGUE, schema: { tags, summary: '删除派单规则（?version=）', params: ruleParams, querystring: { type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } } } },
    async (request, reply) => {
      const r = await admin.deleteRule(request.ctx, request.params.category, request.params.division, { version: request.query.version });
      if (!r.ok) throw refusalOf(r);
      return reply.status(204).send();
    },
  );
  app.get<{ Querystring: { categoryCode?: string; divisionCode?: string } }>('/api/appeals/catalogue/try', { config: CATALOGUE, schema: { tags, summary: '试一试：某分类 + 区划适用哪条派单规则', querystring: tryQuery, response: { 200: tryJson } } }, async (request) => {
    await centreOrForbid(request);
    const { result, errors } = await tryRule(request.query.categoryCode ?? '', request.query.divisionCode ?? '');
    if (!result) throw new AppError('ZW_ERR_VALIDATION', '请修改标记的内容', errors);
    return result;
  });
  app.get<{ Querystring: { page: number } }>('/api/appeals/centres', { config: CENTRES, schema: { tags, summary: '热线中心与信访部门（分页）', querystring: pageQuery, response: { 200: pageOf(centreJson) } } }, async (request) => {
    const { page } = request.query;
    const { rows, total } = await admin.repo.centres({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return { items: rows, total, page, pageSize: PAGE_SIZE };
  });
  app.post<{ Body: Body }>('/api/appeals/centres', { config: CENTRES, schema: { tags, summary: '新增热线中心', body: centreBody, response: { 201: centreJson } } }, async (request, reply) => {
    const r = await admin.saveCentre(request.ctx, null, request.body ?? {});
    if (!r.ok) throw refusalOf(r);
    return reply.status(201).send(r.value);
  });
  app.put<{ Params: { id: string }; Body: Body }>('/api/appeals/centres/:id', { config: CENTRES, schema: { tags, summary: '修改热线中心（带版本号）', params: idParams, body: { ...centreBody, required: [...centreBody.required, 'version'] }, response: { 200: centreJson } } }, async (request) => {
    const r = await admin.saveCentre(request.ctx, request.params.id, request.body ?? {});
    if (!r.ok) throw refusalOf(r);
    return r.value;
  });
}
