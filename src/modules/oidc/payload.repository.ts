import { sql, type Kysely } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';

interface PayloadTable {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Date | null;
  consumed_at: Date | null;
}

interface PayloadTables {
  'oidc.payload': PayloadTable;
}

export interface StoredPayload {
  payload: Record<string, unknown>;
  consumedAt: Date | null;
}

/** oidc-provider's artefacts (oidc.payload): the SQL behind the provider adapter. */
export class PayloadRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<PayloadTables> {
    return (tx ?? this.db) as Kysely<PayloadTables>;
  }

  async upsert(
    kind: string,
    id: string,
    v: { payload: Record<string, unknown>; grantId: string | null; uid: string | null; userCode: string | null; expiresAt: Date | null },
  ): Promise<void> {
    const row = {
      id,
      kind,
      payload: sql<Record<string, unknown>>`${JSON.stringify(v.payload)}::jsonb`,
      grant_id: v.grantId,
      uid: v.uid,
      user_code: v.userCode,
      expires_at: v.expiresAt,
      consumed_at: null,
    };
    await this.q()
      .insertInto('oidc.payload')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['kind', 'id']).doUpdateSet({
          payload: row.payload,
          grant_id: v.grantId,
          uid: v.uid,
          user_code: v.userCode,
          expires_at: v.expiresAt,
          consumed_at: null,
        }),
      )
      .execute();
  }

  async find(kind: string, id: string): Promise<StoredPayload | null> {
    const r = await this.q().selectFrom('oidc.payload').select(['payload', 'consumed_at']).where('kind', '=', kind).where('id', '=', id).executeTakeFirst();
    return r ? { payload: r.payload, consumedAt: r.consumed_at } : null;
  }

  async findByUid(kind: string, uid: string): Promise<StoredPayload | null> {
    const r = await this.q().selectFrom('oidc.payload').select(['payload', 'consumed_at']).where('kind', '=', kind).where('uid', '=', uid).executeTakeFirst();
    return r ? { payload: r.payload, consumedAt: r.consumed_at } : null;
  }

  async findByUserCode(kind: string, userCode: string): Promise<StoredPayload | null> {
    const r = await this.q()
      .selectFrom('oidc.payload')
      .select(['payload', 'consumed_at'])
      .where('kind', '=', kind)
      .where('user_code', '=', userCode)
      .executeTakeFirst();
    return r ? { payload: r.payload, consumedAt: r.consumed_at } : null;
  }

  async consume(kind: string, id: string): Promise<void> {
    await this.q().updateTable('oidc.payload').set({ consumed_at: sql<Date>`now()` }).where('kind', '=', kind).where('id', '=', id).execute();
  }

  async destroy(kind: string, id: string): Promise<void> {
    await this.q().deleteFrom('oidc.payload').where('kind', '=', kind).where('id', '=', id).execute();
  }

  async revokeByGrantId(kind: string, grantId: string): Promise<void> {
    await this.q().deleteFrom('oidc.payload').where('kind', '=', kind).where('grant_id', '=', grantId).execute();
  }

  /** Everything issued to one client (codes, tokens, grants): used when it is disabled. */
  async deleteForClient(tx: Tx, clientId: string): Promise<number> {
    const r = await this.q(tx)
      .deleteFrom('oidc.payload')
      .where(sql<boolean>`payload ? 'clientId'`)
      .where(sql<string>`payload->>'clientId'`, '=', clientId)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Rows past their expiry; run periodically. */
  async deleteExpired(): Promise<number> {
    const r = await this.q().deleteFrom('oidc.payload').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
