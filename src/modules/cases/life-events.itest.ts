import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildCitizen, buildStaffAccount, randomMobile, seedDemoAccounts, signIn, validCitizenId, type SignedIn } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { demoLogins } from '../identity/index.ts';
import { materialKey } from './commands/submit-life-event.ts';
import { fillForm } from './test-fixtures.ts';
import { multipart } from '../../../test/support/multipart.ts';

/**
 * 一件事 (issue 3) on the seeded catalog: a reviewer of 江岸区 bundles three published items of three
 * departments (户口迁移 at 公安江岸分局, 最低生活保障 at 江岸区民政局, 生育登记 at 江岸区卫健局; 居民户口簿
 * is needed by two of them); a citizen applies once through the API and the page. All or nothing,
 * idempotent, owner-only, and each department sees only its own case.
 */
let t: TestApp;
let citizen: SignedIn;
let other: SignedIn;
let enterprise: SignedIn;
let head: SignedIn;
let policeClerk: SignedIn;
let lifeEventId: string;
let itemCodes: string[];
let form: { fields: { name: string; type: string; label: string; options?: { value: string }[]; min?: number; prefill?: string }[] };
const ORGS = ['武汉市公安局江岸区分局', '武汉市江岸区民政局', '武汉市江岸区卫生健康局'];
const ITEMS = ['户口迁移（市外迁入）', '最低生活保障审核确认', '生育登记'];


async function upload(who: SignedIn, label: string): Promise<string> {
  const body = multipart([{ name: 'file', filename: `${label}.pdf`, content: SAMPLES.pdf, type: 'application/pdf' }]);
  const r = await t.app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(label)}`, headers: { ...who.headers, 'content-type': body.contentType }, payload: body.payload });
  expect(r.statusCode).toBe(201);
  return r.json<{ attachmentId: string }>().attachmentId;
}

const MATERIALS = ['居民户口簿', '合法稳定住所证明', '家庭成员收入及财产状况的声明和授权核对书'];

async function materialsFor(who: SignedIn) {
  const out = [];
  for (const name of MATERIALS) out.push({ name, attachmentId: await upload(who, name) });
  return out;
}

const validValues = () => fillForm(form as never, { idNumber: validCitizenId(), mobile: randomMobile(), name: '张三' });

async function apply(who: SignedIn, values: Record<string, unknown>, materials: { name: string; attachmentId: string }[], key: string = crypto.randomUUID()) {
  return t.app.inject({ method: 'POST', url: `/api/life-events/${lifeEventId}/applications`, headers: { ...who.headers, 'idempotency-key': key }, payload: { values, materials } });
}

async function counts() {
  const r = await sql<{ bundles: number; cases: number; numbers: number }>`SELECT
    (SELECT count(*)::int FROM cases.bundle) AS bundles,
    (SELECT count(*)::int FROM cases.case) AS cases,
    (SELECT count(*)::int FROM registry.number_counter WHERE generator_id IN ('life-event', 'case')) AS numbers`.execute(t.platform.db);
  return r.rows[0]!;
}

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoAccounts(t);
  await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
  const rows = await sql<{ implementation_code: string; name: string; organisation_name: string }>`
    SELECT implementation_code, name, organisation_name FROM catalog.implementation_item WHERE organisation_name = ANY(${ORGS}) AND name = ANY(${ITEMS})`.execute(t.platform.db);
  itemCodes = ITEMS.map((name, i) => rows.rows.find((r) => r.name === name && r.organisation_name === ORGS[i])!.implementation_code);
  const h = await buildStaffAccount(t, { roles: ['org_head'], organisations: ['武汉市江岸区政务服务和大数据管理局'] });
  head = await signIn(t.app, h.loginName, h.password);
  const created = await t.app.inject({ method: 'POST', url: '/api/catalog/life-events', headers: head.headers, payload: { code: 'JA-TEST-3', name: '迁入落户“一件事”', description: '户口迁入、低保和生育登记一次办', audience: 'person', itemCodes } });
  expect(created.statusCode, created.body).toBe(201);
  lifeEventId = created.json<{ id: string }>().id;
  form = (await t.app.inject({ url: `/api/life-events/${lifeEventId}` })).json<{ form: typeof form }>().form;
  citizen = await signIn(t.app, 'zhangsan');
  const o = await buildCitizen(t.app);
  other = await signIn(t.app, o.loginName, o.password);
  enterprise = await signIn(t.app, demoLogins().find((l) => l.role.startsWith('法人用户'))!.login);
  const p = await buildStaffAccount(t, { roles: ['clerk'], organisations: ['武汉市公安局江岸区分局'] });
  policeClerk = await signIn(t.app, p.loginName, p.password);
}, 600_000);

afterAll(async () => {
  await t?.stop();
});

describe('一件事 prefill from the profile (as on the single-item page)', () => {
  const field = (prefill: string) => form.fields.find((f) => f.prefill === prefill)!;

  it('fills the one form from the profile; the real-name-verified fields are read-only (masked), not inputs', async () => {
    const page = await t.app.inject({ url: `/life-events/${lifeEventId}/apply`, headers: { ...citizen.headers, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('实名信息（已核验，自动填入，不可修改）');
    expect(page.body).toContain(`id="locked-${field('applicant.name').name}">张三<`);
    expect(page.body).toContain('420102********1232');
    expect(page.body).not.toContain('420102199003071232');
    expect(page.body).not.toContain(`name="${field('applicant.idNumber').name}"`);
    expect(page.body).not.toContain('已载入您于');
  });

  it('a tampered submission cannot change a verified field, through the API or the page', async () => {
    const idNumber = field('applicant.idNumber').name;
    const name = field('applicant.name').name;
    const r = await apply(citizen, { ...validValues(), [idNumber]: '11010519491231002X', [name]: '冒名' }, await materialsFor(citizen));
    expect(r.statusCode, r.body).toBe(201);
    const ids = r.json<{ cases: { id: string }[] }>().cases.map((c) => c.id);
    const stored = await sql<{ applicant_id_masked: string; applicant_name_masked: string }>`SELECT applicant_id_masked, applicant_name_masked FROM cases.case WHERE id = ANY(${ids})`.execute(t.platform.db);
    expect(stored.rows).toHaveLength(3);
    for (const row of stored.rows) expect(row).toEqual({ applicant_id_masked: '420102********1232', applicant_name_masked: '张*' });
    // the page: a refused post shows the verified fields read-only again, not the tampered values
    const parts = Object.entries({ ...validValues(), [idNumber]: '11010519491231002X', familySize: '0' }).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => ({ name: k, value: String(x) })) : [{ name: k, value: String(v) }]));
    const body = multipart([{ name: 'token', value: crypto.randomUUID() }, ...parts]);
    const refused = await t.app.inject({ method: 'POST', url: `/life-events/${lifeEventId}/apply?_csrf=${encodeURIComponent(citizen.csrf)}`, headers: { cookie: citizen.cookie, 'content-type': body.contentType, accept: 'text/html' }, payload: body.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('420102********1232');
    expect(refused.body).not.toContain('11010519491231002X');
    expect(refused.body).not.toContain(`name="${idNumber}"`);
  });
});

describe('一件事 applications', () => {
  let bundle: { id: string; bundleNo: string; cases: { id: string; caseNo: string; itemName: string; organisationName: string; queryPassword: string; state: string }[] };
  let key: string;
  let materials: { name: string; attachmentId: string }[];
  let values: Record<string, unknown>;

  it('fans one application out to three cases in three departments, the shared material attached to both', async () => {
    materials = await materialsFor(citizen);
    values = validValues();
    key = crypto.randomUUID();
    const r = await apply(citizen, values, materials, key);
    expect(r.statusCode, r.body).toBe(201);
    bundle = r.json();
    expect(bundle.bundleNo).toMatch(/^YJS420102\d{8}\d{4}$/);
    expect(bundle.cases.map((c) => c.itemName)).toEqual(ITEMS);
    expect(new Set(bundle.cases.map((c) => c.organisationName))).toEqual(new Set(ORGS));
    expect(new Set(bundle.cases.map((c) => c.caseNo)).size).toBe(3);
    for (const c of bundle.cases) {
      expect(c.queryPassword).toMatch(/^\d{6}$/);
      expect(c.state).toBe('SUBMITTED');
    }
    const stored = await sql<{ item_name: string; material_name: string; attachment_id: string; bundle_id: string; due_on: string | null }>`
      SELECT c.item_name, m.material_name, m.attachment_id, c.bundle_id, c.due_on::text AS due_on FROM cases.case c JOIN cases.case_material m ON m.case_id = c.id WHERE c.bundle_id = ${bundle.id}`.execute(t.platform.db);
    const hukouBook = materials.find((m) => m.name === '居民户口簿')!.attachmentId;
    const shared = stored.rows.filter((r) => r.material_name === '居民户口簿');
    expect(shared.map((r) => r.item_name).sort()).toEqual(['户口迁移（市外迁入）', '最低生活保障审核确认']);
    expect(shared.every((r) => r.attachment_id === hukouBook)).toBe(true);
    expect(stored.rows.every((r) => r.due_on !== null)).toBe(true);
    const audit = await sql<{ action: string; n: number }>`SELECT action, count(*)::int AS n FROM audit.entry WHERE action IN ('case.submit', 'case.bundle.submit') AND (object_id = ${bundle.id} OR object_id = ANY(${bundle.cases.map((c) => c.id)})) GROUP BY action`.execute(t.platform.db);
    expect(Object.fromEntries(audit.rows.map((a) => [a.action, a.n]))).toEqual({ 'case.submit': 3, 'case.bundle.submit': 1 });
    for (const c of bundle.cases) {
      const notices = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue LIKE 'notify%' AND payload::text LIKE ${`%${c.caseNo}%`}`.execute(t.platform.db);
      expect(notices.rows[0]!.n, c.itemName).toBeGreaterThanOrEqual(1);
    }
  });

  it('answers a retry with the same bundle and creates nothing', async () => {
    const before = await counts();
    const r = await apply(citizen, values, materials, key);
    expect(r.statusCode).toBe(200);
    expect(r.json<typeof bundle>().id).toBe(bundle.id);
    expect(r.json<typeof bundle>().cases.map((c) => c.id)).toEqual(bundle.cases.map((c) => c.id));
    expect(r.json<typeof bundle>().cases.map((c) => c.queryPassword)).toEqual(bundle.cases.map((c) => c.queryPassword));
    expect(await counts()).toEqual(before);
    // Two submissions with one new key at once: one bundle, the other answered with it.
    const same = crypto.randomUUID();
    const [a, b] = await Promise.all([apply(citizen, values, materials, same), apply(citizen, values, materials, same)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json<typeof bundle>().id).toBe(b.json<typeof bundle>().id);
    expect((await counts()).bundles).toBe(before.bundles + 1);
  });

  it('refuses the whole bundle for one item’s field and saves nothing', async () => {
    const before = await counts();
    const r = await apply(citizen, { ...values, familySize: '0' }, materials);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([expect.objectContaining({ field: 'familySize' })]);
    const missing = await apply(citizen, values, materials.filter((m) => m.name !== '居民户口簿'));
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([{ field: 'materials.居民户口簿', message: expect.stringContaining('户口迁移（市外迁入）、最低生活保障审核确认') }]);
    expect(await counts()).toEqual(before);
  });

  it('shows the bundle to its applicant only', async () => {
    const own = await t.app.inject({ url: `/api/life-event-applications/${bundle.id}`, headers: citizen.headers });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ bundleNo: bundle.bundleNo, progress: { total: 3, finished: 0, label: '3 个事项中已办结 0 个' } });
    expect(own.json<{ cases: object[] }>().cases[0]).not.toHaveProperty('queryPassword');
    const list = await t.app.inject({ url: '/api/life-event-applications', headers: citizen.headers });
    expect(list.json<{ items: { id: string }[] }>().items.map((b) => b.id)).toContain(bundle.id);
    expect((await t.app.inject({ url: '/api/life-event-applications', headers: other.headers })).json<{ total: number }>().total).toBe(0);
    expect((await t.app.inject({ url: `/api/life-event-applications/${bundle.id}`, headers: other.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/account/life-events/${bundle.id}`, headers: { ...other.headers, accept: 'text/html' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/account/life-events/${bundle.id}/receipt`, headers: { ...other.headers, accept: 'text/html' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/life-event-applications/${bundle.id}`, headers: policeClerk.headers })).statusCode).toBe(403);
    const page = await t.app.inject({ url: `/account/life-events/${bundle.id}`, headers: { ...citizen.headers, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3 个事项中已办结 0 个');
    for (const c of bundle.cases) expect(page.body).toContain(`/account/cases/${c.id}`);
  });

  it('gives each department only its own case of the bundle', async () => {
    const list = await t.app.inject({ url: '/api/cases', headers: policeClerk.headers });
    expect(list.statusCode).toBe(200);
    const ids = list.json<{ items: { id: string; organisationName: string }[] }>().items.map((c) => c.id);
    const police = bundle.cases.find((c) => c.organisationName === '武汉市公安局江岸区分局')!;
    expect(ids).toContain(police.id);
    for (const c of bundle.cases.filter((x) => x.id !== police.id)) {
      expect(ids).not.toContain(c.id);
      expect((await t.app.inject({ url: `/api/cases/${c.id}`, headers: policeClerk.headers })).statusCode).toBe(404);
    }
    // The case page tells the department that its case is one of a bundle, and how the others stand.
    const page = await t.app.inject({ url: `/workbench/cases/${police.id}`, headers: { ...policeClerk.headers, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`申请编号 ${bundle.bundleNo}`);
    for (const item of ITEMS) expect(page.body).toContain(item);
  });

  it('applies through the page: one form, upload once, a receipt with every case, and a group on 我的办件', async () => {
    const get = await t.app.inject({ url: `/life-events/${lifeEventId}/apply`, headers: { ...citizen.headers, accept: 'text/html' } });
    expect(get.statusCode).toBe(200);
    for (const org of ORGS) expect(get.body).toContain(org);
    expect(get.body).toContain('户口迁移（市外迁入）、最低生活保障审核确认共用，上传一次即可');
    const keyOf = (name: string) => {
      const key = materialKey(name);
      expect(get.body).toContain(`name="file-${key}"`);
      return key;
    };
    const token = /name="token" value="([^"]+)"/.exec(get.body)![1]!;
    const fields = Object.entries(validValues()).flatMap(([name, v]) => (Array.isArray(v) ? v.map((x) => ({ name, value: String(x) })) : [{ name, value: String(v) }]));
    const parts = [
      { name: 'token', value: token },
      ...fields.filter((f) => f.name !== 'familySize'),
      { name: 'familySize', value: '0' },
      ...MATERIALS.map((m) => ({ name: `file-${keyOf(m)}`, filename: `${m}.pdf`, content: SAMPLES.pdf, type: 'application/pdf' })),
    ];
    const url = `/life-events/${lifeEventId}/apply?_csrf=${encodeURIComponent(citizen.csrf)}`;
    const bad = multipart(parts);
    const refused = await t.app.inject({ method: 'POST', url, headers: { cookie: citizen.cookie, 'content-type': bad.contentType, accept: 'text/html' }, payload: bad.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('提交的内容有 1 处需要修改');
    expect(refused.body).toContain('共同生活家庭成员人数');
    const fixed = multipart([...parts.filter((p) => !('value' in p && p.name === 'familySize')), { name: 'familySize', value: '3' }]);
    const before = await counts();
    const posted = await t.app.inject({ method: 'POST', url, headers: { cookie: citizen.cookie, 'content-type': fixed.contentType, accept: 'text/html' }, payload: fixed.payload });
    expect(posted.statusCode, posted.body.slice(0, 2000)).toBe(303);
    const receiptUrl = posted.headers.location as string;
    expect(receiptUrl).toMatch(/^\/account\/life-events\/[0-9a-f-]{36}\/receipt$/);
    const again = await t.app.inject({ method: 'POST', url, headers: { cookie: citizen.cookie, 'content-type': fixed.contentType, accept: 'text/html' }, payload: fixed.payload });
    expect(again.headers.location).toBe(receiptUrl);
    expect((await counts()).bundles).toBe(before.bundles + 1);
    const receipt = await t.app.inject({ url: receiptUrl, headers: { ...citizen.headers, accept: 'text/html' } });
    expect(receipt.statusCode).toBe(200);
    expect(receipt.body).toContain('3 个事项中已办结 0 个');
    for (const name of ITEMS) expect(receipt.body).toContain(name);
    expect(receipt.body.match(/class="query-password">\d{6}</g)).toHaveLength(3);
    const mine = await t.app.inject({ url: '/account/cases', headers: { ...citizen.headers, accept: 'text/html' } });
    expect(mine.body).toContain('“一件事”联办');
    expect(mine.body).toContain('迁入落户“一件事”');
  });

  it('takes the seeded 开办餐饮店 bundle (more materials than one item allows) from an enterprise through the page', async () => {
    const events = (await t.app.inject({ url: '/api/life-events' })).json<{ items: { id: string; code: string }[] }>().items;
    const restaurant = events.find((e) => e.code === 'JA-KBCYD')!;
    const le = (await t.app.inject({ url: `/api/life-events/${restaurant.id}` })).json<{ form: typeof form; items: { name: string; materials: { name: string; fromSharing: boolean }[] }[] }>();
    const names = [...new Set(le.items.flatMap((i) => i.materials.filter((m) => !m.fromSharing).map((m) => m.name)))];
    expect(names.length).toBeGreaterThan(10);
    const get = await t.app.inject({ url: `/life-events/${restaurant.id}/apply`, headers: { ...enterprise.headers, accept: 'text/html' } });
    expect(get.statusCode).toBe(200);
    const token = /name="token" value="([^"]+)"/.exec(get.body)![1]!;
    const entered = fillForm(le.form as never, { idNumber: validCitizenId(), mobile: randomMobile(), uscc: demoLogins().find((l) => l.role.startsWith('法人用户'))!.login, name: '李四' });
    const body = multipart([
      { name: 'token', value: token },
      ...Object.entries(entered).flatMap(([name, v]) => (Array.isArray(v) ? v.map((x) => ({ name, value: String(x) })) : [{ name, value: String(v) }])),
      ...names.map((m) => ({ name: `file-${materialKey(m)}`, filename: `${m}.pdf`, content: SAMPLES.pdf, type: 'application/pdf' })),
      ...names.map((m) => ({ name: `pick-${materialKey(m)}`, value: '' })),
    ]);
    const posted = await t.app.inject({ method: 'POST', url: `/life-events/${restaurant.id}/apply?_csrf=${encodeURIComponent(enterprise.csrf)}`, headers: { cookie: enterprise.cookie, 'content-type': body.contentType, accept: 'text/html' }, payload: body.payload });
    expect(posted.statusCode, posted.body.slice(0, 3000)).toBe(303);
    const receipt = await t.app.inject({ url: posted.headers.location as string, headers: { ...enterprise.headers, accept: 'text/html' } });
    for (const item of ['个体工商户登记', '食品经营许可', '公共场所卫生许可']) expect(receipt.body).toContain(item);
  });

  it('publishes both API routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, { requestBody?: unknown }>> }>();
    expect(doc.paths['/api/life-events/{id}/applications']?.post?.requestBody).toBeDefined();
    expect(doc.paths['/api/life-event-applications/{id}']?.get).toBeDefined();
  });

  it('refuses an applicant of the wrong kind and a withdrawn life event (409, nothing saved)', async () => {
    const wrong = await t.app.inject({ url: `/life-events/${lifeEventId}/apply`, headers: { ...enterprise.headers, accept: 'text/html' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.body).toContain('面向个人办理');
    const current = await t.app.inject({ url: `/workbench/catalog/life-events/${lifeEventId}`, headers: { ...head.headers, accept: 'text/html' } });
    const version = Number(/name="version" value="(\d+)"/.exec(current.body)?.[1] ?? '1');
    const withdrawn = await t.app.inject({ method: 'PATCH', url: `/api/catalog/life-events/${lifeEventId}`, headers: head.headers, payload: { version, name: '迁入落户“一件事”', itemCodes, status: 'withdrawn' } });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const before = await counts();
    const r = await apply(citizen, values, materials);
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'ZW_ERR_LIFE_EVENT_UNAVAILABLE' });
    expect(r.json<{ detail: string }>().detail).toContain('已撤回');
    const page = await t.app.inject({ url: `/life-events/${lifeEventId}/apply`, headers: { ...citizen.headers, accept: 'text/html' } });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('暂不能在线申请');
    expect(await counts()).toEqual(before);
  });
});

describe('why a 一件事 cannot be applied for', () => {
  it('names the suspended item on the API, the apply page and the public page; an unknown one is 404', async () => {
    const events = (await t.app.inject({ url: '/api/life-events' })).json<{ items: { id: string; code: string }[] }>().items;
    const restaurant = events.find((e) => e.code === 'JA-KBCYD')!;
    const le = (await t.app.inject({ url: `/api/life-events/${restaurant.id}` })).json<{ items: { implementationItemId: string; name: string }[] }>();
    const hygiene = le.items.find((i) => i.name === '公共场所卫生许可')!;
    const h = await buildStaffAccount(t, { roles: ['org_head'], organisations: ['武汉市江岸区卫生健康局'] });
    const healthHead = await signIn(t.app, h.loginName, h.password);
    const got = await t.app.inject({ url: `/api/catalog/items/${hygiene.implementationItemId}`, headers: healthHead.headers });
    expect(got.statusCode, got.body).toBe(200);
    const item = got.json<{ item: { version: number } }>();
    const suspended = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${hygiene.implementationItemId}/suspend`, headers: healthHead.headers, payload: { version: item.item.version, comment: '场所改造' } });
    expect(suspended.statusCode, suspended.body).toBe(200);
    const because = '其中“公共场所卫生许可”已暂停办理，暂不能在线申请';
    const before = await counts();
    const r = await t.app.inject({ method: 'POST', url: `/api/life-events/${restaurant.id}/applications`, headers: { ...enterprise.headers, 'idempotency-key': crypto.randomUUID() }, payload: { values: {}, materials: [] } });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'ZW_ERR_LIFE_EVENT_UNAVAILABLE', detail: because });
    const page = await t.app.inject({ url: `/life-events/${restaurant.id}/apply`, headers: { ...enterprise.headers, accept: 'text/html' } });
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain(because);
    const detail = await t.app.inject({ url: `/life-events/${restaurant.id}`, headers: { accept: 'text/html' } });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain(because);
    expect(detail.body).not.toContain(`/life-events/${restaurant.id}/apply`);
    const api = await t.app.inject({ url: `/api/life-events/${restaurant.id}` });
    expect(api.statusCode).toBe(409);
    expect(api.json<{ detail: string }>().detail).toBe(because);
    expect(await counts()).toEqual(before);
    const unknown = await t.app.inject({ method: 'POST', url: `/api/life-events/${crypto.randomUUID()}/applications`, headers: { ...enterprise.headers, 'idempotency-key': crypto.randomUUID() }, payload: { values: {}, materials: [] } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<{ detail: string }>().detail).toBe('该“一件事”不存在');
  });
});
