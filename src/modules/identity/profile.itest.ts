import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { organisationsOf, seedDemoAccounts, signIn, type SignedIn } from '../../../test/support/identity.ts';
import { createIdentityModule, demoLogins } from './index.ts';

/** 我的资料 (issue 3): the profile page and API, and IdentityService.applicantProfile for prefill. */
let t: TestApp;
let citizen: SignedIn;
let enterprise: SignedIn;
let citizenId: string;
let enterpriseId: string;
const html = { accept: 'text/html' };
const form = (who: SignedIn, fields: Record<string, string>) => ({
  headers: { ...html, cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({ _csrf: who.csrf, ...fields }).toString(),
});

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoAccounts(t);
  citizen = await signIn(t.app, 'zhangsan');
  enterprise = await signIn(t.app, demoLogins().find((l) => l.role.startsWith('法人用户'))!.login);
  citizenId = citizen.actor.accountId as string;
  enterpriseId = enterprise.actor.accountId as string;
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('我的资料', () => {
  it('shows the real-name data masked and read-only, and the contact fields to edit', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/account/profile', headers: { ...html, cookie: citizen.cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('实名信息（已核验，不可修改）');
    expect(r.body).toContain('张三');
    expect(r.body).toContain('420102********1232');
    expect(r.body).not.toContain('420102199003071232');
    expect(r.body).toMatch(/name="email"/);
    expect(r.body).toMatch(/name="address"/);
    expect(r.body).not.toMatch(/name="idNumber"/);
  });

  it('saves contact details through the page (encrypted at rest, audited by field name) and refuses a stale version with 409', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/account/profile', ...form(citizen, { version: '0', email: 'not-an-email', address: '武汉市江岸区沿江大道 1 号' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('电子邮箱格式不正确');
    expect(bad.body).toContain('武汉市江岸区沿江大道 1 号'); // nothing lost
    const ok = await t.app.inject({ method: 'POST', url: '/account/profile', ...form(citizen, { version: '0', email: 'zhangsan@example.cn', address: '武汉市江岸区沿江大道 1 号' }) });
    expect(ok.statusCode).toBe(303);
    const stored = await sql<{ details_enc: string; version: number }>`SELECT details_enc, version FROM identity.contact_profile WHERE account_id = ${citizenId}`.execute(t.platform.db);
    expect(stored.rows[0]!.version).toBe(1);
    expect(stored.rows[0]!.details_enc).not.toContain('沿江大道');
    expect(stored.rows[0]!.details_enc).not.toContain('zhangsan@example.cn');
    const audit = await sql<{ detail: { changed: string[] } }>`SELECT detail FROM audit.entry WHERE action = 'account.profile.update' AND object_id = ${citizenId}`.execute(t.platform.db);
    expect(audit.rows.at(-1)!.detail.changed.sort()).toEqual(['address', 'email']);
    expect(JSON.stringify(audit.rows)).not.toContain('沿江大道');
    const stale = await t.app.inject({ method: 'POST', url: '/account/profile', ...form(citizen, { version: '0', email: 'other@example.cn', address: '' }) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('刚刚已在别处修改');
  });

  it('GET/PUT /api/me/profile: identifiers masked, version checked, fields named in problem+json', async () => {
    const got = await t.app.inject({ method: 'GET', url: '/api/me/profile', headers: citizen.headers });
    expect(got.statusCode).toBe(200);
    const body = got.json<{ version: number; contact: Record<string, string>; identity: { key: string; value: string }[]; editable: string[] }>();
    expect(body.contact).toEqual({ email: 'zhangsan@example.cn', address: '武汉市江岸区沿江大道 1 号' });
    expect(body.identity.find((x) => x.key === 'idNumber')!.value).toBe('420102********1232');
    expect(body.editable).toEqual(['email', 'address']);
    const put = await t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: citizen.headers, payload: { version: body.version, email: 'zs@example.cn', address: '武汉市江岸区沿江大道 2 号' } });
    expect(put.statusCode).toBe(200);
    expect(put.json<{ version: number }>().version).toBe(body.version + 1);
    const stale = await t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: citizen.headers, payload: { version: body.version, email: 'x@example.cn' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    const wrongKind = await t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: citizen.headers, payload: { version: body.version + 1, contactPerson: '李四' } });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('contactPerson');
  });

  it('an enterprise edits 联系人 / 联系电话 / 住所; a landline is accepted, a wrong number named', async () => {
    const bad = await t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: enterprise.headers, payload: { version: 0, contactPerson: '王五', contactPhone: '12345' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string; message: string }[] }>().errors[0]).toMatchObject({ field: 'contactPhone' });
    const ok = await t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: enterprise.headers, payload: { version: 0, contactPerson: '王五', contactPhone: '027-85551234', domicile: '武汉市江岸区解放大道 100 号' } });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('staff and anonymous users have no profile page', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/api/me/profile' });
    expect(anon.statusCode).toBe(401);
  });
});

describe('IdentityService.applicantProfile (prefill source)', () => {
  it('returns the full values server-side, and which are real-name verified', async () => {
    const service = createIdentityModule(t.platform, { organisations: organisationsOf(t) }).service;
    const p = await service.applicantProfile(citizenId);
    expect(p).toMatchObject({ kind: 'citizen', values: { 'applicant.name': '张三', 'applicant.idNumber': '420102199003071232', 'applicant.mobile': '13800138000', 'applicant.email': 'zs@example.cn', 'applicant.address': '武汉市江岸区沿江大道 2 号' } });
    expect(p!.verified).toEqual(['applicant.name', 'applicant.idNumber']);
    const e = await service.applicantProfile(enterpriseId);
    expect(e).toMatchObject({ kind: 'enterprise', values: { 'applicant.name': '王五', 'applicant.mobile': '027-85551234', 'enterprise.domicile': '武汉市江岸区解放大道 100 号' } });
    expect(e!.values['enterprise.legalRepIdNumber']).toMatch(/^\d{17}[\dX]$/);
  });
});
