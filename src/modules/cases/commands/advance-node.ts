import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { DEFAULT_NODES, isDecisionNode, nodeAt } from '../domain/nodes.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, loadForAction, todayText, type CaseRefusal } from './transition.ts';

/**
 * 环节通过 / 退回 (DOMAIN.md §3.2 processing, business action pass / return): the node's
 * handler passes it to the next node with an opinion, or returns it to any earlier node with a
 * reason. The last node (批准) is closed by the decision, not by passing.
 */
export async function advanceNode(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; action: 'pass' | 'return'; opinion?: string; toNode?: number },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const event = input.action === 'pass' ? 'passNode' : 'returnNode';
  const loaded = await loadForAction(deps, uow, input.caseId, event);
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
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
