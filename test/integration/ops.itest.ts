import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { buildCitizen, signIn } from '../support/identity.ts';

describe('operations endpoints', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ZHENGWU_METRICS_TOKEN: 'test-metrics-token' });
  });
  afterAll(async () => t?.stop());

  it('answers health and readiness', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('sends the security headers on every answer, pages and errors alike', async () => {
    for (const url of ['/', '/healthz', '/no-such-page']) {
      const res = await t.app.inject({ url });
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });

  it('serves Prometheus metrics only with the token', async () => {
    expect((await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' })).statusCode).toBe(403);
    await t.app.inject({ url: '/healthz' });
    const m = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer test-metrics-token' } });
    expect(m.statusCode).toBe(200);
    expect(m.body).toContain('zhengwu_http_request_duration_seconds_bucket');
    expect(m.body).toContain('process_cpu_user_seconds_total');
  });

  it('reports the backlogs: jobs waiting by queue, audit entries not yet sealed', async () => {
    // A job due tomorrow on a queue no handler serves: it stays pending.
    await sql`INSERT INTO platform.job (queue, payload, run_at) VALUES ('test.metrics', '{}'::jsonb, now() + interval '1 day')`.execute(t.platform.db);
    const m = await t.app.inject({ url: '/metrics', remoteAddress: '10.1.2.3', headers: { authorization: 'Bearer test-metrics-token' } });
    expect(m.body).toMatch(/^zhengwu_jobs_waiting\{queue="test\.metrics",state="pending"\} 1$/m);
    expect(m.body).toMatch(/^zhengwu_audit_unsealed \d+$/m);
    await sql`DELETE FROM platform.job WHERE queue = 'test.metrics'`.execute(t.platform.db);
  });

  it('publishes OpenAPI 3.1', async () => {
    const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/notices');
    expect((await t.app.inject({ url: '/api/docs/', headers: { accept: 'text/html' } })).statusCode).toBe(200);
  });

  it('returns the request id and problem+json for unknown API paths', async () => {
    const r = await t.app.inject({ url: '/api/nothing-here', headers: { 'x-request-id': 'req-abcdef12' } });
    expect(r.statusCode).toBe(404);
    expect(r.headers['x-request-id']).toBe('req-abcdef12');
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ status: 404, code: 'ZW_ERR_NOT_FOUND', requestId: 'req-abcdef12' });
  });

  it('renders Chinese error pages for people', async () => {
    const r = await t.app.inject({ url: '/no-such-page', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('页面不存在');
    expect(r.body).toContain('返回首页');
  });

  it('knows the signed-in visitor on a 404 page, so its forms carry the session token', async () => {
    const citizen = await buildCitizen(t.app);
    const session = await signIn(t.app, citizen.loginName, citizen.password);
    const page = await t.app.inject({ url: '/no-such-page', headers: { accept: 'text/html', cookie: session.cookie } });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain(`name="_csrf" value="${session.csrf}"`);
    const r = await t.app.inject({
      method: 'POST',
      url: '/preferences',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session.cookie },
      payload: `_csrf=${encodeURIComponent(session.csrf)}&largeText=1&back=%2Fno-such-page`,
    });
    expect(r.statusCode).toBe(303);
  });
});
