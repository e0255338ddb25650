import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { anonymousForm, buildCitizen, postForm, randomIp, setCookie, setCookieLine, signIn, type BuiltCitizen } from '../../../test/support/identity.ts';

describe('sign-in, sessions and sign-out', () => {
  let t: TestApp;
  let citizen: BuiltCitizen;
  beforeAll(async () => {
    t = await startTestApp();
    citizen = await buildCitizen(t.app, { name: '张小明' });
  });
  afterAll(async () => t?.stop());

  const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
  const login = (payload: Record<string, unknown>, ip = randomIp(), headers?: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload, ...(headers ? { headers } : {}) });
  const sessionRows = async (accountId: string) => (await sql<{ id: string }>`SELECT id FROM identity.session WHERE account_id = ${accountId}`.execute(t.platform.db)).rows;

  it('signs in by login name, mobile or ID number; the cookie is HttpOnly, SameSite=Lax, path /', async () => {
    for (const id of [citizen.loginName.toUpperCase(), citizen.mobile, citizen.idNumber]) {
      const res = await login({ login: id, password: citizen.password });
      expect(res.statusCode, id).toBe(200);
      const line = setCookieLine(res, 'zw_sid')!;
      expect(line).toMatch(/HttpOnly/);
      expect(line).toMatch(/SameSite=Lax/);
      expect(line).toMatch(/Path=\//);
      expect(line).not.toMatch(/Secure/); // only in production
      expect(res.json()).toMatchObject({ actor: { kind: 'citizen', accountId: citizen.accountId, displayName: '张小明', realNameLevel: 0 } });
    }
  });

  it('stores only the SHA-256 of the cookie token', async () => {
    const s = await signIn(t.app, citizen.loginName, citizen.password);
    const token = s.cookie.slice('zw_sid='.length);
    const ids = (await sessionRows(citizen.accountId)).map((r) => r.id);
    expect(ids).toContain(crypto.createHash('sha256').update(token).digest('hex'));
    expect(ids).not.toContain(token);
  });

  it('GET /api/me shows the actor with masked personal data and the CSRF token', async () => {
    const s = await signIn(t.app, citizen.loginName, citizen.password);
    const res = await me(s.cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ csrfToken: string; account: { person: { idNumberMasked: string; mobileMasked: string } } }>();
    expect(body.csrfToken).toBe(s.csrf);
    expect(body.account.person.idNumberMasked).toBe(`${citizen.idNumber.slice(0, 6)}********${citizen.idNumber.slice(14)}`);
    expect(res.body).not.toContain(citizen.idNumber);
    expect(res.body).not.toContain(citizen.mobile);
  });

  it('signing out deletes the session: the replayed cookie is anonymous', async () => {
    const s = await signIn(t.app, citizen.loginName, citizen.password);
    expect((await me(s.cookie)).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    expect(setCookieLine(out, 'zw_sid')).toMatch(/zw_sid=;/);
    const replay = await me(s.cookie);
    expect(replay.statusCode).toBe(401);
    expect(setCookieLine(replay, 'zw_sid')).toMatch(/zw_sid=;/); // cleared again
  });

  it('the form sign-out works without JavaScript and is audited', async () => {
    const s = await signIn(t.app, citizen.loginName, citizen.password);
    const res = await postForm(t.app, '/logout', s, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect((await me(s.cookie)).statusCode).toBe(401);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'account.sign-out' AND actor_id = ${citizen.accountId}`.execute(t.platform.db);
    expect(audit.rows[0]!.n).toBeGreaterThan(0);
  });

  it('a POST with the session cookie but a missing or forged CSRF token is refused with 403', async () => {
    const s = await signIn(t.app, citizen.loginName, citizen.password);
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ code: 'ZW_ERR_CSRF' });
    const forged = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': crypto.randomBytes(32).toString('base64url') } });
    expect(forged.statusCode).toBe(403);
    const form = await postForm(t.app, '/logout', { cookie: s.cookie, csrf: 'forged' }, {});
    expect(form.statusCode).toBe(403);
    expect((await me(s.cookie)).statusCode).toBe(200); // still signed in
  });

  it('signing in replaces the session the request came with (no fixation) and issues a new CSRF token', async () => {
    const first = await signIn(t.app, citizen.loginName, citizen.password);
    // A request carrying a session cookie must send that session's CSRF token, even to sign in again.
    expect((await login({ login: citizen.loginName, password: citizen.password }, randomIp(), { cookie: first.cookie })).statusCode).toBe(403);
    const res = await login({ login: citizen.loginName, password: citizen.password }, randomIp(), first.headers);
    expect(res.statusCode).toBe(200);
    const second = setCookie(res, 'zw_sid')!;
    expect(`zw_sid=${second}`).not.toBe(first.cookie);
    expect(res.json<{ csrfToken: string }>().csrfToken).not.toBe(first.csrf);
    expect((await me(first.cookie)).statusCode).toBe(401);
    expect((await me(`zw_sid=${second}`)).statusCode).toBe(200);
  });

  it('a forged or malformed cookie is anonymous', async () => {
    expect((await me(`zw_sid=${crypto.randomBytes(32).toString('base64url')}`)).statusCode).toBe(401);
    expect((await me('zw_sid=not-a-token')).statusCode).toBe(401);
  });

  it('a session idle for 30 minutes, or older than 12 hours, is over', async () => {
    const idle = await signIn(t.app, citizen.loginName, citizen.password);
    const old = await signIn(t.app, citizen.loginName, citizen.password);
    const hash = (c: string) => crypto.createHash('sha256').update(c.slice('zw_sid='.length)).digest('hex');
    await sql`UPDATE identity.session SET last_seen_at = now() - interval '31 minutes' WHERE id = ${hash(idle.cookie)}`.execute(t.platform.db);
    await sql`UPDATE identity.session SET created_at = now() - interval '12 hours 1 minute' WHERE id = ${hash(old.cookie)}`.execute(t.platform.db);
    expect((await me(idle.cookie)).statusCode).toBe(401);
    expect((await me(old.cookie)).statusCode).toBe(401);
    const left = await sql`SELECT id FROM identity.session WHERE id IN (${hash(idle.cookie)}, ${hash(old.cookie)})`.execute(t.platform.db);
    expect(left.rows).toHaveLength(0);
  });

  it('last_seen_at is written at most once a minute', async () => {
    const s = await signIn(t.app, citizen.loginName, citizen.password);
    const id = crypto.createHash('sha256').update(s.cookie.slice('zw_sid='.length)).digest('hex');
    const seen = async () => (await sql<{ t: Date }>`SELECT last_seen_at AS t FROM identity.session WHERE id = ${id}`.execute(t.platform.db)).rows[0]!.t.getTime();
    const before = await seen();
    await me(s.cookie);
    expect(await seen()).toBe(before);
    await sql`UPDATE identity.session SET last_seen_at = now() - interval '2 minutes' WHERE id = ${id}`.execute(t.platform.db);
    const backdated = await seen();
    // A change made outside this process is seen once the 2-second session read cache lapses.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await me(s.cookie);
    expect(await seen()).toBeGreaterThan(backdated);
  });

  it('wrong passwords: 401 with one message for unknown accounts and wrong passwords; both audited, never the password', async () => {
    const unknown = await login({ login: 'nobody-here', password: 'Wrong-Password1' });
    const wrong = await login({ login: citizen.mobile, password: 'Wrong-Password1' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json<{ detail: string }>().detail).toBe(wrong.json<{ detail: string }>().detail);
    const rows = await sql<{ outcome: string; object_id: string | null; detail: Record<string, unknown> }>`
      SELECT outcome, object_id, detail FROM audit.entry WHERE action = 'account.sign-in' AND outcome = 'denied' ORDER BY id DESC LIMIT 2`.execute(t.platform.db);
    expect(rows.rows.map((r) => r.detail.reason)).toEqual(['bad-password', 'unknown-account']);
    expect(rows.rows[0]!.object_id).toBe(citizen.accountId);
    expect(rows.rows[0]!.detail.identifierKind).toBe('mobile');
    const text = JSON.stringify(rows.rows);
    expect(text).not.toContain('Wrong-Password1');
    expect(text).not.toContain(citizen.mobile); // masked
    await sql`UPDATE identity.account SET failed_logins = 0 WHERE id = ${citizen.accountId}`.execute(t.platform.db);
  });

  it('five failures lock the account for 15 minutes: 423, Retry-After, the unlock time in Asia/Shanghai', async () => {
    const victim = await buildCitizen(t.app);
    for (let i = 1; i <= 4; i++) expect((await login({ login: victim.loginName, password: `Wrong-Passw0rd${i}` })).statusCode).toBe(401);
    const fifth = await login({ login: victim.loginName, password: 'Wrong-Passw0rd5' });
    expect(fifth.statusCode).toBe(423);
    const retry = Number(fifth.headers['retry-after']);
    expect(retry).toBeGreaterThan(14 * 60);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    const lockedUntil = (await sql<{ t: Date }>`SELECT locked_until AS t FROM identity.account WHERE id = ${victim.accountId}`.execute(t.platform.db)).rows[0]!.t;
    const shown = new Date(Math.ceil(lockedUntil.getTime() / 60_000) * 60_000);
    const hhmm = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(shown);
    expect(fifth.json<{ detail: string; code: string }>()).toMatchObject({ code: 'ZW_ERR_AUTH_LOCKED', detail: `连续 5 次验证失败，账号已锁定，请于 ${hhmm} 后再试` });
    // even the right password is refused while locked, and the refusal is audited
    const right = await login({ login: victim.loginName, password: victim.password });
    expect(right.statusCode).toBe(423);
    expect(right.json<{ detail: string }>().detail).toBe(`账号已锁定，请于 ${hhmm} 后再试`);
    expect(right.headers['retry-after']).toBeDefined();
    // the page says the same
    const anon = await anonymousForm(t.app);
    const page = await postForm(t.app, '/login', anon, { login: victim.loginName, password: victim.password });
    expect(page.statusCode).toBe(423);
    expect(page.body).toContain(`账号已锁定，请于 ${hhmm} 后再试`);
    // once the lock has passed, the right password works and the count starts again
    await sql`UPDATE identity.account SET locked_until = now() - interval '1 second' WHERE id = ${victim.accountId}`.execute(t.platform.db);
    expect((await login({ login: victim.loginName, password: victim.password })).statusCode).toBe(200);
    const reasons = await sql<{ reason: string }>`SELECT detail->>'reason' AS reason FROM audit.entry WHERE object_id = ${victim.accountId} AND action = 'account.sign-in' AND outcome = 'denied' ORDER BY id`.execute(t.platform.db);
    expect(reasons.rows.map((r) => r.reason)).toEqual(['bad-password', 'bad-password', 'bad-password', 'bad-password', 'bad-password', 'locked', 'locked']);
  });

  it('more than 20 sign-in attempts a minute from one address: 429 in Chinese', async () => {
    const ip = randomIp();
    let last = await login({ login: 'nobody', password: 'x' }, ip);
    for (let i = 0; i < 20; i++) last = await login({ login: 'nobody', password: 'x' }, ip);
    expect(last.statusCode).toBe(429);
    expect(last.json<{ code: string; detail: string }>()).toMatchObject({ code: 'ZW_ERR_RATE_LIMITED', detail: expect.stringMatching(/^登录尝试过于频繁，请 \d+ 秒后再试$/) as string });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    // another address is not affected
    expect((await login({ login: 'nobody', password: 'x' }, randomIp())).statusCode).toBe(401);
  });

  describe('the sign-in form (no JavaScript)', () => {
    it('signs in and goes to a local `next`, never elsewhere', async () => {
      const anon = await anonymousForm(t.app);
      const ok = await postForm(t.app, '/login', anon, { login: citizen.loginName, password: citizen.password, next: '/account/password' });
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe('/account/password');
      expect(setCookie(ok, 'zw_sid')).toBeTruthy();
      for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
        const r = await postForm(t.app, '/login', anon, { login: citizen.loginName, password: citizen.password, next });
        expect(r.headers.location, next).toBe('/account');
      }
    });

    it('shows the refusal on the form, keeping the login but not the password', async () => {
      const anon = await anonymousForm(t.app);
      const r = await postForm(t.app, '/login', anon, { login: citizen.loginName, password: 'Wrong-Passw0rd!' });
      expect(r.statusCode).toBe(401);
      expect(r.body).toContain('账号或密码不正确');
      expect(r.body).toContain(`value="${citizen.loginName}"`);
      expect(r.body).not.toContain('Wrong-Passw0rd!');
      const empty = await postForm(t.app, '/login', anon, { login: '', password: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.body).toContain('账号：请填写用户名、手机号码或身份证号码');
      expect(empty.body).toContain('密码：请填写密码');
      await sql`UPDATE identity.account SET failed_logins = 0 WHERE id = ${citizen.accountId}`.execute(t.platform.db);
    });

    it('a signed-in visitor opening /login goes home; an anonymous one opening an account page goes to /login?next=', async () => {
      const s = await signIn(t.app, citizen.loginName, citizen.password);
      const r = await t.app.inject({ method: 'GET', url: '/login', headers: { cookie: s.cookie, accept: 'text/html' } });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/account');
      const anon = await t.app.inject({ method: 'GET', url: '/account', headers: { accept: 'text/html' } });
      // The status is the platform error handler's (a redirect); the target is what matters here.
      expect(anon.headers.location).toBe('/login?next=%2Faccount');
    });
  });

  it('a disabled account cannot sign in, and its sessions end', async () => {
    const c = await buildCitizen(t.app);
    const s = await signIn(t.app, c.loginName, c.password);
    await sql`UPDATE identity.account SET status = 'disabled' WHERE id = ${c.accountId}`.execute(t.platform.db);
    expect((await me(s.cookie)).statusCode).toBe(401);
    const r = await login({ login: c.loginName, password: c.password });
    expect(r.statusCode).toBe(403);
    expect(r.json<{ detail: string }>().detail).toBe('账号已停用，如有疑问请联系管理员');
  });
});

describe('session cookie in production', () => {
  it('is Secure', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', ZHENGWU_MASTER_KEY: crypto.randomBytes(32).toString('hex'), ZHENGWU_METRICS_TOKEN: crypto.randomBytes(24).toString('hex') });
    try {
      const c = await buildCitizen(t.app);
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: randomIp(), payload: { login: c.loginName, password: c.password } });
      expect(res.statusCode).toBe(200);
      expect(setCookieLine(res, 'zw_sid')).toMatch(/; Secure/);
      expect(setCookieLine(res, 'zw_sid')).toMatch(/HttpOnly/);
    } finally {
      await t.stop();
    }
  });
});
