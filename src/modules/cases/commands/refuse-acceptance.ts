import type { Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, checkTransition, loadForAction, todayText, type CaseRefusal } from './transition.ts';

/** 不予受理 (Art. 32(2)): a sealed, dated voucher with reasons; the case closes with result 6. */
export async function refuseAcceptance(deps: CaseDeps, uow: UnitOfWork, input: { caseId: string; version: number; reason: string }): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'refuseAcceptance');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const trimmed = input.reason.trim();
  const pre = checkTransition(record, roles, input.version, 'refuseAcceptance');
  if (!pre.ok) return pre;
  const number = trimmed ? await deps.numbers.next(uow.tx, 'acceptance-document', { date: todayText(deps), orgId: record.organisation_id, prefix: '不受字' }) : null;
  return applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'refuseAcceptance',
    reason: trimmed,
    patch: { decision_reasons: trimmed, acceptance_no: number?.value ?? null },
    nodeName: '受理',
    notice: `不予受理的理由：${trimmed}`,
  });
}
