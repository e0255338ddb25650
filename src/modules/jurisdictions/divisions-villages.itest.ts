import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createJurisdictionsModule, importDivisions, type ImportDivisionsReport, type JurisdictionService } from './index.ts';

/** Median wall time of `runs` calls, in milliseconds (after one warm-up call). */
async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 100) / 100;
}

/** Hubei with its ~27k villages and communities: 28,651 nodes. */
describe('division tree at 28k+ nodes (villages imported)', () => {
  let t: TestApp;
  let service: JurisdictionService;
  let report: ImportDivisionsReport;

  beforeAll(async () => {
    t = await startTestApp();
    service = createJurisdictionsModule(t.platform).service;
    report = await importDivisions(t.platform, { province: '42', villages: true });
  });
  afterAll(async () => t?.stop());

  it('imports every village of Hubei in batches', async () => {
    expect(report.counts).toEqual({ province: 1, prefecture: 13, county: 105, countyUnderProvince: 4, township: 1475, village: 27057 });
    expect(report).toMatchObject({ rows: 28651, inserted: 28651 });
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jurisdictions.division WHERE level = 5`.execute(t.platform.db);
    expect(n.rows[0]?.n).toBe(27057);
    console.log(`[jurisdictions] import of 28,651 rows on ${t.backend}: ${report.ms} ms`);
  });

  it('answers tree queries fast', async () => {
    const village = (await service.children('420102002'))[0]!;
    expect(village.level).toBe(5);
    expect((await service.ancestors(village.code)).map((d) => d.code)).toEqual(['420000', '420100', '420102', '420102002', village.code]);
    expect((await service.subtreeCounts('420000')).total).toBe(28650);

    const timings = {
      'ancestors(village)': await median(41, () => service.ancestors(village.code)),
      'children(420102002)': await median(41, () => service.children('420102002')),
      'subtreeCounts(420000) 28,650 rows': await median(21, () => service.subtreeCounts('420000')),
      'subtreeCounts(420100)': await median(21, () => service.subtreeCounts('420100')),
      'subtreeCounts(420102)': await median(41, () => service.subtreeCounts('420102')),
      'searchDivisions(社区, 20)': await median(21, () => service.searchDivisions('社区', 20)),
    };
    console.log(`[jurisdictions] median query times on ${t.backend} (ms):`, timings);
    // Generous bounds (CI machines vary); the point is index use, not a benchmark.
    for (const ms of Object.values(timings)) expect(ms).toBeLessThan(500);
  });

  it('plans the subtree count as an index range scan on prefix', async () => {
    const plan = await sql<{ 'QUERY PLAN': string }>`EXPLAIN SELECT count(*) FROM jurisdictions.division WHERE prefix LIKE '420102%' AND valid_to IS NULL`.execute(t.platform.db);
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/division_prefix/);
  });

  it('re-imports villages without changes', async () => {
    const again = await importDivisions(t.platform, { province: '42', villages: true });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 28651, closed: 0 });
    // A re-import without villages leaves them alone (their level is not part of that edition).
    const partial = await importDivisions(t.platform, { province: '42', villages: false });
    expect(partial).toMatchObject({ rows: 1594, closed: 0 });
    expect((await service.subtreeCounts('420000')).byLevel[5]).toBe(27057);
  });
});
