import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import { systemContext } from '../auth/actor.ts';
import { endOfCivilDay, nationalCalendar, parseCivilDate } from '../calendar/index.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import { linearBpmn } from './bpmn-fixtures.ts';
import { WorkflowEngine } from './engine.ts';
import { parseBpmn } from './parse-bpmn.ts';

/**
 * `start({ stepLimits })` on a real database: tasks without their own `zhengwu:limit` take the given
 * working days (due at the end of the n-th working day), a task's own limit wins, and bad limits are
 * refused before anything is written.
 */
describe('workflow step limits passed at start', () => {
  let t: TestApp;
  let engine: WorkflowEngine;
  const now = new Date('2026-03-09T02:00:00Z'); // Mon 10:00 Shanghai
  const org = { organisationId: 'org-wf-limits', jurisdictionCode: '420102' };
  const clerk = buildStaff({ ...org, organisationName: '江岸区市场监督管理局', roles: ['clerk'] });
  const run = <T>(fn: (uow: UnitOfWork) => Promise<T>) => t.platform.transactor.run({ actor: clerk, requestId: `test-${Math.random()}`, clientIp: null }, fn);
  const endOf = (day: string) => new Date(endOfCivilDay(parseCivilDate(day)));

  beforeAll(async () => {
    t = await startTestApp();
    engine = new WorkflowEngine({ db: t.platform.db, now: () => now, calendarFor: () => Promise.resolve(nationalCalendar()) });
    const xml = linearBpmn([
      { id: 'Task_Own', name: '初审', extra: ' zhengwu:limit="3"' },
      { id: 'Task_Free', name: '复审' },
    ]);
    const parsed = await parseBpmn(xml);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    await t.platform.transactor.run(systemContext('test'), async (uow) => {
      const row = await engine.repo.insertDefinition(uow.tx, { organisationId: org.organisationId, organisationName: '江岸区市场监督管理局', jurisdictionCode: org.jurisdictionCode, key: 'limits', version: 1, name: 'limits', xml, model: parsed.model, comment: '', createdBy: 'test' });
      if (!row) throw new Error('not inserted');
      await engine.repo.publishDefinition(uow.tx, row, 'test');
    });
  });
  afterAll(async () => t?.stop());

  it('gives the default flow its limits and keeps a task’s own limit', async () => {
    const d = await run((uow) => engine.start(uow, { subjectType: 'case', subjectId: 'lim-1', ...org, stepLimits: { Task_Accept: 1, Task_Review: 7, Task_Decide: 2 } }));
    if (!d.ok) throw new Error(d.message);
    expect(d.value.opened.map((x) => [x.nodeId, x.dueAt?.toISOString()])).toEqual([['Task_Accept', endOf('2026-03-10').toISOString()]]);
    expect(d.value.instance.variables.stepLimits).toEqual({ Task_Accept: 1, Task_Review: 7, Task_Decide: 2 });
    const done = await run((uow) => engine.complete(uow, d.value.opened[0]!.id));
    if (!done.ok) throw new Error(done.message);
    expect(done.value.opened.map((x) => [x.nodeId, x.dueAt?.toISOString()])).toEqual([['Task_Review', endOf('2026-03-18').toISOString()]]);

    const c = await run((uow) => engine.start(uow, { key: 'limits', subjectType: 'case', subjectId: 'lim-2', ...org, stepLimits: { Task_Own: 9, Task_Free: 2 } }));
    if (!c.ok) throw new Error(c.message);
    expect(c.value.opened[0]).toMatchObject({ nodeId: 'Task_Own', dueAt: endOf('2026-03-12') }); // its own 3 WD, not 9
    const next = await run((uow) => engine.complete(uow, c.value.opened[0]!.id));
    if (!next.ok) throw new Error(next.message);
    expect(next.value.opened[0]).toMatchObject({ nodeId: 'Task_Free', dueAt: endOf('2026-03-11') });
  });

  it('refuses limits that are not whole working days, writing nothing', async () => {
    const r = await run((uow) => engine.start(uow, { subjectType: 'case', subjectId: 'lim-3', ...org, stepLimits: { Task_Review: 0 } }));
    expect(r).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'stepLimits', message: '环节时限应为 1–999 个工作日' }] });
    expect(await engine.instancesOf(t.platform.db, 'case', 'lim-3')).toEqual([]);
  });
});
