import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import ExcelJS from 'exceljs';
import type { Actor } from '../../platform/auth/actor.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { ConsultationRepository } from './consultation.repository.ts';
import type { ConsultationDeps } from './commands/deps.ts';
import { submitComment } from './commands/submit-comment.ts';
import { submitResponse } from './commands/submit-response.ts';

const CSRF = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HOUR = 3_600_000;

/** A multipart/form-data body with one file, as the workbench upload form sends it. */
function multipart(filename: string, content: Buffer): { payload: Buffer; contentType: string } {
  const boundary = `----zwtest${crypto.randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

function citizen(level: 0 | 1 | 2 | 3, name = '张三'): Actor {
  return { kind: 'citizen', accountId: crypto.randomUUID(), displayName: name, realNameLevel: level };
}

/** A browser form post (urlencoded, double-submit CSRF cookie). */
function form(t: TestApp, url: string, fields: Record<string, string | string[]>, opts: { actor?: Actor; cookies?: string[] } = {}) {
  const body = new URLSearchParams({ _csrf: CSRF });
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...(opts.actor ? asActor(opts.actor) : {}), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: [`zw_csrf=${CSRF}`, ...(opts.cookies ?? [])].join('; ') },
    payload: body.toString(),
  });
}

describe('consultations: drafts for comment, surveys, scope and audit', () => {
  let t: TestApp;
  const jiangan = { organisationId: 'org-jiangan-zwj', organisationName: '武汉市江岸区政务服务和大数据管理局', jurisdictionCode: '420102' };
  const daye = { organisationId: 'org-daye-zwj', organisationName: '大冶市政务服务和大数据管理局', jurisdictionCode: '420281' };
  const clerkA = buildStaff({ ...jiangan, roles: ['clerk'] });
  const headA = buildStaff({ ...jiangan, roles: ['org_head'] });
  const clerkB = buildStaff({ ...daye, roles: ['clerk'] });
  const headB = buildStaff({ ...daye, roles: ['org_head'] });
  const wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan-zwj', organisationName: '武汉市政务服务和大数据管理局', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
  const provinceSupervisor = buildStaff({ organisationId: 'org-hb-zwj', organisationName: '湖北省政务服务和大数据管理局', jurisdictionCode: '420000', roles: ['province_supervisor'] });
  const sysadmin = buildStaff({ organisationId: 'org-hb-zwj', jurisdictionCode: '420000', roles: ['sysadmin'] });
  const verified = citizen(2, '李明');
  let draft: { id: string; version: number };
  let survey: { id: string; version: number };
  let attachmentId = '';

  const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const create = async (actor: Actor, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/api/consultations', headers: asActor(actor), payload });
  const publish = async (actor: Actor, c: { id: string; version: number }) => t.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/publish`, headers: asActor(actor), payload: { version: c.version } });
  const comment = (actor: Actor | null, id: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/consultations/${id}/comments`, headers: actor ? asActor(actor) : {}, payload: { submissionId: crypto.randomUUID(), ...payload } });
  const depsWithClock = (now: Date): ConsultationDeps => ({ consultations: new ConsultationRepository(t.platform.db), permissions: t.platform.permissions, search: t.platform.search, now: () => now });

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    const d = await create(clerkA, {
      kind: 'draft',
      title: '《江岸区背街小巷环境整治办法（征求意见稿）》',
      summary: '现公开征求意见。',
      body: '<h2>第一条</h2><p>为改善背街小巷环境……</p><script>alert(1)</script>',
      opensAt: iso(-HOUR),
      closesAt: iso(48 * HOUR),
      participation: 'real_name',
      publicComments: true,
    });
    expect(d.statusCode).toBe(201);
    draft = d.json();
    expect(d.json().bodyHtml).not.toContain('script');
    const s = await create(clerkA, {
      kind: 'survey',
      title: '江岸区政务服务满意度调查',
      opensAt: iso(-HOUR),
      closesAt: iso(48 * HOUR),
      participation: 'open',
      liveResults: true,
      questions: [
        { type: 'single', title: '您通过哪种方式办事？', required: true, options: ['网上', '窗口', '热线'] },
        { type: 'multiple', title: '需要改进哪些方面？', options: ['时限', '材料', '态度'], min: 1, max: 2 },
        { type: 'rating', title: '总体满意度', required: true },
        { type: 'text', title: '其他建议' },
      ],
    });
    expect(s.statusCode).toBe(201);
    survey = s.json();
    await t.app.inject({ method: 'POST', url: '/api/consultations', headers: asActor(clerkB), payload: { kind: 'draft', title: '大冶市草案', body: '正文', opensAt: iso(-HOUR), closesAt: iso(HOUR), participation: 'open' } });
  });
  afterAll(async () => t?.stop());

  it('lists only consultations in the actor scope; another county cannot read or change them', async () => {
    const list = async (actor: Actor) => (await t.app.inject({ url: '/api/consultations', headers: asActor(actor) })).json().items.map((c: { jurisdictionCode: string }) => c.jurisdictionCode).sort();
    expect(await list(clerkA)).toEqual(['420102', '420102']);
    expect(await list(clerkB)).toEqual(['420281']);
    expect(await list(wuhanSupervisor)).toEqual(['420102', '420102']);
    expect(await list(provinceSupervisor)).toEqual(['420102', '420102', '420281']);
    for (const actor of [clerkB, headB]) {
      expect((await t.app.inject({ url: `/api/consultations/${draft.id}`, headers: asActor(actor) })).statusCode).toBe(404);
      // A clerk lacks the permission (403 at the route); another county's head gets 404 (existence does not leak).
      expect((await publish(actor, draft)).statusCode).toBe(actor === clerkB ? 403 : 404);
      const page = await t.app.inject({ url: `/workbench/consultations/${draft.id}`, headers: { ...asActor(actor), accept: 'text/html' } });
      expect(page.statusCode).toBe(404);
      expect(page.body).not.toContain('背街小巷');
    }
    expect((await t.app.inject({ url: `/api/consultations/${draft.id}`, headers: asActor(wuhanSupervisor) })).statusCode).toBe(200);
    expect((await publish(wuhanSupervisor, draft)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/consultations', headers: asActor(sysadmin) })).statusCode).toBe(403);
  });

  it('attaches files while in draft (type checked by content); drafts keep them private', async () => {
    const upload = (actor: Actor, name: string, content: Buffer) => {
      const body = multipart(name, content);
      return t.app.inject({ method: 'POST', url: `/workbench/consultations/${draft.id}/attachments?_csrf=${CSRF}`, headers: { ...asActor(actor), accept: 'text/html', cookie: `zw_csrf=${CSRF}`, 'content-type': body.contentType }, payload: body.payload });
    };
    expect((await upload(clerkA, '整治范围.pdf', SAMPLES.pdf)).statusCode).toBe(303);
    expect((await upload(clerkA, 'setup.exe', SAMPLES.exe)).statusCode).toBe(415);
    expect((await upload(clerkB, '别人的.pdf', SAMPLES.pdf)).statusCode).toBe(404);
    const c = (await t.app.inject({ url: `/api/consultations/${draft.id}`, headers: asActor(clerkA) })).json();
    expect(c.attachmentIds).toHaveLength(1);
    attachmentId = c.attachmentIds[0];
    draft = c;
    expect((await t.app.inject({ url: `/consultations/${draft.id}/attachments/${attachmentId}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/consultations/${draft.id}/attachments/${attachmentId}`, headers: asActor(clerkA) })).statusCode).toBe(200);
  });

  it('is not public before publishing; only the head publishes, with the right version', async () => {
    expect((await t.app.inject({ url: `/consultations/${draft.id}`, headers: { accept: 'text/html' } })).statusCode).toBe(404);
    expect((await comment(verified, draft.id, { body: '草稿阶段的意见内容' })).statusCode).toBe(404);
    expect((await publish(clerkA, draft)).statusCode).toBe(403);
    const stale = await publish(headA, { ...draft, version: draft.version + 3 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('ZW_ERR_CONFLICT');
    const ok = await publish(headA, draft);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'published', phase: 'open' });
    draft = ok.json();
    const s = await publish(headA, survey);
    expect(s.statusCode).toBe(200);
    survey = s.json();
    const file = await t.app.inject({ url: `/consultations/${draft.id}/attachments/${attachmentId}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('application/pdf');
    const pub = await t.app.inject({ url: '/consultations?state=open', headers: { accept: 'text/html' } });
    expect(pub.body).toContain('江岸区背街小巷环境整治办法');
    expect(pub.body).not.toContain('大冶市草案');
    const region = await t.app.inject({ url: '/api/consultations/published?state=open&region=420281' });
    expect(region.json().total).toBe(0);
    // Editing after publishing is refused.
    const edit = await t.app.inject({ method: 'PATCH', url: `/api/consultations/${draft.id}`, headers: asActor(clerkA), payload: { version: draft.version, title: '改标题' } });
    expect(edit.statusCode).toBe(403);
  });

  it('takes one comment per real-name verified person; a retried submission returns the first', async () => {
    const anon = await comment(null, draft.id, { body: '匿名者的意见内容', contact: '13800138000' });
    expect(anon.statusCode).toBe(401);
    const weak = await comment(citizen(1), draft.id, { body: '未实名的意见内容' });
    expect(weak.statusCode).toBe(403);
    expect(weak.json().code).toBe('ZW_ERR_CONSULTATION_REAL_NAME');
    const short = await comment(verified, draft.id, { body: '太短' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0]).toEqual({ field: 'body', message: '意见内容至少 5 个字' });
    const submissionId = crypto.randomUUID();
    const first = await comment(verified, draft.id, { submissionId, body: '建议增加夜间保洁频次，并公布保洁责任人电话。' });
    expect(first.statusCode).toBe(201);
    const again = await comment(verified, draft.id, { submissionId, body: '建议增加夜间保洁频次，并公布保洁责任人电话。' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, replay: true });
    const viaHeader = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/comments`, headers: { ...asActor(verified), 'idempotency-key': submissionId }, payload: { body: '建议增加夜间保洁频次，并公布保洁责任人电话。' } });
    expect(viaHeader.json().id).toBe(first.json().id);
    const otherText = await comment(verified, draft.id, { submissionId, body: '同一个提交编号，换了内容。' });
    expect(otherText.statusCode).toBe(422);
    expect(otherText.json().code).toBe('ZW_ERR_IDEMPOTENCY_MISMATCH');
    const second = await comment(verified, draft.id, { body: '我还有第二条意见要提。' });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('ZW_ERR_DUPLICATE');
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM consultations.comment WHERE consultation_id = ${draft.id}`.execute(t.platform.db);
    expect(n.rows[0]?.n).toBe(1);
    // The unique index is the rule, not the check before it.
    await expect(
      sql`INSERT INTO consultations.comment (consultation_id, submission_id, account_id, author_name, body) VALUES (${draft.id}, ${crypto.randomUUID()}, ${verified.kind === 'citizen' ? verified.accountId : ''}, 'x', '绕过检查的意见')`.execute(t.platform.db),
    ).rejects.toThrow();
  });

  it('flags abusive words for moderation; hiding needs a reason; only approved comments are shown, masked', async () => {
    const rude = citizen(2, '王五');
    const r = await comment(rude, draft.id, { body: '这些狗官根本不管背街小巷！' });
    expect(r.statusCode).toBe(201);
    const queue = await t.app.inject({ url: `/api/consultations/${draft.id}/comments?status=pending`, headers: asActor(clerkA) });
    const items = queue.json().items as { id: string; flaggedTerms: string[]; version: number; authorName: string }[];
    expect(items).toHaveLength(2);
    const flagged = items.find((x) => x.flaggedTerms.length > 0)!;
    expect(flagged.flaggedTerms).toEqual(['狗官']);
    const good = items.find((x) => x.flaggedTerms.length === 0)!;
    const noReason = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/comments/${flagged.id}/moderation`, headers: asActor(clerkA), payload: { version: flagged.version, decision: 'hide' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const hide = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/comments/${flagged.id}/moderation`, headers: asActor(clerkA), payload: { version: flagged.version, decision: 'hide', reason: '含有侮辱性用语' } });
    expect(hide.statusCode).toBe(200);
    expect(hide.json().status).toBe('hidden');
    const otherCounty = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/comments/${good.id}/moderation`, headers: asActor(clerkB), payload: { version: good.version, decision: 'approve' } });
    expect(otherCounty.statusCode).toBe(404);
    const approve = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/comments/${good.id}/moderation`, headers: asActor(clerkA), payload: { version: good.version, decision: 'approve' } });
    expect(approve.statusCode).toBe(200);
    const pub = await t.app.inject({ url: `/api/consultations/published/${draft.id}` });
    expect(pub.json().comments.map((c: { author: string }) => c.author)).toEqual(['李*']);
    const page = await t.app.inject({ url: `/consultations/${draft.id}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('建议增加夜间保洁频次');
    expect(page.body).not.toContain('狗官');
    expect(page.body).not.toContain('<script>alert(1)');
  });

  it('enforces the closing time with an injectable clock, and after an early close over HTTP', async () => {
    const late = new Date(Date.now() + 49 * HOUR);
    const ctx = { ...systemContext('test'), actor: citizen(2) };
    const r = await t.platform.transactor.run(ctx, (uow) => submitComment(depsWithClock(late), uow, draft.id, { submissionId: crypto.randomUUID(), body: '截止之后才提交的意见' }));
    expect(r).toMatchObject({ ok: false, reason: 'closed' });
    const early = new Date(Date.now() - 2 * HOUR);
    const r2 = await t.platform.transactor.run(ctx, (uow) => submitResponse(depsWithClock(early), uow, survey.id, { submissionId: crypto.randomUUID(), answers: { q1: 0, q3: 5 } }));
    expect(r2).toMatchObject({ ok: false, reason: 'closed', message: '调查尚未开始，请在开始时间之后参与' });
    // A feedback cannot be written while the draft is open.
    const tooSoon = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/conclude`, headers: asActor(headA), payload: { version: draft.version, summary: '总结' } });
    expect(tooSoon.statusCode).toBe(403);
    const closed = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/close`, headers: asActor(headA), payload: { version: draft.version } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().phase).toBe('closed');
    draft = closed.json();
    const after = await comment(citizen(2), draft.id, { body: '截止之后的另一条意见' });
    expect(after.statusCode).toBe(409);
    expect(after.json().code).toBe('ZW_ERR_CONSULTATION_CLOSED');
    const list = await t.app.inject({ url: '/api/consultations/published?state=closed' });
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(draft.id);
  });

  it('publishes the feedback only when every shown comment has a decision, with reasons for the rest', async () => {
    const comments = (await t.app.inject({ url: `/api/consultations/${draft.id}/comments?status=approved`, headers: asActor(clerkA) })).json().items as { id: string }[];
    const missing = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/conclude`, headers: asActor(headA), payload: { version: draft.version, summary: '共收到意见 2 条。' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toContain('未填写采纳情况');
    const noReason = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/feedback`, headers: asActor(clerkA), payload: { version: draft.version, decisions: [{ commentId: comments[0]!.id, adoption: 'not_adopted' }] } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe(`reason_${comments[0]!.id}`);
    const saved = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/feedback`, headers: asActor(clerkA), payload: { version: draft.version, summary: '共收到有效意见 1 条，采纳 1 条。', decisions: [{ commentId: comments[0]!.id, adoption: 'adopted', reason: '已在第一条增加夜间保洁要求。' }] } });
    expect(saved.statusCode).toBe(200);
    draft = saved.json();
    expect((await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/conclude`, headers: asActor(clerkA), payload: { version: draft.version } })).statusCode).toBe(403);
    const concluded = await t.app.inject({ method: 'POST', url: `/api/consultations/${draft.id}/conclude`, headers: asActor(headA), payload: { version: draft.version } });
    expect(concluded.statusCode).toBe(200);
    expect(concluded.json()).toMatchObject({ status: 'concluded', feedbackSummary: '共收到有效意见 1 条，采纳 1 条。' });
    const page = await t.app.inject({ url: `/consultations/${draft.id}/feedback`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('已在第一条增加夜间保洁要求');
    expect(page.body).toContain('采纳');
    expect(page.body).not.toContain('李明');
  });

  it('takes one survey response per browser for open surveys, keeps refused input, and shows live results', async () => {
    const page = await t.app.inject({ url: `/consultations/${survey.id}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    const browser = /zw_svy=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    expect(browser).toBeTruthy();
    const cookies = [`zw_svy=${browser}`];
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const bad = await form(t, `/consultations/${survey.id}/responses`, { submissionId, q1: '1', q2: ['0', '1', '2'], q4: '保留我写的建议' }, { cookies });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('error-summary');
    expect(bad.body).toContain('最多选择 2 项');
    expect(bad.body).toContain('请回答此题');
    expect(bad.body).toContain('保留我写的建议');
    expect(bad.body).toMatch(/value="1" checked/);
    const good = await form(t, `/consultations/${survey.id}/responses`, { submissionId, q1: '1', q2: ['0', '1'], q3: '4', q4: '保留我写的建议' }, { cookies });
    expect(good.statusCode).toBe(303);
    const retry = await form(t, `/consultations/${survey.id}/responses`, { submissionId, q1: '1', q2: ['0', '1'], q3: '4' }, { cookies });
    expect(retry.statusCode).toBe(303);
    const twice = await form(t, `/consultations/${survey.id}/responses`, { submissionId: crypto.randomUUID(), q1: '0', q3: '1' }, { cookies });
    expect(twice.statusCode).toBe(303);
    expect(String(twice.headers['set-cookie'])).toContain(encodeURIComponent('您已参与过本次调查').slice(0, 9));
    const apiAnswer = await t.app.inject({ method: 'POST', url: `/api/consultations/${survey.id}/responses`, headers: asActor(verified), payload: { submissionId: crypto.randomUUID(), answers: { q1: 0, q2: [2], q3: 5 } } });
    expect(apiAnswer.statusCode).toBe(201);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM consultations.response WHERE consultation_id = ${survey.id}`.execute(t.platform.db);
    expect(n.rows[0]?.n).toBe(2);
    const results = (await t.app.inject({ url: `/api/consultations/published/${survey.id}/results` })).json();
    expect(results.responses).toBe(2);
    expect(results.questions[0].counts.map((c: { count: number }) => c.count)).toEqual([1, 1, 0]);
    expect(results.questions[2].average).toBe(4.5);
    expect(results.questions[3].texts).toEqual([]); // not moderated yet
    const queue = (await t.app.inject({ url: `/workbench/consultations/${survey.id}/moderation`, headers: { ...asActor(clerkA), accept: 'text/html' } })).body;
    const responseId = /id="r-([0-9a-f-]{36})"/.exec(queue)?.[1] ?? '';
    const approve = await t.app.inject({ method: 'POST', url: `/api/consultations/${survey.id}/responses/${responseId}/moderation`, headers: asActor(clerkA), payload: { decision: 'approve' } });
    expect(approve.statusCode).toBe(200);
    const html = await t.app.inject({ url: `/consultations/${survey.id}/results`, headers: { accept: 'text/html' } });
    expect(html.body).toContain('保留我写的建议');
    expect(html.body).toContain('<caption class="visually-hidden">第 1 题结果</caption>');
  });

  it('exports responses and comments as CSV and Excel for the organiser, audited', async () => {
    const csv = await t.app.inject({ url: `/workbench/consultations/${draft.id}/export.csv`, headers: asActor(clerkA) });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.startsWith('\uFEFF"序号"')).toBe(true);
    expect(csv.body).toContain('建议增加夜间保洁频次');
    const xlsx = await t.app.inject({ url: `/workbench/consultations/${survey.id}/export.xlsx`, headers: asActor(clerkA) });
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(4).value).toBe('1. 您通过哪种方式办事？');
    expect(ws.rowCount).toBe(3);
    expect((await t.app.inject({ url: `/workbench/consultations/${survey.id}/export.xlsx`, headers: asActor(wuhanSupervisor) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/workbench/consultations/${survey.id}/export.csv`, headers: asActor(clerkB) })).statusCode).toBe(404);
  });

  it('edits a draft through the workbench form, then takes anonymous comments with a contact where allowed', async () => {
    const created = await create(clerkB, { kind: 'draft', title: '大冶市城区停车管理办法（征求意见稿）', body: '第一条 正文。', opensAt: iso(-HOUR), closesAt: iso(HOUR), participation: 'open' });
    const c = created.json();
    const editPage = await t.app.inject({ url: `/workbench/consultations/${c.id}/edit`, headers: { ...asActor(clerkB), accept: 'text/html' } });
    expect(editPage.statusCode).toBe(200);
    expect(editPage.body).toContain('大冶市城区停车管理办法');
    const fields = { version: String(c.version), title: '《大冶市城区停车管理办法（征求意见稿）》', body: '第一条 为规范停车秩序，制定本办法。', opensAt: '2020-01-01 09:00', closesAt: '2099-12-31 17:00', participation: 'open', publicComments: 'on' };
    const edited = await form(t, `/workbench/consultations/${c.id}`, fields, { actor: clerkB });
    expect(edited.statusCode).toBe(303);
    const after = (await t.app.inject({ url: `/api/consultations/${c.id}`, headers: asActor(clerkB) })).json();
    expect(after).toMatchObject({ title: '《大冶市城区停车管理办法（征求意见稿）》', closesAt: '2099-12-31T09:00:00.000Z', publicComments: true, version: c.version + 1 });
    expect((await form(t, `/workbench/consultations/${c.id}`, fields, { actor: clerkB })).statusCode).toBe(409);
    const published = await publish(headB, after);
    expect(published.statusCode).toBe(200);
    const noContact = await comment(null, c.id, { body: '建议增加路边临时停车位。' });
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json().errors).toEqual([{ field: 'contact', message: '匿名提交须留下手机号码或电子邮箱，便于核实和反馈' }]);
    const anon = await comment(null, c.id, { body: '建议增加路边临时停车位。', contact: '13912345678', authorName: '刘女士' });
    expect(anon.statusCode).toBe(201);
    const queue = (await t.app.inject({ url: `/api/consultations/${c.id}/comments`, headers: asActor(clerkB) })).json().items;
    expect(queue[0]).toMatchObject({ anonymous: true, authorName: '刘女士', contactMasked: '139****5678' });
    const html = await form(t, `/consultations/${c.id}/comments`, { submissionId: crypto.randomUUID(), body: '短', contact: '12' });
    expect(html.statusCode).toBe(400);
    expect(html.body).toContain('意见内容至少 5 个字');
    expect(html.body).toContain('请填写 11 位手机号码或有效的电子邮箱');
  });

  it('shows on the workbench home what waits in the actor’s scope, as the lists show it', async () => {
    const expected = async (actor: Actor) => {
      const items: { id: string; phase: string }[] = [];
      for (let page = 1; ; page++) {
        const r = (await t.app.inject({ url: `/api/consultations?page=${page}`, headers: asActor(actor) })).json<{ total: number; items: { id: string; phase: string }[] }>();
        items.push(...r.items);
        if (items.length >= r.total || r.items.length === 0) break;
      }
      let toModerate = 0;
      for (const c of items) toModerate += (await t.app.inject({ url: `/api/consultations/${c.id}/comments?status=pending`, headers: asActor(actor) })).json<{ total: number }>().total;
      const open = items.filter((c) => c.phase === 'open').length;
      const closed = items.filter((c) => c.phase === 'closed').length;
      const parts = [open ? `征集中 ${open} 项` : '', closed ? `已截止待公布 ${closed} 项` : '', toModerate ? `待审核意见 ${toModerate} 条` : ''].filter(Boolean);
      return parts.length === 0 ? '没有征集中或待处理的事项' : parts.join(' · ');
    };
    const home = async (actor: Actor) => {
      const r = await t.app.inject({ url: '/workbench', headers: { ...asActor(actor), accept: 'text/html' } });
      expect(r.statusCode).toBe(200);
      return r.body;
    };
    const a = await expected(clerkA);
    expect(a).not.toBe('没有征集中或待处理的事项'); // the earlier tests left consultations in Jiang'an
    expect(await home(clerkA)).toContain(a);
    expect(await home(clerkB)).toContain(await expected(clerkB));
    // A newly published consultation and a comment on it count at once.
    const made = await create(clerkA, { kind: 'draft', title: '首页计数用草案', body: '<p>正文</p>', opensAt: iso(-HOUR), closesAt: iso(24 * HOUR), participation: 'real_name' });
    expect(made.statusCode).toBe(201);
    expect((await publish(headA, made.json())).statusCode).toBe(200);
    const figure = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);
    const published = await expected(clerkA);
    expect(figure(published, /征集中 (\d+) 项/)).toBe(figure(a, /征集中 (\d+) 项/) + 1);
    const sent = await comment(citizen(2, '赵六'), made.json<{ id: string }>().id, { body: '建议在整治期间公布施工时间。' });
    expect(sent.statusCode).toBe(201);
    const after = await expected(clerkA);
    expect(figure(after, /待审核意见 (\d+) 条/)).toBe(figure(published, /待审核意见 (\d+) 条/) + (sent.json<{ status: string }>().status === 'pending' ? 1 : 0));
    expect(await home(clerkA)).toContain(after);
  });

  it('writes audit entries for changes and refusals', async () => {
    const rows = await sql<{ action: string; outcome: string }>`SELECT action, outcome FROM audit.entry WHERE object_id = ${draft.id} ORDER BY id`.execute(t.platform.db);
    const actions = rows.rows.map((r) => `${r.action}:${r.outcome}`);
    for (const a of ['consultation.create:success', 'consultation.publish:success', 'consultation.publish:denied', 'consultation.close:success', 'consultation.feedback:success', 'consultation.conclude:success', 'consultation.export:success']) {
      expect(actions).toContain(a);
    }
    const comments = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_type = 'consultation_comment'`.execute(t.platform.db);
    expect(comments.rows.map((r) => r.action)).toEqual(expect.arrayContaining(['consultation.comment', 'consultation.moderate']));
  });

  it('re-renders the workbench form with Chinese errors, and refuses a forged CSRF token', async () => {
    const r = await form(t, '/workbench/consultations?kind=survey', { title: '', questionsText: '问答 | 什么', opensAt: '2026-13-01 09:00', closesAt: '', participation: 'x' }, { actor: clerkA });
    expect(r.statusCode).toBe(400);
    for (const m of ['请填写标题', '第 1 行应以题型开头', '请填写开始时间', '请填写截止时间', '请选择参与方式']) expect(r.body).toContain(m);
    expect(r.body).toContain('问答 | 什么');
    const forged = await t.app.inject({
      method: 'POST',
      url: `/consultations/${survey.id}/responses`,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${CSRF}` },
      payload: `_csrf=forged-token-forged-token-forged-token&submissionId=${crypto.randomUUID()}&q1=0&q3=3`,
    });
    expect(forged.statusCode).toBe(403);
    // Workbench forms post text: the version arrives as digits and still guards against stale edits.
    const current = (await t.app.inject({ url: `/api/consultations/${survey.id}`, headers: asActor(headA) })).json();
    const stale = await form(t, `/workbench/consultations/${survey.id}/close`, { version: String(current.version + 1) }, { actor: headA });
    expect(stale.statusCode).toBe(409);
    const close = await form(t, `/workbench/consultations/${survey.id}/close`, { version: String(current.version) }, { actor: headA });
    expect(close.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/api/consultations/${survey.id}`, headers: asActor(headA) })).json().phase).toBe('closed');
  });
});
