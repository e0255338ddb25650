import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SaxesParser } from 'saxes';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { todayInShanghai } from '../../platform/codes/validators.ts';
import { createJurisdictionsModule, seedJurisdictions } from '../jurisdictions/index.ts';

type Staff = ReturnType<typeof buildStaff>;

/** Well-formedness check with a strict XML parser; returns the texts of the given element. */
function parseXml(xml: string, element: string): string[] {
  const parser = new SaxesParser();
  const texts: string[] = [];
  let inside = false;
  const errors: Error[] = [];
  parser.on('error', (e) => {
    errors.push(e);
  });
  parser.on('opentag', (tag) => {
    if (tag.name === element) {
      inside = true;
      texts.push('');
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === element) inside = false;
  });
  parser.on('text', (text) => {
    if (inside) texts[texts.length - 1] += text;
  });
  parser.write(xml).close();
  if (errors.length > 0) throw errors[0]!;
  return texts;
}
interface Pub {
  id: string;
  version: number;
  status: string;
  indexNumber: string | null;
  dueOn: string;
}

/**
 * Proactive disclosure on a real database: the drafter → 保密审查 → publisher workflow,
 * permissions and the cross-county scope matrix, index numbers and collisions, withdrawal
 * and revision history, overdue alerts, feeds and sitemap, import idempotency.
 */
describe('disclosure: workflow, scope, index numbers, feeds, import', () => {
  let t: TestApp;
  let jiangan: { organisationId: string; organisationName: string; jurisdictionCode: string };
  let daye: { organisationId: string; organisationName: string; jurisdictionCode: string };
  let clerkA: Staff, headA: Staff, clerkB: Staff, headB: Staff, wuhanSupervisor: Staff, provinceSupervisor: Staff, sysadmin: Staff;
  let published: Pub;

  const api = (actor: Staff, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...asActor(actor), ...headers }, ...(payload ? { payload } : {}) });
  // Written today (Beijing time): a draft written on a fixed day would turn overdue once the real
  // clock passed its 20 working days, and the overdue sweep would then alert on it mid-test.
  const draft = (over: Record<string, unknown> = {}) => ({
    title: '关于江岸区政务服务中心延时服务的通知',
    docNumber: '岸政务〔2026〕3号',
    writtenOn: todayInShanghai(),
    categoryCode: 'fgwj-qtwj',
    genre: '通知',
    body: '<p>为方便群众办事，区政务服务中心在工作日延时服务至19:00。</p><script>alert(1)</script><img src=x onerror=alert(1)>',
    ...over,
  });
  async function createAndPublish(actorDraft: Staff, actorHead: Staff, over: Record<string, unknown> = {}): Promise<Pub> {
    const c = await api(actorDraft, 'POST', '/api/disclosure/staff/publications', draft(over));
    expect(c.statusCode, c.body).toBe(201);
    let p = c.json<Pub>();
    p = (await api(actorDraft, 'POST', `/api/disclosure/staff/publications/${p.id}/submit`, { version: p.version })).json<Pub>();
    p = (await api(actorHead, 'POST', `/api/disclosure/staff/publications/${p.id}/review`, { version: p.version, decision: 'pass', opinion: '不涉密，同意公开' })).json<Pub>();
    const r = await api(actorHead, 'POST', `/api/disclosure/staff/publications/${p.id}/publish`, { version: p.version });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<Pub>();
  }

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    await seedJurisdictions(t.platform);
    const orgs = createJurisdictionsModule(t.platform).service;
    const find = async (name: string) => {
      const o = (await orgs.listOrganisations({ kind: 'system', name: 'test' }, { q: name }, { page: 1, pageSize: 5 })).items.find((x) => x.name === name);
      if (!o) throw new Error(name);
      return { organisationId: o.id, organisationName: o.name, jurisdictionCode: o.jurisdictionCode };
    };
    jiangan = await find('武汉市江岸区政务服务和大数据管理局');
    daye = await find('大冶市政务服务和大数据管理局');
    clerkA = buildStaff({ ...jiangan, roles: ['clerk'] });
    headA = buildStaff({ ...jiangan, roles: ['org_head'] });
    clerkB = buildStaff({ ...daye, roles: ['clerk'] });
    headB = buildStaff({ ...daye, roles: ['org_head'] });
    wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
    provinceSupervisor = buildStaff({ organisationId: 'org-hb', jurisdictionCode: '420000', roles: ['province_supervisor'] });
    sysadmin = buildStaff({ organisationId: 'org-hb', jurisdictionCode: '420000', roles: ['sysadmin'] });
  });
  afterAll(async () => t?.stop());

  it('runs drafter → confidentiality review → publisher, sanitising the body and allocating an index number', async () => {
    const c = await api(clerkA, 'POST', '/api/disclosure/staff/publications', draft({ writtenOn: '2026-11-02' }));
    expect(c.statusCode, c.body).toBe(201);
    let p = c.json<Pub & { bodyHtml: string }>();
    expect(p.status).toBe('draft');
    expect(p.bodyHtml).not.toMatch(/script|onerror|<img/);
    // 20 working days after 2026-11-02 (Mon): 2026-11-30.
    expect(p.dueOn).toBe('2026-11-30');
    // A clerk can neither review nor publish.
    expect((await api(clerkA, 'POST', `/api/disclosure/staff/publications/${p.id}/publish`, { version: p.version })).statusCode).toBe(403);
    p = (await api(clerkA, 'POST', `/api/disclosure/staff/publications/${p.id}/submit`, { version: p.version })).json();
    expect(p.status).toBe('in_review');
    expect((await api(clerkA, 'POST', `/api/disclosure/staff/publications/${p.id}/review`, { version: p.version, decision: 'pass', opinion: 'x' })).statusCode).toBe(403);
    // The reviewer must give an opinion.
    const noOpinion = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/review`, { version: p.version, decision: 'pass' });
    expect(noOpinion.statusCode).toBe(400);
    expect(noOpinion.json().errors[0].field).toBe('opinion');
    // Returned for changes, edited, submitted again, passed.
    p = (await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/review`, { version: p.version, decision: 'return', opinion: '第二段含有个人手机号，请删除' })).json();
    expect(p.status).toBe('draft');
    const edited = await api(clerkA, 'PATCH', `/api/disclosure/staff/publications/${p.id}`, { version: p.version, ...draft({ body: '为方便群众办事，延时服务至19:00。' }) });
    expect(edited.statusCode, edited.body).toBe(200);
    p = edited.json();
    p = (await api(clerkA, 'POST', `/api/disclosure/staff/publications/${p.id}/submit`, { version: p.version })).json();
    p = (await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/review`, { version: p.version, decision: 'pass', opinion: '不涉及国家秘密和个人隐私，同意公开' })).json();
    expect(p.status).toBe('approved');
    const stale = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/publish`, { version: p.version - 1 });
    expect(stale.statusCode).toBe(409);
    const pub = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/publish`, { version: p.version });
    expect(pub.statusCode, pub.body).toBe(200);
    published = pub.json();
    expect(published.status).toBe('published');
    // Default template {orgCode}/{yyyy}-{seq:5}: the organisation code inside the USCC.
    expect(published.indexNumber).toMatch(/^[0-9A-Z]{8}[0-9X]\/\d{4}-00001$/);

    const page = await t.app.inject({ url: `/disclosure/publications/${published.id}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    for (const label of ['索引号', '发布机构', '成文日期', '发布日期', '文号', '主题分类', '有效性']) expect(page.body).toContain(label);
    expect(page.body).toContain(published.indexNumber);
    expect(page.body).toContain('岸政务〔2026〕3号');

    const actions = (await sql<{ action: string; outcome: string }>`SELECT action, outcome FROM audit.entry WHERE object_id = ${published.id} ORDER BY id`.execute(t.platform.db)).rows.map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toContain('disclosure.create:success');
    expect(actions).toContain('disclosure.review.return:success');
    expect(actions).toContain('disclosure.review.pass:success');
    expect(actions).toContain('disclosure.publish:success');
  });

  it('feeds the one search box on publish and takes it out on withdrawal', async () => {
    const found = await t.platform.search.query({ text: '延时服务', filters: { kinds: ['publication'] } });
    expect(found.hits.map((h) => h.key)).toContain(`publication:${published.id}`);
  });

  it('keeps drafts out of other counties, supervisors read their subtree only, the sysadmin nothing', async () => {
    const d = await api(clerkB, 'POST', '/api/disclosure/staff/publications', draft({ title: '大冶市乡镇便民服务中心帮办代办公告', docNumber: '' }));
    expect(d.statusCode, d.body).toBe(201);
    const list = async (actor: Staff) => (await api(actor, 'GET', '/api/disclosure/staff/publications')).json<{ items: { jurisdictionCode: string }[] }>().items.map((i) => i.jurisdictionCode);
    expect(new Set(await list(clerkA))).toEqual(new Set(['420102']));
    expect(new Set(await list(clerkB))).toEqual(new Set(['420281']));
    expect(new Set(await list(wuhanSupervisor))).toEqual(new Set(['420102']));
    expect(new Set(await list(provinceSupervisor))).toEqual(new Set(['420102', '420281']));
    expect((await api(sysadmin, 'GET', '/api/disclosure/staff/publications')).statusCode).toBe(403);
    const foreign = d.json<Pub>();
    expect((await api(clerkA, 'GET', `/api/disclosure/staff/publications/${foreign.id}`)).statusCode).toBe(404);
    expect((await api(headA, 'POST', `/api/disclosure/staff/publications/${foreign.id}/submit`, { version: 1 })).statusCode).toBe(404);
    expect((await api(headB, 'POST', `/api/disclosure/staff/publications/${published.id}/withdraw`, { version: published.version, reason: '越权' })).statusCode).toBe(404);
    expect((await api(wuhanSupervisor, 'GET', `/api/disclosure/staff/publications/${foreign.id}`)).statusCode).toBe(404);
    expect((await api(provinceSupervisor, 'GET', `/api/disclosure/staff/publications/${foreign.id}`)).statusCode).toBe(200);
    expect((await api(provinceSupervisor, 'PATCH', `/api/disclosure/staff/publications/${foreign.id}`, { version: 1, title: '改' })).statusCode).toBe(403);
    // Drafts are not public.
    expect((await t.app.inject({ url: `/disclosure/publications/${foreign.id}` })).statusCode).toBe(404);
    const page = await t.app.inject({ url: '/workbench/disclosure', headers: { ...asActor(clerkA), accept: 'text/html' } });
    expect(page.body).not.toContain('大冶市乡镇便民服务中心');
  });

  it('refuses an index number collision clearly and keeps the draft unpublished', async () => {
    // The county configures its own template (per jurisdiction) — the next number it would give is already taken by an import.
    await sql`INSERT INTO registry.number_generator (id, name, template, scope, description, tag) VALUES ('index-number-jiangan', '江岸区索引号', 'JA-{yyyy}-{seq:3}', 'org+year', '', 'practice')`.execute(t.platform.db);
    await sql`INSERT INTO disclosure.index_rule (jurisdiction_code, generator_id) VALUES ('420102', 'index-number-jiangan')`.execute(t.platform.db);
    const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    const imported = await createAndPublishImported(`JA-${year}-001`);
    expect(imported.indexNumber).toBe(`JA-${year}-001`);
    let p = (await api(clerkA, 'POST', '/api/disclosure/staff/publications', draft({ title: '撞号测试' }))).json<Pub>();
    p = (await api(clerkA, 'POST', `/api/disclosure/staff/publications/${p.id}/submit`, { version: p.version })).json();
    p = (await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/review`, { version: p.version, decision: 'pass', opinion: '同意' })).json();
    const clash = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/publish`, { version: p.version });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('ZW_ERR_DUPLICATE');
    expect(clash.json().detail).toContain(`JA-${year}-001`);
    expect((await api(headA, 'GET', `/api/disclosure/staff/publications/${p.id}`)).json().status).toBe('approved');
    // The taken number is skipped (it is in use, so no gap among issued numbers): the retry gets 002.
    const again = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/publish`, { version: p.version });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().indexNumber).toBe(`JA-${year}-002`);
    const denied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE object_id = ${p.id} AND action = 'disclosure.publish' AND outcome = 'denied'`.execute(t.platform.db);
    expect(denied.rows[0]!.n).toBe(1);
  });

  async function createAndPublishImported(indexNumber: string): Promise<Pub> {
    const r = await api(headA, 'POST', '/api/disclosure/imports', {
      rows: [{ sourceId: `old-${indexNumber}`, title: '旧网站迁移文件', writtenOn: '2020-03-01', publishedAt: '2020-03-05', indexNumber, category: '规划信息', genre: '通知', body: '旧网站正文' }],
    });
    expect(r.statusCode, r.body).toBe(202);
    const run = await waitForImport(r.json<{ id: string }>().id);
    expect(run.report[0]?.outcome, JSON.stringify(run.report)).toBe('created');
    return (await api(headA, 'GET', `/api/disclosure/staff/publications/${run.report[0]!.publicationId}`)).json<Pub>();
  }

  async function waitForImport(id: string) {
    for (let i = 0; i < 100; i++) {
      const run = (await api(headA, 'GET', `/api/disclosure/imports/${id}`)).json<{ status: string; report: { outcome: string; message: string; publicationId?: string; sourceId: string }[]; created: number; skipped: number; failed: number }>();
      if (run.status === 'done' || run.status === 'failed') return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('import did not finish');
  }

  it('imports idempotently by source id, reporting broken rows without applying them', async () => {
    const rows = [
      { sourceId: 'ja-old-1', title: '江岸区2019年政府信息公开工作年度报告', writtenOn: '2020-01-20', publishedAt: '2020-01-31', category: 'qt', genre: '报告', body: '<p>年度报告正文</p>' },
      { sourceId: 'ja-old-2', title: '缺附件的旧文件', writtenOn: '2020-02-01', category: 'qt', genre: '通知', body: '正文', attachments: ['missing.pdf'] },
      { sourceId: 'ja-old-3', title: '', writtenOn: '2020-02-01', category: 'qt', genre: '通知', body: '正文' },
    ];
    const first = await waitForImport((await api(headA, 'POST', '/api/disclosure/imports', { rows })).json<{ id: string }>().id);
    expect(first.report.map((r) => r.outcome)).toEqual(['created', 'failed', 'failed']);
    expect(first.report[1]!.message).toContain('missing.pdf');
    expect(first.report[2]!.message).toContain('标题');
    const second = await waitForImport((await api(headA, 'POST', '/api/disclosure/imports', { rows })).json<{ id: string }>().id);
    expect(second.report.map((r) => r.outcome)).toEqual(['skipped', 'failed', 'failed']);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM disclosure.publication WHERE source_id LIKE ${'import:%:ja-old-%'}`.execute(t.platform.db);
    expect(n.rows[0]!.n).toBe(1);
    // CSV with Chinese headers.
    const csv = '来源编号,标题,成文日期,主题分类,文种,正文\r\nja-old-9,"江岸区规划, 含逗号的标题",2021-05-06,规划信息,规划,"第一段\n第二段"\r\n';
    const run = await waitForImport((await api(headA, 'POST', '/api/disclosure/imports', { fileName: 'old.csv', content: csv })).json<{ id: string }>().id);
    expect(run.report[0]?.outcome, JSON.stringify(run.report)).toBe('created');
  });

  it('withdraws with a reason and revises with history shown publicly', async () => {
    const p = await createAndPublish(clerkA, headA, { title: '将被修订的公开信息', writtenOn: '2026-11-03' });
    const noReason = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/revise`, { version: p.version, ...draft({ title: '将被修订的公开信息', validity: 'invalid' }) });
    expect(noReason.statusCode).toBe(400);
    const revised = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/revise`, { version: p.version, ...draft({ title: '将被修订的公开信息', validity: 'invalid' }), reason: '该文件已被新文件替代，标注为失效' });
    expect(revised.statusCode, revised.body).toBe(200);
    expect(revised.json().indexNumber).toBe(p.indexNumber);
    const page = await t.app.inject({ url: `/disclosure/publications/${p.id}` });
    expect(page.body).toContain('该文件已被新文件替代');
    expect(page.body).toContain('失效');
    const w = await api(headA, 'POST', `/api/disclosure/staff/publications/${p.id}/withdraw`, { version: revised.json().version, reason: '内容有误，撤销公开' });
    expect(w.statusCode).toBe(200);
    const gone = await t.app.inject({ url: `/disclosure/publications/${p.id}` });
    expect(gone.body).toContain('本信息已撤销公开');
    expect(gone.body).not.toContain('延时服务至19:00');
    const found = await t.platform.search.query({ text: '将被修订', filters: { kinds: ['publication'] } });
    expect(found.hits.map((h) => h.key)).not.toContain(`publication:${p.id}`);
  });

  it('links an interpretation to its policy both ways', async () => {
    const interp = await createAndPublish(clerkA, headA, { title: '《延时服务通知》政策解读', categoryCode: 'zcjd', genre: '解读', interpretsId: published.id, docNumber: '' });
    const policyPage = await t.app.inject({ url: `/disclosure/publications/${published.id}` });
    expect(policyPage.body).toContain('相关政策解读');
    expect(policyPage.body).toContain(`/disclosure/publications/${interp.id}`);
    const interpJson = await t.app.inject({ url: `/api/disclosure/publications/${interp.id}` });
    expect(interpJson.json().interprets).toEqual([published.id]);
    const wrong = await api(clerkA, 'POST', '/api/disclosure/staff/publications', draft({ interpretsId: published.id }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('interpretsId');
  });

  it('raises an overdue alert once for an unpublished publication past its 20 working days', async () => {
    const late = (await api(clerkA, 'POST', '/api/disclosure/staff/publications', draft({ title: '逾期未公开的文件', writtenOn: '2026-01-05' }))).json<Pub>();
    await t.platform.transactor.run({ actor: { kind: 'system', name: 'test' }, requestId: 'overdue', clientIp: null }, async (uow) => {
      await uow.enqueue({ queue: 'disclosure.overdue', dedupeKey: 'overdue-test' });
    });
    let alerts: { items: { publicationId: string }[] } = { items: [] };
    for (let i = 0; i < 50 && !alerts.items.some((a) => a.publicationId === late.id); i++) {
      await new Promise((r) => setTimeout(r, 100));
      alerts = (await api(wuhanSupervisor, 'GET', '/api/disclosure/alerts?open=true')).json();
    }
    expect(alerts.items.map((a) => a.publicationId)).toContain(late.id);
    expect((await api(clerkB, 'GET', '/api/disclosure/alerts')).json().items).toEqual([]);
    const list = await t.app.inject({ url: '/workbench/disclosure', headers: { ...asActor(clerkA), accept: 'text/html' } });
    expect(list.body).toContain('badge bad');
    expect(list.body).toContain('已超期');
  });

  it('serves the portal, valid RSS feeds per jurisdiction and category, and a sitemap', async () => {
    const portal = await t.app.inject({ url: '/disclosure/420102' });
    expect(portal.statusCode).toBe(200);
    expect(portal.body).toContain('公开目录');
    expect(portal.body).toContain('关于江岸区政务服务中心延时服务的通知');
    const otherCounty = await t.app.inject({ url: '/disclosure/420281' });
    expect(otherCounty.body).not.toContain('关于江岸区政务服务中心延时服务的通知');
    expect(otherCounty.body).toContain('本栏目暂无公开信息');
    const empty = await t.app.inject({ url: '/disclosure/420102?category=xzcf' });
    expect(empty.body).toContain('本栏目暂无公开信息');
    expect((await t.app.inject({ url: '/disclosure/999999' })).statusCode).toBe(404);

    for (const url of ['/disclosure/feed.xml', '/disclosure/420100/feed.xml', '/disclosure/420102/feed.xml?category=fgwj', '/disclosure/sitemap.xml']) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(() => parseXml(r.body, 'loc'), url).not.toThrow();
    }
    const titles = parseXml((await t.app.inject({ url: '/disclosure/420102/feed.xml' })).body, 'title');
    expect(titles).toContain('关于江岸区政务服务中心延时服务的通知');
    expect(() => parseXml('<rss><channel><title>a & b</title></channel></rss>', 'title')).toThrow();
    const sitemap = (await t.app.inject({ url: '/disclosure/sitemap.xml' })).body;
    expect(sitemap).toContain(`/disclosure/publications/${published.id}`);

    const json = await t.app.inject({ url: '/api/disclosure/publications?division=420102&category=fgwj' });
    expect(json.statusCode).toBe(200);
    expect(json.json().items.map((i: { id: string }) => i.id)).toContain(published.id);
    expect((await t.app.inject({ url: '/api/disclosure/publications?category=nope' })).statusCode).toBe(400);
  });

  it('re-renders the HTML form with Chinese errors and never duplicates a retried submission', async () => {
    const cookie = 'zw_csrf=abcdefghijklmnopqrstuvwxyz0123456789';
    const form = (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/workbench/disclosure',
        headers: { ...asActor(clerkA), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
        payload: new URLSearchParams({ _csrf: 'abcdefghijklmnopqrstuvwxyz0123456789', ...fields }).toString(),
      });
    const bad = await form({ title: '', writtenOn: '2026-13-40', categoryCode: '', genre: '通知', body: '', docNumber: '岸政〔26〕01号' });
    expect(bad.statusCode).toBe(400);
    for (const msg of ['请填写标题', '成文日期应为有效日期', '请选择主题分类', '请填写正文', '文号格式']) expect(bad.body).toContain(msg);
    expect(bad.body).toContain('岸政〔26〕01号');
    const fields = { idempotencyKey: 'c0ffee00-retry-key', title: '重复提交测试', writtenOn: '2026-11-02', categoryCode: 'qt', genre: '通知', body: '正文' };
    const one = await form(fields);
    const two = await form(fields);
    expect(one.statusCode).toBe(303);
    expect(two.headers.location).toBe(one.headers.location);
  });

  it('reports per-organisation statistics for the annual report', async () => {
    const { createDisclosureStats } = await import('./stats.ts');
    const { PublicationRepository } = await import('./publication.repository.ts');
    const stats = createDisclosureStats(new PublicationRepository(t.platform.db));
    const rows = await stats(2026, [jiangan.organisationId]);
    const total = rows.reduce((s, r) => s + r.published, 0);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.organisationId === jiangan.organisationId)).toBe(true);
    expect(rows.reduce((s, r) => s + r.withdrawn, 0)).toBe(1);
  });

  it('renders the workbench pages with the buttons the actor may use', async () => {
    const p = (await api(clerkA, 'POST', '/api/disclosure/staff/publications', draft({ title: '页面测试文件' }))).json<Pub>();
    const html = (actor: Staff, url: string) => t.app.inject({ url, headers: { ...asActor(actor), accept: 'text/html' } });
    const asClerk = await html(clerkA, `/workbench/disclosure/${p.id}`);
    expect(asClerk.statusCode).toBe(200);
    expect(asClerk.body).toContain('提交保密审查');
    expect(asClerk.body).not.toContain('审查通过');
    expect((await html(clerkA, `/workbench/disclosure/${p.id}/edit`)).body).toContain('修改草稿');
    // The HTML form posts the version as text.
    const csrf = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/workbench/disclosure/${p.id}/submit`,
      headers: { ...asActor(clerkA), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${csrf}` },
      payload: `_csrf=${csrf}&version=${p.version}`,
    });
    expect(submitted.statusCode, submitted.body).toBe(303);
    const asHead = await html(headA, `/workbench/disclosure/${p.id}`);
    expect(asHead.body).toContain('保密审查意见');
    expect(asHead.body).toContain('退回修改');
    const asSupervisor = await html(wuhanSupervisor, `/workbench/disclosure/${p.id}`);
    expect(asSupervisor.statusCode).toBe(200);
    expect(asSupervisor.body).not.toContain('退回修改');
    expect((await html(headA, '/workbench/disclosure/new')).body).toContain('name="idempotencyKey"');
    expect((await html(headA, '/workbench/disclosure/import')).body).toContain('enctype="multipart/form-data"');
    expect((await html(clerkA, '/workbench/disclosure/import')).statusCode).toBe(403);
    expect((await html(provinceSupervisor, '/workbench/disclosure/alerts')).body).toContain('逾期未公开的文件');
    expect((await t.app.inject({ url: '/disclosure' })).body).toContain('下级地区');
  });

  it('imports through the upload page (multipart) with attachments, progress shown', async () => {
    const boundary = '----zwtest';
    const data = JSON.stringify([{ sourceId: 'upload-1', title: '上传导入的旧文件', writtenOn: '2021-04-01', category: 'qt', genre: '通知', body: '正文', attachments: ['a.pdf', 'b.exe'] }]);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const part = (name: string, filename: string, type: string, content: Buffer | string) =>
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);
    const body = Buffer.concat([part('file', 'old.json', 'application/json', data), part('attachments', 'a.pdf', 'application/pdf', pdf), part('attachments', 'b.exe', 'application/octet-stream', Buffer.from('MZ\x90\x00binary')), Buffer.from(`--${boundary}--\r\n`)]);
    const csrf = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const r = await t.app.inject({
      method: 'POST',
      url: `/workbench/disclosure/import?_csrf=${csrf}`,
      headers: { ...asActor(headA), accept: 'text/html', cookie: `zw_csrf=${csrf}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(r.statusCode, r.body).toBe(303);
    const runId = String(r.headers.location).split('/').pop()!;
    const run = await waitForImport(runId);
    // b.exe is refused by the attachment store, so the whole document is not applied.
    expect(run.report[0]?.outcome).toBe('failed');
    expect(run.report[0]?.message).toContain('b.exe');
    const page = await t.app.inject({ url: `/workbench/disclosure/import/${runId}`, headers: { ...asActor(headA), accept: 'text/html' } });
    expect(page.body).toContain('<progress');
    expect(page.body).toContain('导入完成');
  });

  it('seeds at least 40 realistic publications across the four demo jurisdictions, idempotently', async () => {
    const mod = t.modules.find((m) => m.name === 'disclosure')!;
    // Back to the default template (the collision test gave 江岸区 one without the organisation code).
    await sql`DELETE FROM disclosure.index_rule`.execute(t.platform.db);
    await mod.seed!(t.platform);
    await mod.seed!(t.platform);
    const rows = await sql<{ code: string; n: number }>`SELECT left(jurisdiction_code, 6) AS code, count(*)::int AS n FROM disclosure.publication WHERE source_id LIKE 'seed:%' AND status = 'published' GROUP BY 1`.execute(t.platform.db);
    const by = Object.fromEntries(rows.rows.map((r) => [r.code, r.n]));
    expect(Object.values(by).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(40);
    for (const code of ['420000', '420100', '420102', '420281']) expect(by[code], code).toBeGreaterThanOrEqual(8);
    const links = await sql<{ n: number }>`SELECT count(*)::int AS n FROM disclosure.interpretation_link`.execute(t.platform.db);
    expect(links.rows[0]!.n).toBeGreaterThanOrEqual(4);
  });

  it('lets the system administrator give a jurisdiction its own index number template', async () => {
    await sql`INSERT INTO registry.number_generator (id, name, template, scope, description, tag) VALUES ('index-number-daye', '大冶市索引号', '{region6}-{orgCode}-{yyyy}-{seq:4}', 'org+year', '', 'practice') ON CONFLICT DO NOTHING`.execute(t.platform.db);
    const csrf = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const post = (actor: Staff, fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/workbench/index-numbers',
        headers: { ...asActor(actor), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${csrf}` },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    expect((await post(headB, { jurisdictionCode: '420281', generatorId: 'index-number-daye' })).statusCode).toBe(403);
    const bad = await post(sysadmin, { jurisdictionCode: '999999', generatorId: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('没有这个行政区划');
    expect(bad.body).toContain('所选编号规则不存在');
    expect((await post(sysadmin, { jurisdictionCode: '420281', generatorId: 'index-number-daye' })).statusCode).toBe(303);
    const page = await t.app.inject({ url: '/workbench/index-numbers', headers: { ...asActor(sysadmin), accept: 'text/html' } });
    expect(page.body).toContain('大冶市（420281）');
    const p = await createAndPublish(clerkB, headB, { title: '大冶市按本地模板编号的文件', docNumber: '' });
    expect(p.indexNumber).toMatch(/^420281-[0-9A-Z]{8}[0-9X]-\d{4}-0001$/);
  });

  it('lets the system administrator extend the catalog tree with a category that has its own legal period', async () => {
    const csrf = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const post = (actor: Staff, fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/workbench/open-catalog',
        headers: { ...asActor(actor), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${csrf}` },
        payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
      });
    expect((await post(headA, { code: 'hjxx', name: '环境信息' })).statusCode).toBe(403);
    const noBasis = await post(sysadmin, { code: 'hjxx', name: '环境信息', deadlineDays: '7' });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.body).toContain('须写明法律、法规依据');
    expect((await post(sysadmin, { code: 'hjxx', name: '环境信息', parentCode: 'jdjc', deadlineDays: '7', legalBasis: '《环境信息公开办法（试行）》第十一条' })).statusCode).toBe(303);
    const p = (await api(clerkA, 'POST', '/api/disclosure/staff/publications', draft({ title: '环境监测信息', categoryCode: 'hjxx', writtenOn: '2026-11-02' }))).json<Pub>();
    // 7 working days after Mon 2026-11-02.
    expect(p.dueOn).toBe('2026-11-11');
    const categories = (await t.app.inject({ url: '/api/disclosure/categories' })).json<{ items: { code: string; parentCode: string | null }[] }>().items;
    expect(categories.find((c) => c.code === 'hjxx')?.parentCode).toBe('jdjc');
  });
});
