import type { Generated, Kysely, Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';

interface ApplicationFileTable {
  case_id: string;
  applicant_account_id: string;
  application_name: Generated<string>;
  client_created_at: Date | null;
  eform_id: string | null;
  document_urls: unknown;
  operator_data: unknown;
  operator_updated_by: string | null;
  operator_updated_at: Date | null;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export type ApplicationFileRow = Omit<Selectable<ApplicationFileTable>, 'document_urls' | 'operator_data'> & { document_urls: string[]; operator_data: Record<string, unknown> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ApplicationFileRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx | Db): Kysely<{ 'govstack.application_file': ApplicationFileTable }> {
    return (tx ?? this.db) as Kysely<{ 'govstack.application_file': ApplicationFileTable }>;
  }

  async get(caseId: string, tx?: Tx | Db): Promise<ApplicationFileRow | null> {
    if (!UUID.test(caseId)) return null;
    const r = await this.q(tx).selectFrom('govstack.application_file').selectAll().where('case_id', '=', caseId).executeTakeFirst();
    return (r as ApplicationFileRow | undefined) ?? null;
  }

  async getMany(caseIds: string[]): Promise<Map<string, ApplicationFileRow>> {
    if (caseIds.length === 0) return new Map();
    const rows = await this.q().selectFrom('govstack.application_file').selectAll().where('case_id', 'in', caseIds).execute();
    return new Map(rows.map((r) => [r.case_id, r as ApplicationFileRow]));
  }

  /** First write wins: a replayed submission keeps what the first one recorded. */
  async insertIfAbsent(tx: Tx, v: { caseId: string; applicantAccountId: string; applicationName: string; clientCreatedAt: Date | null; eformId: string | null; documentUrls: string[] }): Promise<boolean> {
    const r = await this.q(tx)
      .insertInto('govstack.application_file')
      .values({
        case_id: v.caseId,
        applicant_account_id: v.applicantAccountId,
        application_name: v.applicationName,
        client_created_at: v.clientCreatedAt,
        eform_id: v.eformId,
        document_urls: JSON.stringify(v.documentUrls),
        operator_data: '{}',
        operator_updated_by: null,
        operator_updated_at: null,
      })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Operator data, optimistic: null when the version moved on. Creates the row for cases filed outside GovStack. */
  async saveOperatorData(tx: Tx, v: { caseId: string; applicantAccountId: string; data: Record<string, unknown>; by: string; expectedVersion: number | null }): Promise<ApplicationFileRow | null> {
    await this.q(tx)
      .insertInto('govstack.application_file')
      .values({ case_id: v.caseId, applicant_account_id: v.applicantAccountId, client_created_at: null, eform_id: null, document_urls: '[]', operator_data: '{}', operator_updated_by: null, operator_updated_at: null })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute();
    let q = this.q(tx)
      .updateTable('govstack.application_file')
      .set((eb) => ({ operator_data: JSON.stringify(v.data), operator_updated_by: v.by, operator_updated_at: new Date(), version: eb('version', '+', 1) }))
      .where('case_id', '=', v.caseId);
    if (v.expectedVersion !== null) q = q.where('version', '=', v.expectedVersion);
    const r = await q.returningAll().executeTakeFirst();
    return (r as ApplicationFileRow | undefined) ?? null;
  }
}
