import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { sql } from 'kysely';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../jurisdictions/index.ts';
import { systemActor, systemContext, type Actor } from '../../platform/auth/actor.ts';
import { ApiKeys } from './api-keys.ts';

/** The spec's schemas (copied from ../shared/specs/open311-georeport-v2, CC BY 3.0) validate every response. */
const SCHEMAS = path.join(import.meta.dirname, 'open311', 'schemas');
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;
function validators() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('uid', true);
  for (const f of ['service.json', 'services.json', 'service-definition.json', 'request.json', 'requests.json']) {
    ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS, f), 'utf8')) as object, f);
  }
  const swagger = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'swagger.json'), 'utf8')) as { definitions: Record<string, object> };
  const arrayOf = (name: string) => ajv.compile({ type: 'array', items: swagger.definitions[name]! });
  const get = (id: string) => ajv.getSchema(id)!;
  return {
    services: get('services.json'),
    definition: get('service-definition.json'),
    requests: get('requests.json'),
    postResponse: arrayOf('RequestResponse'),
    tokenResponse: arrayOf('TokenResponse'),
    errors: ajv.compile({ type: 'array', minItems: 1, items: { type: 'object', required: ['code', 'description'], properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } } } }),
  };
}

interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}
/** Parses an XML response back into a tree (checks it is well-formed on the way). */
function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser();
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, children: [], text: '' };
    stack.at(-1)!.children.push(node);
    stack.push(node);
  });
  parser.on('text', (text) => {
    stack.at(-1)!.text += text;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root.children[0]!;
}
/** The XML item as the JSON object it mirrors (leaves → strings, list wrappers → arrays). */
function xmlToJson(node: XmlNode, lists = new Set(['attributes', 'values', 'endpoints', 'formats'])): unknown {
  if (node.children.length === 0) return lists.has(node.name) ? [] : node.text;
  if (lists.has(node.name)) return node.children.map((c) => xmlToJson(c, lists));
  return Object.fromEntries(node.children.map((c) => [c.name, xmlToJson(c, lists)]));
}

const expectValid = (v: ValidateFunction, data: unknown) => {
  const ok = v(data);
  expect(ok, JSON.stringify(v.errors)).toBe(true);
};

describe('appeals-public: Open311, public mailbox, figures', () => {
  let t: TestApp;
  let v: ReturnType<typeof validators>;
  let key = '';
  const orgs: Record<string, string> = {};
  let centreClerk: Actor, centreHead: Actor, scjClerk: Actor, scjHead: Actor, sysadmin: Actor, otherOrgClerk: Actor;
  const citizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c101', displayName: '钱市民', realNameLevel: 2 };
  const otherCitizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c102', displayName: '周市民', realNameLevel: 2 };
  const tickets: Record<string, { id: string; number: string }> = {};

  const get = (url: string, actor: Actor | null = null, accept?: string) => t.app.inject({ url, headers: { ...(actor ? asActor(actor) : {}), ...(accept ? { accept } : {}) } });
  const post = (url: string, actor: Actor | null, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: actor ? asActor(actor) : {}, payload });
  const form = (url: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString() });
  const act = async (id: string, event: string, actor: Actor, body: Record<string, unknown> = {}) => {
    const current = (await get(`/api/appeals/${id}`, centreHead)).json<{ version: number }>();
    const r = await post(`/api/appeals/${id}/events/${event}`, actor, { version: current.version, ...body });
    expect(r.statusCode, `${event}: ${r.body}`).toBe(200);
    return r;
  };
  const submit = async (name: string, over: Record<string, unknown>, by: Actor = citizen) => {
    const r = await post('/api/appeals', by, { type: 'complaint', divisionCode: '420102', contactName: '钱市民', contactPhone: '13800002222', consentPublish: false, ...over });
    expect(r.statusCode, r.body).toBe(201);
    tickets[name] = r.json<{ id: string; number: string }>();
    return tickets[name];
  };
  /** Dispatch to the market regulator, sign, reply and call back (optionally after the handling deadline passed). */
  const handle = async (name: string, o: { reply: string; satisfaction?: string; late?: boolean; close?: boolean }) => {
    const { id } = tickets[name]!;
    await act(id, 'dispatch', centreClerk, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] });
    await act(id, 'sign', scjClerk);
    if (o.close === false) return;
    if (o.late) await sql`UPDATE appeals.ticket SET handle_due_at = now() - interval '1 day' WHERE id = ${id}`.execute(t.platform.db);
    await act(id, 'reply', scjClerk, { note: o.reply });
    await act(id, 'callback', centreClerk, { satisfaction: o.satisfaction ?? 'satisfied' });
  };

  beforeAll(async () => {
    v = validators();
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    const lookup = createJurisdictionsModule(t.platform).service;
    for (const name of ['武汉市江岸区政务服务和大数据管理局', '武汉市江岸区市场监督管理局']) {
      const found = await lookup.listOrganisations(systemActor('test'), { q: name }, { page: 1, pageSize: 5 });
      orgs[name] = found.items.find((o) => o.name === name)!.id;
    }
    const staffOf = (name: string, roles: Parameters<typeof buildStaff>[0]['roles']) => buildStaff({ organisationId: orgs[name]!, organisationName: name, jurisdictionCode: '420102', roles });
    centreClerk = staffOf('武汉市江岸区政务服务和大数据管理局', ['clerk']);
    centreHead = staffOf('武汉市江岸区政务服务和大数据管理局', ['org_head']);
    scjClerk = staffOf('武汉市江岸区市场监督管理局', ['clerk']);
    scjHead = staffOf('武汉市江岸区市场监督管理局', ['org_head']);
    otherOrgClerk = buildStaff({ organisationId: 'org-elsewhere', jurisdictionCode: '420281', roles: ['clerk'] });
    sysadmin = buildStaff({ organisationId: 'org-x', jurisdictionCode: '420000', roles: ['sysadmin'] });

    // The seeded tickets for the mailbox and the figures (all dispatched to the market regulator):
    // T1 complaint, consent, on time, satisfied — the only one the mailbox shows;
    // T2 complaint by the same phone about the same category (a repeat), no consent, late, unsatisfied;
    // T3 suggestion, consent, still being handled; T4 anonymous report, basically satisfied;
    // T5 complaint by another citizen (same category as T3, but not the same person), no consent, satisfied.
    await submit('T1', { title: '预付卡健身房跑路', description: '江岸区某健身房收了年卡费用后关门跑路，店主电话 13912345678 打不通，要求退款。', categoryCode: '0202', consentPublish: true });
    await handle('T1', { reply: '已约谈经营者，协调退款方案；联系人手机 13612345678 已登记。', satisfaction: 'satisfied' });
    await submit('T2', { title: '健身房退款仍未到账', description: '上次投诉的健身房预付卡退款到现在仍未到账，要求继续督促退款。', categoryCode: '0202' });
    await handle('T2', { reply: '已再次督促经营者退款。', satisfaction: 'unsatisfied', late: true });
    await submit('T3', { type: 'suggestion', title: '建议增设菜市场公平秤', description: '建议在江岸区各菜市场入口增设公平秤，方便群众复核。', categoryCode: '0203', contactPhone: '13800003333', consentPublish: true });
    await handle('T3', { reply: '', close: false });
    await submit('T4', { type: 'report', anonymous: true, contactName: '', contactPhone: '', title: '举报无证销售过期食品', description: '解放大道某超市长期销售过期食品，举报人要求保密身份。', categoryCode: '0201', consentPublish: true });
    await handle('T4', { reply: '经查属实，已立案查处。', satisfaction: 'basically' });
    await submit('T5', { title: '商场价格欺诈', description: '某商场标价与结算价格不一致，多收了二十元，要求查处。', categoryCode: '0203', contactName: '周市民', contactPhone: '13800005555' }, otherCitizen);
    await handle('T5', { reply: '已责令商场整改并退还差价。', satisfaction: 'satisfied' });

    const issued = await new ApiKeys(t.platform.db, t.platform.transactor).issue(systemContext('test'), '测试城管 App');
    if (!issued.ok) throw new Error(issued.message);
    key = issued.value.key;
  }, 180_000);
  afterAll(async () => t?.stop());

  describe('Open311 GeoReport v2', () => {
    it('answers discovery in JSON and XML', async () => {
      const j = await get('/open311/v2/discovery.json');
      expect(j.statusCode).toBe(200);
      const body = j.json<{ endpoints: { specification: string; url: string; formats: string[] }[] }>();
      expect(body.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] });
      expect(body.endpoints[0]!.url).toMatch(/\/open311\/v2$/);
      const x = await get('/open311/v2/discovery.xml');
      expect(x.headers['content-type']).toContain('text/xml');
      expect(xmlToJson(parseXml(x.body))).toEqual(JSON.parse(JSON.stringify(body), (_k, val: unknown) => (typeof val === 'boolean' || typeof val === 'number' ? String(val) : val)));
    });

    it('lists services and service definitions that validate, JSON = XML', async () => {
      const j = await get('/open311/v2/services.json');
      expect(j.statusCode).toBe(200);
      expectValid(v.services, j.json());
      const services = j.json<{ service_code: string; service_name: string; group: string }[]>();
      expect(services.find((s) => s.service_code === '0202')).toMatchObject({ service_name: '消费维权', metadata: true, type: 'realtime' });
      expect(services.map((s) => s.service_code)).toContain('other');
      const x = parseXml((await get('/open311/v2/services.xml')).body);
      expect(x.name).toBe('services');
      expect(x.children).toHaveLength(services.length);
      expect(x.children[0]!.children.find((c) => c.name === 'service_code')!.text).toBe(services[0]!.service_code);

      const d = await get('/open311/v2/services/0202.json');
      expect(d.statusCode).toBe(200);
      expectValid(v.definition, d.json());
      const attrs = d.json<{ attributes: { code: string; required: boolean; values: { key: string }[] }[] }>().attributes;
      expect(attrs.find((a) => a.code === 'division_code')).toMatchObject({ required: true });
      expect(attrs.find((a) => a.code === 'division_code')!.values.map((x) => x.key)).toContain('420102');
      const dx = parseXml((await get('/open311/v2/services/0202.xml')).body);
      expect(dx.name).toBe('service_definition');
      const asJson = xmlToJson(dx) as { service_code: string; attributes: { code: string; values: unknown[] }[] };
      expect(asJson.service_code).toBe('0202');
      expect(asJson.attributes.map((a) => a.code)).toEqual(attrs.map((a) => a.code));
      expect(asJson.attributes[1]!.values).toHaveLength(attrs[1]!.values.length);

      const missing = await get('/open311/v2/services/9999.json');
      expect(missing.statusCode).toBe(404);
      expectValid(v.errors, missing.json());
      expect(missing.json()[0].description).toContain('9999');
      const missingXml = await get('/open311/v2/services/9999.xml');
      expect(parseXml(missingXml.body).name).toBe('errors');
      expect((await get('/open311/v2/services.json?jurisdiction_id=beijing.gov.cn')).statusCode).toBe(404);
    });

    const good = (over: Record<string, string> = {}) => ({
      api_key: key,
      service_code: '0103',
      description: '沿江大道人行道井盖缺失，夜间行人容易掉入，非常危险，请尽快修复。',
      lat: '30.5928',
      long: '114.3055',
      address_string: '沿江大道与黄石路交叉口',
      first_name: '小明',
      last_name: '孙',
      phone: '13800007777',
      'attribute[division_code]': '420102',
      'attribute[consent_publish]': 'true',
      ...over,
    });

    it('refuses a POST without a valid key, and bad input, in the spec error format with Chinese descriptions', async () => {
      const none = await form('/open311/v2/requests.json', { ...good(), api_key: '' });
      expect(none.statusCode).toBe(401);
      expectValid(v.errors, none.json());
      const bad = await form('/open311/v2/requests.json', good({ api_key: 'zw311_notarealkeynotarealkey123' }));
      expect(bad.statusCode).toBe(403);
      expect(bad.json()[0]).toMatchObject({ code: 403, description: 'api_key 无效或已吊销' });
      const badXml = await form('/open311/v2/requests.xml', good({ api_key: 'nope' }));
      expect(badXml.statusCode).toBe(403);
      expect(xmlToJson(parseXml(badXml.body))).toEqual({ error: { code: '403', description: 'api_key 无效或已吊销' } });

      const cases: [Record<string, string>, string][] = [
        [{ lat: '31.23', long: '121.47' }, 'lat/long：坐标不在湖北省范围内'],
        [{ 'attribute[division_code]': '110101' }, 'attribute[division_code]：本平台只受理湖北省内的诉求'],
        [{ description: '太短了' }, 'description：诉求内容至少'],
        [{ service_code: 'X1' }, 'service_code：服务代码 X1 不存在'],
        [{ phone: '' }, 'phone：请填写联系电话'],
        [{ 'attribute[type]': 'petition' }, 'attribute[type]'],
      ];
      for (const [over, message] of cases) {
        const r = await form('/open311/v2/requests.json', good(over));
        expect(r.statusCode, JSON.stringify(over)).toBe(400);
        expectValid(v.errors, r.json());
        expect(r.json<{ description: string }[]>().map((e) => e.description).join(' | ')).toContain(message);
      }
    });

    it('creates a ticket through the appeals service; a repeated post or token never duplicates', async () => {
      const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.ticket`.execute(t.platform.db);
      const a = await form('/open311/v2/requests.json', good());
      expect(a.statusCode, a.body).toBe(200);
      expectValid(v.postResponse, a.json());
      const created = a.json<{ service_request_id: string; token: string }[]>()[0]!;
      const row = await sql<{ channel: string; category_code: string; contact_name: string; state: string }>`SELECT channel, category_code, contact_name, state FROM appeals.ticket WHERE number = ${created.service_request_id}`.execute(t.platform.db);
      expect(row.rows[0]).toMatchObject({ channel: 'api', category_code: '0103', contact_name: '孙小明', state: 'NEW' });
      // Double click: the identical post again → the same request.
      const again = await form('/open311/v2/requests.json', good());
      expect(again.json()[0].service_request_id).toBe(created.service_request_id);
      // A client token: retried with it → the same request; XML answer parses back.
      const withToken = await form('/open311/v2/requests.xml', good({ request_token: 'client-42', description: '黄浦大街路灯连续一周不亮，夜间出行不安全，请尽快维修。' }));
      expect(withToken.statusCode).toBe(200);
      const tokenReply = xmlToJson(parseXml(withToken.body)) as { request: { service_request_id: string; token: string } };
      const retried = await form('/open311/v2/requests.json', good({ request_token: 'client-42', description: '黄浦大街路灯连续一周不亮，夜间出行不安全，请尽快维修。' }));
      expect(retried.json()[0].service_request_id).toBe(tokenReply.request.service_request_id);
      const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.ticket`.execute(t.platform.db);
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 2);
      // Tokens resolve to the request.
      const tok = await get(`/open311/v2/tokens/${created.token}.json`);
      expect(tok.statusCode).toBe(200);
      expectValid(v.tokenResponse, tok.json());
      expect(tok.json()[0]).toEqual({ service_request_id: created.service_request_id, token: created.token });
      // Single request by /requests/{id} and /request/{id}, JSON and XML.
      const one = await get(`/open311/v2/requests/${created.service_request_id}.json`);
      expectValid(v.requests, one.json());
      expect(one.json()[0]).toMatchObject({ service_request_id: created.service_request_id, status: 'open', service_code: '0103', address_id: '420102', lat: 30.5928, long: 114.3055 });
      expect((await get(`/open311/v2/request/${created.service_request_id}.json`)).json()).toEqual(one.json());
      const oneXml = xmlToJson(parseXml((await get(`/open311/v2/request/${created.service_request_id}.xml`)).body)) as { request: Record<string, string> };
      expect(oneXml.request.service_request_id).toBe(created.service_request_id);
      expect(oneXml.request.status).toBe('open');
      expect(oneXml.request.status_notes).toBe(one.json()[0].status_notes);
      // Nobody's identity in the public answer.
      expect(one.body).not.toContain('13800007777');
      expect(one.body).not.toContain('孙小明');
      expect((await get('/open311/v2/requests/00000000000000.json')).statusCode).toBe(404);
    });

    it('lists requests with filters; every response validates; closed ones carry status_notes and the agency', async () => {
      const all = await get('/open311/v2/requests.json');
      expect(all.statusCode).toBe(200);
      expectValid(v.requests, all.json());
      const list = all.json<{ service_request_id: string; status: string; status_notes: string; agency_responsible: string | null; description: string | null; address: string | null; lat: number | null }[]>();
      expect(list.length).toBeGreaterThanOrEqual(5);
      const t1 = list.find((r) => r.service_request_id === tickets.T1!.number)!;
      expect(t1).toMatchObject({ status: 'closed', agency_responsible: '武汉市江岸区市场监督管理局' });
      expect(t1.status_notes).toContain('已办结');
      expect(t1.status_notes).toContain('136****5678'); // the reply, personal numbers masked
      expect(t1.description).toContain('139****5678');
      // No consent → no text and no place beyond the division.
      const t2 = list.find((r) => r.service_request_id === tickets.T2!.number)!;
      expect(t2).toMatchObject({ description: null, address: null, lat: null });

      const closed = (await get('/open311/v2/requests.json?status=closed&service_code=0202')).json<{ service_request_id: string; status: string }[]>();
      expectValid(v.requests, closed);
      expect(closed.map((r) => r.service_request_id).sort()).toEqual([tickets.T1!.number, tickets.T2!.number].sort());
      const open = (await get('/open311/v2/requests.json?status=open')).json<{ status: string }[]>();
      expect(open.every((r) => r.status === 'open')).toBe(true);
      const byId = (await get(`/open311/v2/requests.json?service_request_id=${tickets.T3!.number},${tickets.T5!.number}`)).json<unknown[]>();
      expect(byId).toHaveLength(2);
      expect((await get('/open311/v2/requests.json?page_size=1')).json()).toHaveLength(1);
      const xml = parseXml((await get('/open311/v2/requests.xml?status=closed&service_code=0202')).body);
      expect(xml.name).toBe('service_requests');
      expect(xml.children.map((c) => c.children.find((x) => x.name === 'service_request_id')!.text).sort()).toEqual(closed.map((r) => r.service_request_id).sort());
      for (const [q, msg] of [
        ['page_size=5000', 'page_size'],
        ['status=pending', 'status'],
        ['start_date=yesterday', 'start_date'],
        ['start_date=2026-01-01&end_date=2026-12-01', '90 天'],
      ] as const) {
        const r = await get(`/open311/v2/requests.json?${q}`);
        expect(r.statusCode, q).toBe(400);
        expectValid(v.errors, r.json());
        expect(r.json()[0].description).toContain(msg);
      }
      const future = await get('/open311/v2/requests.json?start_date=2030-01-01T00:00:00Z');
      expect(future.json()).toEqual([]);
    });

    it('pages GET /requests with page and page_size: pages do not overlap, Link names next/prev, the depth is capped', async () => {
      const all = (await get('/open311/v2/requests.json?page_size=200')).json<{ service_request_id: string }[]>();
      expect(all.length).toBeGreaterThanOrEqual(5);
      const seen: string[] = [];
      for (let page = 1; ; page++) {
        const r = await get(`/open311/v2/requests.json?page_size=2&page=${page}`);
        expect(r.statusCode).toBe(200);
        expectValid(v.requests, r.json());
        expect(r.headers['x-open311-page']).toBe(String(page));
        const ids = r.json<{ service_request_id: string }[]>().map((x) => x.service_request_id);
        seen.push(...ids);
        const link = String(r.headers.link ?? '');
        if (page > 1) expect(link).toContain(`page=${page - 1}`);
        if (!link.includes('rel="next"')) break;
        expect(link).toContain(`page_size=2&page=${page + 1}>; rel="next"`);
        expect(ids).toHaveLength(2);
      }
      // Together the pages are exactly the unpaged list, in the same order, no duplicates.
      expect(seen).toEqual(all.map((x) => x.service_request_id));
      const xml = parseXml((await get('/open311/v2/requests.xml?page_size=2&page=2')).body);
      expect(xml.children.map((c) => c.children.find((x) => x.name === 'service_request_id')!.text)).toEqual(seen.slice(2, 4));
      const beyond = await get('/open311/v2/requests.json?page_size=2&page=9999');
      expect(beyond.statusCode).toBe(400);
      expect(beyond.json()[0].description).toContain('page × page_size');
      for (const q of ['page=0', 'page=abc', 'page=-1']) {
        const r = await get(`/open311/v2/requests.json?${q}`);
        expect(r.statusCode, q).toBe(400);
        expectValid(v.errors, r.json());
        expect(r.json()[0].description).toContain('page');
      }
      expect((await get('/open311/v2/requests.json?page_size=200&page=40')).json()).toEqual([]);
    });

    it('never leaks an anonymous reporter', async () => {
      const anon = await form(
        '/open311/v2/requests.json',
        good({ service_code: '0201', 'attribute[type]': 'report', 'attribute[anonymous]': 'true', first_name: '', last_name: '', phone: '', description: '某饭店后厨使用地沟油，举报人担心报复要求匿名处理。' }),
      );
      expect(anon.statusCode, anon.body).toBe(200);
      const n = anon.json()[0].service_request_id as string;
      for (const url of [`/open311/v2/requests/${n}.json`, `/open311/v2/requests/${tickets.T4!.number}.json`, `/open311/v2/requests/${tickets.T4!.number}.xml`, '/open311/v2/requests.json', '/open311/v2/requests.xml']) {
        const r = await get(url);
        expect(r.statusCode).toBe(200);
        expect(r.body).not.toContain('地沟油');
        expect(r.body).not.toContain('举报人要求保密身份');
        expect(r.body).not.toContain('钱市民');
      }
      const one = (await get(`/open311/v2/requests/${tickets.T4!.number}.json`)).json()[0];
      expect(one).toMatchObject({ description: null, address: null, lat: null, long: null });
    });
  });

  describe('public mailbox', () => {
    it('shows only consented, closed, non-anonymous tickets, masked, searchable, with an empty state', async () => {
      const page = await get('/mailbox', null, 'text/html');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('预付卡健身房跑路');
      for (const hidden of ['健身房退款仍未到账', '建议增设菜市场公平秤', '举报无证销售过期食品', '商场价格欺诈']) expect(page.body).not.toContain(hidden);
      const api = await get('/api/mailbox');
      expect(api.json()).toMatchObject({ total: 1, items: [{ number: tickets.T1!.number, leadOrgName: '武汉市江岸区市场监督管理局' }] });
      expect(JSON.stringify(api.json())).not.toContain('13800002222');
      expect(api.json().items[0].description).toContain('139****5678');
      expect(api.json().items[0].reply).toContain('136****5678');

      expect((await get(`/api/mailbox?q=${encodeURIComponent('健身房')}`)).json().total).toBe(1);
      expect((await get(`/api/mailbox?q=${encodeURIComponent('不存在的词')}`)).json().total).toBe(0);
      expect((await get('/api/mailbox?type=praise')).json().total).toBe(0);
      expect((await get(`/api/mailbox?org=${orgs['武汉市江岸区市场监督管理局']}&from=2020-01-01`)).json().total).toBe(1);
      expect((await get('/api/mailbox?to=2020-01-01')).json().total).toBe(0);
      const empty = await get(`/mailbox?q=${encodeURIComponent('不存在的词')}`, null, 'text/html');
      expect(empty.body).toContain('没有符合条件的来信');

      const bad = await get('/mailbox?from=2026-13-45&type=petition', null, 'text/html');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('日期格式应为 2026-01-31');
      expect(bad.body).toContain('请选择列表中的类型');
      const badApi = await get('/api/mailbox?from=yesterday');
      expect(badApi.statusCode).toBe(400);
      expect(badApi.headers['content-type']).toContain('application/problem+json');
      expect(badApi.json().errors[0]).toMatchObject({ field: 'from' });

      const detail = await get(`/mailbox/${tickets.T1!.id}`, null, 'text/html');
      expect(detail.statusCode).toBe(200);
      expect(detail.body).toContain('136****5678');
      expect(detail.body).not.toContain('13612345678');
      expect(detail.body).not.toContain('13800002222');
      const detailApi = await get(`/api/mailbox/${tickets.T1!.id}`);
      expect(detailApi.json().replies.map((r: { event: string }) => r.event)).toContain('reply');
      for (const hidden of ['T2', 'T3', 'T4', 'T5']) {
        expect((await get(`/mailbox/${tickets[hidden]!.id}`, null, 'text/html')).statusCode).toBe(404);
        expect((await get(`/api/mailbox/${tickets[hidden]!.id}`)).statusCode).toBe(404);
      }
    });

    it('computes the figures per department from the tickets', async () => {
      const r = await get('/api/mailbox/statistics');
      expect(r.statusCode).toBe(200);
      const scj = r.json<{ byDepartment: { label: string; received: number; closed: number; closedOnTime: number; onTimeRate: number; rated: number; satisfied: number; satisfactionRate: number; complaints: number; repeatComplaints: number; repeatRate: number }[] }>().byDepartment.find(
        (d) => d.label === '武汉市江岸区市场监督管理局',
      )!;
      // T1–T5 all went to the market regulator; T2 late; T2 unsatisfied; T2 repeats T1.
      expect(scj).toMatchObject({ received: 5, closed: 4, closedOnTime: 3, onTimeRate: 75, rated: 4, satisfied: 3, satisfactionRate: 75, complaints: 3, repeatComplaints: 1, repeatRate: 33.3 });

      // Move T5 to an earlier month: the month rows split accordingly.
      await sql`UPDATE appeals.ticket SET created_at = created_at - interval '40 days' WHERE id = ${tickets.T5!.id}`.execute(t.platform.db);
      const split = (await get('/api/mailbox/statistics')).json<{ byMonth: { label: string; received: number }[]; total: { received: number } }>();
      const nonEmpty = split.byMonth.filter((m) => m.received > 0);
      expect(nonEmpty.length).toBe(2);
      expect(nonEmpty.map((m) => m.received).reduce((a, b) => a + b, 0)).toBe(split.total.received);
      await sql`UPDATE appeals.ticket SET created_at = created_at + interval '40 days' WHERE id = ${tickets.T5!.id}`.execute(t.platform.db);

      const page = await get('/mailbox/statistics', null, 'text/html');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<table class="figures">');
      expect(page.body).toContain('75.0%');
      expect(page.body).toContain('33.3%');
      expect(page.body).toContain('/assets/mailbox/charts.js');
      expect((await get('/mailbox/statistics?from=2026-13', null, 'text/html')).statusCode).toBe(400);
      expect((await get('/api/mailbox/statistics?from=2020-01&to=2026-01')).statusCode).toBe(400);
      const js = await get('/assets/mailbox/charts.js');
      expect(js.statusCode).toBe(200);
      expect(js.headers['content-type']).toContain('javascript');
      expect(js.body.length).toBeGreaterThan(10_000);
    }, 60_000);

    it('exports the scoped figures to Excel for staff only', async () => {
      expect((await get('/workbench/appeals-statistics.xlsx')).statusCode).toBe(401);
      const x = await get('/workbench/appeals-statistics.xlsx', scjHead);
      expect(x.statusCode).toBe(200);
      expect(x.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('按承办单位')!;
      const row = sheet.getRow(3).values as unknown[];
      expect(row.slice(1, 3)).toEqual(['武汉市江岸区市场监督管理局', 5]);
      // Another unit's clerk sees none of the market regulator's figures.
      const other = await get('/workbench/appeals-statistics', otherOrgClerk, 'text/html');
      expect(other.statusCode).toBe(200);
      expect(other.body).not.toContain('武汉市江岸区市场监督管理局');
      const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'appeals.figures.export'`.execute(t.platform.db);
      expect(audit.rows[0]!.n).toBeGreaterThanOrEqual(1);
    });

    it('issues Open311 keys on a workbench page for the system administrator only', async () => {
      expect((await get('/workbench/open311-keys', scjHead, 'text/html')).statusCode).toBe(403);
      const page = await get('/workbench/open311-keys', sysadmin, 'text/html');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('测试城管 App');
      expect(page.body).toContain(key.slice(0, 10));
      expect(page.body).not.toContain(key);
      const stored = await sql<{ key_hash: string }>`SELECT key_hash FROM appeals_public.api_client`.execute(t.platform.db);
      expect(stored.rows.every((r) => r.key_hash.length === 64 && !r.key_hash.includes(key))).toBe(true);
    });
  });
});
