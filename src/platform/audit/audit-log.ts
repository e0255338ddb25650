import { sql, type RawBuilder } from 'kysely';
import { actorId, actorLabel, type RequestContext } from '../auth/actor.ts';
import { PREPARED, type Db, type Tx } from '../db/database.ts';
import { jsonColumns, lateRows, type LateTexts } from '../db/late-texts.ts';

/**
 * Audit entries (责任认定). An entry is inserted in the same transaction as the change it
 * records, without its chain hash; the sealer (audit-sealer.ts) assigns the chain position
 * and hash in commit order right after, so the single chain never serialises the
 * platform's writes (DESIGN.md "Integrity", X-Road's lesson).
 */
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditInput {
  /** Verb-noun permission-like name, e.g. 'account.register', 'notice.publish'. */
  action: string;
  objectType: string;
  objectId?: string | null;
  outcome?: AuditOutcome;
  /** Small structured detail; never a full personal identifier. */
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  actorId: string | null;
  actorName: string;
  actorKind: string;
  actorRole: string | null;
  organisationId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  outcome: AuditOutcome;
  requestId: string;
  clientIp: string | null;
  occurredAt: Date;
  detail: Record<string, unknown>;
}

export function auditRow(ctx: RequestContext, input: AuditInput, now = new Date()): AuditRow {
  const actor = ctx.actor;
  return {
    actorId: actorId(actor),
    actorName: actorLabel(actor),
    actorKind: actor.kind,
    actorRole: actor.kind === 'staff' ? actor.position.roles.join(',') : null,
    organisationId: actor.kind === 'staff' ? actor.position.organisationId : null,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId ?? null,
    outcome: input.outcome ?? 'success',
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
    // Millisecond precision so the canonical form round-trips through timestamptz.
    occurredAt: new Date(Math.floor(now.getTime())),
    detail: input.detail ?? {},
  };
}

export async function insertAuditEntry(db: Db | Tx, row: AuditRow): Promise<void> {
  await insertAuditEntries(db, [row]);
}

/** Several entries in one statement, in the given order (ids follow it). */
export async function insertAuditEntries(db: Db | Tx, rows: AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`${sql.raw(PREPARED)}${auditInsert(rows)}`.execute(db);
}

const { list: AUDIT_LIST, ...AUDIT_ROWS } = jsonColumns({
  actor_id: 'text',
  actor_name: 'text',
  actor_kind: 'text',
  actor_role: 'text',
  organisation_id: 'text',
  action: 'text',
  object_type: 'text',
  object_id: 'text',
  outcome: 'text',
  request_id: 'text',
  client_ip: 'text',
  occurred_at: 'timestamptz',
  detail: 'jsonb',
});

/**
 * The INSERT of `rows`, for a statement that writes entries with other rows. Its text is the
 * same for any number of rows (they travel as one JSON parameter, unpacked in order by
 * json_to_recordset), so a statement built on it is prepared once per connection. `onlyIf`:
 * a condition on the rest of the statement (e.g. that its update found its row). `late`: the
 * transaction's late texts (UnitOfWork.lateTexts), which replace the placeholders in the entries'
 * object ids and details (elsewhere too, later: see lateRows).
 */
export function auditInsert(rows: AuditRow[], onlyIf?: RawBuilder<unknown>, late?: LateTexts) {
  const json = rows.map((row) => ({
    actor_id: row.actorId,
    actor_name: row.actorName,
    actor_kind: row.actorKind,
    actor_role: row.actorRole,
    organisation_id: row.organisationId,
    action: row.action,
    object_type: row.objectType,
    object_id: row.objectId,
    outcome: row.outcome,
    request_id: row.requestId,
    client_ip: row.clientIp,
    occurred_at: row.occurredAt.toISOString(),
    detail: row.detail,
  }));
  return sql`INSERT INTO audit.entry (${AUDIT_LIST})
    SELECT ${AUDIT_LIST} FROM ${lateRows({ name: 'audit_rows', ...AUDIT_ROWS, lateColumns: ['object_id', 'detail'], rows: json }, late)} AS x
    ${onlyIf ? sql`WHERE ${onlyIf}` : sql``}`;
}
