import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';

/** The journey harness itself: it must catch what it claims to catch, or green journeys mean nothing. */
describe('journey harness', () => {
  let j: Journey;
  beforeAll(async () => {
    j = await startJourney();
  });
  afterAll(async () => j?.stop());

  it('checkA11y fails with a readable list when a page breaks WCAG rules', async () => {
    const page = await j.newPage();
    await page.goto(j.url('/no-such-page'));
    await page
      .locator('main')
      .evaluate((main) => {
        main.insertAdjacentHTML('beforeend', '<img src="/assets/none.png" class="test-no-alt"><button class="test-empty-button"></button>');
      });
    const error = await checkA11y(page).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/accessibility violation\(s\) on http:\/\/127\.0\.0\.1:\d+\/no-such-page/);
    expect(error?.message).toContain('image-alt');
    expect(error?.message).toContain('button-name');
    expect(error?.message).toContain('<img src="/assets/none.png" class="test-no-alt">');
    // Rules can be switched off one by one (with a reason in the calling test).
    await expect(checkA11y(page, { disableRules: ['image-alt', 'button-name'] })).resolves.toBeUndefined();
  });

  it('aborts requests to other hosts and records them', async () => {
    const page = await j.newPage();
    await expect(page.goto('http://example.com/')).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    expect(j.blockedRequests).toContain('http://example.com/');
  });
});
