import { describe, expect, it } from 'vitest';
import type { TaskRow } from '../../../platform/workflow/index.ts';
import { isDecisionTask, notYourStep, stepNameOf } from './case-workflow.ts';

const task = (o: Partial<TaskRow>): TaskRow => ({ id: 't', instanceId: 'i', subjectType: 'case', subjectId: 'c', kind: 'user', tokenId: 'k', nodeId: 'N', name: '审查', candidateRoles: ['clerk'], organisationId: 'o', assignee: null, miIndex: null, state: 'open', createdAt: new Date(), dueAt: null, completedAt: null, completedBy: null, outcome: null, comment: null, delegatedFrom: null, transferredFrom: null, createdBy: null, urgeCount: 0, lastUrgedAt: null, version: 1, ...o });

describe('case ↔ workflow bridge', () => {
  it('recognises the decision step by the default id, an id convention or the Chinese name', () => {
    expect(isDecisionTask(task({ nodeId: 'Task_Decide', name: '决定' }))).toBe(true);
    expect(isDecisionTask(task({ nodeId: 'Approve_1', name: '局长审批' }))).toBe(true);
    expect(isDecisionTask(task({ nodeId: 'T9', name: '批准' }))).toBe(true);
    expect(isDecisionTask(task({ nodeId: 'T9', name: '作出许可决定' }))).toBe(true);
    expect(isDecisionTask(task({ nodeId: 'Task_Review', name: '审查' }))).toBe(false);
    expect(isDecisionTask(task({ nodeId: 'Sign_Head', name: '负责人会签' }))).toBe(false);
  });

  it('names the open steps once each and says who should act', () => {
    expect(stepNameOf([task({ name: '会签' }), task({ name: '会签' }), task({ name: '审查' })])).toBe('会签、审查');
    expect(stepNameOf([])).toBeNull();
    expect(notYourStep([task({ name: '决定', candidateRoles: ['org_head'] })])).toMatchObject({ ok: false, reason: 'forbidden', message: '“决定”环节应由部门负责人办理' });
    expect(notYourStep([task({ assignee: 'x' })]).message).toBe('“审查”环节应由指定的办理人办理');
  });
});
