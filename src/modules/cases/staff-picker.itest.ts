import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaffAccount, postForm, randomMobile, seedDemoAccounts, signIn, validCitizenId, type SignedIn } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { demoLogins } from '../identity/index.ts';
import { fillForm } from './test-fixtures.ts';

/**
 * The staff picker of the approval operations (issue 3): the case page offers the handling organisation's
 * active clerks and heads by name and position for 转办 / 委托 / 加签, and the jurisdiction's staff for 抄送;
 * the server refuses a receiver who is not on the list (field `to`), on the page and in the API.
 */
let t: TestApp;
let applicant: SignedIn;
let clerk: SignedIn;
let colleague: { accountId: string; session: SignedIn };
let otherOrg: { accountId: string };
let sameCounty: { accountId: string };
let otherCounty: { accountId: string };
let disabled: { accountId: string };
let foodJiangan: string;

const html = { accept: 'text/html' };

function multipart(name: string, filename: string, content: Buffer) {
  const boundary = `----zwpick${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`, 'utf8'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** An accepted 江岸区 case (受理 step open for the clerk): its id, version and the open task. */
async function acceptedCase(itemId = foodJiangan, by = clerk): Promise<{ id: string; version: number; taskId: string }> {
  const r = await sql<{ form: never; elements: { materials: { code: string; name: string; required: boolean; fromSharing: boolean }[] } }>`
    SELECT v.form, v.elements FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id WHERE i.id = ${itemId}`.execute(t.platform.db);
  const { form, elements } = r.rows[0]!;
  const chosen = [];
  for (const m of elements.materials.filter((x) => x.required && !x.fromSharing)) {
    const body = multipart('file', `${m.name}.pdf`, SAMPLES.pdf);
    const up = await t.app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(m.name)}`, headers: { ...applicant.headers, 'content-type': body.contentType }, payload: body.payload });
    chosen.push({ code: m.code, attachmentId: up.json<{ attachmentId: string }>().attachmentId });
  }
  const uscc = demoLogins().find((l) => l.role.startsWith('法人用户'))!.login;
  const values = fillForm(form, { idNumber: validCitizenId(), mobile: randomMobile(), uscc, name: '李四' });
  const applied = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...applicant.headers, 'idempotency-key': crypto.randomUUID() }, payload: { itemId, values, materials: chosen } });
  expect(applied.statusCode, applied.body).toBe(201);
  const c = applied.json<{ case: { id: string; version: number } }>().case;
  const acc = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers: by.headers, payload: { version: c.version } });
  expect(acc.statusCode, acc.body).toBe(200);
  const flow = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}/flow`, headers: by.headers })).json<{ mine: string[] }>();
  return { id: c.id, version: acc.json<{ version: number }>().version, taskId: flow.mine[0]! };
}

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoAccounts(t);
  await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
  const items = await sql<{ id: string; organisation_name: string }>`SELECT id, organisation_name FROM catalog.implementation_item WHERE name = '食品经营许可'`.execute(t.platform.db);
  foodJiangan = items.rows.find((r) => r.organisation_name === '武汉市江岸区市场监督管理局')!.id;
  applicant = await signIn(t.app, demoLogins().find((l) => l.role.startsWith('法人用户'))!.login);
  const market = '武汉市江岸区市场监督管理局';
  const a = await buildStaffAccount(t, { roles: ['clerk'], organisations: [market], displayName: '王办事' });
  clerk = await signIn(t.app, a.loginName, a.password);
  const b = await buildStaffAccount(t, { roles: ['clerk'], organisations: [market], displayName: '李同事' });
  colleague = { accountId: b.accountId, session: await signIn(t.app, b.loginName, b.password) };
  otherOrg = await buildStaffAccount(t, { roles: ['clerk'], organisations: ['武汉市江岸区政务服务和大数据管理局'], displayName: '赵邻局' });
  sameCounty = otherOrg;
  otherCounty = await buildStaffAccount(t, { roles: ['clerk'], organisations: ['大冶市市场监督管理局'], displayName: '钱外县' });
  disabled = await buildStaffAccount(t, { roles: ['clerk'], organisations: [market], displayName: '孙停用' });
  await sql`UPDATE identity.account SET status = 'disabled' WHERE id = ${disabled.accountId}`.execute(t.platform.db);
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('staff picker for 转办 / 委托 / 加签 / 抄送', () => {
  it('lists active staff of the handling organisation by name and position; 抄送 lists the jurisdiction', async () => {
    const c = await acceptedCase();
    const page = await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}`, headers: { ...html, cookie: clerk.cookie } });
    expect(page.statusCode).toBe(200);
    const transfer = /<select id="f-transfer-[^"]+" name="to"[^>]*>([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '';
    expect(transfer).toContain(`value="${colleague.accountId}"`);
    expect(transfer).toContain('李同事（办事员）');
    expect(transfer).not.toContain('王办事'); // not oneself
    expect(transfer).not.toContain(otherOrg.accountId);
    expect(transfer).not.toContain(disabled.accountId);
    const copy = /<select id="f-copy-to" name="to" multiple[^>]*>([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '';
    expect(copy).toContain(sameCounty.accountId);
    expect(copy).toContain('赵邻局（武汉市江岸区政务服务和大数据管理局 · 办事员）');
    expect(copy).not.toContain(otherCounty.accountId);
    expect(page.body).not.toContain('账号编号');
  });

  it('offers no 转办 / 委托 when nobody else works in the handling organisation, and says why', async () => {
    const items = await sql<{ id: string; organisation_name: string }>`SELECT id, organisation_name FROM catalog.implementation_item WHERE name = '食品经营许可'`.execute(t.platform.db);
    const foodDaye = items.rows.find((r) => r.organisation_name === '大冶市市场监督管理局')!.id;
    const alone = await buildStaffAccount(t, { roles: ['clerk'], organisations: ['大冶市市场监督管理局'], displayName: '周独办' });
    await sql`UPDATE identity.account SET status = 'disabled' WHERE id = ${otherCounty.accountId}`.execute(t.platform.db);
    try {
      const session = await signIn(t.app, alone.loginName, alone.password);
      const c = await acceptedCase(foodDaye, session);
      const page = await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}`, headers: { ...html, cookie: session.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('本单位没有其他在岗工作人员，不能转办、委托或加签。');
      expect(page.body).not.toMatch(/id="f-transfer-/);
      expect(page.body).not.toMatch(/id="f-delegate-/);
      expect(page.body).toContain('id="f-copy-to"'); // 抄送 still lists the jurisdiction's staff
    } finally {
      await sql`UPDATE identity.account SET status = 'active' WHERE id = ${otherCounty.accountId}`.execute(t.platform.db);
    }
  });

  it('refuses a receiver who is not on the list, naming the field (page and API), and accepts one who is', async () => {
    const c = await acceptedCase();
    const page = await postForm(t.app, `/workbench/cases/${c.id}/flow/transfer`, clerk, { version: String(c.version), taskId: c.taskId, to: otherOrg.accountId });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('error-summary');
    expect(page.body).toContain('接收人须为本单位在岗的办事员或负责人');
    const api = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/flow/delegate`, headers: clerk.headers, payload: { version: c.version, taskId: c.taskId, to: [disabled.accountId] } });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['to']);
    const copyOut = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/flow/copy`, headers: clerk.headers, payload: { version: c.version, to: [sameCounty.accountId, otherCounty.accountId] } });
    expect(copyOut.statusCode).toBe(400);
    const copied = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/flow/copy`, headers: clerk.headers, payload: { version: c.version, to: [sameCounty.accountId] } });
    expect(copied.statusCode, copied.body).toBe(200);
    const version = copied.json<{ caseVersion: number }>().caseVersion;
    const moved = await postForm(t.app, `/workbench/cases/${c.id}/flow/transfer`, clerk, { version: String(version), taskId: c.taskId, to: colleague.accountId });
    expect(moved.statusCode, moved.body).toBe(303);
    const theirs = await t.app.inject({ method: 'GET', url: '/workbench/cases?box=mine', headers: { ...html, cookie: colleague.session.cookie } });
    expect(theirs.statusCode).toBe(200);
    const flow = (await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}/flow`, headers: colleague.session.headers })).json<{ mine: string[] }>();
    expect(flow.mine.length).toBe(1);
  });
});
