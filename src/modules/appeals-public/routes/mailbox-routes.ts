import type { FastifyInstance, FastifyReply } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, validationError, type FieldError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { todayInShanghai } from '../../../platform/codes/validators.ts';
import { APPEAL_TYPE_LABEL, appealPublicQueries as Q, type AppealType } from '../../appeals/index.ts';
import type { ApiKeys } from '../api-keys.ts';
import { chartAsset } from '../chart-assets.ts';
import { figuresWorkbook } from '../excel.ts';
import { monthRange, monthStart, summarise, type Figures } from '../figures.ts';
import { maskPersonalText } from '../masking.ts';
import { keysPage, mailboxDetail, mailboxList, MAILBOX_TYPES, statisticsPage, type MailboxQuery } from '../views/mailbox-pages.ts';

export const PAGE_SIZE = 20;
const MAX_MONTHS = 36;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const mailboxQuerySchema = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    q: { type: 'string', maxLength: 200 },
    type: { type: 'string', maxLength: 40 },
    org: { type: 'string', maxLength: 80 },
    from: { type: 'string', maxLength: 40 },
    to: { type: 'string', maxLength: 40 },
  },
} as const;
const statsQuerySchema = {
  type: 'object',
  properties: { from: { type: 'string', maxLength: 40 }, to: { type: 'string', maxLength: 40 }, org: { type: 'string', maxLength: 80 } },
} as const;
const publicTicketJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    number: { type: 'string' },
    type: { type: 'string' },
    typeLabel: { type: 'string' },
    title: { type: 'string' },
    description: { type: 'string' },
    categoryName: { type: ['string', 'null'] },
    divisionCode: { type: 'string' },
    leadOrgName: { type: ['string', 'null'] },
    reply: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    closedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

type MailboxQs = MailboxQuery & { page: number };

/** Checks the mailbox filters; Chinese reasons per field. */
function checkMailbox(q: MailboxQs): { filters: Omit<Q.MailboxFilters, 'limit' | 'offset'>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const text = (q.q ?? '').trim();
  if ([...text].length > 50) errors.push({ field: 'q', message: '关键词不能超过 50 个字' });
  const type = q.type || undefined;
  if (type && !(MAILBOX_TYPES as string[]).includes(type)) errors.push({ field: 'type', message: '请选择列表中的类型' });
  const date = (v: string | undefined, field: string) => {
    if (!v) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(new Date(`${v}T00:00:00+08:00`).getTime())) {
      errors.push({ field, message: '日期格式应为 2026-01-31' });
      return undefined;
    }
    return new Date(`${v}T00:00:00+08:00`);
  };
  const from = date(q.from, 'from');
  const toDay = date(q.to, 'to');
  const to = toDay ? new Date(toDay.getTime() + 86_400_000) : undefined;
  if (from && to && to <= from) errors.push({ field: 'to', message: '截止日期不能早于起始日期' });
  return { filters: { q: text || undefined, type: type as AppealType | undefined, orgId: q.org || undefined, from, to }, errors };
}

function presentMailboxTicket(r: Q.PublicTicketRow) {
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    typeLabel: APPEAL_TYPE_LABEL[r.type],
    title: r.title,
    description: maskPersonalText(r.description),
    categoryName: r.categoryName,
    divisionCode: r.divisionCode,
    leadOrgName: r.leadOrgName,
    reply: r.finalReply ? maskPersonalText(r.finalReply) : null,
    createdAt: r.createdAt.toISOString(),
    closedAt: r.closedAt?.toISOString() ?? null,
  };
}

/** Period of the figures: YYYY-MM months, default the last 12 months up to this one (Asia/Shanghai). */
function checkPeriod(q: { from?: string | undefined; to?: string | undefined }): { from: string; to: string; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const thisMonth = todayInShanghai().slice(0, 7);
  const month = (v: string | undefined, field: string, fallback: string) => {
    if (!v) return fallback;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(v)) {
      errors.push({ field, message: '月份格式应为 2026-01' });
      return fallback;
    }
    return v;
  };
  const to = month(q.to, 'to', thisMonth);
  const [y, m] = to.split('-').map(Number) as [number, number];
  const defaultFrom = m === 12 ? `${y}-01` : `${y - 1}-${String(m + 1).padStart(2, '0')}`;
  const from = month(q.from, 'from', defaultFrom);
  if (from > to) errors.push({ field: 'from', message: '起始月份不能晚于截止月份' });
  else if (monthRange(from, to).length > MAX_MONTHS) errors.push({ field: 'from', message: `统计期间最长 ${MAX_MONTHS} 个月` });
  return errors.length > 0 ? { from: q.from && !errors.some((e) => e.field === 'from') ? from : defaultFrom, to, errors } : { from, to, errors };
}

export function mailboxRoutes(deps: { platform: Platform; keys: ApiKeys }) {
  const { platform, keys } = deps;
  const db = platform.db;
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

  const figures = async (period: { from: string; to: string }, opts: { org?: string | undefined; scope?: Parameters<typeof Q.departmentFigures>[1]['scope'] }): Promise<Figures> => {
    const cells = await Q.departmentFigures(db, { from: monthStart(period.from), to: monthStart(period.to, true), orgId: opts.org || undefined, scope: opts.scope });
    return summarise(period.from, period.to, cells);
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { name: string } }>(
      '/assets/mailbox/:name',
      { config: { access: { public: true } }, schema: { hide: true, params: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' } } } } },
      async (request, reply) => {
        const asset = await chartAsset(request.params.name);
        if (!asset) throw new AppError('ZW_ERR_NOT_FOUND');
        return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
      },
    );

    // ---- public mailbox ----
    app.get<{ Querystring: MailboxQs }>('/mailbox', { config: { access: { public: true } }, schema: { hide: true, querystring: mailboxQuerySchema } }, async (request, reply) => {
      const q = request.query;
      const { filters, errors } = checkMailbox(q);
      const departments = await Q.leadUnits(db, { publishedOnly: true });
      if (errors.length > 0) return send(reply, mailboxList(request.page, [], { query: q, errors, departments, page: 1, pageSize: PAGE_SIZE, total: 0 }), 400);
      const { rows, total } = await Q.searchMailbox(db, { ...filters, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE });
      return send(reply, mailboxList(request.page, rows, { query: q, errors, departments, page: q.page, pageSize: PAGE_SIZE, total }));
    });
    app.get<{ Querystring: { from?: string; to?: string; org?: string } }>(
      '/mailbox/statistics',
      { config: { access: { public: true } }, schema: { hide: true, querystring: statsQuerySchema } },
      async (request, reply) => {
        const period = checkPeriod(request.query);
        const f = await figures(period, { org: request.query.org });
        const departments = await Q.leadUnits(db);
        return send(reply, statisticsPage(request.page, f, { ...period, org: request.query.org, departments, errors: period.errors, staff: false }), period.errors.length > 0 ? 400 : 200);
      },
    );
    app.get<{ Params: { id: string } }>('/mailbox/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const r = await Q.mailboxTicket(db, request.params.id);
      if (!r) throw new AppError('ZW_ERR_NOT_FOUND', '该来信不存在或未公开');
      return send(reply, mailboxDetail(request.page, r, await Q.publicReplies(db, r.id)));
    });

    // ---- JSON API ----
    app.get<{ Querystring: MailboxQs }>(
      '/api/mailbox',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['mailbox'],
          summary: '政民互动信箱：公开来信（检索、分页）',
          querystring: mailboxQuerySchema,
          response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: publicTicketJson } } } },
        },
      },
      async (request) => {
        const q = request.query;
        const { filters, errors } = checkMailbox(q);
        if (errors.length > 0) throw validationError(errors, '查询条件有误');
        const { rows, total } = await Q.searchMailbox(db, { ...filters, limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE });
        return { total, page: q.page, pageSize: PAGE_SIZE, items: rows.map(presentMailboxTicket) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/mailbox/:id',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['mailbox'],
          summary: '公开来信详情',
          params: idParams,
          response: {
            200: {
              type: 'object',
              properties: {
                ...publicTicketJson.properties,
                replies: { type: 'array', items: { type: 'object', properties: { event: { type: 'string' }, organisationName: { type: ['string', 'null'] }, note: { type: 'string' }, at: { type: 'string', format: 'date-time' } } } },
              },
            },
          },
        },
      },
      async (request) => {
        const r = await Q.mailboxTicket(db, request.params.id);
        if (!r) throw new AppError('ZW_ERR_NOT_FOUND', '该来信不存在或未公开');
        const replies = await Q.publicReplies(db, r.id);
        return { ...presentMailboxTicket(r), replies: replies.map((e) => ({ event: e.event, organisationName: e.organisationName, note: maskPersonalText(e.note), at: e.at.toISOString() })) };
      },
    );
    app.get<{ Querystring: { from?: string; to?: string; org?: string } }>(
      '/api/mailbox/statistics',
      { config: { access: { public: true } }, schema: { tags: ['mailbox'], summary: '各承办单位按月办理统计', querystring: statsQuerySchema } },
      async (request) => {
        const period = checkPeriod(request.query);
        if (period.errors.length > 0) throw validationError(period.errors, '统计期间有误');
        const f = await figures(period, { org: request.query.org });
        return { from: f.from, to: f.to, months: f.months, byDepartment: f.byDepartment, byMonth: f.byMonth, total: f.total };
      },
    );

    // ---- staff: scoped figures and Excel export ----
    app.get<{ Querystring: { from?: string; to?: string; org?: string } }>(
      '/workbench/appeals-statistics',
      { config: { access: { permission: 'appeals_public.figures' } }, schema: { hide: true, querystring: statsQuerySchema } },
      async (request, reply) => {
        const period = checkPeriod(request.query);
        const scope = listScope(request.actor);
        const f = await figures(period, { org: request.query.org, scope });
        const departments = [...new Map(f.cells.map((c) => [c.orgId, { id: c.orgId, name: c.orgName }])).values()];
        return send(reply, statisticsPage(request.page, f, { ...period, org: request.query.org, departments, errors: period.errors, staff: true }), period.errors.length > 0 ? 400 : 200);
      },
    );
    app.get<{ Querystring: { from?: string; to?: string; org?: string } }>(
      '/workbench/appeals-statistics.xlsx',
      { config: { access: { permission: 'appeals_public.figures' } }, schema: { hide: true, querystring: statsQuerySchema } },
      async (request, reply) => {
        const period = checkPeriod(request.query);
        if (period.errors.length > 0) throw validationError(period.errors, '统计期间有误');
        const scope = listScope(request.actor);
        const f = await figures(period, { org: request.query.org, scope });
        const label = scope.kind === 'all' ? '全省' : scope.kind === 'jurisdiction' ? `区划 ${scope.prefix}*` : request.actor.kind === 'staff' ? request.actor.position.organisationName : '本单位';
        await platform.transactor.auditOnly(request.ctx, { action: 'appeals.figures.export', objectType: 'appeal_figures', objectId: null, detail: { from: f.from, to: f.to, scope: scope.kind } });
        const body = await figuresWorkbook(f, label);
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="appeal-figures-${f.from}-${f.to}.xlsx"; filename*=UTF-8''${encodeURIComponent(`诉求办理统计-${f.from}-${f.to}.xlsx`)}`)
          .send(body);
      },
    );

    // ---- Open311 API keys ----
    app.get('/workbench/open311-keys', { config: { access: { permission: 'appeals_public.keys' } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, keysPage(request.page, await keys.list(), { errors: [] })),
    );
    app.post<{ Body: { name?: string } }>(
      '/workbench/open311-keys',
      { config: { access: { permission: 'appeals_public.keys' } }, schema: { hide: true, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, name: { type: 'string', maxLength: 200 } } } } },
      async (request, reply) => {
        const result = await keys.issue(request.ctx, request.body.name);
        if (!result.ok) return send(reply, keysPage(request.page, await keys.list(), { errors: result.fields ?? [], name: request.body.name ?? '' }), 400);
        // The key is shown once, in this response only (not in a redirect or a flash).
        return send(reply.header('cache-control', 'no-store'), keysPage(request.page, await keys.list(), { errors: [], issued: { key: result.value.key, name: result.value.client.name } }), 201);
      },
    );
    app.post<{ Params: { id: string }; Body: { version?: number } }>(
      '/workbench/open311-keys/:id/revoke',
      {
        config: { access: { permission: 'appeals_public.keys' } },
        schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: { type: 'integer', minimum: 1 } } } },
      },
      async (request, reply) => {
        const result = await keys.revoke(request.ctx, request.params.id, request.body.version ?? 0);
        if (!result.ok) throw refusalError(result);
        return reply.redirect('/workbench/open311-keys', 303);
      },
    );
  };
}
