import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';

const HAN = /[\u4e00-\u9fff]/;

/**
 * A visitor arrives at the portal: the page is Chinese, accessible (WCAG 2.1 AA), loads
 * nothing from other hosts, and the two preference switches in the top bar — 长辈版（大字）
 * and English — work as plain form posts.
 */
describe('home: a visitor arrives', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.stop());

  it('serves the home page in Chinese, accessible', async () => {
    const page = await j.newPage();
    const response = await page.goto(j.url('/'));
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.title()).toContain('湖北政务服务网');
    expect(await page.locator('h1').first().innerText()).toMatch(HAN);
    await screenshot(page, 'home');
    await checkA11y(page);
  });

  it('shows an accessible Chinese page for an address that does not exist', async () => {
    const page = await j.newPage();
    const response = await page.goto(j.url('/no-such-page'));
    expect(response?.status()).toBe(404);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect(page.locator('h1').innerText()).resolves.toBe('页面不存在');
    expect(await page.getByRole('link', { name: '返回首页' }).getAttribute('href')).toBe('/');
    await screenshot(page, 'not-found');
    await checkA11y(page);
  });

  it('switches to large text (长辈版) and back, staying on the page', async () => {
    const page = await j.newPage();
    await page.goto(j.url('/'));
    expect((await page.locator('html').getAttribute('class')) ?? '').not.toContain('large-text');
    await page.getByRole('button', { name: '长辈版（大字）' }).click();
    await page.waitForURL(j.url('/'));
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('large-text');
    // Larger text must not break contrast or structure.
    await checkA11y(page);
    await screenshot(page, 'home-large-text');
    await page.getByRole('button', { name: '标准字号' }).click();
    await page.waitForURL(j.url('/'));
    await expect.poll(async () => (await page.locator('html').getAttribute('class')) ?? '').not.toContain('large-text');
  });

  it('switches the page to English and back to Chinese', async () => {
    const page = await j.newPage();
    await page.goto(j.url('/'));
    await page.getByRole('button', { name: 'English' }).click();
    await page.waitForURL(j.url('/'));
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toContain('Hubei Government Services');
    await checkA11y(page);
    await screenshot(page, 'home-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.waitForURL(j.url('/'));
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('lets a visitor on the 404 page switch to large text', async () => {
    // The switches are on every page, the error pages included (the form carries back=<path>).
    const page = await j.newPage();
    await page.goto(j.url('/no-such-page'));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === j.url('/preferences') && r.request().method() === 'POST'),
      page.getByRole('button', { name: '长辈版（大字）' }).click(),
    ]);
    expect(response.status(), `POST /preferences from the 404 page answered ${response.status()}`).toBe(303);
    await page.waitForURL(j.url('/no-such-page'));
    await expect.poll(() => page.locator('html').getAttribute('class')).toContain('large-text');
    await checkA11y(page);
  });

  it('loads nothing from other hosts and logs no script errors or CSP violations', () => {
    expect(j.blockedRequests).toEqual([]);
    // HTTP statuses are checked by the tests above; Chromium also logs each 4xx/5xx document as
    // "Failed to load resource", which is not a script problem.
    const problems = j.consoleProblems.filter((p) => !p.text.startsWith('Failed to load resource'));
    expect(problems).toEqual([]);
  });
});
