import { describe, expect, it } from 'vitest';
import type { Actor, StaffActor } from '../../platform/auth/actor.ts';
import { actingFor, oidcClaims, staffClaims } from './accounts.ts';
import { mayUseOidc } from './policies.ts';

const county = { id: 'p1', organisationId: 'org-jiangan', organisationName: '江岸区政务服务和大数据管理局', jurisdictionCode: '420102', jurisdictionName: '江岸区', roles: ['clerk' as const] };
const city = { id: 'p2', organisationId: 'org-wuhan', organisationName: '武汉市政务服务和大数据管理局', jurisdictionCode: '420100', jurisdictionName: '武汉市', roles: ['org_head' as const, 'jurisdiction_supervisor' as const] };
const profile = { accountId: 'acc-1', loginName: 'lina', displayName: '李娜', positions: [county, city] };

describe('staff claims', () => {
  it('names the organisation signed in for while it is still held, else the first position, and lists every position', () => {
    const claims = staffClaims(profile)!;
    expect(claims.organisation.id).toBe('org-jiangan');
    expect(actingFor(claims, 'org-wuhan').organisation).toEqual({ id: 'org-wuhan', name: '武汉市政务服务和大数据管理局', jurisdictionCode: '420100', jurisdictionName: '武汉市' });
    expect(actingFor(claims, null).organisation.id).toBe('org-jiangan');
    // A position given up since: fall back rather than claim it.
    expect(actingFor(claims, 'org-elsewhere').organisation.id).toBe('org-jiangan');
    expect(claims.positions.map((p) => [p.organisationId, p.roles])).toEqual([
      ['org-jiangan', ['clerk']],
      ['org-wuhan', ['org_head', 'jurisdiction_supervisor']],
    ]);
    expect(staffClaims({ ...profile, positions: [] })).toBeNull();
  });

  it('speaks OIDC: snake_case claims, preferred_username only when known', () => {
    const claims = oidcClaims(actingFor(staffClaims(profile)!, 'org-wuhan'));
    expect(claims).toEqual({
      sub: 'acc-1',
      name: '李娜',
      preferred_username: 'lina',
      organisation: { id: 'org-wuhan', name: '武汉市政务服务和大数据管理局', jurisdiction_code: '420100', jurisdiction_name: '武汉市' },
      positions: [
        { organisation_id: 'org-jiangan', organisation_name: '江岸区政务服务和大数据管理局', jurisdiction_code: '420102', jurisdiction_name: '江岸区', roles: ['clerk'] },
        { organisation_id: 'org-wuhan', organisation_name: '武汉市政务服务和大数据管理局', jurisdiction_code: '420100', jurisdiction_name: '武汉市', roles: ['org_head', 'jurisdiction_supervisor'] },
      ],
    });
    expect(oidcClaims(staffClaims({ ...profile, loginName: null })!)).not.toHaveProperty('preferred_username');
  });

  it('lets only fully signed-in staff use OIDC', () => {
    const staff: StaffActor = { kind: 'staff', accountId: 'acc-1', displayName: '李娜', realNameLevel: 3, positions: [county, city], position: city, totpVerified: true };
    const citizen: Actor = { kind: 'citizen', accountId: 'c1', displayName: '张三', realNameLevel: 2 };
    expect(mayUseOidc(staff, false)).toBe(true);
    expect(mayUseOidc(staff, true)).toBe(false);
    expect(mayUseOidc(citizen, false)).toBe(false);
    expect(mayUseOidc({ kind: 'anonymous' }, false)).toBe(false);
    expect(mayUseOidc({ kind: 'system', name: 'cli' }, false)).toBe(false);
  });
});
