import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { buildStaffAccount, randomMobile, seedDemoAccounts, signIn as signInApi, validCitizenId, type SignedIn } from '../support/identity.ts';
import { SAMPLES } from '../support/file-samples.ts';
import { demoLogins, DEMO_PASSWORD } from '../../src/modules/identity/index.ts';

interface FormField {
  name: string;
  type: string;
  min?: number;
  options?: { value: string }[];
}

/** Values for every field of the item's form (like the cases module's test fixture). */
function fillForm(fields: FormField[], p: { idNumber: string; mobile: string; uscc: string }): Record<string, unknown> {
  const byType: Record<string, (f: FormField) => unknown> = {
    idNumber: () => p.idNumber,
    mobile: () => p.mobile,
    uscc: () => p.uscc,
    email: () => 'applicant@example.cn',
    date: () => '2026-01-05',
    number: (f) => String(f.min ?? 10),
    select: (f) => f.options?.[0]?.value ?? '',
    radio: (f) => f.options?.[0]?.value ?? '',
    checkbox: (f) => (f.options ? [f.options[0]!.value] : 'on'),
    address: () => '武汉市江岸区解放大道 1 号',
  };
  return Object.fromEntries(fields.map((f) => [f.name, byType[f.type]?.(f) ?? '李四']));
}

async function signIn(j: Journey, page: Page, login: string, password: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * 好差评申诉 in Chromium with axe on every page: the 江岸区 market-supervision clerk appeals a 1-star rating (an empty
 * form first: the error summary), the Wuhan rating office upholds it, and the applicant reads why the rating no
 * longer counts. Then the clerk's case page offers the staff picker for 转办 / 抄送 (names, not account ids).
 */
describe('rating appeal: unit appeals, rating office upholds, rater is told', () => {
  let j: Journey;
  let clerk: { loginName: string; password: string };
  let caseId = '';
  let acceptedId = '';
  const enterpriseLogin = demoLogins().find((l) => l.role.startsWith('法人用户'))!.login;

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'catalog')?.seed?.(j.testApp.platform);
    clerk = await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区市场监督管理局'], displayName: '王窗口' });
    await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区市场监督管理局'], displayName: '李同事' });
    // Fixture over the API: a case closed without acceptance (不予受理) and rated 1 star by the applicant.
    const app = j.testApp.app;
    const applicant: SignedIn = await signInApi(app, enterpriseLogin);
    const staff: SignedIn = await signInApi(app, clerk.loginName, clerk.password);
    const item = await sql<{ id: string; form: { fields: FormField[] }; elements: { materials: { code: string; name: string; required: boolean; fromSharing: boolean }[] } }>`
      SELECT i.id, v.form, v.elements FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id
      WHERE i.name = '食品经营许可' AND i.organisation_name = '武汉市江岸区市场监督管理局'`.execute(j.testApp.platform.db);
    const { id: itemId, form, elements } = item.rows[0]!;
    const apply = async () => {
    const materials = [];
    for (const m of elements.materials.filter((x) => x.required && !x.fromSharing)) {
      const boundary = `----zwj${crypto.randomBytes(6).toString('hex')}`;
      const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), SAMPLES.pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const up = await app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(m.name)}`, headers: { ...applicant.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
      materials.push({ code: m.code, attachmentId: up.json<{ attachmentId: string }>().attachmentId });
    }
    const values = fillForm(form.fields, { idNumber: validCitizenId(), mobile: randomMobile(), uscc: enterpriseLogin });
    const applied = await app.inject({ method: 'POST', url: '/api/cases', headers: { ...applicant.headers, 'idempotency-key': crypto.randomUUID() }, payload: { itemId, values, materials } });
    return applied.json<{ case: { id: string; version: number } }>().case;
    };
    const c = await apply();
    caseId = c.id;
    await app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/refuse-acceptance`, headers: staff.headers, payload: { version: c.version, reason: '申请事项依法不需要取得行政许可' } });
    const rated = await app.inject({ method: 'POST', url: `/api/cases/${c.id}/rating`, headers: applicant.headers, payload: { score: 1, reasons: ['结果不满意'], comment: '不予受理不合理' } });
    expect(rated.statusCode, rated.body).toBe(201);
    const second = await apply();
    acceptedId = second.id;
    const accepted = await app.inject({ method: 'POST', url: `/api/cases/${second.id}/actions/accept`, headers: staff.headers, payload: { version: second.version } });
    expect(accepted.statusCode, accepted.body).toBe(200);
  }, 600_000);
  afterAll(async () => j?.stop());

  it('the clerk appeals from the bad-review list; an empty form names the fields', async () => {
    const page = await j.newPage();
    await signIn(j, page, clerk.loginName, clerk.password);
    await page.goto(j.url('/workbench/ratings'));
    await checkA11y(page);
    await page.getByRole('link', { name: '对该差评提出申诉' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/appeal'));
    await checkA11y(page);
    await page.getByRole('button', { name: '提交申诉' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('申诉说明');
    await checkA11y(page);
    await page.getByLabel('恶意差评').check();
    await page.getByLabel(/申诉说明/).fill('评价人在申请前已被告知该事项无需许可，系恶意差评。');
    await page.getByRole('button', { name: '提交申诉' }).click();
    await page.waitForURL((u) => u.pathname === '/workbench/ratings');
    await page.goto(j.url('/workbench/ratings/appealed'));
    await expect.poll(() => page.locator('main').innerText()).toContain('待评价管理部门复核');
    await checkA11y(page);
  });

  it('the Wuhan rating office upholds the appeal with a reason', async () => {
    const page = await j.newPage();
    await signIn(j, page, 'supervisor.wuhan', DEMO_PASSWORD);
    await page.goto(j.url('/workbench/ratings/appeals'));
    await checkA11y(page);
    const form = page.locator('form', { hasText: '恶意差评' });
    await form.getByRole('button', { name: '提交复核结论' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('复核结论');
    await checkA11y(page);
    const again = page.locator('form', { hasText: '恶意差评' });
    await again.getByLabel('申诉成立（评价作废）').check();
    await again.getByLabel(/复核理由/).fill('经调取服务记录核实，评价内容与事实不符');
    await again.getByRole('button', { name: '提交复核结论' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('没有待复核的差评申诉');
  });

  it('the applicant reads that the rating was voided and why', async () => {
    const page = await j.newPage();
    await signIn(j, page, enterpriseLogin, DEMO_PASSWORD);
    await page.goto(j.url(`/account/cases/${caseId}`));
    await expect.poll(() => page.locator('#rating').innerText()).toContain('经调取服务记录核实，评价内容与事实不符');
    await checkA11y(page);
  });

  it('the clerk transfers a step to a colleague picked by name', async () => {
    const page = await j.newPage();
    await signIn(j, page, clerk.loginName, clerk.password);
    await page.goto(j.url(`/workbench/cases/${acceptedId}`));
    await checkA11y(page);
    const form = page.locator('form', { has: page.getByRole('heading', { name: /^转办/ }) });
    await form.getByLabel('接收人').selectOption({ label: '李同事（办事员）' });
    await form.getByRole('button', { name: '转办' }).click();
    await expect.poll(() => page.locator('body').innerText()).toContain('转办已完成');
    await checkA11y(page);
  });
});
