import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import { linearBpmn } from '../../platform/workflow/bpmn-fixtures.ts';
import { WorkflowEngine } from '../../platform/workflow/index.ts';

/** 流程定义 pages and API: validation on save, versions, publishing, scope and 三员分立. */
describe('workflow definitions over HTTP', () => {
  let t: TestApp;
  const org = { organisationId: 'org-def-a', organisationName: '江岸区行政审批局', jurisdictionCode: '420102' };
  const head = buildStaff({ ...org, roles: ['org_head'] });
  const clerk = buildStaff({ ...org, roles: ['clerk'] });
  const otherHead = buildStaff({ organisationId: 'org-def-b', organisationName: '大冶市行政审批局', jurisdictionCode: '420281', roles: ['org_head'] });
  const wuhan = buildStaff({ organisationId: 'org-wh', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
  const sysadmin = buildStaff({ organisationId: 'org-hb', jurisdictionCode: '420000', roles: ['sysadmin'] });
  const v1Xml = linearBpmn([{ id: 'A', name: '受理' }, { id: 'B', name: '决定', roles: 'org_head', extra: ' zhengwu:limit="5"' }]);
  let v1: { id: string; version: number };
  const CSRF = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const formHeaders = (actor: ReturnType<typeof buildStaff>) => ({ ...asActor(actor), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: `zw_csrf=${CSRF}` });

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    const r = await t.app.inject({ method: 'POST', url: '/api/workflows', headers: asActor(head), payload: { key: '11420102MB0000001-0001', name: '食品经营许可审批流程', xml: v1Xml, comment: '首版' } });
    expect(r.statusCode, r.body).toBe(201);
    v1 = r.json();
    const p = await t.app.inject({ method: 'POST', url: `/api/workflows/${v1.id}/publish`, headers: asActor(head) });
    expect(p.statusCode, p.body).toBe(200);
  });
  afterAll(async () => t?.stop());

  it('saves a valid definition as a draft, with its steps; the same content again is not a new version', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/workflows/${v1.id}`, headers: asActor(clerk) });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ key: '11420102MB0000001-0001', version: 1, status: 'published', steps: [{ id: 'A', name: '受理', roles: ['clerk'] }, { id: 'B', name: '决定', roles: ['org_head'], limit: '5G' }] });
    const draft = { key: '11420102MB0000001-0001', name: '食品经营许可审批流程', xml: linearBpmn([{ id: 'A', name: '受理' }, { id: 'R', name: '审查' }, { id: 'B', name: '决定', roles: 'org_head' }]) };
    const first = await t.app.inject({ method: 'POST', url: '/api/workflows', headers: asActor(head), payload: draft });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ version: 2, status: 'draft' });
    const retry = await t.app.inject({ method: 'POST', url: '/api/workflows', headers: asActor(head), payload: draft });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(first.json().id);
    const versions = await t.app.inject({ url: `/api/workflows/${v1.id}/versions`, headers: asActor(head) });
    expect(versions.json().items.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'draft'], [1, 'published']]);
  });

  it('refuses a malformed BPMN upload with the reason, and the running version stays untouched (API and page)', async () => {
    const bad = linearBpmn([{ id: 'A', name: '受理' }]).replace('<bpmn:endEvent id="E"/>', '<bpmn:endEvent id="E"/><bpmn:scriptTask id="Task_3"/>');
    const api = await t.app.inject({ method: 'POST', url: '/api/workflows', headers: asActor(head), payload: { key: '11420102MB0000001-0001', name: '坏的', xml: bad } });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(api.json())).toContain('错误：元素 Task_3（脚本任务）不受支持');

    const page = await t.app.inject({
      method: 'POST',
      url: '/workbench/workflows',
      headers: formHeaders(head),
      payload: new URLSearchParams({ _csrf: CSRF, key: '11420102MB0000001-0001', name: '坏的', xml: '<bpmn:definitions' }).toString(),
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('提交的内容有');
    expect(page.body).toContain('BPMN 文件不是有效的 XML');
    expect(page.body).toContain('&lt;bpmn:definitions'); // the upload is shown again, escaped, nothing lost

    const list = await t.app.inject({ url: '/api/workflows', headers: asActor(head) });
    const row = list.json().items.find((i: { key: string }) => i.key === '11420102MB0000001-0001');
    expect(row).toMatchObject({ publishedVersion: 1, version: 2 });
    const validate = await t.app.inject({ method: 'POST', url: '/api/workflows/validate', headers: asActor(clerk), payload: { xml: bad } });
    expect(validate.json()).toMatchObject({ valid: false });
  });

  it('the form page saves and publishes without JavaScript', async () => {
    const form = await t.app.inject({ url: '/workbench/workflows/new', headers: { ...asActor(head), accept: 'text/html' } });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="xml"');
    expect(form.body).toContain('Task_Accept'); // starts from the default flow
    expect(form.body).toContain('/assets/workflow/designer.js');
    const saved = await t.app.inject({
      method: 'POST',
      url: '/workbench/workflows',
      headers: formHeaders(head),
      payload: new URLSearchParams({ _csrf: CSRF, key: 'page-made', name: '页面新建的流程', xml: v1Xml, comment: '' }).toString(),
    });
    expect(saved.statusCode).toBe(303);
    const detail = await t.app.inject({ url: saved.headers.location as string, headers: { ...asActor(head), accept: 'text/html' } });
    expect(detail.body).toContain('页面新建的流程');
    expect(detail.body).toContain('发布此版本');
    expect(detail.body).toContain('部门负责人'); // the step table names the roles
    const id = (saved.headers.location as string).split('/').pop() as string;
    const pub = await t.app.inject({ method: 'POST', url: `/workbench/workflows/${id}/publish`, headers: formHeaders(head), payload: `_csrf=${CSRF}` });
    expect(pub.statusCode).toBe(303);
    const again = await t.app.inject({ method: 'POST', url: `/api/workflows/${id}/publish`, headers: asActor(head) });
    expect(again.statusCode).toBe(409);
  });

  it('scope: another county cannot see it; a supervisor reads; clerks cannot edit; the sysadmin has no access (三员分立)', async () => {
    expect((await t.app.inject({ url: `/api/workflows/${v1.id}`, headers: asActor(otherHead) })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: `/api/workflows/${v1.id}/publish`, headers: asActor(otherHead) })).statusCode).toBe(404);
    const others = await t.app.inject({ url: '/api/workflows', headers: asActor(otherHead) });
    expect(others.json().items.map((i: { key: string }) => i.key)).not.toContain('11420102MB0000001-0001');
    expect((await t.app.inject({ url: `/api/workflows/${v1.id}`, headers: asActor(wuhan) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/workflows', headers: asActor(clerk), payload: { key: 'x', name: 'x', xml: v1Xml } })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/workflows', headers: asActor(sysadmin) })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/workbench/workflows', headers: { ...asActor(sysadmin), accept: 'text/html' } })).statusCode).toBe(403);
  });

  it('lists definitions on the workbench page with the running version', async () => {
    const r = await t.app.inject({ url: '/workbench/workflows', headers: { ...asActor(clerk), accept: 'text/html' } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('食品经营许可审批流程');
    expect(r.body).toContain('第 1 版');
    expect(r.body).not.toContain('新建流程定义'); // clerks read only
  });

  it('lists the signed-in staff member\'s own tasks (待办) as JSON', async () => {
    const engine = new WorkflowEngine({ db: t.platform.db });
    const started = await t.platform.transactor.run({ actor: clerk, requestId: 'itest', clientIp: null }, (uow) =>
      engine.start(uow, { key: '11420102MB0000001-0001', subjectType: 'case', subjectId: 'case-api-1', organisationId: org.organisationId }),
    );
    expect(started.ok).toBe(true);
    const mine = await t.app.inject({ url: '/api/workflow/tasks?box=todo&subjectType=case', headers: asActor(clerk) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((i: { subjectId: string; name: string }) => [i.subjectId, i.name])).toEqual([['case-api-1', '受理']]);
    expect((await t.app.inject({ url: '/api/workflow/tasks?box=todo', headers: asActor(otherHead) })).json().total).toBe(0);
    expect((await t.app.inject({ url: '/api/workflow/tasks?box=done', headers: asActor(clerk) })).json().total).toBe(0);
    expect((await t.app.inject({ url: '/api/workflow/tasks' })).statusCode).toBe(401);
  });

  it('serves the bpmn-js designer island and its styles, bundled on first request', async () => {
    const js = await t.app.inject({ url: '/assets/workflow/designer.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.body.length).toBeGreaterThan(100_000);
    const css = await t.app.inject({ url: '/assets/workflow/designer.css' });
    expect(css.statusCode).toBe(200);
    const font = /\/assets\/workflow\/(bpmn-[A-Z0-9]+\.woff2)/.exec(css.body)?.[1];
    expect(font).toBeDefined();
    expect((await t.app.inject({ url: `/assets/workflow/${font}` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/assets/workflow/nothing.js' })).statusCode).toBe(404);
  });
});
