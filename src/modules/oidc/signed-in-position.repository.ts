import { sql, type Kysely } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

interface SignedInPositionTable {
  account_id: string;
  organisation_id: string;
  recorded_at: Date;
}

interface SignedInPositionTables {
  'oidc.signed_in_position': SignedInPositionTable;
}

/** The organisation a staff member was acting for when they last signed in through OIDC. */
export class SignedInPositionRepository {
  constructor(private readonly db: Db) {}

  private q(): Kysely<SignedInPositionTables> {
    return this.db as Kysely<SignedInPositionTables>;
  }

  async record(accountId: string, organisationId: string): Promise<void> {
    await this.q()
      .insertInto('oidc.signed_in_position')
      .values({ account_id: accountId, organisation_id: organisationId, recorded_at: sql<Date>`now()` })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ organisation_id: organisationId, recorded_at: sql<Date>`now()` }))
      .execute();
  }

  async find(accountId: string): Promise<string | null> {
    const r = await this.q().selectFrom('oidc.signed_in_position').select('organisation_id').where('account_id', '=', accountId).executeTakeFirst();
    return r?.organisation_id ?? null;
  }
}
