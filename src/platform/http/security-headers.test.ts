import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { recordedHeaders } from './server.ts';

function response(): ServerResponse {
  return new ServerResponse(new IncomingMessage(new Socket()));
}

describe('recordedHeaders (security headers replayed instead of running helmet per request)', () => {
  it('replays exactly the headers helmet writes for static options', () => {
    for (const hsts of [false, true]) {
      const middleware = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], upgradeInsecureRequests: null } }, hsts });
      const live = response();
      let called = false;
      middleware(new IncomingMessage(new Socket()), live, () => (called = true));
      expect(called).toBe(true);

      const writes = recordedHeaders(middleware);
      expect(writes).not.toBeNull();
      const replayed = response();
      for (const [name, value] of writes!) {
        if (value === null) replayed.removeHeader(name);
        else replayed.setHeader(name, value);
      }
      expect(replayed.getHeaders()).toEqual(live.getHeaders());
      expect(replayed.getHeader('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(replayed.hasHeader('strict-transport-security')).toBe(hsts);
    }
  });

  it('gives up (null) on a middleware that looks at the request or the response, or fails', () => {
    // A per-request nonce reads the response: its header differs per request and must be built each time.
    const nonce = helmet({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", (_req, res) => `'nonce-${String((res as unknown as { locals?: { n?: string } }).locals?.n)}'`] } } });
    expect(recordedHeaders(nonce)).toBeNull();
    expect(
      recordedHeaders((req, _res, next) => {
        void req.headers; // a header chosen by what the request asks for
        next();
      }),
    ).toBeNull();
    expect(recordedHeaders((_req, _res, next) => next(new Error('no')))).toBeNull();
    expect(
      recordedHeaders(() => {
        throw new Error('broken');
      }),
    ).toBeNull();
  });
});
