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
 * 开办餐饮店“一件事” in Chromium with axe on every page: the demo enterprise opens the life event,
 * fills the one merged form, uploads each material once, submits, and gets one receipt listing the
 * three cases (个体工商户登记, 食品经营许可, 公共场所卫生许可) with their numbers and query passwords; the
 * bundle shows on 我的办件 as one group; the 江岸区卫健局 clerk sees the 公共场所卫生许可 case only, marked as
 * one of the bundle.
 */
describe('life event: one form, three departments, one receipt', () => {
  let j: Journey;
  let clerk: { loginName: string; password: string };
  const enterpriseLogin = demoLogins().find((l) => l.role.startsWith('法人用户'))!.login;
  const caseNos: string[] = [];

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'catalog')?.seed?.(j.testApp.platform);
    clerk = await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区卫生健康局'], displayName: '刘窗口' });
  }, 600_000);
  afterAll(async () => j?.stop());

  it('the enterprise applies once for 开办餐饮店 and gets a receipt with every case', async () => {
    const page = await j.newPage();
    await signIn(j, page, enterpriseLogin, DEMO_PASSWORD);
    await page.goto(j.url('/life-events'));
    await page.getByRole('link', { name: '开办餐饮店“一件事”', exact: true }).click();
    await page.getByRole('link', { name: '一次填报，在线办理' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/apply'));
    await checkA11y(page);
    const main = page.getByRole('main');
    for (const dept of ['武汉市江岸区市场监督管理局', '武汉市江岸区卫生健康局']) await expect.poll(() => main.innerText()).toContain(dept);

    // Nothing typed: the error summary names the fields, nothing is saved.
    await page.getByRole('button', { name: '一次提交' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('需要修改');
    await checkA11y(page);

    const form = page.locator('form[enctype="multipart/form-data"]');
    for (const input of await form.locator('input[inputmode="decimal"]').all()) await input.fill('50');
    for (const input of await form.locator('input[type="text"]:not([inputmode="decimal"]), input[type="tel"], input[type="email"], textarea').all()) {
      if (!(await input.isVisible())) continue;
      const id = (await input.getAttribute('id')) ?? '';
      if (await input.inputValue()) continue;
      if (/Mobile/i.test(id)) await input.fill(randomMobile());
      else if (/IdNumber/i.test(id)) await input.fill(validCitizenId());
      else if (/Uscc/i.test(id)) await input.fill(enterpriseLogin);
      else await input.fill('江岸示例餐饮店');
    }
    for (const select of await form.locator('select[id^="f-"]').all()) {
      const value = await select.locator('option:not([value=""])').first().getAttribute('value');
      if (value) await select.selectOption(value);
    }
    for (const group of await form.locator('fieldset:has(input[type="radio"])').all()) await group.locator('input[type="radio"]').first().check();
    for (const box of await form.locator('input[type="checkbox"]').all()) if (!(await box.isChecked())) await box.check();
    const files = await form.locator('input[type="file"]').all();
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) await file.setInputFiles(pdf(`${(await file.getAttribute('id')) ?? 'm'}.pdf`));
    await page.getByRole('button', { name: '一次提交' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/receipt'));
    await checkA11y(page);

    expect(await page.locator('#bundle-no').innerText()).toMatch(/^YJS420102\d{12}$/);
    expect(await page.locator('#bundle-progress').innerText()).toBe('3 个事项中已办结 0 个');
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const text = await page.locator('table').innerText();
    for (const item of ['个体工商户登记', '食品经营许可', '公共场所卫生许可']) expect(text).toContain(item);
    for (const pw of await page.locator('.query-password').allInnerTexts()) expect(pw).toMatch(/^\d{6}$/);
    for (const row of await rows.all()) caseNos.push((await row.locator('td').first().innerText()).trim());
    expect(caseNos.every((n) => /^420102\d{14}$/.test(n))).toBe(true);

    // 我的办件: the bundle as one group, its detail page with each case's status and timeline link.
    await page.goto(j.url('/account/cases'));
    await checkA11y(page);
    await page.getByRole('link', { name: '开办餐饮店“一件事”' }).click();
    await page.waitForURL((u) => /\/account\/life-events\/[0-9a-f-]{36}$/.test(u.pathname));
    await checkA11y(page);
    await expect.poll(() => page.getByRole('main').innerText()).toContain('3 个事项中已办结 0 个');
    await page.getByRole('link', { name: '查看公共场所卫生许可的办理过程' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('公共场所卫生许可');
  });

  it('the 卫健局 clerk sees only the 公共场所卫生许可 case of the bundle', async () => {
    const staff = await j.newPage();
    await signIn(j, staff, clerk.loginName, clerk.password);
    await staff.goto(j.url('/workbench/cases'));
    const body = await staff.getByRole('main').innerText();
    const visible = caseNos.filter((n) => body.includes(n));
    expect(visible).toHaveLength(1);
    await staff.getByRole('link', { name: visible[0]! }).click();
    await expect.poll(() => staff.getByRole('main').innerText()).toContain('公共场所卫生许可');
    // The case page says it is one of a bundle and how the other departments' cases stand.
    const card = staff.locator('#bundle');
    await expect.poll(() => card.innerText()).toContain('开办餐饮店“一件事”');
    for (const item of ['个体工商户登记', '食品经营许可']) expect(await card.innerText()).toContain(item);
    await checkA11y(staff);
  });
});
