import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { endPause, isSpecialProcedure, SPECIAL_PROCEDURE_BASIS, SPECIAL_PROCEDURES, startPause } from '../domain/case-clocks.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, checkTransition, loadClock, loadForAction, today, todayText, type CaseRefusal } from './transition.ts';

/**
 * 特别程序 (行政许可法 Art. 45; DOMAIN.md §3.4): hearing, tendering, auction, inspection, testing,
 * quarantine, appraisal or expert review pause the decision clock; the applicant is told the
 * time needed in writing. Nothing else pauses a licensing clock (on-site verification runs inside it).
 */
export async function startSpecialProcedure(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; kind: string; reason: string; plannedDays: number },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'startSpecial');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const pre = checkTransition(record, roles, input.version, 'startSpecial');
  if (!pre.ok) return pre;
  if (!isSpecialProcedure(input.kind)) {
    return refuse('invalid', '行政许可只有听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审可以暂停计时（《行政许可法》第四十五条）；现场核查在审查期限内进行，不暂停', [
      { field: 'kind', message: '请选择第四十五条规定的特别程序' },
    ]);
  }
  if (!Number.isInteger(input.plannedDays) || input.plannedDays < 1 || input.plannedDays > 365) {
    return refuse('invalid', '请填写特别程序预计所需时间', [{ field: 'plannedDays', message: '预计所需时间应为 1–365 的整数（日）' }]);
  }
  const clock = await loadClock(deps, uow.tx, record);
  if (!clock || clock.kind !== 'decision') return refuse('conflict', '办件没有正在计算的审查期限');
  const label = SPECIAL_PROCEDURES[input.kind];
  const paused = startPause(clock, today(deps), input.kind);
  const result = await applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'startSpecial',
    reason: input.reason,
    clock: paused,
    nodeName: label,
    detail: { kind: input.kind, plannedDays: input.plannedDays, legalBasis: SPECIAL_PROCEDURE_BASIS },
    notice: `因${label}，审查期限暂停计算，预计需要 ${input.plannedDays} 日，所需时间不计入审查期限（《行政许可法》第四十五条）。`,
  });
  if (!result.ok) return result;
  await deps.cases.addPause(uow.tx, { case_id: record.id, kind: input.kind, reason: input.reason.trim(), legal_basis: SPECIAL_PROCEDURE_BASIS, planned_days: input.plannedDays, from_on: todayText(deps), started_by: uow.ctx.actor.kind === 'staff' ? uow.ctx.actor.displayName : 'system' });
  return result;
}

export async function endSpecialProcedure(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; result: string },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'endSpecial');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const pre = checkTransition(record, roles, input.version, 'endSpecial');
  if (!pre.ok) return pre;
  const outcome = input.result.trim();
  if (!outcome) return refuse('invalid', '请填写特别程序的结果', [{ field: 'result', message: '请填写特别程序的结果' }]);
  const clock = await loadClock(deps, uow.tx, record);
  if (!clock) return refuse('conflict', '办件没有暂停中的期限');
  await deps.cases.closePause(uow.tx, record.id, todayText(deps), outcome, uow.ctx.actor.kind === 'staff' ? uow.ctx.actor.displayName : 'system');
  const resumed = endPause(clock, today(deps));
  return applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'endSpecial',
    reason: outcome,
    clock: resumed,
    nodeName: '特别程序',
    notice: '特别程序已结束，审查期限恢复计算。',
  });
}
