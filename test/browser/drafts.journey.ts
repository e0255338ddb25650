import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { seedDemoAccounts } from '../support/identity.ts';
import { SAMPLES } from '../support/file-samples.ts';
import { DEMO_PASSWORD } from '../../src/modules/identity/index.ts';

async function signIn(j: Journey, page: Page, login: string, password: string): Promise<void> {
  await page.goto(j.url('/login'));
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('main').getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/**
 * Issue 3 in Chromium with axe on every page: 张三 keeps their contact address in 我的资料, opens an
 * application (verified identity read-only, the rest prefilled), changes the contact number and
 * saves a draft with required fields still empty, leaves, comes back through 我的空间 → 我的草稿 →
 * 继续填写, finds what they typed, completes and submits; the draft is gone.
 */
describe('drafts: prefill, save a draft, leave, resume from 我的草稿, submit', () => {
  let j: Journey;
  let page: Page;
  let itemId = '';
  let itemName = '';

  beforeAll(async () => {
    j = await startJourney();
    await seedDemoAccounts(j.testApp);
    await j.testApp.modules.find((m) => m.name === 'catalog')?.seed?.(j.testApp.platform);
    const rows = await sql<{ id: string; name: string }>`
      SELECT i.id, i.name FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id
      WHERE v.form::text LIKE '%applicant.idNumber%' ORDER BY i.name, i.id`.execute(j.testApp.platform.db);
    page = await j.newPage();
    await signIn(j, page, 'zhangsan', DEMO_PASSWORD);
    for (const r of rows.rows) {
      const res = await page.goto(j.url(`/services/${r.id}/apply`));
      if (res?.status() === 200) {
        itemId = r.id;
        itemName = r.name;
        break;
      }
    }
    expect(itemId).not.toBe('');
  }, 600_000);
  afterAll(async () => j?.stop());

  it('我的资料: the verified identity is read-only, the contact address is saved', async () => {
    await page.goto(j.url('/account'));
    await page.getByRole('link', { name: '我的资料' }).click();
    await checkA11y(page);
    await expect.poll(() => page.locator('main').innerText()).toContain('实名信息（已核验，不可修改）');
    await page.getByLabel('联系地址').fill('武汉市江岸区沿江大道 1 号');
    await page.getByRole('button', { name: '保存资料' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('资料已保存');
    await checkA11y(page);
  });

  it('the application is prefilled; 保存草稿 keeps what was typed although required fields are empty', async () => {
    await page.goto(j.url(`/services/${itemId}/apply`));
    await checkA11y(page);
    const locked = page.locator('#locked-fields');
    await expect.poll(() => locked.innerText()).toContain('张三');
    expect(await locked.innerText()).toContain('420102********1232');
    const phone = page.getByLabel(/联系电话/);
    expect(await phone.inputValue()).toBe('13800138000');
    await phone.fill('13700137000');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL((u) => u.pathname === '/account/drafts');
    await expect.poll(() => page.locator('main').innerText()).toContain(itemName);
    await checkA11y(page);
  });

  it('after leaving, 我的空间 → 我的草稿 → 继续填写 opens the page filled from the draft; submitting removes the draft', async () => {
    await page.goto(j.url('/'));
    await page.goto(j.url('/account'));
    await page.getByRole('link', { name: '我的草稿' }).click();
    await page.getByRole('link', { name: new RegExp(`继续填写`) }).first().click();
    await page.waitForURL((u) => u.pathname === `/services/${itemId}/apply`);
    await expect.poll(() => page.locator('#draft-notice').innerText()).toContain('已载入您于');
    expect(await page.getByLabel(/联系电话/).inputValue()).toBe('13700137000');
    await checkA11y(page);

    const form = page.locator('form[enctype="multipart/form-data"]');
    for (const input of await form.locator('input[type="text"], input[type="tel"], input[type="email"], textarea').all()) {
      if (await input.inputValue()) continue;
      if ((await input.getAttribute('inputmode')) === 'decimal') await input.fill('50');
      else await input.fill('示例内容');
    }
    for (const input of await form.locator('input[type="date"]').all()) await input.fill('2026-12-01');
    for (const group of await form.locator('fieldset:has(input[type="radio"])').all()) await group.locator('input[type="radio"]').first().check();
    for (const sel of await form.locator('select[id^="f-"]').all()) {
      const v = await sel.locator('option:not([value=""])').first().getAttribute('value');
      if (v) await sel.selectOption(v);
    }
    for (const box of await form.locator('input[type="checkbox"]').all()) if (!(await box.isChecked())) await box.check();
    for (const file of await form.locator('input[type="file"]').all()) await file.setInputFiles({ name: `${(await file.getAttribute('id')) ?? 'm'}.pdf`, mimeType: 'application/pdf', buffer: SAMPLES.pdf });
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.waitForLoadState();
    // a refusal would show the error summary: make it the failure message
    expect(await page.locator('.error-summary').count(), await page.locator('.error-summary').allInnerTexts().then((x) => x.join(' '))).toBe(0);
    await page.waitForURL((u) => u.pathname.endsWith('/receipt'));
    await checkA11y(page);

    await page.goto(j.url('/account/drafts'));
    await expect.poll(() => page.locator('main').innerText()).toContain('您还没有草稿');
    await checkA11y(page);
  });
});
