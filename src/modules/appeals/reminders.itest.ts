import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaffAccount } from '../../../test/support/identity.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { systemActor, systemContext, type Actor } from '../../platform/auth/actor.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../jurisdictions/index.ts';
import { createRegistryModule } from '../registry/index.ts';
import { createAppealsModule } from './index.ts';
import { REMIND_QUEUE } from './reminders.ts';
import type { AppealsService } from './service.ts';

/**
 * Deadline reminders on the real database with the clock advanced: a yellow reminder once to the
 * responsible party, a red notice once to the unit AND its centre, nothing for closed tickets,
 * nothing twice (repeated and concurrent sweeps), the history entry, and the job queue.
 */
describe('appeals reminders (临期提醒 / 超期通知)', () => {
  let t: TestApp;
  let service: AppealsService;
  const base = Date.now();
  const at = (ms: number) => new Date(base + ms);
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const orgs: Record<string, string> = {};
  let centreClerk: Actor, centreHead: Actor;
  let centreAccount = '', unitAccount = '', dayeAccount = '';
  const DUTY_MOBILE = '13900009999';
  const citizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c101', displayName: '李市民', realNameLevel: 2 };

  const post = (url: string, actor: Actor | null, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: actor ? asActor(actor) : {}, payload });
  const get = (url: string, actor: Actor, html = false) => t.app.inject({ url, headers: { ...asActor(actor), ...(html ? { accept: 'text/html' } : {}) } });
  const submit = async (title: string) => {
    const r = await post('/api/appeals', citizen, { type: 'complaint', title, description: `${title}，已经持续很久了，影响周边居民生活，请尽快处理。`, divisionCode: '420102', address: '中山大道1号', contactName: '李市民', contactPhone: '13800002222', categoryCode: '0202' });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const act = async (id: string, event: string, actor: Actor, body: Record<string, unknown> = {}) => {
    const version = (await get(`/api/appeals/${id}`, centreHead)).json<{ version: number }>().version;
    const r = await post(`/api/appeals/${id}/events/${event}`, actor, { version, ...body });
    expect(r.statusCode, r.body).toBe(200);
  };
  const remindersOf = async (id: string) =>
    (await sql<{ stage: string; colour: string; organisation_ids: string[]; recipients: number }>`SELECT stage, colour, organisation_ids, recipients FROM appeals.reminder WHERE ticket_id = ${id} ORDER BY id`.execute(t.platform.db)).rows;
  const inboxOf = async (accountId: string) =>
    (await sql<{ subject: string }>`SELECT subject FROM platform.notification WHERE recipient_account_id = ${accountId} ORDER BY id`.execute(t.platform.db)).rows.map((r) => r.subject);
  const emailTo = async (address: string) => (await sql<{ subject: string }>`SELECT payload->>'subject' AS subject FROM platform.job WHERE queue = 'notify.email' AND payload->>'to' = ${address} ORDER BY id`.execute(t.platform.db)).rows.map((r) => r.subject);
  const numberOf = async (id: string) => (await get(`/api/appeals/${id}`, centreHead)).json<{ number: string }>().number;
  const smsTo = async (mobile: string) => (await sql<{ body: string }>`SELECT payload->>'body' AS body FROM platform.job WHERE queue = 'notify.sms' AND payload->>'to' = ${mobile} ORDER BY id`.execute(t.platform.db)).rows.map((r) => r.body);

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    const jurisdictions = createJurisdictionsModule(t.platform).service;
    for (const name of ['武汉市江岸区政务服务和大数据管理局', '武汉市江岸区市场监督管理局']) {
      const found = await jurisdictions.listOrganisations(systemActor('test'), { q: name }, { page: 1, pageSize: 5 });
      orgs[name] = found.items.find((o) => o.name === name)!.id;
    }
    centreClerk = buildStaff({ organisationId: orgs['武汉市江岸区政务服务和大数据管理局']!, organisationName: '武汉市江岸区政务服务和大数据管理局', jurisdictionCode: '420102', roles: ['clerk'] });
    centreHead = buildStaff({ organisationId: orgs['武汉市江岸区政务服务和大数据管理局']!, organisationName: '武汉市江岸区政务服务和大数据管理局', jurisdictionCode: '420102', roles: ['org_head'] });
    centreAccount = (await buildStaffAccount(t, { roles: ['clerk'], organisations: ['武汉市江岸区政务服务和大数据管理局'] })).accountId;
    unitAccount = (await buildStaffAccount(t, { roles: ['clerk'], organisations: ['武汉市江岸区市场监督管理局'] })).accountId;
    dayeAccount = (await buildStaffAccount(t, { roles: ['clerk', 'org_head'], organisations: ['大冶市政务服务和大数据管理局'] })).accountId;
    await sql`UPDATE appeals.centre SET duty_mobile = ${DUTY_MOBILE} WHERE organisation_id = ${orgs['武汉市江岸区政务服务和大数据管理局']!}`.execute(t.platform.db);
    // A second instance of the module on the same database, with a clock the test advances.
    const registry = createRegistryModule(t.platform);
    service = createAppealsModule(t.platform, { jurisdictions, registry: { numbers: registry.numbers, calendars: registry.calendars }, now: () => new Date() }).service;
  }, 120_000);
  afterAll(async () => t?.stop());

  it('reminds once at yellow, notifies the unit and its centre once at red, never for closed tickets', async () => {
    const a = await submit('商场预付卡退款难'); // NEW: dispatch within 24 h (the centre answers)
    const b = await submit('超市价格标签不符'); // dispatched: sign-for within 1 h (the unit answers)
    await act(b, 'dispatch', centreClerk, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] });
    const c = await submit('菜市场缺斤短两');
    await act(c, 'route_notice', centreClerk, { reason: '该事项已进入诉讼程序，请依法向人民法院提出。' });

    expect(await service.sendReminders(at(10 * MIN))).toEqual({ yellow: 0, red: 0 });

    // b: 50 minutes into a 1-hour sign-for → yellow, to the unit only.
    expect(await service.sendReminders(at(50 * MIN))).toEqual({ yellow: 1, red: 0 });
    expect(await service.sendReminders(at(50 * MIN))).toEqual({ yellow: 0, red: 0 });
    expect(await remindersOf(b)).toEqual([{ stage: 'sign_for', colour: 'yellow', organisation_ids: [orgs['武汉市江岸区市场监督管理局']], recipients: 1 }]);
    expect(await inboxOf(unitAccount)).toEqual([expect.stringContaining('临期提醒')]);
    expect(await inboxOf(centreAccount)).toEqual([]);

    // b overdue → red, to the unit AND the centre (inbox + the centre's duty mobile).
    expect(await service.sendReminders(at(2 * HOUR))).toEqual({ yellow: 0, red: 1 });
    expect((await remindersOf(b)).map((r) => [r.colour, r.organisation_ids])).toEqual([
      ['yellow', [orgs['武汉市江岸区市场监督管理局']]],
      ['red', [orgs['武汉市江岸区市场监督管理局'], orgs['武汉市江岸区政务服务和大数据管理局']]],
    ]);
    expect(await inboxOf(unitAccount)).toEqual([expect.stringContaining('临期提醒'), expect.stringContaining('超期通知')]);
    expect(await inboxOf(centreAccount)).toEqual([expect.stringContaining('超期通知')]);
    expect(await smsTo(DUTY_MOBILE)).toHaveLength(1);

    // a: 19 h into 24 h → yellow to the centre; 30 h → red.
    expect(await service.sendReminders(at(19 * HOUR))).toEqual({ yellow: 1, red: 0 });
    expect(await service.sendReminders(at(30 * HOUR))).toEqual({ yellow: 0, red: 1 });
    expect(await service.sendReminders(at(30 * HOUR))).toEqual({ yellow: 0, red: 0 });
    expect(await service.sendReminders(at(72 * HOUR))).toEqual({ yellow: 0, red: 0 });
    expect((await remindersOf(a)).map((r) => `${r.stage}:${r.colour}`)).toEqual(['dispatch:yellow', 'dispatch:red']);
    expect(await remindersOf(c)).toEqual([]);
    expect(await inboxOf(centreAccount)).toHaveLength(3);
    expect(await inboxOf(dayeAccount)).toEqual([]); // another county's centre hears nothing

    // The history shows them (staff only), and each is audited.
    const history = (await get(`/api/appeals/${b}`, centreHead)).json<{ history: { event: string; note: string }[] }>().history;
    expect(history.map((h) => h.event)).toEqual(['register', 'dispatch', 'deadline_reminder', 'overdue_notice']);
    expect(history[3]!.note).toContain('武汉市江岸区政务服务和大数据管理局');
    const page = await get(`/workbench/appeals/${b}`, centreHead, true);
    expect(page.body).toContain('临期提醒');
    expect(page.body).toContain('超期通知');
    // Internal: never on the citizen's follow-up page.
    const shown = await sql<{ public: boolean }>`SELECT public FROM appeals.ticket_event WHERE ticket_id = ${b} AND event IN ('deadline_reminder', 'overdue_notice')`.execute(t.platform.db);
    expect(shown.rows).toEqual([{ public: false }, { public: false }]);
    const audit = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${b} AND action LIKE 'appeal.%' ORDER BY id`.execute(t.platform.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['appeal.submit', 'appeal.dispatch', 'appeal.deadline_reminder', 'appeal.overdue_notice']);

    // A new deadline is a new deadline: signing starts the handling period, reminded afresh when it runs late.
    await act(b, 'sign', buildStaff({ organisationId: orgs['武汉市江岸区市场监督管理局']!, organisationName: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102', roles: ['clerk'] }));
    await service.sendReminders(at(60 * 24 * HOUR));
    expect((await remindersOf(b)).map((r) => `${r.stage}:${r.colour}`)).toEqual(['sign_for:yellow', 'sign_for:red', 'handle:red']);
  });

  it('reminds the centre of the callback (回访) due by the next working day: agents at yellow, the head too at red, once each', async () => {
    const centreHeadAccount = (await buildStaffAccount(t, { roles: ['org_head'], organisations: ['武汉市江岸区政务服务和大数据管理局'] })).accountId;
    const unitClerk = buildStaff({ organisationId: orgs['武汉市江岸区市场监督管理局']!, organisationName: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102', roles: ['clerk'] });
    const id = await submit('电动车充电桩收费不透明');
    await act(id, 'dispatch', centreClerk, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] });
    await act(id, 'sign', unitClerk);
    await act(id, 'reply', unitClerk, { note: '已责令运营方公示收费标准并退还多收费用。' });
    const replied = (await get(`/api/appeals/${id}`, centreHead)).json<{ state: string; dueAt: string; number: string }>();
    expect(replied.state).toBe('REPLIED');
    const due = new Date(replied.dueAt).getTime();
    // By 24:00 of the next working day (Asia/Shanghai): at least until tomorrow's end, within a long holiday.
    expect(due - Date.now()).toBeGreaterThan(0);
    expect(due - Date.now()).toBeLessThan(12 * 24 * HOUR);
    const page = await get(`/workbench/appeals/${id}`, centreHead, true);
    expect(page.body).toContain('回访期限');

    const mine = async (accountId: string) => (await inboxOf(accountId)).filter((x) => x.includes(replied.number));
    const nearlyDue = new Date(due - 10 * MIN);
    await service.sendReminders(nearlyDue);
    await service.sendReminders(nearlyDue);
    expect((await remindersOf(id)).map((r) => `${r.stage}:${r.colour}`)).toEqual(['callback:yellow']);
    expect(await mine(centreAccount)).toEqual([expect.stringContaining('回访即将到期')]);
    expect(await mine(centreHeadAccount)).toEqual([]); // yellow: the agents only
    expect(await mine(unitAccount)).toEqual([]); // the unit has replied: the callback is the centre's

    const late = new Date(due + 10 * MIN);
    await service.sendReminders(late);
    await service.sendReminders(late);
    expect((await remindersOf(id)).map((r) => `${r.stage}:${r.colour}`)).toEqual(['callback:yellow', 'callback:red']);
    expect(await mine(centreAccount)).toEqual([expect.stringContaining('回访即将到期'), expect.stringContaining('回访已超期')]);
    expect(await mine(centreHeadAccount)).toEqual([expect.stringContaining('回访已超期')]);
    expect((await smsTo(DUTY_MOBILE)).filter((x) => x.includes(replied.number))).toHaveLength(2); // the centre's duty mobile, once per colour
    // The callback closes the ticket: nothing more.
    await act(id, 'callback', centreClerk, { satisfaction: 'satisfied' });
    await service.sendReminders(new Date(due + 30 * 24 * HOUR));
    expect(await remindersOf(id)).toHaveLength(2);
  });

  it('sends red notices by SMS and email to the unit’s own duty contacts, yellow ones in-app only', async () => {
    const unitHead = buildStaff({ organisationId: orgs['武汉市江岸区市场监督管理局']!, organisationName: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102', roles: ['org_head'] });
    const saved = await t.app.inject({ method: 'PUT', url: `/api/appeals/duty-contacts/${orgs['武汉市江岸区市场监督管理局']!}`, headers: asActor(unitHead), payload: { dutyMobile: '139 0000 7777', dutyEmail: 'zhiban@scj.example.gov.cn', version: 0 } });
    expect(saved.statusCode, saved.body).toBe(200);
    const id = await submit('洗衣店损坏衣物拒不赔偿');
    await act(id, 'dispatch', centreClerk, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] });
    const number = await numberOf(id);
    const dispatchedAt = Date.now();
    const forTicket = (xs: string[]) => xs.filter((x) => x.includes(number));

    await service.sendReminders(new Date(dispatchedAt + 50 * MIN)); // sign-for yellow
    expect((await remindersOf(id)).map((r) => r.colour)).toEqual(['yellow']);
    expect(forTicket(await smsTo('13900007777'))).toEqual([]);
    expect(forTicket(await emailTo('zhiban@scj.example.gov.cn'))).toEqual([]);

    await service.sendReminders(new Date(dispatchedAt + 2 * HOUR)); // sign-for red
    await service.sendReminders(new Date(dispatchedAt + 2 * HOUR));
    expect(forTicket(await smsTo('13900007777'))).toEqual([expect.stringContaining('签收已超期')]);
    expect(forTicket(await emailTo('zhiban@scj.example.gov.cn'))).toEqual([expect.stringContaining('超期通知')]);
    expect(forTicket(await smsTo(DUTY_MOBILE))).toHaveLength(1); // and the centre's, as before
    const red = (await remindersOf(id)).find((r) => r.colour === 'red')!;
    // unit clerk + centre clerks/heads in-app, unit SMS + email, centre SMS
    expect(red.recipients).toBeGreaterThanOrEqual(5);
  });

  it('sends one notice when two sweeps run at once', async () => {
    const d = await submit('健身房突然关门跑路');
    const results = await Promise.all([service.sendReminders(at(30 * HOUR)), service.sendReminders(at(30 * HOUR)), service.sendReminders(at(30 * HOUR))]);
    expect(results.reduce((n, r) => n + r.red, 0)).toBe(1);
    expect(await remindersOf(d)).toHaveLength(1);
    const events = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.ticket_event WHERE ticket_id = ${d} AND event = 'overdue_notice'`.execute(t.platform.db);
    expect(events.rows[0]!.n).toBe(1);
  });

  it('runs on demand through the job queue', async () => {
    const e = await submit('小区门口占道经营');
    // Its dispatch deadline passed in real time (the app's own instance uses the real clock). Set in SQL, the
    // due time has microseconds, which a JS Date drops: the reminder must still match it exactly.
    await sql`UPDATE appeals.ticket SET stage_started_at = now() - interval '25 hours', due_at = now() - interval '1 hour' WHERE id = ${e}`.execute(t.platform.db);
    await t.platform.transactor.run(systemContext('test'), (uow) => uow.enqueue({ queue: REMIND_QUEUE }));
    for (let i = 0; i < 5 && (await remindersOf(e)).length === 0; i++) await t.platform.jobs.runDue();
    expect((await remindersOf(e)).map((r) => `${r.stage}:${r.colour}`)).toEqual(['dispatch:red']);
  });
});
