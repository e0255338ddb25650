import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Response } from 'light-my-request';
import { citizenIdCheckCharacter } from '../../src/platform/codes/validators.ts';
import type { RoleCode } from '../../src/platform/auth/actor.ts';
import { seedJurisdictions } from '../../src/modules/jurisdictions/index.ts';
import { createStaffAccount, DEMO_PASSWORD, resolveOrganisation, totpCode, type OrganisationLookup } from '../../src/modules/identity/index.ts';
import { createJurisdictionsModule } from '../../src/modules/jurisdictions/index.ts';
import type { TestApp } from './test-app.ts';

/**
 * Signing in for real in integration tests (the identity module's sessions, not the
 * header authenticator of test-auth.ts). Every helper talks HTTP through inject(), so
 * cookies, CSRF and rate limits behave as in production.
 *
 *   const t = await startTestApp();
 *   await seedDemoAccounts(t);                         // jurisdictions + identity demo data
 *   const clerk = await signIn(t.app, 'clerk.jiangan', DEMO_PASSWORD);
 *   await t.app.inject({ method: 'POST', url: '/api/…', headers: clerk.headers, payload: {…} });
 */
export interface SignedIn {
  /** `zw_sid=<token>`, ready for a `cookie` header. */
  cookie: string;
  /** The session's CSRF token (X-CSRF-Token header or `_csrf` form field). */
  csrf: string;
  /** { cookie, 'x-csrf-token' } for JSON calls made with the session. */
  headers: Record<string, string>;
  actor: Record<string, unknown>;
}

/** A random client address, so tests do not share the per-IP sign-in rate limit. */
export function randomIp(): string {
  const b = crypto.randomBytes(3);
  return `10.${b[0]}.${b[1]}.${Math.max(1, b[2]!)}`;
}

/** The value of a cookie set by a response, or null. */
export function setCookie(res: Response, name: string): string | null {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  for (const c of list) {
    const [pair] = c.split(';');
    const [k, ...v] = pair!.split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/** The full Set-Cookie line of a cookie (to check its flags), or null. */
export function setCookieLine(res: Response, name: string): string | null {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.find((c) => c.startsWith(`${name}=`)) ?? null;
}

/** Signs in through POST /api/auth/login; throws with the problem detail when refused. */
export async function signIn(app: FastifyInstance, login: string, password: string = DEMO_PASSWORD, opts: { totpCode?: string; ip?: string } = {}): Promise<SignedIn> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: opts.ip ?? randomIp(),
    payload: { login, password, ...(opts.totpCode ? { totpCode: opts.totpCode } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`signIn(${login}) → ${res.statusCode} ${res.body}`);
  const token = setCookie(res, 'zw_sid');
  if (!token) throw new Error('signIn: no session cookie');
  const body = res.json<{ csrfToken: string; actor: Record<string, unknown> }>();
  const cookie = `zw_sid=${token}`;
  return { cookie, csrf: body.csrfToken, headers: { cookie, 'x-csrf-token': body.csrfToken }, actor: body.actor };
}

/** An anonymous visitor's form context: the double-submit CSRF cookie and token (GET /login). */
export async function anonymousForm(app: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({ method: 'GET', url: '/login', headers: { accept: 'text/html' } });
  const csrf = setCookie(res, 'zw_csrf');
  if (!csrf) throw new Error('anonymousForm: no zw_csrf cookie');
  return { cookie: `zw_csrf=${csrf}`, csrf };
}

/** Posts an HTML form (urlencoded, with `_csrf`) the way a browser without JavaScript does. */
export function postForm(app: FastifyInstance, url: string, session: { cookie: string; csrf: string }, fields: Record<string, string | string[]>, opts: { ip?: string } = {}) {
  const body = new URLSearchParams();
  body.append('_csrf', session.csrf);
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return app.inject({
    method: 'POST',
    url,
    remoteAddress: opts.ip ?? randomIp(),
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: body.toString(),
  });
}

/** A valid, random GB 11643 ID number (default: 武汉市江岸区, born 1960–1999). */
export function validCitizenId(opts: { address?: string; birthDate?: string; female?: boolean } = {}): string {
  const birth = opts.birthDate ?? `${1960 + crypto.randomInt(40)}${String(1 + crypto.randomInt(12)).padStart(2, '0')}${String(1 + crypto.randomInt(28)).padStart(2, '0')}`;
  let seq = crypto.randomInt(1000);
  if (opts.female !== undefined && (seq % 2 === 0) !== opts.female) seq = (seq + 1) % 1000;
  const first17 = `${opts.address ?? '420102'}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckCharacter(first17);
}

/** A random mainland mobile number (139…). */
export function randomMobile(): string {
  return `139${String(crypto.randomInt(100_000_000)).padStart(8, '0')}`;
}

export const TEST_PASSWORD = 'Test-Passw0rd!';

export interface BuiltCitizen {
  accountId: string;
  loginName: string;
  password: string;
  idNumber: string;
  mobile: string;
  name: string;
}

/** Registers a citizen through POST /api/accounts/citizens (the real command, real validation). */
export async function buildCitizen(app: FastifyInstance, overrides: Partial<Omit<BuiltCitizen, 'accountId'>> = {}): Promise<BuiltCitizen> {
  const c = {
    name: overrides.name ?? '测试市民',
    idNumber: overrides.idNumber ?? validCitizenId(),
    mobile: overrides.mobile ?? randomMobile(),
    loginName: overrides.loginName ?? `citizen${crypto.randomBytes(4).toString('hex')}`,
    password: overrides.password ?? TEST_PASSWORD,
  };
  const res = await app.inject({ method: 'POST', url: '/api/accounts/citizens', remoteAddress: randomIp(), payload: c });
  if (res.statusCode !== 201) throw new Error(`buildCitizen → ${res.statusCode} ${res.body}`);
  return { ...c, accountId: res.json<{ accountId: string }>().accountId };
}

/** The jurisdictions module's organisations of a test app (ids by full name). */
export function organisationsOf(t: TestApp): OrganisationLookup {
  return createJurisdictionsModule(t.platform).service;
}

/**
 * Demo data of jurisdictions (divisions of Hubei, demo organisations) and identity (demo
 * accounts, password DEMO_PASSWORD; see demoLogins()). About 3 s on PGlite.
 */
export async function seedDemoAccounts(t: TestApp): Promise<void> {
  await seedJurisdictions(t.platform);
  const identity = t.modules.find((m) => m.name === 'identity');
  await identity?.seed?.(t.platform);
}

/**
 * A staff account with `roles` in each named organisation (needs seedDemoAccounts or
 * other organisations first). Administrator roles are allowed (the system creates it).
 */
export async function buildStaffAccount(
  t: TestApp,
  opts: { roles: RoleCode[]; organisations?: string[]; loginName?: string; displayName?: string; password?: string },
): Promise<{ accountId: string; loginName: string; password: string }> {
  const lookup = organisationsOf(t);
  const positions = [];
  for (const name of opts.organisations ?? ['武汉市江岸区政务服务和大数据管理局']) {
    const m = await resolveOrganisation(lookup, name);
    if (!m.ok) throw new Error(`buildStaffAccount: ${m.message}`);
    positions.push({ organisationId: m.organisation.id, roles: opts.roles });
  }
  const loginName = opts.loginName ?? `staff${crypto.randomBytes(4).toString('hex')}`;
  const password = opts.password ?? TEST_PASSWORD;
  const r = await createStaffAccount(t.platform, { loginName, displayName: opts.displayName ?? '测试人员', password, positions }, { organisations: lookup, actorName: 'test' });
  if (!r.ok) throw new Error(`buildStaffAccount: ${r.message} ${JSON.stringify(r.fields ?? [])}`);
  return { accountId: r.value.accountId, loginName, password };
}

/**
 * Enrols TOTP through the account pages (start → read the secret off the page → confirm
 * with the code of the previous time step, so the current and next steps stay usable
 * for sign-ins). Returns the secret and the ten recovery codes shown once.
 */
export async function enrolTotp(app: FastifyInstance, session: { cookie: string; csrf: string }): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await postForm(app, '/account/security/totp', session, {});
  if (start.statusCode !== 303) throw new Error(`enrolTotp start → ${start.statusCode} ${start.body.slice(0, 300)}`);
  const page = await app.inject({ method: 'GET', url: '/account/security', headers: { cookie: session.cookie, accept: 'text/html' } });
  const m = /密钥（手动输入）：<code>([A-Z2-7 ]+)<\/code>/.exec(page.body);
  if (!m) throw new Error('enrolTotp: secret not shown');
  const secret = m[1]!.replace(/ /g, '');
  let confirm = await postForm(app, '/account/security/totp/confirm', session, { code: await totpCode(secret, new Date(Date.now() - 30_000)) });
  // A time-step boundary passed between making and checking the code: once more.
  if (confirm.statusCode === 400) confirm = await postForm(app, '/account/security/totp/confirm', session, { code: await totpCode(secret, new Date(Date.now() - 30_000)) });
  if (confirm.statusCode !== 200) throw new Error(`enrolTotp confirm → ${confirm.statusCode} ${confirm.body.slice(0, 500)}`);
  const recoveryCodes = [...confirm.body.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((x) => x[1]!);
  return { secret, recoveryCodes };
}

/** The last SMS the outbox holds for a mobile number (e.g. a password-reset code). */
export async function lastSmsTo(t: TestApp, mobile: string): Promise<string | null> {
  const { sql } = await import('kysely');
  const r = await sql<{ body: string }>`SELECT payload->>'body' AS body FROM platform.job WHERE queue = 'notify.sms' AND payload->>'to' = ${mobile} ORDER BY id DESC LIMIT 1`.execute(t.platform.db);
  return r.rows[0]?.body ?? null;
}

export { DEMO_PASSWORD };
