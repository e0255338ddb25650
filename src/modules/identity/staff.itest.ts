import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROLES, type RoleCode } from '../../platform/auth/actor.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import {
  DEMO_PASSWORD,
  buildStaffAccount,
  enrolTotp,
  organisationsOf,
  postForm,
  randomIp,
  seedDemoAccounts,
  signIn,
  type SignedIn,
} from '../../../test/support/identity.ts';
import { checkPasswordPolicy, createStaffAccount, demoLogins, resolveOrganisation, totpCode } from './index.ts';

describe('staff: positions, 三员分立 and account administration', () => {
  let t: TestApp;
  const admins = new Map<RoleCode, SignedIn>();

  /** An administrator, signed in and past the second factor (enrolled just now). */
  async function admin(role: RoleCode): Promise<SignedIn> {
    const a = await buildStaffAccount(t, { roles: [role], organisations: ['湖北省政务服务和大数据管理局'] });
    const s = await signIn(t.app, a.loginName, a.password);
    await enrolTotp(t.app, s);
    return s;
  }

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoAccounts(t);
    for (const role of ADMIN_ROLES) admins.set(role, await admin(role));
  });
  afterAll(async () => t?.stop());

  const get = (url: string, s: { cookie: string }, html = true) => t.app.inject({ method: 'GET', url, headers: { cookie: s.cookie, ...(html ? { accept: 'text/html' } : {}) } });
  const me = async (s: SignedIn) => (await get('/api/me', s, false)).json<{ actor: { position: { id: string; organisationName: string }; positions: { id: string; organisationName: string }[] } }>();

  it('seeds the demo staff: two counties, a head, supervisors and the three administrators', async () => {
    const logins = demoLogins().map((d) => d.login);
    expect(logins).toEqual(expect.arrayContaining(['zhangsan', 'clerk.jiangan', 'clerk.daye', 'head.jiangan', 'supervisor.wuhan', 'supervisor.hubei', 'sysadmin', 'secadmin', 'auditadmin']));
    for (const d of demoLogins().filter((x) => !['sysadmin', 'secadmin', 'auditadmin'].includes(x.login))) {
      const s = await signIn(t.app, d.login, d.password);
      expect(s.actor.kind, d.login).toMatch(/citizen|enterprise|staff/);
    }
    const daye = await signIn(t.app, 'clerk.daye');
    expect(daye.actor).toMatchObject({ position: { jurisdictionCode: '420281', roles: ['clerk'] } });
    // seeding twice changes nothing
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM identity.account`.execute(t.platform.db);
    await t.modules.find((m) => m.name === 'identity')!.seed!(t.platform);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM identity.account`.execute(t.platform.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    // the published demo password is not a password anyone may choose
    expect(checkPasswordPolicy(DEMO_PASSWORD)).toContain('该密码过于常见，容易被猜到，请换一个');
  });

  it('switches the current position among its own positions', async () => {
    const s = await signIn(t.app, 'clerk.jiangan');
    const before = await me(s);
    expect(before.actor.positions).toHaveLength(2);
    const other = before.actor.positions.find((p) => p.id !== before.actor.position.id)!;
    const res = await postForm(t.app, '/workbench/position', s, { positionId: other.id });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/workbench');
    expect((await me(s)).actor.position.id).toBe(other.id);
    const audit = await sql<{ object_id: string }>`SELECT object_id FROM audit.entry WHERE action = 'account.switch-position' ORDER BY id DESC LIMIT 1`.execute(t.platform.db);
    expect(audit.rows[0]!.object_id).toBe(other.id);
    // someone else's position is not a choice
    const daye = await me(await signIn(t.app, 'clerk.daye'));
    const foreign = await postForm(t.app, '/workbench/position', s, { positionId: daye.actor.position.id });
    expect(foreign.statusCode).toBe(404);
    expect((await me(s)).actor.position.id).toBe(other.id);
  });

  it('an empty case list offers the other positions, and the switch comes back to the list (local paths only)', async () => {
    const s = await signIn(t.app, 'clerk.jiangan');
    const { actor } = await me(s);
    const other = actor.positions.find((p) => p.id !== actor.position.id)!;
    const page = await get('/workbench/cases', s);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`当前岗位（${actor.position.organisationName}）暂无办件`);
    expect(page.body).toContain(`<input type="hidden" name="positionId" value="${other.id}"><input type="hidden" name="back" value="/workbench/cases">`);
    expect(page.body).toContain(`切换到：${other.organisationName}`);
    const back = await postForm(t.app, '/workbench/position', s, { positionId: other.id, back: '/workbench/cases' });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/workbench/cases');
    expect((await me(s)).actor.position.id).toBe(other.id);
    for (const elsewhere of ['https://evil.example/workbench', '//evil.example', '/account/security', '/workbench/../login']) {
      const res = await postForm(t.app, '/workbench/position', s, { positionId: actor.position.id, back: elsewhere });
      expect(res.statusCode, elsewhere).toBe(303);
      expect(res.headers.location, elsewhere).toBe('/workbench');
    }
  });

  it('only the audit administrator holds audit.read; administrators hold no business permission', () => {
    const p = t.platform.permissions;
    expect(p.rolesWith('audit.read')).toEqual(['auditadmin']);
    expect(p.rolesWith('account.admin')).toEqual(['secadmin']);
    for (const def of p.all()) {
      const roles = p.rolesWith(def.code);
      if (def.kind === 'business') expect(roles.filter((r) => ADMIN_ROLES.includes(r)), def.code).toEqual([]);
      if (def.kind === 'security') expect(roles.every((r) => r === 'secadmin'), def.code).toBe(true);
      if (def.kind === 'audit') expect(roles.every((r) => r === 'auditadmin'), def.code).toBe(true);
      if (def.kind === 'system') expect(roles.every((r) => r === 'sysadmin'), def.code).toBe(true);
    }
  });

  it('administrators cannot open business pages; only the auditor opens the audit trail', async () => {
    const businessPages = t.routes.filter((r) => r.method === 'GET' && !r.url.includes(':') && 'permission' in r.access && t.platform.permissions.get(r.access.permission)?.kind === 'business');
    expect(businessPages.map((r) => r.url)).toContain('/workbench/notices');
    for (const [role, s] of admins) {
      for (const r of businessPages) expect((await get(r.url, s, false)).statusCode, `${role} ${r.url}`).toBe(403);
      const audit = await get('/workbench/audit', s);
      expect(audit.statusCode, role).toBe(role === 'auditadmin' ? 200 : 403);
    }
    // and a clerk cannot administer accounts
    expect((await get('/workbench/accounts', await signIn(t.app, 'clerk.jiangan'))).statusCode).toBe(403);
  });

  describe('the security administrator', () => {
    let sec: SignedIn;
    beforeAll(() => {
      sec = admins.get('secadmin')!;
    });

    it('lists staff accounts province-wide with names masked', async () => {
      const res = await get('/workbench/accounts?q=clerk', sec);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('clerk.jiangan');
      expect(res.body).toContain('clerk.daye');
      expect(res.body).toContain('王*'); // 王芳
      expect(res.body).not.toContain('王芳');
    });

    it('creates a staff account by organisation name with a generated password shown once', async () => {
      const res = await postForm(t.app, '/workbench/accounts', sec, { loginName: 'New.Clerk', displayName: '新办事员', organisationId: '大冶市民政局', roles: ['clerk', 'org_head'] });
      expect(res.statusCode).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const password = /初始密码：<code>([^<]+)<\/code>/.exec(res.body)![1]!.replace(/&#(\d+);|&amp;/g, (m, n: string | undefined) => (n ? String.fromCharCode(Number(n)) : '&'));
      const s = await signIn(t.app, 'new.clerk', password);
      expect(s.actor).toMatchObject({ kind: 'staff', position: { organisationName: '大冶市民政局', roles: ['clerk', 'org_head'] } });
    });

    it('shows form errors by field; cannot grant administrator roles', async () => {
      const bad = await postForm(t.app, '/workbench/accounts', sec, { loginName: '1x', displayName: '', organisationId: '不存在的单位', password: 'short' });
      expect(bad.statusCode).toBe(400);
      for (const text of ['用户名：', '姓名：', '单位：找不到单位“不存在的单位”', '初始密码：']) expect(bad.body).toContain(text);
      const grant = await postForm(t.app, '/workbench/accounts', sec, { loginName: 'would.be.admin', displayName: '某人', organisationId: '湖北省政务服务和大数据管理局', roles: ['sysadmin'] });
      expect(grant.statusCode).toBe(403);
      expect(grant.body).toContain('三员分立');
    });

    it('disables (ending sessions) and enables an account', async () => {
      const staff = await buildStaffAccount(t, { roles: ['clerk'] });
      const s = await signIn(t.app, staff.loginName, staff.password);
      expect((await postForm(t.app, `/workbench/accounts/${staff.accountId}/disable`, sec, {})).statusCode).toBe(303);
      expect((await get('/api/me', s, false)).statusCode).toBe(401);
      await expect(signIn(t.app, staff.loginName, staff.password)).rejects.toThrow(/403/);
      expect((await postForm(t.app, `/workbench/accounts/${staff.accountId}/enable`, sec, {})).statusCode).toBe(303);
      await signIn(t.app, staff.loginName, staff.password);
      const actions = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${staff.accountId} AND action IN ('account.disable', 'account.enable') ORDER BY id`.execute(t.platform.db);
      expect(actions.rows.map((r) => r.action)).toEqual(['account.disable', 'account.enable']);
    });

    it('unlocks a locked account', async () => {
      const staff = await buildStaffAccount(t, { roles: ['clerk'] });
      for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: randomIp(), payload: { login: staff.loginName, password: 'Wrong-Passw0rd' } });
      await expect(signIn(t.app, staff.loginName, staff.password)).rejects.toThrow(/423/);
      const detail = await get(`/workbench/accounts/${staff.accountId}`, sec);
      expect(detail.body).toContain('已锁定');
      expect((await postForm(t.app, `/workbench/accounts/${staff.accountId}/unlock`, sec, {})).statusCode).toBe(303);
      await signIn(t.app, staff.loginName, staff.password);
    });

    it('resets a lost TOTP', async () => {
      const staff = await buildStaffAccount(t, { roles: ['clerk'] });
      const s = await signIn(t.app, staff.loginName, staff.password);
      await enrolTotp(t.app, s);
      await expect(signIn(t.app, staff.loginName, staff.password)).rejects.toThrow(/ZW_ERR_AUTH_TOTP_REQUIRED/);
      expect((await postForm(t.app, `/workbench/accounts/${staff.accountId}/reset-totp`, sec, {})).statusCode).toBe(303);
      await signIn(t.app, staff.loginName, staff.password);
    });

    it('adds and removes positions, never the last one', async () => {
      const staff = await buildStaffAccount(t, { roles: ['clerk'] });
      const add = await postForm(t.app, `/workbench/accounts/${staff.accountId}/positions`, sec, { organisationId: '武汉市江岸区民政局', roles: 'org_head' });
      expect(add.statusCode).toBe(303);
      const s = await signIn(t.app, staff.loginName, staff.password);
      const positions = (await me(s)).actor.positions;
      expect(positions.map((p) => p.organisationName)).toEqual(['武汉市江岸区政务服务和大数据管理局', '武汉市江岸区民政局']);
      const dup = await postForm(t.app, `/workbench/accounts/${staff.accountId}/positions`, sec, { organisationId: '武汉市江岸区民政局', roles: 'clerk' });
      expect(dup.statusCode).toBe(400);
      expect((await postForm(t.app, `/workbench/accounts/${staff.accountId}/positions/${positions[1]!.id}/remove`, sec, {})).statusCode).toBe(303);
      const last = await postForm(t.app, `/workbench/accounts/${staff.accountId}/positions/${positions[0]!.id}/remove`, sec, {});
      expect(last.statusCode).toBe(409);
    });

    it('cannot change an administrator account or its own', async () => {
      const audit = await sql<{ id: string }>`SELECT id FROM identity.account WHERE login_name = 'auditadmin'`.execute(t.platform.db);
      expect((await postForm(t.app, `/workbench/accounts/${audit.rows[0]!.id}/disable`, sec, {})).statusCode).toBe(403);
      const self = (await me(sec)) as unknown as { actor: { accountId: string } };
      expect((await postForm(t.app, `/workbench/accounts/${self.actor.accountId}/disable`, sec, {})).statusCode).toBe(403);
    });
  });

  describe('createStaffAccount (command line)', () => {
    it('generates a strong password when none is given, and may create administrators', async () => {
      const org = await resolveOrganisation(organisationsOf(t), '湖北省政务服务和大数据管理局');
      if (!org.ok) throw new Error(org.message);
      const r = await createStaffAccount(t.platform, { loginName: 'cli.auditor', displayName: '命令行审计员', positions: [{ organisationId: org.organisation.id, roles: ['auditadmin'] }] }, { organisations: organisationsOf(t) });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(checkPasswordPolicy(r.value.generatedPassword!)).toEqual([]);
      const s = await signIn(t.app, 'cli.auditor', r.value.generatedPassword!);
      expect(s.actor).toMatchObject({ kind: 'staff', totpVerified: false, position: { roles: ['auditadmin'] } });
      const mixed = await createStaffAccount(t.platform, { loginName: 'cli.mixed', displayName: '混合', positions: [{ organisationId: org.organisation.id, roles: ['auditadmin', 'clerk'] }] }, { organisations: organisationsOf(t) });
      expect(mixed.ok).toBe(false);
      const unknownOrg = await createStaffAccount(t.platform, { loginName: 'cli.nowhere', displayName: '无单位', positions: [{ organisationId: '00000000-0000-4000-8000-000000000000', roles: ['clerk'] }] }, { organisations: organisationsOf(t) });
      expect(unknownOrg.ok).toBe(false);
      expect(await totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', new Date(59_000))).toBe('287082');
    });
  });
});
