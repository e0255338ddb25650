import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';
import { buildStaffAccount, seedDemoAccounts } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string, password: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * 江岸区市场监管局的事项编制员 revises the 食品经营许可 guide: the quality check refuses to
 * submit it while the complaint phone equals the consultation phone, and says so; she fixes
 * it and submits; the head of the bureau publishes; a citizen finds the item by its pinyin
 * initials and reads the new guide.
 */
describe('catalog: revise, quality block, publish, find by initials', () => {
  let j: Journey;
  let clerk: { loginName: string; password: string };
  let head: { loginName: string; password: string };
  let itemPath = '';

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'catalog')?.seed?.(j.testApp.platform);
    clerk = await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区市场监督管理局'], displayName: '刘敏' });
    head = await buildStaffAccount(j.testApp, { roles: ['org_head'], organisations: ['武汉市江岸区市场监督管理局'], displayName: '陈局长' });
  }, 180_000);
  afterAll(async () => j?.stop());

  it('a clerk revises the item and is stopped by a quality rule, then fixes it', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, clerk.loginName, clerk.password);
    await page.goto(j.url('/workbench/catalog'));
    await checkA11y(page);
    await page.getByLabel('名称或实施编码').fill('食品经营许可');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('link', { name: '食品经营许可' }).first().click();
    itemPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: '起草新版本' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('在编版本：第 2 版');
    await checkA11y(page);

    // the form editor: a field added field by field shows in the preview
    await page.getByRole('link', { name: '编辑申请表单' }).click();
    await page.locator('#f-fieldLabel').fill('门店招牌名称');
    await page.locator('#f-fieldName').fill('signboard');
    await page.getByRole('button', { name: '添加字段' }).click();
    await expect.poll(() => page.locator('[inert]').innerText()).toContain('门店招牌名称');
    await checkA11y(page);
    await page.getByRole('link', { name: '食品经营许可' }).first().click();

    await page.getByRole('link', { name: '编辑事项要素' }).click();
    const consultation = await page.getByLabel('咨询电话').inputValue();
    await page.getByLabel('监督投诉电话').fill(consultation);
    await page.getByLabel('承诺办结时限', { exact: true }).fill('4');
    await page.getByLabel('办理流程').fill('受理 | 1 | 工作日 | 窗口或网上受理\n审查 | 1 | 工作日 | 审查材料，必要时现场核查\n决定 | 1 | 工作日 | 作出决定\n办结（送达） | 1 | 工作日 | 电子证照送达');
    await checkA11y(page);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('质量检查发现 1 处问题');

    await page.getByRole('button', { name: '提交审核' }).click();
    const summary = page.locator('.error-summary[role=alert]');
    await expect.poll(() => summary.innerText()).toContain('不能提交审核');
    expect(await summary.innerText()).toContain('监督投诉电话：【Q5】监督投诉电话不能与咨询电话相同');
    await screenshot(page, 'catalog-quality-block');
    await checkA11y(page);

    await page.getByRole('link', { name: '编辑事项要素' }).click();
    await page.getByLabel('监督投诉电话').fill('027-12315');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('监督投诉电话应带区号');
    await page.getByRole('link', { name: '编辑事项要素' }).click();
    await page.getByLabel('监督投诉电话').fill('027-82812315');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('质量检查已通过');
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('待审核');
    await context.close();
  });

  it('the head of the bureau publishes version 2', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, head.loginName, head.password);
    await page.goto(j.url(itemPath));
    await checkA11y(page);
    await page.getByRole('button', { name: '审核通过并发布' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('已审核通过并发布');
    expect(await page.locator('main').innerText()).toContain('已被新版本替代');
    await screenshot(page, 'catalog-published');
    // the other workbench pages a reviewer uses pass the accessibility check too
    for (const path of ['/workbench/catalog/new', '/workbench/catalog/import', '/workbench/catalog/life-events', '/workbench/catalog/life-events/new']) {
      await page.goto(j.url(path));
      await checkA11y(page);
    }
    await context.close();
  });

  it('a citizen finds it by initials and reads the guide', async () => {
    const page = await j.newPage();
    await page.goto(j.url('/services'));
    await checkA11y(page);
    await page.getByLabel('事项名称、拼音或首字母').fill('spjyxk');
    await page.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('找到 2 个事项');
    await checkA11y(page);
    await page.getByRole('row', { name: /武汉市江岸区市场监督管理局/ }).getByRole('link', { name: '食品经营许可' }).click();
    const text = await page.locator('main').innerText();
    expect(text).toContain('承诺办结时限');
    expect(text).toContain('4 个工作日');
    expect(text).toContain('027-82812315');
    expect(text).toContain('第 2 版');
    expect(await page.getByRole('link', { name: '在线办理' }).getAttribute('href')).toMatch(/^\/services\/[0-9a-f-]+\/apply$/);
    await screenshot(page, 'catalog-guide');
    await checkA11y(page);
    await page.goto(j.url('/life-events'));
    await page.getByRole('link', { name: '开办餐饮店“一件事”', exact: true }).click();
    expect(await page.locator('main').innerText()).toContain('公共场所卫生许可');
    await checkA11y(page);
  });
});
