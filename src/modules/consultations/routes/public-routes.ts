import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { subtreePrefix } from '../../../platform/auth/scope.ts';
import { sendAttachment } from '../../../platform/attachments/routes.ts';
import type { AttachmentMeta } from '../../../platform/attachments/attachment-store.ts';
import { AppError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { ConsultationKind, ConsultationRow, PublicState } from '../consultation.repository.ts';
import type { ConsultationDeps } from '../commands/deps.ts';
import { submitComment } from '../commands/submit-comment.ts';
import { submitResponse } from '../commands/submit-response.ts';
import { inStaffScope, personOf } from '../policies.ts';
import { computeResults } from '../questionnaire.ts';
import { phaseAt, resultsVisible } from '../rules.ts';
import { feedbackPage, publicDetail, publicList, resultsPage } from '../views/public-pages.ts';
import {
  BROWSER_COOKIE,
  childParams,
  consultationJson,
  idParams,
  PAGE_SIZE,
  presentConsultation,
  presentPublicComment,
  presentReceipt,
  publicCommentJson,
  receiptJson,
  resultsJson,
  send,
  submitError,
  SUBMIT_RATE_LIMIT,
} from './http.ts';

const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    state: { type: 'string', enum: ['open', 'closed'], default: 'open' },
    kind: { type: 'string', enum: ['draft', 'survey', ''] },
    region: { type: 'string', pattern: '^(\\d{6}|\\d{9}|\\d{12})?$' },
  },
} as const;
type ListQuery = { page: number; state: PublicState; kind?: ConsultationKind | ''; region?: string };

const commentForm = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    submissionId: { type: 'string', maxLength: 64 },
    body: { type: 'string', maxLength: 20000 },
    authorName: { type: 'string', maxLength: 200 },
    contact: { type: 'string', maxLength: 200 },
  },
} as const;
const answerValue = { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 4 } }] };
const responseForm = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 128 }, submissionId: { type: 'string', maxLength: 64 } },
  patternProperties: { '^q\\d{1,2}$': answerValue },
  additionalProperties: false,
} as const;

export interface PublicRouteDeps extends ConsultationDeps {
  regionName: (code: string) => Promise<string | null>;
}

/** The portal pages and public API: lists, detail with the comment form or questionnaire, feedback, results. */
export function publicRoutes(platform: Platform, deps: PublicRouteDeps) {
  const { transactor, permissions, attachments } = platform;
  const secure = platform.config.env === 'production';

  const published = async (id: string): Promise<ConsultationRow> => {
    const c = await deps.consultations.getById(id);
    if (!c || c.status === 'draft') throw new AppError('ZW_ERR_NOT_FOUND', '征求意见或调查不存在，或尚未发布');
    return c;
  };
  const attachmentsOf = async (c: ConsultationRow): Promise<AttachmentMeta[]> =>
    (await Promise.all(c.attachmentIds.map((a) => attachments.get(a)))).filter((a): a is AttachmentMeta => a !== null);

  const browserKey = (request: FastifyRequest, reply: FastifyReply, create: boolean): string | null => {
    const existing = request.cookies[BROWSER_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{16,64}$/.test(existing)) return existing;
    if (!create) return null;
    const key = crypto.randomBytes(18).toString('base64url');
    reply.setCookie(BROWSER_COOKIE, key, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 86400 });
    return key;
  };

  const renderDetail = async (request: FastifyRequest, reply: FastifyReply, c: ConsultationRow, form: { values: Record<string, unknown>; errors: FieldError[]; submissionId?: string }, status = 200) => {
    const now = deps.now();
    const person = personOf(request.actor);
    let mine = null;
    if (c.kind === 'draft' && person) mine = await deps.consultations.commentByAccount(c.id, person.accountId);
    if (c.kind === 'survey') {
      const key = person ? null : browserKey(request, reply, c.participation === 'open' && phaseAt(c, now) === 'open');
      mine = await deps.consultations.responseByRespondent(c.id, { accountId: person?.accountId ?? null, browserKey: key });
    }
    const shown = c.kind === 'draft' && c.publicComments ? (await deps.consultations.listComments(c.id, { status: 'approved', limit: 200, offset: 0 })).rows : [];
    return send(
      reply,
      publicDetail(request.page, c, {
        now,
        attachments: await attachmentsOf(c),
        publicComments: shown,
        mine,
        submissionId: form.submissionId && /^[0-9a-f-]{36}$/i.test(form.submissionId) ? form.submissionId : crypto.randomUUID(),
        values: form.values,
        errors: form.errors,
        resultsVisible: resultsVisible(c, now),
      }),
      status,
    );
  };

  const surveyResults = async (c: ConsultationRow) =>
    computeResults(
      c.questions,
      (await deps.consultations.allResponses(c.id)).map((r) => ({ answers: r.answers, textShown: r.textStatus === 'approved' })),
    );

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: ListQuery }>('/consultations', { config: { access: { public: true } }, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
      const { page, state } = request.query;
      const kind = request.query.kind || undefined;
      const region = request.query.region || undefined;
      const now = deps.now();
      const { rows, total } = await deps.consultations.listPublic({ state, now, ...(region ? { prefix: subtreePrefix(region) } : {}), ...(kind ? { kind } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, publicList(request.page, rows, { state, kind, region, regionName: region ? await deps.regionName(region) : null, page, pageSize: PAGE_SIZE, total, now }));
    });

    app.get<{ Params: { id: string } }>('/consultations/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) =>
      renderDetail(request, reply, await published(request.params.id), { values: {}, errors: [] }),
    );

    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>(
      '/consultations/:id/comments',
      { config: { access: { public: true }, rateLimit: SUBMIT_RATE_LIMIT }, schema: { hide: true, params: idParams, body: commentForm } },
      async (request, reply) => {
        const c = await published(request.params.id);
        const result = await transactor.run(request.ctx, (uow) => submitComment(deps, uow, c.id, request.body));
        if (!result.ok) {
          if (result.reason === 'invalid') return renderDetail(request, reply, c, { values: request.body, errors: result.fields ?? [], submissionId: request.body.submissionId ?? '' }, 400);
          if (result.reason === 'duplicate') {
            setFlash(reply, result.message);
            return reply.redirect(`/consultations/${c.id}`, 303);
          }
          throw submitError(result);
        }
        setFlash(reply, '您的意见已提交，感谢参与！意见经审核后由起草单位研究');
        return reply.redirect(`/consultations/${c.id}`, 303);
      },
    );

    app.post<{ Params: { id: string }; Body: Record<string, string | string[] | undefined> }>(
      '/consultations/:id/responses',
      { config: { access: { public: true }, rateLimit: SUBMIT_RATE_LIMIT }, schema: { hide: true, params: idParams, body: responseForm } },
      async (request, reply) => {
        const c = await published(request.params.id);
        const key = personOf(request.actor) ? null : browserKey(request, reply, true);
        const { submissionId, _csrf: _ignored, ...answers } = request.body;
        const result = await transactor.run(request.ctx, (uow) => submitResponse(deps, uow, c.id, { submissionId, answers, browserKey: key }));
        if (!result.ok) {
          if (result.reason === 'invalid') return renderDetail(request, reply, c, { values: answers, errors: result.fields ?? [], submissionId: typeof submissionId === 'string' ? submissionId : '' }, 400);
          if (result.reason === 'duplicate') {
            setFlash(reply, result.message);
            return reply.redirect(`/consultations/${c.id}`, 303);
          }
          throw submitError(result);
        }
        setFlash(reply, '问卷已提交，感谢参与！');
        return reply.redirect(resultsVisible(c, deps.now()) ? `/consultations/${c.id}/results` : `/consultations/${c.id}`, 303);
      },
    );

    app.get<{ Params: { id: string } }>('/consultations/:id/feedback', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const c = await published(request.params.id);
      if (c.kind !== 'draft' || c.status !== 'concluded') throw new AppError('ZW_ERR_NOT_FOUND', '意见采纳情况尚未公布');
      const { rows } = await deps.consultations.listComments(c.id, { status: 'approved', limit: 10000, offset: 0 });
      return send(reply, feedbackPage(request.page, c, rows));
    });

    app.get<{ Params: { id: string } }>('/consultations/:id/results', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const c = await published(request.params.id);
      const now = deps.now();
      if (!resultsVisible(c, now)) throw new AppError('ZW_ERR_NOT_FOUND', '调查结果尚未公布');
      return send(reply, resultsPage(request.page, c, await surveyResults(c), now));
    });

    app.get<{ Params: { id: string; attachmentId: string } }>(
      '/consultations/:id/attachments/:attachmentId',
      { config: { access: { public: true } }, schema: { hide: true, params: childParams('attachmentId') } },
      async (request, reply) => {
        const c = await deps.consultations.getById(request.params.id);
        // Attachments of a published consultation are public; of a draft, only its organisers see them.
        const visible = c && (c.status !== 'draft' || inStaffScope(permissions, request.actor, c));
        if (!c || !visible || !c.attachmentIds.includes(request.params.attachmentId)) throw new AppError('ZW_ERR_NOT_FOUND', '附件不存在');
        const opened = await attachments.open(request.params.attachmentId);
        if (!opened) throw new AppError('ZW_ERR_NOT_FOUND', '附件内容已不存在');
        return sendAttachment(reply, opened.meta, opened.stream);
      },
    );

    // ---- public JSON API ----
    app.get<{ Querystring: ListQuery }>(
      '/api/consultations/published',
      { config: { access: { public: true } }, schema: { tags: ['consultations'], summary: '公开的征求意见与网上调查（正在征集或已截止）', querystring: listQuery } },
      async (request) => {
        const { page, state } = request.query;
        const kind = request.query.kind || undefined;
        const region = request.query.region || undefined;
        const now = deps.now();
        const { rows, total } = await deps.consultations.listPublic({ state, now, ...(region ? { prefix: subtreePrefix(region) } : {}), ...(kind ? { kind } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map((c) => presentConsultation(c, phaseAt(c, now))) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/consultations/published/:id',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['consultations'],
          summary: '公开的征求意见或调查详情（含公开的意见和意见采纳情况）',
          params: idParams,
          response: { 200: { type: 'object', properties: { consultation: consultationJson, comments: { type: 'array', items: publicCommentJson } } } },
        },
      },
      async (request) => {
        const c = await published(request.params.id);
        const now = deps.now();
        const showComments = c.kind === 'draft' && (c.publicComments || c.status === 'concluded');
        const comments = showComments ? (await deps.consultations.listComments(c.id, { status: 'approved', limit: 10000, offset: 0 })).rows : [];
        return { consultation: presentConsultation(c, phaseAt(c, now)), comments: comments.map((x) => presentPublicComment(x, c.status === 'concluded')) };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/consultations/published/:id/results',
      { config: { access: { public: true } }, schema: { tags: ['consultations'], summary: '调查结果（实时公开或截止后公布）', params: idParams, response: { 200: resultsJson } } },
      async (request) => {
        const c = await published(request.params.id);
        if (!resultsVisible(c, deps.now())) throw new AppError('ZW_ERR_NOT_FOUND', '调查结果尚未公布');
        return surveyResults(c);
      },
    );
    app.post<{ Params: { id: string }; Body: { submissionId?: string; body?: string; authorName?: string; contact?: string } }>(
      '/api/consultations/:id/comments',
      {
        config: { access: { public: true }, rateLimit: SUBMIT_RATE_LIMIT },
        schema: {
          tags: ['consultations'],
          summary: '对征求意见稿提交意见（每人一条；Idempotency-Key 或 submissionId 防重复提交）',
          params: idParams,
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', format: 'uuid' } } },
          body: { type: 'object', required: ['body'], additionalProperties: false, properties: { submissionId: { type: 'string', format: 'uuid' }, body: { type: 'string', maxLength: 20000 }, authorName: { type: 'string', maxLength: 200 }, contact: { type: 'string', maxLength: 200 } } },
          response: { 200: receiptJson, 201: receiptJson },
        },
      },
      async (request, reply) => {
        const submissionId = request.body.submissionId ?? (request.headers['idempotency-key'] as string | undefined);
        const result = await transactor.run(request.ctx, (uow) => submitComment(deps, uow, request.params.id, { ...request.body, submissionId }));
        if (!result.ok) throw submitError(result);
        return reply.status(result.value.replay ? 200 : 201).send(presentReceipt(result.value.comment, result.value.replay));
      },
    );
    app.post<{ Params: { id: string }; Body: { submissionId?: string; answers: Record<string, unknown> } }>(
      '/api/consultations/:id/responses',
      {
        config: { access: { signedIn: ['citizen', 'enterprise', 'staff'] }, rateLimit: SUBMIT_RATE_LIMIT },
        schema: {
          tags: ['consultations'],
          summary: '提交问卷答卷（登录用户每人一份；选项以 0 起的序号表示，评分 1–5）',
          params: idParams,
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', format: 'uuid' } } },
          body: {
            type: 'object',
            required: ['answers'],
            additionalProperties: false,
            properties: {
              submissionId: { type: 'string', format: 'uuid' },
              answers: { type: 'object', maxProperties: 60, additionalProperties: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 2000 }, { type: 'array', maxItems: 50, items: { type: 'integer' } }] } },
            },
          },
          response: { 200: receiptJson, 201: receiptJson },
        },
      },
      async (request, reply) => {
        const submissionId = request.body.submissionId ?? (request.headers['idempotency-key'] as string | undefined);
        const result = await transactor.run(request.ctx, (uow) => submitResponse(deps, uow, request.params.id, { submissionId, answers: request.body.answers }));
        if (!result.ok) throw submitError(result);
        return reply.status(result.value.replay ? 200 : 201).send(presentReceipt(result.value.response, result.value.replay));
      },
    );
  };
}
