import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, refusalError, unwrap } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { listScope } from '../../../platform/auth/scope.ts';
import { changeNotice, type NoticeChange } from '../commands/change-notice.ts';
import { createNotice, type NoticeDeps } from '../commands/create-notice.ts';
import type { NoticeRow, NoticeStatus } from '../notice.repository.ts';
import { allowedNoticeActions, canNotice, inStaffScope } from '../policies.ts';
import { noticeForm, publicNoticeDetail, publicNoticeList, staffNoticeDetail, staffNoticeList } from '../views/notice-pages.ts';

const PAGE_SIZE = 20;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const pageQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    status: { type: 'string', enum: ['draft', 'published', 'withdrawn', ''] },
  },
} as const;
const noticeBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    title: { type: 'string', maxLength: 2000 },
    body: { type: 'string', maxLength: 100000 },
    version: { type: 'integer', minimum: 1 },
  },
} as const;
const noticeJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    jurisdictionCode: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    status: { type: 'string', enum: ['draft', 'published', 'withdrawn'] },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

/** Presenter: what the API shows of a notice. */
export function presentNotice(n: NoticeRow) {
  return {
    id: n.id,
    organisationId: n.organisationId,
    organisationName: n.organisationName,
    jurisdictionCode: n.jurisdictionCode,
    title: n.title,
    body: n.body,
    status: n.status,
    publishedAt: n.publishedAt?.toISOString() ?? null,
    updatedAt: n.updatedAt.toISOString(),
    version: n.version,
  };
}

type Body = { title?: string; body?: string; version?: number };

export function noticeRoutes(platform: Platform, deps: NoticeDeps) {
  const { transactor, permissions } = platform;
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- public portal ----
    app.get<{ Querystring: { page: number } }>('/notices', { config: { access: { public: true } }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const page = request.query.page;
      const { rows, total } = await deps.notices.listPublished({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, publicNoticeList(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
    });
    app.get<{ Params: { id: string } }>('/notices/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const n = await deps.notices.getById(request.params.id);
      if (!n || n.status !== 'published') throw new AppError('ZW_ERR_NOT_FOUND', '该通知公告不存在或已撤回');
      return send(reply, publicNoticeDetail(request.page, n));
    });
    app.get<{ Querystring: { page: number } }>(
      '/api/notices/published',
      { config: { access: { public: true } }, schema: { tags: ['notices'], summary: '已发布的通知公告', querystring: pageQuery } },
      async (request) => {
        const page = request.query.page;
        const { rows, total } = await deps.notices.listPublished({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentNotice) };
      },
    );

    // ---- staff workbench ----
    app.get<{ Querystring: { page: number; status?: NoticeStatus | '' } }>(
      '/workbench/notices',
      { config: { access: { permission: 'notice.read' } }, schema: { hide: true, querystring: pageQuery } },
      async (request, reply) => {
        const { page } = request.query;
        const status = request.query.status || undefined;
        const { rows, total } = await deps.notices.listInScope(listScope(request.actor), { ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return send(reply, staffNoticeList(request.page, rows, { page, pageSize: PAGE_SIZE, total, status, canCreate: permissions.has(request.actor, 'notice.write') }));
      },
    );
    app.get('/workbench/notices/new', { config: { access: { permission: 'notice.write' } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, noticeForm(request.page, { values: {}, errors: [] })),
    );
    app.post<{ Body: Body }>('/workbench/notices', { config: { access: { permission: 'notice.write' } }, schema: { hide: true, body: noticeBody } }, async (request, reply) => {
      const result = await transactor.run(request.ctx, (uow) => createNotice(deps, uow, request.body));
      if (!result.ok) {
        if (result.reason === 'invalid') return send(reply, noticeForm(request.page, { values: request.body, errors: result.fields ?? [] }), 400);
        throw refusalError(result);
      }
      setFlash(reply, '草稿已保存');
      return reply.redirect(`/workbench/notices/${result.value.id}`, 303);
    });
    app.get<{ Params: { id: string } }>('/workbench/notices/:id', { config: { access: { permission: 'notice.read' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const n = await deps.notices.getById(request.params.id);
      if (!n || !inStaffScope(permissions, request.actor, n)) throw new AppError('ZW_ERR_NOT_FOUND', '通知公告不存在或不在您的管辖范围内');
      return send(reply, staffNoticeDetail(request.page, n, allowedNoticeActions(permissions, request.actor, n)));
    });
    app.get<{ Params: { id: string } }>('/workbench/notices/:id/edit', { config: { access: { permission: 'notice.write' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const n = await deps.notices.getById(request.params.id);
      if (!n || !inStaffScope(permissions, request.actor, n)) throw new AppError('ZW_ERR_NOT_FOUND', '通知公告不存在或不在您的管辖范围内');
      if (!canNotice(permissions, request.actor, 'edit', n)) throw new AppError('ZW_ERR_FORBIDDEN', '此通知公告当前不能修改');
      return send(reply, noticeForm(request.page, { notice: n, values: n, errors: [] }));
    });
    const formChange = (path: string, kind: NoticeChange['kind'], permission: string, done: string) =>
      app.post<{ Params: { id: string }; Body: Body }>(path, { config: { access: { permission } }, schema: { hide: true, params: idParams, body: noticeBody } }, async (request, reply) => {
        const version = request.body.version ?? 0;
        const change: NoticeChange = kind === 'edit' ? { kind, title: request.body.title, body: request.body.body } : { kind };
        const result = await transactor.run(request.ctx, (uow) => changeNotice(deps, uow, request.params.id, version, change));
        if (!result.ok) {
          if (result.reason === 'invalid') {
            const n = await deps.notices.getById(request.params.id);
            if (n) return send(reply, noticeForm(request.page, { notice: n, values: request.body, errors: result.fields ?? [], version }), 400);
          }
          throw refusalError(result);
        }
        setFlash(reply, done);
        return reply.redirect(`/workbench/notices/${result.value.id}`, 303);
      });
    formChange('/workbench/notices/:id', 'edit', 'notice.write', '修改已保存');
    formChange('/workbench/notices/:id/publish', 'publish', 'notice.publish', '已发布');
    formChange('/workbench/notices/:id/withdraw', 'withdraw', 'notice.publish', '已撤回');

    // ---- JSON API (same commands) ----
    app.get<{ Querystring: { page: number; status?: NoticeStatus | '' } }>(
      '/api/notices',
      { config: { access: { permission: 'notice.read' } }, schema: { tags: ['notices'], summary: '管辖范围内的通知公告', querystring: pageQuery } },
      async (request) => {
        const { page } = request.query;
        const status = request.query.status || undefined;
        const { rows, total } = await deps.notices.listInScope(listScope(request.actor), { ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentNotice) };
      },
    );
    app.post<{ Body: Body }>(
      '/api/notices',
      {
        config: { access: { permission: 'notice.write' } },
        schema: { tags: ['notices'], summary: '起草通知公告', body: { ...noticeBody, required: ['title', 'body'], additionalProperties: false }, response: { 201: noticeJson } },
      },
      async (request, reply) => {
        const n = unwrap(await transactor.run(request.ctx, (uow) => createNotice(deps, uow, request.body)));
        return reply.status(201).send(presentNotice(n));
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/notices/:id',
      { config: { access: { permission: 'notice.read' } }, schema: { tags: ['notices'], params: idParams, response: { 200: noticeJson } } },
      async (request) => {
        const n = await deps.notices.getById(request.params.id);
        if (!n || !inStaffScope(permissions, request.actor, n)) throw new AppError('ZW_ERR_NOT_FOUND', '通知公告不存在或不在您的管辖范围内');
        return presentNotice(n);
      },
    );
    const apiChange = (method: 'patch' | 'post', path: string, kind: NoticeChange['kind'], permission: string) =>
      app[method]<{ Params: { id: string }; Body: Body }>(
        path,
        {
          config: { access: { permission } },
          schema: { tags: ['notices'], params: idParams, body: { ...noticeBody, required: ['version'], additionalProperties: false }, response: { 200: noticeJson } },
        },
        async (request) => {
          const change: NoticeChange = kind === 'edit' ? { kind, title: request.body.title, body: request.body.body } : { kind };
          const n = unwrap(await transactor.run(request.ctx, (uow) => changeNotice(deps, uow, request.params.id, request.body.version ?? 0, change)));
          return presentNotice(n);
        },
      );
    apiChange('patch', '/api/notices/:id', 'edit', 'notice.write');
    apiChange('post', '/api/notices/:id/publish', 'publish', 'notice.publish');
    apiChange('post', '/api/notices/:id/withdraw', 'withdraw', 'notice.publish');
  };
}
