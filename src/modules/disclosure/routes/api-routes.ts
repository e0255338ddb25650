import type { FastifyInstance } from 'fastify';
import { listScope, subtreePrefix } from '../../../platform/auth/scope.ts';
import { AppError, unwrap } from '../../../platform/errors.ts';
import type { ImportAttachment } from '../commands/import-publications.ts';
import type { PublicationChange } from '../commands/change-publication.ts';
import { MAX_IMPORT_ROWS, parseImportFile } from '../import-file.ts';
import { inStaffScope, PERMISSION } from '../policies.ts';
import type { PublicationStatus } from '../publication.repository.ts';
import { presentPublic, presentStaff, staffPublicationJson } from '../presenters.ts';
import { categoryCodes } from './portal-routes.ts';
import { idParams, PAGE_SIZE, type RouteDeps } from './shared.ts';

const TAG = ['disclosure'];
const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
const contentProps = {
  title: str(2000),
  docNumber: str(200),
  issuingBody: str(500),
  writtenOn: str(20),
  categoryCode: str(40),
  theme: str(100),
  genre: str(20),
  validity: { type: 'string', enum: ['valid', 'invalid', 'repealed'] },
  summary: str(5000),
  body: { type: 'string', maxLength: 1000000, description: 'HTML（按白名单净化）或纯文本' },
  attachmentIds: { type: 'array', maxItems: 30, items: { type: 'string', format: 'uuid' } },
} as const;
type ContentBody = Record<keyof typeof contentProps, unknown>;
const problem = { description: 'application/problem+json（字段与原因）' };

export function apiRoutes(deps: RouteDeps) {
  const { publications, permissions } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- public ----
    app.get<{ Querystring: { page: number; division?: string; category?: string; org?: string; year?: number } }>(
      '/api/disclosure/publications',
      {
        config: { access: { public: true } },
        schema: {
          tags: TAG,
          summary: '已主动公开的政府信息',
          querystring: {
            type: 'object',
            properties: {
              page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
              division: { type: 'string', pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' },
              category: str(40),
              org: str(80),
              year: { type: 'integer', minimum: 1949, maximum: 2100 },
            },
          },
        },
      },
      async (request) => {
        const q = request.query;
        const categories = await publications.categories();
        if (q.category && !categories.some((c) => c.code === q.category)) throw new AppError('ZW_ERR_VALIDATION', '没有这个目录分类', [{ field: 'category', message: '没有这个目录分类' }]);
        const { rows, total } = await publications.listPublished(
          {
            ...(q.division ? { prefix: subtreePrefix(q.division) } : {}),
            ...(q.category ? { categoryCodes: categoryCodes(categories, q.category) } : {}),
            ...(q.org ? { organisationId: q.org } : {}),
            ...(q.year ? { year: q.year } : {}),
          },
          { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE },
        );
        return { total, page: q.page, pageSize: PAGE_SIZE, items: rows.map((p) => presentPublic(p, deps.publicUrl)) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/disclosure/publications/:id',
      { config: { access: { public: true } }, schema: { tags: TAG, summary: '一条公开信息（含相关解读）', params: idParams } },
      async (request) => {
        const p = await publications.getById(request.params.id);
        if (!p || (p.status !== 'published' && p.status !== 'withdrawn') || !p.indexNumber) throw new AppError('ZW_ERR_NOT_FOUND', '该公开信息不存在');
        const related = await publications.related(p.id);
        const ids = (rows: { id: string; status: PublicationStatus }[]) => rows.filter((r) => r.status === 'published').map((r) => r.id);
        return { ...presentPublic(p, deps.publicUrl), interprets: ids(related.interprets), interpretedBy: ids(related.interpretedBy), history: await publications.events(p.id, { publicOnly: true }) };
      },
    );
    app.get('/api/disclosure/categories', { config: { access: { public: true } }, schema: { tags: TAG, summary: '公开目录分类树' } }, async () => ({ items: await publications.categories() }));

    // ---- staff ----
    app.get<{ Querystring: { page: number; status?: PublicationStatus | ''; q?: string } }>(
      '/api/disclosure/staff/publications',
      {
        config: { access: { permission: PERMISSION.read } },
        schema: {
          tags: TAG,
          summary: '管辖范围内的公开信息（含草稿）',
          querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 }, status: { type: 'string', enum: ['draft', 'in_review', 'approved', 'published', 'withdrawn', ''] }, q: str(50) } },
        },
      },
      async (request) => {
        const { page } = request.query;
        const status = request.query.status || undefined;
        const { rows, total } = await publications.listInScope(listScope(request.actor), { ...(status ? { status } : {}), ...(request.query.q ? { q: request.query.q } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentStaff) };
      },
    );
    app.post<{ Body: ContentBody & { interpretsId?: string }; Headers: { 'idempotency-key'?: string } }>(
      '/api/disclosure/staff/publications',
      {
        config: { access: { permission: PERMISSION.draft } },
        schema: {
          tags: TAG,
          summary: '起草公开信息（Idempotency-Key 头防止重复提交）',
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', pattern: '^[\\w-]{8,80}$' } } },
          body: { type: 'object', additionalProperties: false, required: ['title', 'writtenOn', 'categoryCode', 'genre', 'body'], properties: { ...contentProps, interpretsId: { type: 'string', format: 'uuid' } } },
          response: { 201: staffPublicationJson, 400: problem, 403: problem },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const p = unwrap(await deps.commands.create(request.ctx, { ...request.body, ...(key ? { idempotencyKey: key } : {}) }));
        return reply.status(201).send(presentStaff(p));
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/disclosure/staff/publications/:id',
      { config: { access: { permission: PERMISSION.read } }, schema: { tags: TAG, params: idParams, response: { 200: staffPublicationJson } } },
      async (request) => {
        const p = await publications.getById(request.params.id);
        if (!p || !inStaffScope(permissions, request.actor, p)) throw new AppError('ZW_ERR_NOT_FOUND', '公开信息不存在或不在您的管辖范围内');
        return presentStaff(p);
      },
    );

    const change = (method: 'patch' | 'post', path: string, permission: string, summary: string, extra: Record<string, unknown>, build: (b: Record<string, unknown>) => PublicationChange) =>
      app[method]<{ Params: { id: string }; Body: Record<string, unknown> & { version: number } }>(
        path,
        {
          config: { access: { permission } },
          schema: {
            tags: TAG,
            summary,
            params: idParams,
            body: { type: 'object', additionalProperties: false, required: ['version'], properties: { version: { type: 'integer', minimum: 1 }, ...extra } },
            response: { 200: staffPublicationJson, 400: problem, 403: problem, 404: problem, 409: problem },
          },
        },
        async (request) => presentStaff(unwrap(await deps.commands.change(request.ctx, request.params.id, request.body.version, build(request.body)))),
      );
    change('patch', '/api/disclosure/staff/publications/:id', PERMISSION.draft, '修改草稿', contentProps, (b) => ({ kind: 'edit', input: b }));
    change('post', '/api/disclosure/staff/publications/:id/submit', PERMISSION.draft, '提交保密审查', {}, () => ({ kind: 'submit' }));
    change('post', '/api/disclosure/staff/publications/:id/review', PERMISSION.review, '保密审查（通过或退回）', { decision: { type: 'string', enum: ['pass', 'return'] }, opinion: str(5000) }, (b) => ({
      kind: 'review',
      decision: b.decision === 'return' ? 'return' : 'pass',
      opinion: b.opinion,
    }));
    change('post', '/api/disclosure/staff/publications/:id/publish', PERMISSION.publish, '发布（生成索引号）', {}, () => ({ kind: 'publish' }));
    change('post', '/api/disclosure/staff/publications/:id/withdraw', PERMISSION.publish, '撤销公开', { reason: str(5000) }, (b) => ({ kind: 'withdraw', reason: b.reason }));
    change('post', '/api/disclosure/staff/publications/:id/revise', PERMISSION.publish, '修订已发布信息', { ...contentProps, reason: str(5000) }, (b) => ({ kind: 'revise', input: b, reason: b.reason }));

    app.get<{ Querystring: { page: number; open?: boolean } }>(
      '/api/disclosure/alerts',
      {
        config: { access: { permission: PERMISSION.read } },
        schema: { tags: TAG, summary: '主动公开超期预警（条例第二十六条）', querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 }, open: { type: 'boolean' } } } },
      },
      async (request) => {
        const { rows, total } = await publications.alertsInScope(listScope(request.actor), { openOnly: request.query.open ?? false, limit: PAGE_SIZE, offset: (request.query.page - 1) * PAGE_SIZE });
        return { total, page: request.query.page, pageSize: PAGE_SIZE, items: rows };
      },
    );

    // ---- bulk import (JSON) ----
    app.post<{ Body: { fileName?: string; content?: string; rows?: Record<string, unknown>[]; attachments?: Record<string, string> } }>(
      '/api/disclosure/imports',
      {
        config: { access: { permission: 'disclosure.import' } },
        schema: {
          tags: TAG,
          summary: '批量导入（rows 数组，或 CSV/JSON 文件内容）；附件先上传，再按文件名映射到附件编号',
          body: {
            type: 'object',
            additionalProperties: false,
            properties: {
              fileName: str(200),
              content: str(20_000_000),
              rows: { type: 'array', maxItems: MAX_IMPORT_ROWS, items: { type: 'object' } },
              attachments: { type: 'object', additionalProperties: { type: 'string', format: 'uuid' } },
            },
          },
        },
      },
      async (request, reply) => {
        const actor = request.actor;
        if (actor.kind !== 'staff') throw new AppError('ZW_ERR_FORBIDDEN');
        const b = request.body;
        const parsed = b.rows ? parseImportFile('rows.json', JSON.stringify(b.rows)) : b.content ? parseImportFile(b.fileName ?? 'import.csv', b.content) : { ok: false as const, message: '请提供 rows 或 content' };
        if (!parsed.ok) throw new AppError('ZW_ERR_VALIDATION', parsed.message, [{ field: b.rows ? 'rows' : 'content', message: parsed.message }]);
        const attachments: Record<string, ImportAttachment> = {};
        for (const [name, id] of Object.entries(b.attachments ?? {})) {
          const meta = await deps.attachments.get(id);
          attachments[name] = meta && meta.ownerAccountId === actor.accountId ? { ok: true, id } : { ok: false, message: '附件不存在或不是您上传的' };
        }
        const id = await deps.startImport(request.ctx, { organisationId: actor.position.organisationId, createdBy: actor.accountId, payload: { rows: parsed.rows, attachments, actor } });
        return reply.status(202).header('location', `/api/disclosure/imports/${id}`).send({ id, total: parsed.rows.length, status: 'queued' });
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/disclosure/imports/:id',
      { config: { access: { permission: 'disclosure.import' } }, schema: { tags: TAG, summary: '导入进度与逐条结果', params: idParams } },
      async (request) => {
        const run = await deps.imports.get(request.params.id);
        const actor = request.actor;
        if (!run || actor.kind !== 'staff' || run.organisationId !== actor.position.organisationId) throw new AppError('ZW_ERR_NOT_FOUND', '导入任务不存在');
        return run;
      },
    );
  };
}
