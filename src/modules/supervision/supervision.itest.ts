import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { createRegistryModule } from '../registry/index.ts';
import { SupervisionRepository } from './alert.repository.ts';
import { SupervisionService } from './service.ts';

/**
 * E-supervision on the real database: alerts raised once per case × rule × level as the clock
 * advances, the 督办 lifecycle with its refusals, escalation of an unanswered notice, rules, and
 * scope (a 大冶市 supervisor never sees 江岸区 data; a clerk cannot open the dashboard).
 */
describe('supervision', () => {
  let t: TestApp;
  let clock = new Date('2026-03-09T02:00:00Z'); // Mon 2026-03-09 10:00 Shanghai
  let service: SupervisionService;
  const jiangan = { organisationId: 'org-jiangan-scj', organisationName: '江岸区市场监督管理局', jurisdictionCode: '420102' };
  const daye = { organisationId: 'org-daye-scj', organisationName: '大冶市市场监督管理局', jurisdictionCode: '420281' };
  const clerkA = buildStaff({ ...jiangan, roles: ['clerk'] });
  const clerkB = buildStaff({ ...daye, roles: ['clerk'] });
  const dayeSupervisor = buildStaff({ organisationId: 'org-daye-zwj', organisationName: '大冶市政务服务和大数据管理局', jurisdictionCode: '420281', roles: ['jurisdiction_supervisor'] });
  const wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan-zwj', organisationName: '武汉市政务服务和大数据管理局', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
  const province = buildStaff({ organisationId: 'org-hb-zwj', organisationName: '湖北省政务服务和大数据管理局', jurisdictionCode: '420000', roles: ['province_supervisor'] });
  const ids: Record<string, string> = {};
  let dayeStaffAccount = '';
  const inboxOf = async (accountId: string) =>
    (await sql<{ subject: string }>`SELECT subject FROM platform.notification WHERE recipient_account_id = ${accountId} ORDER BY id`.execute(t.platform.db)).rows.map((r) => r.subject);

  async function insertCase(key: string, o: typeof jiangan, v: { dueOn: string; yellowFrom: string; state?: string; decision?: string; reasons?: string }) {
    const r = await sql<{ id: string }>`
INSERT INTO cases.case (case_no, item_id, item_version, item_name, organisation_id, organisation_name, jurisdiction_code, applicant_account_id, applicant_kind,
  applicant_name_masked, state, received_on, due_on, yellow_from, decision, decision_reasons, decided_at, clock_kind)
VALUES (${`${o.jurisdictionCode}20260302${key}`}, 'item-food', 1, '食品经营许可', ${o.organisationId}, ${o.organisationName}, ${o.jurisdictionCode}, ${crypto.randomUUID()}, 'citizen',
  '张*', ${v.state ?? 'IN_PROCESS'}, '2026-03-02', ${v.dueOn}, ${v.yellowFrom}, ${v.decision ?? null}, ${v.reasons ?? null}, ${v.decision ? new Date('2026-03-05T02:00:00Z') : null}, 'decision')
RETURNING id`.execute(t.platform.db);
    ids[key] = r.rows[0]!.id;
  }
  const alertsOf = async () =>
    (await sql<{ case_id: string; rule_no: string; level: string; supervision_no: string; alert_type: number }>`SELECT case_id, rule_no, level, supervision_no, alert_type FROM supervision.alert ORDER BY supervision_no`.execute(t.platform.db)).rows;
  const api = (actor: ReturnType<typeof buildStaff>, url: string, method: 'GET' | 'POST' | 'PATCH' = 'GET', payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: asActor(actor), ...(payload ? { payload } : {}) });

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
      now: () => clock,
    });
    // A real staff account of the 大冶市 unit, so notifications have someone to reach.
    const acc = await sql<{ id: string }>`INSERT INTO identity.account (kind, login_name, display_name, password_hash) VALUES ('staff', 'daye-clerk-sv', '大冶窗口', 'x') RETURNING id`.execute(t.platform.db);
    dayeStaffAccount = acc.rows[0]!.id;
    await sql`INSERT INTO identity.position (account_id, organisation_id, roles) VALUES (${dayeStaffAccount}, ${daye.organisationId}, ARRAY['clerk'])`.execute(t.platform.db);
    await insertCase('000001', jiangan, { dueOn: '2026-03-13', yellowFrom: '2026-03-12' }); // turns yellow Thu, red the Monday after
    await insertCase('000002', daye, { dueOn: '2026-03-06', yellowFrom: '2026-03-05' }); // already red
    await insertCase('000003', daye, { dueOn: '2026-03-20', yellowFrom: '2026-03-19', state: 'REFUSED', decision: 'refuse', reasons: '  ' }); // refusal without reasons
  });
  afterAll(async () => t?.stop());

  it('raises one alert per case × rule × level, numbered gap-free, and nothing twice', async () => {
    expect(await service.raise()).toEqual({ raised: 2, escalated: 0 });
    let rows = await alertsOf();
    expect(rows.map((r) => `${r.case_id === ids['000002'] ? 'B' : 'C'}:${r.rule_no}:${r.alert_type}`).sort()).toEqual(['B:R02:2', 'C:R05:9']);
    expect(await service.raise()).toEqual({ raised: 0, escalated: 0 });
    clock = new Date('2026-03-12T02:00:00Z'); // Thu: case A yellow
    expect((await service.raise()).raised).toBe(1);
    clock = new Date('2026-03-13T02:00:00Z'); // due day: still yellow, no new alert
    expect((await service.raise()).raised).toBe(0);
    clock = new Date('2026-03-16T02:00:00Z'); // Mon: the day after due → red
    expect((await service.raise()).raised).toBe(1);
    rows = await alertsOf();
    expect(rows.filter((r) => r.case_id === ids['000001']).map((r) => `${r.rule_no}:${r.level}`)).toEqual(['R01:YELLOW', 'R02:RED']);
    // Supervision numbers from the registry's gap-free generator: date + 6-digit sequence, never reused.
    expect(new Set(rows.map((r) => r.supervision_no)).size).toBe(4);
    expect(rows.map((r) => r.supervision_no.slice(0, 8)).sort()).toEqual(['20260309', '20260309', '20260312', '20260316']);
    const audits = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'supervision.alert'`.execute(t.platform.db);
    expect(audits.rows[0]!.n).toBe(4);
    // The supervised unit's staff are told, once per alert.
    // One message per alert; the two alerts may be raised in either order.
    expect((await inboxOf(dayeStaffAccount)).sort()).toEqual(['【电子监察】红牌预警：42028120260302000002', '【电子监察】红牌预警：42028120260302000003']);
  });

  it('keeps a 大冶市 supervisor to 大冶市 and the clerks to their own unit', async () => {
    const codes = async (actor: ReturnType<typeof buildStaff>) => (await api(actor, '/api/supervision/alerts')).json().items.map((a: { jurisdictionCode: string }) => a.jurisdictionCode);
    expect(new Set(await codes(dayeSupervisor))).toEqual(new Set(['420281']));
    expect(new Set(await codes(wuhanSupervisor))).toEqual(new Set(['420102']));
    expect(new Set(await codes(province))).toEqual(new Set(['420102', '420281']));
    expect(new Set(await codes(clerkA))).toEqual(new Set(['420102']));
    const jianganAlert = (await api(province, '/api/supervision/alerts')).json().items.find((a: { jurisdictionCode: string }) => a.jurisdictionCode === '420102');
    expect((await api(dayeSupervisor, `/api/supervision/alerts/${jianganAlert.id}`)).statusCode).toBe(404);
    const page = await t.app.inject({ url: `/workbench/supervision/alerts/${jianganAlert.id}`, headers: { ...asActor(dayeSupervisor), accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('江岸区');
    const summary = await api(dayeSupervisor, '/api/supervision/summary');
    expect(summary.statusCode).toBe(200);
    expect(JSON.stringify(summary.json())).not.toContain('江岸区');
    expect((await api(dayeSupervisor, '/api/supervision/summary?code=420102')).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/workbench/supervision/dashboard', headers: { ...asActor(clerkA), accept: 'text/html' } })).statusCode).toBe(403);
    expect((await api(clerkA, '/api/supervision/summary')).statusCode).toBe(403);
  });

  it('shows the province dashboard with drill-down to the county, the organisation and the case', async () => {
    const top = await t.app.inject({ url: '/workbench/supervision/dashboard', headers: { ...asActor(province), accept: 'text/html' } });
    expect(top.statusCode).toBe(200);
    expect(top.body).toContain('/workbench/supervision/dashboard?code=420100');
    expect(top.body).toContain('/workbench/supervision/dashboard?code=420200');
    const json = (await api(province, '/api/supervision/summary?code=420281')).json();
    expect(json.figures).toHaveLength(1);
    expect(json.figures[0]).toMatchObject({ key: 'org-daye-scj', organisationName: '大冶市市场监督管理局' });
    const org = await t.app.inject({ url: '/workbench/supervision/dashboard?code=420281&org=org-daye-scj', headers: { ...asActor(province), accept: 'text/html' } });
    expect(org.body).toContain(`/workbench/cases/${ids['000002']}`);
    expect(org.body).toContain('红灯');
    const none = await t.app.inject({ url: '/workbench/supervision/dashboard?code=420300', headers: { ...asActor(province), accept: 'text/html' } });
    expect(none.body).toContain('管辖范围内暂无办件');
  });

  it('runs the 督办 lifecycle: notice (red card) → reply by the unit → verification → closing, refusing the wrong actor, step and version', async () => {
    const a = (await api(dayeSupervisor, '/api/supervision/alerts')).json().items.find((x: { caseId: string; ruleNo: string }) => x.caseId === ids['000002'] && x.ruleNo === 'R02');
    const bad = await api(dayeSupervisor, `/api/supervision/alerts/${a.id}/notice`, 'POST', { version: a.version, noticeText: ' ', rectifyDueOn: '2020-01-01' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['noticeText', 'rectifyDueOn']);
    expect((await api(clerkB, `/api/supervision/alerts/${a.id}/respond`, 'POST', { version: a.version, responseText: '已整改' })).statusCode).toBe(403);
    const notice = await api(dayeSupervisor, `/api/supervision/alerts/${a.id}/notice`, 'POST', { version: a.version, noticeText: '请立即办结并说明超期原因', rectifyDueOn: '2099-01-05', redCard: true });
    expect(notice.statusCode).toBe(200);
    expect(notice.json()).toMatchObject({ state: 'NOTICE_SENT', redCard: true, rectifyDueOn: '2099-01-05' });
    const stale = await api(dayeSupervisor, `/api/supervision/alerts/${a.id}/notice`, 'POST', { version: a.version, noticeText: 'x', rectifyDueOn: '2099-01-05' });
    expect(stale.statusCode).toBe(403); // no longer in ALERT
    expect((await api(clerkA, `/api/supervision/alerts/${a.id}/respond`, 'POST', { version: notice.json().version, responseText: '越权' })).statusCode).toBe(404);
    expect((await api(dayeSupervisor, `/api/supervision/alerts/${a.id}/respond`, 'POST', { version: notice.json().version, responseText: '越权' })).statusCode).toBe(403);
    expect((await api(clerkB, `/api/supervision/alerts/${a.id}/respond`, 'POST', { version: 1, responseText: '已整改' })).statusCode).toBe(409);
    const inbox = await t.app.inject({ url: '/workbench/supervision/notices', headers: { ...asActor(clerkB), accept: 'text/html' } });
    expect(inbox.body).toContain(a.supervisionNo);
    expect(inbox.body).toContain('红牌督办');
    expect(await inboxOf(dayeStaffAccount)).toContain('【电子监察】红牌督办：42028120260302000002');
    // The workbench home's 督办回告 card counts the notices waiting for the unit; the reply takes one off.
    const waiting = async () => {
      const home = await t.app.inject({ url: '/workbench', headers: { ...asActor(clerkB), accept: 'text/html' } });
      return home.body.includes('没有待回告的督办') ? 0 : Number(/待回告 (\d+) 件/.exec(home.body)?.[1]);
    };
    const before = await waiting();
    expect(before).toBeGreaterThan(0);
    const reply = await api(clerkB, `/api/supervision/alerts/${a.id}/respond`, 'POST', { version: notice.json().version, responseText: '已于当日办结，超期原因为现场核查延误' });
    expect(reply.json()).toMatchObject({ state: 'RESPONDED' });
    expect(await waiting()).toBe(before - 1);
    const verify = await api(dayeSupervisor, `/api/supervision/alerts/${a.id}/verify`, 'POST', { version: reply.json().version, result: '经核查属实' });
    expect(verify.json()).toMatchObject({ state: 'VERIFIED', result: '经核查属实' });
    const close = await api(dayeSupervisor, `/api/supervision/alerts/${a.id}/close`, 'POST', { version: verify.json().version });
    expect(close.json()).toMatchObject({ state: 'CLOSED', result: '经核查属实' });
    const audit = await sql<{ action: string; outcome: string }>`SELECT action, outcome FROM audit.entry WHERE object_id = ${a.id} ORDER BY id`.execute(t.platform.db);
    expect(audit.rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(expect.arrayContaining(['supervision.notice:success', 'supervision.respond:denied', 'supervision.respond:success', 'supervision.verify:success', 'supervision.close:success']));
  });

  it('re-renders the 督办 form in Chinese when a field is missing', async () => {
    const a = (await api(province, '/api/supervision/alerts?state=ALERT')).json().items[0];
    const form = await t.app.inject({
      method: 'POST',
      url: `/workbench/supervision/alerts/${a.id}/notice`,
      headers: { ...asActor(province), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: 'zw_csrf=abcdefghijklmnopqrstuvwxyz0123456789' },
      payload: `_csrf=abcdefghijklmnopqrstuvwxyz0123456789&version=${a.version}&noticeText=&rectifyDueOn=2099-02-02`,
    });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('请填写督办意见');
    expect(form.body).toContain('2099-02-02');
  });

  it('escalates a notice not answered by its deadline one level up, once per deadline', async () => {
    const a = (await api(province, '/api/supervision/alerts')).json().items.find((x: { caseId: string; ruleNo: string }) => x.caseId === ids['000003']);
    const n = await api(province, `/api/supervision/alerts/${a.id}/notice`, 'POST', { version: a.version, noticeText: '请补充不予许可的理由', rectifyDueOn: '2099-03-02' });
    expect(n.statusCode).toBe(200);
    clock = new Date('2099-03-02T02:00:00Z');
    expect((await service.raise()).escalated).toBe(0);
    clock = new Date('2099-03-03T02:00:00Z');
    expect((await service.raise()).escalated).toBe(1);
    const after = (await api(province, `/api/supervision/alerts/${a.id}`)).json();
    expect(after).toMatchObject({ state: 'NOTICE_SENT', escalationLevel: 1, escalatedTo: '420200' });
    expect(after.rectifyDueOn > '2099-03-03').toBe(true);
    expect((await service.raise()).escalated).toBe(0);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE object_id = ${a.id} AND action = 'supervision.escalate'`.execute(t.platform.db);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('lets the province supervisor edit a rule with its version; others only read', async () => {
    const rules = (await api(wuhanSupervisor, '/api/supervision/rules')).json().items;
    expect(rules.map((r: { ruleNo: string }) => r.ruleNo)).toEqual(['R01', 'R02', 'R03', 'R04', 'R05']);
    const r1 = rules[0];
    const body = { version: r1.version, name: r1.name, threshold: r1.threshold, recipients: r1.recipients, escalation: r1.escalation, rectifyDays: 4, enabled: true };
    expect((await api(wuhanSupervisor, '/api/supervision/rules/R01', 'PATCH', body)).statusCode).toBe(403);
    const invalid = await api(province, '/api/supervision/rules/R01', 'PATCH', { ...body, rectifyDays: 0, name: '' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['name', 'rectifyDays']);
    const saved = await api(province, '/api/supervision/rules/R01', 'PATCH', body);
    expect(saved.json()).toMatchObject({ rectifyDays: 4, version: r1.version + 1 });
    expect((await api(province, '/api/supervision/rules/R01', 'PATCH', body)).statusCode).toBe(409);
  });
});
