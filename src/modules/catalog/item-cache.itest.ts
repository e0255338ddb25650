import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { CatalogRepository } from './catalog.repository.ts';
import { createCatalogService, presentForApplication, type CatalogService } from './service.ts';
import { goodElements as elementsFor, jianganClerk, jianganHead } from './test-fixtures.ts';

const clerk = jianganClerk;
const head = jianganHead;
const goodElements = (name: string) => elementsFor(name, '0199900200');

describe('catalog itemForApplication: one statement, cached in-process, never stale after our own writes', () => {
  let t: TestApp;
  let repo: CatalogRepository;
  /** Two services over the same database, like the module's own and the routes' copy: they share one cache. */
  let service: CatalogService;
  let other: CatalogService;

  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, actor: typeof clerk, payload?: object) => {
    const r = await t.app.inject({ method, url, headers: asActor(actor), ...(payload ? { payload } : {}) });
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
    return r.json();
  };
  const itemVersion = async (id: string) => (await api('GET', `/api/catalog/items/${id}`, head)).item.version as number;

  /** The answer the old two-round-trip code gave (getItem, then getVersion of the version in force). */
  async function twoStep(id: string) {
    const item = await repo.getItem(id);
    if (!item || item.status !== 'published' || !item.publishedVersionId) return null;
    const v = await repo.getVersion(item.publishedVersionId);
    return v ? presentForApplication(item, v) : null;
  }

  async function publishedItem(code: string, name: string): Promise<string> {
    const created = await api('POST', '/api/catalog/items', clerk, { implementationCode: code, elements: goodElements(name) });
    const id = created.item.id as string;
    // warm the cache with "not published": publishing must still be visible at once
    expect(await service.itemForApplication(id)).toBeNull();
    const sub = await api('POST', `/api/catalog/items/${id}/submit`, clerk, { version: created.version.lockVersion });
    expect(await service.itemForApplication(id)).toBeNull();
    await api('POST', `/api/catalog/items/${id}/approve`, head, { version: sub.version.lockVersion, comment: '同意' });
    return id;
  }

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    repo = new CatalogRepository(t.platform.db);
    service = createCatalogService(repo);
    other = createCatalogService(new CatalogRepository(t.platform.db));
  });
  afterAll(async () => t?.stop());

  it('reads item and version in force in one join with the same answer as before, for every status', async () => {
    const draft = (await api('POST', '/api/catalog/items', clerk, { implementationCode: '420102019990020001', elements: goodElements('缓存测试草稿事项') })).item.id as string;
    const published = await publishedItem('420102019990020002', '缓存测试已发布事项');
    const suspended = await publishedItem('420102019990020003', '缓存测试暂停事项');
    await api('POST', `/api/catalog/items/${suspended}/suspend`, head, { version: await itemVersion(suspended), comment: '暂停' });
    const cancelled = await publishedItem('420102019990020004', '缓存测试取消事项');
    await api('POST', `/api/catalog/items/${cancelled}/cancel`, head, { version: await itemVersion(cancelled), comment: '取消' });

    const joined = await repo.getPublishedItemWithVersion(published);
    expect(joined).not.toBeNull();
    expect(joined!.item).toEqual(await repo.getItem(published));
    expect(joined!.version).toEqual(await repo.getVersion(joined!.item.publishedVersionId!));

    for (const id of [draft, published, suspended, cancelled, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect(await service.itemForApplication(id), id).toEqual(await twoStep(id));
    }
    expect(await service.itemForApplication(published)).toMatchObject({ name: '缓存测试已发布事项', version: 1, implementationItemId: published });
    for (const id of [draft, suspended, cancelled]) expect(await repo.getPublishedItemWithVersion(id)).toBeNull();
  });

  it('returns equal, frozen answers on repeated calls (shared between services over one database)', async () => {
    const id = await publishedItem('420102019990020005', '缓存测试重复读取事项');
    const first = await service.itemForApplication(id);
    const again = await service.itemForApplication(id);
    const fromOther = await other.itemForApplication(id);
    expect(first).not.toBeNull();
    expect(again).toEqual(first);
    expect(fromOther).toEqual(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first!.materials[0])).toBe(true);
    expect(Object.isFrozen(first!.form)).toBe(true);
    expect(() => {
      (first as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect((await service.itemForApplication(id))?.name).toBe('缓存测试重复读取事项');
    // concurrent calls give the same answer too
    const many = await Promise.all(Array.from({ length: 5 }, () => other.itemForApplication(id)));
    for (const m of many) expect(m).toEqual(first);
  });

  it('suspend, resume and cancel are visible to the very next call', async () => {
    const id = await publishedItem('420102019990020006', '缓存测试暂停恢复事项');
    expect(await service.itemForApplication(id)).not.toBeNull();
    expect(await other.itemForApplication(id)).not.toBeNull();

    const s = await api('POST', `/api/catalog/items/${id}/suspend`, head, { version: await itemVersion(id), comment: '法规修订' });
    expect(await service.itemForApplication(id)).toBeNull();
    expect(await other.itemForApplication(id)).toBeNull();

    const r = await api('POST', `/api/catalog/items/${id}/resume`, head, { version: s.item.version });
    expect(await service.itemForApplication(id)).toMatchObject({ name: '缓存测试暂停恢复事项', version: 1 });

    await api('POST', `/api/catalog/items/${id}/cancel`, head, { version: r.item.version, comment: '事项取消' });
    expect(await service.itemForApplication(id)).toBeNull();
    expect(await other.itemForApplication(id)).toBeNull();
  });

  it('a new published version is visible to the very next call; drafting and editing it change nothing', async () => {
    const id = await publishedItem('420102019990020007', '缓存测试新版本事项');
    const v1 = await service.itemForApplication(id);
    expect(v1).toMatchObject({ version: 1, name: '缓存测试新版本事项' });

    const nv = await api('POST', `/api/catalog/items/${id}/new-version`, clerk, { version: await itemVersion(id) });
    expect(await service.itemForApplication(id)).toEqual(v1);
    const edited = await api('PATCH', `/api/catalog/items/${id}/draft`, clerk, { lockVersion: nv.version.lockVersion, elements: goodElements('缓存测试新版本事项（第二版）') });
    expect(await service.itemForApplication(id)).toEqual(v1);
    const sub = await api('POST', `/api/catalog/items/${id}/submit`, clerk, { version: edited.lockVersion });
    expect(await service.itemForApplication(id)).toEqual(v1);

    await api('POST', `/api/catalog/items/${id}/approve`, head, { version: sub.version.lockVersion, comment: '同意' });
    const v2 = await service.itemForApplication(id);
    expect(v2).toMatchObject({ version: 2, name: '缓存测试新版本事项（第二版）', versionId: nv.version.id });
    expect(await other.itemForApplication(id)).toEqual(v2);
    expect(await service.itemForApplication(id)).toEqual(await twoStep(id));
  });
});
