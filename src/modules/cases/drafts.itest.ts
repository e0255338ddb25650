import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedDemoAccounts, signIn, type SignedIn } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { demoLogins } from '../identity/index.ts';
import { purgeDrafts } from './commands/purge-drafts.ts';
import { DraftRepository } from './draft.repository.ts';
import { fillForm } from './test-fixtures.ts';
import { multipart } from '../../../test/support/multipart.ts';

/**
 * Issue 3 on the seeded demo data: the application page is prefilled from the applicant's
 * profile (verified fields read-only), 保存草稿 saves without required fields, 我的草稿 lists it,
 * resuming fills the page, submitting removes the draft; isolation (404) and stale versions (409).
 */
let t: TestApp;
let citizen: SignedIn;
let other: SignedIn;
let itemId: string;
let itemName: string;
let form: FormDef;
let materials: { code: string; name: string; required: boolean }[];
const html = { accept: 'text/html' };

interface FormDef {
  fields: { name: string; type: string; label: string; required?: boolean; options?: { value: string }[]; prefill?: string; min?: number; showIf?: unknown }[];
}


function postPage(who: SignedIn, url: string, parts: Parameters<typeof multipart>[0]) {
  const body = multipart([{ name: '_csrf', value: who.csrf }, ...parts]);
  return t.app.inject({ method: 'POST', url: `${url}?_csrf=${encodeURIComponent(who.csrf)}`, headers: { ...html, cookie: who.cookie, 'content-type': body.contentType }, payload: body.payload });
}

const field = (prefill: string) => form.fields.find((f) => f.prefill === prefill)!;

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoAccounts(t);
  await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
  // an item for natural persons (its form asks for the applicant's ID number), published
  const r = await sql<{ id: string; name: string; form: FormDef; elements: { materials: { code: string; name: string; required: boolean; fromSharing: boolean }[] } }>`
    SELECT i.id, i.name, v.form, v.elements FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id
    WHERE v.form::text LIKE '%applicant.idNumber%' ORDER BY i.name, i.id`.execute(t.platform.db);
  citizen = await signIn(t.app, 'zhangsan');
  for (const row of r.rows) {
    const page = await t.app.inject({ method: 'GET', url: `/services/${row.id}/apply`, headers: { ...html, cookie: citizen.cookie } });
    if (page.statusCode === 200) {
      itemId = row.id;
      itemName = row.name;
      form = row.form;
      materials = row.elements.materials.filter((m) => !m.fromSharing);
      break;
    }
  }
  expect(itemId).toBeTruthy();
  other = await signIn(t.app, demoLogins().find((l) => l.role.startsWith('法人用户'))!.login);
  // the citizen's own contact details (我的资料) feed the prefill too
  const put = await t.app.inject({ method: 'PUT', url: '/api/me/profile', headers: citizen.headers, payload: { version: 0, email: 'zhangsan@example.cn', address: '武汉市江岸区沿江大道 1 号' } });
  expect(put.statusCode).toBe(200);
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('prefill from the profile', () => {
  it('fills the mapped fields without asking again; the real-name-verified ones are shown read-only (masked), not as inputs', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/services/${itemId}/apply`, headers: { ...html, cookie: citizen.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('实名信息（已核验，自动填入，不可修改）');
    expect(page.body).toContain(`id="locked-${field('applicant.name').name}">张三<`);
    expect(page.body).toContain('420102********1232');
    expect(page.body).not.toContain('420102199003071232');
    expect(page.body).not.toContain(`name="${field('applicant.idNumber').name}"`);
    // the contact number is prefilled and stays editable
    expect(page.body).toMatch(new RegExp(`name="${field('applicant.mobile').name}"[^>]*value="13800138000"`));
    expect(page.body).toContain('保存草稿');
  });

  it('a tampered submission cannot change a verified field: the account’s values are stored', async () => {
    const token = crypto.randomUUID();
    const values = fillForm(form as never, { idNumber: '11010519491231002X', mobile: '13900139000', name: '冒名' }) as Record<string, string | string[] | boolean>;
    const up = [] as { name: string; value: string }[];
    for (const m of materials.filter((x) => x.required)) {
      const body = multipart([{ name: 'file', filename: `${m.name}.pdf`, content: SAMPLES.pdf, type: 'application/pdf' }]);
      const r = await t.app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(m.name)}`, headers: { ...citizen.headers, 'content-type': body.contentType }, payload: body.payload });
      up.push({ name: `pick-${m.code}`, value: r.json<{ attachmentId: string }>().attachmentId });
    }
    const parts = Object.entries(values).flatMap(([name, v]) => (Array.isArray(v) ? v.map((x) => ({ name, value: x })) : typeof v === 'boolean' ? (v ? [{ name, value: 'on' }] : []) : [{ name, value: String(v) }]));
    const r = await postPage(citizen, `/services/${itemId}/apply`, [{ name: 'token', value: token }, ...parts, ...up]);
    expect(r.statusCode, r.body.slice(0, 2000)).toBe(303);
    const caseId = /\/account\/cases\/([0-9a-f-]{36})\/receipt/.exec(r.headers.location as string)![1]!;
    const c = await sql<{ applicant_name_masked: string; applicant_id_masked: string; form_values: Record<string, string> }>`SELECT applicant_name_masked, applicant_id_masked, form_values FROM cases.case WHERE id = ${caseId}`.execute(t.platform.db);
    expect(c.rows[0]!.applicant_id_masked).toBe('420102********1232');
    expect(c.rows[0]!.applicant_name_masked).toBe('张*');
    // masking rules of stored PII still hold
    expect(c.rows[0]!.form_values[field('applicant.mobile').name]).toBe('139****9000');
    // the same over the API
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...citizen.headers, 'idempotency-key': crypto.randomUUID() },
      payload: { itemId, values: fillForm(form as never, { idNumber: '11010519491231002X', mobile: '13900139000', name: '冒名' }), materials: up.map((u) => ({ code: u.name.slice(5), attachmentId: u.value })) },
    });
    expect(api.statusCode, api.body).toBe(201);
    const viaApi = await sql<{ applicant_id_masked: string }>`SELECT applicant_id_masked FROM cases.case WHERE id = ${api.json<{ case: { id: string } }>().case.id}`.execute(t.platform.db);
    expect(viaApi.rows[0]!.applicant_id_masked).toBe('420102********1232');
  });
});

describe('drafts', () => {
  let draftId: string;

  it('保存草稿 with required fields missing succeeds; personal data is stored like a submission (masked + encrypted); locked fields are not stored', async () => {
    const mobile = field('applicant.mobile').name;
    const r = await postPage(citizen, `/services/${itemId}/draft`, [{ name: 'token', value: crypto.randomUUID() }, { name: 'draftVersion', value: '' }, { name: mobile, value: '13700137000' }]);
    expect(r.statusCode, r.body.slice(0, 2000)).toBe(303);
    expect(r.headers.location).toBe('/account/drafts');
    const row = await sql<{ id: string; form_values: Record<string, string>; pii_enc: string; version: number }>`SELECT id, form_values, pii_enc, version FROM cases.application_draft WHERE item_id = ${itemId} AND applicant_account_id = ${citizen.actor.accountId}`.execute(t.platform.db);
    expect(row.rows).toHaveLength(1);
    draftId = row.rows[0]!.id;
    expect(row.rows[0]!.form_values[mobile]).toBe('137****7000');
    expect(row.rows[0]!.pii_enc).not.toContain('13700137000');
    expect(row.rows[0]!.form_values[field('applicant.idNumber').name]).toBeUndefined();
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'case.draft.save' AND object_id = ${draftId}`.execute(t.platform.db);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('我的草稿 lists it with item name, saved time, 继续填写 and 删除; resuming fills the page from the draft', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/account/drafts', headers: { ...html, cookie: citizen.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(itemName);
    expect(list.body).toContain(`href="/services/${itemId}/apply"`);
    expect(list.body).toContain(`action="/account/drafts/${draftId}/delete"`);
    const page = await t.app.inject({ method: 'GET', url: `/services/${itemId}/apply`, headers: { ...html, cookie: citizen.cookie } });
    expect(page.body).toContain('id="draft-notice"');
    expect(page.body).toMatch(new RegExp(`name="${field('applicant.mobile').name}"[^>]*value="13700137000"`));
    expect(page.body).toContain('name="draftVersion" value="1"');
    const api = await t.app.inject({ method: 'GET', url: '/api/drafts', headers: citizen.headers });
    expect(api.json<{ total: number; items: { id: string; itemName: string; version: number }[] }>()).toMatchObject({ total: 1, items: [{ id: draftId, itemName, version: 1 }] });
  });

  it('PUT /api/items/:itemId/draft: updates at the version seen, a retry is harmless, a stale version answers 409', async () => {
    const mobile = field('applicant.mobile').name;
    const url = `/api/items/${itemId}/draft`;
    const saved = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { version: 1, values: { [mobile]: '13600136000' } } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<{ version: number }>().version).toBe(2);
    const retry = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { version: 1, values: { [mobile]: '13600136000' } } });
    expect(retry.statusCode).toBe(200);
    expect(retry.json<{ version: number }>().version).toBe(2);
    const stale = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { version: 1, values: { [mobile]: '13500135000' } } });
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json<{ detail: string }>().detail).toContain('刚刚已在别处保存过');
    const noVersion = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { values: { [mobile]: '13500135000' } } });
    expect(noVersion.statusCode).toBe(409);
    const full = await t.app.inject({ method: 'GET', url: `/api/drafts/${draftId}`, headers: citizen.headers });
    expect(full.json<{ values: Record<string, string> }>().values[mobile]).toBe('13600136000');
  });

  it('still limits types and sizes (field named), and only library files of the applicant', async () => {
    const url = `/api/items/${itemId}/draft`;
    const text = form.fields.find((f) => f.type === 'text' && !f.prefill) ?? form.fields.find((f) => f.type === 'text')!;
    const tooLong = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { version: 2, values: { [text.name]: '字'.repeat(6000) } } });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(text.name);
    const foreignFile = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { version: 2, values: {}, materials: [{ code: materials[0]!.code, attachmentId: crypto.randomUUID() }] } });
    expect(foreignFile.statusCode).toBe(400);
    expect(foreignFile.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe(`material-${materials[0]!.code}`);
  });

  it('another account cannot read or delete it (404)', async () => {
    for (const r of [
      await t.app.inject({ method: 'GET', url: `/api/drafts/${draftId}`, headers: other.headers }),
      await t.app.inject({ method: 'DELETE', url: `/api/drafts/${draftId}`, headers: other.headers }),
      await t.app.inject({ method: 'POST', url: `/account/drafts/${draftId}/delete`, headers: { ...html, cookie: other.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${other.csrf}&version=2` }),
    ]) {
      expect(r.statusCode).toBe(404);
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/drafts', headers: other.headers });
    expect(list.json<{ total: number }>().total).toBe(0);
    const still = await t.app.inject({ method: 'GET', url: `/api/drafts/${draftId}`, headers: citizen.headers });
    expect(still.statusCode).toBe(200);
  });

  it('submitting the application removes the draft in the same transaction', async () => {
    const token = crypto.randomUUID();
    const values = fillForm(form as never, { idNumber: '420102199003071232', mobile: '13600136000', name: '张三' }) as Record<string, string | string[] | boolean>;
    const picks = [] as { name: string; value: string }[];
    for (const m of materials.filter((x) => x.required)) {
      const body = multipart([{ name: 'file', filename: `${m.name}.pdf`, content: SAMPLES.pdf, type: 'application/pdf' }]);
      const up = await t.app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(m.name)}`, headers: { ...citizen.headers, 'content-type': body.contentType }, payload: body.payload });
      picks.push({ name: `pick-${m.code}`, value: up.json<{ attachmentId: string }>().attachmentId });
    }
    const parts = Object.entries(values).flatMap(([name, v]) => (Array.isArray(v) ? v.map((x) => ({ name, value: x })) : typeof v === 'boolean' ? (v ? [{ name, value: 'on' }] : []) : [{ name, value: String(v) }]));
    const r = await postPage(citizen, `/services/${itemId}/apply`, [{ name: 'token', value: token }, { name: 'draftVersion', value: '2' }, ...parts, ...picks]);
    expect(r.statusCode, r.body.slice(0, 1500)).toBe(303);
    const gone = await t.app.inject({ method: 'GET', url: `/api/drafts/${draftId}`, headers: citizen.headers });
    expect(gone.statusCode).toBe(404);
    const audit = await sql<{ detail: { draftId?: string } }>`SELECT detail FROM audit.entry WHERE action = 'case.submit' ORDER BY id DESC LIMIT 1`.execute(t.platform.db);
    expect(audit.rows[0]!.detail.draftId).toBe(draftId);
  });

  it('删除 from 我的草稿 (version checked), and the 90-day purge job', async () => {
    const url = `/api/items/${itemId}/draft`;
    const created = await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { values: { [field('applicant.mobile').name]: '13600136000' } } });
    expect(created.statusCode).toBe(201);
    const d = created.json<{ id: string; version: number }>();
    const stale = await t.app.inject({ method: 'DELETE', url: `/api/drafts/${d.id}?version=${d.version + 1}`, headers: citizen.headers });
    expect(stale.statusCode).toBe(409);
    const del = await t.app.inject({ method: 'POST', url: `/account/drafts/${d.id}/delete`, headers: { ...html, cookie: citizen.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${citizen.csrf}&version=${d.version}` });
    expect(del.statusCode).toBe(303);
    const empty = await t.app.inject({ method: 'GET', url: '/account/drafts', headers: { ...html, cookie: citizen.cookie } });
    expect(empty.body).toContain('您还没有草稿');

    const again = (await t.app.inject({ method: 'PUT', url, headers: citizen.headers, payload: { values: {} } })).json<{ id: string }>();
    await sql`UPDATE cases.application_draft SET updated_at = now() - interval '91 days' WHERE id = ${again.id}`.execute(t.platform.db);
    const recent = (await t.app.inject({ method: 'PUT', url: `/api/items/${itemId}/draft`, headers: other.headers, payload: { values: {} } })).json<{ id: string }>();
    const drafts = new DraftRepository(t.platform.db);
    expect(await purgeDrafts(drafts, t.platform.transactor, new Date())).toBe(1);
    expect(await drafts.get(again.id)).toBeNull();
    expect(await drafts.get(recent.id)).not.toBeNull();
    expect(await purgeDrafts(drafts, t.platform.transactor, new Date())).toBe(0);
    // the save enqueued the (daily, deduplicated) purge job
    const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue = 'cases.draft-purge'`.execute(t.platform.db);
    expect(jobs.rows[0]!.n).toBe(1);
  });
});
