import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';
import { DEMO_PASSWORD, seedDemoAccounts } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * 江岸区政数局: the clerk (王芳) drafts a publication, the head (刘强) passes the
 * confidentiality review (保密审查) and publishes it; within a second a visitor of 大冶市's
 * disclosure portal finds it through the one search box. Every page is checked with axe.
 */
describe('proactive disclosure: draft, confidentiality review, publish, find', () => {
  let j: Journey;
  const title = `江岸区关于公布2026年第四季度政务服务中心延时服务安排的通知${Date.now().toString(36)}`;
  let detailUrl = '';

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
  });
  afterAll(async () => j?.stop());

  it('the clerk drafts, is told what is missing, and submits for review', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, 'clerk.jiangan');
    await page.goto(j.url('/workbench/disclosure'));
    await checkA11y(page);
    await page.getByRole('link', { name: '起草公开信息' }).click();
    await page.waitForURL((u) => u.pathname === '/workbench/disclosure/new');
    await checkA11y(page);
    await page.getByLabel('标题').fill(title);
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('成文日期');
    expect(await page.getByLabel('标题').inputValue()).toBe(title);
    await checkA11y(page);
    await page.getByLabel('文号').fill('岸政数〔2026〕15号');
    await page.getByLabel('成文日期').fill('2026-11-20');
    await page.getByLabel('主题分类（公开目录）').selectOption({ label: '法规文件 › 其他文件' });
    await page.getByLabel('文种').selectOption('通知');
    await page.getByLabel('正文').fill('各街道办事处：\n\n第四季度工作日延时服务至19:00，周六上午提供预约服务。');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL((u) => /^\/workbench\/disclosure\/[0-9a-f-]{36}$/.test(u.pathname));
    detailUrl = new URL(page.url()).pathname;
    await expect.poll(() => page.locator('main').innerText()).toContain('草稿');
    await checkA11y(page);
    await page.getByRole('button', { name: '提交保密审查' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('待保密审查');
    await screenshot(page, 'disclosure-submitted');
    await context.close();
  });

  it('the head passes the confidentiality review and publishes; another county’s portal finds it within a second', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, 'head.jiangan');
    await page.goto(j.url(detailUrl));
    await checkA11y(page);
    await page.getByLabel('保密审查意见').fill('经审查，不涉及国家秘密、工作秘密和个人隐私，同意公开。');
    await page.getByRole('button', { name: '审查通过' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('审查通过待发布');
    // A visitor of 大冶市's portal has the search box filled in before the publication goes out.
    const visitor = await j.newPage();
    await visitor.goto(j.url('/disclosure/420281'));
    await checkA11y(visitor);
    await visitor.locator('#site-search').fill(title);

    // The POST answers (303) after the publishing transaction has committed.
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/publish')), page.getByRole('button', { name: '发布', exact: true }).click()]);
    const publishedAt = Date.now();
    // Searched at once: the first search after publishing finds it (index updates are visible within a second).
    await visitor.locator('form[role=search] button').click();
    await visitor.waitForURL((u) => u.pathname === '/search');
    const searchedAfter = Date.now() - publishedAt;
    expect(await visitor.getByRole('link', { name: title }).count(), `searched ${searchedAfter} ms after publishing`).toBeGreaterThan(0);
    await checkA11y(visitor);

    await expect.poll(() => page.locator('main').innerText()).toContain('已发布');
    const indexNumber = (await page.locator('table.meta td').first().innerText()).trim();
    expect(indexNumber).toMatch(/^[0-9A-Z]{8}[0-9X]\/\d{4}-\d{5}$/);
    await checkA11y(page);
    await screenshot(visitor, 'disclosure-found-in-search');

    await visitor.getByRole('link', { name: title }).first().click();
    await expect.poll(() => visitor.locator('main').innerText()).toContain(indexNumber);
    const meta = await visitor.locator('table.meta').innerText();
    for (const label of ['索引号', '发布机构', '成文日期', '发布日期', '文号', '主题分类', '有效性']) expect(meta).toContain(label);
    await checkA11y(visitor);
    await visitor.goto(j.url('/disclosure/420102'));
    await expect.poll(() => visitor.locator('main').innerText()).toContain(title);
    await checkA11y(visitor);
    await context.close();
  });

  it('the head migrates old publications through the upload page and watches the progress bar', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, 'head.jiangan');
    await page.goto(j.url('/workbench/disclosure/alerts'));
    await checkA11y(page);
    await page.goto(j.url('/workbench/disclosure/import'));
    await checkA11y(page);
    const rows = Array.from({ length: 12 }, (_, i) => ({ sourceId: `old-site-${i}`, title: `江岸区旧网站迁移文件第${i + 1}号`, writtenOn: '2021-06-01', publishedAt: '2021-06-03', category: '其他', genre: '通知', body: `<p>旧网站正文 ${i + 1}</p>` }));
    rows.push({ sourceId: 'old-site-bad', title: '', writtenOn: '2021-06-01', publishedAt: '2021-06-03', category: '其他', genre: '通知', body: '缺标题' });
    await page.getByLabel('数据文件（JSON 或 CSV）').setInputFiles({ name: 'old-site.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });
    await page.getByRole('button', { name: '开始导入' }).click();
    await page.waitForURL((u) => /^\/workbench\/disclosure\/import\/[0-9a-f-]{36}$/.test(u.pathname));
    await expect.poll(() => page.locator('#import-summary').innerText(), { timeout: 15000 }).toContain('导入完成：新增 12 条，跳过 0 条，失败 1 条');
    expect(await page.locator('progress').getAttribute('value')).toBe('13');
    await checkA11y(page);
    await screenshot(page, 'disclosure-import-done');
    await context.close();
  });
});
