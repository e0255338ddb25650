import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { PermissionRegistry } from '../../src/platform/auth/permissions.ts';
import { anonymousAuthenticator } from '../../src/platform/auth/authenticator.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createServer } from '../../src/platform/http/server.ts';
import { describeAccess } from '../../src/platform/http/access.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { asActor, headerAuthenticator } from '../support/test-auth.ts';

/**
 * GOV.UK's lesson: a test walks every route and fails if any lacks an auth decision, and
 * proves each declaration is enforced — anonymous callers and callers of the wrong kind
 * are turned away before any handler runs.
 */
function concrete(url: string): string {
  return url
    .replace(/:id\b/g, '00000000-0000-4000-8000-000000000000')
    .replace(/:code\b/g, '420102')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*/g, 'x');
}

describe('route access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
  });
  afterAll(async () => t?.stop());

  it('boot refuses a route that does not declare who may call it', async () => {
    const { app } = await createServer({
      config: loadConfig({ NODE_ENV: 'test' }),
      logger: createLogger('silent'),
      permissions: new PermissionRegistry(),
      authenticator: anonymousAuthenticator,
      navigation: () => [],
    });
    app.get('/undeclared', async () => 'x');
    await expect(app.ready()).rejects.toThrow(/declares no access/);
  });

  it('every route has a declaration', () => {
    expect(t.routes.length).toBeGreaterThan(10);
    for (const r of t.routes) expect(describeAccess(r.access)).toMatch(/^(public|signedIn:|permission:)/);
  });

  it('anonymous callers are refused on every non-public route', async () => {
    const refusals: string[] = [];
    for (const r of t.routes) {
      if ('public' in r.access) continue;
      const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: { accept: 'application/json' } });
      if (res.statusCode !== 401) refusals.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(refusals).toEqual([]);
  });

  it('a citizen is refused on every staff-only route', async () => {
    const citizen = { kind: 'citizen', accountId: '00000000-0000-4000-8000-0000000000c1', displayName: '张三', realNameLevel: 2 };
    const leaks: string[] = [];
    for (const r of t.routes) {
      if (!('permission' in r.access)) continue;
      const res = await t.app.inject({ method: r.method as 'GET', url: concrete(r.url), headers: { accept: 'application/json', ...asActor(citizen as never) } });
      if (res.statusCode !== 403) leaks.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(leaks).toEqual([]);
  });
});
