import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { SAMPLES } from '../support/file-samples.ts';
import { buildStaffAccount, DEMO_PASSWORD, seedDemoAccounts, TEST_PASSWORD } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * 张三 files a complaint with a photo → 王芳 (12345 office, 江岸区) dispatches it to the suggested
 * unit → the market regulator returns it with a reason → 刘强 (office head) upholds the return and
 * reassigns it → the housing bureau signs and replies → 张三 is unsatisfied → the bureau handles it
 * again and replies → 王芳 calls back, satisfied → closed. Then 王芳 records a hotline call.
 */
describe('appeals: complaint through dispatch, return, reassignment, re-handling', () => {
  let j: Journey;
  let citizen: BrowserContext;
  let dispatcher: BrowserContext;
  let head: BrowserContext;
  let scj: BrowserContext;
  let fgj: BrowserContext;
  let ticketPath = '';
  let trackPath = '';

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'appeals')?.seed?.(j.testApp.platform);
    await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区市场监督管理局'], loginName: 'clerk.scj', displayName: '市场监管办事员' });
    await buildStaffAccount(j.testApp, { roles: ['clerk'], organisations: ['武汉市江岸区住房保障和房屋管理局'], loginName: 'clerk.fgj', displayName: '房管办事员' });
    [citizen, dispatcher, head, scj, fgj] = await Promise.all([j.newContext(), j.newContext(), j.newContext(), j.newContext(), j.newContext()]);
  }, 180_000);
  afterAll(async () => j?.stop());

  it('a citizen files a complaint with a photo and gets a number and query code', async () => {
    const page = await citizen.newPage();
    await signIn(j, page, 'zhangsan');
    await page.goto(j.url('/appeals/new'));
    await checkA11y(page);
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('请填写标题');
    await checkA11y(page);
    await page.getByLabel('诉求类型').selectOption('complaint');
    await page.getByLabel('标题').fill('解放大道烧烤店卖过期食品');
    await page.getByLabel('诉求内容').fill('昨天在解放大道1127号附近的烧烤店吃饭，发现卖过期食品，吃完后腹泻呕吐，要求查处。');
    await page.getByLabel('事发地（区县）').selectOption('420102');
    await page.getByLabel('详细地址').fill('解放大道1127号');
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByLabel(/照片或 PDF/).setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: SAMPLES.png });
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForURL((u) => u.pathname === '/appeals/track');
    await expect.poll(() => page.locator('h1').first().innerText()).toContain('已收到您的诉求');
    await checkA11y(page);
    trackPath = new URL(page.url()).pathname + new URL(page.url()).search.replace('&new=1', '');
    expect(await page.locator('#ticket-number').innerText()).toMatch(/^\d{14}$/);
  });

  it('the dispatcher accepts the suggested unit', async () => {
    const page = await dispatcher.newPage();
    await signIn(j, page, 'clerk.jiangan');
    await page.goto(j.url('/workbench/appeals'));
    await checkA11y(page);
    await page.getByRole('link', { name: /^\d{14}$/ }).first().click();
    ticketPath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator('#suggested-unit').innerText()).toBe('武汉市江岸区市场监督管理局');
    expect(await page.getByRole('link', { name: 'receipt.png' }).count()).toBe(1);
    await checkA11y(page);
    await page.locator('#action-dispatch').getByRole('button', { name: '派单' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText()).toBe('待签收');
  });

  it('the unit returns it with a reason; the office head reassigns it', async () => {
    const page = await scj.newPage();
    await signIn(j, page, 'clerk.scj', TEST_PASSWORD);
    await page.goto(j.url(ticketPath));
    await page.locator('#action-return').getByRole('button', { name: '退单' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('退单必须说明理由');
    await checkA11y(page);
    await page.locator('#action-return').getByLabel(/理由/).fill('涉事门店位于住宅楼底商，属房屋使用管理问题');
    await page.locator('#action-return').getByRole('button', { name: '退单' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText()).toBe('退单待审核');

    const hp = await head.newPage();
    await signIn(j, hp, 'head.jiangan');
    await hp.goto(j.url(ticketPath));
    await checkA11y(hp);
    await hp.locator('#action-uphold_return').getByLabel(/主办单位/).selectOption({ label: '武汉市江岸区住房保障和房屋管理局' });
    await hp.locator('#action-uphold_return').getByRole('button', { name: '同意退单并改派' }).click();
    await expect.poll(() => hp.locator('.badge').first().innerText()).toBe('待签收');
  });

  it('the new unit signs and replies; the citizen is unsatisfied; it is handled again and closed', async () => {
    const page = await fgj.newPage();
    await signIn(j, page, 'clerk.fgj', TEST_PASSWORD);
    await page.goto(j.url(ticketPath));
    await page.locator('#action-sign').getByRole('button', { name: '签收' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText()).toBe('已签收');
    await page.locator('#action-reply').getByLabel(/办结答复内容/).fill('已联系商家下架过期食品并约谈负责人。');
    await page.locator('#action-reply').getByRole('button', { name: '办结答复' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText()).toBe('已答复待回访');

    const cp = await citizen.newPage();
    await cp.goto(j.url(trackPath));
    await checkA11y(cp);
    await cp.getByLabel('不满意').check();
    await cp.getByLabel(/意见/).fill('商家没有退款');
    await cp.getByRole('button', { name: '提交评价' }).click();
    await expect.poll(() => cp.locator('.ticket-state').innerText()).toBe('办理中');

    await page.goto(j.url(ticketPath));
    await page.locator('#action-reply').getByLabel(/办结答复内容/).fill('已督促商家全额退款，款项已到账。');
    await page.locator('#action-reply').getByRole('button', { name: '办结答复' }).click();
    await expect.poll(() => page.locator('.badge').first().innerText()).toBe('已答复待回访');

    const dp = await dispatcher.newPage();
    await dp.goto(j.url(ticketPath));
    await dp.locator('#action-callback').getByLabel('回访满意度').selectOption('satisfied');
    await dp.locator('#action-callback').getByRole('button', { name: '回访' }).click();
    await expect.poll(() => dp.locator('.badge').first().innerText()).toBe('已办结');
    await checkA11y(dp);

    await cp.goto(j.url(trackPath));
    await expect.poll(() => cp.locator('.ticket-state').innerText()).toBe('已办结');
  });

  it('an operator records a hotline call', async () => {
    const page = await dispatcher.newPage();
    await page.goto(j.url('/workbench/appeals'));
    await page.getByRole('link', { name: '登记来电' }).click();
    await checkA11y(page);
    await page.getByLabel('诉求类型').selectOption('help');
    await page.getByLabel('标题').fill('独居老人无人照顾');
    await page.getByLabel('诉求内容').fill('胜利街独居老人行动不便，无人照顾，家属在外地，求助社区上门看看。');
    await page.getByLabel('事发地（区县）').selectOption('420102');
    await page.getByLabel('来电号码').fill('027-82345678');
    await page.getByLabel('联系人').fill('陈女士');
    await page.getByLabel('联系电话').fill('13700002222');
    await page.getByRole('button', { name: '登记' }).click();
    await page.waitForURL((u) => /\/workbench\/appeals\/[0-9a-f-]{36}$/.test(u.pathname));
    expect(await page.locator('#reporter').innerText()).toContain('027****5678');
    await checkA11y(page);
  });

  it('the other appeals pages pass axe: my appeals, published letters, lookup, the knowledge base', async () => {
    const cp = await citizen.newPage();
    await cp.goto(j.url('/appeals/mine'));
    await checkA11y(cp);
    expect(await cp.getByRole('link', { name: /^\d{14}$/ }).count()).toBeGreaterThan(0);
    for (const path of ['/appeals/public', '/appeals/track']) {
      await cp.goto(j.url(path));
      await checkA11y(cp);
    }
    const hp = await head.newPage();
    await hp.goto(j.url('/workbench/appeals/kb'));
    await checkA11y(hp);
    await hp.getByRole('link', { name: '新增条目' }).click();
    await hp.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => hp.locator('.error-summary').innerText()).toContain('问题至少 4 个字');
    await checkA11y(hp);
    await hp.getByLabel('问题').fill('噪声扰民找哪个部门？');
    await hp.getByLabel('答案').fill('社会生活噪声由公安机关处理，建筑施工噪声由生态环境或住建部门处理，可拨打 12345 反映。');
    await hp.getByLabel(/关键词/).fill('噪声，扰民');
    await hp.getByLabel(/发布/).check();
    await hp.getByRole('button', { name: '保存' }).click();
    await hp.waitForURL((u) => u.pathname === '/workbench/appeals/kb');
    expect(await hp.getByRole('link', { name: '噪声扰民找哪个部门？' }).count()).toBe(1);
  });
});
