import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';

interface ClientTable {
  client_id: string;
  secret_hash: string;
  name: string;
  organisation_id: string | null;
  organisation_name: string;
  redirect_uris: string[];
  require_consent: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
  disabled_at: Date | null;
  disabled_by: string | null;
}

interface ClientTables {
  'oidc.client': ClientTable;
}

/** A department system registered to sign its staff in through Zhengwu (接入系统). */
export interface OidcClientRow {
  clientId: string;
  /** SHA-256 of the client secret (never the secret itself). */
  secretHash: string;
  name: string;
  organisationId: string | null;
  organisationName: string;
  redirectUris: string[];
  requireConsent: boolean;
  createdBy: string;
  createdAt: Date;
  disabledAt: Date | null;
  disabledBy: string | null;
}

function toRow(r: Selectable<ClientTable>): OidcClientRow {
  return {
    clientId: r.client_id,
    secretHash: r.secret_hash,
    name: r.name,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    redirectUris: r.redirect_uris,
    requireConsent: r.require_consent,
    createdBy: r.created_by,
    createdAt: r.created_at,
    disabledAt: r.disabled_at,
    disabledBy: r.disabled_by,
  };
}

export class ClientRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<ClientTables> {
    return (tx ?? this.db) as Kysely<ClientTables>;
  }

  async getById(clientId: string, tx?: Tx): Promise<OidcClientRow | null> {
    if (clientId.length === 0 || clientId.length > 100) return null;
    const r = await this.q(tx).selectFrom('oidc.client').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async list(opts: { limit: number; offset: number }): Promise<{ rows: OidcClientRow[]; total: number }> {
    const rows = await this.q().selectFrom('oidc.client').selectAll().orderBy('created_at', 'desc').orderBy('client_id').limit(opts.limit).offset(opts.offset).execute();
    const count = await this.q().selectFrom('oidc.client').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return { rows: rows.map(toRow), total: count.n };
  }

  async insert(
    tx: Tx,
    v: {
      clientId: string;
      secretHash: string;
      name: string;
      organisationId: string | null;
      organisationName: string;
      redirectUris: string[];
      requireConsent: boolean;
      createdBy: string;
    },
  ): Promise<OidcClientRow> {
    const r = await this.q(tx)
      .insertInto('oidc.client')
      .values({
        client_id: v.clientId,
        secret_hash: v.secretHash,
        name: v.name,
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        redirect_uris: v.redirectUris,
        require_consent: v.requireConsent,
        created_by: v.createdBy,
        disabled_at: null,
        disabled_by: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRow(r);
  }

  /** Marks the client disabled; null when it does not exist or already is. */
  async disable(tx: Tx, clientId: string, by: string): Promise<OidcClientRow | null> {
    const r = await this.q(tx)
      .updateTable('oidc.client')
      .set({ disabled_at: sql<Date>`now()`, disabled_by: by })
      .where('client_id', '=', clientId)
      .where('disabled_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }
}
