import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, unwrap, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { RatingRow, RectificationState } from '../case.repository.ts';
import { APPEAL_CATEGORIES, appealRating, decideRatingAppeal, isRatedUnit } from '../commands/rating-appeal.ts';
import { CASE_PERMISSIONS } from '../policies.ts';
import type { CaseService } from '../service.ts';
import { appealFormPage, appealQueuePage, unitAppealsPage, type RatingListRow } from '../views/rating-pages.ts';
import { send } from './citizen-routes.ts';

const PAGE_SIZE = 20;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const STATES: RectificationState[] = ['ASSIGNED', 'RECTIFYING', 'EXPLAINED', 'FEEDBACK_SENT', 'CLOSED', 'APPEALED', 'VOIDED'];

const ratingJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    caseId: { type: 'string' },
    caseNo: { type: ['string', 'null'] },
    itemName: { type: 'string' },
    organisationId: { type: 'string' },
    score: { type: 'integer' },
    reasons: { type: 'array', items: { type: 'string' } },
    comment: { type: 'string' },
    ratedAt: { type: 'string' },
    rectificationState: { type: ['string', 'null'] },
    rectificationDueOn: { type: ['string', 'null'] },
    appeal: {
      type: ['object', 'null'],
      properties: {
        category: { type: 'string' },
        statement: { type: 'string' },
        appealedAt: { type: 'string' },
        decision: { type: ['string', 'null'] },
        decisionReason: { type: ['string', 'null'] },
        decidedAt: { type: ['string', 'null'] },
      },
    },
    version: { type: 'integer' },
  },
} as const;

export function presentRating(r: RatingRow & { case_no?: string | null; item_name?: string }) {
  return {
    id: r.id,
    caseId: r.case_id,
    caseNo: r.case_no ?? null,
    itemName: r.item_name ?? '',
    organisationId: r.organisation_id,
    score: r.score,
    reasons: r.reasons,
    comment: r.comment,
    ratedAt: r.rated_at.toISOString(),
    rectificationState: r.rectification_state,
    rectificationDueOn: r.rectification_due_on,
    appeal: r.appeal_at
      ? {
          category: r.appeal_category ?? '',
          statement: r.appeal_statement ?? '',
          appealedAt: r.appeal_at.toISOString(),
          decision: r.appeal_decision,
          decisionReason: r.appeal_decision_reason,
          decidedAt: r.appeal_decided_at?.toISOString() ?? null,
        }
      : null,
    version: r.version,
  };
}

/**
 * 好差评申诉 (DOMAIN.md §4, issue 3): the handling unit's appeal form, the rating office's queue
 * (`/workbench/ratings/appeals`) and the JSON API beside them (`/api/ratings…`), one command each.
 */
export function ratingRoutes(service: CaseService) {
  const { cases, permissions } = service.deps;

  /** The rating with its case's number and item, for the pages. */
  async function listRow(rating: RatingRow): Promise<RatingListRow> {
    const c = await cases.getById(rating.case_id);
    return { ...rating, case_no: c?.case_no ?? null, item_name: c?.item_name ?? '' };
  }

  async function forUnit(request: FastifyRequest, id: string): Promise<RatingRow> {
    const r = await cases.ratingById(id);
    if (!r || !isRatedUnit({ permissions }, request.actor, r)) throw new AppError('ZW_ERR_NOT_FOUND', '评价不存在或不在您的办理范围内');
    return r;
  }

  async function queue(request: FastifyRequest, reply: FastifyReply, page: number, o: { errors?: FieldError[]; errorFor?: string; values?: { decision?: string; reason?: string }; status?: number } = {}) {
    const { rows, total } = await cases.ratingsInScope(listScope(request.actor), { state: 'APPEALED', limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return send(reply, appealQueuePage(request.page, rows, { page, pageSize: PAGE_SIZE, total }, o), o.status ?? 200);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- pages: the handling unit ----
    app.get<{ Params: { id: string } }>(
      '/workbench/ratings/:id/appeal',
      { config: { access: { permission: CASE_PERMISSIONS.handle } }, schema: { hide: true, params: idParams } },
      async (request, reply) => send(reply, appealFormPage(request.page, await listRow(await forUnit(request, request.params.id)), { errors: [], values: {} })),
    );
    app.post<{ Params: { id: string }; Body: { version?: number; category?: string; statement?: string } }>(
      '/workbench/ratings/:id/appeal',
      {
        config: { access: { permission: CASE_PERMISSIONS.handle } },
        schema: {
          hide: true,
          params: idParams,
          body: { type: 'object', properties: { _csrf: { type: 'string' }, version: { type: 'integer', minimum: 0 }, category: { type: 'string', maxLength: 20 }, statement: { type: 'string', maxLength: 4000 } } },
        },
      },
      async (request, reply) => {
        const rating = await forUnit(request, request.params.id);
        const values = { category: request.body.category ?? '', statement: request.body.statement ?? '' };
        const r = await service.run(request.ctx, (uow) => appealRating(service.deps, uow, { ratingId: rating.id, version: request.body.version ?? 0, ...values }));
        if (!r.ok) {
          if (r.reason === 'invalid') return send(reply, appealFormPage(request.page, await listRow(rating), { errors: r.fields ?? [], values }), 400);
          throw refusalError(r);
        }
        setFlash(reply, '申诉已提交，等待评价管理部门复核');
        return reply.redirect('/workbench/ratings', 303);
      },
    );

    app.get<{ Querystring: { page: number } }>(
      '/workbench/ratings/appealed',
      { config: { access: { permission: CASE_PERMISSIONS.handle } }, schema: { hide: true, querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } } },
      async (request, reply) => {
        const { page } = request.query;
        const { rows, total } = await cases.ratingsInScope(listScope(request.actor), { appealed: true, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return send(reply, unitAppealsPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
      },
    );

    // ---- pages: the rating office ----
    app.get<{ Querystring: { page: number } }>(
      '/workbench/ratings/appeals',
      { config: { access: { permission: CASE_PERMISSIONS.supervise } }, schema: { hide: true, querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } } },
      async (request, reply) => queue(request, reply, request.query.page),
    );
    app.post<{ Params: { id: string }; Body: { version?: number; decision?: string; reason?: string } }>(
      '/workbench/ratings/appeals/:id/decision',
      {
        config: { access: { permission: CASE_PERMISSIONS.supervise } },
        schema: {
          hide: true,
          params: idParams,
          body: { type: 'object', properties: { _csrf: { type: 'string' }, version: { type: 'integer', minimum: 0 }, decision: { type: 'string', maxLength: 20 }, reason: { type: 'string', maxLength: 4000 } } },
        },
      },
      async (request, reply) => {
        const values = { decision: request.body.decision ?? '', reason: request.body.reason ?? '' };
        const r = await service.run(request.ctx, (uow) => decideRatingAppeal(service.deps, uow, { ratingId: request.params.id, version: request.body.version ?? 0, ...values }));
        if (!r.ok) {
          if (r.reason === 'invalid') return queue(request, reply, 1, { errors: r.fields ?? [], errorFor: request.params.id, values, status: 400 });
          throw refusalError(r);
        }
        setFlash(reply, r.value.rectification_state === 'VOIDED' ? '申诉成立，该评价已作废并告知评价人' : '申诉不成立，已退回办理单位继续整改');
        return reply.redirect('/workbench/ratings/appeals', 303);
      },
    );

    // ---- JSON API ----
    app.get<{ Querystring: { state?: RectificationState; page: number } }>(
      '/api/ratings',
      {
        config: { access: { permission: CASE_PERMISSIONS.read } },
        schema: {
          tags: ['cases'],
          summary: '好差评列表（按本人管辖范围；state=APPEALED 为待复核的差评申诉）',
          querystring: { type: 'object', properties: { state: { type: 'string', enum: STATES }, page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } },
          response: { 200: { type: 'object', properties: { items: { type: 'array', items: ratingJson }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } } },
        },
      },
      async (request) => {
        const { page, state } = request.query;
        const { rows, total } = await cases.ratingsInScope(listScope(request.actor), { ...(state ? { state } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { items: rows.map(presentRating), total, page, pageSize: PAGE_SIZE };
      },
    );
    app.post<{ Params: { id: string }; Body: { version: number; category: string; statement: string } }>(
      '/api/ratings/:id/appeal',
      {
        config: { access: { permission: CASE_PERMISSIONS.handle } },
        schema: {
          tags: ['cases'],
          summary: `差评申诉（办理单位，整改期限内一次）；category：${Object.entries(APPEAL_CATEGORIES).map(([k, v]) => `${k} ${v}`).join('、')}`,
          params: idParams,
          body: {
            type: 'object',
            required: ['version', 'category', 'statement'],
            additionalProperties: false,
            properties: { version: { type: 'integer', minimum: 1 }, category: { type: 'string', enum: Object.keys(APPEAL_CATEGORIES) }, statement: { type: 'string', maxLength: 2000 } },
          },
          response: { 200: ratingJson },
        },
      },
      async (request) => {
        const b = request.body;
        const r = await service.run(request.ctx, (uow) => appealRating(service.deps, uow, { ratingId: request.params.id, version: b.version, category: b.category, statement: b.statement }));
        return presentRating(await listRow(unwrap(r)));
      },
    );
    app.post<{ Params: { id: string }; Body: { version: number; decision: 'upheld' | 'rejected'; reason: string } }>(
      '/api/ratings/:id/appeal/decision',
      {
        config: { access: { permission: CASE_PERMISSIONS.supervise } },
        schema: {
          tags: ['cases'],
          summary: '差评申诉复核（评价管理部门）：upheld 申诉成立、评价作废；rejected 申诉不成立、继续整改',
          params: idParams,
          body: {
            type: 'object',
            required: ['version', 'decision', 'reason'],
            additionalProperties: false,
            properties: { version: { type: 'integer', minimum: 1 }, decision: { type: 'string', enum: ['upheld', 'rejected'] }, reason: { type: 'string', maxLength: 2000 } },
          },
          response: { 200: ratingJson },
        },
      },
      async (request) => {
        const b = request.body;
        const r = await service.run(request.ctx, (uow) => decideRatingAppeal(service.deps, uow, { ratingId: request.params.id, version: b.version, decision: b.decision, reason: b.reason }));
        return presentRating(await listRow(unwrap(r)));
      },
    );
  };
}

