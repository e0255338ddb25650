import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { AuditOutcome, AuditRow } from '../../platform/audit/audit-log.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AuditFilter } from './audit-filter.ts';

/**
 * Reads the platform's audit trail (audit.entry, written by every module through the
 * Transactor and sealed by the audit sealer). Read-only: entries are append-only and this
 * module never writes them except through transactor.auditOnly.
 */
interface EntryTable {
  id: string | number;
  seq: string | number | null;
  prev_hash: string | null;
  hash: string | null;
  sealed_at: Date | null;
  actor_id: string | null;
  actor_name: string;
  actor_kind: string;
  actor_role: string | null;
  organisation_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  outcome: AuditOutcome;
  request_id: string;
  client_ip: string | null;
  occurred_at: Date;
  detail: Record<string, unknown>;
}

interface AuditTables {
  'audit.entry': EntryTable;
}

/** A stored entry: the recorded content (AuditRow) plus its id and seal. */
export interface AuditEntryRow extends AuditRow {
  /** bigint as decimal text */
  id: string;
  /** Chain position, null while the entry waits for the sealer. */
  seq: number | null;
  hash: string | null;
  sealedAt: Date | null;
}

function toRow(r: EntryTable): AuditEntryRow {
  return {
    id: String(r.id),
    seq: r.seq === null ? null : Number(r.seq),
    hash: r.hash,
    sealedAt: r.sealed_at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorKind: r.actor_kind,
    actorRole: r.actor_role,
    organisationId: r.organisation_id,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    outcome: r.outcome,
    requestId: r.request_id,
    clientIp: r.client_ip,
    occurredAt: r.occurred_at,
    detail: r.detail,
  };
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface EntryPage {
  rows: AuditEntryRow[];
  /** Cursor for the next older page (`before`), if there is one. */
  older: string | null;
  /** Cursor for the next newer page (`after`), if there is one. */
  newer: string | null;
}

export class AuditEntryRepository {
  constructor(private readonly db: Db) {}

  private q(): Kysely<AuditTables> {
    return this.db as Kysely<AuditTables>;
  }

  private filtered(filter: AuditFilter): SelectQueryBuilder<AuditTables, 'audit.entry', object> {
    let q = this.q().selectFrom('audit.entry');
    if (filter.actor) {
      const actor = filter.actor;
      q = q.where((eb) => eb.or([eb('actor_id', '=', actor), eb('actor_name', 'ilike', `%${likeEscape(actor)}%`)]));
    }
    if (filter.objectType) q = q.where('object_type', '=', filter.objectType);
    if (filter.objectId) q = q.where('object_id', '=', filter.objectId);
    if (filter.action) {
      q = filter.action.endsWith('*')
        ? q.where('action', 'like', `${likeEscape(filter.action.slice(0, -1))}%`)
        : q.where('action', '=', filter.action);
    }
    if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
    if (filter.from) q = q.where('occurred_at', '>=', filter.from);
    if (filter.to) q = q.where('occurred_at', '<', filter.to);
    return q;
  }

  /**
   * One page, newest first, by keyset on id: `before` gives the page of older entries,
   * `after` the page of newer ones, neither the newest page.
   */
  async page(filter: AuditFilter, cursor: { before?: string; after?: string }, limit: number): Promise<EntryPage> {
    let q = this.filtered(filter).selectAll();
    if (cursor.after) {
      q = q.where('id', '>', cursor.after).orderBy('id', 'asc');
    } else {
      if (cursor.before) q = q.where('id', '<', cursor.before);
      q = q.orderBy('id', 'desc');
    }
    const found = (await q.limit(limit + 1).execute()).map(toRow);
    const more = found.length > limit;
    const rows = found.slice(0, limit);
    if (cursor.after) rows.reverse();
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (cursor.after) {
      return { rows, newer: more && first ? first.id : null, older: last ? last.id : null };
    }
    return { rows, older: more && last ? last.id : null, newer: cursor.before && first ? first.id : null };
  }

  /** Every matching entry, newest first, in batches (the CSV export streams these). */
  async *batches(filter: AuditFilter, batchSize = 2000): AsyncGenerator<AuditEntryRow[]> {
    let before: string | null = null;
    for (;;) {
      let q = this.filtered(filter).selectAll();
      if (before !== null) q = q.where('id', '<', before);
      const rows = (await q.orderBy('id', 'desc').limit(batchSize).execute()).map(toRow);
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) return;
      before = rows[rows.length - 1]!.id;
    }
  }
}
