import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { civilDayAt } from '../../../platform/calendar/index.ts';
import { AppError, refusalError, type FieldError } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { ImportAttachment } from '../commands/import-publications.ts';
import type { PublicationChange } from '../commands/change-publication.ts';
import { deadlineState } from '../deadline.ts';
import { parseImportFile } from '../import-file.ts';
import { allowedPublicationActions, inStaffScope, PERMISSION } from '../policies.ts';
import type { PublicationRow, PublicationStatus } from '../publication.repository.ts';
import { saveCategory } from '../commands/save-category.ts';
import { setIndexRule } from '../commands/set-index-rule.ts';
import { alertsPage, categoriesPage, indexRulesPage, IMPORT_PROGRESS_JS, importPage, importProgressPage, publicationForm, staffDetail, staffList, type FormValues } from '../views/workbench-pages.ts';
import { idParams, PAGE_SIZE, sendHtml, type RouteDeps } from './shared.ts';

const STATUSES = ['draft', 'in_review', 'approved', 'published', 'withdrawn'] as const;
const listQuery = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 }, status: { type: 'string', enum: [...STATUSES, ''] }, q: { type: 'string', maxLength: 50 } },
} as const;
const formBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    // Form bodies are text (not coerced): the version arrives as digits.
    version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
    title: { type: 'string', maxLength: 2000 },
    docNumber: { type: 'string', maxLength: 200 },
    issuingBody: { type: 'string', maxLength: 500 },
    writtenOn: { type: 'string', maxLength: 20 },
    categoryCode: { type: 'string', maxLength: 40 },
    theme: { type: 'string', maxLength: 100 },
    genre: { type: 'string', maxLength: 20 },
    validity: { type: 'string', maxLength: 20 },
    summary: { type: 'string', maxLength: 5000 },
    body: { type: 'string', maxLength: 1000000 },
    attachmentIds: { type: 'string', maxLength: 2000 },
    interpretsId: { type: 'string', maxLength: 40 },
    idempotencyKey: { type: 'string', maxLength: 80 },
    reason: { type: 'string', maxLength: 5000 },
    opinion: { type: 'string', maxLength: 5000 },
    decision: { type: 'string', enum: ['pass', 'return'] },
  },
} as const;
type FormBody = FormValues & { version?: string; opinion?: string; decision?: 'pass' | 'return' };

function toFormValues(p: PublicationRow): FormValues {
  return { ...p, body: p.bodyHtml, attachmentIds: p.attachmentIds.join(',') };
}

export function workbenchRoutes(deps: RouteDeps) {
  const { permissions, publications } = deps;
  const notFound = () => new AppError('ZW_ERR_NOT_FOUND', '公开信息不存在或不在您的管辖范围内');

  async function load(request: FastifyRequest<{ Params: { id: string } }>): Promise<PublicationRow> {
    const p = await publications.getById(request.params.id);
    if (!p || !inStaffScope(permissions, request.actor, p)) throw notFound();
    return p;
  }
  async function deadlineOf(p: PublicationRow) {
    const calendar = await deps.calendars.calendarFor(p.jurisdictionCode.slice(0, 6));
    return deadlineState(calendar, p.dueOn, p.status === 'published' || p.status === 'withdrawn', civilDayAt(new Date()));
  }
  async function categoryName(code: string) {
    return (await publications.categories()).find((c) => c.code === code)?.name ?? code;
  }
  async function detail(request: FastifyRequest, p: PublicationRow, errors: FieldError[] = []) {
    return staffDetail(request.page, p, {
      categoryName: await categoryName(p.categoryCode),
      actions: allowedPublicationActions(permissions, request.actor, p),
      events: await publications.events(p.id, { publicOnly: false }),
      related: await publications.related(p.id),
      deadline: await deadlineOf(p),
      errors,
    });
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { page: number; status?: PublicationStatus | ''; q?: string } }>(
      '/workbench/disclosure',
      { config: { access: { permission: PERMISSION.read } }, schema: { hide: true, querystring: listQuery } },
      async (request, reply) => {
        const { page } = request.query;
        const status = request.query.status || undefined;
        const q = request.query.q?.trim() || undefined;
        const scope = listScope(request.actor);
        const { rows, total } = await publications.listInScope(scope, { ...(status ? { status } : {}), ...(q ? { q } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        const listed = await Promise.all(rows.map(async (p) => ({ p, deadline: await deadlineOf(p) })));
        const alerts = await publications.alertsInScope(scope, { openOnly: true, limit: 1, offset: 0 });
        return sendHtml(
          reply,
          staffList(request.page, listed, {
            page,
            pageSize: PAGE_SIZE,
            total,
            status,
            q,
            canCreate: permissions.has(request.actor, PERMISSION.draft),
            canImport: permissions.has(request.actor, 'disclosure.import'),
            openAlerts: alerts.total,
          }),
        );
      },
    );

    app.get<{ Querystring: { page: number } }>(
      '/workbench/disclosure/alerts',
      { config: { access: { permission: PERMISSION.read } }, schema: { hide: true, querystring: { type: 'object', properties: { page: listQuery.properties.page } } } },
      async (request, reply) => {
        const { page } = request.query;
        const { rows, total } = await publications.alertsInScope(listScope(request.actor), { openOnly: false, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return sendHtml(reply, alertsPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
      },
    );

    // ---- draft ----
    app.get<{ Querystring: { interprets?: string } }>(
      '/workbench/disclosure/new',
      { config: { access: { permission: PERMISSION.draft } }, schema: { hide: true, querystring: { type: 'object', properties: { interprets: { type: 'string', format: 'uuid' } } } } },
      async (request, reply) => {
        const interprets = request.query.interprets ? await publications.getById(request.query.interprets) : null;
        return sendHtml(
          reply,
          publicationForm(request.page, {
            mode: 'new',
            values: { idempotencyKey: randomUUID() },
            errors: [],
            categories: await publications.categories(),
            interprets: interprets && interprets.status === 'published' ? interprets : null,
          }),
        );
      },
    );
    app.post<{ Body: FormBody }>('/workbench/disclosure', { config: { access: { permission: PERMISSION.draft } }, schema: { hide: true, body: formBody } }, async (request, reply) => {
      const result = await deps.commands.create(request.ctx, request.body);
      if (!result.ok) {
        if (result.reason === 'invalid') {
          const interprets = request.body.interpretsId ? await publications.getById(request.body.interpretsId) : null;
          return sendHtml(reply, publicationForm(request.page, { mode: 'new', values: request.body, errors: result.fields ?? [], categories: await publications.categories(), interprets }), 400);
        }
        throw refusalError(result);
      }
      setFlash(reply, '草稿已保存');
      return reply.redirect(`/workbench/disclosure/${result.value.id}`, 303);
    });

    app.get<{ Params: { id: string } }>('/workbench/disclosure/:id', { config: { access: { permission: PERMISSION.read } }, schema: { hide: true, params: idParams } }, async (request, reply) =>
      sendHtml(reply, await detail(request, await load(request))),
    );

    for (const mode of ['edit', 'revise'] as const) {
      app.get<{ Params: { id: string } }>(
        `/workbench/disclosure/:id/${mode}`,
        { config: { access: { permission: mode === 'edit' ? PERMISSION.draft : PERMISSION.publish } }, schema: { hide: true, params: idParams } },
        async (request, reply) => {
          const p = await load(request);
          if (!allowedPublicationActions(permissions, request.actor, p).includes(mode)) throw new AppError('ZW_ERR_FORBIDDEN', mode === 'edit' ? '只有草稿可以修改' : '只有已发布的信息可以修订');
          return sendHtml(reply, publicationForm(request.page, { mode, publication: p, values: toFormValues(p), errors: [], categories: await publications.categories() }));
        },
      );
    }

    const step = (path: string, permission: string, build: (b: FormBody) => PublicationChange, done: string) =>
      app.post<{ Params: { id: string }; Body: FormBody }>(path, { config: { access: { permission } }, schema: { hide: true, params: idParams, body: formBody } }, async (request, reply) => {
        const change = build(request.body);
        const version = Number(request.body.version ?? 0);
        const result = await deps.commands.change(request.ctx, request.params.id, version, change);
        if (!result.ok) {
          if (result.reason === 'invalid' || result.reason === 'duplicate') {
            const p = await load(request);
            if (change.kind === 'edit' || change.kind === 'revise') {
              return sendHtml(reply, publicationForm(request.page, { mode: change.kind, publication: p, values: request.body, errors: result.fields ?? [], categories: await publications.categories(), version }), 400);
            }
            return sendHtml(reply, await detail(request, p, result.fields?.length ? result.fields : [{ field: 'reason', message: result.message }]), result.reason === 'duplicate' ? 409 : 400);
          }
          throw refusalError(result);
        }
        setFlash(reply, typeof done === 'string' ? done : '');
        return reply.redirect(`/workbench/disclosure/${result.value.id}`, 303);
      });
    step('/workbench/disclosure/:id', PERMISSION.draft, (b) => ({ kind: 'edit', input: b }), '修改已保存');
    step('/workbench/disclosure/:id/submit', PERMISSION.draft, () => ({ kind: 'submit' }), '已提交保密审查');
    step('/workbench/disclosure/:id/review', PERMISSION.review, (b) => ({ kind: 'review', decision: b.decision === 'return' ? 'return' : 'pass', opinion: b.opinion }), '保密审查意见已记录');
    step('/workbench/disclosure/:id/publish', PERMISSION.publish, () => ({ kind: 'publish' }), '已发布');
    step('/workbench/disclosure/:id/withdraw', PERMISSION.publish, (b) => ({ kind: 'withdraw', reason: b.reason }), '已撤销公开');
    step('/workbench/disclosure/:id/revise', PERMISSION.publish, (b) => ({ kind: 'revise', input: b, reason: b.reason }), '修订已发布');

    // ---- index number rules (per jurisdiction; system administrator) ----
    const rulesPage = async (request: FastifyRequest, values: { jurisdictionCode?: string; generatorId?: string }, errors: FieldError[]) => {
      const generators = await deps.commands.deps.numbers.listGenerators();
      const rules = await Promise.all(
        (await publications.indexRules()).map(async (r) => ({
          ...r,
          jurisdictionName: (await deps.divisions.getDivision(r.jurisdictionCode))?.name ?? r.jurisdictionCode,
          template: generators.find((g) => g.id === r.generatorId)?.template ?? '',
        })),
      );
      return indexRulesPage(request.page, { rules, generators, values, errors });
    };
    app.get('/workbench/index-numbers', { config: { access: { permission: 'numbering.manage' } }, schema: { hide: true } }, async (request, reply) =>
      sendHtml(reply, await rulesPage(request, {}, [])),
    );
    app.post<{ Body: { jurisdictionCode?: string; generatorId?: string } }>(
      '/workbench/index-numbers',
      {
        config: { access: { permission: 'numbering.manage' } },
        schema: { hide: true, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, jurisdictionCode: { type: 'string', maxLength: 20 }, generatorId: { type: 'string', maxLength: 60 } } } },
      },
      async (request, reply) => {
        const code = request.body.jurisdictionCode?.trim() ?? '';
        const known = {
          division: /^\d{6}$/.test(code) && (await deps.divisions.getDivision(code)) !== null,
          generator: (await deps.commands.deps.numbers.listGenerators()).some((g) => g.id === request.body.generatorId),
        };
        const result = await deps.transact(request.ctx, (uow) => setIndexRule(deps.commands.deps, uow, request.body, known));
        if (!result.ok) {
          if (result.reason === 'invalid') return sendHtml(reply, await rulesPage(request, request.body, result.fields ?? []), 400);
          throw refusalError(result);
        }
        setFlash(reply, '索引号规则已保存');
        return reply.redirect('/workbench/index-numbers', 303);
      },
    );

    // ---- the catalog tree (公开目录) ----
    app.get('/workbench/open-catalog', { config: { access: { permission: 'disclosure.catalog' } }, schema: { hide: true } }, async (request, reply) =>
      sendHtml(reply, categoriesPage(request.page, { categories: await publications.categories(), values: {}, errors: [] })),
    );
    app.post<{ Body: Record<string, string | undefined> }>(
      '/workbench/open-catalog',
      {
        config: { access: { permission: 'disclosure.catalog' } },
        schema: {
          hide: true,
          body: {
            type: 'object',
            properties: { _csrf: { type: 'string', maxLength: 128 }, code: { type: 'string', maxLength: 60 }, name: { type: 'string', maxLength: 200 }, parentCode: { type: 'string', maxLength: 60 }, deadlineDays: { type: 'string', maxLength: 10 }, legalBasis: { type: 'string', maxLength: 500 } },
          },
        },
      },
      async (request, reply) => {
        const result = await deps.transact(request.ctx, (uow) => saveCategory(deps.commands.deps, uow, request.body));
        if (!result.ok) {
          if (result.reason === 'invalid') return sendHtml(reply, categoriesPage(request.page, { categories: await publications.categories(), values: request.body, errors: result.fields ?? [] }), 400);
          throw refusalError(result);
        }
        setFlash(reply, result.value.outcome === 'created' ? '分类已新增' : '分类已修改');
        return reply.redirect('/workbench/open-catalog', 303);
      },
    );

    // ---- bulk import ----
    app.get('/workbench/disclosure/import', { config: { access: { permission: 'disclosure.import' } }, schema: { hide: true } }, async (request, reply) =>
      sendHtml(reply, importPage(request.page, { errors: [] })),
    );
    app.post(
      '/workbench/disclosure/import',
      { config: { access: { permission: 'disclosure.import' } }, schema: { hide: true, querystring: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } } },
      async (request, reply) => {
        const actor = request.actor;
        if (actor.kind !== 'staff') throw new AppError('ZW_ERR_FORBIDDEN');
        if (!request.isMultipart()) return sendHtml(reply, importPage(request.page, { errors: [{ field: 'file', message: '请选择要导入的数据文件' }] }), 400);
        let dataFile: { name: string; text: string } | null = null;
        const attachments: Record<string, ImportAttachment> = {};
        for await (const part of request.parts({ limits: { fileSize: deps.attachments.maxBytes + 1, files: 201 } })) {
          if (part.type !== 'file') continue;
          if (part.fieldname === 'file') {
            const buf = await part.toBuffer();
            if (buf.length > 0) dataFile = { name: part.filename, text: buf.toString('utf8') };
          } else if (part.fieldname === 'attachments' && part.filename) {
            const stored = await deps.attachments.put(part.file, { originalName: part.filename, claimedType: part.mimetype, ctx: request.ctx });
            attachments[part.filename] = stored.ok ? { ok: true, id: stored.value.id } : { ok: false, message: stored.message };
          } else {
            part.file.resume();
          }
        }
        if (!dataFile) return sendHtml(reply, importPage(request.page, { errors: [{ field: 'file', message: '请选择要导入的数据文件' }] }), 400);
        const parsed = parseImportFile(dataFile.name, dataFile.text);
        if (!parsed.ok) return sendHtml(reply, importPage(request.page, { errors: [{ field: 'file', message: parsed.message }] }), 400);
        const id = await deps.startImport(request.ctx, { organisationId: actor.position.organisationId, createdBy: actor.accountId, payload: { rows: parsed.rows, attachments, actor } });
        return reply.redirect(`/workbench/disclosure/import/${id}`, 303);
      },
    );
    app.get<{ Params: { id: string } }>(
      '/workbench/disclosure/import/:id',
      { config: { access: { permission: 'disclosure.import' } }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const run = await deps.imports.get(request.params.id);
        const actor = request.actor;
        if (!run || actor.kind !== 'staff' || run.organisationId !== actor.position.organisationId) throw new AppError('ZW_ERR_NOT_FOUND', '导入任务不存在');
        return sendHtml(reply, importProgressPage(request.page, run));
      },
    );
    app.get('/workbench/disclosure/import-progress.js', { config: { access: { permission: 'disclosure.import' } }, schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'private, max-age=300').send(IMPORT_PROGRESS_JS),
    );
  };
}
