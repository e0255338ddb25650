import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/platform/errors.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** One error handler: a Chinese page for people, problem+json for programs, for every status. */
describe('error pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, {
      extraRoutes: async (app) => {
        app.get('/test/boom', { config: { access: { public: true } } }, async () => {
          throw new Error('secret internal detail');
        });
        app.get('/api/test/boom', { config: { access: { public: true } } }, async () => {
          throw new Error('secret internal detail');
        });
        app.get('/test/conflict', { config: { access: { public: true } } }, async () => {
          throw new AppError('ZW_ERR_CONFLICT');
        });
        app.get('/test/limited', { config: { access: { public: true }, rateLimit: { max: 1, timeWindow: 60_000 } } }, async () => 'ok');
      },
    });
  });
  afterAll(async () => t?.stop());

  it('answers an unexpected failure with a plain Chinese 500 page that leaks nothing', async () => {
    const r = await t.app.inject({ url: '/test/boom', headers: { accept: 'text/html' } });
    expect(r.statusCode).toBe(500);
    expect(r.body).toContain('系统出错了');
    expect(r.body).toContain(r.headers['x-request-id'] as string);
    expect(r.body).not.toContain('secret internal detail');
    const api = await t.app.inject({ url: '/api/test/boom' });
    expect(api.statusCode).toBe(500);
    expect(api.json()).toMatchObject({ status: 500, code: 'ZW_ERR_INTERNAL' });
    expect(api.body).not.toContain('secret internal detail');
  });

  it('shows 409 and 429 in Chinese', async () => {
    const c = await t.app.inject({ url: '/test/conflict', headers: { accept: 'text/html' } });
    expect(c.statusCode).toBe(409);
    expect(c.body).toContain('操作冲突');
    await t.app.inject({ url: '/test/limited', headers: { accept: 'text/html' } });
    const limited = await t.app.inject({ url: '/test/limited', headers: { accept: 'text/html' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('操作过于频繁');
  });

  it('answers a signed-out caller of a staff API with problem+json 401', async () => {
    const r = await t.app.inject({ url: '/api/notices' });
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('ZW_ERR_UNAUTHENTICATED');
  });
});
