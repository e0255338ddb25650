import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import type { AttachmentMeta } from '../../../platform/attachments/attachment-store.ts';
import { maskMobile } from '../../../platform/codes/validators.ts';
import { AppError, refusalError, unwrap } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { contentDisposition } from '../../../platform/attachments/file-name.ts';
import type { CommentStatus, ConsultationKind, ConsultationRow, ConsultationStatus } from '../consultation.repository.ts';
import { attachFile } from '../commands/attach-file.ts';
import { changeConsultation, type AdoptionDecision, type ConsultationChange } from '../commands/change-consultation.ts';
import { createConsultation } from '../commands/create-consultation.ts';
import type { ConsultationDeps } from '../commands/deps.ts';
import type { ConsultationInput } from '../commands/validate-consultation.ts';
import { moderateComment, moderateResponse } from '../commands/moderate.ts';
import { exportSheet, toCsv, toXlsx } from '../export.ts';
import { allowedActions, canConsultation, inStaffScope } from '../policies.ts';
import { computeResults } from '../questionnaire.ts';
import { phaseAt } from '../rules.ts';
import { consultationForm, feedbackForm, formValues, moderationPage, staffDetail, staffList } from '../views/staff-pages.ts';
import { childParams, consultationJson, idParams, PAGE_SIZE, presentConsultation, presentStaffComment, resultsJson, send, staffCommentJson } from './http.ts';

const BASE = '/workbench/consultations';
const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 },
    kind: { type: 'string', enum: ['draft', 'survey', ''] },
    status: { type: 'string', enum: ['draft', 'published', 'concluded', ''] },
  },
} as const;
type ListQuery = { page: number; kind?: ConsultationKind | ''; status?: ConsultationStatus | '' };
const kindQuery = { type: 'object', properties: { kind: { type: 'string', enum: ['draft', 'survey'], default: 'draft' } } } as const;

const editFields = {
  title: { type: 'string', maxLength: 2000 },
  summary: { type: 'string', maxLength: 20000 },
  body: { type: 'string', maxLength: 400000 },
  questionsText: { type: 'string', maxLength: 50000 },
  opensAt: { type: 'string', maxLength: 40 },
  closesAt: { type: 'string', maxLength: 40 },
  participation: { type: 'string', maxLength: 20 },
  publicComments: { type: 'string', maxLength: 10 },
  liveResults: { type: 'string', maxLength: 10 },
} as const;
/** Form posts are text (bodies are not coerced): the version arrives as digits. */
const FORM_VERSION = { type: 'string', pattern: '^[1-9][0-9]{0,8}$' } as const;
const formBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: FORM_VERSION, ...editFields } } as const;
const versionForm = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: FORM_VERSION } } as const;
const moderationForm = {
  type: 'object',
  properties: { _csrf: { type: 'string', maxLength: 128 }, version: FORM_VERSION, decision: { type: 'string', maxLength: 20 }, reason: { type: 'string', maxLength: 2000 } },
} as const;

const apiQuestions = { type: 'array', maxItems: 60, items: { type: 'object', additionalProperties: false, properties: { type: { type: 'string' }, title: { type: 'string', maxLength: 2000 }, required: { type: 'boolean' }, options: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 500 } }, min: { type: 'integer' }, max: { type: 'integer' } } } } as const;
const apiFields = {
  title: { type: 'string', maxLength: 2000 },
  summary: { type: 'string', maxLength: 20000 },
  body: { type: 'string', maxLength: 400000, description: '正文（HTML，按白名单清理；或纯文本，空行分段）' },
  questions: apiQuestions,
  opensAt: { type: 'string', format: 'date-time' },
  closesAt: { type: 'string', format: 'date-time' },
  participation: { type: 'string', enum: ['real_name', 'open'] },
  publicComments: { type: 'boolean' },
  liveResults: { type: 'boolean' },
} as const;

function maskContact(contact: string | null): string | null {
  if (!contact) return null;
  if (/^1\d{10}$/.test(contact)) return maskMobile(contact);
  const [local = '', domain = ''] = contact.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

/** Decisions from the feedback form's fields adoption_<commentId> / reason_<commentId>. */
function decisionsFromForm(body: Record<string, unknown>): AdoptionDecision[] {
  const out: AdoptionDecision[] = [];
  for (const [k, v] of Object.entries(body)) {
    const m = /^adoption_([0-9a-f-]{36})$/i.exec(k);
    if (!m || (v !== 'adopted' && v !== 'partly' && v !== 'not_adopted')) continue;
    const reason = body[`reason_${m[1]}`];
    out.push({ commentId: m[1]!, adoption: v, reason: typeof reason === 'string' ? reason : '' });
  }
  return out;
}

/** The organisers' workbench and staff API, scoped to the actor's organisation (supervisors read their subtree). */
export function staffRoutes(platform: Platform, deps: ConsultationDeps) {
  const { transactor, permissions, attachments } = platform;

  const inScope = async (request: FastifyRequest, id: string): Promise<ConsultationRow> => {
    const c = await deps.consultations.getById(id);
    if (!c || !inStaffScope(permissions, request.actor, c)) throw new AppError('ZW_ERR_NOT_FOUND', '征求意见或调查不存在，或不在您的管辖范围内');
    return c;
  };
  const attachmentsOf = async (c: ConsultationRow): Promise<AttachmentMeta[]> =>
    (await Promise.all(c.attachmentIds.map((a) => attachments.get(a)))).filter((a): a is AttachmentMeta => a !== null);
  const results = async (c: ConsultationRow) =>
    computeResults(c.questions, (await deps.consultations.allResponses(c.id)).map((r) => ({ answers: r.answers, textShown: r.textStatus === 'approved' })));

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: ListQuery }>(BASE, { config: { access: { permission: 'consultation.read' } }, schema: { hide: true, querystring: listQuery } }, async (request, reply) => {
      const { page } = request.query;
      const kind = request.query.kind || undefined;
      const status = request.query.status || undefined;
      const { rows, total } = await deps.consultations.listInScope(listScope(request.actor), { ...(kind ? { kind } : {}), ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, staffList(request.page, rows, { page, pageSize: PAGE_SIZE, total, kind, status, canCreate: permissions.has(request.actor, 'consultation.write'), now: deps.now() }));
    });
    app.get<{ Querystring: { kind: ConsultationKind } }>(`${BASE}/new`, { config: { access: { permission: 'consultation.write' } }, schema: { hide: true, querystring: kindQuery } }, async (request, reply) =>
      send(reply, consultationForm(request.page, { kind: request.query.kind, values: { participation: 'real_name', publicComments: true }, errors: [] })),
    );
    app.post<{ Querystring: { kind: ConsultationKind }; Body: Record<string, string | undefined> }>(
      BASE,
      { config: { access: { permission: 'consultation.write' } }, schema: { hide: true, querystring: kindQuery, body: formBody } },
      async (request, reply) => {
        const kind = request.query.kind;
        const result = await transactor.run(request.ctx, (uow) => createConsultation(deps, uow, kind, request.body));
        if (!result.ok) {
          if (result.reason === 'invalid') return send(reply, consultationForm(request.page, { kind, values: request.body, errors: result.fields ?? [] }), 400);
          throw refusalError(result);
        }
        setFlash(reply, '草稿已保存');
        return reply.redirect(`${BASE}/${result.value.id}`, 303);
      },
    );
    app.get<{ Params: { id: string } }>(`${BASE}/:id`, { config: { access: { permission: 'consultation.read' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const c = await inScope(request, request.params.id);
      const now = deps.now();
      const responses = c.kind === 'survey' ? (await deps.consultations.listResponses(c.id, { limit: 1, offset: 0 })).total : 0;
      return send(
        reply,
        staffDetail(request.page, c, {
          actions: allowedActions(permissions, request.actor, c, now),
          now,
          commentCounts: await deps.consultations.commentCounts(c.id),
          responses,
          attachments: await attachmentsOf(c),
          results: c.kind === 'survey' && c.status !== 'draft' ? await results(c) : null,
        }),
      );
    });
    app.get<{ Params: { id: string } }>(`${BASE}/:id/edit`, { config: { access: { permission: 'consultation.write' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const c = await inScope(request, request.params.id);
      if (!canConsultation(permissions, request.actor, 'edit', c, deps.now())) throw new AppError('ZW_ERR_FORBIDDEN', '只有草稿状态可以修改');
      return send(reply, consultationForm(request.page, { kind: c.kind, consultation: c, values: formValues(c), errors: [] }));
    });
    const formChange = (path: string, kind: 'edit' | 'publish' | 'close', permission: string, done: string) =>
      app.post<{ Params: { id: string }; Body: Record<string, string | number | undefined> }>(
        path,
        { config: { access: { permission } }, schema: { hide: true, params: idParams, body: kind === 'edit' ? formBody : versionForm } },
        async (request, reply) => {
          const version = Number(request.body.version ?? 0);
          const change: ConsultationChange = kind === 'edit' ? { kind, ...request.body } : { kind };
          const result = await transactor.run(request.ctx, (uow) => changeConsultation(deps, uow, request.params.id, version, change));
          if (!result.ok) {
            if (result.reason === 'invalid' && kind === 'edit') {
              const c = await inScope(request, request.params.id);
              return send(reply, consultationForm(request.page, { kind: c.kind, consultation: c, values: request.body, errors: result.fields ?? [], version }), 400);
            }
            throw refusalError(result);
          }
          setFlash(reply, done);
          return reply.redirect(`${BASE}/${result.value.id}`, 303);
        },
      );
    formChange(`${BASE}/:id`, 'edit', 'consultation.write', '修改已保存');
    formChange(`${BASE}/:id/publish`, 'publish', 'consultation.publish', '已发布，到开始时间后公众即可参与');
    formChange(`${BASE}/:id/close`, 'close', 'consultation.publish', '已提前截止');

    app.post<{ Params: { id: string }; Querystring: { _csrf?: string } }>(
      `${BASE}/:id/attachments`,
      { config: { access: { permission: 'consultation.write' } }, schema: { hide: true, params: idParams, querystring: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } } },
      async (request, reply) => {
        const c = await inScope(request, request.params.id);
        if (!canConsultation(permissions, request.actor, 'edit', c, deps.now())) throw new AppError('ZW_ERR_FORBIDDEN', '只有草稿状态可以添加附件');
        const part = await request.file({ limits: { fileSize: attachments.maxBytes + 1, files: 1 } });
        if (!part || !part.filename) throw new AppError('ZW_ERR_VALIDATION', '请选择要上传的文件', [{ field: 'file', message: '请选择要上传的文件' }]);
        const stored = await attachments.put(part.file, { originalName: part.filename, claimedType: part.mimetype, ctx: request.ctx, allow: ['pdf', 'docx', 'xlsx', 'ofd', 'jpeg', 'png', 'txt'] });
        if (!stored.ok) throw new AppError(stored.reason === 'too_large' ? 'ZW_ERR_PAYLOAD_TOO_LARGE' : stored.reason === 'empty' ? 'ZW_ERR_VALIDATION' : 'ZW_ERR_UNSUPPORTED_MEDIA', stored.message, [{ field: 'file', message: stored.message }]);
        unwrap(await transactor.run(request.ctx, (uow) => attachFile(deps, uow, c.id, stored.value.id)));
        setFlash(reply, '附件已添加');
        return reply.redirect(`${BASE}/${c.id}`, 303);
      },
    );

    // ---- moderation ----
    app.get<{ Params: { id: string }; Querystring: { status: CommentStatus; page: number } }>(
      `${BASE}/:id/moderation`,
      {
        config: { access: { permission: 'consultation.moderate' } },
        schema: { hide: true, params: idParams, querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'approved', 'hidden'], default: 'pending' }, page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } },
      },
      async (request, reply) => {
        const c = await inScope(request, request.params.id);
        const { status, page } = request.query;
        const paging = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
        const comments = c.kind === 'draft' ? await deps.consultations.listComments(c.id, { status, ...paging }) : { rows: [], total: 0 };
        const responses = c.kind === 'survey' ? await deps.consultations.listResponses(c.id, { textStatus: status, ...paging }) : { rows: [], total: 0 };
        return send(
          reply,
          moderationPage(request.page, c, {
            comments: comments.rows,
            responses: responses.rows,
            status,
            page,
            pageSize: PAGE_SIZE,
            total: c.kind === 'draft' ? comments.total : responses.total,
            errors: [],
            canModerate: canConsultation(permissions, request.actor, 'moderate', c, deps.now()) && c.status !== 'concluded',
          }),
        );
      },
    );
    app.post<{ Params: { id: string; commentId: string }; Body: { version?: string; decision?: string; reason?: string } }>(
      `${BASE}/:id/comments/:commentId/moderate`,
      { config: { access: { permission: 'consultation.moderate' } }, schema: { hide: true, params: childParams('commentId'), body: moderationForm } },
      async (request, reply) => {
        const result = await transactor.run(request.ctx, (uow) => moderateComment(deps, uow, request.params.id, request.params.commentId, Number(request.body.version ?? 0), request.body));
        if (!result.ok) throw refusalError(result);
        setFlash(reply, result.value.status === 'approved' ? '已公开' : '已设为不予公开');
        return reply.redirect(`${BASE}/${request.params.id}/moderation`, 303);
      },
    );
    app.post<{ Params: { id: string; responseId: string }; Body: { decision?: string; reason?: string } }>(
      `${BASE}/:id/responses/:responseId/moderate`,
      { config: { access: { permission: 'consultation.moderate' } }, schema: { hide: true, params: childParams('responseId'), body: moderationForm } },
      async (request, reply) => {
        const result = await transactor.run(request.ctx, (uow) => moderateResponse(deps, uow, request.params.id, request.params.responseId, request.body));
        if (!result.ok) throw refusalError(result);
        setFlash(reply, result.value.textStatus === 'approved' ? '已公开' : '已设为不予公开');
        return reply.redirect(`${BASE}/${request.params.id}/moderation`, 303);
      },
    );

    // ---- feedback (意见采纳情况) and results ----
    const renderFeedback = async (request: FastifyRequest, c: ConsultationRow, values: Record<string, unknown>, errors: { field: string; message: string }[]) => {
      const now = deps.now();
      const approved = c.kind === 'draft' ? (await deps.consultations.listComments(c.id, { status: 'approved', limit: 10000, offset: 0 })).rows : [];
      const pending = c.kind === 'draft' ? (await deps.consultations.commentCounts(c.id)).pending : 0;
      return feedbackForm(request.page, c, {
        comments: approved,
        values,
        errors,
        pending,
        canWrite: canConsultation(permissions, request.actor, 'feedback', c, now),
        canConclude: canConsultation(permissions, request.actor, 'conclude', c, now),
      });
    };
    app.get<{ Params: { id: string } }>(`${BASE}/:id/feedback`, { config: { access: { permission: 'consultation.write' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const c = await inScope(request, request.params.id);
      if (phaseAt(c, deps.now()) !== 'closed') throw new AppError('ZW_ERR_FORBIDDEN', c.status === 'concluded' ? '结果已经公布' : '征集截止后才能填写意见采纳情况');
      return send(reply, await renderFeedback(request, c, {}, []));
    });
    app.post<{ Params: { id: string }; Body: Record<string, string | number | undefined> }>(
      `${BASE}/:id/feedback`,
      {
        config: { access: { permission: 'consultation.write' } },
        schema: {
          hide: true,
          params: idParams,
          body: {
            type: 'object',
            properties: { _csrf: { type: 'string', maxLength: 128 }, version: FORM_VERSION, summary: { type: 'string', maxLength: 40000 }, intent: { type: 'string', enum: ['save', 'conclude'] } },
            patternProperties: { '^(adoption|reason)_[0-9a-fA-F-]{36}$': { type: 'string', maxLength: 4000 } },
            additionalProperties: false,
          },
        },
      },
      async (request, reply) => {
        const id = request.params.id;
        let version = Number(request.body.version ?? 0);
        const decisions = decisionsFromForm(request.body);
        const c0 = await inScope(request, id);
        // Saving needs the write permission; publishing needs consultation.publish (the org head).
        if (canConsultation(permissions, request.actor, 'feedback', c0, deps.now())) {
          const saved = await transactor.run(request.ctx, (uow) => changeConsultation(deps, uow, id, version, { kind: 'feedback', summary: request.body.summary, decisions }));
          if (!saved.ok) {
            if (saved.reason === 'invalid') return send(reply, await renderFeedback(request, c0, request.body, saved.fields ?? []), 400);
            throw refusalError(saved);
          }
          version = saved.value.version;
        }
        if (request.body.intent === 'conclude') {
          const concluded = await transactor.run(request.ctx, (uow) => changeConsultation(deps, uow, id, version, { kind: 'conclude', summary: request.body.summary }));
          if (!concluded.ok) {
            if (concluded.reason === 'invalid') return send(reply, await renderFeedback(request, await inScope(request, id), request.body, concluded.fields ?? []), 400);
            throw refusalError(concluded);
          }
          setFlash(reply, c0.kind === 'draft' ? '意见采纳情况已公布' : '调查结果已公布');
          return reply.redirect(`${BASE}/${id}`, 303);
        }
        setFlash(reply, '已保存');
        return reply.redirect(`${BASE}/${id}/feedback`, 303);
      },
    );

    // ---- export (personal data: every export is audited) ----
    const exportRoute = (format: 'csv' | 'xlsx') =>
      app.get<{ Params: { id: string } }>(`${BASE}/:id/export.${format}`, { config: { access: { permission: 'consultation.export' } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
        const c = await inScope(request, request.params.id);
        if (!canConsultation(permissions, request.actor, 'export', c, deps.now())) throw new AppError('ZW_ERR_FORBIDDEN', '您不能导出此项目');
        const comments = c.kind === 'draft' ? (await deps.consultations.listComments(c.id, { limit: 100000, offset: 0 })).rows : [];
        const responses = c.kind === 'survey' ? await deps.consultations.allResponses(c.id) : [];
        const sheet = exportSheet(c, comments, responses);
        await transactor.auditOnly(request.ctx, { action: 'consultation.export', objectType: 'consultation', objectId: c.id, detail: { format, rows: sheet.rows.length } });
        const name = `${c.title.slice(0, 60)}-${c.kind === 'draft' ? '意见' : '答卷'}.${format}`;
        reply.header('content-disposition', contentDisposition('attachment', name)).header('cache-control', 'no-store');
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(sheet));
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(sheet, c.title));
      });
    exportRoute('csv');
    exportRoute('xlsx');

    // ---- staff JSON API (same commands) ----
    app.get<{ Querystring: ListQuery }>(
      '/api/consultations',
      { config: { access: { permission: 'consultation.read' } }, schema: { tags: ['consultations'], summary: '管辖范围内的征求意见与网上调查', querystring: listQuery } },
      async (request) => {
        const { page } = request.query;
        const kind = request.query.kind || undefined;
        const status = request.query.status || undefined;
        const now = deps.now();
        const { rows, total } = await deps.consultations.listInScope(listScope(request.actor), { ...(kind ? { kind } : {}), ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map((c) => presentConsultation(c, phaseAt(c, now))) };
      },
    );
    app.post<{ Body: Record<string, unknown> & { kind: ConsultationKind } }>(
      '/api/consultations',
      {
        config: { access: { permission: 'consultation.write' } },
        schema: {
          tags: ['consultations'],
          summary: '起草征求意见或网上调查',
          body: { type: 'object', required: ['kind', 'title', 'opensAt', 'closesAt', 'participation'], additionalProperties: false, properties: { kind: { type: 'string', enum: ['draft', 'survey'] }, ...apiFields } },
          response: { 201: consultationJson },
        },
      },
      async (request, reply) => {
        const c = unwrap(await transactor.run(request.ctx, (uow) => createConsultation(deps, uow, request.body.kind, request.body as ConsultationInput)));
        return reply.status(201).send(presentConsultation(c, phaseAt(c, deps.now())));
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/consultations/:id',
      { config: { access: { permission: 'consultation.read' } }, schema: { tags: ['consultations'], params: idParams, response: { 200: consultationJson } } },
      async (request) => {
        const c = await inScope(request, request.params.id);
        return presentConsultation(c, phaseAt(c, deps.now()));
      },
    );
    const apiChange = (method: 'patch' | 'post', path: string, kind: 'edit' | 'publish' | 'close' | 'feedback' | 'conclude', permission: string, extra: Record<string, unknown> = {}) =>
      app[method]<{ Params: { id: string }; Body: Record<string, unknown> & { version: number } }>(
        path,
        {
          config: { access: { permission } },
          schema: { tags: ['consultations'], params: idParams, body: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 }, ...extra } }, response: { 200: consultationJson } },
        },
        async (request) => {
          const { version, ...rest } = request.body;
          const change: ConsultationChange =
            kind === 'edit'
              ? { kind, ...rest }
              : kind === 'feedback'
                ? { kind, summary: rest.summary, decisions: (rest.decisions as AdoptionDecision[] | undefined) ?? [] }
                : kind === 'conclude'
                  ? { kind, summary: rest.summary }
                  : { kind };
          const c = unwrap(await transactor.run(request.ctx, (uow) => changeConsultation(deps, uow, request.params.id, version, change)));
          return presentConsultation(c, phaseAt(c, deps.now()));
        },
      );
    apiChange('patch', '/api/consultations/:id', 'edit', 'consultation.write', apiFields);
    apiChange('post', '/api/consultations/:id/publish', 'publish', 'consultation.publish');
    apiChange('post', '/api/consultations/:id/close', 'close', 'consultation.publish');
    apiChange('post', '/api/consultations/:id/feedback', 'feedback', 'consultation.write', {
      summary: { type: 'string', maxLength: 40000 },
      decisions: {
        type: 'array',
        maxItems: 10000,
        items: { type: 'object', required: ['commentId', 'adoption'], additionalProperties: false, properties: { commentId: { type: 'string', format: 'uuid' }, adoption: { type: 'string', enum: ['adopted', 'partly', 'not_adopted'] }, reason: { type: 'string', maxLength: 4000, default: '' } } },
      },
    });
    apiChange('post', '/api/consultations/:id/conclude', 'conclude', 'consultation.publish', { summary: { type: 'string', maxLength: 40000 } });

    app.get<{ Params: { id: string }; Querystring: { status?: CommentStatus; page: number } }>(
      '/api/consultations/:id/comments',
      {
        config: { access: { permission: 'consultation.moderate' } },
        schema: {
          tags: ['consultations'],
          summary: '意见列表（审核用；联系方式已脱敏）',
          params: idParams,
          querystring: { type: 'object', properties: { status: { type: 'string', enum: ['pending', 'approved', 'hidden'] }, page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } },
          response: { 200: { type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: staffCommentJson } } } },
        },
      },
      async (request) => {
        const c = await inScope(request, request.params.id);
        const { page, status } = request.query;
        const { rows, total } = await deps.consultations.listComments(c.id, { ...(status ? { status } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map((x) => presentStaffComment(x, maskContact)) };
      },
    );
    app.post<{ Params: { id: string; commentId: string }; Body: { version: number; decision: string; reason?: string } }>(
      '/api/consultations/:id/comments/:commentId/moderation',
      {
        config: { access: { permission: 'consultation.moderate' } },
        schema: {
          tags: ['consultations'],
          summary: '审核意见：公开或不予公开（须说明理由）',
          params: childParams('commentId'),
          body: { type: 'object', required: ['version', 'decision'], additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 }, decision: { type: 'string', enum: ['approve', 'hide'] }, reason: { type: 'string', maxLength: 2000 } } },
          response: { 200: staffCommentJson },
        },
      },
      async (request) => {
        const x = unwrap(await transactor.run(request.ctx, (uow) => moderateComment(deps, uow, request.params.id, request.params.commentId, request.body.version, request.body)));
        return presentStaffComment(x, maskContact);
      },
    );
    app.post<{ Params: { id: string; responseId: string }; Body: { decision: string; reason?: string } }>(
      '/api/consultations/:id/responses/:responseId/moderation',
      {
        config: { access: { permission: 'consultation.moderate' } },
        schema: {
          tags: ['consultations'],
          summary: '审核答卷中的文字回答',
          params: childParams('responseId'),
          body: { type: 'object', required: ['decision'], additionalProperties: false, properties: { decision: { type: 'string', enum: ['approve', 'hide'] }, reason: { type: 'string', maxLength: 2000 } } },
          response: { 200: { type: 'object', properties: { id: { type: 'string' }, textStatus: { type: 'string' } } } },
        },
      },
      async (request) => {
        const r = unwrap(await transactor.run(request.ctx, (uow) => moderateResponse(deps, uow, request.params.id, request.params.responseId, request.body)));
        return { id: r.id, textStatus: r.textStatus };
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/consultations/:id/results',
      { config: { access: { permission: 'consultation.read' } }, schema: { tags: ['consultations'], summary: '调查的实时结果（组织者）', params: idParams, response: { 200: resultsJson } } },
      async (request) => {
        const c = await inScope(request, request.params.id);
        if (c.kind !== 'survey') throw new AppError('ZW_ERR_NOT_FOUND', '这不是网上调查');
        return results(c);
      },
    );
  };
}
