import type { Actor } from '../../../platform/auth/actor.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { civilDayAt, formatCivilDate, parseCivilDate, type WorkCalendar } from '../../../platform/calendar/index.ts';
import { defaultStepLimits } from '../../../platform/workflow/default-process.ts';
import { canHandle, type TaskRow, type WorkflowEngine } from '../../../platform/workflow/index.ts';
import { yellowThreshold } from '../domain/case-clocks.ts';
import type { CasePatch, CaseRecord } from '../case.repository.ts';
import type { CaseDeps } from './deps.ts';
import type { CaseRefusal } from './transition.ts';

/**
 * The bridge between a case and its workflow instance (issue 3). The engine decides WHO does
 * WHICH step; the legal state machine (states, clocks, the decision) stays in the case commands.
 * Every call takes the case command's unit of work, so the case change, the step and both
 * audit entries commit together.
 */

export const SUBJECT_TYPE = 'case';

const ROLE_LABEL: Record<string, string> = { clerk: '办事员', org_head: '部门负责人' };

/** A refusal after the engine already wrote: carried out of the transaction so everything rolls back. */
export class CaseRollback extends Error {
  constructor(readonly result: { ok: false; reason: CaseRefusal; message: string }) {
    super(result.message);
  }
}

/** The decision step: the engine hands over to the legal decision (准予 / 不予许可) here. */
export function isDecisionTask(task: Pick<TaskRow, 'nodeId' | 'name'>): boolean {
  return task.nodeId === 'Task_Decide' || /decide|decision|approve/i.test(task.nodeId) || task.name === '决定' || task.name === '批准' || task.name.endsWith('决定');
}

/** The case's engine, when the case runs on one. */
export function engineOf(deps: CaseDeps, record: Pick<CaseRecord, 'workflow_instance_id'>): WorkflowEngine | null {
  return deps.workflow && record.workflow_instance_id ? deps.workflow : null;
}

/** The step names of the open tasks, once each (a 会签 shows its name once). */
export function stepNameOf(open: TaskRow[]): string | null {
  const names = [...new Set(open.map((t) => t.name))];
  return names.length === 0 ? null : names.join('、');
}

/**
 * Where the case stands in the legal three-node frame (§3.6 approval steps, which GovStack and
 * supervision read): 0 the first step, 2 the decision (or the end of the flow), 1 anything between.
 */
export async function positionPatch(engine: WorkflowEngine, db: Db | Tx, instanceId: string, today: string): Promise<CasePatch> {
  const open = await engine.openTasks(db, instanceId);
  const history = (await engine.history(db, instanceId)).filter((t) => t.kind === 'user');
  const first = history[0]?.nodeId ?? null;
  let index: number;
  if (open.length === 0 || open.some(isDecisionTask)) index = 2;
  else if (open.every((t) => t.nodeId === first)) index = 0;
  else index = 1;
  return { node_index: index, node_started_on: today, step_name: open.length === 0 ? '决定' : stepNameOf(open), ...(await stepDeadlinePatch(engine, db, instanceId, open, today)) };
}

/** The civil day (Asia/Shanghai) a step is due: its `due_at` is the end (24:00) of that day. */
export function stepDueDay(dueAt: Date): string {
  return formatCivilDate(civilDayAt(new Date(dueAt.getTime() - 1)));
}

/**
 * The step's first yellow day, by the case clocks' rule (DOMAIN.md §5 “same for nodes”): yellow at
 * ≤ 1 WD left or ≥ 80 % of the step's working days consumed, counted from the day it opened.
 */
export function stepYellowFrom(calendar: WorkCalendar, startedOn: string, dueOn: string): string {
  const start = parseCivilDate(startedOn);
  const total = calendar.workingDaysBetween(start, parseCivilDate(dueOn)).days;
  const k = yellowThreshold(total);
  return k === 0 ? startedOn : formatCivilDate(calendar.addWorkingDays(start, k).date);
}

/**
 * The current step's deadline for the case row: the open task with the earliest due time (a 会签
 * is as late as its first signer), opened on the day its task was created (at the latest `today`:
 * the row's creation time is the database's, the case's clock may be a test's). No due time → nulls.
 */
export async function stepDeadlinePatch(engine: WorkflowEngine, db: Db | Tx, instanceId: string, open: TaskRow[], today: string): Promise<CasePatch> {
  const due = open.filter((t) => t.dueAt !== null).sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())[0];
  if (!due?.dueAt) return { step_task_id: null, step_organisation_id: null, step_started_on: null, step_due_on: null, step_yellow_from: null };
  const instance = await engine.instance(db, instanceId);
  const calendar = await engine.calendarOf(instance?.jurisdictionCode ?? '', db);
  const created = formatCivilDate(civilDayAt(due.createdAt));
  const startedOn = created < today ? created : today;
  const dueOn = stepDueDay(due.dueAt);
  return { step_task_id: due.id, step_organisation_id: due.organisationId, step_started_on: startedOn, step_due_on: dueOn, step_yellow_from: stepYellowFrom(calendar, startedOn, dueOn) };
}

/** The step's colour on `today` (same rule as the case signal: red the day after due). */
export function stepSignal(c: { state: string; step_due_on: string | null; step_yellow_from: string | null; clock_paused_since?: string | null }, today: string): 'green' | 'yellow' | 'red' | 'paused' | 'none' {
  if (c.state !== 'IN_PROCESS' || !c.step_due_on || !c.step_yellow_from) return 'none';
  if (c.clock_paused_since) return 'paused';
  if (today > c.step_due_on) return 'red';
  if (today >= c.step_yellow_from) return 'yellow';
  return 'green';
}

/** Starts the case's instance: the item's workflowKey, else its implementation code if defined, else the default flow. */
export async function startCaseWorkflow(deps: CaseDeps, uow: UnitOfWork, record: CaseRecord, today: string): Promise<Result<CasePatch, CaseRefusal>> {
  const engine = deps.workflow;
  if (!engine) return { ok: true, value: { node_index: 0, node_started_on: today } };
  const found = await deps.items.itemForApplication(record.item_id);
  const item = found.ok ? found.item : null;
  const candidates = [item?.workflowKey, item?.implementationCode, record.item_id].filter((k): k is string => !!k && k.trim().length > 0);
  let key: string | undefined;
  for (const k of candidates) {
    if (await engine.repo.publishedDefinition(k, record.organisation_id, uow.tx)) {
      key = k;
      break;
    }
  }
  const started = await engine.start(uow, {
    ...(key ? { key } : {}),
    subjectType: SUBJECT_TYPE,
    subjectId: record.id,
    organisationId: record.organisation_id,
    jurisdictionCode: record.jurisdiction_code,
    variables: { caseNo: record.case_no ?? '', itemId: record.item_id },
    // The default flow's steps share the decision limit (custom BPMN keeps its own `limit` attributes).
    ...(key ? {} : { stepLimits: defaultStepLimits(await decisionWorkingDays(deps, uow, record, today)) }),
  });
  if (!started.ok) return refuse(started.reason === 'not_found' ? 'invalid' : started.reason, `办件流程无法启动：${started.message}`);
  const pos = await positionPatch(engine, uow.tx, started.value.instance.id, today);
  return {
    ok: true,
    value: { ...pos, workflow_instance_id: started.value.instance.id, workflow_key: started.value.instance.definitionKey, workflow_version: started.value.instance.definitionVersion },
  };
}

/** Working days from today to the decision due date on the case's calendar (statutory 20 without one). */
async function decisionWorkingDays(deps: CaseDeps, uow: UnitOfWork, record: CaseRecord, today: string): Promise<number> {
  if (!record.decision_due_on) return 20;
  const calendar = await deps.calendars.calendarFor(record.jurisdiction_code, uow.tx);
  return calendar.workingDaysBetween(parseCivilDate(today), parseCivilDate(record.decision_due_on)).days;
}

/** The open user tasks of the case and those the actor may act on. */
export async function tasksFor(engine: WorkflowEngine, db: Db | Tx, record: CaseRecord, actor: Actor): Promise<{ open: TaskRow[]; mine: TaskRow[] }> {
  const open = record.workflow_instance_id ? await engine.openTasks(db, record.workflow_instance_id) : [];
  return { open, mine: open.filter((t) => canHandle(actor, t)) };
}

/** “当前“审查”环节应由办事员办理” — the refusal when the actor holds none of the open tasks. */
export function notYourStep(open: TaskRow[]): { ok: false; reason: 'forbidden'; message: string } {
  if (open.length === 0) return refuse('forbidden', '办件流程当前没有待办环节');
  const t = open[0]!;
  const who = t.assignee ? '指定的办理人' : t.candidateRoles.map((r) => ROLE_LABEL[r] ?? r).join('或');
  return refuse('forbidden', `“${t.name}”环节应由${who}办理`);
}

/**
 * After the legal side has closed the case (办结, 撤回, 作废, 删除): open steps the actor may
 * finish are completed, and a flow still running is cancelled — the legal state wins.
 */
export async function settleWorkflow(deps: CaseDeps, uow: UnitOfWork, record: CaseRecord, reason: string): Promise<void> {
  const engine = engineOf(deps, record);
  if (!engine || !record.workflow_instance_id) return;
  const instance = await engine.instance(uow.tx, record.workflow_instance_id);
  if (!instance || instance.state !== 'running') return;
  const { mine } = await tasksFor(engine, uow.tx, record, uow.ctx.actor);
  for (const task of mine) {
    if (isDecisionTask(task)) continue;
    await engine.complete(uow, task.id, { comment: reason });
  }
  const after = await engine.instance(uow.tx, record.workflow_instance_id);
  if (after && after.state === 'running') await engine.cancel(uow, record.workflow_instance_id, { reason });
}

/** An engine refusal as a case refusal (the same four reasons). */
export function asCaseRefusal(r: { ok: false; reason: 'not_found' | 'forbidden' | 'conflict' | 'invalid'; message: string; fields?: { field: string; message: string }[] }) {
  return refuse(r.reason, r.message, r.fields);
}
