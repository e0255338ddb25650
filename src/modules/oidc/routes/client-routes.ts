import type { FastifyInstance, FastifyReply } from 'fastify';
import { refusalError, unwrap } from '../../../platform/errors.ts';
import { setFlash } from '../../../platform/http/server.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { OidcClientRow } from '../client.repository.ts';
import { disableClient } from '../commands/disable-client.ts';
import { registerClient, type ClientDeps } from '../commands/register-client.ts';
import { MANAGE_CLIENTS } from '../policies.ts';
import { clientCreated, clientForm, clientList, type ClientFormValues } from '../views/client-pages.ts';

const PAGE_SIZE = 50;
const access = { permission: MANAGE_CLIENTS };
const clientIdParams = { type: 'object', required: ['clientId'], properties: { clientId: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const formBody = {
  type: 'object',
  properties: {
    _csrf: { type: 'string', maxLength: 128 },
    name: { type: 'string', maxLength: 1000 },
    organisationName: { type: 'string', maxLength: 1000 },
    redirectUris: { type: 'string', maxLength: 30000 },
    requireConsent: { type: 'string', maxLength: 10 },
  },
} as const;
const apiBody = {
  type: 'object',
  required: ['name', 'organisationName', 'redirectUris'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 1000, description: '系统名称（1–60 字）' },
    organisationName: { type: 'string', maxLength: 1000, description: '所属单位' },
    organisationId: { type: 'string', maxLength: 1000, description: '所属单位编码（可选）' },
    redirectUris: {
      type: 'array',
      maxItems: 100,
      items: { type: 'string', maxLength: 3000 },
      description: '回调地址：https，或本机开发用的 http://localhost / http://127.0.0.1',
    },
    requireConsent: { type: 'boolean', description: '工作人员首次登录时是否需要确认授权' },
  },
} as const;
const clientJson = {
  type: 'object',
  properties: {
    clientId: { type: 'string' },
    name: { type: 'string' },
    organisationId: { type: ['string', 'null'] },
    organisationName: { type: 'string' },
    redirectUris: { type: 'array', items: { type: 'string' } },
    requireConsent: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    disabledAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

/** Presenter: what the API shows of a registered client (never the secret hash). */
export function presentClient(c: OidcClientRow) {
  return {
    clientId: c.clientId,
    name: c.name,
    organisationId: c.organisationId,
    organisationName: c.organisationName,
    redirectUris: c.redirectUris,
    requireConsent: c.requireConsent,
    createdAt: c.createdAt.toISOString(),
    disabledAt: c.disabledAt?.toISOString() ?? null,
  };
}

/** Registration and disabling of department systems: workbench pages and JSON API, same commands. */
export function clientRoutes(deps: ClientDeps & { transactor: Transactor; issuer: string }) {
  const { transactor, issuer } = deps;
  const send = (reply: FastifyReply, markup: { value: string }, status = 200) => reply.status(status).type('text/html; charset=utf-8').send(markup.value);

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { page: number } }>(
      '/workbench/oidc-clients',
      { config: { access }, schema: { hide: true, querystring: pageQuery } },
      async (request, reply) => {
        const { page } = request.query;
        const { rows, total } = await deps.clients.list({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return send(reply, clientList(request.page, rows, { page, pageSize: PAGE_SIZE, total, issuer }));
      },
    );
    app.get('/workbench/oidc-clients/new', { config: { access }, schema: { hide: true } }, async (request, reply) =>
      send(reply, clientForm(request.page, { values: {}, errors: [] })),
    );
    app.post<{ Body: ClientFormValues }>('/workbench/oidc-clients', { config: { access }, schema: { hide: true, body: formBody } }, async (request, reply) => {
      const result = await transactor.run(request.ctx, (uow) => registerClient(deps, uow, request.body));
      if (!result.ok) {
        if (result.reason === 'invalid') return send(reply, clientForm(request.page, { values: request.body, errors: result.fields ?? [] }), 400);
        throw refusalError(result);
      }
      // The only time the secret is shown: keep the page out of every cache.
      reply.header('cache-control', 'no-store');
      return send(reply, clientCreated(request.page, result.value.client, result.value.secret, issuer));
    });
    app.post<{ Params: { clientId: string } }>(
      '/workbench/oidc-clients/:clientId/disable',
      { config: { access }, schema: { hide: true, params: clientIdParams, body: { type: 'object', properties: { _csrf: { type: 'string', maxLength: 128 } } } } },
      async (request, reply) => {
        const client = unwrap(await transactor.run(request.ctx, (uow) => disableClient(deps, uow, request.params.clientId)));
        setFlash(reply, `已停用“${client.name}”`);
        return reply.redirect('/workbench/oidc-clients', 303);
      },
    );

    // ---- JSON API (same commands) ----
    app.get<{ Querystring: { page: number } }>(
      '/api/oidc/clients',
      { config: { access }, schema: { tags: ['oidc'], summary: '已登记的统一身份认证接入系统', querystring: pageQuery } },
      async (request) => {
        const { page } = request.query;
        const { rows, total } = await deps.clients.list({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        return { total, page, pageSize: PAGE_SIZE, items: rows.map(presentClient) };
      },
    );
    app.post<{ Body: { name: string; organisationName: string; organisationId?: string; redirectUris: string[]; requireConsent?: boolean } }>(
      '/api/oidc/clients',
      {
        config: { access },
        schema: {
          tags: ['oidc'],
          summary: '登记接入系统（返回的 clientSecret 只出现这一次）',
          body: apiBody,
          response: {
            201: {
              type: 'object',
              properties: { ...clientJson.properties, clientSecret: { type: 'string' }, issuer: { type: 'string' }, discoveryUrl: { type: 'string' } },
            },
          },
        },
      },
      async (request, reply) => {
        const { client, secret } = unwrap(await transactor.run(request.ctx, (uow) => registerClient(deps, uow, request.body)));
        return reply
          .status(201)
          .header('cache-control', 'no-store')
          .send({ ...presentClient(client), clientSecret: secret, issuer, discoveryUrl: `${issuer}/.well-known/openid-configuration` });
      },
    );
    app.post<{ Params: { clientId: string } }>(
      '/api/oidc/clients/:clientId/disable',
      { config: { access }, schema: { tags: ['oidc'], summary: '停用接入系统', params: clientIdParams, response: { 200: clientJson } } },
      async (request) => presentClient(unwrap(await transactor.run(request.ctx, (uow) => disableClient(deps, uow, request.params.clientId)))),
    );
  };
}
