import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { buildStaffAccount, randomMobile, seedDemoAccounts, validCitizenId } from '../support/identity.ts';
import { SAMPLES } from '../support/file-samples.ts';
import { demoLogins, DEMO_PASSWORD } from '../../src/modules/identity/index.ts';

async function signIn(j: Journey, page: Page, login: string, password: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: SAMPLES.pdf });

/**
 * 食品经营许可, end to end in Chromium with axe on every page: an enterprise applies with
 * uploads → the 江岸区市场监管局 window clerk asks for a correction → the applicant supplements →
 * the clerk accepts and the workflow's default flow runs 受理 and 审查 → the head of the bureau approves → the
 * clerk produces the licence and delivers it → the applicant sees the result, downloads the
 * decision PDF and rates the service.
 */
describe('cases: apply, correct, accept, review, decide, deliver, rate', () => {
  let j: Journey;
  let clerk: { loginName: string; password: string };
  let head: { loginName: string; password: string };
  let itemId = '';
  let caseUrl = '';
  let caseNo = '';
  const enterpriseLogin = demoLogins().find((l) => l.role.startsWith('法人用户'))!.login;

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'catalog')?.seed?.(j.testApp.platform);
    clerk = await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区市场监督管理局'], displayName: '王窗口' });
    head = await buildStaffAccount(j.testApp, { roles: ['org_head'], organisations: ['武汉市江岸区市场监督管理局'], displayName: '陈局长' });
    const row = await j.testApp.platform.db
      .selectFrom('catalog.implementation_item')
      .select(['id'])
      .where('name', '=', '食品经营许可')
      .where('organisation_name', '=', '武汉市江岸区市场监督管理局')
      .executeTakeFirstOrThrow();
    itemId = row.id as string;
  }, 600_000);
  afterAll(async () => j?.stop());

  async function actAsClerk(page: Page, heading: string, fill: (form: ReturnType<Page['locator']>) => Promise<void>, button: string) {
    const form = page.locator('form', { has: page.getByRole('heading', { name: heading, exact: true }) });
    await fill(form);
    await form.getByRole('button', { name: button }).click();
    await page.waitForLoadState();
  }

  it('the applicant applies online with uploads and gets a receipt', async () => {
    const page = await j.newPage();
    await signIn(j, page, enterpriseLogin, DEMO_PASSWORD);
    await page.goto(j.url(`/services/${itemId}/apply`));
    await checkA11y(page);
    // Nothing typed: the error summary names the fields, nothing is saved.
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('需要修改');
    await checkA11y(page);
    const form = page.locator('form[enctype="multipart/form-data"]');
    for (const input of await form.locator('input[type="text"], input[type="tel"], input[type="email"], textarea').all()) {
      const id = (await input.getAttribute('id')) ?? '';
      if (await input.inputValue()) continue;
      if (/Mobile/i.test(id)) await input.fill(randomMobile());
      else if (/IdNumber/i.test(id)) await input.fill(validCitizenId());
      else if (/Uscc/i.test(id)) await input.fill(enterpriseLogin);
      else if (/Area|area|Count|count|Number|number/.test(id)) await input.fill('50');
      else await input.fill('江岸示例餐饮店');
    }
    for (const group of await form.locator('fieldset:has(input[type="radio"])').all()) await group.locator('input[type="radio"]').first().check();
    for (const box of await form.locator('input[type="checkbox"]').all()) if (!(await box.isChecked())) await box.check();
    for (const file of await form.locator('input[type="file"]').all()) await file.setInputFiles(pdf(`${(await file.getAttribute('id')) ?? 'm'}.pdf`));
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/receipt'));
    caseNo = (await page.locator('#case-no').innerText()).trim();
    expect(caseNo).toMatch(/^420102\d{14}$/);
    expect(await page.locator('#query-password').innerText()).toMatch(/^\d{6}$/);
    await checkA11y(page);
    caseUrl = new URL(page.url()).pathname.replace(/\/receipt$/, '');
  });

  it('the window clerk asks for a correction in one complete notice; the applicant supplements', async () => {
    const staff = await j.newPage();
    await signIn(j, staff, clerk.loginName, clerk.password);
    await staff.goto(j.url('/workbench/cases'));
    await checkA11y(staff);
    await staff.getByRole('link', { name: caseNo }).click();
    await checkA11y(staff);
    await actAsClerk(staff, '一次性告知补正', (f) => f.getByLabel(/需要补正的全部内容/).fill('经营场所平面图：未标明功能区布局'), '发出补正告知');
    await expect.poll(() => staff.locator('main').innerText()).toContain('待补正');

    const applicant = await j.newPage();
    await signIn(j, applicant, enterpriseLogin, DEMO_PASSWORD);
    await applicant.goto(j.url(caseUrl));
    await expect.poll(() => applicant.locator('main').innerText()).toContain('未标明功能区布局');
    await checkA11y(applicant);
    const supplement = applicant.locator('form', { has: applicant.getByRole('heading', { name: '提交补正材料' }) });
    await supplement.locator('input[type="file"]').first().setInputFiles(pdf('平面图（补正）.pdf'));
    await supplement.getByRole('button', { name: '提交补正' }).click();
    await expect.poll(() => applicant.locator('main').innerText()).toContain('已提交');
  });

  it('the clerk accepts, the review nodes pass, the head approves, the licence is produced and delivered', async () => {
    const staff = await j.newPage();
    await signIn(j, staff, clerk.loginName, clerk.password);
    await staff.goto(j.url(`/workbench/cases`));
    await staff.getByRole('link', { name: caseNo }).click();
    const detail = staff.url();
    await actAsClerk(staff, '受理', async () => {}, '受理');
    await expect.poll(() => staff.locator('main').innerText()).toContain('审查中');
    // The workflow engine's default flow (受理 → 审查 → 决定 → 办结) drives the steps.
    await actAsClerk(staff, '受理环节：通过', (f) => f.getByLabel('办理意见').fill('材料齐全，符合条件'), '通过，送下一环节');
    await expect.poll(() => staff.locator('main').innerText()).toContain('审查环节：通过');
    await checkA11y(staff);
    await actAsClerk(staff, '审查环节：通过', (f) => f.getByLabel('办理意见').fill('审核同意'), '通过，送下一环节');
    await checkA11y(staff);

    const leader = await j.newPage();
    await signIn(j, leader, head.loginName, head.password);
    await leader.goto(detail);
    await actAsClerk(leader, '准予许可', (f) => f.getByLabel('审批意见').fill('同意'), '准予许可');
    await expect.poll(() => leader.locator('main').innerText()).toContain('准予许可');

    await staff.goto(detail);
    await actAsClerk(staff, '制作结果文书', (f) => f.getByLabel('许可证件编号').fill('JY14201020000123'), '制作完成');
    await actAsClerk(staff, '送达', async () => {}, '确认送达并办结');
    await expect.poll(() => staff.locator('main').innerText()).toContain('已办结');
    await checkA11y(staff);
  });

  it('the applicant sees the result, downloads the decision PDF and rates the service', async () => {
    const page = await j.newPage();
    await signIn(j, page, enterpriseLogin, DEMO_PASSWORD);
    await page.goto(j.url(caseUrl));
    await expect.poll(() => page.locator('main').innerText()).toContain('准予许可');
    await checkA11y(page);
    const response = await page.request.get(j.url(`${caseUrl}/decision.pdf`));
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByLabel('非常满意').check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => page.locator('#rating').innerText()).toContain('非常满意');
    await checkA11y(page);
  });
});
