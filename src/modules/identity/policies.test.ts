import { describe, expect, it } from 'vitest';
import { systemActor, type Actor, type RoleCode } from '../../platform/auth/actor.ts';
import { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { ACCOUNT_ADMIN, canAdministerAccount, mustUseSecondFactor, rolesConflict } from './policies.ts';
import { safeNext } from './routes/http.ts';

function staff(roles: RoleCode[], totpVerified = false, accountId = 'a1'): Actor {
  const position = { id: 'p1', organisationId: 'o1', organisationName: '单位', jurisdictionCode: '420000', jurisdictionName: '湖北省', roles };
  return { kind: 'staff', accountId, displayName: '某人', realNameLevel: 2, positions: [position], position, totpVerified };
}

describe('三员分立', () => {
  it('an administrator role stands alone', () => {
    expect(rolesConflict([{ roles: ['clerk', 'org_head'] }])).toBeNull();
    expect(rolesConflict([{ roles: ['clerk'] }, { roles: ['jurisdiction_supervisor'] }])).toBeNull();
    expect(rolesConflict([{ roles: ['secadmin'] }])).toBeNull();
    expect(rolesConflict([{ roles: ['secadmin', 'clerk'] }])).toMatch(/业务角色/);
    expect(rolesConflict([{ roles: ['secadmin'] }, { roles: ['clerk'] }])).toMatch(/业务角色/);
    expect(rolesConflict([{ roles: ['secadmin'] }, { roles: ['auditadmin'] }])).toMatch(/不同账号/);
  });

  it('administrators must pass a second factor before the workbench', () => {
    expect(mustUseSecondFactor(staff(['secadmin']))).toBe(true);
    expect(mustUseSecondFactor(staff(['secadmin'], true))).toBe(false);
    expect(mustUseSecondFactor(staff(['clerk']))).toBe(false);
    expect(mustUseSecondFactor({ kind: 'citizen', accountId: 'c', displayName: 'c', realNameLevel: 0 })).toBe(false);
  });

  it('the security administrator manages staff accounts, not administrators and not itself', () => {
    const permissions = new PermissionRegistry();
    permissions.register([{ code: ACCOUNT_ADMIN, label: '管理工作人员账号', kind: 'security' }], { secadmin: [ACCOUNT_ADMIN] });
    permissions.check();
    const sec = staff(['secadmin'], true, 'sec');
    const target = (roles: RoleCode[], id = 't') => ({ id, kind: 'staff', positions: [{ roles }] });
    expect(canAdministerAccount(permissions, sec, target(['clerk']), 'disable').ok).toBe(true);
    expect(canAdministerAccount(permissions, sec, target(['clerk']), 'create').ok).toBe(true);
    expect(canAdministerAccount(permissions, sec, target(['auditadmin']), 'reset-totp').ok).toBe(false);
    expect(canAdministerAccount(permissions, sec, target(['auditadmin']), 'unlock').ok).toBe(true);
    expect(canAdministerAccount(permissions, sec, target(['clerk'], 'sec'), 'disable').ok).toBe(false);
    expect(canAdministerAccount(permissions, sec, { id: 'c', kind: 'citizen', positions: [] }, 'disable').ok).toBe(false);
    expect(canAdministerAccount(permissions, staff(['sysadmin'], true), target(['clerk']), 'disable').ok).toBe(false);
    expect(canAdministerAccount(permissions, systemActor('cli'), target(['auditadmin']), 'create').ok).toBe(true);
  });
});

describe('next after sign-in', () => {
  it('allows local paths only', () => {
    expect(safeNext('/workbench/notices?page=2', '/')).toBe('/workbench/notices?page=2');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/a b', '/login', '/login/totp', '', 42]) {
      expect(safeNext(bad, '/home')).toBe('/home');
    }
  });
});
