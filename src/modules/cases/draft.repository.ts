import type { Generated, Kysely, Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';

/**
 * 申请草稿 (migration 0004-application-draft): one draft per applicant per item. Personal data
 * in the values is kept like a submission's: masks in `form_values`, full values encrypted in `pii_enc`.
 */
interface DraftTable {
  id: Generated<string>;
  applicant_account_id: string;
  item_id: string;
  item_name: string;
  form_values: unknown;
  pii_enc: string | null;
  materials: unknown;
  created_at: Generated<Date>;
  updated_at: Date;
  version: Generated<number>;
}

interface DraftTables {
  'cases.application_draft': DraftTable;
}

export interface DraftMaterial {
  code: string;
  attachmentId: string;
}

export type DraftRow = Omit<Selectable<DraftTable>, 'form_values' | 'materials'> & { form_values: Record<string, unknown>; materials: DraftMaterial[] };

export interface DraftWrite {
  item_name: string;
  form_values: Record<string, unknown>;
  pii_enc: string | null;
  materials: DraftMaterial[];
  updated_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DraftRepository {
  constructor(readonly db: Db) {}

  private q(tx?: Tx | Db): Kysely<DraftTables> {
    return (tx ?? this.db) as Kysely<DraftTables>;
  }

  async get(id: string, tx?: Tx | Db): Promise<DraftRow | null> {
    if (!UUID.test(id)) return null;
    return ((await this.q(tx).selectFrom('cases.application_draft').selectAll().where('id', '=', id).executeTakeFirst()) as DraftRow | undefined) ?? null;
  }

  async forItem(accountId: string, itemId: string, tx?: Tx | Db): Promise<DraftRow | null> {
    if (!UUID.test(accountId)) return null;
    const r = await this.q(tx).selectFrom('cases.application_draft').selectAll().where('applicant_account_id', '=', accountId).where('item_id', '=', itemId).executeTakeFirst();
    return (r as DraftRow | undefined) ?? null;
  }

  async listFor(accountId: string, page: { limit: number; offset: number }): Promise<{ rows: DraftRow[]; total: number }> {
    const base = this.q().selectFrom('cases.application_draft').where('applicant_account_id', '=', accountId);
    const [rows, total] = await Promise.all([
      base.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as DraftRow[], total: Number(total.n) };
  }

  /** A new draft, or null when one for this applicant and item appeared meanwhile (unique in SQL). */
  async insert(tx: Tx, accountId: string, itemId: string, v: DraftWrite): Promise<DraftRow | null> {
    const r = await this.q(tx)
      .insertInto('cases.application_draft')
      .values({ applicant_account_id: accountId, item_id: itemId, ...v, form_values: JSON.stringify(v.form_values), materials: JSON.stringify(v.materials) })
      .onConflict((oc) => oc.columns(['applicant_account_id', 'item_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return (r as DraftRow | undefined) ?? null;
  }

  /** Update at the expected version; null when it changed or disappeared meanwhile. */
  async update(tx: Tx, id: string, version: number, v: DraftWrite): Promise<DraftRow | null> {
    const r = await this.q(tx)
      .updateTable('cases.application_draft')
      .set({ ...v, form_values: JSON.stringify(v.form_values), materials: JSON.stringify(v.materials), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return (r as DraftRow | undefined) ?? null;
  }

  /** Deletes the draft (at the expected version when given); false when it changed or is gone. */
  async delete(tx: Tx, id: string, version: number | null): Promise<boolean> {
    let q = this.q(tx).deleteFrom('cases.application_draft').where('id', '=', id);
    if (version !== null) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Drafts last saved before the cutoff (the 90-day purge job). */
  async purgeSavedBefore(tx: Tx, cutoff: Date): Promise<string[]> {
    const rows = await this.q(tx).deleteFrom('cases.application_draft').where('updated_at', '<', cutoff).returning('id').execute();
    return rows.map((r) => r.id);
  }
}
