import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../../src/platform/seed.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The first-start path: migrations from empty, then every module's demo seed — twice, idempotently. */
describe('demo seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  const count = async (table: string) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(table)}`.execute(t.platform.db)).rows[0]?.n ?? 0;

  it('seeds divisions, departments, accounts and notices, and a second run adds nothing', async () => {
    await runSeeds(t.platform, t.modules);
    const first = {
      divisions: await count('jurisdictions.division'),
      organisations: await count('jurisdictions.organisation'),
      accounts: await count('identity.account'),
      notices: await count('notices.notice'),
    };
    expect(first.divisions).toBeGreaterThanOrEqual(1 + 13 + 105 + 1475);
    expect(first.organisations).toBeGreaterThanOrEqual(40);
    expect(first.accounts).toBeGreaterThanOrEqual(10);
    expect(first.notices).toBe(4);
    await runSeeds(t.platform, t.modules);
    expect(await count('jurisdictions.organisation')).toBe(first.organisations);
    expect(await count('identity.account')).toBe(first.accounts);
    expect(await count('notices.notice')).toBe(first.notices);
  });

  it('the home page shows the seeded notices', async () => {
    const home = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(home.body).toContain('江岸区政务服务中心延时服务的通知');
  });

  it('refuses demo data in production', async () => {
    await expect(runSeeds({ ...t.platform, config: { ...t.platform.config, env: 'production' } }, t.modules)).rejects.toThrow(/production/);
  });
});
