import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { seedJurisdictions } from '../jurisdictions/index.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import type { IndexedDocument } from '../../platform/search/contract.ts';

const base = (n: number, over: Partial<IndexedDocument>): IndexedDocument => ({
  key: `publication:portal-${n}`,
  kind: 'publication',
  title: `文件${n}`,
  body: '',
  url: `/disclosure/portal-${n}`,
  publishedAt: new Date(Date.UTC(2024 + (n % 2), 5, 1 + (n % 28))),
  divisionCode: n % 3 === 0 ? '420281' : '420102',
  organisationId: n % 3 === 0 ? 'org-daye' : 'org-jiangan',
  organisationName: n % 3 === 0 ? '大冶市市场监督管理局' : '江岸区市场监督管理局',
  category: 'licensing',
  genre: '通知',
  validity: 'valid',
  ...over,
});

describe('the one search box: /search and /api/search', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform); // region names for the "search only here" choice
    await t.platform.transactor.run(systemContext('portal-search-itest'), async (uow) => {
      for (let n = 1; n <= 25; n++) {
        await t.platform.search.put(uow, base(n, { title: `关于营业执照办理有关事项的通知（${n}）`, body: `申请营业执照应当提交居民身份证、经营场所证明。第${n}号。` }));
      }
      await t.platform.search.put(uow, base(100, { key: 'service-item:yyzz', kind: 'service-item', title: '营业执照办理', body: '个体工商户营业执照的设立登记。', url: '/services/yyzz', publishedAt: null }));
      await t.platform.search.put(uow, base(101, { title: '<script>alert(1)</script>社会保障卡补领须知', body: '社会保障卡<img src=x onerror=alert(2)>遗失后补领。', divisionCode: '420281' }));
      await uow.audit({ action: 'search.itest', objectType: 'search', objectId: 'seed' });
    });
  });
  afterAll(async () => t?.stop());

  it('shows ranked, highlighted results with a count, time, facets and pages, without JavaScript', async () => {
    const r = await t.app.inject({ url: '/search?q=' + encodeURIComponent('营业执照'), headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('找到 26 条结果');
    expect(r.body).toMatch(/用时 [\d.]+ 毫秒/);
    expect(r.body).toContain('<mark>营业执照</mark>');
    expect(r.body).toContain('<form class="search" role="search" method="get" action="/search">');
    // facets are plain links that keep the query
    expect(r.body).toContain(`href="/search?q=${encodeURIComponent('营业执照')}&amp;kind=service-item"`);
    expect(r.body).toContain('办事事项');
    expect(r.body).toContain('大冶市市场监督管理局');
    expect(r.body).toContain('第 1 / 3 页，共 26 条');
    const page3 = await t.app.inject({ url: '/search?q=' + encodeURIComponent('营业执照') + '&page=3', headers: { accept: 'text/html' } });
    expect((page3.body.match(/class="hit-title"/g) ?? []).length).toBe(6);
  });

  it('filters by kind, organisation and year, and by the jurisdiction subtree', async () => {
    const kind = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业执照') + '&kind=service-item' });
    expect(kind.json().total).toBe(1);
    expect(kind.json().hits[0].url).toBe('/services/yyzz');
    expect(kind.json().facets.kind).toEqual({ publication: 25, 'service-item': 1 });
    const daye = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业执照') + '&region=420281' });
    expect(daye.json().total).toBe(8);
    expect(daye.json().hits.every((h: { divisionCode: string }) => h.divisionCode === '420281')).toBe(true);
    const wuhan = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业执照') + '&region=420100' });
    expect(wuhan.json().hits.every((h: { divisionCode: string }) => h.divisionCode.startsWith('4201'))).toBe(true);
    const byDate = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业执照') + '&sort=date&pageSize=5' });
    const dates = byDate.json().hits.map((h: { publishedAt: string }) => h.publishedAt);
    expect([...dates].sort().reverse()).toEqual(dates);
    const year = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业执照') + '&year=2025&org=org-daye' });
    expect(year.json().hits.every((h: { publishedAt: string; organisationName: string }) => h.publishedAt.startsWith('2025') && h.organisationName.startsWith('大冶'))).toBe(true);
  });

  it('finds item names by pinyin initials and words by synonym, and escapes hostile documents', async () => {
    expect((await t.app.inject({ url: '/api/search?q=yyzz' })).json().hits[0].key).toBe('service-item:yyzz');
    const syn = await t.app.inject({ url: '/search?q=' + encodeURIComponent('社保卡'), headers: { accept: 'text/html' } });
    expect(syn.body).toContain('<mark>社会保障卡</mark>');
    expect(syn.body).not.toContain('<script>alert(1)</script>');
    expect(syn.body).not.toContain('<img src=x');
    expect(syn.body).toContain('&lt;script&gt;');
  });

  it('offers the visitor’s own region as a filter but searches the whole province by default', async () => {
    const r = await t.app.inject({ url: '/search?q=' + encodeURIComponent('社会保障卡'), headers: { accept: 'text/html', cookie: 'zw_region=420102' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('找到 1 条结果'); // the document is in 大冶市 (420281), outside 江岸区
    expect(r.body).toMatch(/<input type="radio" name="region" value="" checked>/);
    expect(r.body).toContain('value="420102"');
    expect(r.body).toContain('仅江岸区');
    const only = await t.app.inject({ url: '/search?q=' + encodeURIComponent('社会保障卡') + '&region=420102', headers: { accept: 'text/html', cookie: 'zw_region=420102' } });
    expect(only.body).toContain('没有找到');
    expect(only.body).toContain('清除筛选条件，在全省范围内搜索');
  });

  it('says what to do on an empty query, on nothing found, and suggests a correction', async () => {
    const empty = await t.app.inject({ url: '/search?q=', headers: { accept: 'text/html' } });
    expect(empty.body).toContain('请输入要查找的内容');
    const punct = await t.app.inject({ url: '/search?q=' + encodeURIComponent('！？。，'), headers: { accept: 'text/html' } });
    expect(punct.body).toContain('只有标点符号');
    const none = await t.app.inject({ url: '/search?q=' + encodeURIComponent('火星移民'), headers: { accept: 'text/html' } });
    expect(none.body).toContain('没有找到与“火星移民”相关的内容');
    const typo = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业执造') });
    expect(typo.json().suggestion).toBe('营业执照');
  });

  it('never fails on hostile queries; long ones are cut and say so; bad parameters name the field', async () => {
    for (const q of ['', '！！！？？', "' OR 1=1 --", 'a & b | !c <-> d:*', '营业'.repeat(5000), '<script>alert(1)</script>', '100%_\\', '\u0000', 'ＡＢＣ营业执照123']) {
      const page = await t.app.inject({ url: '/search?q=' + encodeURIComponent(q), headers: { accept: 'text/html' } });
      expect(page.statusCode, q.slice(0, 20)).toBe(200);
      const api = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent(q) });
      expect(api.statusCode, q.slice(0, 20)).toBe(200);
    }
    expect((await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('营业'.repeat(5000)) })).json().notice).toBe('truncated');
    const bad = await t.app.inject({ url: '/api/search?q=x&year=abc&sort=best' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body).toMatch(/year|sort/);
  });

  it('a notice published in one county is found from another county’s portal right away, and gone once withdrawn', async () => {
    const head = buildStaff({ organisationId: 'org-ja', organisationName: '江岸区政务服务和大数据管理局', jurisdictionCode: '420102', roles: ['org_head'] });
    const created = (await t.app.inject({ method: 'POST', url: '/api/notices', headers: asActor(head), payload: { title: '江岸区不动产登记延时服务的通知', body: '不动产登记窗口工作日延时至十九点。' } })).json();
    const published = await t.app.inject({ method: 'POST', url: `/api/notices/${created.id}/publish`, headers: asActor(head), payload: { version: created.version } });
    expect(published.statusCode).toBe(200);
    const started = Date.now();
    const found = await t.app.inject({ url: '/search?q=' + encodeURIComponent('不动产登记 延时'), headers: { accept: 'text/html', cookie: 'zw_region=420281' } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(found.body).toContain(`/notices/${created.id}`);
    expect(found.body).toContain('通知公告');
    await t.app.inject({ method: 'POST', url: `/api/notices/${created.id}/withdraw`, headers: asActor(head), payload: { version: published.json().version } });
    const gone = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('不动产登记 延时') });
    expect(gone.json().hits.map((h: { url: string }) => h.url)).not.toContain(`/notices/${created.id}`);
  });
});
