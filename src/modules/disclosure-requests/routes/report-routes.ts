import type { FastifyInstance, FastifyReply } from 'fastify';
import { listScope } from '../../../platform/auth/scope.ts';
import { yearOf } from '../../../platform/calendar/index.ts';
import { AppError, refusalError, unwrap } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Platform } from '../../../platform/platform.ts';
import { renderPdf } from '../../../platform/pdf/index.ts';
import type { SafeHtml } from '../../../platform/views/html.ts';
import { allowedReportActions, canSeeReport, changeReport, computeReportTables, createReport } from '../commands/annual-reports.ts';
import type { CommandDeps } from '../commands/deps.ts';
import type { AnnualTables } from '../domain/annual-report.ts';
import { reportPdfSpec, reportTitle, reportWorkbook } from '../domain/report-exports.ts';
import { PERMISSIONS } from '../policies.ts';
import type { AnnualReportRow } from '../request.repository.ts';
import { publicReportListPage, publicReportPage, reportEditorPage, reportListPage } from '../views/report-pages.ts';

const PAGE_SIZE = 20;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const narrativeProps = {
  overview: { type: 'string', maxLength: 40000 },
  proactive: { type: 'string', maxLength: 40000 },
  requests: { type: 'string', maxLength: 40000 },
  remedies: { type: 'string', maxLength: 40000 },
  problems: { type: 'string', maxLength: 40000 },
  other: { type: 'string', maxLength: 40000 },
} as const;
const editBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: { type: 'integer', minimum: 1 }, ...narrativeProps } } as const;
const createBody = { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, year: { type: ['integer', 'string'], maxLength: 6 }, kind: { type: 'string', enum: ['organisation', 'government'] } } } as const;
const reportJson = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    scopeKind: { type: 'string', enum: ['organisation', 'government'] },
    scopeName: { type: 'string' },
    year: { type: 'integer' },
    status: { type: 'string', enum: ['draft', 'published'] },
    narrative: { type: 'object', properties: narrativeProps },
    tables: { type: 'object', additionalProperties: true },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    version: { type: 'integer' },
  },
} as const;

function presentReport(r: AnnualReportRow, tables: AnnualTables) {
  return {
    id: r.id,
    title: reportTitle(r.scopeName, r.year),
    scopeKind: r.scopeKind,
    scopeName: r.scopeName,
    year: r.year,
    status: r.status,
    narrative: r.narrative,
    tables,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    version: r.version,
  };
}

export function reportRoutes(platform: Platform, deps: CommandDeps) {
  const { transactor, permissions } = platform;
  const send = (reply: FastifyReply, markup: SafeHtml, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);
  const notFound = () => new AppError('ZW_ERR_NOT_FOUND', '年度报告不存在或尚未发布');
  /** Published reports keep the tables frozen at publication; drafts are computed now. */
  const tablesOf = async (r: AnnualReportRow) => r.tables ?? (await computeReportTables(deps, r));
  const published = async (id: string) => {
    const r = await deps.requests.getReport(id);
    if (!r || r.status !== 'published') throw notFound();
    return r;
  };
  const staffReport = async (actor: Parameters<typeof canSeeReport>[1], id: string) => {
    const r = await deps.requests.getReport(id);
    if (!r || !canSeeReport(permissions, actor, r)) throw new AppError('ZW_ERR_NOT_FOUND', '年度报告不存在或不在您的管辖范围内');
    return r;
  };
  const fileName = (r: AnnualReportRow, ext: string) => `attachment; filename="annual-report-${r.year}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${reportTitle(r.scopeName, r.year)}.${ext}`)}`;
  const sendPdf = async (reply: FastifyReply, r: AnnualReportRow) =>
    reply.type('application/pdf').header('content-disposition', fileName(r, 'pdf')).send(await renderPdf(reportPdfSpec({ ...r, tables: await tablesOf(r) })));
  const sendXlsx = async (reply: FastifyReply, r: AnnualReportRow) =>
    reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', fileName(r, 'xlsx'))
      .send(await reportWorkbook({ scopeName: r.scopeName, year: r.year, tables: await tablesOf(r) }));
  const divisionOf = async (actor: Parameters<typeof permissions.has>[0]) => (actor.kind === 'staff' && deps.ext.divisionName ? deps.ext.divisionName(actor.position.jurisdictionCode) : null);
  /** Computed before the publishing transaction (it reads other modules' services). */
  const tablesToPublish = async (actor: Parameters<typeof canSeeReport>[1], id: string) => computeReportTables(deps, await staffReport(actor, id));
  const canWriteAny = (actor: Parameters<typeof permissions.has>[0]) => permissions.has(actor, PERMISSIONS.reportWrite) || permissions.has(actor, PERMISSIONS.reportGovernment);

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- public ----
    app.get<{ Querystring: { page: number } }>('/disclosure-reports', { config: { access: { public: true } }, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      const page = request.query.page;
      const { rows, total } = await deps.requests.listPublishedReports({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return send(reply, publicReportListPage(request.page, rows, { page, pageSize: PAGE_SIZE, total }));
    });
    app.get<{ Params: { id: string } }>('/disclosure-reports/:id', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const r = await published(request.params.id);
      return send(reply, publicReportPage(request.page, r, await tablesOf(r)));
    });
    app.get<{ Params: { id: string } }>('/disclosure-reports/:id/report.pdf', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) =>
      sendPdf(reply, await published(request.params.id)),
    );
    app.get<{ Params: { id: string } }>('/disclosure-reports/:id/report.xlsx', { config: { access: { public: true } }, schema: { hide: true, params: idParams } }, async (request, reply) =>
      sendXlsx(reply, await published(request.params.id)),
    );
    app.get<{ Params: { id: string } }>(
      '/api/disclosure-reports/:id',
      { config: { access: { public: true } }, schema: { tags: ['disclosure-requests'], summary: '已发布的政府信息公开工作年度报告（含统计表）', params: idParams, response: { 200: reportJson } } },
      async (request) => {
        const r = await published(request.params.id);
        return presentReport(r, await tablesOf(r));
      },
    );

    // ---- workbench ----
    const listPage = async (request: { actor: Parameters<typeof permissions.has>[0]; page: Parameters<typeof reportListPage>[0] }, page: number, errors: Parameters<typeof reportListPage>[2]['errors'] = [], values: { year?: string; kind?: string } = {}) => {
      const { rows, total } = await deps.requests.listReportsInScope(listScope(request.actor), { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
      return reportListPage(request.page, rows, {
        page,
        pageSize: PAGE_SIZE,
        total,
        canCreate: permissions.has(request.actor, PERMISSIONS.reportWrite),
        canGovernment: permissions.has(request.actor, PERMISSIONS.reportGovernment),
        errors,
        values,
        thisYear: yearOf(deps.today()),
      });
    };
    const reportAccess = { access: { signedIn: ['staff'] as 'staff'[] } };
    app.get<{ Querystring: { page: number } }>('/workbench/disclosure-reports', { config: reportAccess, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
      if (!canWriteAny(request.actor)) throw new AppError('ZW_ERR_FORBIDDEN', '您当前的岗位不能编制年度报告');
      return send(reply, await listPage(request, request.query.page));
    });
    app.post<{ Body: { year?: string | number; kind?: string } }>('/workbench/disclosure-reports', { config: reportAccess, schema: { hide: true, body: createBody } }, async (request, reply) => {
      const division = await divisionOf(request.actor);
      const result = await transactor.run(request.ctx, (uow) => createReport(deps, uow, request.body, division));
      if (!result.ok) {
        if (result.reason === 'invalid' || result.reason === 'duplicate') {
          const errors = result.fields ?? [{ field: 'year', message: result.message }];
          return send(reply, await listPage(request, 1, errors, { year: String(request.body.year ?? ''), kind: request.body.kind ?? '' }), 400);
        }
        throw refusalError(result);
      }
      setFlash(reply, '年度报告草稿已生成');
      return reply.redirect(`/workbench/disclosure-reports/${result.value.id}`, 303);
    });
    app.get<{ Params: { id: string } }>('/workbench/disclosure-reports/:id', { config: reportAccess, schema: { hide: true, params: idParams } }, async (request, reply) => {
      const r = await staffReport(request.actor, request.params.id);
      return send(reply, reportEditorPage(request.page, r, { tables: await tablesOf(r), actions: allowedReportActions(permissions, request.actor, r), errors: [] }));
    });
    app.post<{ Params: { id: string }; Body: Record<string, unknown> & { version?: number } }>(
      '/workbench/disclosure-reports/:id',
      { config: reportAccess, schema: { hide: true, params: idParams, body: editBody } },
      async (request, reply) => {
        const result = await transactor.run(request.ctx, (uow) => changeReport(deps, uow, request.params.id, request.body.version ?? 0, { kind: 'edit', narrative: request.body }));
        if (!result.ok) {
          if (result.reason === 'invalid') {
            const r = await staffReport(request.actor, request.params.id);
            return send(reply, reportEditorPage(request.page, r, { tables: await tablesOf(r), actions: allowedReportActions(permissions, request.actor, r), errors: result.fields ?? [], values: request.body as Record<string, string> }), 400);
          }
          throw refusalError(result);
        }
        setFlash(reply, '已保存');
        return reply.redirect(`/workbench/disclosure-reports/${result.value.id}`, 303);
      },
    );
    app.post<{ Params: { id: string }; Body: { version?: number } }>(
      '/workbench/disclosure-reports/:id/publish',
      { config: reportAccess, schema: { hide: true, params: idParams, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 }, version: { type: 'integer', minimum: 1 } } } } },
      async (request, reply) => {
        const tables = await tablesToPublish(request.actor, request.params.id);
        const r = unwrap(await transactor.run(request.ctx, (uow) => changeReport(deps, uow, request.params.id, request.body.version ?? 0, { kind: 'publish', tables })));
        setFlash(reply, '年度报告已发布');
        return reply.redirect(`/workbench/disclosure-reports/${r.id}`, 303);
      },
    );
    app.get<{ Params: { id: string } }>('/workbench/disclosure-reports/:id/report.pdf', { config: reportAccess, schema: { hide: true, params: idParams } }, async (request, reply) =>
      sendPdf(reply, await staffReport(request.actor, request.params.id)),
    );
    app.get<{ Params: { id: string } }>('/workbench/disclosure-reports/:id/report.xlsx', { config: reportAccess, schema: { hide: true, params: idParams } }, async (request, reply) =>
      sendXlsx(reply, await staffReport(request.actor, request.params.id)),
    );

    // ---- JSON API ----
    app.post<{ Body: { year?: string | number; kind?: string } }>(
      '/api/disclosure-reports',
      { config: reportAccess, schema: { tags: ['disclosure-requests'], summary: '生成年度报告草稿', body: { ...createBody, required: ['year'], additionalProperties: false }, response: { 201: reportJson } } },
      async (request, reply) => {
        const division = await divisionOf(request.actor);
        const r = unwrap(await transactor.run(request.ctx, (uow) => createReport(deps, uow, request.body, division)));
        return reply.status(201).send(presentReport(r, await tablesOf(r)));
      },
    );
    app.get<{ Params: { id: string } }>(
      '/api/workbench/disclosure-reports/:id',
      { config: reportAccess, schema: { tags: ['disclosure-requests'], summary: '年度报告（含草稿）', params: idParams, response: { 200: reportJson } } },
      async (request) => {
        const r = await staffReport(request.actor, request.params.id);
        return presentReport(r, await tablesOf(r));
      },
    );
    app.patch<{ Params: { id: string }; Body: Record<string, unknown> & { version?: number } }>(
      '/api/workbench/disclosure-reports/:id',
      { config: reportAccess, schema: { tags: ['disclosure-requests'], summary: '修改年度报告文字部分', params: idParams, body: { ...editBody, required: ['version'], additionalProperties: false }, response: { 200: reportJson } } },
      async (request) => {
        const r = unwrap(await transactor.run(request.ctx, (uow) => changeReport(deps, uow, request.params.id, request.body.version ?? 0, { kind: 'edit', narrative: request.body })));
        return presentReport(r, await tablesOf(r));
      },
    );
    app.post<{ Params: { id: string }; Body: { version?: number } }>(
      '/api/workbench/disclosure-reports/:id/publish',
      {
        config: reportAccess,
        schema: { tags: ['disclosure-requests'], summary: '发布年度报告（统计表定稿）', params: idParams, body: { type: 'object', required: ['version'], additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } }, response: { 200: reportJson } },
      },
      async (request) => {
        const tables = await tablesToPublish(request.actor, request.params.id);
        const r = unwrap(await transactor.run(request.ctx, (uow) => changeReport(deps, uow, request.params.id, request.body.version ?? 0, { kind: 'publish', tables })));
        return presentReport(r, await tablesOf(r));
      },
    );
  };
}
