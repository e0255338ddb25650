import type { RealNameLevel } from '../../platform/auth/actor.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { identityDb, type AccountKind, type AccountStatus } from './account.repository.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './session-token.ts';

/** A session joined with what the authenticator needs of its account, in one query. */
export interface SessionWithAccount {
  id: string;
  accountId: string;
  positionId: string | null;
  csrfToken: string;
  pendingSecondFactor: boolean;
  totpVerified: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  kind: AccountKind;
  loginName: string;
  displayName: string;
  realNameLevel: RealNameLevel;
  status: AccountStatus;
  totpEnabled: boolean;
  uscc: string | null;
}

export interface NewSession {
  id: string;
  accountId: string;
  positionId: string | null;
  csrfToken: string;
  pendingSecondFactor: boolean;
  totpVerified: boolean;
  ip: string | null;
  userAgent: string | null;
  now: Date;
}

/**
 * How long this process trusts a session row it has read. Every request resolves its session;
 * re-reading it at most every 2 s saves a database round trip per request under load
 * (docs/decisions/0004-session-read-cache.md). Changes made through this repository
 * invalidate the cached row at once; a change made by another application node is seen
 * within this window.
 */
const SESSION_CACHE_MS = 2_000;
const SESSION_CACHE_MAX = 50_000;

export class SessionRepository {
  private readonly cache = new Map<string, { row: SessionWithAccount; at: number }>();

  constructor(private readonly db: Db) {}

  private forget(id: string): void {
    this.cache.delete(id);
  }

  private forgetAccount(accountId: string): void {
    for (const [id, hit] of this.cache) if (hit.row.accountId === accountId) this.cache.delete(id);
  }

  async insert(tx: Tx, s: NewSession): Promise<void> {
    await identityDb(tx)
      .insertInto('identity.session')
      .values({
        id: s.id,
        account_id: s.accountId,
        position_id: s.positionId,
        csrf_token: s.csrfToken,
        pending_second_factor: s.pendingSecondFactor,
        totp_verified: s.totpVerified,
        created_at: s.now,
        last_seen_at: s.now,
        ip: s.ip,
        user_agent: s.userAgent?.slice(0, 400) ?? null,
      })
      .execute();
  }

  /** The session and its account; outside a transaction a row read in the last 2 s may be reused. */
  async findWithAccount(id: string, tx?: Tx): Promise<SessionWithAccount | null> {
    if (!tx) {
      const hit = this.cache.get(id);
      if (hit && Date.now() - hit.at < SESSION_CACHE_MS) return { ...hit.row };
      const fresh = await this.readWithAccount(id);
      if (this.cache.size >= SESSION_CACHE_MAX) this.cache.clear();
      if (fresh) this.cache.set(id, { row: fresh, at: Date.now() });
      else this.forget(id);
      return fresh ? { ...fresh } : null;
    }
    return this.readWithAccount(id, tx);
  }

  private async readWithAccount(id: string, tx?: Tx): Promise<SessionWithAccount | null> {
    const r = await identityDb(tx ?? this.db)
      .selectFrom('identity.session as s')
      .innerJoin('identity.account as a', 'a.id', 's.account_id')
      .leftJoin('identity.enterprise as e', 'e.account_id', 'a.id')
      .select([
        's.id',
        's.account_id',
        's.position_id',
        's.csrf_token',
        's.pending_second_factor',
        's.totp_verified',
        's.created_at',
        's.last_seen_at',
        'a.kind',
        'a.login_name',
        'a.display_name',
        'a.real_name_level',
        'a.status',
        'a.totp_enabled',
        'e.uscc',
      ])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      accountId: r.account_id,
      positionId: r.position_id,
      csrfToken: r.csrf_token,
      pendingSecondFactor: r.pending_second_factor,
      totpVerified: r.totp_verified,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      kind: r.kind,
      loginName: r.login_name,
      displayName: r.display_name,
      realNameLevel: r.real_name_level as RealNameLevel,
      status: r.status,
      totpEnabled: r.totp_enabled,
      uscc: r.uscc,
    };
  }

  async touch(id: string, now: Date): Promise<void> {
    const hit = this.cache.get(id);
    if (hit) hit.row = { ...hit.row, lastSeenAt: now };
    await identityDb(this.db).updateTable('identity.session').set({ last_seen_at: now }).where('id', '=', id).execute();
  }

  async setPosition(tx: Tx, id: string, positionId: string): Promise<void> {
    this.forget(id);
    await identityDb(tx).updateTable('identity.session').set({ position_id: positionId }).where('id', '=', id).execute();
  }

  async setTotpVerified(tx: Tx, id: string, verified: boolean): Promise<void> {
    this.forget(id);
    await identityDb(tx).updateTable('identity.session').set({ totp_verified: verified }).where('id', '=', id).execute();
  }

  async delete(db: Db | Tx, id: string): Promise<boolean> {
    this.forget(id);
    const r = await identityDb(db).deleteFrom('identity.session').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Signs an account out everywhere (password change, disabling), optionally keeping one session. */
  async deleteForAccount(tx: Tx, accountId: string, exceptId?: string): Promise<number> {
    this.forgetAccount(accountId);
    let q = identityDb(tx).deleteFrom('identity.session').where('account_id', '=', accountId);
    if (exceptId) q = q.where('id', '<>', exceptId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Housekeeping: drops sessions past their idle or absolute lifetime. */
  async deleteExpired(db: Db | Tx, now: Date, accountId?: string): Promise<number> {
    if (accountId) this.forgetAccount(accountId);
    else this.cache.clear();
    let q = identityDb(db)
      .deleteFrom('identity.session')
      .where((eb) =>
        eb.or([eb('last_seen_at', '<', new Date(now.getTime() - SESSION_IDLE_MS)), eb('created_at', '<', new Date(now.getTime() - SESSION_ABSOLUTE_MS))]),
      );
    if (accountId) q = q.where('account_id', '=', accountId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
