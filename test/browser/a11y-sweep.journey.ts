import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { PermissionRegistry } from '../../src/platform/auth/permissions.ts';
import { runSeeds } from '../../src/platform/seed.ts';
import { checkA11y, startJourney, type Journey } from '../support/browser.ts';
import { buildStaff, headerAuthenticator } from '../support/test-auth.ts';

/**
 * Every page without a path parameter, opened in Chromium by each kind of user who may see
 * it, passes the WCAG 2.1 A/AA axe rules and answers 200. Authorisation is not the subject
 * here (other tests cover it), so actors come from the test header authenticator.
 */
describe('accessibility sweep of every page', () => {
  let j: Journey;
  const hubei = { organisationId: '', organisationName: '湖北省政务服务和大数据管理局', jurisdictionCode: '420000' };
  const actors: { label: string; actor: Actor }[] = [];

  beforeAll(async () => {
    j = await startJourney({ authenticator: headerAuthenticator });
    await runSeeds(j.testApp.platform, j.testApp.modules);
    const org = await j.testApp.platform.db
      .selectFrom('jurisdictions.organisation')
      .select(['id', 'name', 'jurisdiction_code'])
      .where('name', '=', '武汉市江岸区政务服务和大数据管理局')
      .executeTakeFirstOrThrow();
    const province = await j.testApp.platform.db
      .selectFrom('jurisdictions.organisation')
      .select(['id'])
      .where('name', '=', hubei.organisationName)
      .executeTakeFirstOrThrow();
    const local = { organisationId: org.id as string, organisationName: org.name as string, jurisdictionCode: org.jurisdiction_code as string };
    const prov = { ...hubei, organisationId: province.id as string };
    actors.push(
      { label: 'anonymous', actor: { kind: 'anonymous' } },
      { label: 'citizen', actor: { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000a001', displayName: '张三', realNameLevel: 2 } },
      { label: 'org head', actor: buildStaff({ ...local, roles: ['org_head'] }) },
      { label: 'province supervisor', actor: buildStaff({ ...prov, roles: ['province_supervisor'] }) },
      { label: 'sysadmin', actor: buildStaff({ ...prov, roles: ['sysadmin'] }) },
      { label: 'secadmin', actor: buildStaff({ ...prov, roles: ['secadmin'] }) },
      { label: 'auditadmin', actor: buildStaff({ ...prov, roles: ['auditadmin'] }) },
    );
  });
  afterAll(async () => j?.stop());

  it('passes axe on every parameter-free HTML page for every user who may open it', async () => {
    const permissions: PermissionRegistry = j.testApp.platform.permissions;
    const pages = j.testApp.routes
      .filter((r) => r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*'))
      .filter((r) => !/^\/(api|oidc|assets|healthz|readyz|metrics)|\.(csv|json|xlsx|xml|pdf|js|css)$|\/verify$/.test(r.url));
    const visited: string[] = [];
    const failures: string[] = [];
    for (const { label, actor } of actors) {
      const context = await j.newContext({ extraHTTPHeaders: { 'x-test-actor': JSON.stringify(actor) } });
      const page = await context.newPage();
      for (const r of pages) {
        const a = r.access;
        const allowed =
          'public' in a ||
          ('signedIn' in a && a.signedIn.includes(actor.kind)) ||
          ('permission' in a && permissions.has(actor, a.permission));
        if (!allowed) continue;
        // Pages that send a signed-in visitor elsewhere (e.g. /login) or need a real account
        // row (the header actor has none) redirect; the sweep covers pages that render.
        const response = await page.goto(j.url(r.url)).catch(() => null);
        if (!response || new URL(page.url()).pathname !== r.url) continue;
        const status = response.status();
        const type = response.headers()['content-type'] ?? '';
        if (!type.includes('text/html')) continue;
        visited.push(`${label} ${r.url}`);
        // 403: a route open to all staff whose policy then refuses this role (e.g. organisations for the security admin).
        if (status >= 500 || ![200, 403, 404].includes(status)) {
          failures.push(`${label} ${r.url} → ${status}`);
          continue;
        }
        try {
          expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
          await checkA11y(page);
        } catch (e) {
          failures.push(`${label} ${r.url}: ${(e as Error).message.split('\n').slice(0, 6).join(' | ')}`);
        }
      }
      await context.close();
    }
    expect(failures).toEqual([]);
    expect(visited.length).toBeGreaterThan(25);
    console.log(`a11y sweep: ${visited.length} page views`);
  });
});
