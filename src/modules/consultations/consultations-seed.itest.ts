import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedDemoAccounts } from '../../../test/support/identity.ts';

/** The demo seed: realistic drafts and surveys for seeded organisations, idempotent, visible on the portal and in the search box. */
describe('consultations: demo seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoAccounts(t);
    const m = t.modules.find((x) => x.name === 'consultations');
    await m?.seed?.(t.platform);
    await m?.seed?.(t.platform);
  });
  afterAll(async () => t?.stop());

  it('creates each demo consultation once, with audit entries', async () => {
    const rows = await sql<{ kind: string; status: string; n: number }>`SELECT kind, status, count(*)::int AS n FROM consultations.consultation GROUP BY kind, status ORDER BY kind, status`.execute(t.platform.db);
    expect(rows.rows).toEqual([
      { kind: 'draft', status: 'concluded', n: 1 },
      { kind: 'draft', status: 'published', n: 1 },
      { kind: 'survey', status: 'concluded', n: 1 },
      { kind: 'survey', status: 'published', n: 2 },
    ]);
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'consultation.publish'`.execute(t.platform.db);
    expect(audits.rows[0]?.n).toBe(5);
  });

  it('shows open and closed lists per jurisdiction, the published feedback and the results', async () => {
    const open = await t.app.inject({ url: '/consultations', headers: { accept: 'text/html' } });
    expect(open.body).toContain('《武汉市生活垃圾分类管理办法（征求意见稿）》');
    expect(open.body).not.toContain('好差评');
    const closed = await t.app.inject({ url: '/api/consultations/published?state=closed' });
    const items = closed.json().items as { id: string; title: string; kind: string }[];
    expect(items.map((c) => c.title).sort()).toEqual(['《江岸区政务服务“好差评”工作实施细则（征求意见稿）》', '大冶市便民服务中心帮办代办服务满意度调查']);
    const daye = await t.app.inject({ url: '/consultations?state=closed&region=420281', headers: { accept: 'text/html' } });
    expect(daye.body).toContain('大冶市');
    expect(daye.body).toContain('帮办代办');
    expect(daye.body).not.toContain('好差评');
    const feedback = await t.app.inject({ url: `/consultations/${items.find((c) => c.kind === 'draft')!.id}/feedback`, headers: { accept: 'text/html' } });
    expect(feedback.statusCode).toBe(200);
    expect(feedback.body).toContain('部分采纳');
    expect(feedback.body).toContain('国办发〔2019〕51号');
    const results = await t.app.inject({ url: `/api/consultations/published/${items.find((c) => c.kind === 'survey')!.id}/results` });
    expect(results.json().questions[1].average).toBe(4.3);
  });

  it('puts published consultations into the one search box', async () => {
    await expect
      .poll(async () => (await t.platform.search.query({ text: '垃圾分类', filters: { kinds: ['consultation'] } })).hits.map((h) => h.url), { timeout: 10_000 })
      .toEqual([expect.stringMatching(/^\/consultations\/[0-9a-f-]{36}$/)]);
    const source = t.modules.find((x) => x.name === 'consultations')?.search;
    const reindexed = source && 'reindex' in source ? await source.reindex?.() : undefined;
    expect(reindexed).toBe(5);
  });
});
