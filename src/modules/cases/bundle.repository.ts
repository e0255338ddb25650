import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { CaseRecord } from './case.repository.ts';

/** cases.bundle: one 一件事 application; its cases point to it with case.bundle_id (migration 0003-life-event-application). */
interface BundleTable {
  id: Generated<string>;
  bundle_no: string;
  life_event_id: string;
  life_event_code: string;
  life_event_name: string;
  jurisdiction_code: string;
  applicant_account_id: string;
  applicant_kind: 'citizen' | 'enterprise';
  idempotency_key: string | null;
  item_count: number;
  /** The life event's items in order (jsonb array of implementation item ids). */
  item_ids: string[];
  created_at: Generated<Date>;
}

interface BundleCaseColumns {
  id: string;
  bundle_id: string | null;
  created_at: Date;
  case_no: string | null;
}

interface BundleTables {
  'cases.bundle': BundleTable;
  'cases.case': BundleCaseColumns;
}

export type BundleRow = Selectable<BundleTable>;
export type BundleInsert = Omit<BundleTable, 'id' | 'created_at'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SQL for 一件事 bundles; the cases themselves stay in CaseRepository. */
export class BundleRepository {
  constructor(readonly db: Db) {}

  private q(tx?: Tx | Db): Kysely<BundleTables> {
    return (tx ?? this.db) as Kysely<BundleTables>;
  }

  /** Inserts the bundle, or returns null when the same applicant's idempotency key is already taken (a concurrent retry). */
  async insert(tx: Tx, v: BundleInsert): Promise<BundleRow | null> {
    return (
      (await this.q(tx)
        .insertInto('cases.bundle')
        .values({ ...v, item_ids: sql<string[]>`${JSON.stringify(v.item_ids)}::jsonb` })
        .onConflict((oc) => oc.columns(['applicant_account_id', 'idempotency_key']).where('idempotency_key', 'is not', null).doNothing())
        .returningAll()
        .executeTakeFirst()) ?? null
    );
  }

  async getById(id: string, tx?: Tx | Db): Promise<BundleRow | null> {
    if (!UUID.test(id)) return null;
    return (await this.q(tx).selectFrom('cases.bundle').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async getByIdempotencyKey(applicantAccountId: string, key: string, tx?: Tx | Db): Promise<BundleRow | null> {
    return (await this.q(tx).selectFrom('cases.bundle').selectAll().where('applicant_account_id', '=', applicantAccountId).where('idempotency_key', '=', key).executeTakeFirst()) ?? null;
  }

  /** The bundle's cases in the life event's item order. */
  async cases(bundle: Pick<BundleRow, 'id' | 'item_ids'>, tx?: Tx | Db): Promise<CaseRecord[]> {
    const rows = (await this.q(tx).selectFrom('cases.case').selectAll().where('bundle_id', '=', bundle.id).orderBy('case_no').execute()) as unknown as CaseRecord[];
    return inItemOrder(bundle, rows);
  }

  /** The applicant's bundles, newest first, with their cases. */
  async listForApplicant(accountId: string, f: { limit: number; offset: number }): Promise<{ rows: (BundleRow & { cases: CaseRecord[] })[]; total: number }> {
    const base = this.q().selectFrom('cases.bundle').where('applicant_account_id', '=', accountId);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('created_at', 'desc').orderBy('bundle_no', 'desc').limit(f.limit).offset(f.offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    if (rows.length === 0) return { rows: [], total: Number(count.n) };
    const ids = rows.map((r) => r.id);
    const cases = (await this.q().selectFrom('cases.case').selectAll().where('bundle_id', 'in', ids).orderBy('created_at').orderBy('case_no').execute()) as unknown as (CaseRecord & { bundle_id: string })[];
    return { rows: rows.map((b) => ({ ...b, cases: inItemOrder(b, cases.filter((c) => c.bundle_id === b.id)) })), total: Number(count.n) };
  }
}

function inItemOrder(bundle: Pick<BundleRow, 'item_ids'>, cases: CaseRecord[]): CaseRecord[] {
  const at = (c: CaseRecord) => {
    const i = bundle.item_ids.indexOf(c.item_id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...cases].sort((a, b) => at(a) - at(b));
}
