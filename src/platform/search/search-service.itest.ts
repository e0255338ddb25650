import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { systemContext } from '../auth/actor.ts';
import type { IndexedDocument, SearchService } from './contract.ts';
import { reindexSearch } from './reindex.ts';
import { IndexedSearchService } from './search-service.ts';

function doc(n: number, title: string, body: string, extra: Partial<IndexedDocument> = {}): IndexedDocument {
  return {
    key: `publication:itest-${n}`,
    kind: 'publication',
    title,
    body,
    url: `/disclosure/itest-${n}`,
    publishedAt: new Date(Date.UTC(2025, 0, 1 + n)),
    divisionCode: n % 2 === 0 ? '420102' : '420281',
    organisationId: `org-${n % 3}`,
    organisationName: `单位${n % 3}`,
    category: n % 2 === 0 ? 'policy' : 'report',
    genre: '通知',
    validity: 'valid',
    keywords: [`鄂政办〔2025〕${n}号`],
    ...extra,
  };
}

const TOPICS = ['营业执照办理', '不动产登记', '社会保障卡申领', '公共场所卫生许可', '食品经营许可证', '户籍迁移', '住房公积金提取', '最低生活保障'];

describe('platform search on a real database', () => {
  let t: TestApp;
  let search: SearchService;
  const ctx = systemContext('search-itest');
  beforeAll(async () => {
    t = await startTestApp();
    search = t.platform.search;
  });
  afterAll(async () => t?.stop());

  it('a document put in a transaction is searchable right after the commit', async () => {
    await t.platform.transactor.run(ctx, async (uow) => {
      await search.put(uow, doc(1, '关于优化营业执照办理流程的通知', '企业申请营业执照可以全程网上办理，一网通办。'));
      await uow.audit({ action: 'search.itest', objectType: 'publication', objectId: 'itest-1' });
    });
    const r = await search.query({ text: '营业执照' });
    expect(r.hits.map((h) => h.key)).toContain('publication:itest-1');
    expect(r.hits[0]?.titleHighlighted).toContain('\u0001营业执照\u0002');
    // the document number keyword matches too
    expect((await search.query({ text: '鄂政办〔2025〕1号' })).hits[0]?.key).toBe('publication:itest-1');
  });

  it('UnitOfWork.afterCommit runs after a commit, never after a rollback', async () => {
    const ran: string[] = [];
    await t.platform.transactor.run(ctx, async (uow) => {
      uow.afterCommit(() => ran.push('committed'));
      expect(ran).toEqual([]); // not before the commit
    });
    await expect(
      t.platform.transactor.run(ctx, async (uow) => {
        uow.afterCommit(() => ran.push('rolled back'));
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await t.platform.transactor.run(ctx, async (uow) => {
      uow.afterCommit(() => {
        throw new Error('ignored: the commit already happened');
      });
      uow.afterCommit(() => ran.push('second hook still runs'));
    });
    expect(ran).toEqual(['committed', 'second hook still runs']);
  });

  it('a rolled-back put is never visible', async () => {
    await expect(
      t.platform.transactor.run(ctx, async (uow) => {
        await search.put(uow, doc(2, '撤回测试：城乡居民医疗保险缴费通知', '城乡居民医疗保险缴费期延长。'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await (search as IndexedSearchService).sync();
    expect((await search.query({ text: '医疗保险缴费' })).total).toBe(0);
  });

  it('a removal disappears after the commit, and a put replaces the old version', async () => {
    await t.platform.transactor.run(ctx, async (uow) => search.put(uow, doc(3, '不动产登记窗口搬迁公告', '不动产登记窗口搬迁到市民之家三楼。')));
    expect((await search.query({ text: '搬迁' })).total).toBe(1);
    await t.platform.transactor.run(ctx, async (uow) => search.put(uow, doc(3, '不动产登记窗口恢复办公公告', '不动产登记窗口已恢复办公。')));
    expect((await search.query({ text: '搬迁' })).total).toBe(0);
    expect((await search.query({ text: '恢复办公' })).total).toBe(1);
    await t.platform.transactor.run(ctx, async (uow) => search.remove(uow, 'publication:itest-3'));
    expect((await search.query({ text: '恢复办公' })).total).toBe(0);
  });

  it('another process sees committed writes through the poll within a second', async () => {
    // a second service on the same database, as on another node
    const other = new IndexedSearchService(t.platform.db);
    other.start();
    try {
      await other.query({ text: '营业执照' }); // waits for its boot load
      await t.platform.transactor.run(ctx, async (uow) => search.put(uow, doc(4, '跨节点可见性测试：住房公积金提取', '住房公积金提取可以网上办理。')));
      const started = Date.now();
      let seen = false;
      while (!seen && Date.now() - started < 3000) {
        const r = other.searchIndex.search('住房公积金提取');
        seen = r.hits.some((h) => h.key === 'publication:itest-4');
        if (!seen) await new Promise((res) => setTimeout(res, 50));
      }
      expect(seen).toBe(true);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await other.stop();
    }
  });

  it('a rebuild from the table answers exactly like the incrementally kept index', async () => {
    await t.platform.transactor.run(ctx, async (uow) => {
      for (let n = 10; n < 70; n++) {
        const topic = TOPICS[n % TOPICS.length] as string;
        await search.put(uow, doc(n, `${topic}办事指南（第${n}版）`, `${topic}需要提交的材料、办理流程和办结时限。适用于${n % 2 === 0 ? '江岸区' : '大冶市'}。`));
      }
    });
    await t.platform.transactor.run(ctx, async (uow) => {
      for (let n = 10; n < 70; n += 7) await search.put(uow, doc(n, `${TOPICS[n % TOPICS.length] as string}办事指南（修订）`, '修订后的材料清单。'));
      for (let n = 11; n < 70; n += 9) await search.remove(uow, `publication:itest-${n}`);
    });
    const queries = ['办事指南', '不动产登记 材料', '社保卡', '户口', '修订', '办结时限', 'yyzz'];
    const filters = [{}, { divisionPrefix: '4202' }, { organisationId: 'org-1' }, { category: 'report' }];
    const snapshot = async () => {
      const out: unknown[] = [];
      for (const text of queries)
        for (const f of filters) {
          const r = await search.query({ text, filters: f, limit: 50 });
          out.push({ total: r.total, keys: r.hits.map((h) => h.key), scores: r.hits.map((h) => h.score.toFixed(2)), facets: r.facets });
        }
      return out;
    };
    const before = await snapshot();
    const service = search as IndexedSearchService;
    const count = await service.rebuild();
    expect(count).toBe(service.searchIndex.size);
    expect(await snapshot()).toEqual(before);
  });

  it('answers hostile queries with results or an empty notice, never an error', async () => {
    for (const text of ['', '！！！', 'a & b | !c <-> d:*', "'; DROP TABLE search.document; --", '营业执照'.repeat(2500), '\u0000\u0001', '营业执照abc123ＸＹＺ']) {
      const r = await search.query({ text });
      expect(r.total).toBeGreaterThanOrEqual(0);
      if (text.trim() === '' || text === '！！！') expect(r.notice).toBe('empty');
    }
    expect((await search.query({ text: '营业执照'.repeat(2500) })).notice).toBe('truncated');
  });

  it('reindexSearch feeds every module\'s published documents again', async () => {
    const done = await reindexSearch(t.modules);
    // every module that declares a re-feed ran it (a fresh database: nothing published yet)
    const declared = t.modules.filter((m) => m.search && 'kinds' in m.search && m.search.reindex).map((m) => m.name);
    expect(done.map((d) => d.module)).toEqual(declared);
    expect(declared).toContain('notices');
    // and the documents put before are untouched
    expect((await search.query({ text: '营业执照' })).hits.map((h) => h.key)).toContain('publication:itest-1');
  });

  it('loads the index from the table at boot (a fresh service on the same database)', async () => {
    const fresh = new IndexedSearchService(t.platform.db);
    const r = await fresh.query({ text: '营业执照' });
    expect(r.hits.map((h) => h.key)).toContain('publication:itest-1');
    expect(fresh.status().loaded).toBe(true);
    expect(fresh.status().stats.documents).toBe((search as IndexedSearchService).searchIndex.size);
  });
});
