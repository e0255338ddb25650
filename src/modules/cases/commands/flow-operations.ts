import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { TaskRow } from '../../../platform/workflow/index.ts';
import type { CaseRecord } from '../case.repository.ts';
import { staffCanSee } from '../policies.ts';
import { asCaseRefusal, engineOf, positionPatch } from './case-workflow.ts';
import type { CaseDeps } from './deps.ts';
import { CONFLICT_MESSAGE, todayText, type CaseRefusal } from './transition.ts';

/** The approval operations (审批操作) on a case's workflow, besides 通过 / 退回. */
export const FLOW_OPERATIONS = ['transfer', 'delegate', 'add-signer', 'remove-signer', 'copy', 'urge'] as const;
export type FlowOperation = (typeof FLOW_OPERATIONS)[number];

export const FLOW_LABEL: Record<FlowOperation, string> = {
  transfer: '转办',
  delegate: '委托',
  'add-signer': '加签',
  'remove-signer': '减签',
  copy: '抄送',
  urge: '催办',
};

export interface FlowInput {
  caseId: string;
  /** The case version the actor saw (optimistic lock on the case). */
  version: number;
  op: FlowOperation;
  /** The task acted on (all but 抄送). */
  taskId?: string;
  /** 转办 / 委托 / 加签: the staff account; 抄送: one or more. */
  to?: string[];
  comment?: string;
}

/** A staff account the operation hands work to: checked before the transaction (identity's service). */
export interface StaffTarget {
  accountId: string;
  displayName: string;
  organisationIds: string[];
}

/**
 * 转办, 委托, 加签, 减签, 抄送, 催办 on the case's workflow: allowed while the case is being
 * processed (抄送 also later), by a handler of the case; the engine checks the task (assignee,
 * candidate roles, organisation; 减签 the head only). One unit of work: the engine's change, its
 * audit entry, the case's timeline event and the case's audit entry commit together.
 */
export async function flowOperation(deps: CaseDeps, uow: UnitOfWork, input: FlowInput, targets: StaffTarget[]): Promise<Result<{ record: CaseRecord; tasks: TaskRow[] }, CaseRefusal>> {
  const actor = uow.ctx.actor;
  const record = await deps.cases.getById(input.caseId, uow.tx);
  if (!record || record.state === 'DRAFT' || !staffCanSee(deps.permissions, actor, record)) {
    await uow.audit({ action: `case.flow.${input.op}`, objectType: 'case', objectId: input.caseId, outcome: 'denied' });
    return refuse('not_found', '办件不存在或不在您的管辖范围内');
  }
  const engine = engineOf(deps, record);
  if (!engine || !record.workflow_instance_id) return refuse('conflict', '该办件没有在办的审批流程');
  if (record.version !== input.version) return refuse('conflict', CONFLICT_MESSAGE);
  if (input.op !== 'copy' && record.state !== 'IN_PROCESS') return refuse('conflict', `办件当前不在审查环节，不能${FLOW_LABEL[input.op]}`);
  const comment = input.comment?.trim() ?? '';
  if (comment.length > 500) return refuse('invalid', '说明不能超过 500 字', [{ field: 'comment', message: '说明不能超过 500 字' }]);
  const to = [...new Set((input.to ?? []).map((s) => s.trim()).filter(Boolean))];
  const needsTo = input.op === 'transfer' || input.op === 'delegate' || input.op === 'add-signer' || input.op === 'copy';
  if (needsTo) {
    if (to.length === 0) return refuse('invalid', `请选择${FLOW_LABEL[input.op]}的接收人`, [{ field: 'to', message: '请填写接收人' }]);
    if (input.op !== 'copy' && to.length > 1) return refuse('invalid', '只能选择一位接收人', [{ field: 'to', message: '只能选择一位接收人' }]);
    for (const id of to) {
      const staff = targets.find((s) => s.accountId === id);
      // 转办 / 委托 / 加签 stay within the handling organisation; 抄送 may go to any staff member.
      if (!staff || (input.op !== 'copy' && !staff.organisationIds.includes(record.organisation_id))) {
        return refuse('invalid', '接收人不是本单位的工作人员', [{ field: 'to', message: input.op === 'copy' ? `“${id}”不是工作人员账号` : '接收人须为本单位的工作人员' }]);
      }
    }
  }
  let tasks: TaskRow[];
  let detail: Record<string, unknown> = {};
  if (input.op === 'copy') {
    const r = await engine.copyTo(uow, record.workflow_instance_id, { to, ...(comment ? { comment } : {}) });
    if (!r.ok) return asCaseRefusal(r);
    tasks = r.value;
    detail = { to };
  } else {
    if (!input.taskId) return refuse('invalid', '请选择要操作的环节', [{ field: 'taskId', message: '请选择要操作的环节' }]);
    const task = await engine.task(uow.tx, input.taskId);
    if (!task || task.instanceId !== record.workflow_instance_id) return refuse('not_found', '该环节不属于本办件');
    detail = { taskId: task.id, step: task.nodeId, stepName: task.name };
    const withComment = comment ? { comment } : {};
    switch (input.op) {
      case 'transfer':
      case 'delegate': {
        const r = input.op === 'transfer' ? await engine.transfer(uow, task.id, { to: to[0]!, ...withComment }) : await engine.delegate(uow, task.id, { to: to[0]!, ...withComment });
        if (!r.ok) return asCaseRefusal(r);
        tasks = [r.value];
        detail.to = to[0];
        break;
      }
      case 'add-signer': {
        const r = await engine.addSigner(uow, task.id, { signer: to[0]! });
        if (!r.ok) return asCaseRefusal(r);
        tasks = r.value.opened;
        detail.signer = to[0];
        break;
      }
      case 'remove-signer': {
        const r = await engine.removeSigner(uow, task.id, withComment);
        if (!r.ok) return asCaseRefusal(r);
        tasks = r.value.cancelled;
        break;
      }
      case 'urge': {
        const r = await engine.urge(uow, task.id, comment ? { message: comment } : {});
        if (!r.ok) return asCaseRefusal(r);
        tasks = [r.value];
        break;
      }
    }
  }
  // The case's own record: current step and the case audit; the version moves on. (The applicant's
  // timeline stays with the legal events; the staff page shows the engine's history.)
  const position = input.op === 'copy' || input.op === 'urge' ? {} : await positionPatch(engine, uow.tx, record.workflow_instance_id, todayText(deps));
  const updated = await deps.cases.update(uow.tx, record.id, record.version, position);
  if (!updated) return refuse('conflict', CONFLICT_MESSAGE);
  await uow.audit({ action: `case.flow.${input.op}`, objectType: 'case', objectId: record.id, detail: { caseNo: record.case_no, ...detail } });
  return { ok: true, value: { record: updated, tasks } };
}
