import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { asActor, buildStaff, headerAuthenticator } from '../support/test-auth.ts';
import { systemActor, type Actor } from '../../src/platform/auth/actor.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../../src/modules/jurisdictions/index.ts';

/**
 * The public mailbox (政民互动信箱): a visitor searches the published letters, opens one, reads
 * the figures as a table (no JavaScript) and as ECharts charts; a unit head opens the scoped figures
 * and downloads the Excel export. Tickets are made through the appeals API (header actors).
 */
describe('public mailbox and figures', () => {
  let j: Journey;
  let scjHead: Actor;

  beforeAll(async () => {
    j = await startJourney({ authenticator: headerAuthenticator });
    const t = j.testApp;
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    const lookup = createJurisdictionsModule(t.platform).service;
    const orgId = async (name: string) => (await lookup.listOrganisations(systemActor('test'), { q: name }, { page: 1, pageSize: 5 })).items.find((o) => o.name === name)!.id;
    const centre = buildStaff({ organisationId: await orgId('武汉市江岸区政务服务和大数据管理局'), organisationName: '武汉市江岸区政务服务和大数据管理局', jurisdictionCode: '420102', roles: ['org_head'] });
    const scjId = await orgId('武汉市江岸区市场监督管理局');
    const scj = buildStaff({ organisationId: scjId, organisationName: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102', roles: ['clerk'] });
    scjHead = buildStaff({ organisationId: scjId, organisationName: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102', roles: ['org_head'] });
    const citizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c201', displayName: '吴市民', realNameLevel: 2 };
    const post = (url: string, actor: Actor, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: asActor(actor), payload });
    const act = async (id: string, event: string, actor: Actor, body: Record<string, unknown> = {}) => {
      const { version } = (await t.app.inject({ url: `/api/appeals/${id}`, headers: asActor(centre) })).json<{ version: number }>();
      const r = await post(`/api/appeals/${id}/events/${event}`, actor, { version, ...body });
      expect(r.statusCode, r.body).toBe(200);
    };
    for (const [title, description, consent] of [
      ['小区门口共享单车乱停放', '黄浦路小区门口共享单车长期乱停放，堵塞消防通道，联系电话 13912340000，请尽快清理。', true],
      ['超市生鲜缺斤短两', '二七路某超市生鲜称重缺斤短两，要求查处并公示处理结果。', false],
    ] as const) {
      const r = await post('/api/appeals', citizen, { type: 'complaint', title, description, categoryCode: '0203', divisionCode: '420102', contactName: '吴市民', contactPhone: '13800009999', consentPublish: consent });
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json<{ id: string }>().id;
      await act(id, 'dispatch', centre, { leadOrgId: scjId });
      await act(id, 'sign', scj);
      await act(id, 'reply', scj, { note: '已联系运营企业清理并加强巡查。' });
      await act(id, 'callback', centre, { satisfaction: 'satisfied' });
    }
  }, 180_000);
  afterAll(async () => j?.stop());

  it('a visitor searches the mailbox, sees an empty state, opens a published letter with masked numbers', async () => {
    const page = await j.newPage();
    await page.goto(j.url('/mailbox'));
    await checkA11y(page);
    await expect.poll(() => page.getByRole('main').innerText()).toContain('小区门口共享单车乱停放');
    expect(await page.getByRole('main').innerText()).not.toContain('超市生鲜缺斤短两');
    await page.getByLabel('关键词').fill('不存在的事情');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.locator('.empty').innerText()).toContain('没有符合条件的来信');
    await checkA11y(page);
    await page.getByLabel('关键词').fill('共享单车');
    await page.getByLabel('类型').selectOption('complaint');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: '小区门口共享单车乱停放' }).click();
    await page.waitForURL((u) => /^\/mailbox\/[0-9a-f-]{36}$/.test(u.pathname));
    const text = await page.getByRole('main').innerText();
    expect(text).toContain('139****0000');
    expect(text).not.toContain('13912340000');
    expect(text).not.toContain('13800009999');
    expect(text).toContain('已联系运营企业清理并加强巡查');
    await checkA11y(page);
  });

  it('shows the figures as a table without JavaScript and as charts with it', async () => {
    const noJs = await j.newPage({ javaScriptEnabled: false });
    await noJs.goto(j.url('/mailbox/statistics'));
    const table = noJs.locator('table.figures').first();
    await expect.poll(() => table.innerText()).toContain('武汉市江岸区市场监督管理局');
    expect(await table.innerText()).toContain('100.0%');
    expect(await noJs.locator('[data-figures-charts]').isHidden()).toBe(true);
    // axe needs JavaScript in the page; the same markup is checked below with JavaScript on.

    const page = await j.newPage();
    await page.goto(j.url('/mailbox/statistics'));
    await expect.poll(() => page.locator('#chart-volume svg').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.locator('#chart-rates svg').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-departments svg').count()).toBeGreaterThan(0);
    await checkA11y(page, { exclude: ['.chart'] });
    expect(j.consoleProblems).toEqual([]);
  });

  it('a unit head opens the scoped figures and downloads the Excel export', async () => {
    const context = await j.newContext({ extraHTTPHeaders: asActor(scjHead), acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(j.url('/workbench/appeals-statistics'));
    await expect.poll(() => page.locator('table.figures').first().innerText()).toContain('武汉市江岸区市场监督管理局');
    await checkA11y(page, { exclude: ['.chart'] });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  });
});
