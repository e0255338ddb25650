import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { asActor, buildStaff, headerAuthenticator } from '../../../test/support/test-auth.ts';
import type { Actor } from '../auth/actor.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import { bpmnDocument, flow, linearBpmn } from './bpmn-fixtures.ts';
import { WorkflowEngine } from './engine.ts';
import type { TaskRow } from './workflow.repository.ts';

/**
 * The engine on a real database (PGlite here, PostgreSQL in CI): every approval operation,
 * concurrency, versioning and timers through the platform job queue.
 */
describe('workflow engine', () => {
  let t: TestApp;
  let engine: WorkflowEngine;
  const org = { organisationId: 'org-wf-scj', organisationName: '江岸区市场监督管理局', jurisdictionCode: '420102' };
  const other = { organisationId: 'org-wf-other', organisationName: '大冶市市场监督管理局', jurisdictionCode: '420281' };
  const clerk = buildStaff({ ...org, roles: ['clerk'], name: '张办事' });
  const clerk2 = buildStaff({ ...org, roles: ['clerk'], name: '李办事' });
  const head = buildStaff({ ...org, roles: ['org_head'], name: '王科长' });
  const outsider = buildStaff({ ...other, roles: ['clerk', 'org_head'] });
  const citizen: Actor = { kind: 'citizen', accountId: '00000000-0000-4000-8000-0000000c0001', displayName: '市民', realNameLevel: 3 };
  const id = (a: Actor) => (a.kind === 'staff' || a.kind === 'citizen' ? a.accountId : '');
  let subject = 0;

  const run = <T>(actor: Actor, fn: (uow: UnitOfWork) => Promise<T>) => t.platform.transactor.run({ actor, requestId: `test-${Date.now()}`, clientIp: null }, fn);
  const startCase = async (vars: Record<string, unknown> = {}, key?: string) => {
    subject += 1;
    const r = await run(clerk, (uow) => engine.start(uow, { ...(key ? { key } : {}), subjectType: 'case', subjectId: `case-${subject}`, organisationId: org.organisationId, jurisdictionCode: org.jurisdictionCode, variables: vars }));
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  const open = (instanceId: string) => engine.openTasks(t.platform.db, instanceId);
  const only = async (instanceId: string): Promise<TaskRow> => {
    const tasks = await open(instanceId);
    expect(tasks).toHaveLength(1);
    return tasks[0] as TaskRow;
  };
  const complete = (actor: Actor, task: TaskRow, input: Parameters<WorkflowEngine['complete']>[2] = {}) => run(actor, (uow) => engine.complete(uow, task.id, input));
  const publish = async (key: string, xml: string, name = key) => {
    const saved = await t.app.inject({ method: 'POST', url: '/api/workflows', headers: asActor(head), payload: { key, name, xml } });
    expect(saved.statusCode, saved.body).toBe(201);
    const pub = await t.app.inject({ method: 'POST', url: `/api/workflows/${saved.json<{ id: string }>().id}/publish`, headers: asActor(head) });
    expect(pub.statusCode, pub.body).toBe(200);
    return saved.json<{ id: string; version: number }>();
  };

  beforeAll(async () => {
    t = await startTestApp({}, { authenticator: headerAuthenticator });
    engine = new WorkflowEngine({ db: t.platform.db });
  });
  afterAll(async () => t?.stop());

  it('runs the default flow 受理 → 审查 → 决定 → 办结 for an item without a definition, with inboxes and audit', async () => {
    const started = await startCase({}, 'no-such-item');
    expect(started.instance.definitionKey).toBe('default');
    expect(started.opened.map((x) => [x.name, x.candidateRoles, x.organisationId])).toEqual([['受理', ['clerk'], org.organisationId]]);

    const todo = await engine.inbox(t.platform.db, clerk, 'todo', { subjectType: 'case', limit: 50, offset: 0 });
    expect(todo.rows.map((r) => r.id)).toContain(started.opened[0]?.id);
    expect((await engine.inbox(t.platform.db, outsider, 'todo', { limit: 50, offset: 0 })).total).toBe(0);
    expect((await engine.inbox(t.platform.db, head, 'todo', { limit: 50, offset: 0 })).rows.map((r) => r.id)).not.toContain(started.opened[0]?.id);

    const steps: [Actor, string][] = [[clerk, '受理'], [clerk2, '审查'], [head, '决定'], [clerk, '办结']];
    for (const [actor, name] of steps) {
      const task = await only(started.instance.id);
      expect(task.name).toBe(name);
      const r = await complete(actor, task, { outcome: 'approve', comment: `${name}意见` });
      expect(r.ok, r.ok ? '' : r.message).toBe(true);
    }
    const instance = await engine.instance(t.platform.db, started.instance.id);
    expect(instance?.state).toBe('completed');
    expect(instance?.endedAt).toBeInstanceOf(Date);
    const done = await engine.inbox(t.platform.db, clerk, 'done', { limit: 50, offset: 0 });
    expect(done.rows.filter((r) => r.instanceId === started.instance.id).map((r) => r.name).sort()).toEqual(['办结', '受理']);
    const audit = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE detail->>'instanceId' = ${started.instance.id} OR object_id = ${started.instance.id} ORDER BY id`.execute(t.platform.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['workflow.instance.start', 'workflow.task.complete', 'workflow.task.complete', 'workflow.task.complete', 'workflow.task.complete']);
  });

  it('a completed step answers with the rows as stored: the closed task and the next one', async () => {
    const started = await startCase({}, 'no-such-item');
    const first = await only(started.instance.id);
    const r = await complete(clerk, first, { outcome: 'approve', comment: '材料齐全' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.task).toEqual(await engine.task(t.platform.db, first.id));
    expect(r.value.task).toMatchObject({ state: 'done', outcome: 'approve', comment: '材料齐全', completedBy: id(clerk), version: first.version + 1 });
    expect(r.value.opened).toHaveLength(1);
    const next = r.value.opened[0]!;
    expect(next).toEqual(await engine.task(t.platform.db, next.id));
    expect(next).toMatchObject({ name: '审查', state: 'open', version: 1, urgeCount: 0 });
    expect(next.createdAt.getTime()).toBeGreaterThanOrEqual(first.createdAt.getTime());
  });

  it('refuses people who are not the handler: another organisation, the wrong role, a citizen', async () => {
    const { instance } = await startCase();
    const task = await only(instance.id);
    for (const actor of [outsider, head, citizen]) {
      const r = await complete(actor, task);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('forbidden');
    }
    expect((await only(instance.id)).state).toBe('open');
  });

  it('two completions of the same task: one wins, the other gets a conflict; a stale version is a conflict', async () => {
    const { instance } = await startCase();
    const task = await only(instance.id);
    const stale = await complete(clerk, task, { version: task.version + 5 });
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.reason).toBe('conflict');
    const [a, b] = await Promise.all([complete(clerk, task, { version: task.version }), complete(clerk2, task, { version: task.version })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const loser = a.ok ? b : a;
    if (!loser.ok) {
      expect(loser.reason).toBe('conflict');
      // Where the loser loses depends on timing (the row lock, or the version check after it): both say so in Chinese.
      expect(loser.message).toMatch(/已由他人办理|已被他人处理或修改/);
    }
    const next = await only(instance.id);
    expect(next.name).toBe('审查');
  });

  it('退回: returns to an earlier step, cancelling the open one; only completed steps are targets', async () => {
    const { instance } = await startCase();
    await complete(clerk, await only(instance.id));
    await complete(clerk, await only(instance.id));
    const decide = await only(instance.id);
    expect(decide.name).toBe('决定');
    const refused = await run(head, (uow) => engine.returnTo(uow, decide.id, { targetNodeId: 'Task_Close' }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.fields?.[0]?.field).toBe('targetNodeId');
    expect((await engine.returnTargets(instance.id)).map((x) => x.name)).toEqual(['受理', '审查']);
    const r = await run(head, (uow) => engine.returnTo(uow, decide.id, { targetNodeId: 'Task_Accept', comment: '材料不全，退回受理' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.opened.map((x) => x.name)).toEqual(['受理']);
    const history = await engine.history(t.platform.db, instance.id);
    expect(history.find((x) => x.id === decide.id)).toMatchObject({ state: 'done', outcome: 'returned', comment: '材料不全，退回受理' });
    expect((await only(instance.id)).name).toBe('受理');
  });

  it('转办: the task belongs to the new person; the previous handler can no longer act', async () => {
    const { instance } = await startCase();
    const task = await only(instance.id);
    const r = await run(clerk, (uow) => engine.transfer(uow, task.id, { to: id(clerk2), comment: '请李办事办理' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ assignee: id(clerk2), transferredFrom: id(clerk) });
    const byOld = await complete(clerk, r.value);
    expect(byOld.ok).toBe(false);
    expect((await engine.inbox(t.platform.db, clerk2, 'todo', { limit: 100, offset: 0 })).rows.map((x) => x.id)).toContain(task.id);
    expect((await complete(clerk2, r.value)).ok).toBe(true);
    const job = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.notification WHERE recipient_account_id = ${id(clerk2)}`.execute(t.platform.db);
    expect(job.rows[0]?.n).toBeGreaterThan(0);
  });

  it('委托: the delegate answers, the task comes back to the delegator, who completes it', async () => {
    const { instance } = await startCase();
    const task = await only(instance.id);
    const d = await run(clerk, (uow) => engine.delegate(uow, task.id, { to: id(clerk2) }));
    expect(d.ok).toBe(true);
    const answered = await complete(clerk2, await only(instance.id), { comment: '已核对材料，建议受理' });
    expect(answered.ok).toBe(true);
    if (!answered.ok) return;
    expect(answered.value.handedBack).toBe(true);
    const back = await only(instance.id);
    expect(back).toMatchObject({ id: task.id, assignee: id(clerk), delegatedFrom: null, comment: '已核对材料，建议受理', state: 'open' });
    const again = await run(clerk, (uow) => engine.delegate(uow, back.id, { to: id(clerk) }));
    expect(again.ok).toBe(false);
    expect((await complete(clerk, back)).ok).toBe(true);
    expect((await only(instance.id)).name).toBe('审查');
  });

  it('会签 with 加签 and 减签 across departments, by ratio', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/>
      <bpmn:userTask id="Sign" name="部门会签" zhengwu:candidateRoles="org_head"><bpmn:multiInstanceLoopCharacteristics zhengwu:collection="departments"><bpmn:completionCondition>nrOfApproved &gt;= 2</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
      <bpmn:userTask id="Decide" name="决定" zhengwu:candidateRoles="org_head"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Sign')}${flow('F2', 'Sign', 'Decide')}${flow('F3', 'Decide', 'E')}`);
    await publish('countersign-test', xml, '并联会签');
    const planning = buildStaff({ organisationId: 'org-planning', roles: ['org_head'] });
    const fire = buildStaff({ organisationId: 'org-fire', roles: ['org_head'] });
    const { instance, opened } = await startCase({ departments: [{ organisationId: 'org-planning' }, { organisationId: 'org-fire' }] }, 'countersign-test');
    expect(opened.map((x) => x.organisationId)).toEqual(['org-planning', 'org-fire']);
    expect((await engine.inbox(t.platform.db, planning, 'todo', { limit: 10, offset: 0 })).total).toBe(1);

    const planningTask = opened[0] as TaskRow;
    const add = await run(head, (uow) => engine.addSigner(uow, planningTask.id, { signer: { assignee: null, organisationId: 'org-env', roles: ['org_head'] } }));
    expect(add.ok, add.ok ? '' : add.message).toBe(true);
    if (!add.ok) return;
    expect(add.value.opened.map((x) => x.organisationId)).toEqual(['org-env']);
    expect(await open(instance.id)).toHaveLength(3);

    // 减签 needs the instance's head; a department head of another organisation may not.
    const envTask = add.value.opened[0] as TaskRow;
    const notAllowed = await run(fire, (uow) => engine.removeSigner(uow, envTask.id));
    expect(notAllowed.ok).toBe(false);
    const removed = await run(head, (uow) => engine.removeSigner(uow, envTask.id, { comment: '环保不涉及' }));
    expect(removed.ok).toBe(true);
    expect((await open(instance.id)).map((x) => x.organisationId).sort()).toEqual(['org-fire', 'org-planning']);

    expect((await complete(planning, planningTask, { outcome: 'approve' })).ok).toBe(true);
    const last = await complete(fire, opened[1] as TaskRow, { outcome: 'approve' });
    expect(last.ok).toBe(true);
    const next = await only(instance.id);
    expect(next.name).toBe('决定');
    const after = await engine.instance(t.platform.db, instance.id);
    expect(after?.variables).toMatchObject({ nrOfApproved: 2, nrOfInstances: 2 });
  });

  it('抄送 and 催办: copies land in the recipient list; an urge is counted and sent', async () => {
    const { instance } = await startCase();
    const copies = await run(head, (uow) => engine.copyTo(uow, instance.id, { to: [id(clerk2)], nodeId: 'Task_Accept', comment: '请知悉' }));
    expect(copies.ok).toBe(true);
    const copied = await engine.inbox(t.platform.db, clerk2, 'copied', { limit: 10, offset: 0, unreadOnly: true });
    expect(copied.rows.map((x) => x.instanceId)).toContain(instance.id);
    const copy = copied.rows.find((x) => x.instanceId === instance.id) as TaskRow;
    expect(copy.kind).toBe('copy');
    const noHandle = await complete(clerk2, copy);
    expect(noHandle.ok).toBe(false);
    expect((await run(clerk2, (uow) => engine.markCopyRead(uow, copy.id))).ok).toBe(true);
    expect((await engine.inbox(t.platform.db, clerk2, 'copied', { limit: 10, offset: 0, unreadOnly: true })).rows.map((x) => x.id)).not.toContain(copy.id);

    const task = await only(instance.id);
    await run(clerk, (uow) => engine.transfer(uow, task.id, { to: id(clerk2) }));
    const urged = await run(head, (uow) => engine.urge(uow, task.id, { message: '请今天办结' }));
    expect(urged.ok).toBe(true);
    if (urged.ok) expect(urged.value.urgeCount).toBe(1);
    const sent = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.notification WHERE subject LIKE '催办%' AND recipient_account_id = ${id(clerk2)}`.execute(t.platform.db);
    expect(sent.rows[0]?.n).toBe(1);
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'workflow.task.urge' AND object_id = ${task.id}`.execute(t.platform.db);
    expect(audit.rows[0]?.n).toBe(1);
  });

  it('parallel approval: the join waits for every department before the decision', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:parallelGateway id="Fork"/>
      <bpmn:userTask id="A" name="规划审查" zhengwu:organisation="org-planning"/><bpmn:userTask id="B" name="消防审查" zhengwu:organisation="org-fire"/>
      <bpmn:parallelGateway id="Join"/><bpmn:userTask id="D" name="决定" zhengwu:candidateRoles="org_head"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Fork')}${flow('F2', 'Fork', 'A')}${flow('F3', 'Fork', 'B')}${flow('F4', 'A', 'Join')}${flow('F5', 'B', 'Join')}${flow('F6', 'Join', 'D')}${flow('F7', 'D', 'E')}`);
    await publish('parallel-test', xml);
    const { instance, opened } = await startCase({}, 'parallel-test');
    expect(opened.map((x) => [x.name, x.organisationId])).toEqual([['规划审查', 'org-planning'], ['消防审查', 'org-fire']]);
    const planningClerk = buildStaff({ organisationId: 'org-planning', roles: ['clerk'] });
    const fireClerk = buildStaff({ organisationId: 'org-fire', roles: ['clerk'] });
    expect((await complete(fireClerk, opened[1] as TaskRow)).ok).toBe(true);
    expect((await open(instance.id)).map((x) => x.name)).toEqual(['规划审查']);
    expect((await complete(planningClerk, opened[0] as TaskRow)).ok).toBe(true);
    expect((await only(instance.id)).name).toBe('决定');
  });

  it('a refusal inside the step (no branch matches) writes nothing: the task stays open', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="R" name="审查"/><bpmn:exclusiveGateway id="X"/><bpmn:userTask id="G" name="准予"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'R')}${flow('F2', 'R', 'X')}${flow('F3', 'X', 'G', "outcome == 'approve'")}${flow('F4', 'X', 'E', "outcome == 'reject'")}${flow('F5', 'G', 'E')}`);
    await publish('strict-test', xml);
    const { instance } = await startCase({}, 'strict-test');
    const task = await only(instance.id);
    const r = await complete(clerk, task, { outcome: 'maybe' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('没有满足条件的分支');
    expect(await only(instance.id)).toMatchObject({ id: task.id, state: 'open', version: task.version });
    expect((await complete(clerk, task, { outcome: 'reject' })).ok).toBe(true);
    expect((await engine.instance(t.platform.db, instance.id))?.state).toBe('completed');
  });

  it('running instances keep the version they started on', async () => {
    const v1 = await publish('versioned-item', linearBpmn([{ id: 'A', name: '受理' }, { id: 'B', name: '决定', roles: 'org_head' }]));
    const first = await startCase({}, 'versioned-item');
    const v2 = await publish('versioned-item', linearBpmn([{ id: 'A', name: '受理' }, { id: 'R', name: '审查' }, { id: 'B', name: '决定', roles: 'org_head' }]));
    expect(v2.version).toBe(v1.version + 1);
    const second = await startCase({}, 'versioned-item');
    expect([first.instance.definitionVersion, second.instance.definitionVersion]).toEqual([1, 2]);
    await complete(clerk, await only(first.instance.id));
    await complete(clerk, await only(second.instance.id));
    expect((await only(first.instance.id)).name).toBe('决定');
    expect((await only(second.instance.id)).name).toBe('审查');
    // The old version row is superseded, not changed.
    const old = await t.app.inject({ url: `/api/workflows/${v1.id}`, headers: asActor(head) });
    expect(old.json()).toMatchObject({ status: 'superseded', version: 1 });
  });

  it('step limits give due times on the working-day calendar', async () => {
    await publish('limited-item', linearBpmn([{ id: 'A', name: '受理', extra: ' zhengwu:limit="2"' }]));
    const { opened } = await startCase({}, 'limited-item');
    const due = opened[0]?.dueAt as Date;
    expect(due).toBeInstanceOf(Date);
    expect(due.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('timers fire through the job queue: a boundary timer escalates an overdue step', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="R" name="审查"/>
      <bpmn:boundaryEvent id="Late" attachedToRef="R"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:userTask id="Esc" name="超时督办" zhengwu:candidateRoles="org_head"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>
      ${flow('F1', 'S', 'R')}${flow('F2', 'R', 'E')}${flow('F3', 'Late', 'Esc')}${flow('F4', 'Esc', 'E2')}`);
    await publish('timer-test', xml);
    const { instance } = await startCase({}, 'timer-test');
    const job = await sql<{ id: number; run_at: Date }>`SELECT id, run_at FROM platform.job WHERE queue = 'workflow.timer' AND payload->>'instanceId' = ${instance.id}`.execute(t.platform.db);
    expect(job.rows).toHaveLength(1);
    const runAt = (job.rows[0] as { run_at: Date }).run_at.getTime();
    expect(runAt - Date.now()).toBeGreaterThan(55 * 60_000);
    // Let the hour pass: the job runner picks the timer up.
    await sql`UPDATE platform.job SET run_at = now() WHERE id = ${(job.rows[0] as { id: number }).id}`.execute(t.platform.db);
    t.platform.jobs.poke();
    let tasks: TaskRow[] = [];
    for (let i = 0; i < 100 && !tasks.some((x) => x.nodeId === 'Esc'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      tasks = await open(instance.id);
    }
    expect(tasks.map((x) => x.name)).toEqual(['超时督办']);
    const history = await engine.history(t.platform.db, instance.id);
    expect(history.find((x) => x.nodeId === 'R')?.state).toBe('cancelled');
  });
});
