import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { issueClock } from '../domain/case-clocks.ts';
import { isDecisionNode, nodeAt } from '../domain/nodes.ts';
import { remedyNotice } from '../domain/remedy.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, loadForAction, today, type CaseRefusal } from './transition.ts';

/**
 * 准予 / 不予许可 (Arts. 38, 42): the approver decides at the 批准 node. A refusal gives written
 * reasons and the remedy notice (reconsideration 60 days, lawsuit 6 months). An approval starts
 * the 10-WD issue clock (Art. 44). 转报 (forward) closes the case with result 4 and a reason.
 */
export async function decideCase(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; decision: 'approve' | 'refuse' | 'forward'; reason?: string; certificateNo?: string },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const event = input.decision;
  const loaded = await loadForAction(deps, uow, input.caseId, event);
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  if (record.state === 'IN_PROCESS' && !isDecisionNode(record.node_index) && roles.includes('org_head')) {
    return refuse('conflict', `办件尚在“${nodeAt(record.node_index)?.name ?? ''}”环节，须经审核后到批准环节才能作出决定`);
  }
  const reason = input.reason?.trim() ?? '';
  if (event === 'approve') {
    return applyTransition(deps, uow, {
      record,
      roles,
      version: input.version,
      event,
      reason: reason || null,
      clock: issueClock(today(deps)),
      patch: { decision: 'approve', decided_at: deps.now(), decision_reasons: reason || null, certificate_no: input.certificateNo?.trim() || null },
      nodeName: '批准',
      notice: '您的申请已准予许可，许可证件将在 10 个工作日内颁发、送达。',
    });
  }
  if (event === 'refuse') {
    const remedy = remedyNotice();
    return applyTransition(deps, uow, {
      record,
      roles,
      version: input.version,
      event,
      reason,
      clock: issueClock(today(deps)),
      patch: { decision: 'refuse', decided_at: deps.now(), decision_reasons: reason },
      nodeName: '批准',
      notice: `不予许可的理由：${reason}\n${remedy}`,
    });
  }
  return applyTransition(deps, uow, { record, roles, version: input.version, event: 'forward', reason, nodeName: '批准', notice: `转报理由：${reason}` });
}
