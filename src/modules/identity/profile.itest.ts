import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type KyselyPlugin } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildCitizen, organisationsOf, seedDemoAccounts, signIn, type SignedIn } from '../../../test/support/identity.ts';
import { AccountRepository } from './account.repository.ts';
import { loadApplicantProfile, readContact, VERIFIED_LEVEL, type ApplicantProfile, type ProfileKey } from './applicant-profile.ts';
import type { IdentityDeps } from './deps.ts';
import { createIdentityModule, demoLogins } from './index.ts';
import { identityDeps } from './manifest.ts';
import { CONTEXT } from './personal-data.ts';
import { createIdentityService } from './service.ts';

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

/**
 * The profile as it was read before the single statement: account, contact profile, then person or enterprise,
 * one round trip each; and mobileForDelivery's person read. The reference the one-statement read must equal.
 */
async function referenceProfile(deps: IdentityDeps, accountId: string): Promise<ApplicantProfile | null> {
  const account = await deps.accounts.getById(accountId);
  if (!account || account.status !== 'active' || (account.kind !== 'citizen' && account.kind !== 'enterprise')) return null;
  const { details } = await readContact(deps, accountId);
  const values: Partial<Record<ProfileKey, string>> = {};
  const verified: ProfileKey[] = [];
  const set = (k: ProfileKey, v: string | null | undefined) => {
    if (typeof v === 'string' && v !== '') values[k] = v;
  };
  const isVerified = account.realNameLevel >= VERIFIED_LEVEL;
  if (account.kind === 'citizen') {
    const p = await deps.accounts.getPerson(accountId);
    if (!p) return null;
    set('applicant.name', p.name);
    set('applicant.idNumber', deps.cipher.decrypt(p.idNumberEnc, CONTEXT.idNumber));
    set('applicant.mobile', p.mobileEnc ? deps.cipher.decrypt(p.mobileEnc, CONTEXT.mobile) : null);
    set('applicant.email', details.email);
    set('applicant.address', details.address);
    if (isVerified) verified.push('applicant.name', 'applicant.idNumber');
  } else {
    const e = await deps.accounts.getEnterprise(accountId);
    if (!e) return null;
    set('enterprise.name', e.name);
    set('enterprise.uscc', e.uscc);
    set('enterprise.legalRepresentative', e.legalRepName);
    set('enterprise.legalRepIdNumber', deps.cipher.decrypt(e.legalRepIdEnc, CONTEXT.legalRepId));
    set('enterprise.domicile', details.domicile);
    set('applicant.name', details.contactPerson);
    set('applicant.mobile', details.contactPhone);
    set('applicant.email', details.email);
    set('applicant.address', details.domicile);
    if (isVerified) verified.push('enterprise.name', 'enterprise.uscc', 'enterprise.legalRepresentative', 'enterprise.legalRepIdNumber');
  }
  const person = await deps.accounts.getPerson(accountId);
  const deliveryMobile = person?.mobileEnc ? deps.cipher.decrypt(person.mobileEnc, CONTEXT.mobile) : null;
  return { accountId, kind: account.kind, realNameLevel: account.realNameLevel, values, verified, deliveryMobile };
}

describe('applicantProfile in one statement (submission path: profile + delivery mobile)', () => {
  /** Identity deps whose account repository counts the SQL statements it sends. */
  function countingDeps(): { deps: IdentityDeps; statements: () => number; reset: () => void } {
    let n = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        n += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const base = identityDeps(t.platform, organisationsOf(t));
    return { deps: { ...base, accounts: new AccountRepository(t.platform.db.withPlugin(counter)) }, statements: () => n, reset: () => (n = 0) };
  }

  it('equals the multi-query read for a citizen with and without contact details, an enterprise, staff, disabled and unknown accounts', async () => {
    const { deps, statements, reset } = countingDeps();
    const reference = identityDeps(t.platform, organisationsOf(t));
    const fresh = await buildCitizen(t.app, { name: '赵六' }); // no contact profile yet
    const disabled = await buildCitizen(t.app, { name: '钱七' });
    await sql`UPDATE identity.account SET status = 'disabled' WHERE id = ${disabled.accountId}`.execute(t.platform.db);
    const staff = await sql<{ id: string }>`SELECT id FROM identity.account WHERE login_name = 'clerk.jiangan'`.execute(t.platform.db);
    const staffId = staff.rows[0]!.id;
    const cases: [string, string][] = [
      ['citizen with contact profile', citizenId],
      ['citizen without contact profile', fresh.accountId],
      ['enterprise with contact profile', enterpriseId],
      ['staff', staffId],
      ['disabled citizen', disabled.accountId],
      ['unknown id', '00000000-0000-4000-8000-000000000000'],
      ['not a uuid', 'nobody'],
    ];
    const service = createIdentityService(deps, createIdentityModule(t.platform, { organisations: organisationsOf(t) }).authenticator);
    for (const [label, id] of cases) {
      reset();
      const got = await loadApplicantProfile(deps, id);
      expect(statements(), `${label}: statements of applicantProfile`).toBeLessThanOrEqual(1);
      expect(got, label).toEqual(await referenceProfile(reference, id));
      reset();
      const mobile = await service.mobileForDelivery(id);
      expect(statements(), `${label}: statements of mobileForDelivery`).toBeLessThanOrEqual(1);
      if (got) expect(got.deliveryMobile, label).toBe(mobile);
    }

    const c = await loadApplicantProfile(deps, citizenId);
    expect(c).toMatchObject({ kind: 'citizen', deliveryMobile: '13800138000', values: { 'applicant.mobile': '13800138000', 'applicant.address': '武汉市江岸区沿江大道 2 号' } });
    const f = await loadApplicantProfile(deps, fresh.accountId);
    expect(f).toMatchObject({ kind: 'citizen', deliveryMobile: fresh.mobile, values: { 'applicant.name': '赵六', 'applicant.idNumber': fresh.idNumber } });
    expect(f!.values['applicant.email']).toBeUndefined();
    const e = await loadApplicantProfile(deps, enterpriseId);
    expect(e).toMatchObject({ kind: 'enterprise', deliveryMobile: null, values: { 'applicant.mobile': '027-85551234' } });
    expect(await service.mobileForDelivery(enterpriseId)).toBeNull();
    expect(await loadApplicantProfile(deps, staffId)).toBeNull();
    expect(await loadApplicantProfile(deps, disabled.accountId)).toBeNull();
    expect(await service.mobileForDelivery(disabled.accountId)).toBe(disabled.mobile); // unchanged: delivery does not check status
    reset();
    await loadApplicantProfile(deps, citizenId);
    expect(statements()).toBe(1);
  });

  it('the public service carries deliveryMobile as mobileForDelivery returns it', async () => {
    const service = createIdentityModule(t.platform, { organisations: organisationsOf(t) }).service;
    const p = await service.applicantProfile(citizenId);
    expect(p!.deliveryMobile).toBe(await service.mobileForDelivery(citizenId));
    expect(p!.deliveryMobile).toBe('13800138000');
    expect((await service.applicantProfile(enterpriseId))!.deliveryMobile).toBeNull();
  });
});
