import { parseCivilDate, type DayUnit } from '../../../platform/calendar/index.ts';
import type { Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord } from '../case.repository.ts';
import { clockSnapshot, decisionClock } from '../domain/case-clocks.ts';
import { DEFAULT_NODES } from '../domain/nodes.ts';
import { CaseRollback, startCaseWorkflow } from './case-workflow.ts';
import type { CaseDeps } from './deps.ts';
import { applyTransition, checkTransition, loadForAction, today, todayText, type CaseRefusal } from './transition.ts';
import { formatCivilDate } from '../../../platform/calendar/index.ts';

const DECISION_UNITS: ReadonlySet<string> = new Set(['1', '2', '5', 'G', 'Z']);

/**
 * 受理 (Art. 32(5)): an acceptance document number, the decision clock from today with the
 * promised limit, then the first review node opens (ACCEPTED → IN_PROCESS, system).
 * `deemed` is Art. 32(4): no notice within 5 WD → accepted as of the receipt date.
 */
export async function acceptCase(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; deemed?: boolean },
): Promise<Result<CaseRecord, CaseRefusal>> {
  const event = input.deemed ? 'deemAccept' : 'accept';
  const loaded = await loadForAction(deps, uow, input.caseId, event);
  if (!loaded.ok) return loaded;
  const { record, roles } = loaded.value;
  const pre = checkTransition(record, roles, input.version, event);
  if (!pre.ok) return pre;
  const promised = record.promised_n !== null && record.promised_unit && DECISION_UNITS.has(record.promised_unit) ? { n: record.promised_n, unit: record.promised_unit as DayUnit } : null;
  const startedOn = input.deemed && record.received_on ? parseCivilDate(record.received_on) : today(deps);
  const clock = decisionClock(startedOn, promised);
  const calendar = await deps.calendars.calendarFor(record.jurisdiction_code, uow.tx);
  const due = clockSnapshot(calendar, clock).dueOn;
  const number = await deps.numbers.next(uow.tx, 'acceptance-document', { date: todayText(deps), orgId: record.organisation_id, prefix: '受字' });
  const accepted = await applyTransition(deps, uow, {
    record,
    roles,
    version: input.version,
    event,
    clock,
    patch: { accepted_at: deps.now(), acceptance_no: number.value },
    nodeName: '受理',
    detail: { acceptanceNo: number.value, deemed: input.deemed ?? false },
    notice: due === null ? undefined : `受理文书编号 ${number.value}，承诺办结日期 ${formatCivilDate(due)}。`,
  });
  if (!accepted.ok) return accepted;
  // The first step opens at once (system): ACCEPTED → IN_PROCESS. With the workflow engine the
  // case's instance starts here, on the item's definition (or the default flow), and keeps its version.
  const flow = await startCaseWorkflow(deps, uow, accepted.value, todayText(deps));
  if (!flow.ok) throw new CaseRollback(flow);
  const opened = await applyTransition(deps, uow, {
    record: accepted.value,
    roles: ['system'],
    version: accepted.value.version,
    event: 'openNode',
    patch: flow.value,
    nodeName: flow.value.step_name ?? DEFAULT_NODES[0]!.name,
    ...(flow.value.workflow_key ? { detail: { workflowKey: flow.value.workflow_key, workflowVersion: flow.value.workflow_version } } : {}),
  });
  if (!opened.ok && flow.value.workflow_instance_id) throw new CaseRollback(opened);
  return opened;
}
