import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { auditRow, insertAuditEntry, type AuditInput } from '../../platform/audit/audit-log.ts';

/**
 * 三员分立: only the audit administrator (安全审计员) reads the trail. The pages, the CSV
 * export and the JSON API behind one permission, 'audit.read'.
 */
interface ApiEntry {
  id: string;
  action: string;
  outcome: string;
  actor: { id: string | null; name: string; roles: string[] };
  object: { type: string; id: string | null };
  seal: { sealed: boolean; seq: number | null };
}
interface ApiPage {
  items: ApiEntry[];
  older: string | null;
  newer: string | null;
}

describe('audit trail module', () => {
  let t: TestApp;
  const auditor = buildStaff({ roles: ['auditadmin'], name: '审计员甲', organisationName: '省大数据局' });
  const sysadmin = buildStaff({ roles: ['sysadmin'], name: '系统管理员乙' });
  const secadmin = buildStaff({ roles: ['secadmin'], name: '安全管理员丙' });
  const clerk = buildStaff({ roles: ['clerk', 'org_head'], name: '王办事', organisationId: 'org-wuchang' });
  const ctx = (actor: Actor, n: number): RequestContext => ({ actor, requestId: `req-trail-${n}-abcdef`, clientIp: `10.2.0.${n % 250}` });

  const write = (actor: Actor, n: number, input: AuditInput, at?: Date) => insertAuditEntry(t.platform.db, auditRow(ctx(actor, n), input, at));
  const api = async (query: string, actor: Actor = auditor): Promise<ApiPage> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/audit/entries${query}`, headers: asActor(actor) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ApiPage>();
  };

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await write(clerk, 1, { action: 'notice.publish', objectType: 'notice', objectId: 'n-1', detail: { title: '停水通知' } });
    await write(clerk, 2, { action: 'notice.withdraw', objectType: 'notice', objectId: 'n-1' });
    await write(sysadmin, 3, { action: 'account.lock', objectType: 'account', objectId: 'acct-9', outcome: 'denied' });
    await write(secadmin, 4, { action: 'role.grant', objectType: 'account', objectId: 'acct-9', outcome: 'failure' });
    // 2025-03-01 16:30 UTC is 2025-03-02 00:30 in Beijing.
    await write(clerk, 5, { action: 'case.accept', objectType: 'case', objectId: 'case-77' }, new Date('2025-03-01T16:30:00.000Z'));
    await write(buildStaff({ roles: ['clerk'], name: '=HYPERLINK("http://evil.example","点我")' }), 6, { action: 'case.accept', objectType: 'case', objectId: '-1+1' });
    await t.auditSealer.sealPending();
  });
  afterAll(async () => t?.stop());

  it('only the audit administrator may open the trail; the other two administrators and business staff may not', async () => {
    for (const url of ['/workbench/audit', '/workbench/audit/export.csv', '/workbench/audit/verify', '/api/audit/entries']) {
      const ok = await t.app.inject({ method: 'GET', url, headers: { ...asActor(auditor), accept: 'text/html' } });
      expect(ok.statusCode, url).toBe(200);
      for (const actor of [sysadmin, secadmin, clerk]) {
        const res = await t.app.inject({ method: 'GET', url, headers: { ...asActor(actor), accept: 'application/json' } });
        expect(res.statusCode, `${url} as ${actor.kind === 'staff' ? actor.position.roles.join() : actor.kind}`).toBe(403);
      }
      const anonymous = await t.app.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect(anonymous.statusCode, url).toBe(401);
    }
    expect(t.platform.permissions.rolesWith('audit.read')).toEqual(['auditadmin']);
  });

  it('lists entries newest first with actor, role, organisation, request id, IP and seal status, in Beijing time', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/workbench/audit?action=case.accept', headers: asActor(auditor) });
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toContain('审计日志');
    expect(body).toContain('href="/workbench/audit"'); // navigation item for the auditor
    expect(body).toContain('2025-03-02 00:30:00');
    expect(body).toContain('王办事');
    expect(body).toContain('办事员、部门负责人');
    expect(body).toContain('org-wuchang');
    expect(body).toContain('req-trail-5-abcdef');
    expect(body).toContain('10.2.0.5');
    expect(body).toMatch(/已封存 #\d+/);
    // Escaped, never markup.
    expect(body).toContain('=HYPERLINK(&quot;http://evil.example&quot;');
    expect(body.indexOf('req-trail-6-abcdef')).toBeLessThan(body.indexOf('req-trail-5-abcdef'));
    expect(body).not.toContain('notice.publish');
  });

  it('shows pending entries as pending', async () => {
    await t.auditSealer.stop();
    try {
      await write(clerk, 7, { action: 'test.pending', objectType: 'case' });
      const page = await api('?action=test.pending');
      expect(page.items[0]!.seal).toEqual({ sealed: false, seq: null, hash: null, sealedAt: null });
      const res = await t.app.inject({ method: 'GET', url: '/workbench/audit?action=test.pending', headers: asActor(auditor) });
      expect(res.body).toContain('待封存');
    } finally {
      t.auditSealer.start();
    }
  });

  it('filters by actor id or name, object, action (exact or prefix), outcome and date range', async () => {
    const actions = (p: ApiPage) => p.items.map((e) => e.action);
    expect(actions(await api('?actor=王办'))).toEqual(expect.arrayContaining(['notice.publish', 'notice.withdraw', 'case.accept']));
    expect(new Set((await api('?actor=王办')).items.map((e) => e.actor.name))).toEqual(new Set(['王办事']));
    const clerkId = clerk.kind === 'staff' ? clerk.accountId : '';
    expect((await api(`?actor=${clerkId}`)).items.every((e) => e.actor.id === clerkId)).toBe(true);
    expect(actions(await api('?objectType=account&objectId=acct-9')).sort()).toEqual(['account.lock', 'role.grant']);
    expect(actions(await api('?action=notice.*')).sort()).toEqual(['notice.publish', 'notice.withdraw']);
    expect(actions(await api('?outcome=denied'))).toEqual(['account.lock']);
    expect(actions(await api('?outcome=failure'))).toEqual(['role.grant']);
    expect((await api('?from=2025-03-02&to=2025-03-02')).items.map((e) => e.object.id)).toEqual(['case-77']);
    expect((await api('?from=2025-03-01&to=2025-03-01')).items).toEqual([]);
    expect((await api('?actor=%25')).items).toEqual([]); // LIKE wildcards are matched literally
  });

  it('refuses invalid filters, naming each field in Chinese', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/workbench/audit?from=2025-02-30&outcome=maybe', headers: asActor(auditor) });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('error-summary');
    expect(page.body).toContain('起始日期');
    expect(page.body).toContain('结果');
    const json = await t.app.inject({ method: 'GET', url: '/api/audit/entries?to=tomorrow', headers: asActor(auditor) });
    expect(json.statusCode).toBe(400);
    expect(json.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['to']);
  });

  it('shows an empty state', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/workbench/audit?action=nothing.matches', headers: asActor(auditor) });
    expect(res.body).toContain('没有符合条件的审计记录');
  });

  it('pages through the trail 50 at a time, without repeats, both ways', async () => {
    for (let i = 0; i < 120; i++) await write(clerk, 1000 + i, { action: 'test.page', objectType: 'case', objectId: `p-${i}` });
    const first = await api('?action=test.page');
    expect(first.items).toHaveLength(50);
    expect(first.items[0]!.object.id).toBe('p-119');
    expect(first.newer).toBeNull();
    const second = await api(`?action=test.page&before=${first.older}`);
    const third = await api(`?action=test.page&before=${second.older}`);
    expect(second.items).toHaveLength(50);
    expect(third.items).toHaveLength(20);
    expect(third.older).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((e) => e.object.id);
    expect(new Set(ids).size).toBe(120);
    expect(ids.at(-1)).toBe('p-0');
    const back = await api(`?action=test.page&after=${third.newer}`);
    expect(back.items.map((e) => e.id)).toEqual(second.items.map((e) => e.id));

    const html = await t.app.inject({ method: 'GET', url: `/workbench/audit?action=test.page&before=${first.older}`, headers: asActor(auditor) });
    expect(html.body).toContain(`before=${second.older}`);
    expect(html.body).toContain(`after=${second.newer}`);
    expect(html.body).toContain('action=test.page');
  });

  it('exports the filtered set as CSV with a BOM and neutralised formulas, and records the export', async () => {
    const exportsBefore = (await api('?action=audit.export')).items.length;
    const res = await t.app.inject({ method: 'GET', url: '/workbench/audit/export.csv?action=case.accept', headers: asActor(auditor) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-\d{14}\.csv"$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.rawPayload.toString('utf8').slice(1);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^记录编号,时间（北京时间）,操作人编号,操作人,/);
    expect(lines).toHaveLength(3);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(text).toContain(",'-1+1,");
    expect(text).toContain('2025-03-02 00:30:00.000');
    expect(text).not.toContain('notice.publish');

    const exports = await api('?action=audit.export');
    expect(exports.items).toHaveLength(exportsBefore + 1);
    expect(exports.items[0]!.actor.name).toBe('审计员甲');
    expect(exports.items[0]).toMatchObject({ object: { type: 'audit.entry' }, outcome: 'success' });
  });

  it('shows the result of verifying the chain', async () => {
    await t.auditSealer.sealPending();
    const res = await t.app.inject({ method: 'GET', url: '/workbench/audit/verify', headers: asActor(auditor) });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('审计链完整');
    const recorded = await api('?action=audit.verify');
    expect(recorded.items[0]).toMatchObject({ outcome: 'success', actor: { name: '审计员甲' } });
  });
});
