import type { Position, RoleCode } from '../../platform/auth/actor.ts';

/** One position of a staff member as department systems see it. */
export interface StaffPositionClaim {
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  jurisdictionName: string;
  roles: RoleCode[];
}

/** What Zhengwu tells a department system about a staff member (统一身份认证). */
export interface StaffClaims {
  accountId: string;
  name: string;
  /** The login name; null when the source does not know it. */
  preferredUsername: string | null;
  /** The organisation of the position the staff member signed in with. */
  organisation: { id: string; name: string; jurisdictionCode: string; jurisdictionName: string };
  positions: StaffPositionClaim[];
}

/**
 * How the OIDC provider learns about staff accounts, without reading identity tables
 * (STYLE.md §2). `findStaffClaims` answers null for an account that does not exist, is
 * not staff, or is disabled — the provider then issues no tokens or userinfo for it.
 */
export interface OidcAccountPort {
  findStaffClaims(accountId: string): Promise<StaffClaims | null>;
}

/** The part of the identity module's service the provider reads (IdentityService.findStaff). */
export interface StaffDirectory {
  findStaff(accountId: string): Promise<{ accountId: string; loginName: string; displayName: string; positions: Position[] } | null>;
}

/** Claims of a staff account, its first position as `organisation`; null without any position. */
export function staffClaims(staff: { accountId: string; loginName: string | null; displayName: string; positions: Position[] }): StaffClaims | null {
  const first = staff.positions[0];
  if (!first) return null;
  return {
    accountId: staff.accountId,
    name: staff.displayName,
    preferredUsername: staff.loginName,
    organisation: { id: first.organisationId, name: first.organisationName, jurisdictionCode: first.jurisdictionCode, jurisdictionName: first.jurisdictionName },
    positions: staff.positions.map((p) => ({
      organisationId: p.organisationId,
      organisationName: p.organisationName,
      jurisdictionCode: p.jurisdictionCode,
      jurisdictionName: p.jurisdictionName,
      roles: [...p.roles],
    })),
  };
}

/** The claims with `organisation` set to the one the staff member signed in for, while they still hold a position there. */
export function actingFor(claims: StaffClaims, organisationId: string | null): StaffClaims {
  const p = claims.positions.find((x) => x.organisationId === organisationId);
  return p
    ? { ...claims, organisation: { id: p.organisationId, name: p.organisationName, jurisdictionCode: p.jurisdictionCode, jurisdictionName: p.jurisdictionName } }
    : claims;
}

/** The account port over the identity module: live data, so a disabled account or a removed position shows at the next token or userinfo request. */
export function createStaffDirectoryAccounts(directory: StaffDirectory): OidcAccountPort {
  return {
    async findStaffClaims(accountId) {
      const staff = await directory.findStaff(accountId);
      return staff ? staffClaims(staff) : null;
    },
  };
}

/**
 * The ID token / userinfo claims (snake_case, as OIDC relying parties expect). The provider
 * filters them by the granted scopes: profile → name, preferred_username;
 * organisation → organisation, positions.
 */
export function oidcClaims(c: StaffClaims): { sub: string; [claim: string]: unknown } {
  return {
    sub: c.accountId,
    name: c.name,
    ...(c.preferredUsername ? { preferred_username: c.preferredUsername } : {}),
    organisation: {
      id: c.organisation.id,
      name: c.organisation.name,
      jurisdiction_code: c.organisation.jurisdictionCode,
      jurisdiction_name: c.organisation.jurisdictionName,
    },
    positions: c.positions.map((p) => ({
      organisation_id: p.organisationId,
      organisation_name: p.organisationName,
      jurisdiction_code: p.jurisdictionCode,
      jurisdiction_name: p.jurisdictionName,
      roles: p.roles,
    })),
  };
}
