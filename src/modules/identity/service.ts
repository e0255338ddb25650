import type { Position, RealNameLevel, RequestContext } from '../../platform/auth/actor.ts';
import type { Result } from '../../platform/errors.ts';
import type { AccountKind, AccountStatus, AgentAuthorisationRow } from './account.repository.ts';
import type { SessionAuthenticator } from './authenticator.ts';
import { createStaffAccountCommand, type CreatedStaffAccount, type StaffAccountInput } from './commands/create-staff-account.ts';
import type { IdentityDeps } from './deps.ts';
import { CONTEXT } from './personal-data.ts';
import { loadApplicantProfile, loadApplicantProfiles, type ApplicantProfile } from './applicant-profile.ts';

export interface AccountSummary {
  id: string;
  kind: AccountKind;
  loginName: string;
  displayName: string;
  realNameLevel: RealNameLevel;
  status: AccountStatus;
}

export interface StaffProfile {
  accountId: string;
  loginName: string;
  displayName: string;
  positions: Position[];
}

export type AgentAuthorisation = AgentAuthorisationRow;

/** One position of an active staff member, as a picker shows it (name, organisation, roles). */
export interface StaffChoice {
  accountId: string;
  displayName: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  roles: Position['roles'];
}

/**
 * What other modules may ask of the identity module (STYLE.md §2: through this service,
 * never the tables). Personal identifiers do not leave it, except a mobile number handed
 * to notification delivery.
 */
export interface IdentityService {
  getAccount(accountId: string): Promise<AccountSummary | null>;
  /** An active staff account with its positions (organisation names resolved), e.g. for OIDC claims. */
  findStaff(accountId: string): Promise<StaffProfile | null>;
  /**
   * Active staff of one organisation, or of a jurisdiction subtree (GB/T 2260 code prefix), one entry per
   * position; at most 500. For pickers (转办 / 委托 / 加签 / 抄送); no personal identifiers.
   */
  listActiveStaff(filter: { organisationId: string } | { jurisdictionPrefix: string }): Promise<StaffChoice[]>;
  /** The citizen's mobile number, for sending an SMS only — never for display. */
  mobileForDelivery(accountId: string): Promise<string | null>;
  /**
   * What the account knows about an applicant, FULL values decrypted, for prefilling an application
   * on the server (issue 3: no datum asked twice). Never for display or logs; null for staff or unknown.
   */
  applicantProfile(accountId: string): Promise<ApplicantProfile | null>;
  /** applicantProfile for several accounts in one query (a batch of submissions); accounts without a profile are absent. */
  applicantProfiles(accountIds: string[]): Promise<Map<string, ApplicantProfile>>;
  /** Agent authorisations (经办人授权) of a citizen in force on a civil date (default today). */
  agentAuthorisations(citizenAccountId: string, onDate?: string): Promise<AgentAuthorisation[]>;
  createStaffAccount(ctx: RequestContext, input: StaffAccountInput): Promise<Result<CreatedStaffAccount, 'forbidden' | 'invalid' | 'duplicate'>>;
  /** Housekeeping job: deletes sessions past their idle or absolute lifetime. */
  purgeExpiredSessions(): Promise<number>;
}

export function createIdentityService(deps: IdentityDeps, authenticator: SessionAuthenticator): IdentityService {
  return {
    async getAccount(accountId) {
      const a = await deps.accounts.getById(accountId);
      return a ? { id: a.id, kind: a.kind, loginName: a.loginName, displayName: a.displayName, realNameLevel: a.realNameLevel, status: a.status } : null;
    },
    async findStaff(accountId) {
      const a = await deps.accounts.getById(accountId);
      if (!a || a.kind !== 'staff' || a.status !== 'active') return null;
      const positions = await authenticator.positionsOf(await deps.accounts.positionsOf(a.id));
      return { accountId: a.id, loginName: a.loginName, displayName: a.displayName, positions };
    },
    async listActiveStaff(filter) {
      const rows = await deps.accounts.activeStaffPositions({ ...('organisationId' in filter ? { organisationId: filter.organisationId } : {}), limit: 500 });
      const positions = await authenticator.positionsOf(rows);
      const byId = new Map(positions.map((p) => [p.id, p]));
      const out: StaffChoice[] = [];
      for (const r of rows) {
        const p = byId.get(r.id);
        if (!p || ('jurisdictionPrefix' in filter && !p.jurisdictionCode.startsWith(filter.jurisdictionPrefix))) continue;
        out.push({ accountId: r.accountId, displayName: r.displayName, organisationId: p.organisationId, organisationName: p.organisationName, jurisdictionCode: p.jurisdictionCode, roles: p.roles });
      }
      return out;
    },
    async mobileForDelivery(accountId) {
      const mobileEnc = await deps.accounts.getPersonMobileEnc(accountId);
      return mobileEnc ? deps.cipher.decrypt(mobileEnc, CONTEXT.mobile) : null;
    },
    applicantProfile: (accountId) => loadApplicantProfile(deps, accountId),
    applicantProfiles: (accountIds) => loadApplicantProfiles(deps, accountIds),
    agentAuthorisations: (citizenAccountId, onDate) =>
      deps.accounts.agentAuthorisationsOf(citizenAccountId, onDate ?? new Date(deps.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10)),
    createStaffAccount: (ctx, input) => createStaffAccountCommand(deps, ctx, input),
    purgeExpiredSessions: () => deps.sessions.deleteExpired(deps.db, deps.now()),
  };
}
