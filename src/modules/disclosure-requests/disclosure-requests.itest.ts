import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor.ts';
import { extractPdfText } from '../../platform/pdf/index.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../jurisdictions/index.ts';
import { createDisclosureRequestsModule } from './index.ts';
import { worstStatus, type ClockView } from './domain/request-machine.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';

/**
 * 依申请公开 on a real database: every command through the JSON API (the HTML forms call the
 * same commands), the scope matrix, idempotent submission, optimistic versions, audit entries,
 * the reply letter PDF, and the annual report computed from the requests.
 */
describe('disclosure requests', () => {
  let t: TestApp;
  let org: { id: string; name: string; jurisdictionCode: string };
  let clerk: Actor;
  let head: Actor;
  let otherClerk: Actor;
  let wuhanSupervisor: Actor;
  let provinceSupervisor: Actor;
  let sysadmin: Actor;
  const citizen: Actor = { kind: 'citizen', accountId: '11111111-1111-4111-8111-111111111111', displayName: '张三', realNameLevel: 2 };
  const otherCitizen: Actor = { kind: 'citizen', accountId: '22222222-2222-4222-8222-222222222222', displayName: '李四', realNameLevel: 2 };
  const enterprise: Actor = { kind: 'enterprise', accountId: '33333333-3333-4333-8333-333333333333', displayName: '武汉某某科技有限公司', realNameLevel: 2, uscc: '91420100MA4K0000XX' };
  const json = (actor: Actor) => ({ ...asActor(actor), accept: 'application/json' });
  const form = (actor: Actor) => ({ ...asActor(actor), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: 'zw_csrf=abcdefghijklmnopqrstuvwxyz0123456789' });
  const csrf = '_csrf=abcdefghijklmnopqrstuvwxyz0123456789';
  const valid = (orgId: string) => ({ organisationId: orgId, description: '2025年江岸区老旧小区改造项目资金安排文件', preferredForm: 'electronic', delivery: 'online', contactPhone: '13900001111' });

  const act = async (actor: Actor, id: string, kind: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/disclosure-requests/${id}/actions/${kind}`, headers: json(actor), payload: body });

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    const lookup = createJurisdictionsModule(t.platform).service;
    const find = async (name: string) => {
      const found = await lookup.listOrganisations({ kind: 'system', name: 'test' }, { q: name }, { page: 1, pageSize: 5 });
      const o = found.items.find((x) => x.name === name);
      if (!o) throw new Error(`no organisation ${name}`);
      return { id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode };
    };
    org = await find('武汉市江岸区政务服务和大数据管理局');
    const daye = await find('大冶市政务服务和大数据管理局');
    clerk = buildStaff({ organisationId: org.id, organisationName: org.name, jurisdictionCode: org.jurisdictionCode, roles: ['clerk'], name: '王芳' });
    head = buildStaff({ organisationId: org.id, organisationName: org.name, jurisdictionCode: org.jurisdictionCode, roles: ['org_head'], name: '刘强' });
    otherClerk = buildStaff({ organisationId: daye.id, organisationName: daye.name, jurisdictionCode: daye.jurisdictionCode, roles: ['clerk'] });
    wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
    provinceSupervisor = buildStaff({ organisationId: 'org-hubei', jurisdictionCode: '420000', roles: ['province_supervisor'] });
    sysadmin = buildStaff({ organisationId: 'org-hubei', jurisdictionCode: '420000', roles: ['sysadmin'] });
  }, 300_000);
  afterAll(async () => t?.stop());

  it('refuses an incomplete request naming each field in Chinese (API and page), nothing saved', async () => {
    const api = await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: json(citizen), payload: { organisationId: org.id, description: '', preferredForm: 'paper', delivery: 'email', contactEmail: 'not-an-email' } });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    const fields = (api.json().errors as { field: string; message: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['description', 'contactEmail']));
    const page = await t.app.inject({
      method: 'POST',
      url: '/disclosure-requests',
      headers: form(citizen),
      payload: `${csrf}&organisationId=${org.id}&description=&documentNumber=%E9%84%82%E6%94%BF%E5%8F%91&preferredForm=paper&delivery=post&idempotencyKey=k-form-1`,
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('提交的内容有');
    expect(page.body).toContain('请描述所需政府信息');
    expect(page.body).toContain('选择邮寄方式的，请填写通信地址');
    expect(page.body).toContain('鄂政发'); // what was typed is kept
    const mine = await t.app.inject({ url: '/api/account/disclosure-requests', headers: json(citizen) });
    expect(mine.json().total).toBe(0);
  });

  it('a retried submission with the same Idempotency-Key returns the first request', async () => {
    const first = await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: { ...json(citizen), 'idempotency-key': 'retry-1' }, payload: valid(org.id) });
    expect(first.statusCode).toBe(201);
    const again = await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: { ...json(citizen), 'idempotency-key': 'retry-1' }, payload: valid(org.id) });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const r = first.json();
    expect(r.state).toBe('RECEIVED');
    expect(r.receiptConfirmedOn).toBeNull(); // online: Art. 31 confirmation first
    expect(r.requestNo).toMatch(/^420102-\d{4}-\d{5}$/);
    expect(r.allowedActions).toEqual([]);
    const mine = await t.app.inject({ url: '/api/account/disclosure-requests', headers: json(citizen) });
    expect(mine.json().total).toBe(1);
  });

  it('scope matrix: own organisation handles; other county sees nothing; supervisors read only; 三员 none; other citizens none', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: json(citizen), payload: { ...valid(org.id), description: '范围测试' } });
    const id = created.json().id as string;
    const list = async (actor: Actor) => (await t.app.inject({ url: '/api/disclosure-requests', headers: json(actor) }));
    expect((await list(clerk)).json().items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await list(otherClerk)).json().items).toEqual([]);
    expect((await list(wuhanSupervisor)).json().items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await list(provinceSupervisor)).json().items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await list(sysadmin)).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/disclosure-requests/${id}`, headers: json(otherClerk) })).statusCode).toBe(404);
    const page = await t.app.inject({ url: `/workbench/disclosure-requests/${id}`, headers: { ...asActor(otherClerk), accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('范围测试');
    expect((await act(otherClerk, id, 'confirm_receipt', { version: 1 })).statusCode).toBe(404);
    const bySupervisor = await act(wuhanSupervisor, id, 'confirm_receipt', { version: 1 });
    expect(bySupervisor.statusCode).toBe(403);
    expect((await t.app.inject({ url: `/api/account/disclosure-requests/${id}`, headers: json(otherCitizen) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/account/disclosure-requests/${id}`, headers: { ...asActor(otherCitizen), accept: 'text/html' } })).statusCode).toBe(404);
    const denied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE object_id = ${id} AND outcome = 'denied'`.execute(t.platform.db);
    expect(denied.rows[0]?.n).toBeGreaterThanOrEqual(2);
  });

  it('walks the whole state machine: receipt, correction, consultation, override, extension, partial reply, PDF, delivery, remedy', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: json(citizen), payload: { ...valid(org.id), description: '某项目资金' } });
    let r = created.json();
    const id = r.id as string;
    r = (await act(clerk, id, 'confirm_receipt', { version: r.version })).json();
    expect(r.receiptConfirmedOn).toBe(r.receivedOn);
    expect(r.clocks.map((c: { key: string }) => c.key)).toEqual(['correctionNotice', 'reply']);
    expect(r.allowedActions).toEqual(expect.arrayContaining(['register', 'request_correction']));

    // A stale version is a conflict, never a silent overwrite.
    const stale = await act(clerk, id, 'request_correction', { version: r.version - 1, items: '请说明项目名称' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('ZW_ERR_CONFLICT');
    const noItems = await act(clerk, id, 'request_correction', { version: r.version, items: ' ', periodDays: 10 });
    expect(noItems.statusCode).toBe(400);
    expect(noItems.json().errors[0].field).toBe('items');
    r = (await act(clerk, id, 'request_correction', { version: r.version, items: '请说明项目名称\n请说明所需文件的年份', periodDays: 10 })).json();
    expect(r.state).toBe('CORRECTION_REQUESTED');
    expect(r.correction.items).toHaveLength(2);
    expect(r.replyDueOn).toBeNull();

    // The requester sees the notice and supplements; the clock restarts.
    const mine = (await t.app.inject({ url: `/api/account/disclosure-requests/${id}`, headers: json(citizen) })).json();
    expect(mine.allowedActions).toEqual(['supply_correction']);
    const supplied = await t.app.inject({ method: 'POST', url: `/api/account/disclosure-requests/${id}/correction`, headers: json(citizen), payload: { version: mine.version, description: '2025年江岸区老旧小区改造项目（后湖片区）资金安排文件' } });
    expect(supplied.statusCode).toBe(200);
    r = supplied.json();
    expect(r.state).toBe('PROCESSING');
    expect(r.clockStartedOn).toBe(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
    expect(r.replyDueOn).not.toBeNull();
    expect((await act(clerk, id, 'request_correction', { version: r.version, items: '再次补正', periodDays: 10 })).statusCode).toBe(403);

    r = (await act(clerk, id, 'consult', { version: r.version, party: 'third_party', name: '武汉某某建设有限公司' })).json();
    expect(r.state).toBe('CONSULTING');
    expect(r.clocks.find((c: { key: string }) => c.key === 'reply').status).toBe('paused');
    const early = await act(clerk, id, 'record_opinion', { version: r.version, opinion: 'none' });
    expect(early.statusCode).toBe(400);
    r = (await act(clerk, id, 'record_opinion', { version: r.version, opinion: 'object', note: '涉及商业秘密' })).json();
    expect(r.state).toBe('PROCESSING');
    expect(r.allowedActions).toContain('public_interest_override');
    r = (await act(clerk, id, 'public_interest_override', { version: r.version, reasons: '资金使用涉及公共利益' })).json();

    // Extension: only the head of the disclosure office (org_head), once, ≤ 20 WD.
    expect((await act(clerk, id, 'extend', { version: r.version, days: 10, reason: '需要调取档案' })).statusCode).toBe(403);
    expect((await act(head, id, 'extend', { version: r.version, days: 25, reason: '需要调取档案' })).statusCode).toBe(400);
    const due = r.replyDueOn as string;
    r = (await act(head, id, 'extend', { version: r.version, days: 10, reason: '需要调取档案' })).json();
    expect(r.replyDueOn > due).toBe(true);
    expect((await act(head, id, 'extend', { version: r.version, days: 5, reason: '再次' })).statusCode).toBe(403);

    const noReason = await act(clerk, id, 'reply', { version: r.version, replyType: 'PARTIAL', text: '可以区分处理的部分予以公开' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors.map((f: { field: string }) => f.field)).toContain('reason');
    r = (await act(clerk, id, 'reply', { version: r.version, replyType: 'PARTIAL', reason: 'third_party_rights', text: '现将项目资金安排表（隐去第三方商业信息）提供给您。' })).json();
    expect(r.state).toBe('REPLIED');
    expect(r.replyNo).toMatch(/^依申请公开答复〔\d{4}〕\d+号$/);

    const pdf = await t.app.inject({ url: `/account/disclosure-requests/${id}/reply.pdf`, headers: asActor(citizen) });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = extractPdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('政府信息公开申请答复书');
    expect(text).toContain('张三：');
    expect(text).toContain('部分公开');
    expect(text).toContain('保护第三方合法权益');
    expect(text).toContain('60日内依法申请行政复议'); // reconsideration first for 不予公开 / 部分公开
    expect(text).toContain(org.name);
    expect((await t.app.inject({ url: `/account/disclosure-requests/${id}/reply.pdf`, headers: asActor(otherCitizen) })).statusCode).toBe(404);

    r = (await act(clerk, id, 'deliver', { version: r.version, method: 'online' })).json();
    expect(r.deliveredOn).not.toBeNull();
    r = (await act(clerk, id, 'record_remedy', { version: r.version, remedy: 'reconsideration', outcome: 'pending' })).json();
    expect(r.allowedActions).toEqual(['record_remedy']);

    // Every step is audited in its transaction, and the requester was told at each step that concerns them.
    const audited = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${id} AND outcome = 'success' ORDER BY id`.execute(t.platform.db);
    expect(audited.rows.map((x) => x.action)).toEqual([
      'disclosure_request.submit',
      'disclosure_request.confirm_receipt',
      'disclosure_request.request_correction',
      'disclosure_request.supply_correction',
      'disclosure_request.consult',
      'disclosure_request.record_opinion',
      'disclosure_request.public_interest_override',
      'disclosure_request.extend',
      'disclosure_request.reply',
      'disclosure_request.deliver',
      'disclosure_request.record_remedy',
    ]);
    const notices = await sql<{ subject: string }>`SELECT subject FROM platform.notification WHERE subject LIKE ${`%${r.requestNo as string}%`} ORDER BY id`.execute(t.platform.db);
    expect(notices.rows.map((x) => x.subject.replace(/（.*）$/, ''))).toEqual([
      '政府信息公开申请已提交',
      '您的政府信息公开申请已确认收到',
      '政府信息公开申请补正告知',
      '政府信息公开申请：征求意见',
      '政府信息公开申请：答复期限延长告知',
      '您的政府信息公开申请已答复',
    ]);

    // The tracking page shows the history and the reply with its remedy notice.
    const page = await t.app.inject({ url: `/account/disclosure-requests/${id}`, headers: { ...asActor(citizen), accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('部分公开');
    expect(page.body).toContain('下载答复书（PDF）');
    expect(page.body).toContain('发出补正告知');
  });

  it('staff register a paper request (receipt = the day handed in) and the fee path closes an unpaid request only after its period', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/disclosure-requests',
      headers: json(clerk),
      payload: { channel: 'in_person', receivedOn: today, requesterKind: 'legal', legalCategory: 'research', requesterName: '某某研究院', description: '2025年政府采购合同', preferredForm: 'paper', delivery: 'pickup', contactPhone: '027-88886666' },
    });
    expect(reg.statusCode).toBe(201);
    let r = reg.json();
    expect(r.receiptConfirmedOn).toBe(today);
    expect(r.allowedActions).toContain('register');
    r = (await act(clerk, r.id, 'register', { version: r.version })).json();
    expect(r.state).toBe('PROCESSING');
    r = (await act(clerk, r.id, 'fee_notice', { version: r.version, amount: 120 })).json();
    expect(r.state).toBe('FEE_PENDING');
    expect((await act(clerk, r.id, 'fee_unpaid', { version: r.version })).statusCode).toBe(403);
    r = (await act(clerk, r.id, 'fee_paid', { version: r.version })).json();
    expect(r.state).toBe('PROCESSING');
    r = (await act(clerk, r.id, 'reply', { version: r.version, replyType: 'DISCLOSED', text: '予以公开，请到政务服务中心领取。' })).json();
    expect(r.state).toBe('REPLIED');
    const page = await t.app.inject({ url: `/workbench/disclosure-requests/${r.id}`, headers: { ...asActor(clerk), accept: 'text/html' } });
    expect(page.body).toContain('027****6666'.slice(0, 3)); // masked by default
    expect(page.body).not.toContain('027-88886666');
    const revealed = await t.app.inject({ url: `/workbench/disclosure-requests/${r.id}?reveal=1`, headers: { ...asActor(clerk), accept: 'text/html' } });
    expect(revealed.body).toContain('027-88886666');
    const views = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE object_id = ${r.id} AND action = 'disclosure_request.view_personal_data'`.execute(t.platform.db);
    expect(views.rows[0]?.n).toBe(1);
  });

  it('the workbench list shows deadline badges and HTML actions redisplay with the reasons', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: json(enterprise), payload: { ...valid(org.id), legalCategory: 'commercial', description: '企业申请' } });
    const r = created.json();
    const list = await t.app.inject({ url: '/workbench/disclosure-requests', headers: { ...asActor(clerk), accept: 'text/html' } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(r.requestNo);
    expect(list.body).toContain('待确认收到');
    expect(list.body).not.toContain('答复期限'); // no clock before receipt is confirmed (Art. 31)
    const bad = await t.app.inject({ method: 'POST', url: `/workbench/disclosure-requests/${r.id}/actions/confirm_receipt`, headers: form(clerk), payload: `${csrf}&version=${r.version}&on=2999-01-01` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('确认日期不能晚于今天');
    const good = await t.app.inject({ method: 'POST', url: `/workbench/disclosure-requests/${r.id}/actions/confirm_receipt`, headers: form(clerk), payload: `${csrf}&version=${r.version}` });
    expect(good.statusCode).toBe(303);
    const after = await t.app.inject({ url: '/workbench/disclosure-requests', headers: { ...asActor(clerk), accept: 'text/html' } });
    expect(after.body).toContain('答复期限');
    expect(after.body).toContain('剩余 20 个工作日');
  });

  it('annual report: computed from the requests, editable narrative, published as page, PDF and Excel', async () => {
    const year = Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
    const created = await t.app.inject({ method: 'POST', url: '/api/disclosure-reports', headers: json(clerk), payload: { year, kind: 'organisation' } });
    expect(created.statusCode).toBe(201);
    let rep = created.json();
    const t3 = rep.tables.table3;
    expect(t3.new.total).toBe(5); // 3 online by the citizen, 1 paper by a research institute, 1 by an enterprise
    expect(t3.new.research).toBe(1);
    expect(t3.new.commercial).toBe(1);
    expect(t3.r2.natural).toBe(1); // partial disclosure
    expect(t3.r1.research).toBe(1); // disclosed
    expect(t3.r7.total).toBe(2);
    expect(t3.next.total).toBe(3);
    expect(rep.tables.table4.reconsideration.pending).toBe(1);
    expect(t3.new.total + t3.carried.total).toBe(t3.r7.total + t3.next.total);
    expect((await t.app.inject({ method: 'POST', url: '/api/disclosure-reports', headers: json(clerk), payload: { year, kind: 'organisation' } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: '/api/disclosure-reports', headers: json(clerk), payload: { year, kind: 'government' } })).statusCode).toBe(403);

    const edited = await t.app.inject({ method: 'PATCH', url: `/api/workbench/disclosure-reports/${rep.id}`, headers: json(clerk), payload: { version: rep.version, overview: '本年度本机关认真贯彻《政府信息公开条例》。', problems: '答复规范性有待提高。' } });
    expect(edited.statusCode).toBe(200);
    rep = edited.json();
    expect((await t.app.inject({ method: 'POST', url: `/api/workbench/disclosure-reports/${rep.id}/publish`, headers: json(clerk), payload: { version: rep.version } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/disclosure-reports/${rep.id}` })).statusCode).toBe(404); // drafts are not public
    const pub = await t.app.inject({ method: 'POST', url: `/api/workbench/disclosure-reports/${rep.id}/publish`, headers: json(head), payload: { version: rep.version } });
    expect(pub.statusCode).toBe(200);
    expect(pub.json().status).toBe('published');

    // Published: in the one search box.
    await expect
      .poll(async () => (await t.platform.search.query({ text: '答复规范性', filters: { kinds: ['annual-report'] } })).hits.map((h) => h.url), { timeout: 10_000 })
      .toContain(`/disclosure-reports/${rep.id}`);
    const page = await t.app.inject({ url: `/disclosure-reports/${rep.id}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${org.name}${year}年政府信息公开工作年度报告`);
    expect(page.body).toContain('本年度本机关认真贯彻');
    expect(page.body).toContain('部分公开');
    const pdf = await t.app.inject({ url: `/disclosure-reports/${rep.id}/report.pdf` });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = extractPdfText(pdf.rawPayload).replace(/\s+/g, '');
    expect(text).toContain('五、存在的主要问题及改进情况');
    expect(text).toContain('答复规范性有待提高');
    const xlsx = await t.app.inject({ url: `/disclosure-reports/${rep.id}/report.xlsx` });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('三、依申请公开');
    expect(sheet?.getRow(3).getCell(8).value).toBe(5); // row "一、本年新收", column 总计
    // Published tables are frozen: a new request does not change them.
    await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: json(otherCitizen), payload: { ...valid(org.id), description: '发布后的申请' } });
    const after = await t.app.inject({ url: `/api/disclosure-reports/${rep.id}` });
    expect(after.json().tables.table3.new.total).toBe(5);

    // The government's report (Wuhan supervisor: 420100 subtree) aggregates its organisations.
    const gov = await t.app.inject({ method: 'POST', url: '/api/disclosure-reports', headers: json(wuhanSupervisor), payload: { year, kind: 'government' } });
    expect(gov.statusCode).toBe(201);
    expect(gov.json().scopeName).toContain('人民政府');
    expect(gov.json().tables.table3.new.total).toBe(6);
  });
  it('lapsed periods are recorded by the system: silent consultation, correction not supplied', async () => {
    const sweep = createDisclosureRequestsModule(t.platform, { findOrganisation: async () => null, listOrganisations: async () => [] }).sweepLapses;
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const file = async (description: string) => {
      const reg = await t.app.inject({
        method: 'POST',
        url: '/api/disclosure-requests',
        headers: json(clerk),
        payload: { channel: 'in_person', receivedOn: today, requesterName: '王五', description, preferredForm: 'paper', delivery: 'pickup', contactPhone: '13900002222' },
      });
      return reg.json();
    };
    let a = await file('征求意见逾期');
    a = (await act(clerk, a.id, 'register', { version: a.version })).json();
    a = (await act(clerk, a.id, 'consult', { version: a.version, party: 'agency', name: '江岸区财政局' })).json();
    let b = await file('补正逾期');
    b = (await act(clerk, b.id, 'request_correction', { version: b.version, items: '请写明文件名称', periodDays: 5 })).json();
    expect(await sweep()).toBe(0); // nothing has lapsed yet
    // Move the periods into the past (as if the days had gone by).
    await sql`UPDATE disclosure_requests.request SET process = jsonb_set(process, '{consultations,0,dueOn}', '"2020-01-02"') WHERE id = ${a.id}`.execute(t.platform.db);
    await sql`UPDATE disclosure_requests.request SET process = jsonb_set(process, '{correction,supplyBy}', '"2020-01-02"') WHERE id = ${b.id}`.execute(t.platform.db);
    expect(await sweep()).toBe(2);
    const ra = (await t.app.inject({ url: `/api/disclosure-requests/${a.id}`, headers: json(clerk) })).json();
    expect(ra.state).toBe('PROCESSING'); // co-author agency silent → deemed consent, reply clock resumes
    const rb = (await t.app.inject({ url: `/api/disclosure-requests/${b.id}`, headers: json(clerk) })).json();
    expect(rb.state).toBe('CLOSED');
    expect(rb.closedReason).toBe('ABANDONED');
    const events = (await t.app.inject({ url: `/api/disclosure-requests/${a.id}/events`, headers: json(clerk) })).json().items as { text: string; actorName: string }[];
    expect(events.at(-1)?.text).toContain('视为同意公开');
    expect(events.at(-1)?.actorName).toBe('系统');
    const audited = await sql<{ actor_kind: string }>`SELECT actor_kind FROM audit.entry WHERE object_id = ${b.id} AND action = 'disclosure_request.correction_lapsed'`.execute(t.platform.db);
    expect(audited.rows.map((x) => x.actor_kind)).toEqual(['system']);
    expect(await sweep()).toBe(0);
  });

  it('the workbench home card counts the open requests and their worst clocks as the list shows them; another county sees none', async () => {
    const expected = async (actor: Actor) => {
      const items: { state: string; clocks: ClockView[] }[] = [];
      for (let page = 1; ; page++) {
        const r = (await t.app.inject({ url: `/api/disclosure-requests?page=${page}`, headers: json(actor) })).json<{ total: number; items: { state: string; clocks: ClockView[] }[] }>();
        items.push(...r.items);
        if (items.length >= r.total || r.items.length === 0) break;
      }
      const open = items.filter((i) => i.state !== 'REPLIED' && i.state !== 'CLOSED');
      const worst = open.map((i) => worstStatus(i.clocks));
      const overdue = worst.filter((w) => w === 'overdue').length;
      const warn = worst.filter((w) => w === 'warn').length;
      return open.length === 0 ? '没有办理中的申请' : [`办理中 ${open.length} 件`, ...(overdue ? [`超期 ${overdue}`] : []), ...(warn ? [`临期 ${warn}`] : [])].join(' · ');
    };
    const home = async (actor: Actor) => {
      const r = await t.app.inject({ url: '/workbench', headers: { ...asActor(actor), accept: 'text/html' } });
      expect(r.statusCode).toBe(200);
      return r.body;
    };
    const before = await expected(clerk);
    expect(before).toMatch(/^办理中 \d+ 件/); // earlier tests left open requests
    expect(await home(clerk)).toContain(before);
    await t.app.inject({ method: 'POST', url: '/api/disclosure-requests', headers: json(citizen), payload: { ...valid(org.id), description: '首页计数' } });
    const after = await expected(clerk);
    expect(Number(/办理中 (\d+) 件/.exec(after)?.[1])).toBe(Number(/办理中 (\d+) 件/.exec(before)?.[1]) + 1);
    expect(await home(clerk)).toContain(after);
    expect(await expected(otherClerk)).toBe('没有办理中的申请');
    expect(await home(otherClerk)).toContain('没有办理中的申请');
  });
});
