import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { extractPdfText } from '../../src/platform/pdf/index.ts';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';
import { DEMO_PASSWORD, seedDemoAccounts } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * 依申请公开: 张三 asks 江岸区政务服务和大数据管理局 for a document → 王芳 confirms receipt and sends
 * one correction notice → 张三 supplements → 王芳 replies with partial disclosure → 张三 reads the
 * reply with its remedy notice and downloads the reply letter (PDF). Axe on every page.
 */
describe('disclosure request: file, correction, supplement, partial reply, PDF', () => {
  let j: Journey;
  let citizen: BrowserContext;
  let clerk: BrowserContext;
  let trackPath = '';
  let workbenchPath = '';

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    citizen = await j.newContext({ acceptDownloads: true });
    clerk = await j.newContext();
  });
  afterAll(async () => j?.stop());

  it('the citizen files a request; a missing description is named in Chinese and nothing typed is lost', async () => {
    const page = await citizen.newPage();
    await signIn(j, page, 'zhangsan');
    await page.goto(j.url('/disclosure-requests/new'));
    await checkA11y(page);
    await page.getByLabel('受理机关').selectOption({ label: '武汉市江岸区政务服务和大数据管理局' });
    await page.getByLabel('联系电话').fill('13800138000');
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('所需信息的描述');
    expect(await page.getByLabel('联系电话').inputValue()).toBe('13800138000');
    await checkA11y(page);
    await page.getByLabel('所需信息的描述').fill('江岸区老旧小区改造项目资金安排');
    await page.getByLabel('用途（选填）').fill('了解小区改造进度');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/account/disclosure-requests/'));
    trackPath = new URL(page.url()).pathname;
    await expect.poll(() => page.locator('.flash').innerText()).toContain('申请已提交');
    expect(await page.locator('main').innerText()).toContain('已收到');
    await checkA11y(page);
    await screenshot(page, 'disclosure-request-submitted');
    await page.goto(j.url('/account/disclosure-requests'));
    expect(await page.locator('main').innerText()).toContain('武汉市江岸区政务服务和大数据管理局');
    await checkA11y(page);
  });

  it('the clerk confirms receipt and sends one complete correction notice', async () => {
    const page = await clerk.newPage();
    await signIn(j, page, 'clerk.jiangan');
    await page.goto(j.url('/workbench/disclosure-requests/new'));
    await checkA11y(page);
    await page.goto(j.url('/workbench/disclosure-requests'));
    await checkA11y(page);
    expect(await page.locator('main').innerText()).toContain('待确认收到');
    await page.getByRole('link', { name: /^420102-\d{4}-\d{5}$/ }).first().click();
    workbenchPath = new URL(page.url()).pathname;
    await checkA11y(page);
    await page.locator('[aria-labelledby="act-confirm_receipt"]').getByRole('button', { name: '确认收到申请' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('已办理');
    const correction = page.locator('[aria-labelledby="act-request_correction"]');
    await correction.getByLabel('需要补正的事项').fill('请写明所需文件的名称或文号\n请写明所需信息的时间范围');
    await correction.getByRole('button', { name: '发出补正告知' }).click();
    await expect.poll(() => page.locator('main .badge').first().innerText()).toBe('待补正');
    await checkA11y(page);
  });

  it('the citizen reads the notice and supplements the request', async () => {
    const page = await citizen.newPage();
    await page.goto(j.url(trackPath));
    const notice = page.locator('[aria-labelledby="corr-h"]');
    expect(await notice.innerText()).toContain('请写明所需文件的名称或文号');
    await checkA11y(page);
    await notice.getByLabel('补正后的申请内容').fill('2025年江岸区老旧小区改造项目（后湖片区）资金安排文件');
    await notice.getByLabel('文号（如知道）').fill('岸政办〔2025〕12号');
    await notice.getByRole('button', { name: '提交补正' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('补正已提交');
    expect(await page.locator('main .badge').first().innerText()).toBe('办理中');
    expect(await page.locator('main').innerText()).toContain('答复期限');
    await checkA11y(page);
  });

  it('the clerk replies with partial disclosure, naming the reason', async () => {
    const page = await clerk.newPage();
    await page.goto(j.url(workbenchPath));
    const reply = page.locator('[aria-labelledby="act-reply"]');
    await reply.getByLabel('答复类型').selectOption({ label: '部分公开' });
    await reply.getByLabel('答复内容').fill('现将项目资金安排表提供给您，其中涉及施工企业商业秘密的部分已作区分处理。');
    await reply.getByRole('button', { name: '作出答复' }).click();
    // No reason chosen: refused with the field named, the text kept.
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('不予公开或部分公开须选择不予公开的理由');
    await checkA11y(page);
    const again = page.locator('[aria-labelledby="act-reply"]');
    expect(await again.getByLabel('答复内容').inputValue()).toContain('现将项目资金安排表');
    await again.getByLabel('答复类型').selectOption({ label: '部分公开' });
    await again.getByLabel('不予公开或不予处理的理由').selectOption({ label: '保护第三方合法权益（第十五条）' });
    await again.getByRole('button', { name: '作出答复' }).click();
    await expect.poll(() => page.locator('main .badge').first().innerText()).toBe('已答复');
    await checkA11y(page);
  });

  it('the citizen sees the reply with the remedy notice and downloads the reply letter', async () => {
    const page = await citizen.newPage();
    await page.goto(j.url(trackPath));
    const reply = page.locator('[aria-labelledby="reply-h"]');
    const text = await reply.innerText();
    expect(text).toContain('部分公开');
    expect(text).toContain('保护第三方合法权益');
    expect(text).toContain('行政复议');
    await checkA11y(page);
    await screenshot(page, 'disclosure-request-replied');
    const [download] = await Promise.all([page.waitForEvent('download'), reply.getByRole('link', { name: '下载答复书（PDF）' }).click()]);
    const file = await download.path();
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const letter = extractPdfText(pdf).replace(/\s+/g, '');
    expect(letter).toContain('政府信息公开申请答复书');
    expect(letter).toContain('张三：');
    expect(letter).toContain('部分公开');
    expect(letter).toContain('武汉市江岸区政务服务和大数据管理局');
    expect(j.blockedRequests).toEqual([]);
  });

  it('the office head drafts and publishes the annual report; it is a public page with PDF and Excel', async () => {
    const page = await j.newPage();
    await signIn(j, page, 'head.jiangan');
    await page.goto(j.url('/workbench/disclosure-reports'));
    await checkA11y(page);
    const year = new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
    await page.locator('#f-year').fill(String(year));
    await page.getByRole('button', { name: '生成报告草稿' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('年度报告草稿已生成');
    await checkA11y(page);
    await page.getByLabel('一、总体情况').fill('本年度本机关依申请公开工作平稳有序。');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('已保存');
    await page.getByRole('button', { name: '发布年度报告' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('年度报告已发布');
    await page.getByRole('link', { name: '查看公开页面' }).click();
    const main = await page.locator('main').innerText();
    expect(main).toContain(`武汉市江岸区政务服务和大数据管理局${year}年政府信息公开工作年度报告`);
    expect(main).toContain('本年度本机关依申请公开工作平稳有序');
    await checkA11y(page);
    const pdf = await page.request.get(j.url(new URL(page.url()).pathname + '/report.pdf'));
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const xlsx = await page.request.get(j.url(new URL(page.url()).pathname + '/report.xlsx'));
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await page.goto(j.url('/disclosure-reports'));
    await checkA11y(page);
    // The two refused forms answer 400 on purpose (the form shown again with its errors).
    expect(j.consoleProblems.filter((p) => !p.text.includes('status of 400'))).toEqual([]);
  });
});
