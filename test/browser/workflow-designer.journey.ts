import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, screenshot, startJourney, type Journey } from '../support/browser.ts';
import { asActor, buildStaff, headerAuthenticator } from '../support/test-auth.ts';

/**
 * A department head opens the flow designer: the bpmn-js island draws the default flow
 * (受理 → 审查 → 决定 → 办结), gives the selected step to the head in the side panel, the XML in
 * the form follows, and the definition is saved and published — all on the same-origin
 * bundle, under the app's CSP, with axe checks.
 */
describe('workflow designer (bpmn-js island)', () => {
  let j: Journey;
  const head = buildStaff({ organisationId: 'org-journey', organisationName: '江岸区行政审批局', jurisdictionCode: '420102', roles: ['org_head'], name: '王科长' });

  beforeAll(async () => {
    j = await startJourney({ authenticator: headerAuthenticator });
  });
  afterAll(async () => j?.stop());

  it('draws the default flow, edits a step in the panel, saves and publishes', async () => {
    const page = await j.newPage({ extraHTTPHeaders: asActor(head) });
    await page.goto(j.url('/workbench/workflows/new'));
    // The island replaces nothing: the diagram appears above the XML field.
    await page.locator('#bpmn-designer .djs-container svg').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#bpmn-designer-status').innerText()).toContain('流程图已载入');
    expect(await page.locator('#bpmn-designer [data-element-id="Task_Review"]').count()).toBe(1);
    await checkA11y(page, { exclude: ['#bpmn-designer'] });

    await page.locator('#bpmn-designer [data-element-id="Task_Review"]').click();
    await page.locator('#bpmn-props').waitFor({ state: 'visible' });
    await page.getByRole('checkbox', { name: '部门负责人' }).check();
    await page.locator('#designer-limit').fill('3');
    await page.locator('#designer-limit').press('Tab');
    await expect.poll(() => page.locator('#f-xml').inputValue()).toMatch(/id="Task_Review"[^>]*zhengwu:candidateRoles="clerk,org_head"/);
    expect(await page.locator('#f-xml').inputValue()).toMatch(/id="Task_Review"[^>]*zhengwu:limit="3"/);
    await screenshot(page, 'workflow-designer');

    await page.getByLabel('流程标识').fill('11420102MB0000001-0002');
    await page.getByLabel('流程名称').fill('公共场所卫生许可审批流程');
    await page.getByRole('button', { name: '校验并保存草稿' }).click();
    await page.waitForURL((u) => /\/workbench\/workflows\/[0-9a-f-]{36}$/.test(u.pathname));
    const main = () => page.locator('main').innerText();
    await expect.poll(main).toContain('已保存为第 1 版草稿');
    expect(await main()).toContain('3 个工作日');
    await checkA11y(page);
    await page.getByRole('button', { name: '发布此版本' }).click();
    await expect.poll(main).toContain('第 1 版已发布');
    expect(j.blockedRequests).toEqual([]);
    expect(j.consoleProblems.filter((p) => p.type === 'pageerror')).toEqual([]);
  });
});
