import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { AppError, refusalError, unwrap } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { CaseRecord } from '../case.repository.ts';
import { isApplicant, staffCanSee } from '../policies.ts';
import { caseJson, presentAnnouncement, presentCase, progressJson } from '../presenters.ts';
import { CASE_ACTIONS, type CaseService } from '../service.ts';
import { actionBodySchema, toAction, type ActionBody, type ActionName } from './action-input.ts';
import { PROGRESS_RATE_LIMIT, queryPasswordOf } from './citizen-routes.ts';
import { listQuery, type ListQuery } from './staff-routes.ts';

const PAGE_SIZE = 20;
const SIGNED_IN = { signedIn: ['citizen', 'enterprise', 'staff'] as ('citizen' | 'enterprise' | 'staff')[] };
const APPLICANTS = { signedIn: ['citizen', 'enterprise'] as ('citizen' | 'enterprise')[] };
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const listJson = (item: object) => ({ type: 'object', properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: item } } });
const materialChoice = { type: 'object', required: ['code', 'attachmentId'], additionalProperties: false, properties: { code: { type: 'string', maxLength: 50 }, attachmentId: { type: 'string', format: 'uuid' } } } as const;

export function apiRoutes(platform: Platform, service: CaseService) {
  const { cases } = service.deps;

  async function readable(request: FastifyRequest, id: string): Promise<CaseRecord> {
    const c = await cases.getById(id);
    if (!c || (!isApplicant(request.actor, c) && !(c.state !== 'DRAFT' && staffCanSee(platform.permissions, request.actor, c)))) {
      throw new AppError('ZW_ERR_NOT_FOUND', '办件不存在或不在您的管辖范围内');
    }
    return c;
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: ListQuery }>(
      '/api/cases',
      { config: { access: SIGNED_IN }, schema: { tags: ['cases'], summary: '办件列表（申请人：本人的办件；工作人员：管辖范围内的办件）', querystring: listQuery, response: { 200: listJson(caseJson) } } },
      async (request) => {
        const { page } = request.query;
        const actor = request.actor;
        const paging = { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
        const { rows, total } =
          actor.kind === 'citizen' || actor.kind === 'enterprise'
            ? await cases.listForApplicant(actor.accountId, paging)
            : await cases.listInScope(listScope(actor), {
                box: request.query.box,
                ...(request.query.state ? { state: request.query.state } : {}),
                ...(request.query.signal ? { signal: request.query.signal } : {}),
                ...(request.query.q ? { q: request.query.q } : {}),
                ...paging,
              });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentCase) };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/cases/:id',
      { config: { access: SIGNED_IN }, schema: { tags: ['cases'], summary: '办件详情', params: idParams, response: { 200: caseJson } } },
      async (request) => presentCase(await readable(request, request.params.id)),
    );

    app.get<{ Params: { id: string } }>(
      '/api/cases/:id/events',
      {
        config: { access: SIGNED_IN },
        schema: { tags: ['cases'], summary: '办理过程', params: idParams, response: { 200: { type: 'array', items: { type: 'object', properties: { at: { type: 'string' }, event: { type: 'string' }, stateTo: { type: 'string' }, node: { type: ['string', 'null'] }, opinion: { type: ['string', 'null'] } } } } } },
      },
      async (request) => {
        const c = await readable(request, request.params.id);
        const staff = request.actor.kind === 'staff';
        return (await cases.events(c.id)).map((e) => ({ at: e.at.toISOString(), event: e.event, stateTo: e.state_to, node: e.node_name, opinion: staff || e.event === 'requestCorrection' || e.event === 'refuse' ? e.opinion : null }));
      },
    );

    app.post(
      '/api/case-materials',
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['cases'],
          summary: '上传申请材料到“我的材料库”（multipart，一个文件，字段 label 为材料名称）',
          querystring: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, label: { type: 'string', maxLength: 100 } } },
          response: { 201: { type: 'object', properties: { attachmentId: { type: 'string' }, label: { type: 'string' }, fileName: { type: 'string' }, size: { type: 'integer' } } } },
        },
      },
      async (request, reply) => {
        const part = await request.file({ limits: { fileSize: platform.attachments.maxBytes + 1, files: 1 } });
        if (!part) throw new AppError('ZW_ERR_VALIDATION', '请选择要上传的文件', [{ field: 'file', message: '请选择要上传的文件' }]);
        const label = (request.query as { label?: string }).label ?? part.filename;
        const r = await service.uploadMaterial(request.ctx, { source: part.file, fileName: part.filename, claimedType: part.mimetype, label });
        if (!r.ok) {
          const code = r.reason === 'too_large' ? 'ZW_ERR_PAYLOAD_TOO_LARGE' : r.reason === 'unsupported_type' || r.reason === 'type_mismatch' ? 'ZW_ERR_UNSUPPORTED_MEDIA' : 'ZW_ERR_VALIDATION';
          throw new AppError(code, r.message, [{ field: 'file', message: r.message }]);
        }
        return reply.status(201).send({ attachmentId: r.value.attachment_id, label: r.value.label, fileName: r.value.file_name, size: Number(r.value.size_bytes) });
      },
    );

    app.post<{ Body: { itemId: string; values: Record<string, unknown>; materials: { code: string; attachmentId: string }[] } }>(
      '/api/cases',
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['cases'],
          summary: '提交申请（Idempotency-Key 请求头：重试返回同一办件）',
          headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', maxLength: 100 } } },
          body: { type: 'object', required: ['itemId', 'values'], additionalProperties: false, properties: { itemId: { type: 'string', maxLength: 100 }, values: { type: 'object', additionalProperties: true }, materials: { type: 'array', maxItems: 50, items: materialChoice, default: [] } } },
          response: { 201: { type: 'object', properties: { case: caseJson, queryPassword: { type: 'string' } } }, 200: { type: 'object', properties: { case: caseJson, queryPassword: { type: 'string' } } } },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        // issue 3: real-name-verified fields take the account's values whatever was sent (lockVerified)
        const r = unwrap(await service.submit(request.ctx, { itemId: request.body.itemId, idempotencyKey: typeof key === 'string' ? key : null, values: request.body.values, materials: request.body.materials }, { lockVerified: true }));
        return reply.status(r.replay ? 200 : 201).send({ case: presentCase(r.record), queryPassword: r.queryPassword });
      },
    );

    app.post<{ Params: { id: string; action: ActionName }; Body: ActionBody }>(
      '/api/cases/:id/actions/:action',
      {
        config: { access: SIGNED_IN },
        schema: {
          tags: ['cases'],
          summary: '办理操作（受理、补正告知、不予受理、环节通过/退回、特别程序、延期、准予/不予许可、制证、送达、撤回、作废、删除）；version 为乐观锁版本',
          params: { type: 'object', required: ['id', 'action'], properties: { id: { type: 'string', format: 'uuid' }, action: { type: 'string', enum: [...CASE_ACTIONS] } } },
          body: { ...actionBodySchema, required: ['version'] },
          response: { 200: caseJson },
        },
      },
      async (request) => {
        const c = await readable(request, request.params.id);
        return presentCase(unwrap(await service.act(request.ctx, c.id, request.body.version ?? 0, toAction(request.params.action, request.body))));
      },
    );

    app.post<{ Params: { id: string }; Body: { version: number; materials: { code: string; attachmentId: string }[]; note?: string } }>(
      '/api/cases/:id/supplement',
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['cases'],
          summary: '提交补正材料',
          params: idParams,
          body: { type: 'object', required: ['version', 'materials'], additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 }, materials: { type: 'array', maxItems: 50, items: materialChoice }, note: { type: 'string', maxLength: 2000 } } },
          response: { 200: caseJson },
        },
      },
      async (request) => {
        const c = await readable(request, request.params.id);
        return presentCase(unwrap(await service.supplement(request.ctx, { caseId: c.id, version: request.body.version, materials: request.body.materials, ...(request.body.note ? { note: request.body.note } : {}) })));
      },
    );

    app.post<{ Params: { id: string }; Body: { score: number; reasons?: string[]; comment?: string } }>(
      '/api/cases/:id/rating',
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['cases'],
          summary: '好差评（办结后一事一评）',
          params: idParams,
          body: { type: 'object', required: ['score'], additionalProperties: false, properties: { score: { type: 'integer', minimum: 1, maximum: 5 }, reasons: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 50 } }, comment: { type: 'string', maxLength: 500 } } },
          response: { 201: { type: 'object', properties: { score: { type: 'integer' }, rectificationState: { type: ['string', 'null'] }, rectificationDueOn: { type: ['string', 'null'] } } } },
        },
      },
      async (request, reply) => {
        const c = await readable(request, request.params.id);
        const r = await service.rate(request.ctx, { caseId: c.id, score: request.body.score, reasons: request.body.reasons ?? [], comment: request.body.comment ?? '' });
        if (!r.ok) throw refusalError(r);
        return reply.status(201).send({ score: r.value.score, rectificationState: r.value.rectification_state, rectificationDueOn: r.value.rectification_due_on });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/cases/:id/query-password',
      { config: { access: APPLICANTS }, schema: { tags: ['cases'], summary: '本人办件的查询密码', params: idParams, response: { 200: { type: 'object', properties: { queryPassword: { type: 'string' } } } } } },
      async (request) => {
        const c = await readable(request, request.params.id);
        if (!isApplicant(request.actor, c)) throw new AppError('ZW_ERR_NOT_FOUND');
        return { queryPassword: queryPasswordOf(service, c) ?? '' };
      },
    );

    app.post<{ Body: { caseNo: string; password: string } }>(
      '/api/progress',
      {
        config: { access: { public: true }, rateLimit: PROGRESS_RATE_LIMIT },
        schema: {
          tags: ['cases'],
          summary: '办件进度查询（办件编号 + 查询密码，免登录）',
          body: { type: 'object', required: ['caseNo', 'password'], additionalProperties: false, properties: { caseNo: { type: 'string', maxLength: 100 }, password: { type: 'string', maxLength: 100 } } },
          response: { 200: progressJson },
        },
      },
      async (request) => {
        const r = await service.progress(request.body.caseNo.trim(), request.body.password);
        if (!r.ok) throw new AppError(r.status === 404 ? 'ZW_ERR_NOT_FOUND' : 'ZW_ERR_VALIDATION', r.errors.map((e) => e.message).join('；'), r.errors);
        return r.view;
      },
    );

    app.get<{ Querystring: { page: number } }>(
      '/api/case-results',
      {
        config: { access: { public: true } },
        schema: {
          tags: ['cases'],
          summary: '办件公示（申请人信息脱敏）',
          querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } },
          response: { 200: listJson({ type: 'object', properties: { caseNo: { type: 'string' }, itemName: { type: 'string' }, applicant: { type: 'string' }, organisationName: { type: 'string' }, result: { type: 'string' }, closedAt: { type: 'string' } } }) },
        },
      },
      async (request) => {
        const { page } = request.query;
        const { rows, total } = await cases.listClosed({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentAnnouncement) };
      },
    );
  };
}
