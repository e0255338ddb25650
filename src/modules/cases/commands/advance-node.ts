import { refuse, type Result } from '../../../platform/errors.ts';
import type { WorkflowEngine } from '../../../platform/workflow/index.ts';
import type { CaseRole } from '../domain/state-machine.ts';
import { asCaseRefusal, CaseRollback, engineOf, isDecisionTask, notYourStep, positionPatch, tasksFor } from './case-workflow.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { DEFAULT_NODES, isDecisionNode, nodeAt } from '../domain/nodes.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, checkTransition, loadForAction, todayText, type CaseRefusal } from './transition.ts';

export interface AdvanceInput {
  caseId: string;
  version: number;
  action: 'pass' | 'return';
  opinion?: string;
  /** Built-in node list: the index to return to. */
  toNode?: number;
  /** Workflow: the step (node id) to return to, one of engine.returnTargets. */
  toStep?: string;
}

/**
 * 环节通过 / 退回 (DOMAIN.md §3.2 processing, business action pass / return): the node's
 * handler passes it to the next node with an opinion, or returns it to any earlier node with a
 * reason. The last node (批准) is closed by the decision, not by passing.
 */
export async function advanceNode(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: AdvanceInput,
): Promise<Result<CaseRecord, CaseRefusal>> {
  const event = input.action === 'pass' ? 'passNode' : 'returnNode';
  const loaded = await loadForAction(deps, uow, input.caseId, event);
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const engine = engineOf(deps, record);
  if (engine) return advanceOnEngine(deps, uow, engine, record, roles, input);
  const node = nodeAt(record.node_index);
  if (record.state === 'IN_PROCESS' && node) {
    if (!roles.includes(node.role)) return refuse('forbidden', `“${node.name}”环节应由${node.role === 'org_head' ? '部门负责人' : '办事员'}办理`);
    if (input.action === 'pass' && isDecisionNode(record.node_index)) return refuse('conflict', '已到批准环节，请作出准予或不予许可的决定');
  }
  const from = record.node_index ?? 0;
  const to = input.action === 'pass' ? from + 1 : (input.toNode ?? from - 1);
  if (input.action === 'return' && (to < 0 || to >= from)) {
    return refuse('invalid', '只能退回到之前的环节', [{ field: 'toNode', message: from === 0 ? '当前已是第一个环节，不能退回' : '请选择之前的环节' }]);
  }
  return applyTransition(deps, uow, {
    record,
    roles: roles.filter((r) => r === node?.role || r === 'clerk' || r === 'org_head'),
    version: input.version,
    event,
    reason: input.opinion ?? null,
    patch: { node_index: to, node_started_on: todayText(deps) },
    nodeName: node?.name ?? null,
    detail: { fromNode: node?.key ?? null, toNode: DEFAULT_NODES[to]?.key ?? null },
  });
}

/**
 * The same actions on the workflow engine: 通过 completes the actor's open task (a 会签 step
 * waits for every signer), 退回 returns the process to an earlier step the engine names.
 * The decision step is closed by the decision command, not by passing.
 */
async function advanceOnEngine(deps: CaseDeps, uow: UnitOfWork, engine: WorkflowEngine, record: CaseRecord, roles: CaseRole[], input: AdvanceInput): Promise<Result<CaseRecord, CaseRefusal>> {
  const event = input.action === 'pass' ? 'passNode' : 'returnNode';
  const opinion = input.opinion?.trim() ?? '';
  // The engine authorises the step; the state machine still checks state and version (as a handler).
  const stateRoles: CaseRole[] = roles.length > 0 ? roles : ['clerk'];
  const pre = checkTransition(record, stateRoles, input.version, event);
  if (!pre.ok) return applyTransition(deps, uow, { record, roles: stateRoles, version: input.version, event });
  const { open, mine } = await tasksFor(engine, uow.tx, record, uow.ctx.actor);
  const task = mine[0];
  if (!task) {
    await uow.audit({ action: `case.${event}`, objectType: 'case', objectId: record.id, outcome: 'denied', detail: { reason: 'not_assignee' } });
    return notYourStep(open);
  }
  let detail: Record<string, unknown>;
  if (input.action === 'pass') {
    if (isDecisionTask(task)) return refuse('conflict', `已到“${task.name}”环节，请作出准予或不予许可的决定`);
    const done = await engine.complete(uow, task.id, opinion ? { comment: opinion } : {});
    if (!done.ok) return asCaseRefusal(done);
    detail = { step: task.nodeId, stepName: task.name, taskId: task.id, opened: done.value.opened.map((t) => t.name) };
  } else {
    if (!opinion) return refuse('invalid', '“环节退回”必须写明理由', [{ field: 'reason', message: '请填写退回理由' }]);
    const targets = await engine.returnTargets(record.workflow_instance_id ?? '', uow.tx);
    const target = input.toStep ?? targets[targets.length - 1]?.nodeId;
    if (!target) return refuse('invalid', '当前已是第一个环节，不能退回', [{ field: 'toStep', message: '当前已是第一个环节，不能退回' }]);
    const back = await engine.returnTo(uow, task.id, { targetNodeId: target, comment: opinion });
    if (!back.ok) return asCaseRefusal(back.fields ? { ...back, fields: back.fields.map((f) => (f.field === 'targetNodeId' ? { ...f, field: 'toStep' } : f)) } : back);
    detail = { step: task.nodeId, stepName: task.name, taskId: task.id, toStep: target, toStepName: targets.find((x) => x.nodeId === target)?.name ?? null };
  }
  const patch = await positionPatch(engine, uow.tx, record.workflow_instance_id ?? '', todayText(deps));
  const r = await applyTransition(deps, uow, { record, roles: stateRoles, version: input.version, event, reason: opinion || null, patch, nodeName: task.name, detail });
  if (!r.ok) throw new CaseRollback(r);
  return r;
}
