import { sql, type Kysely } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';

interface SigningKeyTable {
  kid: string;
  alg: 'RS256' | 'ES256';
  private_jwk: string;
  protection: string;
  created_at: Date;
  retired_at: Date | null;
}

interface CookieKeyTable {
  id: string;
  secret: string;
  protection: string;
  created_at: Date;
}

interface KeyTables {
  'oidc.signing_key': SigningKeyTable;
  'oidc.cookie_key': CookieKeyTable;
}

export interface StoredSigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  /** The private JWK as stored (see `protection`). */
  privateJwk: string;
  protection: string;
}

export interface StoredCookieKey {
  id: string;
  secret: string;
  protection: string;
}

/** Advisory lock id: one process generates the provider's keys on first start. */
const KEY_LOCK = 727_100_201;

/** The provider's signing keys (JWKS) and cookie keys. */
export class KeyRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<KeyTables> {
    return (tx ?? this.db) as Kysely<KeyTables>;
  }

  /** Runs `fn` in a transaction holding the key-generation lock (PGlite and PostgreSQL). */
  async withKeyLock<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${KEY_LOCK})`.execute(tx);
      return fn(tx);
    });
  }

  /** Active signing keys, newest first (the provider signs with the first key of each alg). */
  async activeSigningKeys(tx?: Tx): Promise<StoredSigningKey[]> {
    const rows = await this.q(tx)
      .selectFrom('oidc.signing_key')
      .select(['kid', 'alg', 'private_jwk', 'protection'])
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('kid')
      .execute();
    return rows.map((r) => ({ kid: r.kid, alg: r.alg, privateJwk: r.private_jwk, protection: r.protection }));
  }

  async insertSigningKey(tx: Tx, k: StoredSigningKey): Promise<void> {
    await this.q(tx).insertInto('oidc.signing_key').values({ kid: k.kid, alg: k.alg, private_jwk: k.privateJwk, protection: k.protection, created_at: sql<Date>`now()`, retired_at: null }).execute();
  }

  async updateSigningKeyMaterial(tx: Tx, kid: string, privateJwk: string, protection: string): Promise<void> {
    await this.q(tx).updateTable('oidc.signing_key').set({ private_jwk: privateJwk, protection }).where('kid', '=', kid).execute();
  }

  /** Newest first: the first signs, all verify. */
  async cookieKeys(tx?: Tx): Promise<StoredCookieKey[]> {
    const rows = await this.q(tx).selectFrom('oidc.cookie_key').select(['id', 'secret', 'protection']).orderBy('created_at', 'desc').orderBy('id').execute();
    return rows;
  }

  async updateCookieKeyMaterial(tx: Tx, id: string, secret: string, protection: string): Promise<void> {
    await this.q(tx).updateTable('oidc.cookie_key').set({ secret, protection }).where('id', '=', id).execute();
  }

  async insertCookieKey(tx: Tx, k: StoredCookieKey): Promise<void> {
    await this.q(tx).insertInto('oidc.cookie_key').values({ id: k.id, secret: k.secret, protection: k.protection, created_at: sql<Date>`now()` }).execute();
  }
}
