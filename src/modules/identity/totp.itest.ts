import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import {
  anonymousForm,
  buildCitizen,
  buildStaffAccount,
  enrolTotp,
  postForm,
  randomIp,
  seedDemoAccounts,
  setCookie,
  signIn,
  type BuiltCitizen,
} from '../../../test/support/identity.ts';
import { totpCode } from './index.ts';

describe('TOTP (动态口令)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoAccounts(t);
  });
  afterAll(async () => t?.stop());

  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
  const apiLogin = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: randomIp(), payload });
  const page = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie, accept: 'text/html' } });
  const later = (steps: number) => new Date(Date.now() + steps * 30_000);

  describe('enrolment and sign-in', () => {
    let c: BuiltCitizen;
    let secret: string;
    let recoveryCodes: string[];

    beforeAll(async () => {
      c = await buildCitizen(t.app);
    });

    it('shows the secret, the otpauth URI and an inline QR code; a wrong code is refused on the form', async () => {
      const s = await signIn(t.app, c.loginName, c.password);
      const before = await page('/account/security', s.cookie);
      expect(before.body).toContain('开始绑定动态口令');
      expect((await postForm(t.app, '/account/security/totp', s, {})).statusCode).toBe(303);
      const pending = await page('/account/security', s.cookie);
      expect(pending.headers['cache-control']).toBe('no-store');
      expect(pending.body).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(pending.body).toContain('otpauth://totp/');
      expect(pending.body).toMatch(/密钥（手动输入）：<code>[A-Z2-7 ]+<\/code>/);
      const wrong = await postForm(t.app, '/account/security/totp/confirm', s, { code: '000000' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('验证码：验证码不正确');
      ({ secret, recoveryCodes } = await enrolTotp(t.app, s));
      expect(recoveryCodes).toHaveLength(10);
      const row = (await sql<{ totp_enabled: boolean; totp_secret: string }>`SELECT totp_enabled, totp_secret FROM identity.account WHERE id = ${c.accountId}`.execute(t.platform.db)).rows[0]!;
      expect(row.totp_enabled).toBe(true);
      expect(row.totp_secret).not.toContain(secret); // encrypted
      const codes = await sql<{ code_hash: string }>`SELECT code_hash FROM identity.recovery_code WHERE account_id = ${c.accountId}`.execute(t.platform.db);
      expect(codes.rows).toHaveLength(10);
      expect(codes.rows.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);
    });

    it('the sign-in form asks for the code in a second step; until then nobody is signed in', async () => {
      const anon = await anonymousForm(t.app);
      const first = await postForm(t.app, '/login', anon, { login: c.loginName, password: c.password, next: '/account/password' });
      expect(first.statusCode).toBe(303);
      expect(first.headers.location).toBe('/login/totp?next=%2Faccount%2Fpassword');
      const pendingCookie = `zw_sid=${setCookie(first, 'zw_sid')!}`;
      expect((await me(pendingCookie)).statusCode).toBe(401);
      const step = await page('/login/totp', pendingCookie);
      expect(step.statusCode).toBe(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(step.body)![1]!;
      const bad = await postForm(t.app, '/login/totp', { cookie: pendingCookie, csrf }, { code: '123456' });
      expect(bad.statusCode).toBe(401);
      expect(bad.body).toContain('动态验证码或恢复码不正确');
      const done = await postForm(t.app, '/login/totp?next=%2Faccount%2Fpassword', { cookie: pendingCookie, csrf }, { code: await totpCode(secret) });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/account/password');
      const full = `zw_sid=${setCookie(done, 'zw_sid')!}`;
      expect(full).not.toBe(pendingCookie); // the session id rotates again after the second factor
      expect((await me(full)).statusCode).toBe(200);
      expect((await me(pendingCookie)).statusCode).toBe(401);
      await sql`UPDATE identity.account SET failed_logins = 0 WHERE id = ${c.accountId}`.execute(t.platform.db);
    });

    it('the API needs totpCode with the password; a used code is not accepted again', async () => {
      const without = await apiLogin({ login: c.loginName, password: c.password });
      expect(without.statusCode).toBe(401);
      expect(without.json()).toMatchObject({ code: 'ZW_ERR_AUTH_TOTP_REQUIRED' });
      const code = await totpCode(secret, later(1));
      expect((await apiLogin({ login: c.loginName, password: c.password, totpCode: code })).statusCode).toBe(200);
      const replay = await apiLogin({ login: c.loginName, password: c.password, totpCode: code });
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ code: 'ZW_ERR_AUTH_TOTP_INVALID' });
      await sql`UPDATE identity.account SET failed_logins = 0 WHERE id = ${c.accountId}`.execute(t.platform.db);
    });

    it('a recovery code works once', async () => {
      const code = recoveryCodes[3]!;
      expect((await apiLogin({ login: c.loginName, password: c.password, totpCode: code.toUpperCase() })).statusCode).toBe(200);
      const again = await apiLogin({ login: c.loginName, password: c.password, totpCode: code });
      expect(again.statusCode).toBe(401);
      const used = await sql<{ n: number }>`SELECT count(*)::int AS n FROM identity.recovery_code WHERE account_id = ${c.accountId} AND used_at IS NOT NULL`.execute(t.platform.db);
      expect(used.rows[0]!.n).toBe(1);
      const audit = await sql<{ method: string }>`SELECT detail->>'secondFactor' AS method FROM audit.entry WHERE object_id = ${c.accountId} AND action = 'account.sign-in' AND outcome = 'success' ORDER BY id DESC LIMIT 1`.execute(t.platform.db);
      expect(audit.rows[0]!.method).toBe('recovery-code');
      await sql`UPDATE identity.account SET failed_logins = 0 WHERE id = ${c.accountId}`.execute(t.platform.db);
    });

    it('a recovery code also completes the form sign-in', async () => {
      const anon = await anonymousForm(t.app);
      const first = await postForm(t.app, '/login', anon, { login: c.loginName, password: c.password });
      const pendingCookie = `zw_sid=${setCookie(first, 'zw_sid')!}`;
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await page('/login/totp', pendingCookie)).body)![1]!;
      const done = await postForm(t.app, '/login/totp', { cookie: pendingCookie, csrf }, { code: recoveryCodes[5]! });
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/account');
    });

    it('wrong codes count towards the lockout', async () => {
      for (let i = 0; i < 4; i++) expect((await apiLogin({ login: c.loginName, password: c.password, totpCode: '000000' })).statusCode).toBe(401);
      const fifth = await apiLogin({ login: c.loginName, password: c.password, totpCode: '000000' });
      expect(fifth.statusCode).toBe(423);
      expect(fifth.json<{ detail: string }>().detail).toMatch(/^连续 5 次验证失败，账号已锁定，请于 \d\d:\d\d 后再试$/);
      await sql`UPDATE identity.account SET failed_logins = 0, locked_until = NULL WHERE id = ${c.accountId}`.execute(t.platform.db);
    });

    it('can be turned off with the password', async () => {
      const s = await signIn(t.app, c.loginName, c.password, { totpCode: recoveryCodes[0]! });
      const wrong = await postForm(t.app, '/account/security/totp/disable', s, { password: 'not-the-password' });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('密码：密码不正确');
      const ok = await postForm(t.app, '/account/security/totp/disable', s, { password: c.password });
      expect(ok.statusCode).toBe(303);
      expect((await apiLogin({ login: c.loginName, password: c.password })).statusCode).toBe(200);
      const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM identity.recovery_code WHERE account_id = ${c.accountId}`.execute(t.platform.db);
      expect(left.rows[0]!.n).toBe(0);
    });
  });

  describe('administrators must enrol before using the workbench', () => {
    it('a security administrator without TOTP is sent to enrolment, then reaches the workbench', async () => {
      const admin = await buildStaffAccount(t, { roles: ['secadmin'], organisations: ['湖北省政务服务和大数据管理局'] });
      const anon = await anonymousForm(t.app);
      const signed = await postForm(t.app, '/login', anon, { login: admin.loginName, password: admin.password });
      expect(signed.statusCode).toBe(303);
      expect(signed.headers.location).toBe('/account/security');
      const cookie = `zw_sid=${setCookie(signed, 'zw_sid')!}`;

      const blocked = await page('/workbench/accounts', cookie);
      expect(blocked.headers.location).toBe('/login?next=%2Fworkbench%2Faccounts');
      const bounce = await page('/login?next=%2Fworkbench%2Faccounts', cookie);
      expect(bounce.headers.location).toBe('/account/security');
      const api = await t.app.inject({ method: 'GET', url: '/workbench/accounts', headers: { cookie } });
      expect(api.statusCode).toBe(401);
      expect(api.json()).toMatchObject({ code: 'ZW_ERR_AUTH_TOTP_REQUIRED' });

      const security = await page('/account/security', cookie);
      expect(security.statusCode).toBe(200);
      expect(security.body).toContain('须先绑定动态口令');
      const csrf = /name="_csrf" value="([^"]+)"/.exec(security.body)![1]!;
      const { secret } = await enrolTotp(t.app, { cookie, csrf });
      expect((await page('/workbench/accounts', cookie)).statusCode).toBe(200);

      // next time the code is asked at sign-in, and the workbench opens straight away
      const again = await signIn(t.app, admin.loginName, admin.password, { totpCode: await totpCode(secret) });
      expect(again.actor).toMatchObject({ kind: 'staff', totpVerified: true });
      expect((await page('/workbench/accounts', again.cookie)).statusCode).toBe(200);
    });

    it('the demo administrators are not pre-enrolled', async () => {
      const rows = await sql<{ login_name: string; totp_enabled: boolean }>`SELECT login_name, totp_enabled FROM identity.account WHERE login_name IN ('sysadmin', 'secadmin', 'auditadmin') ORDER BY login_name`.execute(t.platform.db);
      expect(rows.rows).toEqual([
        { login_name: 'auditadmin', totp_enabled: false },
        { login_name: 'secadmin', totp_enabled: false },
        { login_name: 'sysadmin', totp_enabled: false },
      ]);
    });
  });
});
