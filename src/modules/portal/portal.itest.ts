import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';

describe('portal pages', () => {
  let t: TestApp;
  const head = buildStaff({ organisationId: 'org-1', organisationName: '江岸区政务服务和大数据管理局', jurisdictionCode: '420102', roles: ['org_head'] });
  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    const created = await t.app.inject({ method: 'POST', url: '/api/notices', headers: asActor(head), payload: { title: '关于延长政务服务中心周末开放时间的通知', body: '自下月起，区政务服务中心周六上午开放。' } });
    const n = created.json();
    await t.app.inject({ method: 'POST', url: `/api/notices/${n.id}/publish`, headers: asActor(head), payload: { version: n.version } });
  });
  afterAll(async () => t?.stop());

  it('home page is Chinese, escaped and shows the latest notice', async () => {
    const r = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<html lang="zh-CN"');
    expect(r.body).toContain('湖北政务服务网');
    expect(r.body).toContain('关于延长政务服务中心周末开放时间的通知');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('search finds published notices and survives odd input', async () => {
    const hit = await t.app.inject({ url: '/api/search?q=' + encodeURIComponent('周末 开放') });
    expect(hit.json().hits[0].title).toContain('周末开放');
    for (const q of ['', '！！！？？', "' OR 1=1 --", 'a & b | !c', 'x'.repeat(5000).slice(0, 1999), '<script>alert(1)</script>', '100%_\\']) {
      const r = await t.app.inject({ url: '/search?q=' + encodeURIComponent(q), headers: { accept: 'text/html' } });
      expect(r.statusCode, q).toBe(200);
      expect(r.body).not.toContain('<script>alert(1)</script>');
    }
  });

  it('switches to English and large text through plain forms', async () => {
    const page = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    const cookie = page.cookies.find((c) => c.name === 'zw_csrf');
    expect(cookie).toBeDefined();
    const r = await t.app.inject({
      method: 'POST',
      url: '/preferences',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${cookie!.value}` },
      payload: `_csrf=${cookie!.value}&largeText=1&lang=en&back=%2Faccessibility`,
    });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/accessibility');
    const after = await t.app.inject({ url: '/accessibility', headers: { accept: 'text/html', cookie: 'zw_large=1; zw_lang=en' } });
    expect(after.body).toContain('<html lang="en" class="large-text"');
    const offsite = await t.app.inject({
      method: 'POST',
      url: '/preferences',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${cookie!.value}` },
      payload: `_csrf=${cookie!.value}&lang=zh&back=%2F%2Fevil.example`,
    });
    expect(offsite.headers.location).toBe('/');
  });

  it('workbench home lists only what the position may use', async () => {
    const r = await t.app.inject({ url: '/workbench', headers: { ...asActor(head), accept: 'text/html' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('通知公告管理');
    expect(r.body).not.toContain('/workbench/audit');
  });
});
