import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCode } from '../../src/modules/identity/index.ts';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';
import { DEMO_PASSWORD, seedDemoAccounts } from '../support/identity.ts';

async function signIn(j: Journey, page: Page, login: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForLoadState('load');
}

/**
 * The audit administrator (安全审计员) signs in for the first time, is made to bind TOTP,
 * signs in again with password + dynamic code, and reads the audit trail — which shows the
 * sign-ins just made. A clerk cannot open the trail.
 */
describe('staff: TOTP sign-in and the audit trail', () => {
  let j: Journey;
  let secret = '';
  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
  });
  afterAll(async () => j?.stop());

  it('makes an administrator bind TOTP at first sign-in', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, 'auditadmin');
    await page.goto(j.url('/workbench'));
    await page.waitForURL((u) => u.pathname.startsWith('/account/security') || u.pathname.startsWith('/login'));
    if (!page.url().includes('/account/security')) await page.goto(j.url('/account/security'));
    await expect.poll(() => page.locator('main').innerText()).toContain('须先绑定动态口令');
    await page.getByRole('button', { name: '开始绑定动态口令' }).click();
    await page.waitForLoadState('load');
    const shown = await page.locator('main code').first().innerText();
    secret = shown.replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screenshot(page, 'totp-enrol');
    await checkA11y(page);
    await page.getByLabel('验证码').fill(await totpCode(secret, new Date(Date.now() - 30_000)));
    await page.getByRole('button', { name: '完成绑定' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('恢复码');
    expect(await page.locator('.recovery-codes li').count()).toBe(10);
    await checkA11y(page);
    await context.close();
  });

  it('signs in with password and dynamic code, and reads the audit trail', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, 'auditadmin');
    await page.waitForURL((u) => u.pathname.startsWith('/login/totp'));
    await checkA11y(page);
    await page.getByLabel('动态验证码或恢复码').fill(await totpCode(secret));
    await page.getByRole('button', { name: '验证并登录' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(j.url('/workbench/audit'));
    expect(page.url()).toContain('/workbench/audit');
    const table = await page.locator('main').innerText();
    expect(table).toMatch(/登录|sign/i);
    await screenshot(page, 'audit-trail');
    await checkA11y(page);
    // Filter by action, then the CSV export answers with a BOM-prefixed file.
    const exportHref = await page.getByRole('link', { name: /导出/ }).first().getAttribute('href');
    expect(exportHref).toContain('/workbench/audit/export.csv');
    const csv = await context.request.get(j.url(exportHref!));
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const bytes = await csv.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    await context.close();
  });

  it('does not show the trail to a clerk', async () => {
    const context = await j.newContext();
    const page = await context.newPage();
    await signIn(j, page, 'clerk.jiangan');
    const response = await page.goto(j.url('/workbench/audit'));
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('无权访问');
    await checkA11y(page);
    expect(await page.locator('nav.wb-nav, nav').allInnerTexts()).not.toContain('审计');
    await context.close();
    // The only console line allowed is the browser noting the deliberate 403 itself.
    expect(j.consoleProblems.filter((p) => !(p.pageUrl.endsWith('/workbench/audit') && p.text.includes('403')))).toEqual([]);
  });
});
