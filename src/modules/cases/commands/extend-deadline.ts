import { formatCivilDate } from '../../../platform/calendar/index.ts';
import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { clockSnapshot, extendClock } from '../domain/case-clocks.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, checkTransition, loadClock, loadForAction, type CaseRefusal } from './transition.ts';

/** 延期 (行政许可法 Art. 42): once, +10 WD, approved by the agency head, reasons told to the applicant. */
export async function extendDeadline(deps: CaseDeps, uow: UnitOfWork, input: { caseId: string; version: number; reason: string }): Promise<Result<CaseRecord, CaseRefusal>> {
  const loaded = await loadForAction(deps, uow, input.caseId, 'extend');
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const pre = checkTransition(record, roles, input.version, 'extend');
  if (!pre.ok) return pre;
  const reason = input.reason.trim();
  if (!reason) return refuse('invalid', '延期必须写明理由', [{ field: 'reason', message: '请填写延期理由，理由将告知申请人' }]);
  const clock = await loadClock(deps, uow.tx, record);
  if (!clock) return refuse('conflict', '办件没有正在计算的审查期限');
  const approver = uow.ctx.actor.kind === 'staff' ? uow.ctx.actor.displayName : 'system';
  const extended = extendClock(clock, approver, reason);
  if (!extended.ok) return refuse('conflict', extended.message);
  const calendar = await deps.calendars.calendarFor(record.jurisdiction_code, uow.tx);
  const due = clockSnapshot(calendar, extended.clock).dueOn;
  const ext = extended.clock.extensions[0]!;
  await deps.cases.addExtension(uow.tx, { case_id: record.id, n: ext.n, unit: ext.unit, reason, approved_by: approver });
  return applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event: 'extend',
    reason,
    clock: extended.clock,
    detail: { days: ext.n },
    notice: `经本机关负责人批准，审查期限延长 ${ext.n} 个工作日${due === null ? '' : `，延长至 ${formatCivilDate(due)}`}。延期理由：${reason}`,
  });
}
