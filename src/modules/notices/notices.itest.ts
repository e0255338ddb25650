import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';

/**
 * The cross-county matrix on the sample resource: staff of one county cannot read or
 * change another county's notices; supervisors read their subtree only.
 */
describe('notices: scope and audit', () => {
  let t: TestApp;
  const jiangan = { organisationId: 'org-jiangan-scj', organisationName: '江岸区市场监督管理局', jurisdictionCode: '420102' };
  const daye = { organisationId: 'org-daye-scj', organisationName: '大冶市市场监督管理局', jurisdictionCode: '420281' };
  const clerkA = buildStaff({ ...jiangan, roles: ['clerk'] });
  const headA = buildStaff({ ...jiangan, roles: ['org_head'] });
  const clerkB = buildStaff({ ...daye, roles: ['clerk'] });
  const headB = buildStaff({ ...daye, roles: ['org_head'] });
  const wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan-zwj', organisationName: '武汉市政务服务和大数据管理局', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
  const provinceSupervisor = buildStaff({ organisationId: 'org-hb-zwj', organisationName: '湖北省政务服务和大数据管理局', jurisdictionCode: '420000', roles: ['province_supervisor'] });
  const sysadmin = buildStaff({ organisationId: 'org-hb-zwj', jurisdictionCode: '420000', roles: ['sysadmin'] });
  let noticeA: { id: string; version: number };

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    const r = await t.app.inject({ method: 'POST', url: '/api/notices', headers: asActor(clerkA), payload: { title: '关于江岸区食品经营许可集中办理的通知', body: '第一段。\n\n第二段。' } });
    expect(r.statusCode).toBe(201);
    noticeA = r.json();
    const rb = await t.app.inject({ method: 'POST', url: '/api/notices', headers: asActor(clerkB), payload: { title: '大冶市通知', body: '正文' } });
    expect(rb.statusCode).toBe(201);
  });
  afterAll(async () => t?.stop());

  it('lists only notices in the actor scope', async () => {
    const list = async (actor: ReturnType<typeof buildStaff>) =>
      (await t.app.inject({ url: '/api/notices', headers: asActor(actor) })).json().items.map((n: { jurisdictionCode: string }) => n.jurisdictionCode);
    expect(await list(clerkA)).toEqual(['420102']);
    expect(await list(clerkB)).toEqual(['420281']);
    expect(await list(wuhanSupervisor)).toEqual(['420102']);
    expect((await list(provinceSupervisor)).sort()).toEqual(['420102', '420281']);
  });

  it.each([
    ['clerk of another county', () => clerkB],
    ['head of another county', () => headB],
  ])('refuses the %s reading, editing or publishing', async (_label, who) => {
    const actor = who();
    const get = await t.app.inject({ url: `/api/notices/${noticeA.id}`, headers: asActor(actor) });
    expect(get.statusCode).toBe(404);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/notices/${noticeA.id}`, headers: asActor(actor), payload: { version: noticeA.version, title: '篡改' } });
    expect(patch.statusCode).toBe(404);
    expect(patch.headers['content-type']).toContain('application/problem+json');
    const publish = await t.app.inject({ method: 'POST', url: `/api/notices/${noticeA.id}/publish`, headers: asActor(actor), payload: { version: noticeA.version } });
    expect([403, 404]).toContain(publish.statusCode);
    const page = await t.app.inject({ url: `/workbench/notices/${noticeA.id}`, headers: { ...asActor(actor), accept: 'text/html' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('江岸区食品经营许可');
  });

  it('lets a Wuhan supervisor read but not change, and a sysadmin do neither', async () => {
    expect((await t.app.inject({ url: `/api/notices/${noticeA.id}`, headers: asActor(wuhanSupervisor) })).statusCode).toBe(200);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/notices/${noticeA.id}`, headers: asActor(wuhanSupervisor), payload: { version: 1, title: 'x' } });
    expect(patch.statusCode).toBe(403);
    // 三员分立: the system administrator holds no business permission.
    expect((await t.app.inject({ url: '/api/notices', headers: asActor(sysadmin) })).statusCode).toBe(403);
  });

  it('the own head publishes with the right version; a stale version is a 409', async () => {
    const stale = await t.app.inject({ method: 'POST', url: `/api/notices/${noticeA.id}/publish`, headers: asActor(headA), payload: { version: noticeA.version + 5 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('ZW_ERR_CONFLICT');
    const clerkPublish = await t.app.inject({ method: 'POST', url: `/api/notices/${noticeA.id}/publish`, headers: asActor(clerkA), payload: { version: noticeA.version } });
    expect(clerkPublish.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: `/api/notices/${noticeA.id}/publish`, headers: asActor(headA), payload: { version: noticeA.version } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('published');
    const pub = await t.app.inject({ url: `/notices/${noticeA.id}`, headers: { accept: 'text/html' } });
    expect(pub.statusCode).toBe(200);
    expect(pub.body).toContain('关于江岸区食品经营许可集中办理的通知');
  });

  it('writes audit entries in the same transaction, including refusals', async () => {
    const rows = await sql<{ action: string; outcome: string; actor_id: string }>`SELECT action, outcome, actor_id FROM audit.entry WHERE object_id = ${noticeA.id} ORDER BY id`.execute(t.platform.db);
    const actions = rows.rows.map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toContain('notice.create:success');
    expect(actions).toContain('notice.publish:success');
    expect(actions).toContain('notice.edit:denied');
  });

  it('names each refused field, and leaves nothing half-written', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notices.notice`.execute(t.platform.db);
    const r = await t.app.inject({ method: 'POST', url: '/api/notices', headers: asActor(clerkA), payload: { title: '   ', body: 'x'.repeat(20001) } });
    expect(r.statusCode).toBe(400);
    const fields = r.json().errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['body', 'title']);
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/notices', headers: asActor(clerkA), payload: { title: 5, body: 'x' } });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe('title');
    const badJson = await t.app.inject({ method: 'POST', url: '/api/notices', headers: { ...asActor(clerkA), 'content-type': 'application/json' }, payload: '{"title":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe('ZW_ERR_BAD_JSON');
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM notices.notice`.execute(t.platform.db);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });

  it('re-renders the HTML form with a Chinese error summary', async () => {
    const form = await t.app.inject({
      method: 'POST',
      url: '/workbench/notices',
      headers: { ...asActor(clerkA), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: 'zw_csrf=abcdefghijklmnopqrstuvwxyz0123456789' },
      payload: '_csrf=abcdefghijklmnopqrstuvwxyz0123456789&title=&body=%E6%AD%A3%E6%96%87',
    });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('请填写标题');
    expect(form.body).toContain('error-summary');
    const forged = await t.app.inject({
      method: 'POST',
      url: '/workbench/notices',
      headers: { ...asActor(clerkA), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: 'zw_csrf=abcdefghijklmnopqrstuvwxyz0123456789' },
      payload: '_csrf=forged-token-forged-token-forged-token&title=t&body=b',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('页面已过期');
  });
});
