import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listScope } from '../../platform/auth/scope.ts';
import type { FieldError } from '../../platform/errors.ts';
import { formToJsonSchema } from '../../platform/forms/index.ts';
import type { Platform } from '../../platform/platform.ts';
import type { CatalogService, GovstackCatalogPort } from '../catalog/index.ts';
import { CASE_PERMISSIONS, staffCanSee, isApplicant, type CaseAction, type CaseRecord, type CaseService, type GovstackCasePort, type GovstackViewer } from '../cases/index.ts';
import type { ApplicationFileRepository } from './application-file.repository.ts';
import { GovstackError, notFound, sendSystemError } from './errors.ts';
import { BASE, STAFF_TASK_STATES, TASK_STATES, documentUrl, parseDocumentUrl, parseTaskId, presentFile, presentListItem, presentTask, presentTaskDetail, stageOf, statusOf, taskIdOf, type TaskStage } from './mapping.ts';
import * as S from './schemas.ts';

export interface GovstackDeps {
  cases: CaseService;
  casePort: GovstackCasePort;
  catalog: CatalogService;
  catalogPort: GovstackCatalogPort;
  files: ApplicationFileRepository;
}

const PUBLIC = { public: true as const };
const SIGNED_IN = { signedIn: ['citizen', 'enterprise', 'staff'] as ('citizen' | 'enterprise' | 'staff')[] };
const APPLICANTS = { signedIn: ['citizen', 'enterprise'] as ('citizen' | 'enterprise')[] };
const MAX_PAGE = 100;

type Paging = { firstResult?: number; maxResult?: number; sortBy?: string; sortOrder?: 'asc' | 'desc' };

function paging(q: Paging): { limit: number; offset: number } {
  return { limit: Math.min(q.maxResult ?? 20, MAX_PAGE), offset: q.firstResult ?? 0 };
}

function sortOf(q: Paging): { sortBy?: 'created' | 'registered' | 'dueDate' | 'id' | 'name'; sortOrder?: 'asc' | 'desc' } {
  const by = q.sortBy === 'created' || q.sortBy === 'registered' || q.sortBy === 'dueDate' || q.sortBy === 'id' || q.sortBy === 'name' ? q.sortBy : q.sortBy === 'nameCaseInsensitive' ? 'name' : undefined;
  return { ...(by ? { sortBy: by } : {}), ...(q.sortOrder ? { sortOrder: q.sortOrder } : {}) };
}

const invalid = (fields: FieldError[], zh?: string) => new GovstackError('ZW_ERR_VALIDATION', `Invalid input: ${fields.map((f) => f.field).join(', ')}`, zh ?? fields.map((f) => f.message).join('；'), fields);

/** A refusal of the cases module, as GovStack sees it (form fields under formData.data, materials under documentUrls). */
function fromCaseRefusal(r: { reason: string; message: string; fields?: FieldError[] }): GovstackError {
  const fields = (r.fields ?? []).map((f) => ({
    field: f.field.startsWith('material-') ? `documentUrls(${f.field.slice('material-'.length)})` : f.field === 'item' || f.field === 'idempotencyKey' ? f.field : `formData.data.${f.field}`,
    message: f.message,
  }));
  switch (r.reason) {
    case 'not_found':
      return new GovstackError('ZW_ERR_NOT_FOUND', 'Not found or not available for application', r.message, fields);
    case 'forbidden':
      return new GovstackError('ZW_ERR_FORBIDDEN', 'You may not do this in the current state or role', r.message, fields);
    case 'conflict':
      return new GovstackError('ZW_ERR_CONFLICT', 'The application file was changed meanwhile; reload and retry', r.message, fields);
    default:
      return new GovstackError('ZW_ERR_VALIDATION', `Invalid input${fields.length ? `: ${fields.map((f) => f.field).join(', ')}` : ''}`, r.message, fields);
  }
}

export function govstackRoutes(platform: Platform, d: GovstackDeps) {
  function viewerOf(request: FastifyRequest): GovstackViewer {
    const a = request.actor;
    if (a.kind === 'citizen' || a.kind === 'enterprise') return { kind: 'applicant', accountId: a.accountId };
    if (a.kind === 'staff' && platform.permissions.has(a, CASE_PERMISSIONS.read)) return { kind: 'staff', scope: listScope(a) };
    return { kind: 'staff', scope: { kind: 'none' } };
  }

  /** The case behind a fileId, if the actor may see it (else "not found": no existence leak). */
  async function visibleCase(request: FastifyRequest, id: string): Promise<CaseRecord> {
    const c = await d.cases.deps.cases.getById(id);
    if (!c || c.state === 'DRAFT' || (!isApplicant(request.actor, c) && !staffCanSee(platform.permissions, request.actor, c))) {
      throw notFound('Application file', '申请文件（办件）不存在或不在您的管辖范围内');
    }
    return c;
  }

  async function documentsOf(c: CaseRecord): Promise<string[]> {
    return (await d.cases.deps.cases.materials(c.id)).map((m) => documentUrl(m.attachment_id, m.material_code));
  }

  async function presentService(item: { id: string; name: string; publishedVersionId: string | null; organisationName: string }) {
    const it = item.publishedVersionId ? await d.catalog.itemVersion(item.publishedVersionId) : null;
    const body: { code: string; value: string }[] = [{ code: 'organisation', value: item.organisationName }];
    if (it) {
      body.push(
        { code: 'implementationCode', value: it.implementationCode },
        { code: 'basicCode', value: it.basicCode },
        { code: 'itemType', value: it.itemType },
        { code: 'divisionCode', value: it.divisionCode },
        { code: 'caseType', value: it.caseType },
        { code: 'legalLimit', value: it.legalLimit ? `${it.legalLimit.n}${it.legalLimit.unit}` : '' },
        { code: 'promisedLimit', value: it.promisedLimit ? `${it.promisedLimit.n}/${it.promisedLimit.unit}` : '' },
        { code: 'feeCharged', value: String(it.feeCharged) },
        { code: 'eFormId', value: it.versionId },
        ...it.materials.filter((m) => !m.fromSharing).map((m) => ({ code: `material:${m.code}`, value: `${m.name}${m.required ? '（必要）' : '（非必要）'}` })),
      );
    }
    return {
      id: item.id,
      name: item.name,
      version: String(it?.version ?? 0),
      type: 'Public' as const,
      isExecutable: it !== null,
      isClosed: true,
      description: `${item.name} — ${item.organisationName}`,
      serviceBody: body,
    };
  }

  /** The item behind a serviceId: unknown → 404; known but not in force → 404 with the reason. */
  async function publishedItem(serviceId: string) {
    const item = await d.catalogPort.item(serviceId);
    if (!item) throw notFound('Service', '事项（服务）不存在');
    if (item.status !== 'published' || !item.publishedVersionId) {
      throw new GovstackError('ZW_ERR_NOT_FOUND', 'Service is not published or no longer accepts applications', '该事项尚未发布或已停止办理，不能申请');
    }
    return item;
  }

  function materialsFor(urls: string[], itemMaterials: { code: string; required: boolean; fromSharing: boolean }[], field: string): { code: string; attachmentId: string }[] {
    const errors: FieldError[] = [];
    const chosen: { code: string; attachmentId: string }[] = [];
    const open = itemMaterials.filter((m) => !m.fromSharing);
    urls.forEach((u, i) => {
      const p = parseDocumentUrl(u);
      if (!p) {
        errors.push({ field: `${field}[${i}]`, message: '不是本系统 /documents 返回的文件地址' });
        return;
      }
      let code = p.materialCode;
      if (!code) code = open.find((m) => !chosen.some((c) => c.code === m.code) && m.required)?.code ?? open.find((m) => !chosen.some((c) => c.code === m.code))?.code ?? null;
      if (!code) {
        errors.push({ field: `${field}[${i}]`, message: '无法确定该文件对应的材料，请在上传时用 additionalMetadata 注明材料编码' });
        return;
      }
      chosen.push({ code, attachmentId: p.attachmentId });
    });
    if (errors.length) throw invalid(errors);
    return chosen;
  }

  async function taskOf(request: FastifyRequest, taskId: string): Promise<{ c: CaseRecord; t: TaskStage; requested: string }> {
    const p = parseTaskId(taskId);
    if (!p) throw notFound('Task', '任务不存在');
    const c = await visibleCase(request, p.caseId).catch(() => {
      throw notFound('Task', '任务不存在或不在您的管辖范围内');
    });
    const t = stageOf(c);
    if (!t || t.stage !== p.stage) {
      // The step was completed (or never existed): a known case with another open step is a conflict, not a 404.
      throw new GovstackError('ZW_ERR_CONFLICT', `Task ${taskId} is no longer open${t ? `; the open task is ${taskIdOf(c.id, t.stage)}` : ''}`, `该任务已完成或已不在办理中${t ? `，当前任务为“${t.name}”` : ''}`);
    }
    if (t.role === 'applicant' && !isApplicant(request.actor, c)) throw notFound('Task', '任务不存在或不在您的管辖范围内');
    return { c, t, requested: taskId };
  }

  function actionFor(t: TaskStage, data: Record<string, unknown>): CaseAction {
    const decision = typeof data.decision === 'string' ? data.decision : 'APPROVED';
    const text = (k: string) => (typeof data[k] === 'string' ? (data[k]).trim() : '');
    const reason = text('reason') || text('opinion');
    const need = (zh: string) => {
      if (!reason) throw invalid([{ field: 'data.reason', message: zh }]);
      return reason;
    };
    if (!['APPROVED', 'SENDBACK', 'REJECTED'].includes(decision)) throw invalid([{ field: 'data.decision', message: '应为 APPROVED、SENDBACK 或 REJECTED' }]);
    const notAllowed = () => invalid([{ field: 'data.decision', message: `“${t.name}”这一步不能选择 ${decision}` }]);
    switch (t.stage) {
      case 'accept':
        if (decision === 'APPROVED') return { action: 'accept' };
        if (decision === 'REJECTED') return { action: 'refuse-acceptance', reason: need('不予受理须说明理由') };
        {
          const items = Array.isArray(data.items)
            ? (data.items as unknown[]).map((x, i) => {
                const o = (x ?? {}) as Record<string, unknown>;
                if (typeof o.problem !== 'string' || !o.problem.trim()) throw invalid([{ field: `data.items[${i}].problem`, message: '请写明需要补正的问题' }]);
                return { target: typeof o.target === 'string' ? o.target : 'other', label: typeof o.label === 'string' ? o.label : '其他', problem: o.problem.trim() };
              })
            : [{ target: 'other', label: '其他', problem: need('退回补正须说明需要补正的内容') }];
          return { action: 'correction', items };
        }
      case 'undertake':
      case 'review':
        if (decision === 'APPROVED') return { action: 'pass', ...(reason ? { opinion: reason } : {}) };
        if (decision === 'SENDBACK') return { action: 'return', opinion: need('退回须说明理由') };
        throw notAllowed();
      case 'approve':
        if (decision === 'APPROVED') return { action: 'approve', ...(reason ? { reason } : {}), ...(text('certificateNo') ? { certificateNo: text('certificateNo') } : {}) };
        if (decision === 'REJECTED') return { action: 'refuse', reason: need('不予许可须说明理由') };
        return { action: 'return', opinion: need('退回须说明理由') };
      case 'special-end':
        if (decision !== 'APPROVED') throw notAllowed();
        return { action: 'special-end', result: text('result') || reason || '特别程序结束' };
      case 'result':
        if (decision !== 'APPROVED') throw notAllowed();
        return { action: 'result', ...(text('certificateNo') ? { certificateNo: text('certificateNo') } : {}) };
      case 'deliver': {
        if (decision !== 'APPROVED') throw notAllowed();
        const method = text('method') || 'electronic';
        if (method !== 'electronic' && method !== 'collected' && method !== 'mailed') throw invalid([{ field: 'data.method', message: '应为 electronic、collected 或 mailed' }]);
        return { action: 'deliver', method, ...(text('courierNo') ? { courierNo: text('courierNo') } : {}) };
      }
      case 'supplement':
        throw notAllowed(); // handled by the caller
    }
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.setErrorHandler((error, request, reply) => sendSystemError(request, reply, error));

    // ---- services ↔ published implementation items ----
    app.get<{ Querystring: { name?: string } & Paging }>(
      `${BASE}/services`,
      { config: { access: PUBLIC }, schema: { tags: ['govstack'], summary: 'GovStack: services (published implementation items)', querystring: S.servicesQuery, response: { 200: { type: 'array', items: S.service } } } },
      async (request) => {
        const { rows } = await d.catalogPort.listPublished({ name: request.query.name?.trim() || undefined }, paging({ maxResult: 50, ...request.query }));
        const out = [];
        for (const r of rows) out.push(await presentService(r));
        return out;
      },
    );

    app.get<{ Params: { serviceId: string } }>(
      `${BASE}/services/:serviceId`,
      { config: { access: PUBLIC }, schema: { tags: ['govstack'], summary: 'GovStack: one service', params: S.serviceParams, response: { 200: S.service } } },
      async (request) => presentService(await publishedItem(request.params.serviceId)),
    );

    app.get<{ Params: { serviceId: string } }>(
      `${BASE}/services/:serviceId/eForms`,
      { config: { access: PUBLIC }, schema: { tags: ['govstack'], summary: 'GovStack: the e-forms (form versions in force or superseded) of a service', params: S.serviceParams, response: { 200: { type: 'array', items: S.eFormListItem } } } },
      async (request) => {
        const item = await publishedItem(request.params.serviceId);
        const versions = await d.catalogPort.formVersions(item.id);
        return versions.map((v) => ({ eFormId: v.id, name: `${item.name}申请表`, description: `${item.name}（${item.organisationName}）申请表，第 ${v.versionNo} 版`, version: String(v.versionNo), latest: v.id === item.publishedVersionId }));
      },
    );

    app.get<{ Params: { eFormId: string } }>(
      `${BASE}/eForms/:eFormId`,
      { config: { access: PUBLIC }, schema: { tags: ['govstack'], summary: 'GovStack: one e-form with its JSON Schema', params: { type: 'object', required: ['eFormId'], properties: { eFormId: { type: 'string', maxLength: 100 } } }, response: { 200: S.eForm } } },
      async (request) => {
        const v = await d.catalogPort.version(request.params.eFormId);
        if (!v || (v.status !== 'published' && v.status !== 'superseded')) throw notFound('eForm', '表单不存在或尚未发布');
        const item = await d.catalogPort.item(v.itemId);
        if (!item) throw notFound('eForm', '表单不存在');
        return {
          eFormId: v.id,
          name: `${item.name}申请表`,
          description: `${item.name}（${item.organisationName}）申请表，第 ${v.versionNo} 版`,
          version: String(v.versionNo),
          latest: v.id === item.publishedVersionId,
          schema: formToJsonSchema(v.form, { id: `${BASE}/eForms/${v.id}`, title: `${item.name}申请表` }),
        };
      },
    );

    // ---- documents ↔ the applicant's material library (attachments) ----
    app.post<{ Querystring: { additionalMetadata?: string } }>(
      `${BASE}/documents`,
      {
        config: { access: APPLICANTS },
        schema: { tags: ['govstack'], summary: 'GovStack: upload a document (multipart field "file"; additionalMetadata = material code)', querystring: S.documentsQuery, response: { 200: S.uploadResponse } },
      },
      async (request) => {
        if (!request.isMultipart()) throw new GovstackError('ZW_ERR_UNSUPPORTED_MEDIA', 'Send multipart/form-data with a "file" part', '请以 multipart/form-data 上传，文件字段名为 file');
        const meta = request.query.additionalMetadata?.trim() ?? '';
        const materialCode = /^(?:materialCode=)?([A-Za-z0-9._-]{1,50})$/.exec(meta)?.[1] ?? null;
        let uploaded: { attachmentId: string; fileName: string; type: string } | null = null;
        for await (const part of request.parts({ limits: { fileSize: platform.attachments.maxBytes + 1, files: 1 } })) {
          if (part.fieldname !== 'file' || uploaded) {
            if (part.type === 'file') await part.toBuffer().catch(() => null);
            continue;
          }
          const isFile = part.type === 'file';
          const source = isFile ? part.file : Readable.from(Buffer.from(String(part.value), 'base64'));
          const fileName = isFile ? part.filename : `document-${crypto.randomUUID().slice(0, 8)}`;
          const r = await d.cases.uploadMaterial(request.ctx, { source, fileName, claimedType: isFile ? part.mimetype : null, label: materialCode ?? fileName });
          if (!r.ok) {
            const code = r.reason === 'too_large' ? 'ZW_ERR_PAYLOAD_TOO_LARGE' : r.reason === 'unsupported_type' || r.reason === 'type_mismatch' ? 'ZW_ERR_UNSUPPORTED_MEDIA' : 'ZW_ERR_VALIDATION';
            throw new GovstackError(code, `File upload failed (${r.reason})`, r.message, [{ field: 'file', message: r.message }]);
          }
          uploaded = { attachmentId: r.value.attachment_id, fileName: r.value.file_name, type: isFile ? part.mimetype : 'application/octet-stream' };
        }
        if (!uploaded) throw invalid([{ field: 'file', message: '请选择要上传的文件' }], '请选择要上传的文件');
        return { code: 200, type: uploaded.type, message: `已上传“${uploaded.fileName}” / uploaded`, url: documentUrl(uploaded.attachmentId, materialCode) };
      },
    );

    // ---- applications ↔ cases ----
    app.post<{ Params: { serviceId: string }; Body: S.ApplicationFileSubmit; Headers: Record<string, string | undefined> }>(
      `${BASE}/services/:serviceId/applications`,
      {
        config: { access: APPLICANTS },
        schema: {
          tags: ['govstack'],
          summary: 'GovStack: submit an application file (a case through the cases module; Idempotency-Key or the same created+content replays)',
          params: S.serviceParams,
          headers: S.imHeadersWithIdempotency,
          body: S.applicationFileSubmit,
          response: { 200: S.applicationFileResponse },
        },
      },
      async (request) => {
        const a = request.actor;
        if (a.kind !== 'citizen' && a.kind !== 'enterprise') throw new GovstackError('ZW_ERR_FORBIDDEN', 'Only applicants submit', '请以个人或法人用户身份登录后申请');
        const body = request.body;
        if (body.applicantId !== a.accountId) throw new GovstackError('ZW_ERR_FORBIDDEN', 'applicantId must be the signed-in applicant', 'applicantId 必须是当前登录的申请人', [{ field: 'applicantId', message: 'applicantId 必须是当前登录的申请人' }]);
        const item = await publishedItem(request.params.serviceId);
        const eFormId = body.formData?.eFormId;
        if (eFormId && eFormId !== item.publishedVersionId) {
          throw invalid([{ field: 'formData.eFormId', message: '表单版本已更新或不属于该事项，请重新获取表单后填写' }]);
        }
        const it = await d.catalog.itemVersion(item.publishedVersionId!);
        const urls = body.documentUrls ?? [];
        const materials = materialsFor(urls, it?.materials ?? [], 'documentUrls');
        const header = request.headers['idempotency-key'];
        const key =
          typeof header === 'string' && header
            ? header
            : `gs:${crypto
                .createHash('sha256')
                .update(JSON.stringify([item.id, body.created ?? null, body.formData?.data ?? {}, urls, body.applicationName ?? '']))
                .digest('hex')
                .slice(0, 48)}`;
        const r = await d.cases.submit(request.ctx, { itemId: item.id, idempotencyKey: key, values: (body.formData?.data ?? {}), materials, channel: '1' });
        if (!r.ok) throw fromCaseRefusal(r);
        const c = r.value.record;
        await platform.transactor.run(request.ctx, async (uow) => {
          const inserted = await d.files.insertIfAbsent(uow.tx, {
            caseId: c.id,
            applicantAccountId: a.accountId,
            applicationName: (body.applicationName ?? '').slice(0, 200),
            clientCreatedAt: body.created ? new Date(body.created) : null,
            eformId: item.publishedVersionId,
            documentUrls: urls,
          });
          if (inserted) await uow.audit({ action: 'govstack.application.submit', objectType: 'case', objectId: c.id, detail: { serviceId: item.id, client: request.headers['information-mediator-client'] ?? null, documents: urls.length } });
        });
        return presentFile(c, await d.files.get(c.id), await documentsOf(c));
      },
    );

    app.get<{ Querystring: { serviceId?: string; applicantId?: string } & Paging }>(
      `${BASE}/applications`,
      { config: { access: SIGNED_IN }, schema: { tags: ['govstack'], summary: 'GovStack: application files (applicant: own; staff: in scope)', headers: S.imHeaders, querystring: S.applicationsQuery, response: { 200: { type: 'array', items: S.applicationListItem } } } },
      async (request) => {
        const q = request.query;
        const rows = await d.casePort.list(viewerOf(request), { itemId: q.serviceId, applicantAccountId: q.applicantId, ...sortOf(q), ...paging(q) });
        const files = await d.files.getMany(rows.map((r) => r.id));
        return rows.map((c) => presentListItem(c, files.get(c.id) ?? null));
      },
    );

    app.get<{ Params: { fileId: string } }>(
      `${BASE}/applications/:fileId`,
      { config: { access: SIGNED_IN }, schema: { tags: ['govstack'], summary: 'GovStack: one application file', headers: S.imHeaders, params: S.fileParams, response: { 200: S.applicationFileResponse } } },
      async (request) => {
        const c = await visibleCase(request, request.params.fileId);
        return presentFile(c, await d.files.get(c.id), await documentsOf(c));
      },
    );

    app.put<{ Params: { fileId: string }; Body: S.ApplicationFileSubmit; Headers: Record<string, string | undefined> }>(
      `${BASE}/applications/:fileId`,
      {
        config: { access: { permission: CASE_PERMISSIONS.handle } },
        schema: { tags: ['govstack'], summary: "GovStack: the operator's form data on an application file (If-Match: operatorData.version)", headers: S.imHeadersWithIfMatch, params: S.fileParams, body: S.applicationFileSubmit, response: { 200: S.applicationFileResponse } },
      },
      async (request) => {
        const c = await visibleCase(request, request.params.fileId);
        if (request.actor.kind !== 'staff' || request.actor.position.organisationId !== c.organisation_id) {
          throw new GovstackError('ZW_ERR_FORBIDDEN', 'Only the handling organisation may update the file', '只有承办部门的工作人员可以填写办理信息');
        }
        if (request.body.applicantId !== c.applicant_account_id) throw invalid([{ field: 'applicantId', message: 'applicantId 与该申请文件的申请人不一致' }]);
        const data = (request.body.formData?.data ?? {});
        const ifMatch = request.headers['if-match'];
        const expected = ifMatch ? Number(String(ifMatch).replace(/"/g, '')) : null;
        if (expected !== null && !Number.isInteger(expected)) throw invalid([{ field: 'If-Match', message: '应为 operatorData.version 的整数值' }]);
        const actorId = request.actor.accountId;
        const saved = await platform.transactor.run(request.ctx, async (uow) => {
          const row = await d.files.saveOperatorData(uow.tx, { caseId: c.id, applicantAccountId: c.applicant_account_id, data, by: actorId, expectedVersion: expected });
          await uow.audit({ action: 'govstack.application.update', objectType: 'case', objectId: c.id, outcome: row ? 'success' : 'denied', detail: { fields: Object.keys(data).slice(0, 50) } });
          return row;
        });
        if (!saved) throw new GovstackError('ZW_ERR_CONFLICT', 'operatorData was changed by someone else; reload and retry', '办理信息已被他人修改，请刷新后重试');
        return presentFile(c, saved, await documentsOf(c));
      },
    );

    // ---- tasks ↔ the open step of each case ----
    app.get<{ Querystring: { mainTaskId?: string; fileId?: string; assigneeId?: string } & Paging }>(
      `${BASE}/tasks`,
      { config: { access: SIGNED_IN }, schema: { tags: ['govstack'], summary: 'GovStack: open tasks (staff: steps of cases in scope; applicant: own corrections)', querystring: S.tasksQuery, response: { 200: { type: 'array', items: S.userTask } } } },
      async (request) => {
        const q = request.query;
        const viewer = viewerOf(request);
        const fileId = q.fileId ?? q.mainTaskId;
        const states = q.assigneeId ? ['NEEDS_CORRECTION' as const] : viewer.kind === 'applicant' ? ['NEEDS_CORRECTION' as const] : STAFF_TASK_STATES;
        const rows = await d.casePort.list(viewer, { states: states.filter((s) => TASK_STATES.includes(s)), caseId: fileId, applicantAccountId: q.assigneeId, ...sortOf(q), ...paging(q) });
        const files = await d.files.getMany(rows.map((r) => r.id));
        return rows.flatMap((c) => {
          const t = stageOf(c);
          return t ? [presentTask(c, t, files.get(c.id) ?? null)] : [];
        });
      },
    );

    app.get<{ Params: { taskId: string } }>(
      `${BASE}/tasks/:taskId`,
      { config: { access: SIGNED_IN }, schema: { tags: ['govstack'], summary: 'GovStack: one task with its form variables', params: S.taskParams, response: { 200: S.dataUserTask } } },
      async (request) => {
        const { c, t } = await taskOf(request, request.params.taskId);
        return presentTaskDetail(c, t, await d.files.get(c.id));
      },
    );

    app.post<{ Params: { taskId: string }; Body: { data?: Record<string, unknown> } }>(
      `${BASE}/tasks/:taskId/complete`,
      { config: { access: SIGNED_IN }, schema: { tags: ['govstack'], summary: 'GovStack: complete a task (a case action through the cases module)', params: S.taskParams, body: S.additionalData, response: { 200: S.completedTask } } },
      async (request) => {
        const { c, t, requested } = await taskOf(request, request.params.taskId);
        const data = request.body.data ?? {};
        const version = typeof data.version === 'number' ? data.version : c.version;
        let r;
        if (t.stage === 'supplement') {
          const urls = Array.isArray(data.documentUrls) ? data.documentUrls.filter((u): u is string => typeof u === 'string') : [];
          if (urls.length === 0) throw invalid([{ field: 'data.documentUrls', message: '请附上补正的材料（/documents 返回的地址）' }]);
          const item = await d.catalog.itemForApplication(c.item_id);
          const materials = materialsFor(urls, item?.materials ?? [], 'data.documentUrls');
          r = await d.cases.supplement(request.ctx, { caseId: c.id, version, materials, ...(typeof data.note === 'string' ? { note: data.note } : {}) });
        } else {
          r = await d.cases.act(request.ctx, c.id, version, actionFor(t, data));
        }
        if (!r.ok) throw fromCaseRefusal(r);
        const after = await d.cases.deps.cases.getById(c.id);
        const next = after ? stageOf(after) : null;
        return {
          taskId: requested,
          fileId: c.id,
          serviceId: c.item_id,
          status: statusOf(after ?? c),
          variables: { case: { data: { caseNo: after?.case_no ?? '', state: after?.state ?? c.state, caseVersion: after?.version ?? c.version, nextTaskId: next && after ? taskIdOf(after.id, next.stage) : '' } } },
        };
      },
    );

    // ---- statistics ↔ counts of cases ----
    app.get<{ Querystring: { startDate?: string; endDate?: string; registrationName?: string; operator?: string; role?: string; timeframe?: 'day' | 'week' | 'month' | 'year' } }>(
      `${BASE}/data/statistics`,
      { config: { access: PUBLIC }, schema: { tags: ['govstack'], summary: 'GovStack: statistics of applications (counts only; public)', headers: S.imHeaders, querystring: S.statisticsQuery, response: { 200: { type: 'array', items: S.statisticsRow } } } },
      async (request) => {
        const q = request.query;
        if (q.startDate && q.endDate && q.startDate > q.endDate) throw invalid([{ field: 'startDate', message: '开始日期不能晚于结束日期' }]);
        const rows = await d.casePort.counts({ from: q.startDate, to: q.endDate, itemName: q.registrationName, operator: q.operator, timeframe: q.timeframe });
        const refs = (period: string | null) => ({
          ...(period ? { startDate: period } : q.startDate ? { startDate: q.startDate } : {}),
          ...(q.endDate ? { endDate: q.endDate } : {}),
          ...(q.registrationName ? { registrationName: q.registrationName } : {}),
          ...(q.operator ? { operator: q.operator } : {}),
          ...(q.role ? { role: q.role } : {}),
          timeframeDay: q.timeframe === 'day',
          timeframeWeek: q.timeframe === 'week',
          timeframeMonth: q.timeframe === 'month',
          timeframeYear: q.timeframe === 'year',
        });
        const out = rows.map((r) => ({ processed: r.processed, approved: r.approved, sentBack: r.sentBack, rejected: r.rejected, references: refs(r.period) }));
        return out.length ? out : [{ processed: 0, approved: 0, sentBack: 0, rejected: 0, references: refs(null) }];
      },
    );
  };
}
