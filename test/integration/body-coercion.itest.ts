import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const CSRF = 'test-csrf-token-0123456789abcdefghij';

/** Form posts carry text only, so their bodies are coerced like query strings; JSON bodies are not. */
describe('request body types', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({}, {
      extraRoutes: async (app) => {
        const body = { type: 'object', properties: { _csrf: { type: 'string' }, version: { type: 'integer', minimum: 1 } }, required: ['version'] } as const;
        app.post<{ Body: { version: number } }>('/test/versioned', { config: { access: { public: true } }, schema: { body } }, async (request) => ({ version: request.body.version, type: typeof request.body.version }));
        app.post<{ Body: { version: number } }>('/api/test/versioned', { config: { access: { public: true } }, schema: { body } }, async (request) => ({ version: request.body.version }));
      },
    });
  });
  afterAll(async () => t?.stop());

  it('reads a form field "3" as the integer 3', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/test/versioned',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${CSRF}`, accept: 'application/json' },
      payload: `_csrf=${CSRF}&version=3`,
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ version: 3, type: 'number' });
  });

  it('still refuses a form field that is not a whole number, naming it', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/test/versioned',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${CSRF}`, accept: 'application/json' },
      payload: `_csrf=${CSRF}&version=abc`,
    });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('version');
  });

  it('keeps JSON bodies strict: a string where an integer belongs is a 400', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/test/versioned', payload: { version: '3' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().status).toBe(400);
    const ok = await t.app.inject({ method: 'POST', url: '/api/test/versioned', payload: { version: 3 } });
    expect(ok.json()).toEqual({ version: 3 });
  });
});
