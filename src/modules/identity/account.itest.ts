import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { anonymousForm, buildCitizen, lastSmsTo, postForm, randomIp, setCookie, signIn, TEST_PASSWORD, type BuiltCitizen } from '../../../test/support/identity.ts';

describe('the account holder’s pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  const page = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie, accept: 'text/html' } });
  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });

  describe('profile', () => {
    let c: BuiltCitizen;
    beforeAll(async () => {
      c = await buildCitizen(t.app, { name: '刘一' });
    });

    it('shows the ID number and mobile masked', async () => {
      const s = await signIn(t.app, c.loginName, c.password);
      const res = await page('/account', s.cookie);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`${c.idNumber.slice(0, 6)}********${c.idNumber.slice(14)}`);
      expect(res.body).toContain(`${c.mobile.slice(0, 3)}****${c.mobile.slice(7)}`);
      expect(res.body).not.toContain(c.idNumber);
      expect(res.body).not.toContain(c.mobile);
      expect(res.body).toContain('显示完整号码');
    });

    it('“show full number” reveals it once and writes a personal-data.view audit entry', async () => {
      const s = await signIn(t.app, c.loginName, c.password);
      const res = await postForm(t.app, '/account/reveal', s, { field: 'idNumber' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain(c.idNumber);
      expect(res.body).not.toContain(c.mobile);
      const audit = await sql<{ action: string; actor_id: string; object_id: string; detail: Record<string, unknown> }>`
        SELECT action, actor_id, object_id, detail FROM audit.entry WHERE action = 'personal-data.view' ORDER BY id DESC LIMIT 1`.execute(t.platform.db);
      expect(audit.rows[0]).toMatchObject({ actor_id: c.accountId, object_id: c.accountId, detail: { fields: ['idNumber'] } });
      expect(JSON.stringify(audit.rows[0])).not.toContain(c.idNumber);
      const mobile = await postForm(t.app, '/account/reveal', s, { field: 'mobile' });
      expect(mobile.body).toContain(c.mobile);
      const bogus = await postForm(t.app, '/account/reveal', s, { field: 'legalRepIdNumber' });
      expect(bogus.statusCode).toBe(404);
    });

    it('revealing needs the CSRF token (it is a POST with a side effect)', async () => {
      const s = await signIn(t.app, c.loginName, c.password);
      const res = await postForm(t.app, '/account/reveal', { cookie: s.cookie, csrf: 'x' }, { field: 'idNumber' });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('changing the password', () => {
    it('needs the current password and a policy-conforming new one; other sessions end', async () => {
      const c = await buildCitizen(t.app);
      const here = await signIn(t.app, c.loginName, c.password);
      const elsewhere = await signIn(t.app, c.loginName, c.password);
      const bad = await postForm(t.app, '/account/password', here, { currentPassword: 'wrong', newPassword: c.idNumber + 'Aa!', newPasswordConfirm: 'x' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('当前密码：当前密码不正确');
      expect(bad.body).toContain('新密码：密码不能包含身份证号码');
      expect(bad.body).toContain('确认新密码：两次输入的密码不一致');
      const next = 'Another-Passw0rd';
      const ok = await postForm(t.app, '/account/password', here, { currentPassword: c.password, newPassword: next, newPasswordConfirm: next });
      expect(ok.statusCode).toBe(303);
      expect((await me(here.cookie)).statusCode).toBe(200);
      expect((await me(elsewhere.cookie)).statusCode).toBe(401);
      await signIn(t.app, c.loginName, next);
      await expect(signIn(t.app, c.loginName, c.password)).rejects.toThrow(/401/);
    });
  });

  describe('password reset by SMS', () => {
    async function requestCode(identifier: string): Promise<string> {
      const anon = await anonymousForm(t.app);
      const res = await postForm(t.app, '/password/reset', anon, { login: identifier });
      expect(res.statusCode).toBe(303);
      const location = res.headers.location as string;
      expect(location).toMatch(/^\/password\/reset\/confirm\?ticket=[A-Za-z0-9_-]{32}$/);
      return decodeURIComponent(location.split('ticket=')[1]!);
    }
    const confirm = async (fields: Record<string, string>) => postForm(t.app, '/password/reset/confirm', await anonymousForm(t.app), fields);

    it('sends a 6-digit code through the outbox; the code resets the password once and ends every session', async () => {
      const c = await buildCitizen(t.app);
      const session = await signIn(t.app, c.loginName, c.password);
      const ticket = await requestCode(c.mobile);
      const sms = await lastSmsTo(t, c.mobile);
      expect(sms).toMatch(/验证码 \d{6}，15 分钟内有效/);
      const code = /验证码 (\d{6})/.exec(sms!)![1]!;
      // the code is stored hashed only
      const stored = await sql<{ code_hash: string; ticket_hash: string }>`SELECT code_hash, ticket_hash FROM identity.password_reset ORDER BY created_at DESC LIMIT 1`.execute(t.platform.db);
      expect(JSON.stringify(stored.rows)).not.toContain(code);
      expect(JSON.stringify(stored.rows)).not.toContain(ticket);

      const weak = await confirm({ ticket, code, newPassword: 'short', newPasswordConfirm: 'short' });
      expect(weak.statusCode).toBe(400);
      expect(weak.body).toContain('新密码：');
      const next = 'Reset-Passw0rd!';
      const ok = await confirm({ ticket, code, newPassword: next, newPasswordConfirm: next });
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe('/login');
      expect((await me(session.cookie)).statusCode).toBe(401);
      const s = await signIn(t.app, c.loginName, next);
      expect(s.actor).toMatchObject({ realNameLevel: 1 }); // the mobile proved itself
      const again = await confirm({ ticket, code, newPassword: 'Third-Passw0rd!', newPasswordConfirm: 'Third-Passw0rd!' });
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain('验证码不正确或已过期');
    });

    it('answers the same for unknown accounts, sending nothing', async () => {
      const jobs = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue = 'notify.sms'`.execute(t.platform.db)).rows[0]!.n;
      const before = await jobs();
      const ticket = await requestCode('nobody-at-all');
      expect(await jobs()).toBe(before);
      const r = await confirm({ ticket, code: '123456', newPassword: 'Reset-Passw0rd!', newPasswordConfirm: 'Reset-Passw0rd!' });
      expect(r.statusCode).toBe(400);
    });

    it('an expired code is refused; five wrong codes spend the ticket', async () => {
      const c = await buildCitizen(t.app);
      const ticket = await requestCode(c.loginName);
      const code = /验证码 (\d{6})/.exec((await lastSmsTo(t, c.mobile))!)![1]!;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) expect((await confirm({ ticket, code: wrong, newPassword: 'Reset-Passw0rd!', newPasswordConfirm: 'Reset-Passw0rd!' })).statusCode).toBe(400);
      expect((await confirm({ ticket, code, newPassword: 'Reset-Passw0rd!', newPasswordConfirm: 'Reset-Passw0rd!' })).statusCode).toBe(400);

      const ticket2 = await requestCode(c.idNumber);
      const code2 = /验证码 (\d{6})/.exec((await lastSmsTo(t, c.mobile))!)![1]!;
      await sql`UPDATE identity.password_reset SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`.execute(t.platform.db);
      const expired = await confirm({ ticket: ticket2, code: code2, newPassword: 'Reset-Passw0rd!', newPasswordConfirm: 'Reset-Passw0rd!' });
      expect(expired.statusCode).toBe(400);
      await signIn(t.app, c.loginName, TEST_PASSWORD); // unchanged
    });
  });

  it('the JSON sign-in and the form sign-in set the same kind of session', async () => {
    const c = await buildCitizen(t.app);
    const anon = await anonymousForm(t.app);
    const res = await postForm(t.app, '/login', anon, { login: c.loginName, password: c.password }, { ip: randomIp() });
    const cookie = `zw_sid=${setCookie(res, 'zw_sid')!}`;
    expect((await me(cookie)).json()).toMatchObject({ actor: { kind: 'citizen', accountId: c.accountId } });
  });
});
