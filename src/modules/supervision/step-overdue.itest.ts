import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { formatCivilDate, parseCivilDate, type CivilDay } from '../../platform/calendar/index.ts';
import { WorkflowEngine } from '../../platform/workflow/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { createIdentityModule } from '../identity/index.ts';
import { createJurisdictionsModule } from '../jurisdictions/index.ts';
import { createRegistryModule } from '../registry/index.ts';
import { createCasesModule, type ApplicationItem, type CaseRecord, type CaseService } from '../cases/index.ts';
import { SupervisionRepository } from './alert.repository.ts';
import { SupervisionService } from './service.ts';

/**
 * DOMAIN.md §5 trigger 3 (rule R04, scope node) on a real database: a case on the default flow gets
 * step limits from its promised limit (10 WD → 受理 1, 审查 7, 决定 2); its 审查 step, left past its
 * due date while the case's own limit runs, raises exactly one R04 alert (swept twice: still one) for
 * the step's organisation; a case whose steps were done on time raises none; the to-do list and the
 * case page show the step's due date and colour; once the case itself is overdue R02 takes over.
 * One clock for everything: `Date` is faked (the app's cases and supervision modules read `new Date()`).
 */
const ORG = { id: 'org-step-cases', name: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102' };
/** A 10 WD item with one form field and no required materials (the cases module's own fixtures are internal to it). */
const item: ApplicationItem = {
  id: 'food-step',
  version: 1,
  name: '食品经营许可',
  organisationId: ORG.id,
  organisationName: ORG.name,
  jurisdictionCode: ORG.jurisdictionCode,
  promisedLimit: { n: 10, unit: '1' },
  materials: [],
  form: { version: 1, fields: [{ name: 'shopName', label: '经营者名称', type: 'text', required: true, maxLength: 100 }] },
};
const staffOf = { organisationId: ORG.id, organisationName: ORG.name, jurisdictionCode: ORG.jurisdictionCode };
const clerk = buildStaff({ ...staffOf, roles: ['clerk'], name: '张办事' });
const head = buildStaff({ ...staffOf, roles: ['org_head'], name: '王科长' });
const province = buildStaff({ organisationId: 'org-hb-zwj', organisationName: '湖北省政务服务和大数据管理局', jurisdictionCode: '420000', roles: ['province_supervisor'] });
const ctx = (actor: Actor): RequestContext => ({ actor, requestId: `req-${Math.random()}`, clientIp: '127.0.0.1' });
/** 10:00 Asia/Shanghai on a civil day. */
const at = (day: string) => new Date(`${day}T02:00:00Z`);
const nextDay = (day: string) => formatCivilDate((parseCivilDate(day) + 1) as CivilDay);

let t: TestApp;
let service: CaseService;
let supervision: SupervisionService;
let citizen: Actor;
let unitAccount = '';

const ok = (r: { ok: boolean; message?: string; value?: CaseRecord }): CaseRecord => {
  if (!r.ok || !r.value) throw new Error(r.message);
  return r.value;
};
const alerts = async () =>
  (await sql<{ case_id: string; rule_no: string; level: string; step_key: string; organisation_id: string; content: string }>`SELECT case_id, rule_no, level, step_key, organisation_id, content FROM supervision.alert ORDER BY supervision_no`.execute(t.platform.db)).rows;
const todoPage = async () => (await t.app.inject({ url: '/workbench/cases?box=todo', headers: { ...asActor(clerk), accept: 'text/html' } })).body;
/** The to-do list's row of a case, by its number. */
const rowOf = (body: string, caseNo: string) => body.split('<tr>').find((r) => r.includes(caseNo)) ?? '';

async function accepted(): Promise<CaseRecord> {
  const s = await service.submit(ctx(citizen), { itemId: item.id, idempotencyKey: null, values: { shopName: '江岸小吃店' }, materials: [] });
  if (!s.ok) throw new Error(s.message);
  return ok(await service.act(ctx(clerk), s.value.record.id, s.value.record.version, { action: 'accept' }));
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at('2026-03-09')); // Monday
  t = await startTestApp({}, { authenticator: headerAuthenticator });
  const registry = createRegistryModule(t.platform);
  const identity = createIdentityModule(t.platform, { organisations: createJurisdictionsModule(t.platform).service });
  const engine = new WorkflowEngine({ db: t.platform.db, calendarFor: (code, tx) => registry.calendars.calendarFor(code, tx) });
  citizen = { kind: 'citizen', accountId: crypto.randomUUID(), displayName: '张三', realNameLevel: 2 };
  const cases = createCasesModule(t.platform, {
    items: { itemForApplication: (id) => Promise.resolve(id === item.id ? { ok: true, item } : { ok: false, reason: 'not_found', message: '事项不存在' }) },
    numbers: registry.numbers,
    calendars: registry.calendars,
    cipher: identity.secretCipher('cases'),
    applicants: { mobileForDelivery: () => Promise.resolve(null) },
    workflow: engine,
  });
  service = cases.service;
  supervision = new SupervisionService({
    db: t.platform.db,
    repo: new SupervisionRepository(t.platform.db),
    permissions: t.platform.permissions,
    transactor: t.platform.transactor,
    numbers: registry.numbers,
    calendars: registry.calendars,
    now: () => new Date(),
  });
  // A staff account of the handling unit, so the step's organisation has someone to tell.
  const acc = await sql<{ id: string }>`INSERT INTO identity.account (kind, login_name, display_name, password_hash) VALUES ('staff', 'step-clerk-sv', '江岸窗口', 'x') RETURNING id`.execute(t.platform.db);
  unitAccount = acc.rows[0]!.id;
  await sql`INSERT INTO identity.position (account_id, organisation_id, roles) VALUES (${unitAccount}, ${ORG.id}, ARRAY['clerk'])`.execute(t.platform.db);
});
afterAll(async () => {
  await t?.stop();
  vi.useRealTimers();
});

describe('step deadlines and the step-overdue rule R04', () => {
  let late: CaseRecord;
  let onTime: CaseRecord;

  it('gives the default flow step limits from the promised limit and shows them in green', async () => {
    late = await accepted();
    expect(late).toMatchObject({ step_name: '受理', step_due_on: '2026-03-10', step_yellow_from: '2026-03-09' }); // 1 WD: yellow at once
    late = ok(await service.act(ctx(clerk), late.id, late.version, { action: 'pass', opinion: '材料齐全' }));
    // 审查: 10 − 1 − 2 = 7 WD from Mon 03-09 → Wed 03-18; yellow from the 6th WD (≥ 80 %); the case itself is due Mon 03-23.
    expect(late).toMatchObject({ step_name: '审查', step_started_on: '2026-03-09', step_due_on: '2026-03-18', step_yellow_from: '2026-03-17', due_on: '2026-03-23', step_organisation_id: ORG.id });
    const open = await sql<{ id: string; due_at: Date }>`SELECT id, due_at FROM workflow.task WHERE subject_id = ${late.id} AND state = 'open'`.execute(t.platform.db);
    expect(open.rows).toHaveLength(1);
    expect(late.step_task_id).toBe(open.rows[0]!.id);

    // A case handled on time: 受理, 审查 and the decision the same day.
    onTime = await accepted();
    onTime = ok(await service.act(ctx(clerk), onTime.id, onTime.version, { action: 'pass' }));
    onTime = ok(await service.act(ctx(clerk), onTime.id, onTime.version, { action: 'pass' }));
    expect(onTime).toMatchObject({ step_name: '决定', step_due_on: '2026-03-11' }); // 决定 2 WD
    onTime = ok(await service.act(ctx(head), onTime.id, onTime.version, { action: 'approve', reason: '符合条件', certificateNo: 'JY14201020000009' }));
    expect(onTime.state).toBe('APPROVED');

    const body = await todoPage();
    expect(body).toContain('环节期限');
    expect(rowOf(body, late.case_no!)).toContain('data-step-signal="green"');
    expect(rowOf(body, late.case_no!)).toContain('2026-03-18');
    expect(await supervision.raise()).toEqual({ raised: 0, escalated: 0 });
  });

  it('turns the step yellow at ≤ 1 WD left on the to-do list and the case page', async () => {
    vi.setSystemTime(at('2026-03-17'));
    expect(rowOf(await todoPage(), late.case_no!)).toContain('data-step-signal="yellow"');
    const page = await t.app.inject({ url: `/workbench/cases/${late.id}`, headers: { ...asActor(clerk), accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('环节期限');
    expect(page.body).toContain('临近期限');
    expect((await alerts()).filter((a) => a.rule_no === 'R04')).toHaveLength(0);
  });

  it('raises exactly one R04 alert the day after the step is due, while the case is not overdue', async () => {
    const after = nextDay('2026-03-18');
    vi.setSystemTime(at(after)); // Thu 03-19
    expect(rowOf(await todoPage(), late.case_no!)).toContain('data-step-signal="red"');
    const first = await supervision.raise();
    expect(first.raised).toBeGreaterThanOrEqual(1);
    let r04 = (await alerts()).filter((a) => a.rule_no === 'R04');
    expect(r04).toHaveLength(1);
    expect(r04[0]).toMatchObject({ case_id: late.id, level: 'YELLOW', step_key: late.step_task_id, organisation_id: ORG.id });
    expect(r04[0]!.content).toContain('“审查”环节已超过环节期限（2026-03-18）');
    // Nothing for the case whose steps were done on time.
    expect((await alerts()).filter((a) => a.case_id === onTime.id && a.rule_no === 'R04')).toHaveLength(0);
    // Swept again (same day, and the next day): still one.
    expect(await supervision.raise()).toEqual({ raised: 0, escalated: 0 });
    vi.setSystemTime(at('2026-03-20'));
    await supervision.raise();
    r04 = (await alerts()).filter((a) => a.rule_no === 'R04');
    expect(r04).toHaveLength(1);
    // Audited, the step's unit told once, listed for supervisors like the other alerts.
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'supervision.alert' AND detail->>'ruleNo' = 'R04'`.execute(t.platform.db);
    expect(audit.rows[0]!.n).toBe(1);
    const inbox = await sql<{ subject: string }>`SELECT subject FROM platform.notification WHERE recipient_account_id = ${unitAccount}`.execute(t.platform.db);
    expect(inbox.rows.filter((x) => x.subject === `【电子监察】环节超时黄牌预警：${late.case_no}`)).toHaveLength(1);
    const list = (await t.app.inject({ url: '/api/supervision/alerts', headers: asActor(province) })).json<{ items: { ruleNo: string; caseNo: string }[] }>();
    expect(list.items.filter((a) => a.ruleNo === 'R04').map((a) => a.caseNo)).toEqual([late.case_no]);
    // The dashboard counts open cases with an overdue step beside yellow and red.
    const summary = (await t.app.inject({ url: '/api/supervision/summary?code=420102&by=org', headers: asActor(province) })).json<{ totals: { stepOverdue: number }; figures: { key: string; stepOverdue: number }[] }>();
    expect(summary.totals.stepOverdue).toBe(1);
    expect(summary.figures.find((f) => f.key === ORG.id)?.stepOverdue).toBe(1);
    const dash = await t.app.inject({ url: '/workbench/supervision/dashboard?code=420102&by=org', headers: { ...asActor(province), accept: 'text/html' } });
    expect(dash.body).toContain('环节超时');
  });

  it('leaves it to the overall rule once the case itself is overdue', async () => {
    vi.setSystemTime(at('2026-03-24')); // the day after the case's own due date
    await supervision.raise();
    const mine = (await alerts()).filter((a) => a.case_id === late.id);
    expect(mine.filter((a) => a.rule_no === 'R04')).toHaveLength(1);
    expect(mine.filter((a) => a.rule_no === 'R02')).toHaveLength(1);
    // Uniqueness is case × rule × level × step (the migration replaced the case × rule × level key).
    const keys = await sql<{ conname: string }>`SELECT conname FROM pg_constraint WHERE conrelid = 'supervision.alert'::regclass AND contype = 'u' ORDER BY conname`.execute(t.platform.db);
    expect(keys.rows.map((k) => k.conname)).toEqual(['alert_case_rule_level_step', 'alert_supervision_no_key']);
  });
});
