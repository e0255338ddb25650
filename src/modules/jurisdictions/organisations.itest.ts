import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { usccCheckCharacter } from '../../platform/codes/validators.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { createOrganisation } from './commands/create-organisation.ts';
import { createJurisdictionsModule, seedJurisdictions, type JurisdictionService, type Organisation } from './index.ts';
import { demoUscc } from './seed.ts';
import { createJurisdictionService } from './service.ts';

const SEEDED = 19 + 13 + 12 + 13; // province, Wuhan, 江岸区, 大冶市

function ctxOf(actor: Actor, requestId = `req-${Math.random().toString(36).slice(2)}`): RequestContext {
  return { actor, requestId, clientIp: '127.0.0.1' };
}

/** A valid USCC with a known authority/category pair but another body. */
function validUscc(seed: string, division = '420102'): string {
  return demoUscc(seed, division, '1');
}

function withWrongCheck(uscc: string): string {
  return uscc.slice(0, 17) + (uscc[17] === '0' ? '1' : '0');
}

describe('organisations', () => {
  let t: TestApp;
  let service: JurisdictionService;
  let sysadmin: Actor;
  const org = new Map<string, Organisation>();

  async function byName(name: string): Promise<Organisation> {
    const page = await service.listOrganisations(sysadmin, { q: name }, { page: 1, pageSize: 5 });
    const o = page.items.find((x) => x.name === name);
    if (!o) throw new Error(`no organisation ${name}`);
    return o;
  }

  async function auditOf(objectId: string) {
    const r = await sql<{ action: string; request_id: string; actor_kind: string; detail: Record<string, unknown> }>`
      SELECT action, request_id, actor_kind, detail FROM audit.entry WHERE object_type = 'organisation' AND object_id = ${objectId} ORDER BY id`.execute(t.platform.db);
    return r.rows;
  }

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    service = createJurisdictionsModule(t.platform).service;
    await seedJurisdictions(t.platform);
    sysadmin = buildStaff({ roles: ['sysadmin'], jurisdictionCode: '420000' });
    for (const name of ['湖北省公安厅', '湖北省信访局', '武汉市公安局', '武汉市公安局江岸区分局', '武汉市江岸区政务服务和大数据管理局', '大冶市民政局']) {
      org.set(name, await byName(name));
    }
  });
  afterAll(async () => t?.stop());

  describe('seed', () => {
    it('seeds the province, Wuhan and two counties, idempotently', async () => {
      const all = await service.listOrganisations(sysadmin, {}, { page: 1, pageSize: 100 });
      expect(all.total).toBe(SEEDED);
      const again = await seedJurisdictions(t.platform);
      expect(again).toEqual({ divisionsImported: false, created: 0, existing: SEEDED });
      expect((await service.listOrganisations(sysadmin, {}, { page: 1, pageSize: 1 })).total).toBe(SEEDED);
    });

    it('stores structurally valid demo USCCs, and keeps a registry code with a wrong check character as a warning', async () => {
      const police = org.get('湖北省公安厅')!;
      expect(police).toMatchObject({ jurisdictionName: '湖北省', typeLabel: '政府组成部门', usccStatus: 'valid' });
      expect(police.uscc).toMatch(/^11420000/);
      expect(org.get('湖北省信访局')).toMatchObject({ usccStatus: 'invalidCheck' });
      expect(org.get('湖北省信访局')!.usccNote).toContain('校验位错误');
      expect(org.get('武汉市公安局江岸区分局')).toMatchObject({ parentId: org.get('武汉市公安局')!.id, parentName: '武汉市公安局', jurisdictionCode: '420102' });
    });

    it('resolves references for other modules', async () => {
      const ids = [org.get('湖北省公安厅')!.id, org.get('大冶市民政局')!.id, '00000000-0000-4000-8000-000000000000', 'nonsense'];
      const refs = await service.getOrganisations(ids);
      expect([...refs.keys()].sort()).toEqual(ids.slice(0, 2).sort());
      expect(await service.getOrganisation(org.get('大冶市民政局')!.id)).toMatchObject({ name: '大冶市民政局', jurisdictionCode: '420281', jurisdictionName: '大冶市', type: 'government' });
    });
  });

  describe('create-organisation', () => {
    it('creates an organisation with a valid USCC, audited in the same transaction', async () => {
      const ctx = ctxOf(sysadmin);
      const r = await service.createOrganisation(ctx, { name: '武汉市江岸区数据局测试一', jurisdictionCode: '420102', type: 'government', uscc: validUscc('t1') });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.warnings).toEqual([]);
      expect(r.value.organisation).toMatchObject({ usccStatus: 'valid', version: 1, jurisdictionName: '江岸区', sortOrder: 0 });
      const audit = await auditOf(r.value.organisation.id);
      expect(audit).toEqual([expect.objectContaining({ action: 'organisation.create', request_id: ctx.requestId, actor_kind: 'staff' })]);
    });

    it('refuses a typed USCC with a wrong check character, with the validator’s Chinese message', async () => {
      const good = validUscc('t2');
      const r = await service.createOrganisation(ctxOf(sysadmin), { name: '校验位错误测试', jurisdictionCode: '420102', type: 'government', uscc: withWrongCheck(good) });
      expect(r).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'uscc', message: `统一社会信用代码校验位错误，应为 ${good[17]}` }] });
      expect((await service.listOrganisations(sysadmin, { q: '校验位错误测试' }, { page: 1, pageSize: 5 })).total).toBe(0);
    });

    it('accepts the same code from a registry, with a warning', async () => {
      const r = await service.createOrganisation(ctxOf(sysadmin), { name: '登记数据导入测试', jurisdictionCode: '420102', type: 'institution', uscc: withWrongCheck(validUscc('t3')) }, 'registry');
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.value.organisation.usccStatus).toBe('invalidCheck');
        expect(r.value.warnings[0]).toContain('校验位错误');
      }
    });

    it('only warns about an unknown authority/category pair', async () => {
      const first17 = `15${validUscc('t4').slice(2, 17)}`;
      const r = await service.createOrganisation(ctxOf(sysadmin), { name: '类别未收录测试', jurisdictionCode: '420102', type: 'government', uscc: first17 + usccCheckCharacter(first17) });
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.value.organisation.usccStatus).toBe('unknownCategory');
        expect(r.value.warnings.join()).toContain('组合不在代码表中');
      }
    });

    it('refuses duplicates, unknown divisions and types', async () => {
      const dup = await service.createOrganisation(ctxOf(sysadmin), { name: '湖北省公安厅', jurisdictionCode: '420000', type: 'government', uscc: org.get('大冶市民政局')!.uscc });
      expect(dup).toMatchObject({ ok: false, reason: 'duplicate' });
      if (!dup.ok) expect(dup.fields?.map((f) => f.field)).toEqual(['name', 'uscc']);
      const bad = await service.createOrganisation(ctxOf(sysadmin), { name: '无效引用测试', jurisdictionCode: '420199', type: 'ministry' });
      expect(bad).toMatchObject({ ok: false, reason: 'invalid' });
      if (!bad.ok) expect(bad.fields?.map((f) => f.field)).toEqual(['jurisdictionCode', 'type']);
    });

    it('is refused to business roles', async () => {
      const clerk = buildStaff({ roles: ['clerk'], organisationId: org.get('湖北省公安厅')!.id, jurisdictionCode: '420000' });
      expect(await service.createOrganisation(ctxOf(clerk), { name: 'x', jurisdictionCode: '420000', type: 'government' })).toMatchObject({ ok: false, reason: 'forbidden' });
    });

    it('leaves neither row nor audit entry when the transaction rolls back', async () => {
      const ctx = ctxOf(sysadmin, 'req-rollback-test');
      const deps = createJurisdictionService(t.platform).deps;
      await expect(
        t.platform.transactor.run(ctx, async (uow) => {
          const r = await createOrganisation(deps, uow, { name: '回滚测试机构', jurisdictionCode: '420102', type: 'government' });
          expect(r.ok).toBe(true);
          throw new Error('later step failed');
        }),
      ).rejects.toThrow('later step failed');
      expect((await service.listOrganisations(sysadmin, { q: '回滚测试机构' }, { page: 1, pageSize: 5 })).total).toBe(0);
      const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE request_id = 'req-rollback-test'`.execute(t.platform.db);
      expect(audit.rows[0]?.n).toBe(0);
    });
  });

  describe('update-organisation', () => {
    it('changes the given fields, bumps the version and audits the change', async () => {
      const before = org.get('大冶市民政局')!;
      const ctx = ctxOf(sysadmin);
      const r = await service.updateOrganisation(ctx, before.id, before.version, { shortName: '市民政局', sortOrder: 5 });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.organisation).toMatchObject({ shortName: '市民政局', sortOrder: 5, version: before.version + 1, name: '大冶市民政局' });
      const audit = (await auditOf(before.id)).filter((a) => a.action === 'organisation.update');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ request_id: ctx.requestId, detail: { fromVersion: 1, toVersion: 2, changes: { shortName: { from: null, to: '市民政局' }, sortOrder: { from: before.sortOrder, to: 5 } } } });
      org.set('大冶市民政局', r.value.organisation);
    });

    it('refuses a stale version as a conflict and writes nothing', async () => {
      const current = org.get('大冶市民政局')!;
      const auditBefore = (await auditOf(current.id)).length;
      const r = await service.updateOrganisation(ctxOf(sysadmin), current.id, current.version - 1, { name: '过期版本修改' });
      expect(r).toMatchObject({ ok: false, reason: 'conflict' });
      expect((await service.getOrganisation(current.id))?.name).toBe('大冶市民政局');
      expect(await auditOf(current.id)).toHaveLength(auditBefore);
    });

    it('keeps an unchanged registry USCC when other fields are edited, but checks a changed one as user input', async () => {
      const petitions = org.get('湖北省信访局')!;
      const keep = await service.updateOrganisation(ctxOf(sysadmin), petitions.id, petitions.version, { uscc: petitions.uscc, shortName: '省信访局' });
      expect(keep).toMatchObject({ ok: true, value: { organisation: { usccStatus: 'invalidCheck', shortName: '省信访局' } } });
      const retyped = await service.updateOrganisation(ctxOf(sysadmin), petitions.id, petitions.version + 1, { uscc: withWrongCheck(validUscc('t5', '420000')) });
      expect(retyped).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'uscc' }] });
    });

    it('refuses a parent that would make a cycle', async () => {
      const city = org.get('武汉市公安局')!;
      const branch = org.get('武汉市公安局江岸区分局')!;
      const r = await service.updateOrganisation(ctxOf(sysadmin), city.id, city.version, { parentId: branch.id });
      expect(r).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'parentId', message: '不能把机构设为它自己或其下级机构的下级' }] });
    });
  });

  describe('scope', () => {
    it('shows a county clerk only the own organisation', async () => {
      const own = org.get('武汉市江岸区政务服务和大数据管理局')!;
      const clerk = buildStaff({ roles: ['clerk'], organisationId: own.id, jurisdictionCode: '420102' });
      const page = await service.listOrganisations(clerk, {}, { page: 1, pageSize: 100 });
      expect(page.items.map((o) => o.id)).toEqual([own.id]);
      expect(await service.viewOrganisation(clerk, org.get('大冶市民政局')!.id)).toBeNull();
      expect(await service.viewOrganisation(clerk, own.id)).not.toBeNull();
    });

    it('shows a county supervisor the county subtree, a province supervisor the province', async () => {
      const supervisor = buildStaff({ roles: ['jurisdiction_supervisor'], jurisdictionCode: '420102' });
      const county = await service.listOrganisations(supervisor, {}, { page: 1, pageSize: 100 });
      expect(county.items.length).toBeGreaterThanOrEqual(12);
      expect(county.items.every((o) => o.jurisdictionCode.startsWith('420102'))).toBe(true);
      expect(county.items.some((o) => o.jurisdictionCode === '420102002')).toBe(true); // street office below the county
      const province = await service.listOrganisations(buildStaff({ roles: ['province_supervisor'], jurisdictionCode: '420100' }), {}, { page: 1, pageSize: 1 });
      expect(province.total).toBe((await service.listOrganisations(sysadmin, {}, { page: 1, pageSize: 1 })).total);
    });

    it('shows the sysadmin everything and the other administrators nothing', async () => {
      const all = await service.listOrganisations(sysadmin, {}, { page: 1, pageSize: 100 });
      expect(all.total).toBeGreaterThan(SEEDED);
      expect(new Set(all.items.map((o) => o.jurisdictionCode.slice(0, 6)))).toEqual(new Set(['420000', '420100', '420102', '420281']));
      for (const role of ['secadmin', 'auditadmin'] as const) {
        expect((await service.listOrganisations(buildStaff({ roles: [role] }), {}, { page: 1, pageSize: 10 })).total).toBe(0);
      }
    });

    it('filters by jurisdiction subtree, name and type, and pages', async () => {
      const wuhan = await service.listOrganisations(sysadmin, { jurisdictionCode: '420100' }, { page: 1, pageSize: 100 });
      expect(wuhan.items.every((o) => o.jurisdictionCode.startsWith('4201'))).toBe(true);
      expect(wuhan.items.some((o) => o.jurisdictionCode === '420102')).toBe(true);
      const police = await service.listOrganisations(sysadmin, { q: '公安' }, { page: 1, pageSize: 100 });
      expect(police.items.map((o) => o.name).sort()).toEqual(['大冶市公安局', '武汉市公安局', '武汉市公安局江岸区分局', '湖北省公安厅'].sort());
      const townships = await service.listOrganisations(sysadmin, { type: 'township' }, { page: 1, pageSize: 100 });
      expect(townships.total).toBe(4);
      const p2 = await service.listOrganisations(sysadmin, {}, { page: 2, pageSize: 10 });
      expect(p2).toMatchObject({ page: 2, pageSize: 10 });
      expect(p2.items).toHaveLength(10);
      expect(await service.listOrganisations(sysadmin, { q: '%' }, { page: 1, pageSize: 10 })).toMatchObject({ total: 0 });
    });
  });

  describe('workbench pages and API', () => {
    const form = (fields: Record<string, string>) => {
      const token = 'c'.repeat(32);
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${token}`, accept: 'text/html' },
        payload: new URLSearchParams({ _csrf: token, ...fields }).toString(),
      };
    };

    it('lists organisations for the sysadmin with filters and pagination', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/workbench/organisations', headers: { accept: 'text/html', ...asActor(sysadmin) } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('湖北省公安厅');
      expect(res.body).toContain('href="/workbench/organisations/new"');
      expect(res.body).toContain('rel="next"');
      const empty = await t.app.inject({ method: 'GET', url: `/workbench/organisations?q=${encodeURIComponent('不存在的机构')}`, headers: asActor(sysadmin) });
      expect(empty.body).toContain('没有符合筛选条件的机构。');
    });

    it('shows a clerk only the own organisation and hides others', async () => {
      const own = org.get('武汉市江岸区政务服务和大数据管理局')!;
      const clerk = buildStaff({ roles: ['clerk'], organisationId: own.id, jurisdictionCode: '420102' });
      const list = await t.app.inject({ method: 'GET', url: '/workbench/organisations', headers: asActor(clerk) });
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(own.name);
      expect(list.body).not.toContain('湖北省公安厅');
      expect(list.body).not.toContain('新建机构');
      expect((await t.app.inject({ method: 'GET', url: `/workbench/organisations/${org.get('湖北省公安厅')!.id}`, headers: asActor(clerk) })).statusCode).toBe(404);
      const api = await t.app.inject({ method: 'GET', url: '/api/organisations', headers: asActor(clerk) });
      expect(api.json()).toMatchObject({ total: 1, items: [{ id: own.id, jurisdiction: { code: '420102', name: '江岸区' } }] });
      expect((await t.app.inject({ method: 'GET', url: '/workbench/organisations/new', headers: asActor(clerk) })).statusCode).toBe(403);
    });

    it('refuses the security administrator', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/organisations', headers: asActor(buildStaff({ roles: ['secadmin'] })) });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('ZW_ERR_FORBIDDEN');
    });

    it('shows the form again with Chinese errors per field', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/workbench/organisations',
        ...form({ name: '', jurisdictionCode: '420102', type: 'government', uscc: withWrongCheck(validUscc('t6')), sortOrder: 'x' }),
        headers: { ...form({}).headers, ...asActor(sysadmin) },
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('class="error-summary"');
      expect(res.body).toContain('机构名称：请填写机构名称');
      expect(res.body).toContain('统一社会信用代码：统一社会信用代码校验位错误，应为');
      expect(res.body).toContain('排序号：排序号应为0至9999之间的整数');
      expect(res.body).toContain('value="420102"'); // what was typed stays in the form
    });

    it('creates through the form, with USCC warnings shown but not blocking', async () => {
      const first17 = `15${validUscc('t7').slice(2, 17)}`;
      const res = await t.app.inject({
        method: 'POST',
        url: '/workbench/organisations',
        ...form({ name: '表单新建测试', jurisdictionCode: '420102', type: 'government', uscc: first17 + usccCheckCharacter(first17), sortOrder: '3' }),
        headers: { ...form({}).headers, ...asActor(sysadmin) },
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toMatch(/^\/workbench\/organisations\/[0-9a-f-]{36}$/);
      expect(decodeURIComponent(String(res.headers['set-cookie']))).toContain('请注意');
      const detail = await t.app.inject({ method: 'GET', url: String(res.headers.location), headers: asActor(sysadmin) });
      expect(detail.body).toContain('登记管理部门与机构类别组合未收录');
    });

    it('answers a stale version with 409 on the form and the API', async () => {
      const current = (await byName('表单新建测试'));
      const edit = await t.app.inject({ method: 'GET', url: `/workbench/organisations/${current.id}/edit`, headers: asActor(sysadmin) });
      expect(edit.body).toContain(`name="version" value="${current.version}"`);
      const ok = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${current.id}`, headers: asActor(sysadmin), payload: { version: current.version, shortName: '表单测试' } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().organisation).toMatchObject({ shortName: '表单测试', version: current.version + 1 });
      const stale = await t.app.inject({ method: 'PATCH', url: `/api/organisations/${current.id}`, headers: asActor(sysadmin), payload: { version: current.version, name: '过期' } });
      expect(stale.statusCode).toBe(409);
      expect(stale.headers['content-type']).toContain('application/problem+json');
      expect(stale.json().code).toBe('ZW_ERR_CONFLICT');
      const staleForm = await t.app.inject({
        method: 'POST',
        url: `/workbench/organisations/${current.id}`,
        ...form({ name: '过期', jurisdictionCode: '420102', type: 'government', version: String(current.version) }),
        headers: { ...form({}).headers, ...asActor(sysadmin) },
      });
      expect(staleForm.statusCode).toBe(409);
      expect(staleForm.body).toContain('已被他人修改');
    });

    it('creates through the API and reports invalid input as problem+json', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: asActor(sysadmin), payload: { name: '接口新建测试', jurisdictionCode: '420281', type: 'institution', uscc: demoUscc('接口新建测试', '420281', '2') } });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ organisation: { name: '接口新建测试', usccStatus: 'valid', type: { code: 'institution', label: '事业单位' } }, warnings: [] });
      const invalid = await t.app.inject({ method: 'POST', url: '/api/organisations', headers: asActor(sysadmin), payload: { name: '接口错误', jurisdictionCode: '420281', type: 'institution', uscc: '123' } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json()).toMatchObject({ code: 'ZW_ERR_VALIDATION', errors: [{ field: 'uscc', message: '统一社会信用代码应为18位，当前为3位' }] });
      const clerk = buildStaff({ roles: ['clerk'], organisationId: org.get('大冶市民政局')!.id, jurisdictionCode: '420281' });
      expect((await t.app.inject({ method: 'POST', url: '/api/organisations', headers: asActor(clerk), payload: { name: 'x', jurisdictionCode: '420281', type: 'institution' } })).statusCode).toBe(403);
    });

    it('sends anonymous visitors to sign in', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/workbench/organisations', headers: { accept: 'text/html' } });
      // The platform error handler answers with a Location to the sign-in page (its status is
      // the platform's business: today 401, because it sets the status before redirecting).
      expect(res.statusCode).not.toBe(200);
      expect(res.headers.location).toBe('/login?next=%2Fworkbench%2Forganisations');
      expect((await t.app.inject({ method: 'GET', url: '/api/organisations' })).statusCode).toBe(401);
    });
  });
});
