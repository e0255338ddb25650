import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff } from '../../../test/support/test-auth.ts';
import { headerAuthenticator } from '../../../test/support/test-auth.ts';
import { seedJurisdictions } from '../jurisdictions/index.ts';
import { CatalogRepository } from './catalog.repository.ts';
import { createCatalogService, type CatalogService } from './service.ts';
import { goodElements, jiangan, jianganClerk, jianganHead } from './test-fixtures.ts';

const daye = { organisationId: 'org-dy-scj', organisationName: '大冶市市场监督管理局', jurisdictionCode: '420281' };
const clerkA = jianganClerk;
const headA = jianganHead;
const clerkB = buildStaff({ ...daye, roles: ['clerk'] });
const headB = buildStaff({ ...daye, roles: ['org_head'] });
const TOKEN = 'catalogtestcsrftoken0123456789abcdef';
/** Form and multipart posts carry the double-submit CSRF token (cookie + header). */
const csrf = { cookie: `zw_csrf=${TOKEN}`, 'x-csrf-token': TOKEN };
const wuhanSupervisor = buildStaff({ organisationId: 'org-wh-zwj', organisationName: '武汉市政务服务和大数据管理局', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });

describe('catalog', () => {
  let t: TestApp;
  let service: CatalogService;

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    service = createCatalogService(new CatalogRepository(t.platform.db));
  });
  afterAll(async () => t?.stop());

  describe('lifecycle, quality rules, versions and scope', () => {
    let item: { id: string };
    let lock = 0;

    it('drafts an item and reports the quality findings on save', async () => {
      const elements = { ...goodElements('江岸区测试许可'), supervisionPhone: '027-82830001' };
      const r = await t.app.inject({ method: 'POST', url: '/api/catalog/items', headers: asActor(clerkA), payload: { implementationCode: '420102019990010001', elements } });
      expect(r.statusCode).toBe(201);
      const body = r.json();
      item = body.item;
      lock = body.version.lockVersion;
      expect(body.item.status).toBe('draft');
      expect(body.version.issues).toEqual([{ rule: 'Q5', field: 'supervisionPhone', message: '监督投诉电话不能与咨询电话相同' }]);
      // the implementation code is the idempotency key: a retried create does not duplicate
      const again = await t.app.inject({ method: 'POST', url: '/api/catalog/items', headers: asActor(clerkA), payload: { implementationCode: '420102019990010001', elements } });
      expect(again.statusCode).toBe(409);
    });

    it('blocks submitting while a quality rule fails, naming the field in Chinese', async () => {
      const r = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/submit`, headers: asActor(clerkA), payload: { version: lock } });
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json().errors).toEqual([{ field: 'supervisionPhone', message: '【Q5】监督投诉电话不能与咨询电话相同' }]);
    });

    it('refuses a stale edit with 409 and accepts the fix', async () => {
      const stale = await t.app.inject({ method: 'PATCH', url: `/api/catalog/items/${item.id}/draft`, headers: asActor(clerkA), payload: { lockVersion: lock - 1, elements: goodElements('江岸区测试许可') } });
      expect(stale.statusCode).toBe(409);
      const fixed = await t.app.inject({ method: 'PATCH', url: `/api/catalog/items/${item.id}/draft`, headers: asActor(clerkA), payload: { lockVersion: lock, elements: goodElements('江岸区测试许可') } });
      expect(fixed.statusCode).toBe(200);
      expect(fixed.json().issues).toEqual([]);
      lock = fixed.json().lockVersion;
    });

    it('lets the clerk submit and only the head publish', async () => {
      const sub = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/submit`, headers: asActor(clerkA), payload: { version: lock } });
      expect(sub.statusCode).toBe(200);
      lock = sub.json().version.lockVersion;
      expect((await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/approve`, headers: asActor(clerkA), payload: { version: lock } })).statusCode).toBe(403);
      expect(await service.itemForApplication(item.id)).toBeNull();
      const pub = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/approve`, headers: asActor(headA), payload: { version: lock, comment: '同意' } });
      expect(pub.statusCode).toBe(200);
      expect(pub.json().item.status).toBe('published');
      const forApp = await service.itemForApplication(item.id);
      expect(forApp).toMatchObject({ name: '江岸区测试许可', version: 1, organisationId: jiangan.organisationId, divisionCode: '420102', caseType: 'promised', legalLimit: { n: 20, unit: 'G' } });
      const guide = await t.app.inject({ url: `/services/${item.id}` });
      expect(guide.statusCode).toBe(200);
      expect(guide.body).toContain('江岸区测试许可');
      expect(guide.body).toContain(`/services/${item.id}/apply`);
      expect(guide.body).toContain('20 个工作日');
      const audit = await t.platform.db.selectFrom('audit.entry' as never).select(['action' as never]).where('object_id' as never, '=', item.id as never).execute();
      expect((audit as { action: string }[]).map((a) => a.action)).toEqual(expect.arrayContaining(['catalog.create', 'catalog.edit', 'catalog.submit', 'catalog.publish']));
    });

    it('drafts version 2 while version 1 stays in force; cases keep their version', async () => {
      const head = (await t.app.inject({ url: `/api/catalog/items/${item.id}`, headers: asActor(clerkA) })).json();
      const nv = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/new-version`, headers: asActor(clerkA), payload: { version: head.item.version } });
      expect(nv.statusCode).toBe(200);
      const v2 = nv.json().version;
      expect(v2.versionNo).toBe(2);
      const v1Id = head.item.publishedVersionId as string;
      expect((await service.itemForApplication(item.id))?.versionId).toBe(v1Id);
      const edited = await t.app.inject({ method: 'PATCH', url: `/api/catalog/items/${item.id}/draft`, headers: asActor(clerkA), payload: { lockVersion: v2.lockVersion, elements: goodElements('江岸区测试许可（第二版）') } });
      const sub = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/submit`, headers: asActor(clerkA), payload: { version: edited.json().lockVersion } });
      await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/approve`, headers: asActor(headA), payload: { version: sub.json().version.lockVersion } });
      expect(await service.itemForApplication(item.id)).toMatchObject({ version: 2, name: '江岸区测试许可（第二版）' });
      expect(await service.itemVersion(v1Id)).toMatchObject({ version: 1, name: '江岸区测试许可' });
      const versions = (await t.app.inject({ url: `/api/catalog/items/${item.id}`, headers: asActor(headA) })).json().versions;
      expect(versions.map((v: { versionNo: number; status: string }) => `${v.versionNo}:${v.status}`)).toEqual(['2:published', '1:superseded']);
    });

    it('keeps other counties out and lets supervisors only read', async () => {
      expect((await t.app.inject({ url: `/api/catalog/items/${item.id}`, headers: asActor(clerkB) })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/workbench/catalog/${item.id}`, headers: asActor(headB) })).statusCode).toBe(404);
      const head = (await t.app.inject({ url: `/api/catalog/items/${item.id}`, headers: asActor(headA) })).json();
      expect((await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/suspend`, headers: asActor(headB), payload: { version: head.item.version } })).statusCode).toBe(404);
      expect((await t.app.inject({ url: `/api/catalog/items/${item.id}`, headers: asActor(wuhanSupervisor) })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/suspend`, headers: asActor(wuhanSupervisor), payload: { version: head.item.version } })).statusCode).toBe(403);
      const list = async (actor: typeof clerkA) => (await t.app.inject({ url: '/api/catalog/items', headers: asActor(actor) })).json().items.map((i: { id: string }) => i.id);
      expect(await list(clerkA)).toContain(item.id);
      expect(await list(clerkB)).not.toContain(item.id);
      expect(await list(wuhanSupervisor)).toContain(item.id);
    });

    it('suspending takes the item out of application', async () => {
      const head = (await t.app.inject({ url: `/api/catalog/items/${item.id}`, headers: asActor(headA) })).json();
      const s = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/suspend`, headers: asActor(headA), payload: { version: head.item.version, comment: '法规修订' } });
      expect(s.statusCode).toBe(200);
      expect(await service.itemForApplication(item.id)).toBeNull();
      const found = (await t.app.inject({ url: '/api/services?q=jiangan' })).json();
      expect(found.items.map((i: { id: string }) => i.id)).not.toContain(item.id);
      const r = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${item.id}/resume`, headers: asActor(headA), payload: { version: s.json().item.version } });
      expect(r.statusCode).toBe(200);
      expect(await service.itemForApplication(item.id)).not.toBeNull();
    });

    it('shows the quality block on the workbench page with the field named', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/catalog/items', headers: asActor(clerkA), payload: { implementationCode: '420102019990010002', elements: { ...goodElements('页面测试事项'), officeHours: '9:00—17:00' } } });
      const id = created.json().item.id as string;
      const page = await t.app.inject({ method: 'POST', url: `/workbench/catalog/${id}/submit`, headers: { ...asActor(clerkA), ...csrf, 'content-type': 'application/x-www-form-urlencoded' }, payload: `version=${created.json().version.lockVersion}` });
      expect(page.statusCode).toBe(400);
      expect(page.body).toContain('办理时间：【Q6】办理时间应写明工作日');
    });
  });

  it('describes its API in OpenAPI', async () => {
    const r = await t.app.inject({ url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json().paths as Record<string, unknown>);
    expect(paths).toEqual(expect.arrayContaining(['/api/services', '/api/services/{id}', '/api/services/{id}/form-schema', '/api/catalog/items', '/api/catalog/items/{id}/draft', '/api/catalog/items/{id}/approve', '/api/catalog/import', '/api/life-events/{id}']));
  });

  describe('workbench pages', () => {
    const form = (fields: Record<string, string | string[]>) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
      return p.toString();
    };
    const post = (url: string, body: string, actor = clerkA) =>
      t.app.inject({ method: 'POST', url, headers: { ...asActor(actor), ...csrf, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });

    it('shows the create form again with every refused field named and nothing lost', async () => {
      const r = await post('/workbench/catalog', form({ implementationCode: 'bad code', name: '页面新建事项', legalLimitN: 'abc', legalLimitUnit: 'G', serviceObjects: ['2', '6'], materialsText: '申请书 | 是 | 纸质 | 1 | 0' }));
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('实施编码：实施编码应为 1 至 24 位数字或大写字母');
      expect(r.body).toContain('法定办结时限：法定办结时限应为 0 至 3650 的整数');
      expect(r.body).toContain('value="页面新建事项"');
      expect(r.body).toMatch(/name="serviceObjects" value="6" checked/);
      expect(r.body).toContain('申请书 | 是 | 纸质 | 1 | 0');
    });

    it('creates from the page, edits, and previews and saves the form definition', async () => {
      const created = await post('/workbench/catalog', form({ implementationCode: '420102019990030001', name: '页面新建事项', basicCode: '0199900300', itemType: '01', serviceObjects: ['2'], themesLegalPerson: ['准营准办'], materialsText: '申请书 | 是 | 纸质 | 1 | 0' }));
      expect(created.statusCode).toBe(303);
      const path = created.headers.location as string;
      const detail = await t.app.inject({ url: path, headers: asActor(clerkA) });
      expect(detail.body).toContain('质量检查发现');
      const edit = await t.app.inject({ url: `${path}/edit`, headers: asActor(clerkA) });
      expect(edit.statusCode).toBe(200);
      const lock = /name="lockVersion" value="(\d+)"/.exec(edit.body)?.[1] ?? '0';
      const bad = await post(`${path}/form`, form({ lockVersion: lock, intent: 'preview', formJson: '{"version":1,"fields":[{"name":"a","label":"A","type":"select"}]}' }));
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('是选择题，需要至少一个选项');
      const preview = await post(`${path}/form`, form({ lockVersion: lock, intent: 'preview', formJson: '{"version":1,"fields":[{"name":"shopName","label":"店铺名称","type":"text","required":true}]}' }));
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('<label for="f-shopName">店铺名称');
      const saved = await post(`${path}/form`, form({ lockVersion: lock, intent: 'save', formJson: '{"version":1,"fields":[{"name":"shopName","label":"店铺名称","type":"text","required":true}]}' }));
      expect(saved.statusCode).toBe(303);
      const stale = await post(`${path}/form`, form({ lockVersion: lock, intent: 'save', formJson: '{"version":1,"fields":[]}' }));
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('已被他人修改');
      const api = (await t.app.inject({ url: `/api/catalog/items/${path.split('/').pop()}`, headers: asActor(clerkA) })).json();
      expect(api.openVersion.form.fields).toEqual([{ name: 'shopName', label: '店铺名称', type: 'text', required: true }]);

      // field by field: add (refused, then accepted), a conditional field, move up, guarded remove
      const fresh = async () => /name="lockVersion" value="(\d+)"/.exec((await t.app.inject({ url: `${path}/form`, headers: asActor(clerkA) })).body)?.[1] ?? '0';
      const bad2 = await post(`${path}/form/fields`, form({ lockVersion: await fresh(), op: 'add', fieldLabel: '经营方式', fieldName: '1x', fieldType: 'radio' }));
      expect(bad2.statusCode).toBe(400);
      expect(bad2.body).toContain('字段名：第 2 个字段“经营方式”的字段名应以字母开头');
      expect(bad2.body).toContain('value="经营方式"');
      expect((await post(`${path}/form/fields`, form({ lockVersion: await fresh(), op: 'add', fieldLabel: '经营方式', fieldName: 'mode', fieldType: 'radio', fieldRequired: 'on', fieldOptions: 'shop | 门店\nonline | 网店' }))).statusCode).toBe(303);
      expect((await post(`${path}/form/fields`, form({ lockVersion: await fresh(), op: 'add', fieldLabel: '网店地址', fieldName: 'url', fieldType: 'text', fieldRequired: 'on', showIfField: 'mode', showIfEquals: 'online' }))).statusCode).toBe(303);
      expect((await post(`${path}/form/fields`, form({ lockVersion: await fresh(), op: 'up', name: 'mode' }))).statusCode).toBe(303);
      const guarded = await post(`${path}/form/fields`, form({ lockVersion: await fresh(), op: 'remove', name: 'mode' }));
      expect(guarded.statusCode).toBe(400);
      expect(guarded.body).toContain('是“网店地址”的显示条件');
      const after = (await t.app.inject({ url: `/api/catalog/items/${path.split('/').pop()}`, headers: asActor(clerkA) })).json().openVersion.form.fields;
      expect(after).toEqual([
        { name: 'mode', label: '经营方式', type: 'radio', required: true, options: [{ value: 'shop', label: '门店' }, { value: 'online', label: '网店' }] },
        { name: 'shopName', label: '店铺名称', type: 'text', required: true },
        { name: 'url', label: '网店地址', type: 'text', required: true, showIf: { field: 'mode', equals: 'online' } },
      ]);
    });
  });

  describe('seed, finder, life events, search box', () => {
    beforeAll(async () => {
      await seedJurisdictions(t.platform);
      await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
    }, 120_000);

    it('seeds ≥ 60 published items across ≥ 10 departments and three levels, idempotently', async () => {
      const all = (await t.app.inject({ url: '/api/catalog/items?page=1', headers: asActor(buildStaff({ organisationId: 'x', jurisdictionCode: '420000', roles: ['province_supervisor'] })) })).json();
      expect(all.total).toBeGreaterThanOrEqual(60);
      const repo = new CatalogRepository(t.platform.db);
      const orgs = await repo.publishedOrganisations();
      expect(orgs.length).toBeGreaterThanOrEqual(10);
      const levels = new Set((await repo.listPublished({}, { limit: 500, offset: 0 })).rows.map((r) => r.exerciseLevel));
      expect([...levels].sort()).toEqual(expect.arrayContaining(['2', '3', '4']));
      const before = (await repo.listPublished({}, { limit: 1, offset: 0 })).total;
      expect(before).toBeGreaterThanOrEqual(60);
      await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
      expect((await repo.listPublished({}, { limit: 1, offset: 0 })).total).toBe(before);
    });

    it('finds items by name, pinyin, initials, department and theme', async () => {
      const names = async (qs: string) => (await t.app.inject({ url: `/api/services?${qs}` })).json().items.map((i: { name: string; organisationName: string }) => `${i.name}@${i.organisationName}`);
      expect(await names('q=spjyxk')).toContain('食品经营许可@武汉市江岸区市场监督管理局');
      expect(await names('q=shipinjingying')).toContain('食品经营许可@大冶市市场监督管理局');
      expect(await names(`q=${encodeURIComponent('公共场所')}`)).toContain('公共场所卫生许可@武汉市江岸区卫生健康局');
      expect((await names(`theme=${encodeURIComponent('婚姻登记')}`)).every((n: string) => n.startsWith('内地居民结婚登记'))).toBe(true);
      expect(await names('q=zzzzqqq')).toEqual([]);
      const page = await t.app.inject({ url: '/services?q=spjyxk' });
      expect(page.body).toContain('食品经营许可');
      const empty = await t.app.inject({ url: '/services?q=zzzzqqq' });
      expect(empty.body).toContain('没有找到符合条件的事项');
    });

    it('gives cases the published food licence with its form, and a life event with one merged form', async () => {
      const found = (await t.app.inject({ url: '/api/services?q=spjyxk' })).json().items.find((i: { organisationName: string }) => i.organisationName === '武汉市江岸区市场监督管理局');
      const it = await service.itemForApplication(found.id);
      expect(it?.form.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['entityName', 'entityUscc', 'mainBusiness', 'seats', 'truthfulness']));
      expect(it?.materials.find((m) => m.name === '营业执照')?.fromSharing).toBe(true);
      const schema = (await t.app.inject({ url: `/api/services/${found.id}/form-schema` })).json();
      expect(schema.properties.entityUscc.title).toBe('统一社会信用代码');
      const events = (await t.app.inject({ url: '/api/life-events' })).json().items;
      const restaurant = events.find((e: { code: string }) => e.code === 'JA-KBCYD');
      const le = await service.lifeEvent(restaurant.id);
      expect(le?.items.map((i) => i.name)).toEqual(['个体工商户登记', '食品经营许可', '公共场所卫生许可']);
      const names = le?.form.fields.map((f) => f.name) ?? [];
      expect(new Set(names).size).toBe(names.length);
      expect(names.filter((n) => n === 'businessAddress')).toHaveLength(1);
    });

    it('lets a reviewer define a life event from published items of the jurisdiction only', async () => {
      const codes = async (q: string) => (await t.app.inject({ url: `/api/services?q=${encodeURIComponent(q)}` })).json().items;
      const ja = (list: { organisationName: string; id: string }[]) => list.find((i) => i.organisationName.startsWith('武汉市江岸区'));
      const detail = async (id: string) => (await t.app.inject({ url: `/api/services/${id}` })).json().item.implementationCode as string;
      const food = await detail(ja(await codes('spjyxk'))!.id);
      const soleTrader = await detail(ja(await codes('gtgshdj'))!.id);
      const dayeFood = await detail((await codes('spjyxk')).find((i: { organisationName: string }) => i.organisationName.startsWith('大冶'))!.id);
      const jaHead = buildStaff({ organisationId: 'org-ja-zsj', organisationName: '武汉市江岸区政务服务和大数据管理局', jurisdictionCode: '420102', roles: ['org_head'] });
      const outside = await t.app.inject({ method: 'POST', url: '/api/catalog/life-events', headers: asActor(jaHead), payload: { code: 'JA-TEST', name: '测试一件事', itemCodes: [food, dayeFood] } });
      expect(outside.statusCode).toBe(400);
      expect(outside.json().errors[0].message).toContain('不在您的管辖范围内');
      const created = await t.app.inject({ method: 'POST', url: '/api/catalog/life-events', headers: asActor(jaHead), payload: { code: 'JA-TEST', name: '测试一件事', itemCodes: [soleTrader, food] } });
      expect(created.statusCode).toBe(201);
      const le = await service.lifeEvent(created.json().id);
      expect(le?.items.map((i) => i.name)).toEqual(['个体工商户登记', '食品经营许可']);
      expect((await t.app.inject({ method: 'POST', url: '/api/catalog/life-events', headers: asActor(clerkA), payload: { code: 'JA-X', name: 'x', itemCodes: [food, soleTrader] } })).statusCode).toBe(403);
      const stale = await t.app.inject({ method: 'PATCH', url: `/api/catalog/life-events/${created.json().id}`, headers: asActor(jaHead), payload: { version: 0, name: '改名', itemCodes: [food, soleTrader] } });
      expect(stale.statusCode).toBe(409);
      const page = await t.app.inject({ url: '/life-events' });
      expect(page.body).toContain('测试一件事');
      const inEvent = (await t.app.inject({ url: `/api/services?event=${created.json().id}` })).json();
      expect(inEvent.items.map((i: { name: string }) => i.name).sort()).toEqual(['个体工商户登记', '食品经营许可']);
    });

    it('lists the province catalog of basic items with their implementations', async () => {
      const r = (await t.app.inject({ url: '/api/catalog/basic-items' })).json();
      expect(r.total).toBeGreaterThanOrEqual(28);
      const food = r.items.find((i: { name: string }) => i.name === '食品经营许可');
      expect(food).toMatchObject({ itemType: '01', implementations: 2, levels: ['4'] });
    });

    it('puts published items into the one search box', async () => {
      const r = await t.platform.search.query({ text: '食品经营许可', filters: { kinds: ['service-item'] } });
      expect(r.total).toBeGreaterThan(0);
      expect(r.hits[0]?.url).toMatch(/^\/services\//);
    });
  });

  describe('files of the guide', () => {
    it('uploads a blank form for a material, keeps it across edits, and serves it on the public guide once published', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/catalog/items', headers: asActor(clerkA), payload: { implementationCode: '420102019990040001', elements: { ...goodElements('附件测试事项'), resultName: '附件测试许可证', resultType: 'certificate' } } });
      const id = created.json().item.id as string;
      const boundary = '----zwfiles';
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');
      const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
      const upload = (target: string, lock: number) =>
        t.app.inject({
          method: 'POST',
          url: `/workbench/catalog/${id}/files`,
          headers: { ...asActor(clerkA), ...csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
          payload: Buffer.concat([Buffer.from(part('lockVersion', String(lock)) + part('target', target) + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="申请书.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
        });
      expect((await upload('blank:M001', created.json().version.lockVersion)).statusCode).toBe(303);
      let v = (await t.app.inject({ url: `/api/catalog/items/${id}`, headers: asActor(clerkA) })).json().openVersion;
      expect(v.issues.map((i: { rule: string }) => i.rule)).toEqual(['Q2']);
      expect((await upload('result', v.lockVersion)).statusCode).toBe(303);
      v = (await t.app.inject({ url: `/api/catalog/items/${id}`, headers: asActor(clerkA) })).json().openVersion;
      expect(v.issues).toEqual([]);
      const blank = v.elements.materials[0].blankFormAttachmentId as string;
      expect(blank).toMatch(/^[0-9a-f-]{36}$/);
      // an edit through the page (materials as lines of text) keeps the uploaded file
      const edited = await t.app.inject({ method: 'PATCH', url: `/api/catalog/items/${id}/draft`, headers: asActor(clerkA), payload: { lockVersion: v.lockVersion, elements: { ...v.elements, materials: [{ name: '申请书', originals: 1 }] } } });
      expect(edited.json().elements.materials[0].blankFormAttachmentId).toBe(blank);
      expect((await t.app.inject({ url: `/services/${id}/files/${blank}` })).statusCode).toBe(404);
      const sub = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${id}/submit`, headers: asActor(clerkA), payload: { version: edited.json().lockVersion } });
      await t.app.inject({ method: 'POST', url: `/api/catalog/items/${id}/approve`, headers: asActor(headA), payload: { version: sub.json().version.lockVersion } });
      const file = await t.app.inject({ url: `/services/${id}/files/${blank}` });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect((await t.app.inject({ url: `/services/${id}` })).body).toContain(`/services/${id}/files/${blank}`);
    });
  });

  describe('Excel export and import', () => {
    const clerk = buildStaff({ organisationId: 'org-xl', organisationName: '武汉市江岸区卫生健康局（测试）', jurisdictionCode: '420102', roles: ['clerk'] });
    const multipart = (file: Buffer) => {
      const boundary = '----zwtest';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="catalog.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`);
      return { payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };

    it('round-trips: export, change a cell, import as drafts, idempotently', async () => {
      for (const code of ['420102019990020001', '420102019990020002']) {
        expect((await t.app.inject({ method: 'POST', url: '/api/catalog/items', headers: asActor(clerk), payload: { implementationCode: code, elements: goodElements(`导出测试${code.slice(-1)}`) } })).statusCode).toBe(201);
      }
      const exp = await t.app.inject({ url: '/api/catalog/export.xlsx', headers: asActor(clerk) });
      expect(exp.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.rowCount).toBe(3);
      const nameCol = (ws.getRow(1).values as string[]).indexOf('事项名称');
      ws.getRow(2).getCell(nameCol).value = '导出测试（已修改）';
      const newRow = [...(ws.getRow(3).values as unknown[])];
      newRow[1] = '420102019990020003';
      ws.addRow(newRow.slice(1));
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const m = multipart(file);
      const imp = await t.app.inject({ method: 'POST', url: '/api/catalog/import', headers: { ...asActor(clerk), ...csrf, ...m.headers }, payload: m.payload });
      expect(imp.statusCode).toBe(200);
      expect(imp.json()).toMatchObject({ created: 1, updated: 2 });
      const again = await t.app.inject({ method: 'POST', url: '/api/catalog/import', headers: { ...asActor(clerk), ...csrf, ...m.headers }, payload: m.payload });
      expect(again.json()).toMatchObject({ created: 0, updated: 3 });
      const list = (await t.app.inject({ url: '/api/catalog/items', headers: asActor(clerk) })).json();
      expect(list.total).toBe(3);
      expect(list.items.map((i: { name: string }) => i.name).sort()).toEqual(['导出测试（已修改）', '导出测试2', '导出测试2'].sort());
    });

    it('reports bad rows with row, column and reason and applies nothing', async () => {
      const exp = await t.app.inject({ url: '/api/catalog/export.xlsx', headers: asActor(clerk) });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      const headers = ws.getRow(1).values as string[];
      ws.getRow(2).getCell(headers.indexOf('事项名称')).value = '不应被导入';
      ws.getRow(3).getCell(headers.indexOf('事项类型代码')).value = '99';
      ws.getRow(4).getCell(headers.indexOf('到办事现场次数')).value = 'abc';
      const m = multipart(Buffer.from(await wb.xlsx.writeBuffer()));
      const imp = await t.app.inject({ method: 'POST', url: '/api/catalog/import', headers: { ...asActor(clerk), ...csrf, ...m.headers }, payload: m.payload });
      expect(imp.statusCode).toBe(400);
      const messages = imp.json().errors.map((e: { message: string }) => e.message);
      expect(messages).toContain('第 3 行“事项类型代码”：请选择事项类型');
      expect(messages).toContain('第 4 行“到办事现场次数”：到办事现场次数应为 0 至 20 的整数');
      const list = (await t.app.inject({ url: '/api/catalog/items', headers: asActor(clerk) })).json();
      expect(list.items.map((i: { name: string }) => i.name)).not.toContain('不应被导入');
    });
  });
});
