import { ROLE_LABELS } from '../../platform/auth/permissions.ts';
import type { RoleCode } from '../../platform/auth/actor.ts';
import type { AuditOutcome } from '../../platform/audit/audit-log.ts';
import type { AuditEntryRow } from './audit-entry.repository.ts';

/** How audit entries are shown: Asia/Shanghai times, Chinese labels, the API shape, CSV. */

export const OUTCOME_LABEL: Record<AuditOutcome, string> = { success: '成功', denied: '拒绝', failure: '失败' };
export const OUTCOME_LABEL_EN: Record<AuditOutcome, string> = { success: 'Success', denied: 'Denied', failure: 'Failure' };
export const OUTCOME_BADGE: Record<AuditOutcome, string> = { success: 'badge ok', denied: 'badge warn', failure: 'badge bad' };

export const ACTOR_KIND_LABEL: Record<string, string> = {
  anonymous: '匿名访客',
  citizen: '自然人',
  enterprise: '法人',
  staff: '工作人员',
  system: '系统',
};

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // UTC+8 all year, no daylight saving since 1991

/** `YYYY-MM-DD HH:mm:ss` (or with `.SSS`) in Asia/Shanghai. */
export function shanghaiTime(d: Date, withMillis = false): string {
  const iso = new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withMillis ? 23 : 19)}`;
}

/** Role codes as stored ('clerk,org_head') → '办事员、部门负责人'. */
export function roleLabels(actorRole: string | null): string {
  if (!actorRole) return '';
  return actorRole
    .split(',')
    .filter(Boolean)
    .map((r) => ROLE_LABELS[r as RoleCode] ?? r)
    .join('、');
}

/** What the JSON API shows of an entry. */
export function presentEntry(e: AuditEntryRow, organisationName?: string | null) {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: {
      id: e.actorId,
      name: e.actorName,
      kind: e.actorKind,
      roles: e.actorRole ? e.actorRole.split(',').filter(Boolean) : [],
      organisationId: e.organisationId,
      organisationName: organisationName ?? null,
    },
    action: e.action,
    object: { type: e.objectType, id: e.objectId },
    outcome: e.outcome,
    requestId: e.requestId,
    clientIp: e.clientIp,
    detail: e.detail,
    seal: e.seq === null ? { sealed: false, seq: null, hash: null, sealedAt: null } : { sealed: true, seq: e.seq, hash: e.hash, sealedAt: e.sealedAt?.toISOString() ?? null },
  };
}

export const entryJsonSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    occurredAt: { type: 'string', format: 'date-time' },
    actor: {
      type: 'object',
      properties: {
        id: { type: ['string', 'null'] },
        name: { type: 'string' },
        kind: { type: 'string' },
        roles: { type: 'array', items: { type: 'string' } },
        organisationId: { type: ['string', 'null'] },
        organisationName: { type: ['string', 'null'] },
      },
    },
    action: { type: 'string' },
    object: { type: 'object', properties: { type: { type: 'string' }, id: { type: ['string', 'null'] } } },
    outcome: { type: 'string', enum: ['success', 'denied', 'failure'] },
    requestId: { type: 'string' },
    clientIp: { type: ['string', 'null'] },
    detail: { type: 'object', additionalProperties: true },
    seal: {
      type: 'object',
      properties: {
        sealed: { type: 'boolean' },
        seq: { type: ['integer', 'null'] },
        hash: { type: ['string', 'null'] },
        sealedAt: { type: ['string', 'null'], format: 'date-time' },
      },
    },
  },
} as const;

// ---- CSV -----------------------------------------------------------------------------------

/** UTF-8 byte order mark: Excel then opens the Chinese text correctly. */
export const UTF8_BOM = '\uFEFF';

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula (= + - @, or a
 * leading tab / carriage return) gets a leading apostrophe (OWASP "CSV injection"), so an
 * actor name like `=HYPERLINK(…)` stays text.
 */
export function csvCell(value: string | number | null | undefined): string {
  let v = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export const CSV_HEADER = [
  '记录编号',
  '时间（北京时间）',
  '操作人编号',
  '操作人',
  '操作人类型',
  '岗位角色',
  '所属机构',
  '操作',
  '对象类型',
  '对象编号',
  '结果',
  '请求编号',
  'IP 地址',
  '详情',
  '封存序号',
  '哈希（SM3）',
];

export function csvRow(e: AuditEntryRow, organisationName?: string | null): string {
  return csvLine([
    e.id,
    shanghaiTime(e.occurredAt, true),
    e.actorId,
    e.actorName,
    ACTOR_KIND_LABEL[e.actorKind] ?? e.actorKind,
    roleLabels(e.actorRole),
    organisationName ?? e.organisationId,
    e.action,
    e.objectType,
    e.objectId,
    OUTCOME_LABEL[e.outcome],
    e.requestId,
    e.clientIp,
    Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : '',
    e.seq === null ? '待封存' : e.seq,
    e.hash,
  ]);
}
