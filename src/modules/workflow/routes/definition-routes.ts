import type { FastifyInstance, FastifyReply } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, unwrap } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { defaultProcess, parseBpmn, type DefinitionRow, type DefinitionSummary, type WorkflowModel } from '../../../platform/workflow/index.ts';
import { publishDefinition } from '../commands/publish-definition.ts';
import { saveDefinition, type DefinitionDeps, type DefinitionInput } from '../commands/save-definition.ts';
import { designerAsset } from '../designer-assets.ts';
import { allowedDefinitionActions, canDefinition } from '../policies.ts';
import { definitionDetail, definitionForm, definitionList } from '../views/definition-pages.ts';

const PAGE_SIZE = 20;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const definitionBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    key: { type: 'string', maxLength: 200 },
    name: { type: 'string', maxLength: 1000 },
    xml: { type: 'string', maxLength: 1_000_000 },
    comment: { type: 'string', maxLength: 2000 },
  },
} as const;
const summaryJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    key: { type: 'string' },
    version: { type: 'integer' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published', 'superseded'] },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    comment: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;
const stepJson = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, type: { type: 'string' }, roles: { type: 'array', items: { type: 'string' } }, limit: { type: ['string', 'null'] } },
} as const;
const definitionJson = { type: 'object', properties: { ...summaryJson.properties, xml: { type: 'string' }, steps: { type: 'array', items: stepJson } } } as const;

export function presentSummary(d: DefinitionSummary) {
  return {
    id: d.id,
    key: d.key,
    version: d.version,
    name: d.name,
    status: d.status,
    organisationId: d.organisationId,
    organisationName: d.organisationName,
    comment: d.comment,
    createdAt: d.createdAt.toISOString(),
    publishedAt: d.publishedAt?.toISOString() ?? null,
  };
}

function presentSteps(model: WorkflowModel) {
  return Object.values(model.nodes)
    .filter((n) => n.type !== 'start' && n.type !== 'end')
    .map((n) => ({ id: n.id, name: n.name, type: n.type, roles: n.type === 'userTask' ? n.roles : [], limit: n.type === 'userTask' && n.limit ? `${n.limit.n}${n.limit.unit}` : null }));
}

export function presentDefinition(d: DefinitionRow) {
  return { ...presentSummary(d), xml: d.xml, steps: presentSteps(d.model) };
}

export function definitionRoutes(platform: Platform, deps: DefinitionDeps) {
  const { transactor, permissions } = platform;
  const repo = deps.engine.repo;
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);
  const readable = async (request: { actor: Parameters<typeof canDefinition>[1] }, id: string): Promise<DefinitionRow> => {
    const d = await repo.definitionById(id);
    if (!d || !canDefinition(permissions, request.actor, 'read', d)) throw new AppError('ZW_ERR_NOT_FOUND', '流程定义不存在或不在您的管辖范围内');
    return d;
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- designer island assets (bundled on first request) ----
    app.get<{ Params: { name: string } }>(
      '/assets/workflow/:name',
      { config: { access: { public: true } }, schema: { hide: true, params: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } } } } },
      async (request, reply) => {
        const asset = await designerAsset(request.params.name);
        if (!asset) throw new AppError('ZW_ERR_NOT_FOUND');
        return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
      },
    );

    // ---- workbench pages ----
    app.get<{ Querystring: { page: number } }>('/workbench/workflows', { config: { access: { permission: 'workflow.read' } }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const page = request.query.page;
      const { rows, total } = await repo.listDefinitionKeys(listScope(request.actor), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, definitionList(request.page, rows, { page, pageSize: PAGE_SIZE, total, canCreate: permissions.has(request.actor, 'workflow.define') }));
    });
    app.get('/workbench/workflows/new', { config: { access: { permission: 'workflow.define' } }, schema: { hide: true } }, async (request, reply) => {
      const d = defaultProcess();
      return send(reply, definitionForm(request.page, { values: { name: '', xml: d.xml }, errors: [] }));
    });
    app.post<{ Body: DefinitionInput }>('/workbench/workflows', { config: { access: { permission: 'workflow.define' } }, schema: { hide: true, body: definitionBody } }, async (request, reply) => {
      const result = await transactor.run(request.ctx, (uow) => saveDefinition(deps, uow, request.body));
      if (!result.ok) {
        if (result.reason === 'invalid') {
          const b = request.body;
          const values = { key: typeof b.key === 'string' ? b.key : '', name: typeof b.name === 'string' ? b.name : '', xml: typeof b.xml === 'string' ? b.xml : '', comment: typeof b.comment === 'string' ? b.comment : '' };
          const versions = values.key ? await repo.listVersions(request.actor.kind === 'staff' ? request.actor.position.organisationId : '', values.key) : [];
          return send(reply, definitionForm(request.page, { ...(versions[0] ? { base: versions[0] } : {}), values, errors: result.fields ?? [] }), 400);
        }
        throw refusalError(result);
      }
      setFlash(reply, result.value.unchanged ? '内容没有变化，未生成新版本' : `已保存为第 ${result.value.version} 版草稿`);
      return reply.redirect(`/workbench/workflows/${result.value.id}`, 303);
    });
    app.get<{ Params: { id: string } }>('/workbench/workflows/:id', { config: { access: { permission: 'workflow.read' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const d = await readable(request, request.params.id);
      const [versions, instances] = await Promise.all([repo.listVersions(d.organisationId, d.key), repo.countInstancesOf(d.id)]);
      return send(reply, definitionDetail(request.page, d, versions, allowedDefinitionActions(permissions, request.actor, d), instances));
    });
    app.get<{ Params: { id: string } }>('/workbench/workflows/:id/edit', { config: { access: { permission: 'workflow.define' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const d = await readable(request, request.params.id);
      if (!canDefinition(permissions, request.actor, 'edit', d)) throw new AppError('ZW_ERR_FORBIDDEN', '只能修改本单位的流程定义');
      return send(reply, definitionForm(request.page, { base: d, values: { key: d.key, name: d.name, xml: d.xml }, errors: [] }));
    });
    app.get<{ Params: { id: string } }>('/workbench/workflows/:id/bpmn', { config: { access: { permission: 'workflow.read' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const d = await readable(request, request.params.id);
      return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${d.key}-v${d.version}.bpmn"`).send(d.xml);
    });
    app.post<{ Params: { id: string } }>('/workbench/workflows/:id/publish', { config: { access: { permission: 'workflow.publish' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const d = unwrap(await transactor.run(request.ctx, (uow) => publishDefinition(deps, uow, request.params.id)));
      setFlash(reply, `第 ${d.version} 版已发布，新启动的流程将使用此版本`);
      return reply.redirect(`/workbench/workflows/${d.id}`, 303);
    });

    // ---- JSON API (same commands) ----
    app.get<{ Querystring: { page: number } }>(
      '/api/workflows',
      { config: { access: { permission: 'workflow.read' } }, schema: { tags: ['workflow'], summary: '管辖范围内的流程定义（每个标识一行，最新版本）', querystring: pageQuery } },
      async (request) => {
        const page = request.query.page;
        const { rows, total } = await repo.listDefinitionKeys(listScope(request.actor), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map((r) => ({ ...presentSummary(r), publishedVersion: r.publishedVersion })) };
      },
    );
    app.post<{ Body: DefinitionInput }>(
      '/api/workflows',
      {
        config: { access: { permission: 'workflow.define' } },
        schema: { tags: ['workflow'], summary: '保存流程定义（校验通过后成为新的草稿版本）', body: { ...definitionBody, required: ['key', 'name', 'xml'], additionalProperties: false }, response: { 200: definitionJson, 201: definitionJson } },
      },
      async (request, reply) => {
        const d = unwrap(await transactor.run(request.ctx, (uow) => saveDefinition(deps, uow, request.body)));
        return reply.status(d.unchanged ? 200 : 201).send(presentDefinition(d));
      },
    );
    app.post<{ Body: { xml: string } }>(
      '/api/workflows/validate',
      {
        config: { access: { permission: 'workflow.read' } },
        schema: {
          tags: ['workflow'],
          summary: '校验 BPMN 定义（不保存）',
          body: { type: 'object', required: ['xml'], additionalProperties: false, properties: { xml: { type: 'string', maxLength: 1_000_000 } } },
          response: { 200: { type: 'object', properties: { valid: { type: 'boolean' }, errors: { type: 'array', items: { type: 'string' } }, steps: { type: 'array', items: stepJson } } } },
        },
      },
      async (request) => {
        const r = await parseBpmn(request.body.xml);
        return r.ok ? { valid: true, errors: [], steps: presentSteps(r.model) } : { valid: false, errors: r.errors, steps: [] };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/workflows/:id',
      { config: { access: { permission: 'workflow.read' } }, schema: { tags: ['workflow'], summary: '流程定义的一个版本', params: idParams, response: { 200: definitionJson } } },
      async (request) => presentDefinition(await readable(request, request.params.id)),
    );
    app.get<{ Params: { id: string } }>(
      '/api/workflows/:id/versions',
      { config: { access: { permission: 'workflow.read' } }, schema: { tags: ['workflow'], summary: '同一流程标识的全部版本', params: idParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: summaryJson } } } } } },
      async (request) => {
        const d = await readable(request, request.params.id);
        return { items: (await repo.listVersions(d.organisationId, d.key)).map(presentSummary) };
      },
    );
    app.post<{ Params: { id: string } }>(
      '/api/workflows/:id/publish',
      { config: { access: { permission: 'workflow.publish' } }, schema: { tags: ['workflow'], summary: '发布草稿版本', params: idParams, response: { 200: summaryJson } } },
      async (request) => presentSummary(unwrap(await transactor.run(request.ctx, (uow) => publishDefinition(deps, uow, request.params.id)))),
    );
  };
}
