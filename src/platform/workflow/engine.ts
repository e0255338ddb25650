import type { Actor } from '../auth/actor.ts';
import { actorId } from '../auth/actor.ts';
import { civilDayAt, endOfCivilDay, nationalCalendar, startOfCivilDay, type WorkCalendar } from '../calendar/index.ts';
import type { Db, Tx } from '../db/database.ts';
import { ok, refuse, type Result } from '../errors.ts';
import type { JobRunner } from '../jobs/job-runner.ts';
import { notify } from '../notify/notify.ts';
import type { Transactor, UnitOfWork } from '../unit-of-work.ts';
import { ExpressionError } from './expression.ts';
import { Machine, newEffects, WorkflowRuntimeError, type Effects, type InstanceState, type Signer, type TimerToSchedule } from './core.ts';
import { defaultProcess, DEFAULT_PROCESS_KEY } from './default-process.ts';
import { parseDuration, type StepLimit, type WorkflowModel } from './model.ts';
import { parseBpmn } from './parse-bpmn.ts';
import { WorkflowRepository, type DefinitionRow, type InboxActor, type InstanceRow, type InstanceStatus, type NewTask, type Page, type TaskRow } from './workflow.repository.ts';

export const WORKFLOW_TIMER_QUEUE = 'workflow.timer';

export type WorkflowRefusal = 'not_found' | 'forbidden' | 'conflict' | 'invalid';
export type WorkflowResult<T> = Result<T, WorkflowRefusal>;

export interface StartInput {
  /** The definition key (e.g. the item's implementation code); its published version is used. */
  key?: string;
  /** Or an exact definition version. */
  definitionVersionId?: string;
  /** With `key`: start the default flow (受理 → 审查 → 决定 → 办结) when the key has no published version (default true). */
  fallbackToDefault?: boolean;
  subjectType: string;
  subjectId: string;
  /** The handling organisation: tasks are offered to its staff unless a step names another. */
  organisationId: string;
  /** Its jurisdiction (the working-day calendar of step limits and timers). */
  jurisdictionCode?: string;
  variables?: Record<string, unknown>;
  /**
   * Working-day limits by task id for user tasks whose BPMN sets no `limit` (e.g. the default
   * flow's limits derived from the case's promised limit); kept as the instance variable `stepLimits`.
   * A task's own `zhengwu:limit` always wins.
   */
  stepLimits?: Record<string, number>;
}

export interface StepResult {
  instance: InstanceRow;
  /** Tasks opened by this step. */
  opened: TaskRow[];
  /** Tasks cancelled by this step (the other 会签 signers, returned steps, …). */
  cancelled: TaskRow[];
  /** The instance reached its end. */
  ended: boolean;
}

export interface CompleteInput {
  outcome?: string;
  comment?: string;
  variables?: Record<string, unknown>;
  /** The task version the actor saw; a stale version is a conflict. */
  version?: number;
}

export interface WorkflowEngineOptions {
  db: Db;
  /** Working-day calendar of a jurisdiction (registry's CalendarService); national calendar by default. */
  calendarFor?: (jurisdictionCode: string, tx: Db | Tx) => Promise<WorkCalendar>;
  now?: () => Date;
}

const MAX_VARIABLES_BYTES = 64_000;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The workflow engine (公用协同工作环境): BPMN subset definitions, versioned; instances keep the
 * version they started on. Every method that writes takes the caller's unit of work, so a
 * case command's state change, the step it advances and both audit entries commit together.
 * The actor is the unit of work's `ctx.actor`.
 */
export class WorkflowEngine {
  readonly repo: WorkflowRepository;
  private readonly models = new Map<string, WorkflowModel>();
  private readonly now: () => Date;
  private readonly calendarFor: (jurisdictionCode: string, tx: Db | Tx) => Promise<WorkCalendar>;
  private national: WorkCalendar | null = null;

  constructor(opts: WorkflowEngineOptions) {
    this.repo = new WorkflowRepository(opts.db);
    this.now = opts.now ?? (() => new Date());
    this.calendarFor =
      opts.calendarFor ??
      (async () => {
        this.national ??= nationalCalendar();
        return this.national;
      });
  }

  /** Runs due timers through the platform job queue. */
  registerJobs(jobs: JobRunner, transactor: Transactor): void {
    jobs.register<{ instanceId: string; tokenId: string; nodeId: string; entry: number }>(WORKFLOW_TIMER_QUEUE, async (job) => {
      await transactor.run(job.ctx, (uow) => this.fireTimer(uow, job.payload));
    });
  }

  // ---------------------------------------------------------------- definitions

  private async modelOf(definitionId: string, tx: Db | Tx): Promise<WorkflowModel | null> {
    const cached = this.models.get(definitionId);
    if (cached) return cached;
    const def = await this.repo.definitionById(definitionId, tx);
    if (!def) return null;
    if (this.models.size > 2000) this.models.clear();
    this.models.set(definitionId, def.model);
    return def.model;
  }

  /** The province-wide default definition, created on first use (version 1, published). */
  async ensureDefaultDefinition(tx: Tx): Promise<DefinitionRow> {
    const existing = await this.repo.publishedDefinition(DEFAULT_PROCESS_KEY, '', tx);
    if (existing) return existing;
    const d = defaultProcess();
    const parsed = await parseBpmn(d.xml);
    if (!parsed.ok) throw new Error(`default process invalid: ${parsed.errors.join('; ')}`);
    const inserted = await this.repo.insertDefinition(tx, { organisationId: '', organisationName: '', jurisdictionCode: '', key: d.key, version: 1, name: d.name, xml: d.xml, model: parsed.model, comment: '系统生成的通用流程', createdBy: 'system:workflow' });
    const row = inserted ?? (await this.repo.publishedDefinition(DEFAULT_PROCESS_KEY, '', tx));
    if (!row) throw new Error('default process could not be created');
    if (row.status === 'draft') return (await this.repo.publishDefinition(tx, row, 'system:workflow')) ?? row;
    return row;
  }

  // ---------------------------------------------------------------- start

  async start(uow: UnitOfWork, input: StartInput): Promise<WorkflowResult<StepResult>> {
    const fields = [];
    if (!input.subjectType || input.subjectType.length > 50) fields.push({ field: 'subjectType', message: '请提供业务对象类型（不超过 50 个字符）' });
    if (!input.subjectId || input.subjectId.length > 100) fields.push({ field: 'subjectId', message: '请提供业务对象编号（不超过 100 个字符）' });
    if (!input.organisationId || input.organisationId.length > 100) fields.push({ field: 'organisationId', message: '请提供办理机构' });
    const variables = { ...(input.variables ?? {}) };
    if (input.stepLimits) {
      const bad = Object.entries(input.stepLimits).some(([k, n]) => !NAME.test(k) || !Number.isInteger(n) || n < 1 || n > 999);
      if (bad) fields.push({ field: 'stepLimits', message: '环节时限应为 1–999 个工作日' });
      else variables.stepLimits = { ...input.stepLimits };
    }
    const varError = checkVariables(variables);
    if (varError) fields.push({ field: 'variables', message: varError });
    if (fields.length > 0) return refuse('invalid', '启动流程的参数有误', fields);

    let def: DefinitionRow | null = null;
    if (input.definitionVersionId) {
      def = await this.repo.definitionById(input.definitionVersionId, uow.tx);
      if (!def) return refuse('not_found', '指定的流程定义版本不存在');
      if (def.status === 'draft') return refuse('invalid', '流程定义尚未发布，不能启动');
    } else if (input.key) {
      def = await this.repo.publishedDefinition(input.key, input.organisationId, uow.tx);
      if (!def && input.fallbackToDefault === false) return refuse('not_found', `流程“${input.key}”没有已发布的版本`);
    }
    def ??= await this.ensureDefaultDefinition(uow.tx);
    this.models.set(def.id, def.model);

    const state: InstanceState = { tokens: [], seq: 0 };
    const machine = new Machine(def.model, state, variables);
    const fx = this.runMachine(() => machine.start());
    if (!fx.ok) return fx;
    const instance = await this.repo.insertInstance(uow.tx, {
      definition: def,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      organisationId: input.organisationId,
      jurisdictionCode: input.jurisdictionCode ?? '',
      tokens: state,
      variables,
      startedBy: actorId(uow.ctx.actor),
    });
    const ended = fx.value.ended;
    if (ended) await this.repo.saveInstance(uow.tx, instance, { tokens: state, variables, state: 'completed' });
    const applied = await this.apply(uow, instance, fx.value);
    await uow.audit({
      action: 'workflow.instance.start',
      objectType: 'workflow_instance',
      objectId: instance.id,
      detail: { subjectType: instance.subjectType, subjectId: instance.subjectId, key: def.key, version: def.version, entered: fx.value.entered },
    });
    return ok({ instance: ended ? { ...instance, state: 'completed' } : instance, ...applied, ended });
  }

  // ---------------------------------------------------------------- complete

  async complete(uow: UnitOfWork, taskId: string, input: CompleteInput = {}): Promise<WorkflowResult<StepResult & { task: TaskRow; handedBack: boolean }>> {
    const actor = uow.ctx.actor;
    const loaded = await this.loadForTask(uow, taskId, 'workflow.task.complete');
    if (!loaded.ok) return loaded;
    const { task, instance } = loaded.value;
    if (task.kind !== 'user') return refuse('invalid', '抄送件只能阅读，不能办理');
    if (!canHandle(actor, task)) return this.deny(uow, 'workflow.task.complete', task, '您不是该任务的办理人');
    if (input.version !== undefined && input.version !== task.version) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    const outcome = input.outcome?.trim() || null;
    const comment = input.comment?.trim() || null;
    if (outcome !== null && !NAME.test(outcome)) return refuse('invalid', '办理结果无效', [{ field: 'outcome', message: '办理结果只能是字母、数字和下划线（如 approve、reject）' }]);
    if (comment !== null && comment.length > 2000) return refuse('invalid', '办理意见过长', [{ field: 'comment', message: '办理意见不能超过 2000 个字' }]);

    // 委托: the delegate's answer goes back to the delegator, who then completes the step.
    if (task.delegatedFrom) {
      const back = await this.repo.updateOpenTask(uow.tx, task, { assignee: task.delegatedFrom, delegatedFrom: null, comment });
      if (!back) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
      await uow.audit({ action: 'workflow.task.resolve', objectType: 'workflow_task', objectId: task.id, detail: { instanceId: instance.id, nodeId: task.nodeId, to: task.delegatedFrom, outcome } });
      return ok({ task: back, instance, opened: [], cancelled: [], ended: false, handedBack: true });
    }

    const variables = { ...instance.variables, ...(input.variables ?? {}) };
    if (outcome !== null) variables.outcome = outcome;
    const varError = checkVariables(variables);
    if (varError) return refuse('invalid', varError, [{ field: 'variables', message: varError }]);
    const model = await this.modelOf(instance.definitionId, uow.tx);
    if (!model) return refuse('not_found', '流程定义不存在');
    // The machine runs before anything is written: a refusal (no branch matches) leaves no trace.
    const state = structuredClone(instance.tokens);
    const machine = new Machine(model, state, variables);
    const fx = this.runMachine(() => machine.completeTask(task.tokenId ?? '', outcome));
    if (!fx.ok) return fx;
    // A single (non-会签) task was its token's only open task: nothing else to cancel.
    if (task.miIndex === null) fx.value.cancelTokens = fx.value.cancelTokens.filter((tok) => tok !== task.tokenId);
    const entry = {
      action: 'workflow.task.complete',
      objectType: 'workflow_task',
      objectId: task.id,
      detail: { instanceId: instance.id, subjectType: instance.subjectType, subjectId: instance.subjectId, nodeId: task.nodeId, outcome, entered: fx.value.entered },
    };
    // Close the task and save the instance in one statement (both version-checked). With no
    // other open task to cancel (a step of a sequence, the common case), the same statement
    // opens the next tasks and writes the audit entry.
    const inline = fx.value.cancelTokens.length === 0;
    const status: InstanceStatus = fx.value.ended ? 'completed' : 'running';
    const written = await this.repo.closeTaskAndSaveInstance(
      uow.tx,
      task,
      { state: 'done', by: actorId(actor), outcome, comment },
      instance,
      { tokens: state, variables, state: status },
      inline ? { open: await this.newTasks(uow, instance, fx.value), audit: [uow.auditRow(entry)] } : undefined,
    );
    const closed = written.task;
    if (!closed) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    if (!written.saved) throw new Error(`workflow instance ${instance.id} changed while locked`);
    let applied: { opened: TaskRow[]; cancelled: TaskRow[] };
    if (inline) {
      await this.sideEffects(uow, instance, fx.value);
      applied = { opened: written.opened, cancelled: [] };
    } else {
      applied = await this.apply(uow, instance, fx.value);
      await uow.audit(entry);
    }
    return ok({ task: closed, instance: { ...instance, tokens: state, variables, state: status, version: instance.version + 1 }, ...applied, ended: fx.value.ended, handedBack: false });
  }

  // ---------------------------------------------------------------- approval operations

  /** 退回/驳回: every open step is cancelled and the process resumes at an earlier user task. */
  async returnTo(uow: UnitOfWork, taskId: string, input: { targetNodeId: string; comment?: string; version?: number }): Promise<WorkflowResult<StepResult>> {
    const actor = uow.ctx.actor;
    const loaded = await this.loadForTask(uow, taskId, 'workflow.task.return');
    if (!loaded.ok) return loaded;
    const { task, instance } = loaded.value;
    if (task.kind !== 'user' || !canHandle(actor, task)) return this.deny(uow, 'workflow.task.return', task, '您不是该任务的办理人，不能退回');
    if (input.version !== undefined && input.version !== task.version) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    const earlier = await this.returnTargets(instance.id, uow.tx);
    if (!earlier.some((t) => t.nodeId === input.targetNodeId)) {
      return refuse('invalid', '只能退回到本流程已经办理过的步骤', [{ field: 'targetNodeId', message: '请选择一个已经办理过的步骤' }]);
    }
    const comment = input.comment?.trim() || null;
    const model = await this.modelOf(instance.definitionId, uow.tx);
    if (!model) return refuse('not_found', '流程定义不存在');
    const state = structuredClone(instance.tokens);
    const variables = { ...instance.variables, outcome: 'returned' };
    const machine = new Machine(model, state, variables);
    const fx = this.runMachine(() => machine.returnTo(input.targetNodeId));
    if (!fx.ok) return fx;
    const closed = await this.repo.closeTask(uow.tx, task, { state: 'done', by: actorId(actor), outcome: 'returned', comment });
    if (!closed) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    const saved = await this.save(uow, instance, state, variables, fx.value);
    if (!saved.ok) return saved;
    await uow.audit({ action: 'workflow.task.return', objectType: 'workflow_task', objectId: task.id, detail: { instanceId: instance.id, from: task.nodeId, to: input.targetNodeId, comment } });
    return saved;
  }

  /** The user tasks a step may be returned to: those already completed in this instance. */
  async returnTargets(instanceId: string, db?: Db | Tx): Promise<{ nodeId: string; name: string }[]> {
    const tasks = await this.repo.tasksOfInstance(instanceId, { state: 'done', kind: 'user' }, db);
    const seen = new Map<string, string>();
    for (const t of tasks) if (t.outcome !== 'returned' && !seen.has(t.nodeId)) seen.set(t.nodeId, t.name);
    return [...seen].map(([nodeId, name]) => ({ nodeId, name }));
  }

  /** 转办: the task now belongs to another person, for good. */
  async transfer(uow: UnitOfWork, taskId: string, input: { to: string; comment?: string; version?: number }): Promise<WorkflowResult<TaskRow>> {
    return this.reassign(uow, taskId, input, 'transfer');
  }

  /** 委托: another person handles the task and it comes back to the delegator to complete. */
  async delegate(uow: UnitOfWork, taskId: string, input: { to: string; comment?: string; version?: number }): Promise<WorkflowResult<TaskRow>> {
    return this.reassign(uow, taskId, input, 'delegate');
  }

  private async reassign(uow: UnitOfWork, taskId: string, input: { to: string; comment?: string; version?: number }, kind: 'transfer' | 'delegate'): Promise<WorkflowResult<TaskRow>> {
    const action = `workflow.task.${kind}`;
    const actor = uow.ctx.actor;
    const loaded = await this.loadForTask(uow, taskId, action);
    if (!loaded.ok) return loaded;
    const { task, instance } = loaded.value;
    if (task.kind !== 'user' || !canHandle(actor, task)) return this.deny(uow, action, task, kind === 'transfer' ? '您不是该任务的办理人，不能转办' : '您不是该任务的办理人，不能委托');
    const to = input.to?.trim() ?? '';
    if (!to || to.length > 100) return refuse('invalid', '请选择接收人', [{ field: 'to', message: '请选择接收人' }]);
    const me = actorId(actor);
    if (to === me || to === task.assignee) return refuse('invalid', '接收人不能是当前办理人', [{ field: 'to', message: '接收人不能是当前办理人' }]);
    if (kind === 'delegate' && task.delegatedFrom) return refuse('invalid', '该任务已是委托办理，不能再次委托', [{ field: 'to', message: '委托的任务不能再次委托' }]);
    if (input.version !== undefined && input.version !== task.version) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    const from = task.assignee ?? me;
    const patch = kind === 'transfer' ? { assignee: to, transferredFrom: from } : { assignee: to, delegatedFrom: from };
    const updated = await this.repo.updateOpenTask(uow.tx, task, { ...patch, ...(input.comment?.trim() ? { comment: input.comment.trim().slice(0, 2000) } : {}) });
    if (!updated) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    await uow.audit({ action, objectType: 'workflow_task', objectId: task.id, detail: { instanceId: instance.id, nodeId: task.nodeId, from, to } });
    await notify(uow, {
      recipientAccountId: to,
      channel: 'inbox',
      subject: kind === 'transfer' ? `转办：${task.name}` : `委托办理：${task.name}`,
      body: `您收到一项${kind === 'transfer' ? '转办' : '委托办理'}的任务“${task.name}”，请在待办中处理。${input.comment?.trim() ? `说明：${input.comment.trim().slice(0, 500)}` : ''}`,
      dedupeKey: `workflow:${action}:${task.id}:${updated.version}`,
    });
    return ok(updated);
  }

  /** 加签: one more signer on a 会签 (multi-instance) step. */
  async addSigner(uow: UnitOfWork, taskId: string, input: { signer: Signer | string; version?: number }): Promise<WorkflowResult<StepResult>> {
    const actor = uow.ctx.actor;
    const loaded = await this.loadForTask(uow, taskId, 'workflow.task.add_signer');
    if (!loaded.ok) return loaded;
    const { task, instance } = loaded.value;
    if (task.kind !== 'user' || !(canHandle(actor, task) || isOrgHead(actor, instance.organisationId))) return this.deny(uow, 'workflow.task.add_signer', task, '只有会签人或部门负责人可以加签');
    const signer: Signer = typeof input.signer === 'string' ? { assignee: input.signer, organisationId: null, roles: null } : input.signer;
    if (!signer.assignee && !signer.organisationId) return refuse('invalid', '请指定加签人', [{ field: 'signer', message: '请指定加签人或加签单位' }]);
    const model = await this.modelOf(instance.definitionId, uow.tx);
    if (!model) return refuse('not_found', '流程定义不存在');
    const state = structuredClone(instance.tokens);
    const variables = { ...instance.variables };
    const machine = new Machine(model, state, variables);
    const fx = this.runMachine(() => machine.addSigner(task.tokenId ?? '', signer));
    if (!fx.ok) return fx;
    const saved = await this.save(uow, instance, state, variables, fx.value);
    if (!saved.ok) return saved;
    await uow.audit({ action: 'workflow.task.add_signer', objectType: 'workflow_task', objectId: task.id, detail: { instanceId: instance.id, nodeId: task.nodeId, signer: signer.assignee ?? signer.organisationId } });
    return saved;
  }

  /** 减签: an open signer task of a 会签 step is withdrawn; the step may complete because of it. */
  async removeSigner(uow: UnitOfWork, taskId: string, input: { comment?: string; version?: number } = {}): Promise<WorkflowResult<StepResult>> {
    const actor = uow.ctx.actor;
    const loaded = await this.loadForTask(uow, taskId, 'workflow.task.remove_signer');
    if (!loaded.ok) return loaded;
    const { task, instance } = loaded.value;
    if (task.kind !== 'user' || !isOrgHead(actor, instance.organisationId)) return this.deny(uow, 'workflow.task.remove_signer', task, '只有部门负责人可以减签');
    if (task.miIndex === null) return refuse('invalid', '只有会签任务可以减签');
    if (input.version !== undefined && input.version !== task.version) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    const model = await this.modelOf(instance.definitionId, uow.tx);
    if (!model) return refuse('not_found', '流程定义不存在');
    const state = structuredClone(instance.tokens);
    const variables = { ...instance.variables };
    const machine = new Machine(model, state, variables);
    const fx = this.runMachine(() => machine.removeSigner(task.tokenId ?? ''));
    if (!fx.ok) return fx;
    const closed = await this.repo.closeTask(uow.tx, task, { state: 'cancelled', by: actorId(actor), outcome: 'removed', comment: input.comment?.trim() || null });
    if (!closed) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    const saved = await this.save(uow, instance, state, variables, fx.value);
    if (!saved.ok) return saved;
    await uow.audit({ action: 'workflow.task.remove_signer', objectType: 'workflow_task', objectId: task.id, detail: { instanceId: instance.id, nodeId: task.nodeId, removed: task.assignee ?? task.organisationId } });
    return ok({ ...saved.value, cancelled: [closed, ...saved.value.cancelled] });
  }

  /** 抄送: read-only copies for people who should know; they appear in their 抄送 list. */
  async copyTo(uow: UnitOfWork, instanceId: string, input: { to: string[]; nodeId?: string; comment?: string }): Promise<WorkflowResult<TaskRow[]>> {
    const actor = uow.ctx.actor;
    const instance = await this.repo.instanceById(instanceId, uow.tx);
    if (!instance) return refuse('not_found', '流程实例不存在');
    if (actor.kind !== 'staff' && actor.kind !== 'system') return refuse('forbidden', '只有工作人员可以抄送');
    const to = [...new Set((input.to ?? []).map((s) => s.trim()).filter(Boolean))];
    if (to.length === 0 || to.length > 50 || to.some((s) => s.length > 100)) return refuse('invalid', '请选择抄送人（1 至 50 人）', [{ field: 'to', message: '请选择抄送人（1 至 50 人）' }]);
    const model = await this.modelOf(instance.definitionId, uow.tx);
    const node = input.nodeId && model?.nodes[input.nodeId] ? model.nodes[input.nodeId] : null;
    const tasks = await this.repo.insertTasks(
      uow.tx,
      to.map((assignee) => ({
        instanceId: instance.id,
        subjectType: instance.subjectType,
        subjectId: instance.subjectId,
        kind: 'copy' as const,
        tokenId: null,
        nodeId: node?.id ?? '',
        name: `抄送：${node?.name ?? '办理情况'}`,
        candidateRoles: [],
        organisationId: instance.organisationId,
        assignee,
        miIndex: null,
        dueAt: null,
        createdBy: actorId(actor),
      })),
    );
    for (const t of tasks) {
      await notify(uow, { recipientAccountId: t.assignee, channel: 'inbox', subject: '抄送通知', body: `${input.comment?.trim() ? `${input.comment.trim().slice(0, 500)}\n` : ''}有一份办件抄送给您，请在“抄送我的”中查阅。`, dedupeKey: `workflow:copy:${t.id}` });
    }
    await uow.audit({ action: 'workflow.instance.copy', objectType: 'workflow_instance', objectId: instance.id, detail: { to, nodeId: node?.id ?? null } });
    return ok(tasks);
  }

  /** The copy's reader marks it read. */
  async markCopyRead(uow: UnitOfWork, taskId: string): Promise<WorkflowResult<TaskRow>> {
    const task = await this.repo.taskById(taskId, uow.tx);
    const me = actorId(uow.ctx.actor);
    if (!task || task.kind !== 'copy' || task.assignee !== me) return refuse('not_found', '抄送件不存在');
    if (task.state !== 'open') return ok(task);
    const closed = await this.repo.closeTask(uow.tx, task, { state: 'done', by: me, outcome: 'read', comment: null });
    if (!closed) return refuse('conflict', '该抄送件已被处理');
    await uow.audit({ action: 'workflow.copy.read', objectType: 'workflow_task', objectId: task.id, detail: { instanceId: task.instanceId } });
    return ok(closed);
  }

  /** 催办: recorded on the task, audited, and sent to the assignee's inbox. */
  async urge(uow: UnitOfWork, taskId: string, input: { message?: string } = {}): Promise<WorkflowResult<TaskRow>> {
    const actor = uow.ctx.actor;
    const task = await this.repo.taskById(taskId, uow.tx);
    if (!task || task.kind !== 'user') return refuse('not_found', '任务不存在');
    if (task.state !== 'open') return refuse('conflict', '该任务已办结，无需催办');
    if (actor.kind !== 'staff' && actor.kind !== 'system') return refuse('forbidden', '只有工作人员可以催办');
    const message = (input.message ?? '').trim().slice(0, 500);
    const updated = await this.repo.updateOpenTask(uow.tx, task, { urge: true });
    if (!updated) return refuse('conflict', '该任务已被他人处理或修改，请刷新后重试');
    if (task.assignee) {
      await notify(uow, {
        recipientAccountId: task.assignee,
        channel: 'inbox',
        subject: `催办：${task.name}`,
        body: `任务“${task.name}”已被催办（第 ${updated.urgeCount} 次）${task.dueAt ? `，办理期限 ${task.dueAt.toISOString()}` : ''}。${message}`,
        dedupeKey: `workflow:urge:${task.id}:${updated.urgeCount}`,
      });
    }
    await uow.audit({ action: 'workflow.task.urge', objectType: 'workflow_task', objectId: task.id, detail: { instanceId: task.instanceId, nodeId: task.nodeId, count: updated.urgeCount, notified: task.assignee } });
    return ok(updated);
  }

  /** Ends a running instance (case withdrawn or voided): its open tasks are cancelled. */
  async cancel(uow: UnitOfWork, instanceId: string, input: { reason: string }): Promise<WorkflowResult<StepResult>> {
    const instance = await this.repo.lockInstance(uow.tx, instanceId);
    if (!instance) return refuse('not_found', '流程实例不存在');
    if (instance.state !== 'running') return refuse('conflict', '流程已经结束');
    const fx = newEffects();
    fx.cancelTokens.push(...instance.tokens.tokens.map((t) => t.id));
    const state: InstanceState = { tokens: [], seq: instance.tokens.seq };
    const cancelled = await this.repo.cancelOpenTasksOfTokens(uow.tx, instance.id, fx.cancelTokens);
    if (!(await this.repo.saveInstance(uow.tx, instance, { tokens: state, variables: instance.variables, state: 'cancelled' }))) return refuse('conflict', '流程已被他人修改，请刷新后重试');
    await uow.audit({ action: 'workflow.instance.cancel', objectType: 'workflow_instance', objectId: instance.id, detail: { reason: input.reason.slice(0, 500) } });
    return ok({ instance: { ...instance, state: 'cancelled', tokens: state, version: instance.version + 1 }, opened: [], cancelled, ended: true });
  }

  /** A due timer (job queue). Stale timers — the token moved on — do nothing. */
  async fireTimer(uow: UnitOfWork, p: { instanceId: string; tokenId: string; nodeId: string; entry: number }): Promise<WorkflowResult<StepResult | null>> {
    const instance = await this.repo.lockInstance(uow.tx, p.instanceId);
    if (!instance || instance.state !== 'running') return ok(null);
    const model = await this.modelOf(instance.definitionId, uow.tx);
    if (!model) return ok(null);
    const state = structuredClone(instance.tokens);
    const variables = { ...instance.variables };
    const machine = new Machine(model, state, variables);
    let effects: Effects | null;
    try {
      effects = machine.fireTimer(p.tokenId, p.nodeId, p.entry);
    } catch (e) {
      if (e instanceof WorkflowRuntimeError || e instanceof ExpressionError) {
        await uow.audit({ action: 'workflow.timer.fire', objectType: 'workflow_instance', objectId: instance.id, outcome: 'failure', detail: { nodeId: p.nodeId, reason: e.message } });
        return ok(null);
      }
      throw e;
    }
    if (!effects) return ok(null);
    const saved = await this.save(uow, instance, state, variables, effects);
    if (!saved.ok) return saved;
    await uow.audit({ action: 'workflow.timer.fire', objectType: 'workflow_instance', objectId: instance.id, detail: { nodeId: p.nodeId, entered: effects.entered } });
    return saved;
  }

  // ---------------------------------------------------------------- queries

  openTasks(db: Db | Tx, instanceId: string): Promise<TaskRow[]> {
    return this.repo.tasksOfInstance(instanceId, { state: 'open', kind: 'user' }, db);
  }

  /** Every task of the instance, oldest first (the case timeline). */
  history(db: Db | Tx, instanceId: string): Promise<TaskRow[]> {
    return this.repo.tasksOfInstance(instanceId, {}, db);
  }

  /** The working-day calendar step limits of instances in this jurisdiction are counted on. */
  calendarOf(jurisdictionCode: string, db: Db | Tx): Promise<WorkCalendar> {
    return this.calendarFor(jurisdictionCode, db);
  }

  instance(db: Db | Tx, instanceId: string): Promise<InstanceRow | null> {
    return this.repo.instanceById(instanceId, db);
  }

  instancesOf(db: Db | Tx, subjectType: string, subjectId: string): Promise<InstanceRow[]> {
    return this.repo.instancesOfSubject(subjectType, subjectId, db);
  }

  task(db: Db | Tx, taskId: string): Promise<TaskRow | null> {
    return this.repo.taskById(taskId, db);
  }

  /** 待办 / 已办 / 抄送我的, paged; subjectType narrows to one kind of business (e.g. 'case'). */
  inbox(db: Db | Tx, actor: Actor, box: 'todo' | 'done' | 'copied', opts: { subjectType?: string; unreadOnly?: boolean; limit: number; offset: number }): Promise<Page<TaskRow>> {
    const who = inboxActor(actor);
    if (!who) return Promise.resolve({ rows: [], total: 0 });
    if (box === 'todo') return this.repo.todo(who, opts, db);
    if (box === 'done') return this.repo.done(who, opts, db);
    return this.repo.copied(who, opts, db);
  }

  // ---------------------------------------------------------------- internals

  private runMachine(f: () => Effects): WorkflowResult<Effects> {
    try {
      return ok(f());
    } catch (e) {
      if (e instanceof WorkflowRuntimeError || e instanceof ExpressionError) return refuse('invalid', e.message);
      throw e;
    }
  }

  private async loadForTask(uow: UnitOfWork, taskId: string, action: string): Promise<WorkflowResult<{ task: TaskRow; instance: InstanceRow }>> {
    // The task and its instance, the instance locked: parallel branches and two people acting
    // on one task serialise here. The task row may be stale by the time the lock is granted;
    // every write to it checks state and version, so the loser of a race gets a conflict
    // before it has written anything.
    const loaded = await this.repo.taskWithLockedInstance(uow.tx, taskId);
    if (!loaded) return refuse('not_found', '任务不存在');
    const { task, instance } = loaded;
    if (task.state !== 'open') {
      await uow.audit({ action, objectType: 'workflow_task', objectId: task.id, outcome: 'denied', detail: { reason: 'not_open', state: task.state } });
      return refuse('conflict', task.state === 'done' ? '该任务已由他人办理，请刷新后查看' : '该任务已取消（流程已退回或变更），请刷新后查看');
    }
    if (instance.state !== 'running') return refuse('conflict', '流程已经结束');
    return ok({ task, instance });
  }

  private async deny(uow: UnitOfWork, action: string, task: TaskRow, message: string): Promise<{ ok: false; reason: 'forbidden'; message: string }> {
    await uow.audit({ action, objectType: 'workflow_task', objectId: task.id, outcome: 'denied', detail: { instanceId: task.instanceId } });
    return refuse('forbidden', message);
  }

  private async save(uow: UnitOfWork, instance: InstanceRow, state: InstanceState, variables: Record<string, unknown>, fx: Effects): Promise<WorkflowResult<StepResult>> {
    const status = fx.ended ? 'completed' : 'running';
    if (!(await this.repo.saveInstance(uow.tx, instance, { tokens: state, variables, state: status }))) return refuse('conflict', '流程已被他人推进，请刷新后重试');
    const applied = await this.apply(uow, instance, fx);
    return ok({ instance: { ...instance, tokens: state, variables, state: status, version: instance.version + 1 }, ...applied, ended: fx.ended });
  }

  /** Persists the machine's effects: cancels before opens, so a token re-entering a step keeps its new tasks. */
  private async apply(uow: UnitOfWork, instance: InstanceRow, fx: Effects): Promise<{ opened: TaskRow[]; cancelled: TaskRow[] }> {
    const cancelled = fx.cancelTokens.length > 0 ? await this.repo.cancelOpenTasksOfTokens(uow.tx, instance.id, fx.cancelTokens) : [];
    const opened = await this.repo.insertTasks(uow.tx, await this.newTasks(uow, instance, fx));
    await this.sideEffects(uow, instance, fx);
    return { opened, cancelled };
  }

  /** The task rows to open, with due times from the step limits on the instance's calendar. */
  private async newTasks(uow: UnitOfWork, instance: InstanceRow, fx: Effects): Promise<NewTask[]> {
    if (fx.open.length === 0) return [];
    const now = this.now();
    const limitOf = (t: Effects['open'][number]): StepLimit | null => t.limit ?? variableStepLimit(instance.variables, t.nodeId);
    const calendar = fx.open.some((t) => limitOf(t)?.unit === 'G') ? await this.calendarFor(instance.jurisdictionCode, uow.tx) : null;
    return fx.open.map((t) => ({
      instanceId: instance.id,
      subjectType: instance.subjectType,
      subjectId: instance.subjectId,
      kind: 'user' as const,
      tokenId: t.tokenId,
      nodeId: t.nodeId,
      name: t.name,
      candidateRoles: t.roles,
      organisationId: t.organisationId ?? instance.organisationId,
      assignee: t.assignee,
      miIndex: t.miIndex,
      dueAt: limitOf(t) ? stepDue(now, limitOf(t)!, calendar) : null,
      createdBy: actorId(uow.ctx.actor),
    }));
  }

  /** Timers into the job queue, notifications of service tasks. */
  private async sideEffects(uow: UnitOfWork, instance: InstanceRow, fx: Effects): Promise<void> {
    if (fx.timers.length === 0 && fx.services.length === 0) return;
    const now = this.now();
    const calendar = fx.timers.some((t) => t.workingDays) ? await this.calendarFor(instance.jurisdictionCode, uow.tx) : null;
    for (const timer of fx.timers) {
      await uow.enqueue({
        queue: WORKFLOW_TIMER_QUEUE,
        payload: { instanceId: instance.id, tokenId: timer.tokenId, nodeId: timer.nodeId, entry: timer.entry },
        runAt: timerDue(now, timer, calendar),
        dedupeKey: `workflow.timer:${instance.id}:${timer.tokenId}:${timer.nodeId}:${timer.entry}`,
      });
    }
    for (const s of fx.services) {
      if (s.action === 'notify' && s.recipient && s.message) {
        await notify(uow, { recipientAccountId: s.recipient, channel: 'inbox', subject: '办件进展', body: s.message, dedupeKey: `workflow:service:${instance.id}:${s.nodeId}:${instance.version}` });
      }
    }
  }
}

/** End of the n-th working day (G) or natural day (Z, rolled to a working day) after today. */
export function stepDue(now: Date, limit: StepLimit, calendar: WorkCalendar | null): Date {
  const today = civilDayAt(now);
  const cal = calendar ?? nationalCalendar();
  const day = limit.unit === 'G' ? cal.addWorkingDays(today, limit.n).date : cal.addCalendarDays(today, limit.n, true).date;
  return new Date(endOfCivilDay(day));
}

/** When a timer fires: now + the ISO duration, or the same time of day n working days later. */
export function timerDue(now: Date, timer: Pick<TimerToSchedule, 'duration' | 'workingDays'>, calendar: WorkCalendar | null): Date {
  const d = parseDuration(timer.duration);
  if (!d) return now;
  if (timer.workingDays) {
    const today = civilDayAt(now);
    const target = (calendar ?? nationalCalendar()).addWorkingDays(today, d.days + d.weeks * 5).date;
    return new Date(startOfCivilDay(target) + (now.getTime() - startOfCivilDay(today)));
  }
  const t = new Date(now.getTime());
  if (d.years || d.months) t.setUTCMonth(t.getUTCMonth() + d.years * 12 + d.months);
  return new Date(t.getTime() + (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000);
}

export function inboxActor(actor: Actor): InboxActor | null {
  if (actor.kind !== 'staff') return null;
  return { accountId: actor.accountId, organisationId: actor.position.organisationId, roles: actor.position.roles };
}

/** The assignee, or (unassigned) staff of the task's organisation holding one of its roles; the system may act for timers and migrations. */
export function canHandle(actor: Actor, task: TaskRow): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'staff') return false;
  if (task.assignee) return task.assignee === actor.accountId;
  return actor.position.organisationId === task.organisationId && actor.position.roles.some((r) => task.candidateRoles.includes(r));
}

function isOrgHead(actor: Actor, organisationId: string): boolean {
  if (actor.kind === 'system') return true;
  return actor.kind === 'staff' && actor.position.organisationId === organisationId && actor.position.roles.includes('org_head');
}

/** A limit from the instance variable `stepLimits` (set at start), for tasks whose BPMN sets none. */
function variableStepLimit(variables: Record<string, unknown>, nodeId: string): StepLimit | null {
  const limits = variables.stepLimits;
  if (!limits || typeof limits !== 'object' || Array.isArray(limits) || !Object.hasOwn(limits, nodeId)) return null;
  const n = (limits as Record<string, unknown>)[nodeId];
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 999 ? { n, unit: 'G' } : null;
}

function checkVariables(v: Record<string, unknown>): string | null {
  for (const k of Object.keys(v)) if (!NAME.test(k)) return `变量名“${k.slice(0, 40)}”无效（字母开头，只含字母、数字、下划线）`;
  if (JSON.stringify(v).length > MAX_VARIABLES_BYTES) return '流程变量过大';
  return null;
}

