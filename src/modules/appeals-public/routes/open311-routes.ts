import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { systemActor, type RequestContext } from '../../../platform/auth/actor.ts';
import type { Platform } from '../../../platform/platform.ts';
import { appealPublicQueries as Q, type AppealInput, type AppealsService } from '../../appeals/index.ts';
import type { ApiKeys } from '../api-keys.ts';
import { toXml, XML_ROOT, type Format, type Open311Error, type XmlObject } from '../open311/format.ts';
import { OPEN311_TYPES, OTHER_SERVICE, presentDefinition, presentRequest, presentService } from '../open311/mapping.ts';

export interface Open311Deps {
  platform: Platform;
  appeals: AppealsService;
  keys: ApiKeys;
  /** County-level divisions of Hubei (codes and names) for the division attribute. */
  divisions: () => Promise<{ code: string; name: string }[]>;
}

export const OPEN311_BASE = '/open311/v2';
const CHANGESET = '2026-11-29T00:00:00+08:00';
/** A repeated identical POST by the same client within this window returns the first request. */
export const REPEAT_WINDOW_SECONDS = 120;
const DEFAULT_SPAN_DAYS = 90;
const MAX_PAGE_SIZE = 200;
/** Paging goes at most this deep (page × page_size); beyond it clients narrow the dates instead. */
export const MAX_PAGING_DEPTH = 10_000;
const JURISDICTIONS = new Set(['hubei.gov.cn', '420000']);

class Open311Failure extends Error {
  constructor(
    readonly status: number,
    readonly errors: Open311Error[],
  ) {
    super(errors.map((e) => e.description).join('; '));
  }
}
const fail = (status: number, description: string) => new Open311Failure(status, [{ code: status, description }]);

type Params = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : Array.isArray(v) ? str(v[0]) : '');

/** `.json` / `.xml` on the last path segment wins, then `?format=`, else JSON. */
function splitFormat(segment: string, query: Params): { id: string; format: Format } {
  const m = /^(.*)\.(json|xml)$/i.exec(segment);
  if (m) return { id: m[1]!, format: m[2]!.toLowerCase() as Format };
  const f = str(query.format).toLowerCase();
  if (f && f !== 'json' && f !== 'xml') throw fail(400, 'format 只能是 json 或 xml');
  return { id: segment, format: f === 'xml' ? 'xml' : 'json' };
}

function send(reply: FastifyReply, format: Format, kind: keyof typeof XML_ROOT, body: XmlObject | XmlObject[], status = 200) {
  reply.status(status).header('cache-control', 'no-store');
  if (format === 'xml') {
    const [root, item] = XML_ROOT[kind];
    return reply.type('text/xml; charset=utf-8').send(toXml(root, item, body));
  }
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** `attribute[code]` from a urlencoded body (flat keys) or a JSON body (`attribute: {…}`). */
function attribute(p: Params, code: string): string {
  const nested = p.attribute;
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) return str((nested as Params)[code]);
  return str(p[`attribute[${code}]`]);
}

const boolAttr = (v: string, field: string): boolean => {
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw fail(400, `attribute[${field}] 只能是 true 或 false`);
};

/** Our field names → the Open311 parameter the client sent. */
const FIELD_NAME: Record<string, string> = {
  type: 'attribute[type]',
  title: 'attribute[title]',
  description: 'description',
  categoryCode: 'service_code',
  divisionCode: 'attribute[division_code]',
  address: 'address_string',
  lon: 'lat/long',
  contactName: 'first_name/last_name',
  contactPhone: 'phone',
  anonymous: 'attribute[anonymous]',
  idempotencyKey: 'request_token',
};

function parseDate(v: string, field: string): Date | undefined {
  if (!v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) throw fail(400, `${field} 应为 ISO 8601 日期时间，如 2026-11-01T00:00:00+08:00`);
  const withZone = /T|\s/.test(v) ? (/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}+08:00`) : `${v}T00:00:00+08:00`;
  const d = new Date(withZone.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) throw fail(400, `${field} 不是有效的日期时间`);
  return d;
}

export function open311Routes(deps: Open311Deps) {
  const { platform, appeals, keys } = deps;
  const db = platform.db;

  const services = async () => [...(await Q.serviceCategories(db)), OTHER_SERVICE];

  const checkJurisdiction = (p: Params) => {
    const j = str(p.jurisdiction_id);
    if (j && !JURISDICTIONS.has(j)) throw fail(404, `jurisdiction_id “${j}” 不是本平台的管辖区（请使用 hubei.gov.cn 或省略）`);
  };

  /** Every handler answers failures in the spec's error format, in the requested format. */
  const handle =
    (kind: keyof typeof XML_ROOT, fn: (request: FastifyRequest, format: Format, p: Params) => Promise<{ status?: number; body: XmlObject | XmlObject[]; headers?: Record<string, string> }>, segment?: (r: FastifyRequest) => string) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const query = (request.query ?? {}) as Params;
      let format: Format = 'json';
      try {
        const routeFormat = (request.routeOptions.config as { open311Format?: Format }).open311Format;
        format = routeFormat ?? splitFormat(segment ? segment(request) : '', query).format;
        const body = request.body && typeof request.body === 'object' ? (request.body as Params) : {};
        const p = { ...query, ...body };
        checkJurisdiction(p);
        const out = await fn(request, format, p);
        for (const [name, value] of Object.entries(out.headers ?? {})) reply.header(name, value);
        return send(reply, format, kind, out.body, out.status ?? 200);
      } catch (e) {
        if (e instanceof Open311Failure) return send(reply, format, 'errors', e.errors.map((x) => ({ code: x.code, description: x.description })), e.status);
        throw e;
      }
    };

  const discovery = async (request: FastifyRequest) => ({
    body: {
      changeset: CHANGESET,
      contact: '湖北省 12345 政务服务便民热线（政民互动平台），接口问题请联系平台管理员',
      key_service: `${platform.config.publicUrl}/workbench/open311-keys（API 密钥由平台管理员签发）`,
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${platform.config.publicUrl || `${request.protocol}://${request.host}`}${OPEN311_BASE}`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['application/json', 'text/xml'],
        },
      ] as unknown as XmlObject[],
    },
  });

  const listServices = async () => ({ body: (await services()).map(presentService) });

  const definition = async (request: FastifyRequest) => {
    const { id } = splitFormat((request.params as { code: string }).code, {});
    const service = (await services()).find((s) => s.code === id);
    if (!service) throw fail(404, `服务代码 ${id} 不存在`);
    return { body: presentDefinition(service.code, await deps.divisions()) };
  };

  const listRequests = async (request: FastifyRequest, _format: Format, p: Params) => {
    const ids = str(p.service_request_id);
    const numbers = ids ? ids.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    if (numbers && numbers.length > 50) throw fail(400, 'service_request_id 一次最多 50 个');
    const codes = str(p.service_code) ? str(p.service_code).split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    const statusList = str(p.status) ? str(p.status).split(',').map((s) => s.trim().toLowerCase()) : [];
    if (statusList.some((s) => s !== 'open' && s !== 'closed')) throw fail(400, 'status 只能是 open 或 closed');
    const status = statusList.length === 1 ? (statusList[0] as 'open' | 'closed') : undefined;
    let start = parseDate(str(p.start_date), 'start_date');
    let end = parseDate(str(p.end_date), 'end_date');
    const sizeText = str(p.page_size);
    const limit = sizeText ? Number(sizeText) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw fail(400, `page_size 应为 1–${MAX_PAGE_SIZE} 的整数`);
    const pageText = str(p.page);
    const page = pageText ? Number(pageText) : 1;
    if (!/^\d{1,6}$/.test(pageText || '1') || !Number.isInteger(page) || page < 1) throw fail(400, 'page 应为从 1 开始的整数');
    if (page * limit > MAX_PAGING_DEPTH) throw fail(400, `page × page_size 不能超过 ${MAX_PAGING_DEPTH}，请用 start_date / end_date 缩小范围`);
    if (!numbers) {
      const span = DEFAULT_SPAN_DAYS * 86_400_000;
      if (start && end && end.getTime() - start.getTime() > span) throw fail(400, `start_date 与 end_date 相隔不能超过 ${DEFAULT_SPAN_DAYS} 天`);
      if (start && end && end < start) throw fail(400, 'end_date 不能早于 start_date');
      if (!start && !end) start = new Date(Date.now() - span);
      else if (!start && end) start = new Date(end.getTime() - span);
      else if (start && !end) end = new Date(start.getTime() + span);
    }
    // One row more than asked tells whether a next page exists (no count over the whole window).
    const rows = await Q.open311Requests(db, { numbers, serviceCode: codes, status, start, end, limit: limit + 1, offset: (page - 1) * limit });
    const more = rows.length > limit;
    const headers: Record<string, string> = { 'x-open311-page': String(page), 'x-open311-page-size': String(limit) };
    const links: string[] = [];
    const linkTo = (n: number) => {
      const u = new URL(request.url, platform.config.publicUrl);
      u.searchParams.set('page', String(n));
      u.searchParams.set('page_size', String(limit));
      return `<${u.pathname}${u.search}>`;
    };
    if (more) links.push(`${linkTo(page + 1)}; rel="next"`);
    if (page > 1) links.push(`${linkTo(page - 1)}; rel="prev"`);
    if (links.length > 0) headers.link = links.join(', ');
    return { body: rows.slice(0, limit).map(presentRequest), headers };
  };

  const oneRequest = async (request: FastifyRequest) => {
    const { id } = splitFormat((request.params as { id: string }).id, {});
    if (!/^[A-Za-z0-9-]{1,40}$/.test(id)) throw fail(404, `诉求编号 ${id} 不存在`);
    const rows = await Q.open311Requests(db, { numbers: [id], limit: 1 });
    if (rows.length === 0) throw fail(404, `诉求编号 ${id} 不存在`);
    return { body: rows.map(presentRequest) };
  };

  const token = async (request: FastifyRequest) => {
    const { id } = splitFormat((request.params as { token: string }).token, {});
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw fail(404, `令牌 ${id} 不存在`);
    const r = await sql<{ token: string; ticket_number: string }>`SELECT token, ticket_number FROM appeals_public.open311_post WHERE token = ${id}`.execute(db);
    if (!r.rows[0]) throw fail(404, `令牌 ${id} 不存在`);
    return { body: [{ service_request_id: r.rows[0].ticket_number, token: r.rows[0].token }] };
  };

  const post = async (request: FastifyRequest, _format: Format, p: Params) => {
    const key = str(p.api_key) || str(request.headers['x-api-key']);
    if (!key) throw fail(401, '提交诉求须提供 api_key（向平台管理员申请）');
    const client = await keys.authenticate(key);
    if (!client) throw fail(403, 'api_key 无效或已吊销');
    const serviceCode = str(p.service_code);
    if (!serviceCode) throw fail(400, 'service_code：请提供服务代码');
    const service = (await services()).find((s) => s.code === serviceCode);
    if (!service) throw fail(400, `service_code：服务代码 ${serviceCode} 不存在`);
    const type = attribute(p, 'type') || 'complaint';
    if (!(OPEN311_TYPES as string[]).includes(type)) throw fail(400, `attribute[type]：诉求类型只能是 ${OPEN311_TYPES.join('、')}（信访请实名登录后在网上信访页面提出）`);
    const description = str(p.description);
    const clientToken = str(p.request_token) || str(request.headers['idempotency-key']);
    if (clientToken.length > 50) throw fail(400, 'request_token：不能超过 50 个字符');
    const lat = str(p.lat);
    const lon = str(p.long);
    const input: AppealInput = {
      type,
      title: attribute(p, 'title') || [...description.replace(/\s+/g, ' ')].slice(0, 30).join(''),
      description,
      categoryCode: service.code === OTHER_SERVICE.code ? null : service.code,
      divisionCode: attribute(p, 'division_code') || str(p.address_id),
      address: str(p.address_string),
      lon,
      lat,
      contactName: `${str(p.last_name)}${str(p.first_name)}`,
      contactPhone: str(p.phone),
      consentPublish: boolAttr(attribute(p, 'consent_publish'), 'consent_publish'),
      anonymous: boolAttr(attribute(p, 'anonymous'), 'anonymous'),
      idempotencyKey: clientToken ? `o311:${client.id}:${clientToken}` : undefined,
    };
    const hash = crypto
      .createHash('sha256')
      .update(JSON.stringify([serviceCode, type, input.title, description, lat, lon, input.divisionCode, input.address, input.contactName, input.contactPhone]))
      .digest('hex');
    // A repeated identical post (double click, client retry without a token) within the window → the first request.
    const recent = await sql<{ token: string; ticket_number: string }>`SELECT token, ticket_number FROM appeals_public.open311_post
      WHERE client_id = ${client.id} AND content_hash = ${hash} AND created_at > now() - make_interval(secs => ${REPEAT_WINDOW_SECONDS}) ORDER BY created_at DESC LIMIT 1`.execute(db);
    if (recent.rows[0] && !clientToken) return { body: [accepted(recent.rows[0].ticket_number, recent.rows[0].token)] };

    const ctx: RequestContext = { ...request.ctx, actor: systemActor(`open311:${client.name}`) };
    const result = await appeals.submit(ctx, input, 'api');
    if (!result.ok) {
      if (result.reason === 'invalid') {
        const fields = result.fields ?? [];
        throw new Open311Failure(
          400,
          fields.length > 0 ? fields.map((f) => ({ code: 400, description: `${FIELD_NAME[f.field] ?? f.field}：${f.message}` })) : [{ code: 400, description: result.message }],
        );
      }
      if (result.reason === 'idempotency_mismatch') throw fail(409, `request_token：${result.message}`);
      throw fail(403, result.message);
    }
    const number = result.value.ticket.number;
    const tokenRow = await sql<{ token: string }>`INSERT INTO appeals_public.open311_post (client_id, client_token, content_hash, ticket_number)
      VALUES (${client.id}, ${clientToken || null}, ${hash}, ${number})
      ON CONFLICT (client_id, client_token) WHERE client_token IS NOT NULL DO UPDATE SET client_token = EXCLUDED.client_token RETURNING token`.execute(db);
    return { body: [accepted(number, tokenRow.rows[0]!.token)] };
  };

  const accepted = (number: string, token: string): XmlObject => ({
    service_request_id: number,
    token,
    service_notice: `诉求已登记，编号 ${number}。12345 热线将按规定时限派单办理，可通过 GET ${OPEN311_BASE}/requests/${number}.json 查询进度。`,
  });

  return async function routes(app: FastifyInstance): Promise<void> {
    const pub = { access: { public: true } } as const;
    const doc = (summary: string) => ({ tags: ['open311'], summary });
    for (const [suffix, fixed] of [
      ['', undefined],
      ['.json', 'json'],
      ['.xml', 'xml'],
    ] as const) {
      const config = { ...pub, open311Format: fixed };
      app.get(`${OPEN311_BASE}/discovery${suffix}`, { config, schema: doc('Open311 服务发现') }, handle('services', discovery));
      app.get(`${OPEN311_BASE}/services${suffix}`, { config, schema: doc('Open311 服务列表（派单目录）') }, handle('services', listServices));
      app.get(`${OPEN311_BASE}/requests${suffix}`, { config, schema: doc('Open311 诉求列表') }, handle('requests', listRequests));
      // POST: authenticated by the client's API key, not a browser session — cross-site posts are the point.
      app.post(`${OPEN311_BASE}/requests${suffix}`, { config: { ...config, csrf: false }, schema: doc('Open311 提交诉求（须 api_key）') }, handle('requests', post));
    }
    const seg = (name: string) => (r: FastifyRequest) => (r.params as Record<string, string>)[name] ?? '';
    app.get(`${OPEN311_BASE}/services/:code`, { config: pub, schema: doc('Open311 服务定义') }, handle('definition', definition, seg('code')));
    app.get(`${OPEN311_BASE}/requests/:id`, { config: pub, schema: doc('Open311 单个诉求') }, handle('requests', oneRequest, seg('id')));
    app.get(`${OPEN311_BASE}/request/:id`, { config: pub, schema: doc('Open311 单个诉求') }, handle('requests', oneRequest, seg('id')));
    app.get(`${OPEN311_BASE}/tokens/:token`, { config: pub, schema: doc('Open311 令牌查询') }, handle('tokens', token, seg('token')));
  };
}
