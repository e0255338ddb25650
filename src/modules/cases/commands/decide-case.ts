import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CasePatch, CaseRecord } from '../case.repository.ts';
import type { CaseRole } from '../domain/state-machine.ts';
import { asCaseRefusal, CaseRollback, engineOf, isDecisionTask, notYourStep, settleWorkflow, stepNameOf, tasksFor } from './case-workflow.ts';
import { issueClock } from '../domain/case-clocks.ts';
import { isDecisionNode, nodeAt } from '../domain/nodes.ts';
import { remedyNotice } from '../domain/remedy.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, checkTransition, loadForAction, today, type CaseRefusal } from './transition.ts';

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
  const engine = engineOf(deps, record);
  if (engine && record.state === 'IN_PROCESS') {
    // The engine's decision step (or the end of the flow) hands over to the decision; the step is
    // completed with the decision as its outcome in the same unit of work.
    const pre = checkTransition(record, roles, input.version, event);
    if (!pre.ok) return applyTransition(deps, uow, { record, roles, version: input.version, event });
    const { open, mine } = await tasksFor(engine, uow.tx, record, uow.ctx.actor);
    if (open.length > 0) {
      const step = mine.find(isDecisionTask);
      if (!step) {
        if (!open.some(isDecisionTask)) return refuse('conflict', `办件尚在“${open[0]!.name}”环节，须经审查后到决定环节才能作出决定`);
        return notYourStep(open.filter(isDecisionTask));
      }
      if (event !== 'approve' && !(input.reason ?? '').trim()) return refuse('invalid', '作出该决定必须写明理由', [{ field: 'reason', message: '请填写理由' }]);
      const done = await engine.complete(uow, step.id, { outcome: event, ...(input.reason?.trim() ? { comment: input.reason.trim() } : {}) });
      if (!done.ok) return asCaseRefusal(done);
      const r = await decideOnLegalSide(deps, uow, { ...input, record, roles, patch: { step_name: stepNameOf(done.value.opened) } });
      if (!r.ok) throw new CaseRollback(r);
      return r;
    }
  }
  if (record.state === 'IN_PROCESS' && !engine && !isDecisionNode(record.node_index) && roles.includes('org_head')) {
    return refuse('conflict', `办件尚在“${nodeAt(record.node_index)?.name ?? ''}”环节，须经审核后到批准环节才能作出决定`);
  }
  return decideOnLegalSide(deps, uow, { ...input, record, roles, patch: {} });
}

async function decideOnLegalSide(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { record: CaseRecord; roles: CaseRole[]; version: number; decision: 'approve' | 'refuse' | 'forward'; reason?: string; certificateNo?: string; patch: CasePatch },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const { record, roles } = input;
  const event = input.decision;
  const reason = input.reason?.trim() ?? '';
  if (event === 'approve') {
    return applyTransition(deps, uow, {
      record,
      roles,
      version: input.version,
      event,
      reason: reason || null,
      clock: issueClock(today(deps)),
      patch: { ...input.patch, decision: 'approve', decided_at: deps.now(), decision_reasons: reason || null, certificate_no: input.certificateNo?.trim() || null },
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
      patch: { ...input.patch, decision: 'refuse', decided_at: deps.now(), decision_reasons: reason },
      nodeName: '批准',
      notice: `不予许可的理由：${reason}\n${remedy}`,
    });
  }
  const r = await applyTransition(deps, uow, { record, roles, version: input.version, event: 'forward', reason, patch: { ...input.patch, step_name: null }, nodeName: '批准', notice: `转报理由：${reason}` });
  if (r.ok) await settleWorkflow(deps, uow, r.value, `转报：${reason}`);
  return r;
}
