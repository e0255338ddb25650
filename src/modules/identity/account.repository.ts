import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { RealNameLevel, RoleCode } from '../../platform/auth/actor.ts';
import type { Db, Tx } from '../../platform/db/database.ts';

/** Identity tables as Kysely sees them; only this module's repositories know them. */
export type AccountKind = 'citizen' | 'enterprise' | 'staff';
export type AccountStatus = 'active' | 'disabled';

interface AccountTable {
  id: Generated<string>;
  kind: AccountKind;
  login_name: string;
  display_name: string;
  password_hash: string;
  real_name_level: Generated<number>;
  status: Generated<AccountStatus>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  totp_last_step: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface PersonTable {
  account_id: string;
  name: string;
  certificate_type: Generated<string>;
  id_number_enc: string;
  id_number_hash: string;
  id_number_masked: string;
  mobile_enc: string | null;
  mobile_hash: string | null;
  mobile_masked: string | null;
  gender_code: string;
  birth_date: string;
  created_at: Generated<Date>;
}

interface EnterpriseTable {
  account_id: string;
  uscc: string;
  name: string;
  legal_rep_name: string;
  legal_rep_id_enc: string;
  legal_rep_id_hash: string;
  legal_rep_id_masked: string;
  uscc_warnings: Generated<string[]>;
  created_at: Generated<Date>;
}

interface AgentAuthorisationTable {
  id: Generated<string>;
  enterprise_account_id: string;
  citizen_account_id: string;
  scope: string;
  valid_from: string;
  valid_to: string | null;
  created_at: Generated<Date>;
  revoked_at: Date | null;
}

interface PositionTable {
  id: Generated<string>;
  account_id: string;
  organisation_id: string;
  roles: RoleCode[];
  created_at: Generated<Date>;
}

interface RecoveryCodeTable {
  id: Generated<number>;
  account_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Generated<Date>;
}

interface PasswordResetTable {
  id: Generated<string>;
  ticket_hash: string;
  account_id: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

interface ContactProfileTable {
  account_id: string;
  details_enc: string;
  version: Generated<number>;
  updated_at: Generated<Date>;
}

interface SessionTable {
  id: string;
  account_id: string;
  position_id: string | null;
  csrf_token: string;
  pending_second_factor: Generated<boolean>;
  totp_verified: Generated<boolean>;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
}

export interface IdentityTables {
  'identity.account': AccountTable;
  'identity.person': PersonTable;
  'identity.enterprise': EnterpriseTable;
  'identity.agent_authorisation': AgentAuthorisationTable;
  'identity.position': PositionTable;
  'identity.recovery_code': RecoveryCodeTable;
  'identity.password_reset': PasswordResetTable;
  'identity.session': SessionTable;
  'identity.contact_profile': ContactProfileTable;
}

export function identityDb(db: Db | Tx): Kysely<IdentityTables> {
  return db as Kysely<IdentityTables>;
}

// ---- rows as the rest of the module sees them ----

export interface AccountRow {
  id: string;
  kind: AccountKind;
  loginName: string;
  displayName: string;
  passwordHash: string;
  realNameLevel: RealNameLevel;
  status: AccountStatus;
  failedLogins: number;
  lockedUntil: Date | null;
  passwordChangedAt: Date;
  totpSecret: string | null;
  totpEnabled: boolean;
  totpLastStep: number | null;
  createdAt: Date;
  version: number;
}

export interface PersonRow {
  accountId: string;
  name: string;
  certificateType: string;
  idNumberEnc: string;
  idNumberMasked: string;
  mobileEnc: string | null;
  mobileMasked: string | null;
  genderCode: string;
  birthDate: string;
}

export interface EnterpriseRow {
  accountId: string;
  uscc: string;
  name: string;
  legalRepName: string;
  legalRepIdEnc: string;
  legalRepIdMasked: string;
  usccWarnings: string[];
}

/** The account with what the applicant profile reads of it (getApplicantRow); person/enterprise null when absent. */
export interface ApplicantRow {
  id: string;
  kind: AccountKind;
  status: AccountStatus;
  realNameLevel: RealNameLevel;
  person: { name: string; idNumberEnc: string; mobileEnc: string | null } | null;
  enterprise: { name: string; uscc: string; legalRepName: string; legalRepIdEnc: string } | null;
  /** identity.contact_profile.details_enc, null when the holder never saved contact details. */
  contactDetailsEnc: string | null;
}

export interface PositionRow {
  id: string;
  accountId: string;
  organisationId: string;
  roles: RoleCode[];
}

export interface AgentAuthorisationRow {
  id: string;
  enterpriseAccountId: string;
  citizenAccountId: string;
  scope: string;
  validFrom: string;
  validTo: string | null;
}

function toAccount(r: Selectable<AccountTable>): AccountRow {
  return {
    id: r.id,
    kind: r.kind,
    loginName: r.login_name,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    realNameLevel: r.real_name_level as RealNameLevel,
    status: r.status,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    passwordChangedAt: r.password_changed_at,
    totpSecret: r.totp_secret,
    totpEnabled: r.totp_enabled,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    createdAt: r.created_at,
    version: r.version,
  };
}

function toPosition(r: Selectable<PositionTable>): PositionRow {
  return { id: r.id, accountId: r.account_id, organisationId: r.organisation_id, roles: r.roles };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** Lockout rule (see sign-in): consecutive failures before the account locks, and for how long. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MS = 15 * 60_000;

export interface PasswordResetRow {
  id: string;
  accountId: string;
  codeHash: string;
  attempts: number;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface StaffListItem {
  id: string;
  loginName: string;
  displayName: string;
  status: AccountStatus;
  lockedUntil: Date | null;
  totpEnabled: boolean;
  createdAt: Date;
  positions: { id: string; organisationId: string; roles: RoleCode[] }[];
}

/** SQL of accounts, people, enterprises, positions, recovery codes and password resets. */
export class AccountRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<IdentityTables> {
    return identityDb(tx ?? this.db);
  }

  // ---- accounts ----

  async getById(id: string, tx?: Tx): Promise<AccountRow | null> {
    if (!isUuid(id)) return null;
    const r = await this.q(tx).selectFrom('identity.account').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  /** The account row locked for update (sign-in counters, TOTP steps). */
  async lockById(tx: Tx, id: string): Promise<AccountRow | null> {
    const r = await this.q(tx).selectFrom('identity.account').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async findByLoginName(loginName: string): Promise<AccountRow | null> {
    const r = await this.q().selectFrom('identity.account').selectAll().where('login_name', '=', loginName.toLowerCase()).executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async findByIdNumberHash(hash: string): Promise<AccountRow | null> {
    const r = await this.q()
      .selectFrom('identity.account as a')
      .innerJoin('identity.person as p', 'p.account_id', 'a.id')
      .selectAll('a')
      .where('p.id_number_hash', '=', hash)
      .executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async findByMobileHash(hash: string): Promise<AccountRow | null> {
    const r = await this.q()
      .selectFrom('identity.account as a')
      .innerJoin('identity.person as p', 'p.account_id', 'a.id')
      .selectAll('a')
      .where('p.mobile_hash', '=', hash)
      .executeTakeFirst();
    return r ? toAccount(r) : null;
  }

  async insertAccount(
    tx: Tx,
    v: { kind: AccountKind; loginName: string; displayName: string; passwordHash: string; realNameLevel: RealNameLevel },
  ): Promise<AccountRow> {
    const r = await this.q(tx)
      .insertInto('identity.account')
      .values({
        kind: v.kind,
        login_name: v.loginName.toLowerCase(),
        display_name: v.displayName,
        password_hash: v.passwordHash,
        real_name_level: v.realNameLevel,
        locked_until: null,
        totp_secret: null,
        totp_last_step: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAccount(r);
  }

  /**
   * One more failed sign-in, counted in SQL so concurrent attempts cannot lose a count.
   * The failure that reaches the threshold locks the account and restarts the count.
   */
  async recordFailedSignIn(tx: Tx, id: string, now: Date): Promise<{ lockedUntil: Date | null }> {
    const lockUntil = new Date(now.getTime() + LOCKOUT_MS);
    const r = await this.q(tx)
      .updateTable('identity.account')
      .set({
        failed_logins: sql<number>`CASE WHEN failed_logins + 1 >= ${LOCKOUT_THRESHOLD} THEN 0 ELSE failed_logins + 1 END`,
        locked_until: sql<Date | null>`CASE WHEN failed_logins + 1 >= ${LOCKOUT_THRESHOLD} THEN ${lockUntil}::timestamptz ELSE NULL END`,
      })
      .where('id', '=', id)
      .returning('locked_until')
      .executeTakeFirstOrThrow();
    return { lockedUntil: r.locked_until };
  }

  async recordSuccessfulSignIn(tx: Tx, id: string, newPasswordHash: string | null): Promise<void> {
    await this.q(tx)
      .updateTable('identity.account')
      .set({ failed_logins: 0, locked_until: null, ...(newPasswordHash ? { password_hash: newPasswordHash } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async setPassword(tx: Tx, id: string, passwordHash: string, now: Date): Promise<void> {
    await this.q(tx)
      .updateTable('identity.account')
      .set({ password_hash: passwordHash, password_changed_at: now, failed_logins: 0, locked_until: null, updated_at: now, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .execute();
  }

  async raiseRealNameLevel(tx: Tx, id: string, level: RealNameLevel): Promise<void> {
    await this.q(tx).updateTable('identity.account').set({ real_name_level: level }).where('id', '=', id).where('real_name_level', '<', level).execute();
  }

  async setStatus(tx: Tx, id: string, status: AccountStatus, now: Date): Promise<boolean> {
    const r = await this.q(tx)
      .updateTable('identity.account')
      .set({ status, updated_at: now, version: sql<number>`version + 1` })
      .where('id', '=', id)
      .where('status', '<>', status)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async unlock(tx: Tx, id: string): Promise<void> {
    await this.q(tx).updateTable('identity.account').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  }

  // ---- TOTP ----

  /** Stores a new, not yet enabled secret (enrolment started). */
  async setPendingTotpSecret(tx: Tx, id: string, encryptedSecret: string): Promise<void> {
    await this.q(tx)
      .updateTable('identity.account')
      .set({ totp_secret: encryptedSecret, totp_enabled: false, totp_last_step: null })
      .where('id', '=', id)
      .execute();
  }

  async enableTotp(tx: Tx, id: string, step: number): Promise<void> {
    await this.q(tx).updateTable('identity.account').set({ totp_enabled: true, totp_last_step: step }).where('id', '=', id).execute();
  }

  async clearTotp(tx: Tx, id: string): Promise<void> {
    await this.q(tx).updateTable('identity.account').set({ totp_enabled: false, totp_secret: null, totp_last_step: null }).where('id', '=', id).execute();
    await this.q(tx).deleteFrom('identity.recovery_code').where('account_id', '=', id).execute();
  }

  /** Accepts a TOTP step once: false when this step (or a later one) was already used. */
  async useTotpStep(tx: Tx, id: string, step: number): Promise<boolean> {
    const r = await this.q(tx)
      .updateTable('identity.account')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async replaceRecoveryCodes(tx: Tx, accountId: string, hashes: string[]): Promise<void> {
    await this.q(tx).deleteFrom('identity.recovery_code').where('account_id', '=', accountId).execute();
    if (hashes.length > 0) {
      await this.q(tx)
        .insertInto('identity.recovery_code')
        .values(hashes.map((h) => ({ account_id: accountId, code_hash: h, used_at: null })))
        .execute();
    }
  }

  /** Marks a recovery code used; false when unknown or already used (single use, atomically). */
  async useRecoveryCode(tx: Tx, accountId: string, hash: string, now: Date): Promise<boolean> {
    const r = await this.q(tx)
      .updateTable('identity.recovery_code')
      .set({ used_at: now })
      .where('account_id', '=', accountId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async unusedRecoveryCodes(accountId: string): Promise<number> {
    const r = await this.q()
      .selectFrom('identity.recovery_code')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ---- contact profile (我的资料: the fields the account holder edits) ----

  async getContactProfile(accountId: string, tx?: Tx): Promise<{ detailsEnc: string; version: number; updatedAt: Date } | null> {
    if (!isUuid(accountId)) return null;
    const r = await this.q(tx).selectFrom('identity.contact_profile').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return r ? { detailsEnc: r.details_enc, version: r.version, updatedAt: r.updated_at } : null;
  }

  /** Insert (expected version 0) or update at the expected version; null when someone else saved first. */
  async saveContactProfile(tx: Tx, accountId: string, detailsEnc: string, expectedVersion: number, now: Date): Promise<number | null> {
    if (expectedVersion === 0) {
      const r = await this.q(tx)
        .insertInto('identity.contact_profile')
        .values({ account_id: accountId, details_enc: detailsEnc, updated_at: now })
        .onConflict((oc) => oc.column('account_id').doNothing())
        .returning('version')
        .executeTakeFirst();
      return r ? r.version : null;
    }
    const r = await this.q(tx)
      .updateTable('identity.contact_profile')
      .set({ details_enc: detailsEnc, version: expectedVersion + 1, updated_at: now })
      .where('account_id', '=', accountId)
      .where('version', '=', expectedVersion)
      .returning('version')
      .executeTakeFirst();
    return r ? r.version : null;
  }

  // ---- people and enterprises ----

  async insertPerson(
    tx: Tx,
    v: {
      accountId: string;
      name: string;
      idNumberEnc: string;
      idNumberHash: string;
      idNumberMasked: string;
      mobileEnc: string | null;
      mobileHash: string | null;
      mobileMasked: string | null;
      genderCode: string;
      birthDate: string;
    },
  ): Promise<void> {
    await this.q(tx)
      .insertInto('identity.person')
      .values({
        account_id: v.accountId,
        name: v.name,
        id_number_enc: v.idNumberEnc,
        id_number_hash: v.idNumberHash,
        id_number_masked: v.idNumberMasked,
        mobile_enc: v.mobileEnc,
        mobile_hash: v.mobileHash,
        mobile_masked: v.mobileMasked,
        gender_code: v.genderCode,
        birth_date: v.birthDate,
      })
      .execute();
  }

  async getPerson(accountId: string): Promise<PersonRow | null> {
    if (!isUuid(accountId)) return null;
    const r = await this.q().selectFrom('identity.person').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!r) return null;
    return {
      accountId: r.account_id,
      name: r.name,
      certificateType: r.certificate_type,
      idNumberEnc: r.id_number_enc,
      idNumberMasked: r.id_number_masked,
      mobileEnc: r.mobile_enc,
      mobileMasked: r.mobile_masked,
      genderCode: r.gender_code,
      birthDate: r.birth_date,
    };
  }

  /**
   * Everything the applicant profile (prefill) needs, in one statement: the account with its person or
   * enterprise row and its contact profile (LEFT JOINs: absent rows come back as nulls).
   */
  async getApplicantRow(accountId: string): Promise<ApplicantRow | null> {
    return (await this.getApplicantRows([accountId])).get(accountId) ?? null;
  }

  /** getApplicantRow for several accounts in one statement (a batch of submissions); absent ids are missing from the map. */
  async getApplicantRows(accountIds: string[]): Promise<Map<string, ApplicantRow>> {
    const ids = [...new Set(accountIds.filter(isUuid))];
    if (ids.length === 0) return new Map();
    const rows = await this.q()
      .selectFrom('identity.account as a')
      .leftJoin('identity.person as p', 'p.account_id', 'a.id')
      .leftJoin('identity.enterprise as e', 'e.account_id', 'a.id')
      .leftJoin('identity.contact_profile as c', 'c.account_id', 'a.id')
      .select([
        'a.id',
        'a.kind',
        'a.status',
        'a.real_name_level',
        'p.account_id as person_account_id',
        'p.name as person_name',
        'p.id_number_enc',
        'p.mobile_enc',
        'e.account_id as enterprise_account_id',
        'e.name as enterprise_name',
        'e.uscc',
        'e.legal_rep_name',
        'e.legal_rep_id_enc',
        'c.details_enc as contact_details_enc',
      ])
      .where('a.id', 'in', ids)
      .execute();
    return new Map(rows.map((r) => [r.id, {
      id: r.id,
      kind: r.kind,
      status: r.status,
      realNameLevel: r.real_name_level as RealNameLevel,
      person:
        r.person_account_id !== null && r.person_name !== null && r.id_number_enc !== null
          ? { name: r.person_name, idNumberEnc: r.id_number_enc, mobileEnc: r.mobile_enc }
          : null,
      enterprise:
        r.enterprise_account_id !== null && r.enterprise_name !== null && r.uscc !== null && r.legal_rep_name !== null && r.legal_rep_id_enc !== null
          ? { name: r.enterprise_name, uscc: r.uscc, legalRepName: r.legal_rep_name, legalRepIdEnc: r.legal_rep_id_enc }
          : null,
      contactDetailsEnc: r.contact_details_enc,
    } satisfies ApplicantRow]));
  }

  /** The person's encrypted mobile number alone (SMS delivery); null without a person row or a mobile. */
  async getPersonMobileEnc(accountId: string): Promise<string | null> {
    if (!isUuid(accountId)) return null;
    const r = await this.q().selectFrom('identity.person').select('mobile_enc').where('account_id', '=', accountId).executeTakeFirst();
    return r?.mobile_enc ?? null;
  }

  async insertEnterprise(
    tx: Tx,
    v: {
      accountId: string;
      uscc: string;
      name: string;
      legalRepName: string;
      legalRepIdEnc: string;
      legalRepIdHash: string;
      legalRepIdMasked: string;
      usccWarnings: string[];
    },
  ): Promise<void> {
    await this.q(tx)
      .insertInto('identity.enterprise')
      .values({
        account_id: v.accountId,
        uscc: v.uscc,
        name: v.name,
        legal_rep_name: v.legalRepName,
        legal_rep_id_enc: v.legalRepIdEnc,
        legal_rep_id_hash: v.legalRepIdHash,
        legal_rep_id_masked: v.legalRepIdMasked,
        uscc_warnings: sql<string[]>`${v.usccWarnings}::text[]`,
      })
      .execute();
  }

  async getEnterprise(accountId: string): Promise<EnterpriseRow | null> {
    if (!isUuid(accountId)) return null;
    const r = await this.q().selectFrom('identity.enterprise').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    if (!r) return null;
    return {
      accountId: r.account_id,
      uscc: r.uscc,
      name: r.name,
      legalRepName: r.legal_rep_name,
      legalRepIdEnc: r.legal_rep_id_enc,
      legalRepIdMasked: r.legal_rep_id_masked,
      usccWarnings: r.uscc_warnings,
    };
  }

  async insertAgentAuthorisation(
    tx: Tx,
    v: { enterpriseAccountId: string; citizenAccountId: string; scope: string; validFrom: string; validTo: string | null },
  ): Promise<string> {
    const r = await this.q(tx)
      .insertInto('identity.agent_authorisation')
      .values({
        enterprise_account_id: v.enterpriseAccountId,
        citizen_account_id: v.citizenAccountId,
        scope: v.scope,
        valid_from: v.validFrom,
        valid_to: v.validTo,
        revoked_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Authorisations in force on `onDate` (a civil date) for a citizen. */
  async agentAuthorisationsOf(citizenAccountId: string, onDate: string): Promise<AgentAuthorisationRow[]> {
    if (!isUuid(citizenAccountId)) return [];
    const rows = await this.q()
      .selectFrom('identity.agent_authorisation')
      .selectAll()
      .where('citizen_account_id', '=', citizenAccountId)
      .where('revoked_at', 'is', null)
      .where('valid_from', '<=', onDate)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', onDate)]))
      .orderBy('valid_from')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      enterpriseAccountId: r.enterprise_account_id,
      citizenAccountId: r.citizen_account_id,
      scope: r.scope,
      validFrom: r.valid_from,
      validTo: r.valid_to,
    }));
  }

  // ---- positions ----

  async positionsOf(accountId: string, tx?: Tx): Promise<PositionRow[]> {
    if (!isUuid(accountId)) return [];
    const rows = await this.q(tx).selectFrom('identity.position').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toPosition);
  }

  async insertPosition(tx: Tx, v: { accountId: string; organisationId: string; roles: RoleCode[] }): Promise<PositionRow> {
    const r = await this.q(tx)
      .insertInto('identity.position')
      .values({ account_id: v.accountId, organisation_id: v.organisationId, roles: sql<RoleCode[]>`${v.roles}::text[]` })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPosition(r);
  }

  async deletePosition(tx: Tx, accountId: string, positionId: string): Promise<boolean> {
    if (!isUuid(positionId)) return false;
    const r = await this.q(tx).deleteFrom('identity.position').where('id', '=', positionId).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Staff accounts for the security administrator (province-wide: accounts are not business data). */
  async listStaff(opts: { q?: string | undefined; limit: number; offset: number }): Promise<{ rows: StaffListItem[]; total: number }> {
    let q = this.q().selectFrom('identity.account').where('kind', '=', 'staff');
    if (opts.q) {
      const like = `%${opts.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('login_name', 'like', like.toLowerCase()), eb('display_name', 'like', like)]));
    }
    const [rows, count] = await Promise.all([
      q.select(['id', 'login_name', 'display_name', 'status', 'locked_until', 'totp_enabled', 'created_at']).orderBy('login_name').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    const ids = rows.map((r) => r.id);
    const positions =
      ids.length === 0 ? [] : await this.q().selectFrom('identity.position').selectAll().where('account_id', 'in', ids).orderBy('created_at').execute();
    return {
      total: Number(count.n),
      rows: rows.map((r) => ({
        id: r.id,
        loginName: r.login_name,
        displayName: r.display_name,
        status: r.status,
        lockedUntil: r.locked_until,
        totpEnabled: r.totp_enabled,
        createdAt: r.created_at,
        positions: positions.filter((p) => p.account_id === r.id).map((p) => ({ id: p.id, organisationId: p.organisation_id, roles: p.roles })),
      })),
    };
  }

  /**
   * Positions of active staff accounts (the staff picker of the approval operations), optionally of one
   * organisation; at most `limit` rows, by display name.
   */
  async activeStaffPositions(opts: { organisationId?: string; limit: number }): Promise<(PositionRow & { displayName: string })[]> {
    let q = this.q()
      .selectFrom('identity.position as p')
      .innerJoin('identity.account as a', 'a.id', 'p.account_id')
      .where('a.kind', '=', 'staff')
      .where('a.status', '=', 'active');
    if (opts.organisationId !== undefined) q = q.where('p.organisation_id', '=', opts.organisationId);
    const rows = await q.select(['p.id', 'p.account_id', 'p.organisation_id', 'p.roles', 'a.display_name']).orderBy('a.display_name').orderBy('p.account_id').limit(opts.limit).execute();
    return rows.map((r) => ({ id: r.id, accountId: r.account_id, organisationId: r.organisation_id, roles: r.roles, displayName: r.display_name }));
  }

  // ---- password reset ----

  async insertPasswordReset(tx: Tx, v: { ticketHash: string; accountId: string; codeHash: string; expiresAt: Date }): Promise<void> {
    // A new request replaces the account's open ones: only the latest code works.
    await this.q(tx).updateTable('identity.password_reset').set({ used_at: new Date() }).where('account_id', '=', v.accountId).where('used_at', 'is', null).execute();
    await this.q(tx)
      .insertInto('identity.password_reset')
      .values({ ticket_hash: v.ticketHash, account_id: v.accountId, code_hash: v.codeHash, expires_at: v.expiresAt, used_at: null })
      .execute();
  }

  async countRecentResets(accountId: string, since: Date): Promise<number> {
    const r = await this.q()
      .selectFrom('identity.password_reset')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** A password-reset ticket; `tx` given: locked for update. */
  async findPasswordReset(ticketHash: string, tx?: Tx): Promise<PasswordResetRow | null> {
    let q = this.q(tx).selectFrom('identity.password_reset').selectAll().where('ticket_hash', '=', ticketHash);
    if (tx) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    return r ? { id: r.id, accountId: r.account_id, codeHash: r.code_hash, attempts: r.attempts, expiresAt: r.expires_at, usedAt: r.used_at } : null;
  }

  async failPasswordReset(tx: Tx, id: string, maxAttempts: number): Promise<void> {
    await this.q(tx)
      .updateTable('identity.password_reset')
      .set({
        attempts: sql<number>`attempts + 1`,
        used_at: sql<Date | null>`CASE WHEN attempts + 1 >= ${maxAttempts} THEN now() ELSE used_at END`,
      })
      .where('id', '=', id)
      .execute();
  }

  async consumePasswordReset(tx: Tx, id: string, now: Date): Promise<void> {
    await this.q(tx).updateTable('identity.password_reset').set({ used_at: now }).where('id', '=', id).execute();
  }
}

/** A unique-constraint violation from PostgreSQL (SQLSTATE 23505), with its constraint name. */
export function uniqueViolation(e: unknown): string | null {
  const err = e as { code?: string; constraint?: string } | null;
  if (err && err.code === '23505') return err.constraint ?? '';
  return null;
}
