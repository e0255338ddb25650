import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { supervisionClock } from '../../src/modules/supervision/index.ts';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { asActor, buildStaff, headerAuthenticator } from '../support/test-auth.ts';

/**
 * 电子监察 in a real browser: a province supervisor watches a 江岸区 case turn yellow, then red as
 * the clock advances, raises the alert and issues a red-card 督办; the unit's clerk replies in the
 * workbench; every page passes axe.
 */
describe('e-supervision journey', () => {
  let j: Journey;
  const jiangan = { organisationId: 'org-jiangan-scj', organisationName: '江岸区市场监督管理局', jurisdictionCode: '420102' };
  const supervisor = buildStaff({ organisationId: 'org-hb-zwj', organisationName: '湖北省政务服务和大数据管理局', jurisdictionCode: '420000', roles: ['province_supervisor'], name: '省监察员' });
  const clerk = buildStaff({ ...jiangan, roles: ['clerk'], name: '江岸窗口' });
  const realNow = supervisionClock.now;

  beforeAll(async () => {
    j = await startJourney({ authenticator: headerAuthenticator });
    await sql`
INSERT INTO cases.case (case_no, item_id, item_version, item_name, organisation_id, organisation_name, jurisdiction_code, applicant_account_id, applicant_kind,
  applicant_name_masked, state, received_on, due_on, yellow_from, clock_kind)
VALUES ('42010220260302000001', 'item-food', 1, '食品经营许可', ${jiangan.organisationId}, ${jiangan.organisationName}, ${jiangan.jurisdictionCode}, ${crypto.randomUUID()}, 'citizen',
  '张*', 'IN_PROCESS', '2026-03-02', '2026-03-13', '2026-03-12', 'decision')`.execute(j.testApp.platform.db);
  }, 120_000);
  afterAll(async () => {
    supervisionClock.now = realNow;
    await j?.stop();
  });

  it('shows the case yellow, then red; the supervisor issues a 督办 and the unit replies', async () => {
    const page = await j.newPage({ extraHTTPHeaders: asActor(supervisor) });
    const orgView = '/workbench/supervision/dashboard?code=420102&org=org-jiangan-scj';

    supervisionClock.now = () => new Date('2026-03-10T02:00:00Z');
    await page.goto(j.url(orgView));
    await page.getByText('没有黄灯或红灯办件。').waitFor();

    supervisionClock.now = () => new Date('2026-03-12T02:00:00Z');
    await page.goto(j.url(orgView));
    const row = page.getByRole('row', { name: /42010220260302000001/ });
    await row.getByText('黄灯').waitFor();
    await checkA11y(page);

    supervisionClock.now = () => new Date('2026-03-16T02:00:00Z');
    await page.goto(j.url(orgView));
    await row.getByText('红灯').waitFor();
    await page.getByRole('button', { name: '立即检查并产生预警' }).click();
    await page.getByRole('heading', { level: 1, name: '预警与督办' }).waitFor();
    await checkA11y(page);
    const redAlert = page.getByRole('row', { name: /已超过办结期限/ });
    await redAlert.getByRole('link').click();
    await page.getByLabel('督办意见').fill('该件已超期，请于整改期限前办结并书面说明原因。');
    await page.getByLabel('整改期限').fill('2026-03-20');
    await page.getByLabel('红牌督办（情节严重）').check();
    await checkA11y(page);
    await page.getByRole('button', { name: '发出督办' }).click();
    await page.getByText('督办通知已发出').waitFor();
    await page.getByText('已督办', { exact: false }).first().waitFor();

    const unit = await j.newPage({ extraHTTPHeaders: asActor(clerk) });
    await unit.goto(j.url('/workbench/supervision/notices'));
    await checkA11y(unit);
    await unit.getByRole('row', { name: /红牌督办/ }).getByRole('link').click();
    await unit.getByLabel('回告内容').fill('已于 3 月 17 日办结，超期原因为现场核查延误，已整改。');
    await checkA11y(unit);
    await unit.getByRole('button', { name: '回告' }).click();
    await unit.getByText('回告已提交').waitFor();
    await unit.getByText('已回告', { exact: false }).first().waitFor();

    await page.reload();
    await page.getByText('已于 3 月 17 日办结').waitFor();
    await page.getByRole('button', { name: '核查' }).waitFor();
    expect(j.consoleProblems).toEqual([]);
    expect(j.blockedRequests).toEqual([]);
  }, 180_000);
});
