import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { DEMO_PASSWORD, seedDemoAccounts } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * 刘强 (head of the 江岸区 12345 office) maintains the dispatch catalogue without JavaScript forms:
 * a refused category (error summary, nothing lost) then a new one, a rename, a rule for it with a
 * refused division first, and “试一试” showing which rule applies — axe on every page.
 */
describe('appeals: dispatch catalogue administration', () => {
  let j: Journey;
  let head: BrowserContext;

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'appeals')?.seed?.(j.testApp.platform);
    head = await j.newContext();
  }, 180_000);
  afterAll(async () => j?.stop());

  it('adds and renames a category, with field-named errors', async () => {
    const page = await head.newPage();
    await signIn(j, page, 'head.jiangan');
    await page.goto(j.url('/workbench/appeals/catalogue'));
    expect(await page.locator('h1').innerText()).toBe('派单目录');
    expect(await page.locator('.tree').innerText()).toContain('食品安全');
    await checkA11y(page);

    await page.getByLabel('上级分类').selectOption('02');
    await page.getByLabel(/^分类代码/).fill('0301');
    await page.getByRole('button', { name: '新增' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('请填写分类名称');
    expect(await page.locator('.error-summary').innerText()).toContain('上级代码 02 加两位数字');
    expect(await page.getByLabel(/^分类代码/).inputValue()).toBe('0301'); // nothing lost
    await checkA11y(page);
    await page.getByLabel(/^分类代码/).fill('0204');
    await page.getByLabel(/^分类名称/).fill('网络交易');
    await page.getByRole('button', { name: '新增' }).click();
    await expect.poll(() => page.locator('.tree').innerText()).toContain('0204 网络交易');

    await page.getByRole('link', { name: '0204 网络交易' }).click();
    await checkA11y(page);
    await page.getByLabel('新名称').fill('网络购物');
    await page.getByRole('button', { name: '改名' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('0204 网络购物');
  });

  it('adds a rule for it and checks which rule applies with 试一试', async () => {
    const page = await head.newPage();
    await page.goto(j.url('/workbench/appeals/catalogue/rules'));
    await checkA11y(page);
    await page.getByRole('link', { name: '新增规则' }).click();
    await checkA11y(page);
    await page.getByLabel('诉求分类（末级）').selectOption('0204');
    await page.getByLabel(/^行政区划代码/).fill('420281');
    await page.getByLabel('主办单位').selectOption({ label: '武汉市江岸区市场监督管理局' });
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('本中心管辖范围');
    await checkA11y(page);
    await page.getByLabel(/^行政区划代码/).fill('420102');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForURL((u) => u.pathname === '/workbench/appeals/catalogue/rules');
    expect(await page.locator('table').innerText()).toContain('0204 网络购物');

    await page.goto(j.url('/workbench/appeals/catalogue'));
    await page.getByLabel(/^诉求分类/).selectOption('0204');
    await page.getByLabel(/^事发地/).selectOption('420102');
    await page.getByRole('button', { name: '查看适用规则' }).click();
    await expect.poll(() => page.locator('#try-result').innerText()).toContain('武汉市江岸区市场监督管理局');
    await checkA11y(page);
  });
});
