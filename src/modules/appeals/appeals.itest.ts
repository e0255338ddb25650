import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../jurisdictions/index.ts';
import { systemActor, type Actor } from '../../platform/auth/actor.ts';

/**
 * Appeals on a real database: intake on every channel, refusals, idempotency, the knowledge base,
 * the whole §6.1 loop by API, 409s, the scope matrix and the anonymity of reports.
 */
describe('appeals (12345 tickets)', () => {
  let t: TestApp;
  const orgs: Record<string, string> = {};
  let centreClerk: Actor, centreHead: Actor, scjClerk: Actor, scjHead: Actor, fgjClerk: Actor, dayeCentre: Actor, wuhanSupervisor: Actor, sysadmin: Actor;
  const citizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c001', displayName: '王市民', realNameLevel: 2 };
  const otherCitizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-00000000c002', displayName: '赵市民', realNameLevel: 2 };

  const staffOf = (name: string, roles: Parameters<typeof buildStaff>[0]['roles'], code = '420102') => buildStaff({ organisationId: orgs[name]!, organisationName: name, jurisdictionCode: code, roles });
  const complaint = (over: Record<string, unknown> = {}) => ({
    type: 'complaint',
    title: '解放大道烧烤店卖过期食品',
    description: '昨天在解放大道1127号附近的烧烤店吃饭，发现卖过期食品，吃完后腹泻呕吐，要求查处。',
    divisionCode: '420102',
    address: '解放大道1127号',
    contactName: '王市民',
    contactPhone: '13800001111',
    consentPublish: true,
    ...over,
  });
  const post = (url: string, actor: Actor | null, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { ...(actor ? asActor(actor) : {}), ...headers }, payload: payload as Record<string, unknown> });
  const get = (url: string, actor: Actor | null, html = false) => t.app.inject({ url, headers: { ...(actor ? asActor(actor) : {}), ...(html ? { accept: 'text/html' } : {}) } });
  const act = async (id: string, event: string, actor: Actor, body: Record<string, unknown> = {}) => {
    const current = (await get(`/api/appeals/${id}`, centreHead)).json<{ version: number }>();
    return post(`/api/appeals/${id}/events/${event}`, actor, { version: current.version, ...body });
  };

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    await t.modules.find((m) => m.name === 'appeals')!.seed!(t.platform);
    const lookup = createJurisdictionsModule(t.platform).service;
    for (const name of ['武汉市江岸区信访局', '武汉市江岸区政务服务和大数据管理局', '武汉市江岸区市场监督管理局', '武汉市江岸区住房保障和房屋管理局', '大冶市政务服务和大数据管理局', '武汉市政务服务和大数据管理局']) {
      const found = await lookup.listOrganisations(systemActor('test'), { q: name }, { page: 1, pageSize: 5 });
      orgs[name] = found.items.find((o) => o.name === name)!.id;
    }
    centreClerk = staffOf('武汉市江岸区政务服务和大数据管理局', ['clerk']);
    centreHead = staffOf('武汉市江岸区政务服务和大数据管理局', ['org_head']);
    scjClerk = staffOf('武汉市江岸区市场监督管理局', ['clerk']);
    scjHead = staffOf('武汉市江岸区市场监督管理局', ['org_head']);
    fgjClerk = staffOf('武汉市江岸区住房保障和房屋管理局', ['clerk']);
    dayeCentre = staffOf('大冶市政务服务和大数据管理局', ['org_head'], '420281');
    wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan-sup', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
    sysadmin = buildStaff({ organisationId: 'org-x', jurisdictionCode: '420000', roles: ['sysadmin'] });
  }, 120_000);
  afterAll(async () => t?.stop());

  it('refuses bad input naming each field in Chinese', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ description: '' }, 'description', '请填写诉求内容'],
      [{ description: '太短' }, 'description', '至少 10 个字'],
      [{ description: '很'.repeat(3001) }, 'description', '不能超过 3000 个字'],
      [{ divisionCode: '429999' }, 'divisionCode', '不存在'],
      [{ divisionCode: '110101' }, 'divisionCode', '湖北省内'],
      [{ lon: 121.47, lat: 31.23 }, 'lon', '不在湖北省范围内'],
      [{ anonymous: true }, 'anonymous', '只有举报可以匿名'],
      [{ contactPhone: '12345' }, 'contactPhone', '格式不正确'],
    ];
    for (const [over, field, message] of cases) {
      const r = await post('/api/appeals', citizen, complaint(over));
      expect(r.statusCode, JSON.stringify(over).slice(0, 80)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      const f = r.json<{ errors: { field: string; message: string }[] }>().errors.find((x) => x.field === field);
      expect(f?.message).toContain(message);
    }
    const page = await t.app.inject({ method: 'POST', url: '/appeals/new', headers: { ...asActor(citizen), 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams({ ...complaint({ description: '' }), consentPublish: 'on', _csrf: 'x' }).toString() });
    // Header-authenticated actors have no session: the CSRF check refuses the form post before validation.
    expect([400, 403]).toContain(page.statusCode);
  });

  it('refuses an attachment that is not an image or PDF', async () => {
    const boundary = `----zw${crypto.randomBytes(6).toString('hex')}`;
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\nContent-Type: application/octet-stream\r\n\r\n`), SAMPLES.docx, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const form = await t.app.inject({ url: '/appeals/track', headers: { accept: 'text/html' } });
    const csrf = /zw_csrf=([^;]+)/.exec(String(form.headers['set-cookie']))![1]!;
    const up = await t.app.inject({ method: 'POST', url: `/api/attachments?_csrf=${csrf}`, headers: { ...asActor(citizen), cookie: `zw_csrf=${csrf}`, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(up.statusCode).toBe(201);
    const r = await post('/api/appeals', citizen, complaint({ attachmentIds: [up.json<{ id: string }>().id] }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({ field: 'attachmentIds' });
    expect(r.json().errors[0].message).toContain('不是图片或 PDF');
  });

  it('a retried submission never duplicates; a different body under the same key is refused', async () => {
    const key = crypto.randomUUID();
    const a = await post('/api/appeals', null, complaint({ title: '幂等测试：小区电梯长期故障', description: '一元路小区物业电梯长期故障不修，老人上下楼很困难，要求物业整改。' }), { 'idempotency-key': key });
    const b = await post('/api/appeals', null, complaint({ title: '幂等测试：小区电梯长期故障', description: '一元路小区物业电梯长期故障不修，老人上下楼很困难，要求物业整改。' }), { 'idempotency-key': key });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(200);
    expect(b.json().number).toBe(a.json().number);
    expect(b.json().replayed).toBe(true);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.ticket WHERE idempotency_key = ${key}`.execute(t.platform.db);
    expect(n.rows[0]!.n).toBe(1);
    const c = await post('/api/appeals', null, complaint({ title: '另一件事情的标题' }), { 'idempotency-key': key });
    expect(c.statusCode).toBe(422);
  });

  it('intakes arriving together share one transaction: consecutive numbers, each its own answer, audit entry and event', async () => {
    const key = crypto.randomUUID();
    const bodies = [
      ...Array.from({ length: 8 }, (_, i) => ({ body: complaint({ title: `并发登记测试第${i}件`, description: `江岸区一元路第${i}号门前路灯损坏多日，夜间行人不便，要求尽快维修。` }), headers: {} })),
      { body: complaint({ title: '行政区划不对的诉求', divisionCode: '999999' }), headers: {} },
      { body: complaint({ title: '同键并发：小区噪音扰民', description: '一元路小区夜间施工噪音扰民，影响休息，要求查处。' }), headers: { 'idempotency-key': key } },
      { body: complaint({ title: '同键并发：小区噪音扰民', description: '一元路小区夜间施工噪音扰民，影响休息，要求查处。' }), headers: { 'idempotency-key': key } },
    ];
    const answers = await Promise.all(bodies.map((b) => post('/api/appeals', null, b.body, b.headers)));
    expect(answers.slice(0, 8).map((a) => a.statusCode)).toEqual(Array(8).fill(201));
    expect(answers[8]!.statusCode).toBe(400);
    expect(answers[8]!.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('divisionCode');
    expect([answers[9]!.statusCode, answers[10]!.statusCode].sort()).toEqual([200, 201]);
    expect(answers[9]!.json().number).toBe(answers[10]!.json().number);
    const numbers = answers.filter((a) => a.statusCode === 201).map((a) => a.json<{ number: string }>().number);
    expect(new Set(numbers).size).toBe(9);
    const seqs = numbers.map((n) => Number(/(\d+)$/.exec(n)![1])).sort((x, y) => x - y);
    expect(seqs.at(-1)! - seqs[0]!).toBe(8); // gap-free within the day's sequence
    for (const a of answers.filter((x) => x.statusCode === 201)) {
      const id = a.json<{ id: string }>().id;
      const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'appeal.submit' AND object_id = ${id}`.execute(t.platform.db);
      expect(audit.rows[0]!.n).toBe(1);
      const events = await sql<{ event: string }>`SELECT event FROM appeals.ticket_event WHERE ticket_id = ${id}`.execute(t.platform.db);
      expect(events.rows.map((e) => e.event)).toEqual(['register']);
    }
  });

  it('flags abusive content without dropping the appeal', async () => {
    const r = await post('/api/appeals', citizen, complaint({ title: '投诉城管狗官不作为', description: '门口的违章搭建举报多次没人管，你们这些狗官就是废物，要求拆除违建。' }));
    expect(r.statusCode).toBe(201);
    const row = await t.platform.db.selectFrom('appeals.ticket' as never).select(['flagged_words' as never]).where('id' as never, '=', r.json().id as never).executeTakeFirstOrThrow();
    expect((row as { flagged_words: string[] }).flagged_words).toEqual(expect.arrayContaining(['狗官', '废物']));
  });

  it('answers a consultation at once from the knowledge base (即时办结), else dispatches', async () => {
    const r = await post('/api/appeals', citizen, { type: 'consultation', title: '社保卡丢失怎么补办', description: '我的社保卡丢失了，请问在哪里补办，需要带什么材料？', divisionCode: '420102', contactPhone: '13800001111' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ state: 'CLOSED', status: 'closed' });
    expect(r.json().reply).toContain('12333');
    const events = await sql<{ event: string }>`SELECT event FROM appeals.ticket_event WHERE ticket_id = ${r.json().id} ORDER BY id`.execute(t.platform.db);
    expect(events.rows.map((e) => e.event)).toEqual(['register', 'answer_kb']);
    const other = await post('/api/appeals', citizen, { type: 'consultation', title: '公租房申请条件', description: '请问江岸区公租房申请需要满足哪些条件，到哪里申请？', divisionCode: '420102', contactPhone: '13800001111' });
    expect(other.json().state).toBe('NEW');
  });

  it('walks the loop: suggestion accepted → return → reassign → reply → unsatisfied → re-handling → closed', async () => {
    const submitted = await post('/api/appeals', citizen, complaint());
    expect(submitted.statusCode).toBe(201);
    const { id, number, queryCode } = submitted.json<{ id: string; number: string; queryCode: string }>();
    expect(number).toMatch(/^\d{14}$/);

    const sugg = await get(`/api/appeals/${id}/suggestions`, centreClerk);
    expect(sugg.statusCode).toBe(200);
    expect(sugg.json().categories[0].label).toBe('0201');
    expect(sugg.json().unit).toMatchObject({ organisationName: '武汉市江岸区市场监督管理局' });

    // A unit cannot dispatch; the centre can, accepting the suggestion.
    expect((await act(id, 'dispatch', scjClerk, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] })).statusCode).toBe(404);
    const dispatched = await act(id, 'dispatch', centreClerk, { leadOrgId: sugg.json().unit.organisationId });
    expect(dispatched.statusCode).toBe(200);
    expect(dispatched.json()).toMatchObject({ state: 'DISPATCHED', leadOrgName: '武汉市江岸区市场监督管理局' });

    // The unit returns it: a reason is required.
    const noReason = await act(id, 'return', scjClerk, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0]).toMatchObject({ field: 'reason', message: '退单必须说明理由' });
    expect((await act(id, 'return', scjClerk, { reason: '涉事门店位于住宅楼底商，油烟问题属房管部门' })).json().state).toBe('RETURN_PENDING');
    // Reviewing a return needs the centre head; the clerk is refused.
    expect((await act(id, 'uphold_return', centreClerk, { leadOrgId: orgs['武汉市江岸区住房保障和房屋管理局'] })).statusCode).toBe(403);
    const reassigned = await act(id, 'uphold_return', centreHead, { leadOrgId: orgs['武汉市江岸区住房保障和房屋管理局'] });
    expect(reassigned.json()).toMatchObject({ state: 'DISPATCHED', leadOrgName: '武汉市江岸区住房保障和房屋管理局' });
    // The first unit no longer sees it.
    expect((await get(`/api/appeals/${id}`, scjClerk)).statusCode).toBe(404);

    expect((await act(id, 'sign', fgjClerk)).json().state).toBe('SIGNED');
    const signed = (await get(`/api/appeals/${id}`, fgjClerk)).json();
    expect(new Date(signed.dueAt).getTime()).toBeGreaterThan(Date.now() + 24 * 3_600_000);
    expect((await act(id, 'reply', fgjClerk, { note: '已联系商家下架过期食品并约谈负责人。' })).json().state).toBe('REPLIED');

    // The citizen rates it unsatisfied on the follow-up page → handled again.
    const track = await get(`/api/appeals/track?number=${number}&code=${queryCode}`, null);
    expect(track.json()).toMatchObject({ state: 'REPLIED', finalReply: '已联系商家下架过期食品并约谈负责人。' });
    const version = (await get(`/api/appeals/${id}`, centreHead)).json().version;
    const form = await t.app.inject({ url: '/appeals/track', headers: { accept: 'text/html' } });
    const csrf = /zw_csrf=([^;]+)/.exec(String(form.headers['set-cookie']))![1]!;
    const rate = await t.app.inject({
      method: 'POST',
      url: `/appeals/track/${number}/rate`,
      headers: { cookie: `zw_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ _csrf: csrf, code: queryCode, version: String(version), satisfaction: 'unsatisfied', note: '没有退款' }).toString(),
    });
    expect(rate.statusCode).toBe(303);
    expect((await get(`/api/appeals/${id}`, fgjClerk)).json()).toMatchObject({ state: 'IN_PROGRESS', satisfaction: 'unsatisfied' });

    expect((await act(id, 'reply', fgjClerk, { note: '已督促商家全额退款，款项已到账。' })).json().state).toBe('REPLIED');
    expect((await act(id, 'callback', centreClerk, { satisfaction: 'satisfied' })).json().state).toBe('CLOSED');

    // Replies after closing: 409 with the reason.
    const late = await act(id, 'reply', fgjClerk, { note: '补充说明' });
    expect([403, 409]).toContain(late.statusCode);
    const lateCentre = await act(id, 'callback', centreClerk, { satisfaction: 'satisfied' });
    expect(lateCentre.statusCode).toBe(409);
    expect(lateCentre.json().detail).toContain('已办结');

    const history = (await get(`/api/appeals/${id}`, centreHead)).json().history.map((h: { event: string }) => h.event);
    expect(history).toEqual(['register', 'dispatch', 'return', 'uphold_return', 'sign', 'reply', 'callback', 'reply', 'callback']);
    const audit = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${id} AND outcome = 'success' ORDER BY id`.execute(t.platform.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['appeal.submit', 'appeal.dispatch', 'appeal.return', 'appeal.uphold_return', 'appeal.sign', 'appeal.reply', 'appeal.callback', 'appeal.reply', 'appeal.callback']);
    const fb = await sql<{ accepted: boolean }>`SELECT accepted FROM appeals.dispatch_feedback WHERE ticket_id = ${id}`.execute(t.platform.db);
    expect(fb.rows).toEqual([{ accepted: true }]);

    // Published with consent: the public mailbox shows it without any contact data.
    const pub = await get('/api/appeals/public', null);
    const item = pub.json().items.find((x: { number: string }) => x.number === number);
    expect(item.reply).toContain('全额退款');
    expect(JSON.stringify(pub.json())).not.toContain('13800001111');
  });

  it('a stale version is a 409; an extension is limited, requested once and approved by the centre head', async () => {
    const { id } = (await post('/api/appeals', citizen, complaint({ title: '延期测试：超市价格标签不实', description: '新华路超市明码标价不实，结账价格比标价高，要求退还多收费用。', categoryCode: '0203' }))).json();
    const v1 = (await get(`/api/appeals/${id}`, centreHead)).json().version;
    expect((await post(`/api/appeals/${id}/events/dispatch`, centreClerk, { version: v1, leadOrgId: orgs['武汉市江岸区市场监督管理局'] })).statusCode).toBe(200);
    const stale = await post(`/api/appeals/${id}/events/reassign`, centreClerk, { version: v1, leadOrgId: orgs['武汉市江岸区住房保障和房屋管理局'] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('ZW_ERR_CONFLICT');
    await act(id, 'sign', scjClerk);
    const tooLong = await act(id, 'request_extension', scjClerk, { reason: '需要现场检测', extensionDays: 11 });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0]).toMatchObject({ field: 'extensionDays', message: '延期不能超过 10 天' });
    expect((await act(id, 'request_extension', scjClerk, { reason: '需要现场检测', extensionDays: 5 })).json().extensionPending).toBe(5);
    const before = (await get(`/api/appeals/${id}`, scjClerk)).json().dueAt;
    expect((await act(id, 'approve_extension', scjHead, {})).statusCode).toBe(403); // a unit head is not the hotline office
    const approved = await act(id, 'approve_extension', centreHead, {});
    expect(approved.statusCode).toBe(200);
    expect(new Date(approved.json().dueAt).getTime()).toBeGreaterThan(new Date(before).getTime());
    expect((await act(id, 'request_extension', scjClerk, { reason: '再延', extensionDays: 1 })).json().detail).toBe('延期只能申请一次，本件已延期');
  });

  it('scope matrix: other counties, other units, supervisors and the system administrator', async () => {
    const { id } = (await post('/api/appeals', citizen, complaint({ title: '范围测试：后湖大道噪声扰民', description: '后湖大道工地夜间施工噪音很大影响睡觉，要求夜间停止施工。', categoryCode: '0301' }))).json();
    const ids = async (actor: Actor) => (await get('/api/appeals?q=范围测试', actor)).json<{ items: { id: string }[] }>().items.map((x) => x.id);
    expect(await ids(centreClerk)).toContain(id);
    expect(await ids(wuhanSupervisor)).toContain(id);
    expect(await ids(dayeCentre)).not.toContain(id);
    expect(await ids(scjClerk)).not.toContain(id); // not dispatched to them
    expect((await get(`/api/appeals/${id}`, dayeCentre)).statusCode).toBe(404);
    expect((await get(`/workbench/appeals/${id}`, dayeCentre, true)).statusCode).toBe(404);
    expect((await act(id, 'dispatch', dayeCentre, { leadOrgId: orgs['大冶市政务服务和大数据管理局'] })).statusCode).toBe(404);
    // A supervisor reads and may 督办, but cannot dispatch.
    expect((await act(id, 'dispatch', wuhanSupervisor, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] })).statusCode).toBe(403);
    expect((await act(id, 'supervise', wuhanSupervisor)).json().supervised).toBe(true);
    // 三员分立: no business permission.
    expect((await get('/api/appeals', sysadmin)).statusCode).toBe(403);
    // Citizens: only with the number and query code.
    expect((await get(`/api/appeals/${id}`, otherCitizen)).statusCode).toBe(403);
  });

  it('never shows an anonymous reporter’s identity to handlers, dispatchers, supervisors or the public', async () => {
    const secretName = '李秘密';
    const secretPhone = '13912345678';
    const r = await post('/api/appeals', citizen, {
      type: 'report',
      title: '举报一元路无证经营熟食',
      description: '一元路社区有小吃摊无证经营熟食，卫生脏乱，举报人请求保密。',
      divisionCode: '420102',
      anonymous: true,
      contactName: secretName,
      contactPhone: secretPhone,
      consentPublish: true,
    });
    expect(r.statusCode).toBe(201);
    const { id, number } = r.json();
    await act(id, 'dispatch', centreClerk, { leadOrgId: orgs['武汉市江岸区市场监督管理局'] });
    await act(id, 'sign', scjClerk);
    await act(id, 'reply', scjClerk, { note: '已查处无证摊点。' });
    await act(id, 'callback', centreClerk, { satisfaction: 'satisfied' });
    const leaks = (body: string) => body.includes(secretName) || body.includes(secretPhone) || body.includes('1391234') || body.includes(citizen.kind === 'citizen' ? citizen.accountId : 'x');
    const views: [string, Actor | null, boolean][] = [
      ['/api/appeals?q=无证经营', centreClerk, false],
      ['/api/appeals?q=无证经营', scjClerk, false],
      ['/api/appeals?q=无证经营', wuhanSupervisor, false],
      [`/api/appeals/${id}`, centreHead, false],
      [`/api/appeals/${id}`, scjClerk, false],
      [`/api/appeals/${id}/suggestions`, centreClerk, false],
      ['/workbench/appeals', centreClerk, true],
      ['/workbench/appeals', scjClerk, true],
      [`/workbench/appeals/${id}`, centreHead, true],
      [`/workbench/appeals/${id}`, scjClerk, true],
      [`/workbench/appeals/${id}`, wuhanSupervisor, true],
      ['/appeals/public', null, true],
      ['/api/appeals/public', null, false],
    ];
    for (const [url, actor, html] of views) {
      const res = await get(url, actor, html);
      expect(res.statusCode, url).toBe(200);
      expect(leaks(res.body), url).toBe(false);
    }
    expect((await get(`/appeals/public/${id}`, null, true)).statusCode).toBe(404);
    const reveal = await t.app.inject({ method: 'POST', url: `/workbench/appeals/${id}/reveal`, headers: { ...asActor(centreHead), accept: 'text/html' } });
    expect(reveal.statusCode).toBe(403);
    expect(leaks(reveal.body)).toBe(false);
    const detail = await get(`/workbench/appeals/${id}`, scjClerk, true);
    expect(detail.body).toContain('匿名举报人（身份保密）');
    expect(number).toBeTruthy();
  });

  it('an operator records a hotline call; a unit clerk may not', async () => {
    const call = { type: 'help', title: '独居老人无人照顾', description: '胜利街独居老人行动不便，无人照顾，家属在外地，求助社区上门看看。', divisionCode: '420102', contactName: '陈女士', contactPhone: '13700002222', callerNumber: '027-82345678', urgency: 'normal' };
    const r = await post('/api/appeals/calls', centreClerk, call);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ state: 'NEW', channel: 'hotline', callerNumber: '027****5678' });
    expect(r.json().contactName).toBe('陈**');
    expect((await post('/api/appeals/calls', scjClerk, call)).statusCode).toBe(403);
    const missing = await post('/api/appeals/calls', centreClerk, { ...call, callerNumber: '' });
    expect(missing.json().errors.map((f: { field: string }) => f.field)).toContain('callerNumber');
  });

  it('the knowledge base: a centre head adds an entry; it answers the next consultation', async () => {
    const kb = await post('/api/appeals/kb', centreHead, { question: '居住证怎么办理？', answer: '持身份证、居住登记凭证到居住地派出所或政务服务中心申请，满 6 个月可办理居住证。', keywords: '居住证，办理', published: true });
    expect(kb.statusCode).toBe(201);
    expect((await post('/api/appeals/kb', scjClerk, { question: '问题问题', answer: '答案答案' })).statusCode).toBe(403);
    const r = await post('/api/appeals', null, { type: 'consultation', title: '居住证办理', description: '外地来汉工作，请问居住证怎么办理，需要什么材料？', divisionCode: '420102', contactName: '刘先生', contactPhone: '13600003333' });
    expect(r.json()).toMatchObject({ state: 'CLOSED' });
    const doc = await sql<{ n: number }>`SELECT count(*)::int AS n FROM search.document WHERE key = ${`qa:${kb.json().id}`}`.execute(t.platform.db).catch(() => ({ rows: [{ n: -1 }] }));
    expect(doc.rows[0]!.n).not.toBe(0);
  });

  it('works without JavaScript: the web form re-shows errors, then registers and shows the receipt', async () => {
    const form = await t.app.inject({ url: '/appeals/new', headers: { accept: 'text/html' } });
    expect(form.statusCode).toBe(200);
    const csrf = /zw_csrf=([^;]+)/.exec(String(form.headers['set-cookie']))![1]!;
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.body)![1]!;
    const postForm = (fields: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/appeals/new', headers: { cookie: `zw_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, payload: new URLSearchParams({ _csrf: csrf, idempotencyKey: key, ...fields }).toString() });
    const fields = { type: 'suggestion', title: '建议增设公交站台', description: '建议在后湖大道与兴业路交叉口增设公交站台，方便附近居民出行。', divisionCode: '420102', contactName: '周先生', contactPhone: '13500004444' };
    const bad = await postForm({ ...fields, title: '', lon: '200', lat: '30' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    expect(bad.body).toContain('请填写标题');
    expect(bad.body).toContain('坐标不在湖北省范围内');
    expect(bad.body).toContain('建议在后湖大道与兴业路交叉口增设公交站台'); // nothing typed is lost
    const ok = await postForm(fields);
    expect(ok.statusCode).toBe(303);
    const again = await postForm(fields); // a double click
    expect(again.headers.location).toBe(ok.headers.location);
    const receipt = await t.app.inject({ url: String(ok.headers.location), headers: { accept: 'text/html' } });
    expect(receipt.body).toContain('已收到您的诉求');
    expect(receipt.body).toContain('待派单');
    const inbox = await get('/workbench/appeals?colour=yellow', centreClerk, true);
    expect(inbox.statusCode).toBe(200);
    // The workbench home's 诉求工单 card counts what the inbox's 超期/临期 filters list.
    const [late, soon] = await Promise.all(['red', 'yellow'].map(async (colour) => (await get(`/api/appeals?colour=${colour}`, centreClerk)).json<{ total: number }>().total));
    const home = await get('/workbench', centreClerk, true);
    expect(home.body).toContain(late! + soon! === 0 ? '没有超期或临期的工单' : `超期 ${late} 件 · 临期 ${soon} 件`);
    const kb = await get('/workbench/appeals/kb', centreHead, true);
    expect(kb.body).toContain('社保卡丢失了怎么补办？');
  });

  it('petitions (信访) follow their own track and statutory periods', async () => {
    const petitionCentre = staffOf('武汉市江岸区信访局', ['clerk']);
    const r = await post('/api/appeals', citizen, { type: 'petition', title: '对拆迁补偿标准有异议', description: '本人房屋被纳入征收范围，对补偿标准有异议，多次协商未果，请求依法处理。', divisionCode: '420102', contactName: '王市民', contactPhone: '13800001111' });
    expect(r.statusCode).toBe(201);
    expect(r.json().state).toBe('RECEIVED');
    const { id, number, queryCode } = r.json();
    const received = (await get(`/api/appeals/${id}`, petitionCentre)).json();
    // 15 days to transfer (信访工作条例 Art. 22), calendar days rolled to a working day.
    expect(new Date(received.dueAt).getTime() - Date.now()).toBeGreaterThan(14 * 86_400_000);
    expect((await act(id, 'dispatch', centreClerk, { leadOrgId: orgs['武汉市江岸区住房保障和房屋管理局'] })).statusCode).toBe(403);
    expect((await act(id, 'assign', petitionCentre, { leadOrgId: orgs['武汉市江岸区住房保障和房屋管理局'] })).json().state).toBe('ASSIGNED');
    expect((await act(id, 'accept', fgjClerk)).json().state).toBe('IN_PROGRESS');
    const beyond = await act(id, 'request_extension', fgjClerk, { reason: '需评估', extensionDays: 31 });
    expect(beyond.json().errors[0].message).toBe('延期不能超过 30 天');
    const answered = await act(id, 'answer', fgjClerk, { note: '经核查，补偿标准符合规定。', outcome: 'explain' });
    expect(answered.json().state).toBe('ANSWERED');
    expect((await act(id, 'finalize', petitionCentre)).json().detail).toContain('尚未届满');
    const api = await get(`/api/appeals/track?number=${number}&code=${queryCode}`, null);
    expect(api.json().state).toBe('ANSWERED');
    const page = await t.app.inject({ url: `/appeals/track?number=${number}&code=${queryCode}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('申请复查');
    const csrf = /zw_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1]!;
    const version = (await get(`/api/appeals/${id}`, petitionCentre)).json().version;
    const review = await t.app.inject({ method: 'POST', url: `/appeals/track/${number}/review`, headers: { cookie: `zw_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, code: queryCode, version: String(version), note: '补偿低于市场价' }).toString() });
    expect(review.statusCode).toBe(303);
    expect((await get(`/api/appeals/${id}`, petitionCentre)).json().state).toBe('IN_REVIEW');
    expect((await act(id, 'review_opinion', petitionCentre, { note: '维持原处理意见。', outcome: 'not_support' })).json().state).toBe('REVIEWED');
    const v2 = (await get(`/api/appeals/${id}`, petitionCentre)).json().version;
    const recheck = await t.app.inject({ method: 'POST', url: `/appeals/track/${number}/recheck`, headers: { cookie: `zw_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: csrf, code: queryCode, version: String(v2) }).toString() });
    expect(recheck.statusCode).toBe(303);
    expect((await act(id, 'recheck_opinion', petitionCentre, { note: '复核维持。', outcome: 'not_support' })).json().state).toBe('FINAL');
    // The same facts and reasons again: registered, not accepted, with the final matter named.
    const again = await post('/api/appeals', citizen, { type: 'petition', title: '对拆迁补偿标准有异议', description: '本人房屋被纳入征收范围，对补偿标准有异议，多次协商未果，请求依法处理！', divisionCode: '420102', contactName: '王市民', contactPhone: '13800001111' });
    expect(again.json()).toMatchObject({ state: 'CLOSED' });
    expect(again.json().reply).toContain(number);
  });
});
