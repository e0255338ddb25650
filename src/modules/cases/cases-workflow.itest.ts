import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { bpmnDocument, flow, linearBpmn } from '../../platform/workflow/bpmn-fixtures.ts';
import { parseBpmn, WorkflowEngine } from '../../platform/workflow/index.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import { randomMobile, validCitizenId } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { createIdentityModule } from '../identity/index.ts';
import { createJurisdictionsModule } from '../jurisdictions/index.ts';
import { createRegistryModule } from '../registry/index.ts';
import type { CaseRecord } from './case.repository.ts';
import { createCasesModule } from './index.ts';
import { caseMigrations } from './migrations.ts';
import type { CaseService } from './service.ts';
import { FOOD_VALUES, fixedItems, foodLicenceItem } from './test-fixtures.ts';

/**
 * Cases on the workflow engine (issue 3), on a real database: the default flow, a custom BPMN
 * with a parallel 会签 across two roles, 退回 to an earlier step, 转办, the approval operations,
 * the to-do and copied boxes, and a running case keeping its definition version.
 */
let t: TestApp;
let service: CaseService;
let engine: WorkflowEngine;
const ORG = { id: 'org-wf-cases', name: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102' };
const plainItem = foodLicenceItem(ORG, { id: 'food-plain' });
const customItem = foodLicenceItem(ORG, { id: 'food-custom', workflowKey: 'food-countersign' });
const staffOf = { organisationId: ORG.id, organisationName: ORG.name, jurisdictionCode: ORG.jurisdictionCode };
const clerk = buildStaff({ ...staffOf, roles: ['clerk'], name: '张办事' });
const clerk2 = buildStaff({ ...staffOf, roles: ['clerk'], name: '李办事' });
const head = buildStaff({ ...staffOf, roles: ['org_head'], name: '王科长' });
const outsider = buildStaff({ organisationId: 'org-wf-other', organisationName: '大冶市市场监督管理局', jurisdictionCode: '420281', roles: ['clerk'] });
const idOf = (a: Actor) => (a.kind === 'staff' ? a.accountId : '');
let citizen: Actor;
let idNumber: string;
let mobile: string;
const ctx = (actor: Actor): RequestContext => ({ actor, requestId: `req-${Math.random()}`, clientIp: '127.0.0.1' });

const COUNTERSIGN = bpmnDocument(
  [
    '<bpmn:startEvent id="S"/>',
    '<bpmn:userTask id="Task_Accept" name="受理" zhengwu:candidateRoles="clerk"/>',
    '<bpmn:parallelGateway id="Fork"/>',
    '<bpmn:userTask id="Sign_Clerk" name="业务科会签" zhengwu:candidateRoles="clerk"/>',
    '<bpmn:userTask id="Sign_Head" name="负责人会签" zhengwu:candidateRoles="org_head"/>',
    '<bpmn:parallelGateway id="Join"/>',
    '<bpmn:userTask id="Task_Decide" name="决定" zhengwu:candidateRoles="org_head"/>',
    '<bpmn:endEvent id="E"/>',
    flow('F1', 'S', 'Task_Accept'),
    flow('F2', 'Task_Accept', 'Fork'),
    flow('F3', 'Fork', 'Sign_Clerk'),
    flow('F4', 'Fork', 'Sign_Head'),
    flow('F5', 'Sign_Clerk', 'Join'),
    flow('F6', 'Sign_Head', 'Join'),
    flow('F7', 'Join', 'Task_Decide'),
    flow('F8', 'Task_Decide', 'E'),
  ].join('\n'),
  { processId: 'Process_countersign', name: '食品经营许可（会签）' },
);

async function publish(key: string, xml: string, version: number) {
  const parsed = await parseBpmn(xml);
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  await t.platform.transactor.run(systemContext('test'), async (uow) => {
    const row = await engine.repo.insertDefinition(uow.tx, { organisationId: ORG.id, organisationName: ORG.name, jurisdictionCode: ORG.jurisdictionCode, key, version, name: key, xml, model: parsed.model, comment: '', createdBy: 'test' });
    if (!row) throw new Error('definition not inserted');
    await engine.repo.publishDefinition(uow.tx, row, 'test');
  });
}

async function accepted(itemId: string): Promise<CaseRecord> {
  const up = async (label: string) => {
    const r = await service.uploadMaterial(ctx(citizen), { source: SAMPLES.pdf, fileName: `${label}.pdf`, claimedType: 'application/pdf', label });
    if (!r.ok) throw new Error(r.message);
    return r.value.attachment_id;
  };
  const s = await service.submit(ctx(citizen), { itemId, idempotencyKey: null, values: FOOD_VALUES(idNumber, mobile), materials: [{ code: 'M1', attachmentId: await up('营业执照') }, { code: 'M2', attachmentId: await up('平面图') }] });
  if (!s.ok) throw new Error(s.message);
  const a = await service.act(ctx(clerk), s.value.record.id, s.value.record.version, { action: 'accept' });
  if (!a.ok) throw new Error(a.message);
  return a.value;
}

const ok = (r: { ok: boolean; message?: string; value?: CaseRecord }): CaseRecord => {
  if (!r.ok || !r.value) throw new Error(r.message);
  return r.value;
};
const openSteps = async (c: CaseRecord) => (await engine.openTasks(t.platform.db, c.workflow_instance_id ?? '')).map((x) => x.name).sort();

beforeAll(async () => {
  t = await startTestApp();
  await migrate(t.platform.db, [{ module: 'cases', migrations: caseMigrations }]);
  const registry = createRegistryModule(t.platform);
  const identity = createIdentityModule(t.platform, { organisations: createJurisdictionsModule(t.platform).service });
  engine = new WorkflowEngine({ db: t.platform.db });
  citizen = { kind: 'citizen', accountId: crypto.randomUUID(), displayName: '张三', realNameLevel: 2 };
  idNumber = validCitizenId();
  mobile = randomMobile();
  const staff = [clerk, clerk2, head, outsider].filter((a) => a.kind === 'staff');
  const cases = createCasesModule(t.platform, {
    items: fixedItems([plainItem, customItem]),
    numbers: registry.numbers,
    calendars: registry.calendars,
    cipher: identity.secretCipher('cases'),
    applicants: { mobileForDelivery: () => Promise.resolve(null) },
    workflow: engine,
    // The identity port over the test's staff (accounts built in memory, as the header authenticator does).
    staff: { findStaff: (id) => Promise.resolve(staff.filter((a) => a.kind === 'staff' && a.accountId === id).map((a) => (a.kind === 'staff' ? { accountId: a.accountId, displayName: a.displayName, positions: [{ organisationId: a.position.organisationId }] } : null))[0] ?? null) },
  });
  if (!t.platform.permissions.get('case.read')) t.platform.permissions.register(cases.manifest.permissions, cases.manifest.grants);
  service = cases.service;
  await publish('food-countersign', COUNTERSIGN, 1);
});
afterAll(async () => {
  await t?.stop();
});

describe('cases on the workflow engine', () => {
  it('runs the default flow 受理 → 审查 → 决定 → 办结, checking who may act on each step', async () => {
    let c = await accepted(plainItem.id);
    expect(c).toMatchObject({ state: 'IN_PROCESS', node_index: 0, step_name: '受理', workflow_key: 'default' });
    expect(c.workflow_version).toBeGreaterThanOrEqual(1);
    // The head holds no task at 受理; a clerk of another organisation does not see the case.
    expect(await service.act(ctx(head), c.id, c.version, { action: 'pass' })).toMatchObject({ ok: false, reason: 'forbidden', message: '“受理”环节应由办事员办理' });
    expect(await service.act(ctx(outsider), c.id, c.version, { action: 'pass' })).toMatchObject({ ok: false, reason: 'not_found' });
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'pass', opinion: '材料齐全' }));
    expect(c).toMatchObject({ node_index: 1, step_name: '审查' });
    // Not yet at the decision step
    expect(await service.act(ctx(head), c.id, c.version, { action: 'approve' })).toMatchObject({ ok: false, reason: 'conflict' });
    c = ok(await service.act(ctx(clerk2), c.id, c.version, { action: 'pass', opinion: '审查通过' }));
    expect(c).toMatchObject({ node_index: 2, step_name: '决定' });
    expect(await service.act(ctx(clerk), c.id, c.version, { action: 'pass' })).toMatchObject({ ok: false, reason: 'forbidden' });
    c = ok(await service.act(ctx(head), c.id, c.version, { action: 'approve', reason: '符合条件', certificateNo: 'JY14201020000001' }));
    expect(c).toMatchObject({ state: 'APPROVED', clock_kind: 'issue', step_name: '办结' });
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'result' }));
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'deliver', method: 'electronic' }));
    expect(c.state).toBe('CLOSED');
    const instance = await engine.instance(t.platform.db, c.workflow_instance_id ?? '');
    expect(instance?.state).toBe('completed');
    const history = await engine.history(t.platform.db, c.workflow_instance_id ?? '');
    expect(history.map((x) => [x.name, x.state, x.outcome])).toEqual([
      ['受理', 'done', null],
      ['审查', 'done', null],
      ['决定', 'done', 'approve'],
      ['办结', 'done', null],
    ]);
    const audits = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id IN (${c.id}, ${c.workflow_instance_id ?? ''}, ${history[0]!.id}) ORDER BY id`.execute(t.platform.db);
    expect(audits.rows.map((a) => a.action)).toEqual(expect.arrayContaining(['workflow.instance.start', 'case.openNode', 'workflow.task.complete', 'case.passNode', 'case.approve', 'case.close']));
  });

  it('waits for both signers of a parallel 会签 across two roles before the decision', async () => {
    let c = await accepted(customItem.id);
    expect(c).toMatchObject({ workflow_key: 'food-countersign', workflow_version: 1, step_name: '受理' });
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'pass' }));
    expect(await openSteps(c)).toEqual(['业务科会签', '负责人会签']);
    expect(c.node_index).toBe(1);
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'pass', opinion: '业务科同意' }));
    // One signer done: still waiting for the head; the head cannot decide yet.
    expect(await openSteps(c)).toEqual(['负责人会签']);
    expect(await service.act(ctx(clerk), c.id, c.version, { action: 'pass' })).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await service.act(ctx(head), c.id, c.version, { action: 'approve' })).toMatchObject({ ok: false, reason: 'conflict' });
    c = ok(await service.act(ctx(head), c.id, c.version, { action: 'pass', opinion: '同意' }));
    expect(c).toMatchObject({ node_index: 2, step_name: '决定' });
    c = ok(await service.act(ctx(head), c.id, c.version, { action: 'refuse', reason: '场所不符合要求' }));
    expect(c).toMatchObject({ state: 'REFUSED' });
    expect((await engine.instance(t.platform.db, c.workflow_instance_id ?? ''))?.state).toBe('completed');
  });

  it('returns to an earlier step the engine names, with a reason', async () => {
    let c = await accepted(plainItem.id);
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'pass' }));
    c = ok(await service.act(ctx(clerk), c.id, c.version, { action: 'pass' }));
    expect(c.step_name).toBe('决定');
    const view = await service.flowView(head, c);
    expect(view?.returnTargets.map((x) => x.name)).toEqual(['受理', '审查']);
    expect(await service.act(ctx(head), c.id, c.version, { action: 'return', opinion: '' })).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'reason' }] });
    expect(await service.act(ctx(head), c.id, c.version, { action: 'return', opinion: '退回', toStep: 'Task_Close' })).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'toStep' }] });
    c = ok(await service.act(ctx(head), c.id, c.version, { action: 'return', opinion: '请补充现场照片', toStep: 'Task_Accept' }));
    expect(c).toMatchObject({ state: 'IN_PROCESS', node_index: 0, step_name: '受理' });
    const events = await service.deps.cases.events(c.id);
    expect(events.at(-1)).toMatchObject({ event: 'returnNode', opinion: '请补充现场照片', node_name: '决定' });
  });

  it('转办 to a named colleague: only they hold the step then; outsiders and strangers are refused', async () => {
    let c = await accepted(plainItem.id);
    const task = (await service.flowView(clerk, c))!.mine[0]!;
    expect(await service.flow(ctx(clerk), { caseId: c.id, version: c.version, op: 'transfer', taskId: task.id, to: [idOf(outsider)] })).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'to' }] });
    expect(await service.flow(ctx(clerk), { caseId: c.id, version: c.version, op: 'transfer', taskId: task.id, to: [] })).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'to' }] });
    expect(await service.flow(ctx(clerk), { caseId: c.id, version: c.version - 1, op: 'transfer', taskId: task.id, to: [idOf(clerk2)] })).toMatchObject({ ok: false, reason: 'conflict' });
    const r = await service.flow(ctx(clerk), { caseId: c.id, version: c.version, op: 'transfer', taskId: task.id, to: [idOf(clerk2)], comment: '请李办事处理' });
    expect(r).toMatchObject({ ok: true, value: { tasks: [{ assignee: idOf(clerk2) }] } });
    if (!r.ok) return;
    c = r.value.record;
    // The first clerk no longer holds it; the colleague sees it in 我的待办 and passes it.
    expect(await service.act(ctx(clerk), c.id, c.version, { action: 'pass' })).toMatchObject({ ok: false, reason: 'forbidden' });
    const todo = await service.inbox(clerk2, 'todo', { limit: 50, offset: 0 });
    expect(todo.rows.map((x) => x.record.id)).toContain(c.id);
    c = ok(await service.act(ctx(clerk2), c.id, c.version, { action: 'pass' }));
    expect(c.step_name).toBe('审查');
    // 催办 and 抄送: audited, and the copy lands in the receiver's “抄送我的”.
    const review = (await service.flowView(head, c))!.open[0]!;
    const urged = await service.flow(ctx(head), { caseId: c.id, version: c.version, op: 'urge', taskId: review.id, comment: '请尽快审查' });
    expect(urged).toMatchObject({ ok: true, value: { tasks: [{ urgeCount: 1 }] } });
    if (!urged.ok) return;
    const copied = await service.flow(ctx(clerk2), { caseId: c.id, version: urged.value.record.version, op: 'copy', to: [idOf(head)] });
    expect(copied.ok).toBe(true);
    const box = await service.inbox(head, 'copied', { limit: 50, offset: 0 });
    expect(box.rows.map((x) => x.record.id)).toContain(c.id);
    const audits = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${c.id} AND action LIKE 'case.flow.%' ORDER BY id`.execute(t.platform.db);
    expect(audits.rows.map((a) => a.action)).toEqual(['case.flow.transfer', 'case.flow.urge', 'case.flow.copy']);
  });

  it('keeps a running case on its definition version after a new version is published', async () => {
    const running = await accepted(customItem.id);
    expect(running.workflow_version).toBe(1);
    await publish('food-countersign', linearBpmn([{ id: 'Task_Accept', name: '受理' }, { id: 'Task_Decide', name: '决定', roles: 'org_head' }]), 2);
    const fresh = await accepted(customItem.id);
    expect(fresh.workflow_version).toBe(2);
    // The running case still goes through the 会签 of version 1; the new one goes straight to 决定.
    const a = ok(await service.act(ctx(clerk), running.id, running.version, { action: 'pass' }));
    expect(await openSteps(a)).toEqual(['业务科会签', '负责人会签']);
    const b = ok(await service.act(ctx(clerk), fresh.id, fresh.version, { action: 'pass' }));
    expect(b).toMatchObject({ node_index: 2, step_name: '决定' });
  });
});
