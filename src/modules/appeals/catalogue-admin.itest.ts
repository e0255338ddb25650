import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { systemActor, type Actor } from '../../platform/auth/actor.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../jurisdictions/index.ts';

/**
 * Administration of the dispatch catalogue and the centres on the real database: who may, refusals
 * naming the field, optimistic versions, audit, "试一试", and the next dispatch suggestion using a
 * changed rule at once (no restart).
 */
describe('appeals: dispatch catalogue and centre administration', () => {
  let t: TestApp;
  const orgs: Record<string, string> = {};
  let head: Actor, clerk: Actor, unitHead: Actor, sysadmin: Actor;
  const citizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c201', displayName: '周市民', realNameLevel: 2 };
  const JIANGAN = ['武汉市江岸区政务服务和大数据管理局', '武汉市江岸区市场监督管理局', '武汉市江岸区住房保障和房屋管理局', '武汉市江岸区大智街道办事处', '大冶市市场监督管理局', '大冶市人民政府办公室', '武汉市市场监督管理局'];

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, actor: Actor | null, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: actor ? asActor(actor) : {}, ...(payload ? { payload } : {}) });
  const fieldsOf = (r: { json: () => unknown }) => (r.json() as { errors: { field: string; message: string }[] }).errors;
  const auditOf = async (action: string, outcome = 'success') =>
    (await sql<{ object_id: string }>`SELECT object_id FROM audit.entry WHERE action = ${action} AND outcome = ${outcome} ORDER BY id`.execute(t.platform.db)).rows;

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    const lookup = createJurisdictionsModule(t.platform).service;
    for (const name of JIANGAN) {
      const found = await lookup.listOrganisations(systemActor('test'), { q: name }, { page: 1, pageSize: 5 });
      orgs[name] = found.items.find((o) => o.name === name)!.id;
    }
    const at = (name: string, roles: Parameters<typeof buildStaff>[0]['roles'], code = '420102') => buildStaff({ organisationId: orgs[name]!, organisationName: name, jurisdictionCode: code, roles });
    head = at('武汉市江岸区政务服务和大数据管理局', ['org_head']);
    clerk = at('武汉市江岸区政务服务和大数据管理局', ['clerk']);
    unitHead = at('武汉市江岸区市场监督管理局', ['org_head']);
    sysadmin = buildStaff({ organisationId: 'org-sys', jurisdictionCode: '420000', roles: ['sysadmin'] });
  }, 120_000);
  afterAll(async () => t?.stop());

  it('lets only a hotline centre head edit the catalogue, and only the system administrator edit centres', async () => {
    expect((await call('GET', '/api/appeals/catalogue/categories', head)).statusCode).toBe(200);
    expect((await call('GET', '/api/appeals/catalogue/categories', clerk)).statusCode).toBe(403); // no permission
    expect((await call('GET', '/api/appeals/catalogue/categories', unitHead)).statusCode).toBe(403); // a head, but not of a centre
    expect((await call('GET', '/api/appeals/catalogue/categories', sysadmin)).statusCode).toBe(403); // 三员分立
    expect((await call('POST', '/api/appeals/catalogue/categories', unitHead, { parentCode: '02', code: '0209', name: '测试' })).statusCode).toBe(403);
    expect(await auditOf('appeal.category.create', 'denied')).toHaveLength(1);
    expect((await call('GET', '/api/appeals/centres', sysadmin)).statusCode).toBe(200);
    expect((await call('GET', '/api/appeals/centres', head)).statusCode).toBe(403);
    expect((await call('GET', '/workbench/appeals/catalogue', null)).statusCode).toBe(401);
    // A head of an ordinary unit sees the tree and 试一试 read-only (the navigation shows the page to every head).
    const readOnly = await t.app.inject({ url: '/workbench/appeals/catalogue?categoryCode=0201&divisionCode=420102', headers: { ...asActor(unitHead), accept: 'text/html' } });
    expect(readOnly.statusCode).toBe(200);
    expect(readOnly.body).toContain('适用规则');
    expect(readOnly.body).not.toContain('action="/workbench/appeals/catalogue/categories"');
    expect(readOnly.body).not.toContain('href="/workbench/appeals/catalogue/categories/');
    expect((await call('GET', '/workbench/appeals/catalogue/rules', unitHead)).statusCode).toBe(403);
    // The JSON API is in the OpenAPI document.
    const paths = Object.keys((await call('GET', '/api/docs/json', null)).json<{ paths: Record<string, unknown> }>().paths);
    for (const p of ['/api/appeals/catalogue/categories', '/api/appeals/catalogue/categories/{code}/{op}', '/api/appeals/catalogue/rules', '/api/appeals/catalogue/rules/{category}/{division}', '/api/appeals/catalogue/try', '/api/appeals/centres', '/api/appeals/centres/{id}']) expect(paths).toContain(p);
  });

  it('adds, renames, disables and re-enables categories with field-named refusals and versions; never deletes one in use', async () => {
    const tree = (await call('GET', '/api/appeals/catalogue/categories', head)).json<{ items: { code: string; rules: number; children: number }[] }>().items;
    expect(tree.find((c) => c.code === '0201')!.rules).toBeGreaterThan(0);
    expect(tree.find((c) => c.code === '02')!.children).toBe(3);

    for (const [body, field, message] of [
      [{ parentCode: '02', code: '0301', name: '网络交易' }, 'code', '上级代码 02 加两位数字'],
      [{ parentCode: '02', code: '02x1', name: '网络交易' }, 'code', '2、4、6 或 8 位数字'],
      [{ parentCode: '02', code: '0201', name: '网络交易' }, 'code', '已被使用'],
      [{ parentCode: '02', code: '0209', name: '' }, 'name', '请填写分类名称'],
      [{ parentCode: '02', code: '0209', name: '名'.repeat(41) }, 'name', '40 个字'],
      [{ parentCode: '0201', code: '020101', name: '过期食品' }, 'parentCode', '已有派单规则或工单'],
      [{ parentCode: '99', code: '9901', name: '不存在' }, 'parentCode', '上级分类不存在'],
    ] as const) {
      const r = await call('POST', '/api/appeals/catalogue/categories', head, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(r).find((e) => e.field === field)?.message, JSON.stringify(body)).toContain(message);
    }
    const created = await call('POST', '/api/appeals/catalogue/categories', head, { parentCode: '02', code: '0204', name: '网络交易' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: '0204', name: '网络交易', active: true, version: 1 });

    const stale = await call('POST', '/api/appeals/catalogue/categories/0204/rename', head, { name: '网络购物', version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().detail).toContain('已被他人修改');
    const renamed = await call('POST', '/api/appeals/catalogue/categories/0204/rename', head, { name: '网络购物', version: 1 });
    expect(renamed.json()).toMatchObject({ name: '网络购物', version: 2 });
    // A branch with active children cannot be disabled; a leaf can, and comes back.
    const branch = await call('POST', '/api/appeals/catalogue/categories/02/disable', head, { version: 1 });
    expect(branch.statusCode).toBe(400);
    expect(fieldsOf(branch)[0]!.message).toContain('请先停用下级分类');
    expect((await call('POST', '/api/appeals/catalogue/categories/0204/disable', head, { version: 2 })).json()).toMatchObject({ active: false, version: 3 });
    const form = await t.app.inject({ url: '/appeals/new', headers: { accept: 'text/html' } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('食品安全');
    expect(form.body).not.toContain('网络购物'); // disabled: gone from the intake form
    expect((await call('POST', '/api/appeals/catalogue/categories/0204/enable', head, { version: 3 })).json()).toMatchObject({ active: true, version: 4 });
    // There is no delete at all: categories in use keep their tickets and rules.
    expect((await call('DELETE', '/api/appeals/catalogue/categories/0201', head)).statusCode).toBe(404);
    expect((await auditOf('appeal.category.create')).map((a) => a.object_id)).toEqual(['0204']);
    expect((await auditOf('appeal.category.rename')).map((a) => a.object_id)).toEqual(['0204']);
    expect(await auditOf('appeal.category.disable')).toHaveLength(1);
  });

  it('keeps rules leaf × division → lead (+ co-handlers), the most specific division winning, shown by 试一试', async () => {
    const base = { categoryCode: '0204', divisionCode: '420102', organisationId: orgs['武汉市江岸区市场监督管理局'], coOrgIds: [orgs['武汉市江岸区住房保障和房屋管理局']] };
    for (const [over, field, message] of [
      [{ divisionCode: '420281' }, 'divisionCode', '本中心管辖范围'],
      [{ divisionCode: '4201' }, 'divisionCode', '6 位或 9 位'],
      [{ divisionCode: '420102999' }, 'divisionCode', '不存在'],
      [{ categoryCode: '02' }, 'categoryCode', '末级分类'],
      [{ organisationId: orgs['大冶市市场监督管理局'] }, 'organisationId', '不在本中心管辖范围内'],
      [{ coOrgIds: [orgs['武汉市江岸区市场监督管理局']] }, 'coOrgIds', '不能与主办单位相同'],
    ] as const) {
      const r = await call('POST', '/api/appeals/catalogue/rules', head, { ...base, ...over });
      expect(r.statusCode, JSON.stringify(over)).toBe(400);
      expect(fieldsOf(r).find((e) => e.field === field)?.message, JSON.stringify(over)).toContain(message);
    }
    const county = await call('POST', '/api/appeals/catalogue/rules', head, base);
    expect(county.statusCode).toBe(201);
    expect(county.json()).toMatchObject({ organisationName: '武汉市江岸区市场监督管理局', coOrgNames: ['武汉市江岸区住房保障和房屋管理局'], version: 1 });
    const again = await call('POST', '/api/appeals/catalogue/rules', head, base);
    expect(fieldsOf(again)[0]).toMatchObject({ field: 'divisionCode', message: expect.stringContaining('已有派单规则') });
    expect((await call('POST', '/api/appeals/catalogue/rules', head, { ...base, divisionCode: '420102002', organisationId: orgs['武汉市江岸区大智街道办事处'], coOrgIds: [] })).statusCode).toBe(201);

    const tryIt = async (division: string) => (await call('GET', `/api/appeals/catalogue/try?categoryCode=0204&divisionCode=${division}`, head)).json<{ rule: { divisionCode: string; organisationName: string } | null; chain: string[] }>();
    expect((await tryIt('420102002')).rule).toMatchObject({ divisionCode: '420102002', organisationName: '武汉市江岸区大智街道办事处' });
    const inherited = await tryIt('420102003');
    expect(inherited.rule).toMatchObject({ divisionCode: '420102', organisationName: '武汉市江岸区市场监督管理局' });
    expect(inherited.chain).toEqual(['420102003', '420102', '420100', '420000']);
    expect((await tryIt('420281')).rule).toBeNull();
    const badTry = await call('GET', '/api/appeals/catalogue/try?categoryCode=02&divisionCode=42', head);
    expect(badTry.statusCode).toBe(400);
    expect(fieldsOf(badTry).map((e) => e.field).sort()).toEqual(['categoryCode', 'divisionCode']);

    const listed = (await call('GET', '/api/appeals/catalogue/rules?categoryCode=0204', head)).json<{ items: unknown[]; total: number }>();
    expect(listed.total).toBe(2);
    // Pages: the try result and an empty state.
    const page = await t.app.inject({ url: '/workbench/appeals/catalogue?categoryCode=0204&divisionCode=420102003', headers: { ...asActor(head), accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('适用规则');
    expect(page.body).toContain('沿用上级区划');
    expect(page.body).toContain('网络购物');
    const empty = await t.app.inject({ url: '/workbench/appeals/catalogue/rules?categoryCode=0901&page=1', headers: { ...asActor(head), accept: 'text/html' } });
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('第 1 / 1 页');
  });

  it('changes take effect for the next dispatch suggestion without a restart', async () => {
    const submitted = await call('POST', '/api/appeals', citizen, { type: 'complaint', title: '网店卖假货拒不退款', description: '在江岸区一家网店买到假冒商品，商家拒绝退款，要求处理。', divisionCode: '420102', categoryCode: '0202', contactPhone: '13800006666' });
    expect(submitted.statusCode).toBe(201);
    const id = submitted.json<{ id: string }>().id;
    const suggest = async () => (await call('GET', `/api/appeals/${id}/suggestions`, clerk)).json<{ unit: { organisationName: string; ruleDivisionCode: string; coOrganisations: { name: string }[] } | null }>().unit;
    expect(await suggest()).toMatchObject({ organisationName: '武汉市江岸区市场监督管理局', ruleDivisionCode: '420102' });

    const rule = (await call('GET', '/api/appeals/catalogue/rules?categoryCode=0202', head)).json<{ items: { divisionCode: string; version: number }[] }>().items.find((r) => r.divisionCode === '420102')!;
    const changed = await call('PUT', '/api/appeals/catalogue/rules/0202/420102', head, { organisationId: orgs['武汉市江岸区住房保障和房屋管理局'], coOrgIds: [orgs['武汉市江岸区市场监督管理局']], version: rule.version });
    expect(changed.statusCode).toBe(200);
    expect(await suggest()).toMatchObject({ organisationName: '武汉市江岸区住房保障和房屋管理局', coOrganisations: [{ name: '武汉市江岸区市场监督管理局' }] });
    // The dispatch form proposes the rule's lead and preselects its co-handlers.
    const detail = await t.app.inject({ url: `/workbench/appeals/${id}`, headers: { ...asActor(clerk), accept: 'text/html' } });
    const coSelect = /<select id="dispatch-co"[\s\S]*?<\/select>/.exec(detail.body)![0];
    expect(coSelect).toContain(`<option value="${orgs['武汉市江岸区市场监督管理局']}" selected>`);
    const stale = await call('PUT', '/api/appeals/catalogue/rules/0202/420102', head, { organisationId: orgs['武汉市江岸区市场监督管理局'], version: rule.version });
    expect(stale.statusCode).toBe(409);

    // Without the county rule, the city's rule applies (most specific on the chain).
    expect((await call('DELETE', `/api/appeals/catalogue/rules/0202/420102?version=${rule.version + 1}`, head)).statusCode).toBe(204);
    expect(await suggest()).toMatchObject({ organisationName: '武汉市市场监督管理局', ruleDivisionCode: '420100' });
    expect((await auditOf('appeal.rule.update')).map((a) => a.object_id)).toEqual(['0202:420102']);
    expect((await auditOf('appeal.rule.delete')).map((a) => a.object_id)).toEqual(['0202:420102']);
  });

  it('administers centres: validation by field, clashes, versions, audit, effective at once', async () => {
    const bad = await call('POST', '/api/appeals/centres', sysadmin, { name: 'x', kind: 'radio', divisionCode: '429999', organisationId: 'nope', hotline: 'abc', dutyMobile: '123', dutyEmail: 'no-at' });
    expect(bad.statusCode).toBe(400);
    expect(Object.fromEntries(fieldsOf(bad).map((e) => [e.field, e.message]))).toMatchObject({
      name: expect.stringContaining('至少 2 个字'),
      kind: expect.stringContaining('请选择类型'),
      divisionCode: expect.stringContaining('不存在'),
      hotline: expect.stringContaining('格式不正确'),
      dutyMobile: expect.stringContaining('11 位'),
      dutyEmail: expect.stringContaining('格式不正确'),
      organisationId: expect.stringContaining('不存在'),
    });
    const huangshiHead = buildStaff({ organisationId: orgs['大冶市人民政府办公室']!, organisationName: '大冶市人民政府办公室', jurisdictionCode: '420281', roles: ['org_head'] });
    expect((await call('GET', '/api/appeals/catalogue/categories', huangshiHead)).statusCode).toBe(403);
    const body = { name: '黄石市 12345 热线', kind: 'hotline', divisionCode: '420200', organisationId: orgs['大冶市人民政府办公室'], hotline: '0714-12345', dutyMobile: '13900001111' };
    const created = await call('POST', '/api/appeals/centres', sysadmin, body);
    expect(created.statusCode, created.body).toBe(201);
    const centre = created.json<{ id: string; version: number }>();
    // The new centre's head administers the catalogue at once (no restart).
    expect((await call('GET', '/api/appeals/catalogue/categories', huangshiHead)).statusCode).toBe(200);
    const clash = await call('POST', '/api/appeals/centres', sysadmin, { ...body, name: '另一个中心' });
    expect(fieldsOf(clash).map((e) => e.field).sort()).toEqual(['organisationId']);
    const outside = await call('POST', '/api/appeals/centres', sysadmin, { ...body, divisionCode: '420100', organisationId: orgs['大冶市市场监督管理局'] });
    expect(fieldsOf(outside).find((e) => e.field === 'organisationId')?.message).toContain('不在区划 420100 范围内');

    const updated = await call('PUT', `/api/appeals/centres/${centre.id}`, sysadmin, { ...body, hotline: '12345', version: centre.version });
    expect(updated.json()).toMatchObject({ hotline: '12345', version: centre.version + 1 });
    expect((await call('PUT', `/api/appeals/centres/${centre.id}`, sysadmin, { ...body, version: centre.version })).statusCode).toBe(409);
    const list = (await call('GET', '/api/appeals/centres', sysadmin)).json<{ items: { name: string; hotline: string }[]; total: number }>();
    expect(list.items.find((c) => c.name === '黄石市 12345 热线')).toMatchObject({ hotline: '12345' });
    expect(list.items.some((c) => c.name.includes('（12345 热线）'))).toBe(true); // seeded centres carry names
    expect((await auditOf('appeal.centre.create')).map((a) => a.object_id)).toEqual([centre.id]);
    expect((await auditOf('appeal.centre.update')).map((a) => a.object_id)).toEqual([centre.id]);
    const pageRes = await t.app.inject({ url: '/workbench/appeals/centres', headers: { ...asActor(sysadmin), accept: 'text/html' } });
    expect(pageRes.body).toContain('黄石市 12345 热线');
    const form = await t.app.inject({ url: `/workbench/appeals/centres/${centre.id}`, headers: { ...asActor(sysadmin), accept: 'text/html' } });
    expect(form.body).toContain('13900001111');
  });
});
