/**
 * What the GovStack Registration BB adapter (src/modules/govstack) reads of the cases module:
 * application files (cases) filtered by service in SQL, the open steps as tasks, and counts for
 * the statistics API. Read-only: every change goes through CaseService. Owned by the govstack
 * engineer (see docs/govstack.md).
 */
import { sql } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db } from '../../platform/db/database.ts';
import type { CaseRecord } from './case.repository.ts';
import type { CaseState } from './domain/state-machine.ts';

export { isApplicant, staffCanSee, caseRolesOf, CASE_PERMISSIONS } from './policies.ts';
export { applicantStatus, APPLICANT_STATUS_LABEL } from './domain/applicant-status.ts';
export { DEFAULT_NODES } from './domain/nodes.ts';
export type { CaseRecord, CorrectionItem } from './case.repository.ts';
export type { CaseState, ResultCode } from './domain/state-machine.ts';
export type { CaseAction } from './service.ts';

/** Who is asking: an applicant (own cases) or staff (a scope from listScope). */
export type GovstackViewer = { kind: 'applicant'; accountId: string } | { kind: 'staff'; scope: Scope };

export interface GovstackCaseQuery {
  itemId?: string | undefined;
  applicantAccountId?: string | undefined;
  states?: readonly CaseState[] | undefined;
  caseId?: string | undefined;
  sortBy?: 'created' | 'registered' | 'dueDate' | 'id' | 'name' | undefined;
  sortOrder?: 'asc' | 'desc' | undefined;
  limit: number;
  offset: number;
}

export interface GovstackCounts {
  period: string | null;
  processed: number;
  approved: number;
  sentBack: number;
  rejected: number;
}

const SORT_COLUMN = { created: 'created_at', registered: 'received_at', dueDate: 'due_on', id: 'id', name: 'item_name' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class GovstackCasePort {
  constructor(private readonly db: Db) {}

  /** Cases the viewer may see (scope in SQL), never drafts, with the service filter. */
  async list(viewer: GovstackViewer, f: GovstackCaseQuery): Promise<CaseRecord[]> {
    if (viewer.kind === 'staff' && viewer.scope.kind === 'none') return [];
    if ((f.itemId !== undefined && !UUID.test(f.itemId)) || (f.caseId !== undefined && !UUID.test(f.caseId))) return [];
    let q = this.db.selectFrom('cases.case').selectAll().where('state', '<>', 'DRAFT');
    if (viewer.kind === 'applicant') q = q.where('applicant_account_id', '=', viewer.accountId);
    else if (viewer.scope.kind === 'organisation') q = q.where('organisation_id', '=', viewer.scope.organisationId);
    else if (viewer.scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${viewer.scope.prefix}%`);
    if (f.itemId) q = q.where('item_id', '=', f.itemId);
    if (f.caseId) q = q.where('id', '=', f.caseId);
    if (f.applicantAccountId) q = q.where('applicant_account_id', '=', f.applicantAccountId);
    if (f.states) {
      if (f.states.length === 0) return [];
      q = q.where('state', 'in', [...f.states]);
    }
    const column = SORT_COLUMN[f.sortBy ?? 'created'];
    const order = f.sortOrder ?? (f.sortBy ? 'asc' : 'desc');
    const rows = await q.orderBy(column, order).orderBy('id').limit(f.limit).offset(f.offset).execute();
    return rows as CaseRecord[];
  }

  /**
   * Counts by received day in [from, to] (civil days, Asia/Shanghai), optionally by item name,
   * by the label of a staff member who acted, by period (day / week / month / year).
   * processed = ended or decided; approved = decision approve; sentBack = ever asked to correct
   * or returned (退件); rejected = refused, refused acceptance.
   */
  async counts(f: { from?: string | undefined; to?: string | undefined; itemName?: string | undefined; operator?: string | undefined; timeframe?: 'day' | 'week' | 'month' | 'year' | undefined }): Promise<GovstackCounts[]> {
    const period = f.timeframe ? sql<string>`to_char(date_trunc(${f.timeframe}, received_on::timestamp), 'YYYY-MM-DD')` : sql<string>`NULL::text`;
    const r = await sql<{ period: string | null; processed: number; approved: number; sent_back: number; rejected: number }>`
      SELECT ${period} AS period,
        count(*) FILTER (WHERE state = 'CLOSED' OR decision IS NOT NULL)::int AS processed,
        count(*) FILTER (WHERE decision = 'approve')::int AS approved,
        count(*) FILTER (WHERE correction_count > 0 OR result_code = 5)::int AS sent_back,
        count(*) FILTER (WHERE decision = 'refuse' OR result_code IN (1, 6))::int AS rejected
      FROM cases.case c
      WHERE c.state <> 'DRAFT' AND c.received_on IS NOT NULL
        ${f.from ? sql`AND c.received_on >= ${f.from}::date` : sql``}
        ${f.to ? sql`AND c.received_on <= ${f.to}::date` : sql``}
        ${f.itemName ? sql`AND c.item_name ILIKE ${`%${f.itemName.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}` : sql``}
        ${f.operator ? sql`AND EXISTS (SELECT 1 FROM cases.case_event e WHERE e.case_id = c.id AND e.actor_label ILIKE ${`%${f.operator.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`})` : sql``}
      GROUP BY 1 ORDER BY 1`.execute(this.db);
    return r.rows.map((x) => ({ period: x.period, processed: Number(x.processed), approved: Number(x.approved), sentBack: Number(x.sent_back), rejected: Number(x.rejected) }));
  }
}
