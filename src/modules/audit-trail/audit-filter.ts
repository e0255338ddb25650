import type { AuditOutcome } from '../../platform/audit/audit-log.ts';
import { parseCivilDate, startOfCivilDay, endOfCivilDay } from '../../platform/calendar/index.ts';
import type { FieldError } from '../../platform/errors.ts';

/**
 * The auditor's filters, shared by the page, the CSV export and the JSON API. Dates are
 * civil dates in Asia/Shanghai: `from` counts from 00:00 of its day, `to` up to 24:00 of its
 * day (both inclusive, as a person reads a date range).
 */
export interface AuditFilter {
  /** Account id (exact) or part of the actor's name. */
  actor?: string;
  objectType?: string;
  objectId?: string;
  /** Exact action, or a prefix when it ends with `*` (e.g. `notice.*`). */
  action?: string;
  outcome?: AuditOutcome;
  /** Inclusive lower bound (instant). */
  from?: Date;
  /** Exclusive upper bound (instant). */
  to?: Date;
}

/** The raw query parameters as typed into the filter form (strings, possibly empty). */
export interface AuditQuery {
  actor?: string;
  objectType?: string;
  objectId?: string;
  action?: string;
  outcome?: string;
  from?: string;
  to?: string;
  before?: string;
  after?: string;
}

export const FILTER_LABELS: Record<string, string> = {
  actor: '操作人',
  objectType: '对象类型',
  objectId: '对象编号',
  action: '操作',
  outcome: '结果',
  from: '起始日期',
  to: '截止日期',
  before: '翻页位置',
  after: '翻页位置',
};

export const OUTCOMES: readonly AuditOutcome[] = ['success', 'denied', 'failure'];

const TEXT_FIELDS = ['actor', 'objectType', 'objectId', 'action'] as const;
const CURSOR = /^[1-9][0-9]{0,17}$/;

/** JSON Schema of the query string (validation proper happens in parseAuditQuery, in Chinese). */
export const auditQuerySchema = {
  type: 'object',
  properties: {
    actor: { type: 'string', maxLength: 200 },
    objectType: { type: 'string', maxLength: 200 },
    objectId: { type: 'string', maxLength: 200 },
    action: { type: 'string', maxLength: 200 },
    outcome: { type: 'string', maxLength: 20, description: 'success | denied | failure' },
    from: { type: 'string', maxLength: 10, description: 'YYYY-MM-DD, Asia/Shanghai, inclusive' },
    to: { type: 'string', maxLength: 10, description: 'YYYY-MM-DD, Asia/Shanghai, inclusive' },
    before: { type: 'string', maxLength: 20, description: 'entry id: the page of entries older than it' },
    after: { type: 'string', maxLength: 20, description: 'entry id: the page of entries newer than it' },
  },
} as const;

export interface ParsedAuditQuery {
  filter: AuditFilter;
  cursor: { before?: string; after?: string };
  errors: FieldError[];
}

/** Validates the form's values; every refused field is named with a Chinese reason. */
export function parseAuditQuery(q: AuditQuery): ParsedAuditQuery {
  const filter: AuditFilter = {};
  const errors: FieldError[] = [];
  for (const name of TEXT_FIELDS) {
    const v = q[name]?.trim();
    if (v) filter[name] = v;
  }
  if (filter.action === '*') delete filter.action;
  const outcome = q.outcome?.trim();
  if (outcome) {
    if ((OUTCOMES as readonly string[]).includes(outcome)) filter.outcome = outcome as AuditOutcome;
    else errors.push({ field: 'outcome', message: '取值应为：成功、拒绝或失败' });
  }
  const day = (name: 'from' | 'to') => {
    const v = q[name]?.trim();
    if (!v) return null;
    try {
      return parseCivilDate(v);
    } catch {
      errors.push({ field: name, message: '请输入有效日期，格式为 年-月-日（如 2025-03-01）' });
      return null;
    }
  };
  const from = day('from');
  const to = day('to');
  if (from !== null) filter.from = new Date(startOfCivilDay(from));
  if (to !== null) filter.to = new Date(endOfCivilDay(to));
  if (from !== null && to !== null && from > to) errors.push({ field: 'to', message: '截止日期不能早于起始日期' });
  const cursor: ParsedAuditQuery['cursor'] = {};
  for (const name of ['before', 'after'] as const) {
    const v = q[name]?.trim();
    if (!v) continue;
    if (CURSOR.test(v)) cursor[name] = v;
    else errors.push({ field: name, message: '翻页位置无效，请从第一页重新浏览' });
  }
  if (cursor.before && cursor.after) errors.push({ field: 'after', message: '翻页位置无效，请从第一页重新浏览' });
  return { filter, cursor, errors };
}

/** The filter as query parameters again (for pager links and the export link). */
export function filterParams(q: AuditQuery): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...TEXT_FIELDS, 'outcome', 'from', 'to'] as const) {
    const v = q[name]?.trim();
    if (v) out[name] = v;
  }
  return out;
}
