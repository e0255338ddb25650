import type { FastifyInstance } from 'fastify';
import { setFlash } from '../../../platform/http/server.ts';
import { PAGE_SIZE, refusalOf, send } from '../routes/appeal-routes.ts';
import type { DutyContact } from './duty-contact.repository.ts';
import { dutyContactFormPage, dutyContactsPage } from './duty-contact-pages.ts';
import { DUTY_PERMISSION, type DutyContacts } from './duty-contacts.ts';

const ACCESS = { access: { permission: DUTY_PERMISSION } } as const;
const pageQuery = { type: 'object', properties: { page: { type: 'integer', minimum: 1, maximum: 100000, default: 1 } } } as const;
const orgParams = { type: 'object', required: ['organisationId'], properties: { organisationId: { type: 'string', format: 'uuid' } } } as const;
const contactJson = {
  type: 'object',
  properties: {
    organisationId: { type: 'string' },
    organisationName: { type: 'string' },
    dutyMobile: { type: 'string' },
    dutyEmail: { type: 'string' },
    version: { type: 'integer', description: '0: not recorded yet' },
    updatedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;
const contactBody = {
  type: 'object',
  required: ['version'],
  properties: { dutyMobile: { type: 'string', maxLength: 40 }, dutyEmail: { type: 'string', maxLength: 200 }, version: { type: 'integer', minimum: 0 } },
  additionalProperties: false,
} as const;
const present = (c: DutyContact) => ({ ...c, updatedAt: c.updatedAt?.toISOString() ?? null });

type Body = Record<string, unknown>;

/** Duty contacts of handling units: the workbench page and the JSON API beside it (same command). */
export async function dutyContactRoutes(app: FastifyInstance, duty: DutyContacts): Promise<void> {
  app.get<{ Querystring: { page: number } }>('/workbench/appeals/duty-contacts', { config: ACCESS, schema: { hide: true, querystring: pageQuery } }, async (request, reply) => {
    const { page } = request.query;
    const { rows, total } = await duty.list(request.ctx.actor, page, PAGE_SIZE);
    const centre = await duty.headedCentre(request.ctx.actor);
    return send(reply, dutyContactsPage(request.page, { rows, total, page, pageSize: PAGE_SIZE, centreName: centre?.organisationName ?? null }));
  });
  app.get<{ Params: { organisationId: string } }>('/workbench/appeals/duty-contacts/:organisationId', { config: ACCESS, schema: { hide: true, params: orgParams } }, async (request, reply) => {
    const r = await duty.view(request.ctx, request.params.organisationId, { audit: true });
    if (!r.ok) throw refusalOf(r);
    return send(reply, dutyContactFormPage(request.page, { contact: r.value, values: { ...r.value }, errors: [] }));
  });
  app.post<{ Params: { organisationId: string }; Body: Body }>('/workbench/appeals/duty-contacts/:organisationId', { config: ACCESS, schema: { hide: true, params: orgParams } }, async (request, reply) => {
    const body = request.body ?? {};
    const r = await duty.save(request.ctx, request.params.organisationId, body);
    if (!r.ok) {
      if (r.reason === 'invalid' || r.reason === 'conflict') {
        // The form again with what was typed (nothing lost); on a conflict, against the latest version.
        const current = await duty.view(request.ctx, request.params.organisationId);
        if (!current.ok) throw refusalOf(current);
        const status = r.reason === 'conflict' ? r.message : undefined;
        return send(reply, dutyContactFormPage(request.page, { contact: current.value, values: body, errors: r.fields ?? [], ...(status ? { status } : {}) }), r.reason === 'conflict' ? 409 : 400);
      }
      throw refusalOf(r);
    }
    setFlash(reply, `“${r.value.organisationName}”的值班联系方式已保存`);
    return reply.redirect('/workbench/appeals/duty-contacts', 303);
  });

  const tags = ['appeals'];
  app.get<{ Querystring: { page: number } }>(
    '/api/appeals/duty-contacts',
    { config: ACCESS, schema: { tags, summary: '可维护的承办单位值班联系方式（分页）', querystring: pageQuery, response: { 200: { type: 'object', properties: { items: { type: 'array', items: contactJson }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } } } } },
    async (request) => {
      const { page } = request.query;
      const { rows, total } = await duty.list(request.ctx.actor, page, PAGE_SIZE);
      return { items: rows.map(present), total, page, pageSize: PAGE_SIZE };
    },
  );
  app.get<{ Params: { organisationId: string } }>('/api/appeals/duty-contacts/:organisationId', { config: ACCESS, schema: { tags, summary: '某单位的值班联系方式', params: orgParams, response: { 200: contactJson } } }, async (request) => {
    const r = await duty.view(request.ctx, request.params.organisationId, { audit: true });
    if (!r.ok) throw refusalOf(r);
    return present(r.value);
  });
  app.put<{ Params: { organisationId: string }; Body: Body }>(
    '/api/appeals/duty-contacts/:organisationId',
    { config: ACCESS, schema: { tags, summary: '修改单位值班联系方式（带版本号，首次登记为 0）', params: orgParams, body: contactBody, response: { 200: contactJson } } },
    async (request) => {
      const r = await duty.save(request.ctx, request.params.organisationId, request.body ?? {});
      if (!r.ok) throw refusalOf(r);
      return present(r.value);
    },
  );
}
