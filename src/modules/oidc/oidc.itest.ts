import net from 'node:net';
import { sql } from 'kysely';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { DEMO_PASSWORD, totpCode } from '../identity/index.ts';
import { enrolTotp, randomIp, seedDemoAccounts, signIn, type SignedIn } from '../../../test/support/identity.ts';
import type { TestApp } from '../../../test/support/test-app.ts';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { PayloadRepository } from './payload.repository.ts';

/**
 * The provider end to end, the way a department system uses it: the whole app listens on
 * a loopback port, a real OIDC client library (openid-client) discovers it, and a
 * "browser" (fetch, cookies kept, redirects followed by hand) carries a real Zhengwu
 * session (identity module, demo accounts) through the authorization code + PKCE flow.
 */

/** A browser without JavaScript: cookies by name, redirects followed by hand. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly origin: string) {}

  /** Takes over a session opened with signIn() (POST /api/auth/login). */
  use(session: SignedIn): string {
    const [name, value] = session.cookie.split('=') as [string, string];
    this.cookies.set(name, value);
    return session.csrf;
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/html', cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(url, this.origin), {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0] ?? '';
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (!value || /expires=Thu, 01 Jan 1970|max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
  /**
   * Follows the provider's navigation while it stays on /oidc/… — redirects, Refresh
   * headers, and the provider's self-submitting forms (what a browser does on its own);
   * returns the first response that asks for the user, with where it points otherwise
   * (the client's callback or the login page).
   */
  async follow(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ response: Response; location: URL | null }> {
    let res = await this.request(url, init);
    for (let i = 0; i < 12; i++) {
      const refresh = /^\s*0\s*;\s*url=(.+)$/i.exec(res.headers.get('refresh') ?? '')?.[1];
      const loc = res.status >= 300 && res.status < 400 ? res.headers.get('location') : refresh;
      if (!loc) {
        const selfSubmitting = res.status === 200 ? await selfSubmittingForm(res.clone()) : null;
        if (!selfSubmitting) return { response: res, location: null };
        res = await this.request(selfSubmitting.action, { method: 'POST', form: selfSubmitting.fields });
        continue;
      }
      const next = new URL(loc, this.origin);
      if (next.origin !== this.origin || !next.pathname.startsWith('/oidc/')) return { response: res, location: next };
      res = await this.request(next.href);
    }
    throw new Error('too many redirects');
  }
}

/** oidc-provider's auto-submitting form page (form_post), as JavaScript would submit it. */
async function selfSubmittingForm(res: Response): Promise<{ action: string; fields: Record<string, string> } | null> {
  const page = await res.text();
  if (!page.includes('document.forms[0].submit()')) return null;
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) return null;
  const fields: Record<string, string> = {};
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) fields[m[1]!] = m[2]!;
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** The OAuth error code of a refused token request, however openid-client wraps it. */
function oauthError(e: unknown): string | undefined {
  const err = e as { error?: string; cause?: { parameters?: { error?: string } }[] };
  return err.error ?? err.cause?.[0]?.parameters?.error;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The whole app (real identity sessions) on `database`, listening on `port`. */
async function startOn(database: Database & { backend: 'pglite' | 'postgres' }, port: number): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ZHENGWU_DATA_DIR: '/tmp/zhengwu-test',
    PORT: String(port),
    ZHENGWU_PUBLIC_URL: `http://127.0.0.1:${port}`,
    // Stable across the restart below, should the app encrypt keys with the master key.
    ZHENGWU_MASTER_KEY: 'a1'.repeat(32),
  });
  const zw = await buildApp({ config, database });
  await zw.app.listen({ port, host: '127.0.0.1' });
  return { ...zw, config, backend: database.backend, stop: () => zw.close() };
}

const CALLBACK = 'http://localhost:8123/oidc/callback';
const JIANGAN_ZWJ = '武汉市江岸区政务服务和大数据管理局';
const JIANGAN_MZJ = '武汉市江岸区民政局';

describe('oidc provider: authorization code + PKCE for staff', () => {
  let database: Database & { backend: 'pglite' | 'postgres' };
  let port: number;
  let t: TestApp;
  let origin: string;
  let issuer: string;
  let admin: SignedIn;
  let client: { clientId: string; clientSecret: string };

  const session = (login: string) => signIn(t.app, login, DEMO_PASSWORD, { ip: randomIp() });

  async function register(body: Record<string, unknown>, as: SignedIn = admin) {
    const r = await t.app.inject({ method: 'POST', url: '/api/oidc/clients', headers: as.headers, payload: body });
    return { status: r.statusCode, json: r.json() };
  }

  async function configFor(c: { clientId: string; clientSecret: string }): Promise<oidc.Configuration> {
    return oidc.discovery(new URL(issuer), c.clientId, undefined, oidc.ClientSecretBasic(c.clientSecret), { execute: [oidc.allowInsecureRequests] });
  }

  async function authorizationRequest(config: oidc.Configuration, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile organisation',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ...extra,
    });
    return { url, verifier, state, nonce };
  }

  /** Runs the browser part of the flow; returns the callback URL the provider redirected to. */
  async function toCallback(browser: Browser, url: URL): Promise<URL> {
    const { response, location } = await browser.follow(url.href);
    if (!location || location.origin === origin) throw new Error(`expected a redirect to the client, got ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return location;
  }

  /** The whole flow for a browser: tokens. */
  async function signInThrough(config: oidc.Configuration, browser: Browser) {
    const req = await authorizationRequest(config);
    return oidc.authorizationCodeGrant(config, await toCallback(browser, req.url), { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce });
  }

  async function staffBrowser(login: string): Promise<{ browser: Browser; csrf: string; session: SignedIn }> {
    const browser = new Browser(origin);
    const s = await session(login);
    return { browser, csrf: browser.use(s), session: s };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    port = await freePort();
    t = await startOn(database, port);
    origin = `http://127.0.0.1:${port}`;
    issuer = `${origin}/oidc`;
    await seedDemoAccounts(t);
    // The system administrator must use a second factor before the workbench opens.
    const { secret } = await enrolTotp(t.app, await session('sysadmin'));
    admin = await signIn(t.app, 'sysadmin', DEMO_PASSWORD, { ip: randomIp(), totpCode: await totpCode(secret) });
    const r = await register({ name: '不动产登记业务系统', organisationName: '江岸区自然资源和规划局', redirectUris: [CALLBACK] });
    expect(r.status).toBe(201);
    client = { clientId: r.json.clientId, clientSecret: r.json.clientSecret };
  });
  afterAll(async () => {
    await t?.stop();
    await database?.close();
  });

  it('publishes discovery and a JWKS with RS256 and ES256 public keys', async () => {
    const d = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(d.issuer).toBe(issuer);
    expect(d.authorization_endpoint).toBe(`${issuer}/auth`);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.response_types_supported).toEqual(['code']);
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'organisation']));
    expect(d.claims_supported).toEqual(expect.arrayContaining(['sub', 'name', 'preferred_username', 'organisation', 'positions']));
    expect(d.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
    const jwks = (await (await fetch(String(d.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
  });

  it('signs a staff member in: ID token claims, userinfo, and the sign-in is audited', async () => {
    const config = await configFor(client);
    const { browser, session: clerk } = await staffBrowser('clerk.jiangan');
    const req = await authorizationRequest(config);
    const callback = await toCallback(browser, req.url);
    expect(callback.href.startsWith(CALLBACK)).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: req.verifier, expectedState: req.state, expectedNonce: req.nonce });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: issuer,
      aud: client.clientId,
      sub: clerk.actor.accountId,
      name: '王芳',
      preferred_username: 'clerk.jiangan',
      organisation: { name: JIANGAN_ZWJ, jurisdiction_code: '420102' },
    });
    expect((claims.positions as { organisation_name: string; roles: string[] }[]).map((p) => [p.organisation_name, p.roles])).toEqual([
      [JIANGAN_ZWJ, ['clerk']],
      [JIANGAN_MZJ, ['clerk']],
    ]);
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: claims.sub, name: '王芳', organisation: { name: JIANGAN_ZWJ } });

    const audit = await sql<{ action: string; outcome: string; object_id: string }>`
      SELECT action, outcome, object_id FROM audit.entry WHERE action = 'oidc.sign_in' AND actor_id = ${claims.sub}`.execute(database.db);
    expect(audit.rows).toEqual([{ action: 'oidc.sign_in', outcome: 'success', object_id: client.clientId }]);
  });

  it('names the organisation the staff member is acting for, after a switch of position too', async () => {
    const config = await configFor(client);
    const { browser, csrf, session: clerk } = await staffBrowser('clerk.jiangan');
    expect((await signInThrough(config, browser)).claims()?.organisation).toMatchObject({ name: JIANGAN_ZWJ });
    const positions = clerk.actor.positions as { id: string; organisationName: string }[];
    const civilAffairs = positions.find((p) => p.organisationName === JIANGAN_MZJ)!;
    const switched = await browser.request('/workbench/position', { method: 'POST', form: { _csrf: csrf, positionId: civilAffairs.id } });
    expect(switched.status).toBe(303);
    expect((await signInThrough(config, browser)).claims()?.organisation).toMatchObject({ name: JIANGAN_MZJ });
  });

  it('refuses a code redeemed with the wrong code_verifier', async () => {
    const config = await configFor(client);
    const { browser } = await staffBrowser('clerk.jiangan');
    const { url, state, nonce } = await authorizationRequest(config);
    const callback = await toCallback(browser, url);
    const refused = await oidc
      .authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state, expectedNonce: nonce })
      .catch((e: unknown) => e);
    expect(oauthError(refused)).toBe('invalid_grant');
  });

  it('requires PKCE with S256', async () => {
    const config = await configFor(client);
    const { browser } = await staffBrowser('clerk.jiangan');
    const noPkce = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's1' });
    expect((await toCallback(browser, noPkce)).searchParams.get('error')).toBe('invalid_request');
    const plain = oidc.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', state: 's2', code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' });
    expect((await toCallback(browser, plain)).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a wrong client secret at the token endpoint', async () => {
    const good = await configFor(client);
    const { browser } = await staffBrowser('clerk.jiangan');
    const { url, verifier, state, nonce } = await authorizationRequest(good);
    const callback = await toCallback(browser, url);
    const bad = await configFor({ clientId: client.clientId, clientSecret: `${client.clientSecret}x` });
    const refused = await oidc.authorizationCodeGrant(bad, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }).catch((e: unknown) => e);
    expect(oauthError(refused)).toBe('invalid_client');
  });

  it('sends a visitor to the login page and, after signing in with the form, on to the department system', async () => {
    const config = await configFor(client);
    const browser = new Browser(origin);
    const { url, verifier, state, nonce } = await authorizationRequest(config);
    const { response, location } = await browser.follow(url.href);
    expect(response.status).toBe(303);
    expect(location?.pathname).toBe('/login');
    const next = location!.searchParams.get('next')!;
    expect(next).toMatch(/^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);

    const loginPage = await browser.request(`${location!.pathname}${location!.search}`);
    expect(loginPage.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await loginPage.text())?.[1];
    const signedIn = await browser.request('/login', { method: 'POST', form: { _csrf: csrf!, login: 'head.jiangan', password: DEMO_PASSWORD, next } });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(next);

    // The interaction answers with a page that moves on by itself (not a redirect): the
    // login form's CSP form-action would otherwise stop the chain at the client.
    const interaction = await browser.request(next);
    expect(interaction.status).toBe(200);
    expect(interaction.headers.get('refresh')).toMatch(/^0;url=http:\/\/127\.0\.0\.1:\d+\/oidc\/auth\//);
    const callback = await toCallback(browser, new URL(/^0;url=(.+)$/.exec(interaction.headers.get('refresh')!)![1]!));
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()).toMatchObject({ name: '刘强', preferred_username: 'head.jiangan', positions: [{ roles: ['org_head'] }] });
  });

  it('refuses citizens with a Chinese explanation, audited, and lets them go back', async () => {
    const config = await configFor(client);
    const browser = new Browser(origin);
    const citizen = await session('zhangsan');
    const csrf = browser.use(citizen);
    const { url } = await authorizationRequest(config);
    const { response, location } = await browser.follow(url.href);
    expect(location).toBeNull();
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain('仅限政府工作人员使用');
    expect(page).toContain('只能使用政府工作人员账号登录');
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self' http://localhost:8123");

    const denied = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit.entry WHERE action = 'oidc.sign_in' AND outcome = 'denied' AND actor_id = ${String(citizen.actor.accountId)}`.execute(database.db);
    expect(denied.rows[0]?.n).toBe(1);

    const uid = /\/oidc\/interaction\/([A-Za-z0-9_-]+)\/abort/.exec(page)?.[1];
    expect(uid).toBeTruthy();
    const back = await browser.follow(`/oidc/interaction/${uid}/abort`, { method: 'POST', form: { _csrf: csrf } });
    expect(back.location?.href.startsWith(CALLBACK)).toBe(true);
    expect(back.location?.searchParams.get('error')).toBe('access_denied');
  });

  it('offers RP-initiated logout with a Chinese page whose form may lead back to the client', async () => {
    const config = await configFor(client);
    const { browser } = await staffBrowser('clerk.jiangan');
    await toCallback(browser, (await authorizationRequest(config)).url); // a provider session to end
    const res = await browser.request(`/oidc/session/end?client_id=${client.clientId}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('退出统一身份认证');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('form-action');
  });

  it('refuses an unregistered redirect URI without redirecting to it', async () => {
    const config = await configFor(client);
    const { browser } = await staffBrowser('clerk.jiangan');
    const { url } = await authorizationRequest(config, { redirect_uri: 'https://evil.example/cb' });
    const res = await browser.request(url.href);
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('回调地址未在政务平台登记');
    expect(page).not.toContain('evil.example/cb?code');
  });

  it('asks again when another staff member signs in on the same browser, and after sign-out', async () => {
    const config = await configFor(client);
    const browser = new Browser(origin);
    browser.use(await session('clerk.jiangan'));
    expect((await signInThrough(config, browser)).claims()?.name).toBe('王芳');

    // Another person signs in on this browser; the provider's own session cookie still names 王芳.
    const csrf = browser.use(await session('head.jiangan'));
    expect((await signInThrough(config, browser)).claims()?.name).toBe('刘强');

    const out = await browser.request('/logout', { method: 'POST', form: { _csrf: csrf } });
    expect(out.status).toBe(303);
    expect(browser.cookies.has('zw_sid')).toBe(false);
    const { location } = await browser.follow((await authorizationRequest(config)).url.href);
    expect(location?.pathname).toBe('/login');
  });

  it('shows a consent page to clients registered as requiring it', async () => {
    const r = await register({ name: '市人社局外部系统', organisationName: '武汉市人力资源和社会保障局', redirectUris: [CALLBACK], requireConsent: true });
    expect(r.status).toBe(201);
    const config = await configFor(r.json);
    const { browser, csrf } = await staffBrowser('clerk.daye');
    const { url, verifier, state, nonce } = await authorizationRequest(config);
    const { response, location } = await browser.follow(url.href);
    expect(location).toBeNull();
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('授权“市人社局外部系统”使用您的政务平台账号登录');
    expect(page).toContain('您所在的单位、岗位和角色');
    expect(page).toContain(`name="_csrf" value="${csrf}"`);
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self' http://localhost:8123");
    const uid = /\/oidc\/interaction\/([A-Za-z0-9_-]+)\/confirm/.exec(page)?.[1];

    // Without the CSRF token the confirmation is refused.
    const forged = await browser.request(`/oidc/interaction/${uid}/confirm`, { method: 'POST', form: {} });
    expect(forged.status).toBe(403);

    const confirmed = await browser.follow(`/oidc/interaction/${uid}/confirm`, { method: 'POST', form: { _csrf: csrf } });
    expect(confirmed.location?.href.startsWith(CALLBACK)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, confirmed.location!, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
    expect(tokens.claims()?.name).toBe('陈静');

    // The consent is remembered: the next sign-in goes straight through.
    const again = await authorizationRequest(config);
    expect((await toCallback(browser, again.url)).searchParams.get('code')).toBeTruthy();
  });

  it('stops a disabled client from signing in or redeeming codes', async () => {
    const r = await register({ name: '待停用系统', organisationName: JIANGAN_ZWJ, redirectUris: [CALLBACK] });
    const config = await configFor(r.json);
    const { browser } = await staffBrowser('clerk.jiangan');
    const { url, verifier, state, nonce } = await authorizationRequest(config);
    const callback = await toCallback(browser, url);

    const off = await t.app.inject({ method: 'POST', url: `/api/oidc/clients/${r.json.clientId}/disable`, headers: admin.headers });
    expect(off.statusCode).toBe(200);
    expect(off.json().disabledAt).toBeTruthy();

    const refused = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }).catch((e: unknown) => e);
    expect(oauthError(refused)).toBe('invalid_client');
    const res = await browser.request((await authorizationRequest(config)).url.href);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('未在政务平台登记或已被停用');
  });

  it('validates registrations and names each refused field in Chinese; only the system administrator registers', async () => {
    const api = await register({ name: '', organisationName: '江岸区', redirectUris: ['http://dept.example.gov.cn/cb', 'https://ok.example/cb#x'] });
    expect(api.status).toBe(400);
    expect(api.json.code).toBe('ZW_ERR_VALIDATION');
    expect(api.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'redirectUris']);
    expect(JSON.stringify(api.json.errors)).toContain('必须使用 https');

    const byClerk = await register({ name: 'x', organisationName: 'y', redirectUris: [CALLBACK] }, await session('head.jiangan'));
    expect(byClerk.status).toBe(403);
  });

  it('registers and disables through the workbench: secret shown once, both audited', async () => {
    const browser = new Browser(origin);
    const csrf = browser.use(admin);
    const list = await browser.request('/workbench/oidc-clients');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('不动产登记业务系统');

    const invalid = await browser.request('/workbench/oidc-clients', { method: 'POST', form: { _csrf: csrf, name: '', organisationName: '', redirectUris: 'ftp://x' } });
    expect(invalid.status).toBe(400);
    const form = await invalid.text();
    expect(form).toContain('提交的内容有 3 处需要修改');
    for (const label of ['系统名称', '所属单位', '回调地址']) expect(form).toContain(`${label}：`);

    const created = await browser.request('/workbench/oidc-clients', {
      method: 'POST',
      form: { _csrf: csrf, name: '公文交换系统', organisationName: '湖北省人民政府办公厅', redirectUris: 'https://oa.example.gov.cn/sso/callback\nhttp://127.0.0.1:9000/cb' },
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const page = await created.text();
    const clientId = /<dt>客户端标识（client_id）<\/dt><dd><code>([^<]+)<\/code>/.exec(page)?.[1];
    const secret = /<code id="client-secret">([^<]+)<\/code>/.exec(page)?.[1];
    expect(clientId).toMatch(/^zw-[0-9a-f]{24}$/);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await sql<{ secret_hash: string }>`SELECT secret_hash FROM oidc.client WHERE client_id = ${clientId!}`.execute(database.db);
    expect(stored.rows[0]?.secret_hash).toMatch(/^sha256:/);
    expect(stored.rows[0]?.secret_hash).not.toContain(secret!);
    expect(await browser.request('/workbench/oidc-clients').then((r) => r.text())).not.toContain(secret!);

    const disabled = await browser.request(`/workbench/oidc-clients/${clientId}/disable`, { method: 'POST', form: { _csrf: csrf } });
    expect(disabled.status).toBe(303);
    const again = await browser.request(`/workbench/oidc-clients/${clientId}/disable`, { method: 'POST', form: { _csrf: csrf } });
    expect(again.status).toBe(409);

    const audit = await sql<{ action: string; actor_id: string }>`SELECT action, actor_id FROM audit.entry WHERE object_type = 'oidc_client' AND object_id = ${clientId!} ORDER BY id`.execute(database.db);
    expect(audit.rows).toEqual([
      { action: 'oidc.client.register', actor_id: admin.actor.accountId },
      { action: 'oidc.client.disable', actor_id: admin.actor.accountId },
    ]);

    const { browser: clerkBrowser } = await staffBrowser('clerk.jiangan');
    expect((await clerkBrowser.request('/workbench/oidc-clients')).status).toBe(403);
  });

  it('deletes expired provider artefacts', async () => {
    const payloads = new PayloadRepository(database.db);
    await payloads.upsert('AccessToken', 'expired-token', { payload: { jti: 'expired-token' }, grantId: null, uid: null, userCode: null, expiresAt: new Date(Date.now() - 1000) });
    await payloads.upsert('AccessToken', 'live-token', { payload: { jti: 'live-token' }, grantId: null, uid: null, userCode: null, expiresAt: new Date(Date.now() + 60_000) });
    expect(await payloads.deleteExpired()).toBeGreaterThanOrEqual(1);
    expect(await payloads.find('AccessToken', 'expired-token')).toBeNull();
    expect(await payloads.find('AccessToken', 'live-token')).not.toBeNull();
  });

  it('keeps its keys, clients and secrets across a restart on the same database', async () => {
    const jwksBefore = await (await fetch(`${issuer}/jwks`)).json();
    const config = await configFor(client);
    const { browser } = await staffBrowser('clerk.jiangan');
    const before = await signInThrough(config, browser);

    await t.stop();
    t = await startOn(database, port);

    expect(await (await fetch(`${issuer}/jwks`)).json()).toEqual(jwksBefore);
    // The access token issued before the restart still works (tokens live in the database).
    const userinfo = await oidc.fetchUserInfo(config, before.access_token, before.claims()!.sub);
    expect(userinfo.name).toBe('王芳');
    // So do the provider session (cookie keys kept) and the client's secret.
    const after = await signInThrough(await configFor(client), browser);
    expect(after.claims()?.sub).toBe(before.claims()?.sub);
    const keys = await sql<{ n: number }>`SELECT count(*)::int AS n FROM oidc.signing_key`.execute(database.db);
    expect(keys.rows[0]?.n).toBe(2);
  });
});
