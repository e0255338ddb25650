import { describe, expect, it } from 'vitest';
import type { Actor, RoleCode } from '../../platform/auth/actor.ts';
import { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { canManageOrganisations, canViewOrganisation, canViewOrganisations, jurisdictionPermissions, organisationScope, ORGANISATION_MANAGE, ORGANISATION_VIEW } from './policies.ts';

function registry(): PermissionRegistry {
  const r = new PermissionRegistry();
  r.register(jurisdictionPermissions, {
    clerk: [ORGANISATION_VIEW],
    org_head: [ORGANISATION_VIEW],
    jurisdiction_supervisor: [ORGANISATION_VIEW],
    province_supervisor: [ORGANISATION_VIEW],
    sysadmin: [ORGANISATION_MANAGE],
  });
  r.check(); // 三员分立: the sysadmin holds only the system-kind permission
  return r;
}

function staff(roles: RoleCode[], jurisdictionCode = '420102', organisationId = '11111111-1111-4111-8111-111111111111'): Actor {
  const position = { id: 'p1', organisationId, organisationName: '单位', jurisdictionCode, jurisdictionName: '江岸区', roles };
  return { kind: 'staff', accountId: 'a1', displayName: '张三', realNameLevel: 2, positions: [position], position, totpVerified: true };
}

describe('organisation policies', () => {
  const p = registry();

  it('gives the sysadmin the whole tree (system data) and nothing else business-wise', () => {
    const admin = staff(['sysadmin']);
    expect(organisationScope(p, admin)).toEqual({ kind: 'all' });
    expect(canManageOrganisations(p, admin)).toBe(true);
    expect(canViewOrganisations(p, admin)).toBe(true);
  });

  it('limits business readers to the platform list scope', () => {
    expect(organisationScope(p, staff(['clerk']))).toEqual({ kind: 'organisation', organisationId: '11111111-1111-4111-8111-111111111111' });
    expect(organisationScope(p, staff(['jurisdiction_supervisor'], '420100'))).toEqual({ kind: 'jurisdiction', prefix: '4201' });
    expect(organisationScope(p, staff(['province_supervisor'], '420100'))).toEqual({ kind: 'jurisdiction', prefix: '42' });
    expect(canManageOrganisations(p, staff(['clerk']))).toBe(false);
  });

  it('shows nothing to the security and audit administrators or to citizens', () => {
    for (const a of [staff(['secadmin']), staff(['auditadmin']), { kind: 'anonymous' } as Actor]) {
      expect(organisationScope(p, a)).toEqual({ kind: 'none' });
      expect(canViewOrganisations(p, a)).toBe(false);
    }
  });

  it('lets a system job see and manage everything', () => {
    expect(organisationScope(p, systemActor('seed'))).toEqual({ kind: 'all' });
    expect(canManageOrganisations(p, systemActor('seed'))).toBe(true);
  });

  it('checks one record against the scope', () => {
    const supervisor = staff(['jurisdiction_supervisor'], '420102');
    expect(canViewOrganisation(p, supervisor, { id: 'x', jurisdictionCode: '420102002' })).toBe(true);
    expect(canViewOrganisation(p, supervisor, { id: 'x', jurisdictionCode: '420281' })).toBe(false);
  });
});
