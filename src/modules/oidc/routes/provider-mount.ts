import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import { OIDC_PREFIX } from '../paths.ts';

/**
 * Mounts oidc-provider (a koa app) at /oidc. Registered in its own encapsulated context
 * because of the body: the provider reads POST bodies (token, PAR, end_session, …) from
 * the raw request stream itself (lib/shared/selective_body.js) and only falls back to an
 * upstream-parsed body with a warning. So this context drops every content-type parser
 * the server installed (JSON, forms, multipart) and accepts any type without reading it;
 * the handler hijacks the reply and hands the untouched stream to the provider.
 */
/**
 * The provider's pages submit forms whose results redirect to department systems (logout
 * confirmation → post_logout_redirect_uri, form_post responses, the logout that precedes
 * a change of account). Chrome and Safari apply CSP form-action to every redirect after a
 * submission (w3c/webappsec-csp#8), so `form-action 'self'` would strand those flows; the
 * provider only targets its own endpoints and registered redirect URIs, so its responses
 * go without that directive. (The provider adds hashes for its inline scripts itself.)
 */
function allowProviderForms(res: ServerResponse): void {
  const csp = res.getHeader('content-security-policy');
  if (typeof csp !== 'string') return;
  res.setHeader(
    'content-security-policy',
    csp
      .split(';')
      .filter((d) => !d.trim().startsWith('form-action'))
      .join(';'),
  );
}

export function providerMount(provider: Provider, requests: WeakMap<IncomingMessage, FastifyRequest>, issuer: URL) {
  const callback = provider.callback();
  // The provider builds endpoint URLs and decides cookie `secure` from the request's
  // origin; we pin that origin to the configured public URL (set below per request), so
  // a forged Host header cannot change the endpoints it publishes.
  provider.proxy = true;
  const proto = issuer.protocol.replace(/:$/, '');

  return async function mountProvider(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => {
      done(null, undefined);
    });

    app.all(
      `${OIDC_PREFIX}/*`,
      {
        // The provider authenticates its callers itself: clients by secret at /token,
        // bearer tokens at /me, its own signed cookies plus xsrf field for the logout form.
        // No Zhengwu session is needed, so the route is public.
        // csrf: false — the token endpoint takes cross-site server-to-server POSTs that
        // carry client credentials, never our session cookie's authority, and the body
        // must stay unread (our CSRF check would read `_csrf` from a parsed body).
        config: { access: { public: true }, csrf: false },
        schema: { hide: true },
      },
      (request, reply) => {
        reply.hijack();
        const raw = request.raw;
        requests.set(raw, request);
        const url = raw.url ?? '/';
        Object.assign(raw, { originalUrl: url });
        raw.url = url.slice(OIDC_PREFIX.length) || '/';
        raw.headers['x-forwarded-proto'] = proto;
        raw.headers['x-forwarded-host'] = issuer.host;
        // The client address as Fastify resolved it (honouring its own trustProxy setting).
        raw.headers['x-forwarded-for'] = request.ip;
        allowProviderForms(reply.raw);
        callback(raw, reply.raw).catch((err: unknown) => {
          request.log.error({ err }, 'oidc provider failed');
          if (!reply.raw.headersSent) {
            reply.raw.statusCode = 500;
            reply.raw.end();
          }
        });
      },
    );
  };
}
