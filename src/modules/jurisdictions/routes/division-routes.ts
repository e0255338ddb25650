import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import type { Platform } from '../../../platform/platform.ts';
import { isDivisionCode } from '../division-codes.ts';
import { divisionSchema, presentDivision, presentDivisionMatch } from '../presenters.ts';
import type { Division, JurisdictionService } from '../types.ts';
import { divisionIndexPage, divisionNodePage } from '../views/division-pages.ts';

/** Cookie holding the visitor's chosen region (a division code); read by portal pages. */
export const REGION_COOKIE = 'zw_region';
const CODE_PATTERN = '^[0-9]{6}([0-9]{3}){0,2}$';
const SAFE_BACK = /^\/(?!\/)[^\s]*$/;

const codeParams = {
  type: 'object',
  properties: { code: { type: 'string', pattern: CODE_PATTERN, description: '行政区划代码（6、9或12位）' } },
  required: ['code'],
} as const;

async function currentRegion(service: JurisdictionService, request: FastifyRequest): Promise<Division | null> {
  const code = request.cookies[REGION_COOKIE];
  if (!code || !isDivisionCode(code)) return null;
  return service.getDivision(code);
}

async function requireDivision(service: JurisdictionService, code: string): Promise<Division> {
  const d = await service.getDivision(code);
  if (!d) throw new AppError('ZW_ERR_NOT_FOUND', `行政区划代码 ${code} 不存在`);
  return d;
}

/** Public: the division tree browser, the region switcher and the division JSON API. */
export async function divisionRoutes(app: FastifyInstance, opts: { platform: Platform; service: JurisdictionService }): Promise<void> {
  const { service } = opts;
  const secure = opts.platform.config.env === 'production';

  app.get<{ Querystring: { q?: string } }>(
    '/jurisdictions',
    {
      config: { access: { public: true } },
      schema: { hide: true, querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 50 } } } },
    },
    async (request, reply) => {
      const q = (request.query.q ?? '').trim();
      const [roots, current, matches] = await Promise.all([service.roots(), currentRegion(service, request), q ? service.searchDivisions(q, 50) : null]);
      const withCounts = await Promise.all(roots.map(async (division) => ({ division, counts: await service.subtreeCounts(division.code) })));
      return reply.type('text/html; charset=utf-8').send(divisionIndexPage(request.page, { roots: withCounts, q, matches, current }).value);
    },
  );

  app.get<{ Params: { code: string } }>(
    '/jurisdictions/:code',
    { config: { access: { public: true } }, schema: { hide: true, params: codeParams } },
    async (request, reply) => {
      const division = await requireDivision(service, request.params.code);
      const [ancestors, children, counts, current] = await Promise.all([
        service.ancestors(division.code),
        service.children(division.code),
        service.subtreeCounts(division.code),
        currentRegion(service, request),
      ]);
      return reply
        .type('text/html; charset=utf-8')
        .send(divisionNodePage(request.page, { division, ancestors: ancestors.slice(0, -1), children, counts, current }).value);
    },
  );

  // The jurisdiction switcher's target: remembers the region in a cookie and goes back.
  app.post<{ Body: { code?: string; back?: string } }>(
    '/jurisdictions/region',
    {
      config: { access: { public: true } },
      schema: {
        hide: true,
        body: {
          type: 'object',
          properties: {
            _csrf: { type: 'string', maxLength: 128 },
            code: { type: 'string', maxLength: 12 },
            back: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (request, reply) => {
      const { code, back } = request.body;
      if (code) {
        const d = isDivisionCode(code) ? await service.getDivision(code) : null;
        if (!d || d.validTo !== null) throw new AppError('ZW_ERR_VALIDATION', '所选地区不存在或已撤销', [{ field: 'code', message: '所选地区不存在或已撤销' }]);
        reply.setCookie(REGION_COOKIE, d.code, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 24 * 3600 });
      } else {
        reply.clearCookie(REGION_COOKIE, { path: '/' });
      }
      return reply.redirect(back && SAFE_BACK.test(back) ? back : code ? `/jurisdictions/${code}` : '/jurisdictions', 303);
    },
  );

  app.get<{ Querystring: { q: string; limit?: number } }>(
    '/api/jurisdictions/divisions',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['jurisdictions'],
        summary: '按名称查找行政区划',
        querystring: {
          type: 'object',
          properties: { q: { type: 'string', minLength: 1, maxLength: 50 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
          required: ['q'],
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: { ...divisionSchema, properties: { ...divisionSchema.properties, path: { type: 'array', items: { type: 'string' } } } } } },
          },
        },
      },
    },
    async (request) => ({ items: (await service.searchDivisions(request.query.q, request.query.limit ?? 20)).map(presentDivisionMatch) }),
  );

  app.get<{ Params: { code: string } }>(
    '/api/jurisdictions/divisions/:code',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['jurisdictions'],
        summary: '行政区划及其上级（根在前）',
        params: codeParams,
        response: { 200: { type: 'object', properties: { division: divisionSchema, ancestors: { type: 'array', items: divisionSchema } } } },
      },
    },
    async (request) => {
      const division = await requireDivision(service, request.params.code);
      const ancestors = await service.ancestors(division.code);
      return { division: presentDivision(division), ancestors: ancestors.slice(0, -1).map(presentDivision) };
    },
  );

  app.get<{ Params: { code: string } }>(
    '/api/jurisdictions/divisions/:code/children',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['jurisdictions'],
        summary: '行政区划的现行下级区划',
        params: codeParams,
        response: {
          200: {
            type: 'object',
            properties: { division: divisionSchema, ancestors: { type: 'array', items: divisionSchema }, children: { type: 'array', items: divisionSchema } },
          },
        },
      },
    },
    async (request) => {
      const division = await requireDivision(service, request.params.code);
      const [ancestors, children] = await Promise.all([service.ancestors(division.code), service.children(division.code)]);
      return { division: presentDivision(division), ancestors: ancestors.slice(0, -1).map(presentDivision), children: children.map(presentDivision) };
    },
  );
}
