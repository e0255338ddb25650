import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedJurisdictions } from '../jurisdictions/index.ts';

/**
 * The demo tickets of the appeals seed (GitHub issue 5) on a real database: driven through the
 * real commands, spread over states, channels, types and months; idempotent; the mailbox lists the
 * published ones and the anonymous report appears in no public list.
 */
describe('appeals demo seed', () => {
  let t: TestApp;
  const ANON_TITLE = '举报一元路某小区顶楼违法搭建';
  const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.ticket`.execute(t.platform.db)).rows[0]!.n;
  const events = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.ticket_event`.execute(t.platform.db)).rows[0]!.n;
  const get = (url: string) => t.app.inject({ url });

  beforeAll(async () => {
    // Demo tickets are seeded outside NODE_ENV=test (the other appeals itests count their own tickets).
    t = await startTestApp({ NODE_ENV: 'development' });
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
  }, 240_000);
  afterAll(async () => t?.stop());

  it('seeds about forty tickets once; a second run adds nothing', async () => {
    const before = await count();
    const eventsBefore = await events();
    expect(before).toBeGreaterThanOrEqual(38);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    expect(await count()).toBe(before);
    expect(await events()).toBe(eventsBefore);
  }, 120_000);

  it('spreads the tickets over states, types, channels, divisions and months, through the real commands', async () => {
    const rows = (
      await sql<{ state: string; type: string; channel: string; division_code: string; lead_org_name: string | null; month: string; satisfaction: string | null }>`
        SELECT state, type, channel, division_code, lead_org_name, to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, satisfaction FROM appeals.ticket`.execute(t.platform.db)
    ).rows;
    const states = new Set(rows.map((r) => r.state));
    for (const s of ['NEW', 'DISPATCHED', 'SIGNED', 'IN_PROGRESS', 'REPLIED', 'CLOSED', 'RECEIVED', 'ANSWERED']) expect(states, s).toContain(s);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise', 'petition']));
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['web', 'hotline', 'api']));
    expect(new Set(rows.map((r) => r.division_code))).toEqual(new Set(['420100', '420102', '420281']));
    expect(rows.some((r) => r.lead_org_name?.startsWith('湖北省'))).toBe(true);
    expect(new Set(rows.map((r) => r.month)).size).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.state === 'CLOSED').length).toBeGreaterThan(rows.length / 2);
    expect(rows.some((r) => r.satisfaction === 'unsatisfied')).toBe(true);
    // Every step is an event written by the commands: a closed ticket went register → dispatch → sign → start → reply → callback.
    const closed = await sql<{ events: string[] }>`
      SELECT array_agg(e.event ORDER BY e.id) AS events FROM appeals.ticket t JOIN appeals.ticket_event e ON e.ticket_id = t.id
      WHERE t.state = 'CLOSED' AND t.track = 'hotline' GROUP BY t.id`.execute(t.platform.db);
    expect(closed.rows.some((r) => r.events.join(',') === 'register,dispatch,sign,start,reply,callback')).toBe(true);
    // 重办: an unsatisfied callback sent a ticket back to the unit, which replied again.
    expect(closed.rows.some((r) => r.events.join(',') === 'register,dispatch,sign,start,reply,callback,reply,callback')).toBe(true);
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action IN ('appeal.submit', 'appeal.dispatch', 'appeal.callback')`.execute(t.platform.db);
    expect(audits.rows[0]!.n).toBeGreaterThan(rows.length);
    // Backdated consistently: nothing happens before registration or in the future.
    const odd = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM appeals.ticket WHERE closed_at < created_at OR replied_at < created_at OR created_at > now() OR closed_at > now()`.execute(t.platform.db);
    expect(odd.rows[0]!.n).toBe(0);
    const overdue = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM appeals.ticket WHERE due_at < now() AND state NOT IN ('CLOSED', 'MERGED', 'TRANSFERRED', 'FINAL', 'REDIRECTED')`.execute(t.platform.db);
    expect(overdue.rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('the mailbox lists the published tickets, the figures have shape, the anonymous report appears nowhere public', async () => {
    const published = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM appeals.ticket WHERE consent_publish AND NOT anonymous AND state = 'CLOSED' AND track = 'hotline'`.execute(t.platform.db);
    const api = await get('/api/mailbox?pageSize=100');
    expect(api.statusCode).toBe(200);
    const body = api.json<{ total: number; items: { title: string; reply: string | null }[] }>();
    expect(published.rows[0]!.n).toBeGreaterThanOrEqual(10);
    expect(body.total).toBe(published.rows[0]!.n);
    expect(body.items.some((i) => i.title === '黄浦路小区门口路灯不亮' && i.reply?.includes('恢复照明'))).toBe(true);
    expect(JSON.stringify(body)).not.toContain(ANON_TITLE);
    expect((await get(`/api/mailbox?q=${encodeURIComponent('顶楼违法搭建')}`)).json().total).toBe(0);
    const page = await t.app.inject({ url: '/mailbox', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(ANON_TITLE);

    const anon = await sql<{ number: string }>`SELECT number FROM appeals.ticket WHERE anonymous`.execute(t.platform.db);
    expect(anon.rows).toHaveLength(1);
    const open311 = await get('/open311/v2/requests.json');
    expect(open311.statusCode).toBe(200);
    expect(open311.body).not.toContain(ANON_TITLE);
    expect(open311.body).not.toContain(anon.rows[0]!.number);
    const byId = await get(`/open311/v2/requests.json?service_request_id=${anon.rows[0]!.number}`);
    expect(byId.body).not.toContain(ANON_TITLE);

    const figures = await get('/api/mailbox/statistics');
    expect(figures.statusCode).toBe(200);
    const f = figures.json<{ byMonth: { label: string; received: number }[]; total: { received: number } }>();
    expect(f.total.received).toBeGreaterThan(0);
  });
});
