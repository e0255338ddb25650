import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { settleWorkflow } from './case-workflow.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, loadForAction, type CaseRefusal } from './transition.ts';

/** 制作结果文书: the licence or the refusal decision is produced (≤ 10 WD after an approval, Art. 44). */
export async function produceResult(deps: CaseDeps, uow: UnitOfWork, input: { caseId: string; version: number; certificateNo?: string }): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'produceResult');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const certificate = input.certificateNo?.trim() || record.certificate_no;
  if (record.decision === 'approve' && record.state === 'APPROVED' && !certificate) {
    return refuse('invalid', '准予许可的办件须填写证照编号（办结结果代码 0 要求证照编号）', [{ field: 'certificateNo', message: '请填写许可证件编号' }]);
  }
  return applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'produceResult',
    clock: null,
    patch: { result_ready_at: deps.now(), certificate_no: certificate ?? null },
    nodeName: '制证',
    notice: record.decision === 'approve' ? '许可证件已制作完成，可以下载决定书或等待送达。' : '不予许可决定书已制作完成。',
  });
}

/**
 * 送达 → 办结 (DOMAIN.md §3.3: DELIVERED → CLOSED with result 0 or 1): served, collected or
 * mailed (courier number), then closed in the same transaction; the rating opens.
 */
export async function deliverResult(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; method: 'collected' | 'mailed' | 'electronic'; courierNo?: string },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'deliver');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  if (input.method === 'mailed' && !input.courierNo?.trim()) return refuse('invalid', '邮寄送达须填写快递单号', [{ field: 'courierNo', message: '请填写快递单号' }]);
  const delivered = await applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'deliver',
    patch: { delivered_at: deps.now(), delivery_method: input.method, courier_no: input.courierNo?.trim() || null },
    nodeName: '送达',
    detail: { method: input.method },
  });
  if (!delivered.ok) return delivered;
  const closed = await applyTransition(deps, uow, {
    record: delivered.value,
    roles: ['system'],
    version: delivered.value.version,
    event: 'close',
    patch: { result_code: record.decision === 'refuse' ? 1 : 0, step_name: null },
    nodeName: '办结',
    notice: '办件已办结，欢迎对本次服务进行评价。',
  });
  if (closed.ok) await settleWorkflow(deps, uow, closed.value, '办件已送达办结');
  return closed;
}

/** 撤回 by the applicant before the decision: closed with result 5 (退件). */
export async function withdrawCase(deps: CaseDeps, uow: UnitOfWork, input: { caseId: string; version: number; reason?: string }): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'withdraw');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const r = await applyTransition(deps, uow, { record, roles, version: input.version, event: 'withdraw', reason: input.reason?.trim() || '申请人撤回申请', patch: { step_name: null }, nodeName: '撤回' });
  if (r.ok) await settleWorkflow(deps, uow, r.value, '申请人撤回申请');
  return r;
}

/** 作废 (business invalid, result 2) / 删除 (entry error, result 3) by a supervisor of the jurisdiction, with reasons. */
export async function voidCase(deps: CaseDeps, uow: UnitOfWork, input: { caseId: string; version: number; kind: 'void' | 'delete'; reason: string }): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, input.kind);
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const r = await applyTransition(deps, uow, { record, roles, version: input.version, event: input.kind, reason: input.reason, patch: { step_name: null }, nodeName: input.kind === 'void' ? '作废' : '删除' });
  if (r.ok) await settleWorkflow(deps, uow, r.value, input.kind === 'void' ? '办件作废' : '办件删除');
  return r;
}
