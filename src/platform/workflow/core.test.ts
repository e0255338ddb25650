import { describe, expect, it } from 'vitest';
import { bpmnDocument, flow, linearBpmn } from './bpmn-fixtures.ts';
import { Machine, type Effects, type InstanceState } from './core.ts';
import { stepDue, timerDue } from './engine.ts';
import type { WorkflowModel } from './model.ts';
import { parseBpmn } from './parse-bpmn.ts';

async function model(xml: string): Promise<WorkflowModel> {
  const r = await parseBpmn(xml);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.model;
}

/** A small driver: keeps state and variables between steps, like the engine does with its rows. */
class Run {
  state: InstanceState = { tokens: [], seq: 0 };
  constructor(
    readonly m: WorkflowModel,
    readonly vars: Record<string, unknown> = {},
  ) {}
  machine(): Machine {
    return new Machine(this.m, this.state, this.vars);
  }
  start(): Effects {
    return this.machine().start();
  }
  complete(nodeId: string, outcome: string | null = null, variables: Record<string, unknown> = {}): Effects {
    const t = this.state.tokens.find((x) => x.node === nodeId && x.wait === 'task');
    if (!t) throw new Error(`no token waiting at ${nodeId}`);
    Object.assign(this.vars, variables, outcome ? { outcome } : {});
    return this.machine().completeTask(t.id, outcome);
  }
  at(): string[] {
    return this.state.tokens.map((t) => `${t.node}:${t.wait}`).sort();
  }
}

const opened = (fx: Effects) => fx.open.map((t) => t.nodeId);

describe('workflow token machine', () => {
  it('walks a linear process and ends', async () => {
    const run = new Run(await model(linearBpmn([{ id: 'A', name: '受理' }, { id: 'B', name: '审查' }, { id: 'C', name: '决定', roles: 'org_head' }])));
    expect(opened(run.start())).toEqual(['A']);
    expect(opened(run.complete('A'))).toEqual(['B']);
    const fx = run.complete('B');
    expect(fx.open).toMatchObject([{ nodeId: 'C', roles: ['org_head'], name: '决定' }]);
    const last = run.complete('C');
    expect(last.ended).toBe(true);
    expect(run.state.tokens).toEqual([]);
  });

  it('exclusive gateway: first true condition, else the default flow; none → refused', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="Review"/><bpmn:exclusiveGateway id="X" default="Fdef"/>
      <bpmn:userTask id="Grant"/><bpmn:userTask id="Refuse"/><bpmn:userTask id="Fix"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Review')}${flow('F2', 'Review', 'X')}${flow('Fa', 'X', 'Grant', "outcome == 'approve'")}${flow('Fr', 'X', 'Refuse', "outcome == 'reject'")}${flow('Fdef', 'X', 'Fix')}
      ${flow('F3', 'Grant', 'E')}${flow('F4', 'Refuse', 'E')}${flow('F5', 'Fix', 'E')}`);
    const m = await model(xml);
    for (const [outcome, next] of [['approve', 'Grant'], ['reject', 'Refuse'], ['later', 'Fix']] as const) {
      const run = new Run(m);
      run.start();
      expect(opened(run.complete('Review', outcome))).toEqual([next]);
    }
    const strict = await model(xml.replace(' default="Fdef"', '').replace(flow('Fdef', 'X', 'Fix'), flow('Fdef', 'X', 'Fix', 'amount > 100')));
    const run = new Run(strict);
    run.start();
    expect(() => run.complete('Review', 'maybe')).toThrow('排他网关 X（X）没有满足条件的分支');
  });

  it('parallel gateway: forks, and the join waits for every branch', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:parallelGateway id="Fork"/><bpmn:userTask id="Planning"/><bpmn:userTask id="Fire"/><bpmn:userTask id="Env"/>
      <bpmn:parallelGateway id="Join"/><bpmn:userTask id="Decide"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Fork')}${flow('F2', 'Fork', 'Planning')}${flow('F3', 'Fork', 'Fire')}${flow('F4', 'Fork', 'Env')}
      ${flow('F5', 'Planning', 'Join')}${flow('F6', 'Fire', 'Join')}${flow('F7', 'Env', 'Join')}${flow('F8', 'Join', 'Decide')}${flow('F9', 'Decide', 'E')}`);
    const run = new Run(await model(xml));
    expect(opened(run.start()).sort()).toEqual(['Env', 'Fire', 'Planning']);
    expect(opened(run.complete('Fire'))).toEqual([]);
    expect(run.at()).toEqual(['Env:task', 'Join:join', 'Planning:task']);
    expect(opened(run.complete('Planning'))).toEqual([]);
    expect(opened(run.complete('Env'))).toEqual(['Decide']);
    expect(run.at()).toEqual(['Decide:task']);
    expect(run.complete('Decide').ended).toBe(true);
  });

  const countersign = (loop: string) =>
    bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="Sign" name="会签" zhengwu:candidateRoles="org_head">${loop}</bpmn:userTask><bpmn:userTask id="Next"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Sign')}${flow('F2', 'Sign', 'Next')}${flow('F3', 'Next', 'E')}`);
  const departments = [{ organisationId: 'org-planning' }, { organisationId: 'org-fire' }, { organisationId: 'org-env' }];

  it('multi-instance (会签), parallel: one task per department; leaves when all have signed', async () => {
    const run = new Run(await model(countersign('<bpmn:multiInstanceLoopCharacteristics zhengwu:collection="departments"/>')), { departments });
    const fx = run.start();
    expect(fx.open.map((t) => [t.organisationId, t.roles, t.miIndex])).toEqual([
      ['org-planning', ['org_head'], 0],
      ['org-fire', ['org_head'], 1],
      ['org-env', ['org_head'], 2],
    ]);
    const tok = run.state.tokens[0]?.id as string;
    expect(opened(run.machine().completeTask(tok, 'approve'))).toEqual([]);
    expect(opened(run.machine().completeTask(tok, 'reject'))).toEqual([]);
    const last = run.machine().completeTask(tok, 'approve');
    expect(opened(last)).toEqual(['Next']);
    expect(last.cancelTokens).toEqual([tok]);
    expect(run.vars).toMatchObject({ nrOfInstances: 3, nrOfCompletedInstances: 3, nrOfApproved: 2, nrOfRejected: 1 });
  });

  it('multi-instance with a ratio: leaves as soon as two thirds approved, cancelling the rest', async () => {
    const run = new Run(
      await model(countersign('<bpmn:multiInstanceLoopCharacteristics zhengwu:collection="departments"><bpmn:completionCondition>nrOfApproved / nrOfInstances &gt;= 0.6</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics>')),
      { departments },
    );
    run.start();
    const tok = run.state.tokens[0]?.id as string;
    expect(opened(run.machine().completeTask(tok, 'approve'))).toEqual([]);
    const fx = run.machine().completeTask(tok, 'approve');
    expect(opened(fx)).toEqual(['Next']);
    expect(fx.cancelTokens).toEqual([tok]);
  });

  it('multi-instance, sequential: signers one after another, in order', async () => {
    const run = new Run(await model(countersign('<bpmn:multiInstanceLoopCharacteristics isSequential="true" zhengwu:collection="signers"/>')), { signers: ['acc-1', 'acc-2'] });
    expect(run.start().open.map((t) => t.assignee)).toEqual(['acc-1']);
    const tok = run.state.tokens[0]?.id as string;
    expect(run.machine().completeTask(tok, 'approve').open.map((t) => t.assignee)).toEqual(['acc-2']);
    expect(opened(run.machine().completeTask(tok, 'approve'))).toEqual(['Next']);
  });

  it('加签 and 减签 change the number of signers', async () => {
    const run = new Run(await model(countersign('<bpmn:multiInstanceLoopCharacteristics zhengwu:collection="signers"/>')), { signers: ['acc-1', 'acc-2'] });
    run.start();
    const tok = run.state.tokens[0]?.id as string;
    expect(run.machine().addSigner(tok, { assignee: 'acc-3', organisationId: null, roles: null }).open.map((t) => [t.assignee, t.miIndex])).toEqual([['acc-3', 2]]);
    run.machine().completeTask(tok, 'approve');
    run.machine().completeTask(tok, 'approve');
    // acc-3 has not signed: withdrawing that signer completes the 会签.
    expect(() => run.machine().removeSigner(tok)).toThrow('至少要保留一名');
    expect(run.state.tokens[0]?.mi).toMatchObject({ total: 3, completed: 2 });
    const run2 = new Run(run.m, { signers: ['acc-1', 'acc-2', 'acc-3'] });
    run2.start();
    const tok2 = run2.state.tokens[0]?.id as string;
    run2.machine().completeTask(tok2, 'approve');
    expect(opened(run2.machine().removeSigner(tok2))).toEqual([]);
    expect(opened(run2.machine().completeTask(tok2, 'approve'))).toEqual(['Next']);
  });

  it('intermediate timer: waits, fires once, and a stale timer does nothing', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:userTask id="After"/><bpmn:endEvent id="E"/>${flow('F1', 'S', 'Wait')}${flow('F2', 'Wait', 'After')}${flow('F3', 'After', 'E')}`);
    const run = new Run(await model(xml));
    const fx = run.start();
    expect(fx.open).toEqual([]);
    expect(fx.timers).toMatchObject([{ nodeId: 'Wait', duration: 'PT2H' }]);
    const timer = fx.timers[0] as Effects['timers'][number];
    expect(run.machine().fireTimer(timer.tokenId, timer.nodeId, timer.entry + 99)).toBeNull();
    expect(opened(run.machine().fireTimer(timer.tokenId, timer.nodeId, timer.entry) as Effects)).toEqual(['After']);
    expect(run.machine().fireTimer(timer.tokenId, timer.nodeId, timer.entry)).toBeNull();
  });

  it('boundary timer: interrupting moves the token on; non-interrupting adds a branch', async () => {
    const xml = (cancel: boolean) =>
      bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="Review"/><bpmn:boundaryEvent id="Late" attachedToRef="Review" cancelActivity="${cancel}"><bpmn:timerEventDefinition><bpmn:timeDuration>P3D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
        <bpmn:userTask id="Escalate" zhengwu:candidateRoles="org_head"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>
        ${flow('F1', 'S', 'Review')}${flow('F2', 'Review', 'E')}${flow('F3', 'Late', 'Escalate')}${flow('F4', 'Escalate', 'E2')}`);
    const interrupting = new Run(await model(xml(true)));
    const t1 = interrupting.start().timers[0] as Effects['timers'][number];
    const fx1 = interrupting.machine().fireTimer(t1.tokenId, 'Late', t1.entry) as Effects;
    expect(fx1.cancelTokens).toEqual([t1.tokenId]);
    expect(opened(fx1)).toEqual(['Escalate']);
    expect(interrupting.at()).toEqual(['Escalate:task']);

    const nonInterrupting = new Run(await model(xml(false)));
    const t2 = nonInterrupting.start().timers[0] as Effects['timers'][number];
    const fx2 = nonInterrupting.machine().fireTimer(t2.tokenId, 'Late', t2.entry) as Effects;
    expect(fx2.cancelTokens).toEqual([]);
    expect(nonInterrupting.at()).toEqual(['Escalate:task', 'Review:task']);
    // Completing the task first makes the timer stale.
    const late = new Run(await model(xml(true)));
    const t3 = late.start().timers[0] as Effects['timers'][number];
    late.complete('Review');
    expect(late.machine().fireTimer(t3.tokenId, 'Late', t3.entry)).toBeNull();
  });

  it('退回: cancels every open branch and resumes at the target step', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:userTask id="Accept"/><bpmn:parallelGateway id="Fork"/><bpmn:userTask id="A"/><bpmn:userTask id="B"/><bpmn:parallelGateway id="Join"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'Accept')}${flow('F2', 'Accept', 'Fork')}${flow('F3', 'Fork', 'A')}${flow('F4', 'Fork', 'B')}${flow('F5', 'A', 'Join')}${flow('F6', 'B', 'Join')}${flow('F7', 'Join', 'E')}`);
    const run = new Run(await model(xml));
    run.start();
    run.complete('Accept');
    run.complete('A');
    expect(run.at()).toEqual(['B:task', 'Join:join']);
    const fx = run.machine().returnTo('Accept');
    expect(fx.cancelTokens).toHaveLength(2);
    expect(opened(fx)).toEqual(['Accept']);
    expect(run.at()).toEqual(['Accept:task']);
    // The join starts afresh: both branches are needed again.
    run.complete('Accept');
    run.complete('B');
    expect(run.at()).toEqual(['A:task', 'Join:join']);
  });

  it('stops a loop without wait states', async () => {
    const xml = bpmnDocument(`<bpmn:startEvent id="S"/><bpmn:exclusiveGateway id="X1"/><bpmn:exclusiveGateway id="X2"/><bpmn:endEvent id="E"/>
      ${flow('F1', 'S', 'X1')}${flow('F2', 'X1', 'X2')}${flow('F3', 'X2', 'X1', 'true')}${flow('F4', 'X2', 'E', 'false')}`);
    const run = new Run(await model(xml));
    expect(() => run.start()).toThrow('循环');
  });
});

describe('step limits and timers on the working-day calendar', () => {
  // Friday 2026-11-27 10:00 Asia/Shanghai.
  const friday = new Date('2026-11-27T02:00:00Z');
  it('a 1-working-day step started on Friday is due at the end of Monday', () => {
    expect(stepDue(friday, { n: 1, unit: 'G' }, null).toISOString()).toBe('2026-11-30T16:00:00.000Z');
  });
  it('natural days count the weekend', () => {
    expect(stepDue(friday, { n: 3, unit: 'Z' }, null).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(stepDue(friday, { n: 1, unit: 'Z' }, null).toISOString()).toBe('2026-11-30T16:00:00.000Z'); // Saturday rolls to Monday
  });
  it('timers: plain durations and working days at the same time of day', () => {
    expect(timerDue(friday, { duration: 'PT2H30M', workingDays: false }, null).toISOString()).toBe('2026-11-27T04:30:00.000Z');
    expect(timerDue(friday, { duration: 'P1D', workingDays: false }, null).toISOString()).toBe('2026-11-28T02:00:00.000Z');
    expect(timerDue(friday, { duration: 'P1D', workingDays: true }, null).toISOString()).toBe('2026-11-30T02:00:00.000Z');
  });
});
