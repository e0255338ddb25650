import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { headerAuthenticator } from '../../../test/support/test-auth.ts';
import { createRegistryModule } from '../registry/index.ts';
import { SupervisionRepository } from './alert.repository.ts';
import { RAISE_BATCH, SupervisionService } from './service.ts';

/**
 * The raising job in batches: more new alerts than one batch holds are raised exactly once, numbered
 * without gaps in the order of the candidates, each with its audit entry and one notice per staff
 * member of the unit; two raisers at once still raise each alert once and leave no gap in the numbers.
 */
describe('supervision alerts raised in batches', () => {
  let t: TestApp;
  let service: SupervisionService;
  const n = RAISE_BATCH + 37;
  const staff: string[] = [];

  async function insertCases(from: number, count: number) {
    await sql`
INSERT INTO cases.case (case_no, item_id, item_version, item_name, organisation_id, organisation_name, jurisdiction_code, applicant_account_id, applicant_kind,
  applicant_name_masked, state, received_on, due_on, yellow_from, clock_kind)
SELECT '42010220260302' || lpad(g::text, 6, '0'), 'item-food', 1, '食品经营许可', 'org-batch-' || (g % 2), '批量测试单位' || (g % 2), '420102', gen_random_uuid(), 'citizen',
  '张*', 'IN_PROCESS', '2026-03-02', '2026-03-06', '2026-03-05', 'decision' FROM generate_series(${from}::int, ${from + count - 1}::int) g`.execute(t.platform.db);
  }
  const counts = async () =>
    (
      await sql<{ alerts: number; numbers: number; audits: number; notices: number; max_seq: number }>`SELECT
  (SELECT count(*)::int FROM supervision.alert) AS alerts,
  (SELECT count(DISTINCT supervision_no)::int FROM supervision.alert) AS numbers,
  (SELECT coalesce(max(right(supervision_no, 6)::int), 0) FROM supervision.alert) AS max_seq,
  (SELECT count(*)::int FROM audit.entry WHERE action = 'supervision.alert') AS audits,
  (SELECT count(*)::int FROM platform.notification WHERE subject LIKE '【电子监察】红牌预警%') AS notices`.execute(t.platform.db)
    ).rows[0]!;

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    const registry = createRegistryModule(t.platform);
    service = new SupervisionService({
      db: t.platform.db,
      repo: new SupervisionRepository(t.platform.db),
      permissions: t.platform.permissions,
      transactor: t.platform.transactor,
      numbers: registry.numbers,
      calendars: registry.calendars,
      now: () => new Date('2026-03-16T02:00:00Z'),
    });
    await service.seedRules();
    for (const [i, org] of ['org-batch-0', 'org-batch-0', 'org-batch-1'].entries()) {
      const acc = await sql<{ id: string }>`INSERT INTO identity.account (kind, login_name, display_name, password_hash) VALUES ('staff', ${`batch-clerk-${i}`}, ${`窗口${i}`}, 'x') RETURNING id`.execute(t.platform.db);
      staff.push(acc.rows[0]!.id);
      await sql`INSERT INTO identity.position (account_id, organisation_id, roles) VALUES (${acc.rows[0]!.id}, ${org}, ARRAY['clerk'])`.execute(t.platform.db);
    }
    await insertCases(1, n);
  });
  afterAll(async () => t?.stop());

  it('raises more alerts than one batch holds exactly once, gap-free, audited and notified', async () => {
    expect(await service.raise()).toEqual({ raised: n, escalated: 0 });
    const c = await counts();
    // one alert per case, numbers 1…n without a gap, one audit entry each; org-batch-0 has two staff, org-batch-1 one
    const inOrg0 = Math.floor(n / 2); // even case numbers
    expect(c).toEqual({ alerts: n, numbers: n, max_seq: n, audits: n, notices: inOrg0 * 2 + (n - inOrg0) });
    const sample = await sql<{ content: string; rule_no: string; level: string }>`SELECT content, rule_no, level FROM supervision.alert ORDER BY supervision_no LIMIT 1`.execute(t.platform.db);
    expect(sample.rows[0]).toEqual({ content: '食品经营许可：已超过办结期限（2026-03-06）', rule_no: 'R02', level: 'RED' });
    expect(await service.raise()).toEqual({ raised: 0, escalated: 0 });
    expect(await counts()).toEqual(c);
  });

  it('two raisers at once raise each new alert once and leave no gap in the numbers', async () => {
    await insertCases(n + 1, 40);
    const [a, b] = await Promise.all([service.raise(), service.raise()]);
    expect(a.raised + b.raised).toBe(40);
    const c = await counts();
    expect(c.alerts).toBe(n + 40);
    expect(c.numbers).toBe(n + 40);
    expect(c.max_seq).toBe(n + 40);
    expect(c.audits).toBe(n + 40);
  });
});
