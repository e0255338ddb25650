import type { FastifyInstance, FastifyReply } from 'fastify';
import { formatCivilDate, parseCivilDate } from '../../../platform/calendar/index.ts';
import type { CodeEntry, CodeTable } from '../../../platform/codes/code-tables.ts';
import { AppError } from '../../../platform/errors.ts';
import { todayInShanghai } from '../calendar-service.ts';
import type { CodeTableSummary } from '../code-table.repository.ts';
import type { CodeTableService } from '../code-table-service.ts';
import { codeTableDetail, codeTableList } from '../views/code-table-pages.ts';

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } },
} as const;
const onQuery = {
  type: 'object',
  properties: { on: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '只返回该日有效的代码（YYYY-MM-DD）；不填则返回全部历史条目' } },
  additionalProperties: false,
} as const;
const tableProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  source: { type: 'string' },
  tag: { type: 'string', enum: ['law/standard', 'practice', 'unverified'] },
  version: { type: 'string' },
  hierarchical: { type: 'boolean' },
  multiValueSeparator: { type: ['string', 'null'] },
} as const;
const listResponse = {
  type: 'object',
  properties: { items: { type: 'array', items: { type: 'object', properties: { ...tableProperties, entryCount: { type: 'integer' } } } } },
} as const;
const entryJson = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    label: { type: 'string' },
    labelEn: { type: ['string', 'null'] },
    parentCode: { type: ['string', 'null'] },
    validFrom: { type: 'string', format: 'date' },
    validTo: { type: ['string', 'null'], format: 'date' },
    replacedBy: { type: ['string', 'null'] },
  },
} as const;
const tableResponse = { type: 'object', properties: { ...tableProperties, entries: { type: 'array', items: entryJson } } } as const;

/** Presenters: what the open API shows of a code table. */
export function presentTableSummary(t: CodeTableSummary) {
  return { id: t.id, name: t.name, source: t.source, tag: t.tag, version: t.version, hierarchical: t.hierarchical, multiValueSeparator: t.multiValueSeparator, entryCount: t.entryCount };
}

function presentEntry(e: CodeEntry) {
  return {
    code: e.code,
    label: e.label,
    labelEn: e.labelEn ?? null,
    parentCode: e.parentCode ?? null,
    validFrom: e.validFrom,
    validTo: e.validTo ?? null,
    replacedBy: e.replacedBy ?? null,
  };
}

export function presentTable(t: CodeTable, on?: string) {
  return {
    id: t.id,
    name: t.name,
    source: t.source,
    tag: t.tag,
    version: t.version,
    hierarchical: t.hierarchical,
    multiValueSeparator: t.multiValueSeparator ?? null,
    entries: (on === undefined ? t.entries() : t.entriesOn(on)).map(presentEntry),
  };
}

export function codeTableRoutes(deps: { codes: CodeTableService }) {
  const { codes } = deps;
  const send = (reply: FastifyReply, markup: { value: string }) => reply.type('text/html; charset=utf-8').send(markup.value);
  const notFound = () => new AppError('ZW_ERR_NOT_FOUND', '没有这个代码表');

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- public reference data ----
    app.get(
      '/api/code-tables',
      { config: { access: { public: true } }, schema: { tags: ['code-tables'], summary: '基础代码表列表', response: { 200: listResponse } } },
      async () => ({ items: (await codes.listTables()).map(presentTableSummary) }),
    );
    app.get<{ Params: { id: string }; Querystring: { on?: string } }>(
      '/api/code-tables/:id',
      {
        config: { access: { public: true } },
        schema: { tags: ['code-tables'], summary: '一个代码表及其代码（含已停用代码的历史）', params: idParams, querystring: onQuery, response: { 200: tableResponse } },
      },
      async (request) => {
        const table = await codes.getTable(request.params.id);
        if (!table) throw notFound();
        const on = request.query.on;
        if (on !== undefined) {
          try {
            parseCivilDate(on);
          } catch {
            throw new AppError('ZW_ERR_VALIDATION', '日期不存在', [{ field: 'on', message: '日期不是实际存在的日期，格式应为 YYYY-MM-DD' }]);
          }
        }
        return presentTable(table, on);
      },
    );

    // ---- workbench (read-only) ----
    app.get('/workbench/code-tables', { config: { access: { permission: 'codetable.view' } }, schema: { hide: true } }, async (request, reply) =>
      send(reply, codeTableList(request.page, await codes.listTables())),
    );
    app.get<{ Params: { id: string } }>(
      '/workbench/code-tables/:id',
      { config: { access: { permission: 'codetable.view' } }, schema: { hide: true, params: idParams } },
      async (request, reply) => {
        const table = await codes.getTable(request.params.id);
        if (!table) throw notFound();
        return send(reply, codeTableDetail(request.page, table, formatCivilDate(todayInShanghai())));
      },
    );
  };
}
