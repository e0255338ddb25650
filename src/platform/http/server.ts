import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchemaCompiler } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from 'helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { ANONYMOUS, type Actor, type RequestContext } from '../auth/actor.ts';
import type { Authenticator, SessionInfo } from '../auth/authenticator.ts';
import type { PermissionRegistry } from '../auth/permissions.ts';
import type { Config } from '../config.ts';
import type { NavItem } from '../module.ts';
import type { Lang, PageContext } from '../views/page-context.ts';
import { authorizeRoute, installAccessControl, type RouteRecord } from './access.ts';
import { csrfTokenFor, verifyCsrf } from './csrf.ts';
import { sendError } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    session: SessionInfo | null;
    ctx: RequestContext;
  }
}

export interface ServerOptions {
  config: Config;
  logger: Logger;
  permissions: PermissionRegistry;
  authenticator: Authenticator;
  navigation: () => NavItem[];
  /** Maximum upload size in bytes. */
  uploadLimit?: number;
}

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'views', 'assets');

/**
 * The Fastify instance with the platform's cross-cutting behaviour: request ids and
 * structured logs, security headers, cookies and forms, rate limits, actor resolution,
 * route access enforcement, CSRF, OpenAPI, the one error handler, static assets.
 */
export async function createServer(opts: ServerOptions): Promise<{ app: FastifyInstance; routes: RouteRecord[] }> {
  const { config } = opts;
  const app = Fastify({
    loggerInstance: opts.logger as unknown as FastifyBaseLogger,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    },
    trustProxy: process.env.ZHENGWU_TRUST_PROXY === 'true',
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });
  // Query strings, params and headers arrive as text, so they are coerced; JSON bodies are
  // not: a number where text is expected is a 400 naming the field, not a silent conversion.
  const coercing = new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false, strict: false });
  const strictBodies = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false });
  addFormats.default(coercing);
  addFormats.default(strictBodies);
  app.setValidatorCompiler(({ schema, httpPart }) => {
    if (httpPart !== 'body') return coercing.compile(schema);
    // Form posts (urlencoded, multipart) carry only text, like query strings: a form's
    // version field "3" is the integer 3. JSON bodies stay strict.
    const strict = strictBodies.compile(schema);
    const lenient = coercing.compile(schema);
    type Validate = ((data: unknown, ctx?: { parentData?: { headers?: Record<string, unknown> } }) => boolean) & { errors?: typeof strict.errors; schemaEnv?: unknown };
    const validate: Validate = (data, ctx) => {
      const header = ctx?.parentData?.headers?.['content-type'];
      const type = typeof header === 'string' ? header : '';
      const chosen = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type) ? lenient : strict;
      const ok = chosen(data, ctx as never);
      validate.errors = chosen.errors;
      return ok;
    };
    // Fastify passes the request as parentData only to validators that look like Ajv's.
    validate.schemaEnv = strict.schemaEnv;
    return validate as ReturnType<FastifySchemaCompiler<unknown>>;
  });
  const routes: RouteRecord[] = [];
  installAccessControl(app, opts.permissions, routes);
  const secure = config.env === 'production';

  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('page', null as never);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: opts.uploadLimit ?? 20 * 1024 * 1024, files: 10, fields: 50, parts: 60 } });
  // Security headers (CSP, HSTS when secure, nosniff, frame-ancestors …): helmet's middleware,
  // built once. (@fastify/helmet rebuilds it from the options on every request.)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: secure,
  });
  const headerWrites = recordedHeaders(securityHeaders);
  app.addHook(
    'onRequest',
    headerWrites
      ? (request, reply, done) => {
          const res = reply.raw;
          for (const [name, value] of headerWrites) {
            if (value === null) res.removeHeader(name);
            else res.setHeader(name, value);
          }
          done();
        }
      : (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  await app.register(rateLimit, { global: false });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Zhengwu API', version: '0.1.0', description: '政务平台开放接口。错误以 application/problem+json (RFC 9457) 返回，code 字段为稳定错误码。' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'zw_sid' } } },
    },
  });

  app.setErrorHandler((error, request, reply) => sendError(request, reply, error));
  app.setNotFoundHandler({}, (request, reply) => sendError(request, reply, Object.assign(new Error('not found'), { statusCode: 404 })));

  // Who is calling, then whether the route lets them in — before the body is validated.
  app.addHook('onRequest', async (request, reply) => {
    request.actor = ANONYMOUS;
    request.ctx = { actor: ANONYMOUS, requestId: request.id, clientIp: request.ip, userAgent: request.headers['user-agent'] ?? null };
    reply.header('x-request-id', request.id);
    request.page = new RequestPage(request, reply, secure, opts);
    // Even a 404 page knows who is looking: its forms (language, sign-out) need the session's CSRF token.
    const { actor, session } = await opts.authenticator.resolve(request, reply);
    request.actor = actor;
    request.session = session;
    request.ctx.actor = actor;
    request.page.actor = actor;
    const flash = request.cookies.zw_flash;
    if (flash) {
      request.page.flash = flash.slice(0, 200);
      reply.clearCookie('zw_flash', { path: '/' });
    }
    if (request.routeOptions.url === undefined) return; // 404: no route, nothing to authorise
    authorizeRoute(request, opts.permissions);
  });
  app.addHook('preValidation', async (request) => {
    verifyCsrf(request);
  });

  // Third-party routes get their access declared here, in their own context.
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config ?? {}), access: { public: true } };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
    await docs.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', decorateReply: false, maxAge: '1h' });
  });
  return { app, routes };
}

/**
 * The headers a helmet middleware writes, recorded once: with static options (no nonces, nothing
 * read from the request) they are the same for every request, and replaying them spares each
 * request the middleware chain (helmet builds the CSP header anew on every call: a tenth of what
 * the server allocated per case submission). null when the middleware does anything else — then
 * it runs as it is.
 */
export function recordedHeaders(middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): [string, string | null][] | null {
  const writes: [string, string | null][] = [];
  let plain = true;
  let nextCalled = false;
  // Anything read from the request or the response (besides writing headers) means the headers may differ per request.
  const req = new Proxy({} as IncomingMessage, {
    get: () => {
      plain = false;
      return undefined;
    },
  });
  const res = new Proxy({} as ServerResponse, {
    get: (_target, key) => {
      if (key === 'setHeader') return (name: string, value: unknown) => (typeof value === 'string' ? writes.push([name, value]) : (plain = false));
      if (key === 'removeHeader') return (name: string) => writes.push([name, null]);
      plain = false;
      return undefined;
    },
  });
  try {
    middleware(req, res, (err) => {
      nextCalled = err === undefined;
    });
  } catch {
    return null;
  }
  return plain && nextCalled ? writes : null;
}

/**
 * A request's page context. Built lazily: a JSON call never pays for a CSRF cookie or the
 * navigation filter, which only pages need.
 *
 * A class, not an object literal with getters. Measured at 5,000 req/s on /healthz: with the
 * literal, whose getters were closures over the request and reply, about a quarter of everything
 * the server allocated survived two young-generation collections and died in the old generation
 * (20–35 MB/s promoted, a full mark-compact every five seconds and a latency spike with each);
 * with a plain literal or this class, 0.1–7 MB/s. V8 probably kept the closures in a hidden
 * class of the object's own, in the old generation, which held each request alive through the
 * young collections (docs/SCALING.md, "Requests promoted by the page context").
 */
class RequestPage implements PageContext {
  readonly lang: Lang;
  readonly largeText: boolean;
  actor: Actor = ANONYMOUS;
  readonly path: string;
  flash: string | null = null;
  readonly requestId: string;
  #csrfToken: string | undefined;
  #nav: NavItem[] | undefined;
  readonly #request: FastifyRequest;
  readonly #reply: FastifyReply;
  readonly #secure: boolean;
  readonly #opts: Pick<ServerOptions, 'navigation' | 'permissions'>;

  constructor(request: FastifyRequest, reply: FastifyReply, secure: boolean, opts: Pick<ServerOptions, 'navigation' | 'permissions'>) {
    this.#request = request;
    this.#reply = reply;
    this.#secure = secure;
    this.#opts = opts;
    this.lang = request.cookies.zw_lang === 'en' ? 'en' : 'zh';
    this.largeText = request.cookies.zw_large === '1';
    this.path = request.url.split('?')[0] ?? '/';
    this.requestId = request.id;
  }

  get csrfToken(): string {
    this.#csrfToken ??= csrfTokenFor(this.#request, this.#reply, this.#secure);
    return this.#csrfToken;
  }

  get nav(): NavItem[] {
    const actor = this.#request.actor;
    this.#nav ??= this.#opts.navigation().filter((n) => actor.kind === 'staff' && this.#opts.permissions.has(actor, n.permission));
    return this.#nav;
  }
}

/** Sets a one-line message shown on the next page (after a redirect). */
export function setFlash(reply: FastifyReply, message: string): void {
  reply.setCookie('zw_flash', message, { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 });
}
