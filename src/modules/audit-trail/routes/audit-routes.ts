import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verifyAuditChain } from '../../../platform/audit/audit-verify.ts';
import { validationError, type FieldError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import type { AuditEntryRepository } from '../audit-entry.repository.ts';
import { FILTER_LABELS, auditQuerySchema, parseAuditQuery, type AuditQuery } from '../audit-filter.ts';
import { entryJsonSchema, presentEntry, shanghaiTime } from '../audit-presenter.ts';
import { exportAuditEntries } from '../commands/export-audit-entries.ts';
import { auditListPage, auditVerifyPage } from '../views/audit-pages.ts';

export const PAGE_SIZE = 50;
const access = { permission: 'audit.read' } as const;
const invalid = (errors: FieldError[]) => validationError(errors, errors.map((e) => `${FILTER_LABELS[e.field] ?? e.field}：${e.message}`).join('；'));

export interface AuditRouteDeps {
  entries: AuditEntryRepository;
  organisationNames: (ids: string[]) => Promise<Map<string, string>>;
}

/**
 * 审计日志 for the audit administrator (安全审计员) only — 三员分立: the system and security
 * administrators cannot read the trail that records their own actions.
 */
export function auditRoutes(platform: Platform, deps: AuditRouteDeps) {
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);
  const orgIds = (rows: { organisationId: string | null }[]) => [...new Set(rows.map((r) => r.organisationId).filter((id): id is string => id !== null))];

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: AuditQuery }>('/workbench/audit', { config: { access }, schema: { hide: true, querystring: auditQuerySchema } }, async (request, reply) => {
      const { filter, cursor, errors } = parseAuditQuery(request.query);
      const found = errors.length === 0 ? await deps.entries.page(filter, cursor, PAGE_SIZE) : { rows: [], older: null, newer: null };
      const organisationNames = await deps.organisationNames(orgIds(found.rows));
      return send(reply, auditListPage(request.page, { query: request.query, errors, ...found, organisationNames }), errors.length > 0 ? 400 : 200);
    });

    app.get<{ Querystring: AuditQuery }>('/workbench/audit/export.csv', { config: { access }, schema: { hide: true, querystring: auditQuerySchema } }, async (request, reply) => {
      const { filter, errors } = parseAuditQuery(request.query);
      if (errors.length > 0) throw invalid(errors);
      const chunks = await exportAuditEntries({ entries: deps.entries, transactor: platform.transactor, organisationNames: deps.organisationNames }, request.ctx, filter);
      const stamp = shanghaiTime(new Date()).replace(/[-: ]/g, '');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(chunks));
    });

    app.get('/workbench/audit/verify', { config: { access }, schema: { hide: true } }, async (request, reply) => {
      const result = await verifyAuditChain(platform.database);
      await platform.transactor.auditOnly(request.ctx, {
        action: 'audit.verify',
        objectType: 'audit.chain',
        outcome: result.ok ? 'success' : 'failure',
        detail: result.ok ? { count: result.count } : { count: result.count, firstBroken: { ...result.firstBroken } },
      });
      return send(reply, auditVerifyPage(request.page, result));
    });

    app.get<{ Querystring: AuditQuery }>(
      '/api/audit/entries',
      {
        config: { access },
        schema: {
          tags: ['audit'],
          summary: '审计日志（按时间倒序，每页 50 条；仅安全审计员）',
          querystring: auditQuerySchema,
          response: {
            200: {
              type: 'object',
              properties: {
                items: { type: 'array', items: entryJsonSchema },
                pageSize: { type: 'integer' },
                older: { type: ['string', 'null'], description: 'pass as `before` for the next older page' },
                newer: { type: ['string', 'null'], description: 'pass as `after` for the next newer page' },
              },
            },
          },
        },
      },
      async (request) => {
        const { filter, cursor, errors } = parseAuditQuery(request.query);
        if (errors.length > 0) throw invalid(errors);
        const found = await deps.entries.page(filter, cursor, PAGE_SIZE);
        const names = await deps.organisationNames(orgIds(found.rows));
        return {
          items: found.rows.map((r) => presentEntry(r, r.organisationId ? names.get(r.organisationId) : null)),
          pageSize: PAGE_SIZE,
          older: found.older,
          newer: found.newer,
        };
      },
    );
  };
}
