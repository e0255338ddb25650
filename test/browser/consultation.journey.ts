import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';
import { DEMO_PASSWORD, seedDemoAccounts } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** `2026-12-01 09:00` in Beijing time, as the workbench form takes it. */
function beijing(offsetMs: number): string {
  return new Date(Date.now() + offsetMs + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

const TITLE = '《江岸区背街小巷环境整治办法（征求意见稿）》';

/**
 * 刘强 (部门负责人, 江岸区政数局) publishes a draft for comment; 张三 (a real-name verified
 * citizen) comments on it and answers the city's satisfaction survey; 刘强 closes the
 * consultation, approves the comment, records that it was adopted and publishes the
 * feedback; 张三 reads it. Every page is checked with axe.
 */
describe('consultations: comment, answer, feedback', () => {
  let j: Journey;
  let organiser: BrowserContext;
  let citizen: BrowserContext;
  let draftUrl = '';

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'consultations')?.seed?.(j.testApp.platform);
    organiser = await j.newContext();
    citizen = await j.newContext();
  });
  afterAll(async () => j?.stop());

  it('the organiser drafts and publishes a consultation', async () => {
    const page = await organiser.newPage();
    await signIn(j, page, 'head.jiangan');
    await page.goto(j.url('/workbench/consultations'));
    await checkA11y(page);
    await page.getByRole('link', { name: '发起征求意见' }).click();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('请填写标题');
    await checkA11y(page);
    await page.getByLabel('标题').fill(TITLE);
    await page.getByLabel('内容简介').fill('为改善背街小巷环境，现公开征求意见。');
    await page.getByLabel('正文').fill('第一条 为改善背街小巷环境，制定本办法。\n\n第二条 街道办事处负责辖区背街小巷的日常保洁。');
    await page.getByLabel('开始时间').fill(beijing(-60_000));
    await page.getByLabel('截止时间').fill(beijing(7 * 86_400_000));
    await page.getByLabel(/实名参与/).check();
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL((u) => /\/workbench\/consultations\/[0-9a-f-]{36}$/.test(u.pathname));
    await checkA11y(page);
    await page.getByRole('button', { name: '发布' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('已发布');
    draftUrl = new URL(page.url()).pathname.replace('/workbench', '');
    await screenshot(page, 'consultation-workbench-published');
    // The survey form and a running survey of the same office (seeded) are accessible too.
    await page.goto(j.url('/workbench/consultations/new?kind=survey'));
    await checkA11y(page);
    await page.goto(j.url('/workbench/consultations?kind=survey'));
    await page.getByRole('link', { name: '江岸区政务服务中心延时服务需求调查' }).click();
    expect(await page.locator('main').innerText()).toContain('收到答卷 0 份');
    await checkA11y(page);
  });

  it('a verified citizen comments on the draft (refused first, input kept) and answers a survey', async () => {
    const page = await citizen.newPage();
    await signIn(j, page, 'zhangsan');
    await page.goto(j.url('/consultations'));
    await checkA11y(page);
    await page.getByRole('link', { name: TITLE }).click();
    await checkA11y(page);
    await page.getByLabel('意见内容').fill('太短');
    await page.getByRole('button', { name: '提交意见' }).click();
    await expect.poll(() => page.locator('.error-summary').innerText()).toContain('意见内容至少 5 个字');
    expect(await page.getByLabel('意见内容').inputValue()).toBe('太短');
    await checkA11y(page);
    await page.getByLabel('意见内容').fill('建议明确夜间保洁的时段，并在巷口公示保洁责任人和联系电话。');
    await page.getByRole('button', { name: '提交意见' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('您的意见已提交');
    expect(await page.locator('main').innerText()).toContain('您提交的意见');
    await screenshot(page, 'consultation-commented');

    await page.goto(j.url('/consultations?kind=survey'));
    await page.getByRole('link', { name: '武汉市政务服务满意度网上调查' }).click();
    await checkA11y(page);
    await page.getByLabel('鄂汇办 App').check();
    await page.getByLabel('5 分（非常满意）').check();
    await page.getByLabel('材料精简').check();
    await page.getByLabel(/您对改进政务服务还有哪些建议/).fill('希望更多事项可以掌上办。');
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/results'));
    await expect.poll(() => page.locator('.flash').innerText()).toContain('问卷已提交');
    expect(await page.locator('main').innerText()).toContain('共收到 6 份答卷');
    await screenshot(page, 'survey-results');
    await checkA11y(page);
  });

  it('the organiser closes, moderates and publishes the feedback', async () => {
    const page = await organiser.newPage();
    await page.goto(j.url(`/workbench${draftUrl}`));
    await page.getByRole('button', { name: '提前截止' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('已提前截止');
    await page.getByRole('link', { name: '审核意见' }).click();
    await checkA11y(page);
    expect(await page.locator('main').innerText()).toContain('建议明确夜间保洁的时段');
    await page.getByRole('button', { name: '公开', exact: true }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('已公开');
    await page.goto(j.url(`/workbench${draftUrl}/feedback`));
    await checkA11y(page);
    await page.getByLabel('采纳', { exact: true }).check();
    await page.getByLabel('理由或说明').fill('已在第二条增加夜间保洁时段和责任人公示的要求。');
    await page.getByLabel('总体情况说明').fill('本次征求意见共收到有效意见 1 条，已全部采纳。');
    await page.getByRole('button', { name: '保存并公布意见采纳情况' }).click();
    await expect.poll(() => page.locator('.flash').innerText()).toContain('意见采纳情况已公布');
    await screenshot(page, 'consultation-feedback-published');
  });

  it('the citizen reads the feedback', async () => {
    const page = await citizen.newPage();
    await page.goto(j.url('/consultations?state=closed'));
    await checkA11y(page);
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('link', { name: '查看意见采纳情况' }).click();
    const text = await page.locator('main').innerText();
    expect(text).toContain('本次征求意见共收到有效意见 1 条，已全部采纳。');
    expect(text).toContain('已在第二条增加夜间保洁时段和责任人公示的要求。');
    expect(text).toContain('张*');
    expect(text).not.toContain('张三');
    await screenshot(page, 'consultation-feedback');
    await checkA11y(page);
    expect(j.consoleProblems.filter((p) => !p.text.includes('400'))).toEqual([]);
    expect(j.blockedRequests).toEqual([]);
  });
});
