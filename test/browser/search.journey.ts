import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { systemContext } from '../../src/platform/auth/actor.ts';
import { seedJurisdictions } from '../../src/modules/jurisdictions/index.ts';

/**
 * A visitor of 大冶市's portal looks for how to get a business licence: types the words, narrows
 * to service items with a facet link, follows "did you mean" after a typo, and pages through
 * the results — all with plain links and a GET form (no JavaScript needed), axe-checked.
 */
describe('the one search box', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
    await seedJurisdictions(j.testApp.platform);
    const { platform } = j.testApp;
    await platform.transactor.run(systemContext('search-journey'), async (uow) => {
      for (let n = 1; n <= 14; n++) {
        await platform.search.put(uow, {
          key: `notice:journey-${n}`,
          kind: 'notice',
          title: `关于营业执照办理窗口调整的通知（第${n}期）`,
          body: '自下月起，营业执照办理窗口调整到政务服务中心二楼。申请人也可以在网上全程办理。',
          url: `/notices/journey-${n}`,
          publishedAt: new Date(Date.UTC(2025, 0, n)),
          divisionCode: n % 2 === 0 ? '420102' : '420281',
          organisationId: 'org-scj',
          organisationName: '市场监督管理局',
        });
      }
      await platform.search.put(uow, { key: 'service-item:yyzz', kind: 'service-item', title: '营业执照办理', body: '企业和个体工商户申请营业执照。', url: '/services/yyzz', publishedAt: null, divisionCode: '420000', organisationId: 'org-scj', organisationName: '湖北省市场监督管理局' });
      await uow.audit({ action: 'search.journey', objectType: 'search', objectId: 'seed' });
    });
  }, 180_000);
  afterAll(async () => j?.stop());

  it('searches, narrows by a facet, follows a suggestion and pages', async () => {
    const ctx = await j.newContext();
    await ctx.addCookies([{ name: 'zw_region', value: '420281', url: j.url('/') }]);
    const page = await ctx.newPage();
    await page.goto(j.url('/search'));
    await page.getByRole('main').getByRole('searchbox').fill('营业执照');
    await page.getByRole('main').getByRole('button', { name: '搜索' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('找到 15 条结果');
    expect(await page.locator('mark').first().textContent()).toBe('营业执照');
    await checkA11y(page);

    await page.getByRole('link', { name: '办事事项' }).click();
    expect(await page.getByRole('status').textContent()).toContain('找到 1 条结果');
    expect(await page.locator('.hit-title a').first().getAttribute('href')).toBe('/services/yyzz');

    await page.goto(j.url('/search?q=' + encodeURIComponent('营业执造')));
    await page.getByRole('link', { name: '营业执照' }).first().click();
    expect(await page.getByRole('status').textContent()).toContain('条结果');

    await page.getByRole('link', { name: '下一页' }).click();
    expect(page.url()).toContain('page=2');
    expect(await page.locator('.hit-title').count()).toBe(5);
    await checkA11y(page);

    // only this county's documents
    await page.goto(j.url('/search'));
    await page.getByRole('main').getByRole('searchbox').fill('营业执照');
    await page.getByLabel('仅大冶市').check();
    await page.getByRole('main').getByRole('button', { name: '搜索' }).click();
    expect(await page.getByRole('status').textContent()).toContain('找到 7 条结果');
    await checkA11y(page);
  });
});
