import type { Actor } from '../../../platform/auth/actor.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import { refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { canHandle, type TaskRow, type WorkflowEngine } from '../../../platform/workflow/index.ts';
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
  return { node_index: index, node_started_on: today, step_name: open.length === 0 ? '决定' : stepNameOf(open) };
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
  });
  if (!started.ok) return refuse(started.reason === 'not_found' ? 'invalid' : started.reason, `办件流程无法启动：${started.message}`);
  const pos = await positionPatch(engine, uow.tx, started.value.instance.id, today);
  return {
    ok: true,
    value: { ...pos, workflow_instance_id: started.value.instance.id, workflow_key: started.value.instance.definitionKey, workflow_version: started.value.instance.definitionVersion },
  };
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
