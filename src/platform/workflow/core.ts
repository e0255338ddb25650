import { parseExpression, test, type Expr } from './expression.ts';
import type { StepLimit, UserTaskNode, WorkflowFlow, WorkflowModel, WorkflowNode } from './model.ts';

/**
 * The token machine, without I/O: given a compiled model and an instance's state, each
 * operation mutates the state and returns the effects (tasks to open or cancel, timers to
 * schedule, services to run). The engine persists the effects in the caller's transaction;
 * unit tests drive this directly.
 */

export interface Signer {
  assignee: string | null;
  organisationId: string | null;
  roles: string[] | null;
}

export interface MultiInstanceState {
  total: number;
  completed: number;
  approved: number;
  rejected: number;
  /** Sequential 会签: signers still to come, in order. */
  pending: Signer[];
}

export interface Token {
  id: string;
  node: string;
  /** task: waiting on user tasks; join: arrived at a parallel join; timer: waiting on a timer. */
  wait: 'task' | 'join' | 'timer';
  /** The flow the token arrived on (parallel joins count one token per incoming flow). */
  via: string | null;
  /** Sequence number of the entry into the node; timers carry it so a stale timer never fires. */
  entry: number;
  mi?: MultiInstanceState;
}

export interface InstanceState {
  tokens: Token[];
  seq: number;
}

export interface TaskToOpen {
  tokenId: string;
  nodeId: string;
  name: string;
  roles: string[];
  /** null: the instance's organisation. */
  organisationId: string | null;
  assignee: string | null;
  limit: StepLimit | null;
  miIndex: number | null;
}

export interface TimerToSchedule {
  tokenId: string;
  /** The node whose timer it is: a timer catch event or a boundary timer. */
  nodeId: string;
  entry: number;
  duration: string;
  workingDays: boolean;
}

export interface Effects {
  open: TaskToOpen[];
  /** Tokens whose open tasks are cancelled. */
  cancelTokens: string[];
  timers: TimerToSchedule[];
  services: { nodeId: string; action: 'noop' | 'notify'; recipient: string | null; message: string | null }[];
  /** Nodes entered, in order (for the audit detail). */
  entered: string[];
  ended: boolean;
}

export class WorkflowRuntimeError extends Error {
  override readonly name = 'WorkflowRuntimeError';
}

const exprCache = new Map<string, Expr>();
function expr(source: string): Expr {
  let e = exprCache.get(source);
  if (!e) {
    e = parseExpression(source);
    if (exprCache.size > 5000) exprCache.clear();
    exprCache.set(source, e);
  }
  return e;
}

const MAX_STEPS = 1000;

export function newEffects(): Effects {
  return { open: [], cancelTokens: [], timers: [], services: [], entered: [], ended: false };
}

export class Machine {
  private steps = 0;
  constructor(
    readonly model: WorkflowModel,
    readonly state: InstanceState,
    readonly variables: Record<string, unknown>,
    readonly fx: Effects = newEffects(),
  ) {}

  private node(id: string): WorkflowNode {
    const n = this.model.nodes[id];
    if (!n) throw new WorkflowRuntimeError(`流程中没有节点 ${id}`);
    return n;
  }

  private flow(id: string): WorkflowFlow {
    return this.model.flows[id] as WorkflowFlow;
  }

  private newToken(node: string, via: string | null): Token {
    this.state.seq += 1;
    const t: Token = { id: `t${this.state.seq}`, node, wait: 'task', via, entry: this.state.seq };
    this.state.tokens.push(t);
    return t;
  }

  private removeToken(t: Token): void {
    this.state.tokens = this.state.tokens.filter((x) => x !== t);
  }

  token(id: string): Token | undefined {
    return this.state.tokens.find((t) => t.id === id);
  }

  /** Starts the instance: one token at the start event. */
  start(): Effects {
    const t = this.newToken(this.model.startId, null);
    this.enter(t);
    return this.fx;
  }

  /** Moves a token along a flow into the flow's target. */
  private take(t: Token, flowId: string): void {
    const f = this.flow(flowId);
    t.node = f.target;
    t.via = flowId;
    delete t.mi;
    this.enter(t);
  }

  private enter(t: Token): void {
    if (++this.steps > MAX_STEPS) throw new WorkflowRuntimeError('流程在没有等待步骤的情况下循环，已停止');
    this.state.seq += 1;
    t.entry = this.state.seq;
    const n = this.node(t.node);
    this.fx.entered.push(n.id);
    switch (n.type) {
      case 'start':
      case 'serviceTask':
        if (n.type === 'serviceTask') this.fx.services.push({ nodeId: n.id, action: n.action, recipient: n.recipientVariable ? stringOrNull(this.variables[n.recipientVariable]) : null, message: n.message });
        this.take(t, n.outgoing[0] as string);
        return;
      case 'end':
        this.removeToken(t);
        if (this.state.tokens.length === 0) this.fx.ended = true;
        return;
      case 'userTask':
        t.wait = 'task';
        this.openUserTask(t, n);
        return;
      case 'timerCatch':
        t.wait = 'timer';
        this.fx.timers.push({ tokenId: t.id, nodeId: n.id, entry: t.entry, duration: n.timer.duration, workingDays: n.timer.workingDays });
        return;
      case 'exclusiveGateway': {
        const chosen = this.choose(n.outgoing, n.type === 'exclusiveGateway' ? n.defaultFlow : null);
        if (!chosen) throw new WorkflowRuntimeError(`排他网关 ${n.id}（${n.name}）没有满足条件的分支，也没有默认流`);
        this.take(t, chosen);
        return;
      }
      case 'parallelGateway': {
        if (n.incoming.length > 1) {
          t.wait = 'join';
          // One token per incoming flow completes the join (BPMN 2.0 §13.4.2).
          const waiting = this.state.tokens.filter((x) => x.node === n.id && x.wait === 'join');
          const byFlow = new Map<string, Token>();
          for (const x of waiting) if (x.via && !byFlow.has(x.via)) byFlow.set(x.via, x);
          if (!n.incoming.every((f) => byFlow.has(f))) return;
          for (const x of byFlow.values()) if (x !== t) this.removeToken(x);
        }
        const [first, ...rest] = n.outgoing;
        const forks = rest.map((f) => ({ tok: this.newToken(n.id, null), f }));
        this.take(t, first as string);
        for (const { tok, f } of forks) {
          // A fork may already have been consumed (an end event) — only live tokens move on.
          if (this.state.tokens.includes(tok)) this.take(tok, f);
        }
        return;
      }
      case 'boundaryTimer':
        // Entered only by fireTimer; a boundary's own path continues at once.
        this.take(t, n.outgoing[0] as string);
        return;
    }
  }

  private choose(outgoing: string[], defaultFlow: string | null): string | null {
    for (const fid of outgoing) {
      if (fid === defaultFlow) continue;
      const f = this.flow(fid);
      if (f.condition === null || test(expr(f.condition), this.variables)) return fid;
    }
    return defaultFlow;
  }

  private signerTask(t: Token, n: UserTaskNode, s: Signer | null, miIndex: number | null): TaskToOpen {
    let organisationId: string | null = null;
    if (n.organisation) {
      const m = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}$/.exec(n.organisation);
      organisationId = m ? stringOrNull(this.variables[m[1] as string]) : n.organisation;
    }
    return {
      tokenId: t.id,
      nodeId: n.id,
      name: n.name,
      roles: s?.roles && s.roles.length > 0 ? s.roles : n.roles,
      organisationId: s?.organisationId ?? organisationId,
      assignee: s?.assignee ?? null,
      limit: n.limit,
      miIndex,
    };
  }

  private openUserTask(t: Token, n: UserTaskNode): void {
    for (const b of n.boundaries) {
      const bn = this.node(b);
      if (bn.type === 'boundaryTimer') this.fx.timers.push({ tokenId: t.id, nodeId: bn.id, entry: t.entry, duration: bn.timer.duration, workingDays: bn.timer.workingDays });
    }
    const mi = n.multiInstance;
    if (!mi) {
      this.fx.open.push(this.signerTask(t, n, null, null));
      return;
    }
    let signers: Signer[];
    if (mi.collection) {
      const raw = this.variables[mi.collection];
      if (!Array.isArray(raw) || raw.length === 0) throw new WorkflowRuntimeError(`会签任务 ${n.id}（${n.name}）需要变量 ${mi.collection} 提供会签人列表`);
      signers = raw.map(toSigner);
    } else {
      signers = Array.from({ length: mi.cardinality ?? 1 }, () => ({ assignee: null, organisationId: null, roles: null }));
    }
    t.mi = { total: signers.length, completed: 0, approved: 0, rejected: 0, pending: [] };
    if (mi.sequential) {
      const [first, ...rest] = signers;
      t.mi.pending = rest;
      this.fx.open.push(this.signerTask(t, n, first as Signer, 0));
    } else {
      signers.forEach((s, i) => this.fx.open.push(this.signerTask(t, n, s, i)));
    }
  }

  /**
   * A user task of the token was completed. For 会签 the token leaves when every instance is
   * done or the completion condition holds; otherwise it leaves at once.
   */
  completeTask(tokenId: string, outcome: string | null): Effects {
    const t = this.token(tokenId);
    if (!t || t.wait !== 'task') throw new WorkflowRuntimeError('该任务所在的流程步骤已不再等待办理');
    const n = this.node(t.node);
    if (n.type !== 'userTask') throw new WorkflowRuntimeError(`节点 ${n.id} 不是用户任务`);
    if (t.mi && n.multiInstance) {
      t.mi.completed += 1;
      if (outcome === 'approve') t.mi.approved += 1;
      if (outcome === 'reject') t.mi.rejected += 1;
      if (!this.multiInstanceDone(t, n)) {
        if (n.multiInstance.sequential) {
          const next = t.mi.pending.shift();
          if (next) this.fx.open.push(this.signerTask(t, n, next, t.mi.completed));
        }
        return this.fx;
      }
      this.leaveMultiInstance(t, n);
      return this.fx;
    }
    this.fx.cancelTokens.push(t.id);
    this.take(t, n.outgoing[0] as string);
    return this.fx;
  }

  private miVariables(t: Token): Record<string, number> {
    const mi = t.mi as MultiInstanceState;
    return { nrOfInstances: mi.total, nrOfCompletedInstances: mi.completed, nrOfActiveInstances: mi.total - mi.completed, nrOfApproved: mi.approved, nrOfRejected: mi.rejected };
  }

  private multiInstanceDone(t: Token, n: UserTaskNode): boolean {
    const mi = t.mi as MultiInstanceState;
    if (mi.completed >= mi.total) return true;
    const cond = n.multiInstance?.completion;
    return cond ? test(expr(cond), { ...this.variables, ...this.miVariables(t) }) : false;
  }

  private leaveMultiInstance(t: Token, n: UserTaskNode): void {
    // The 会签 tally stays visible to the next gateway (e.g. nrOfApproved / nrOfInstances >= 0.5).
    Object.assign(this.variables, this.miVariables(t));
    this.fx.cancelTokens.push(t.id);
    this.take(t, n.outgoing[0] as string);
  }

  /** 加签: one more signer on a 会签 task. Returns the task to open (parallel) or null (queued). */
  addSigner(tokenId: string, signer: Signer): Effects {
    const { t, n } = this.multiInstanceToken(tokenId);
    const mi = t.mi as MultiInstanceState;
    mi.total += 1;
    if (n.multiInstance?.sequential) mi.pending.push(signer);
    else this.fx.open.push(this.signerTask(t, n, signer, mi.total - 1));
    return this.fx;
  }

  /** 减签: one open signer task removed; the 会签 may now be complete. */
  removeSigner(tokenId: string): Effects {
    const { t, n } = this.multiInstanceToken(tokenId);
    const mi = t.mi as MultiInstanceState;
    if (mi.total - mi.completed <= 1 && mi.pending.length === 0) throw new WorkflowRuntimeError('会签至少要保留一名未办理的会签人，不能全部减去');
    mi.total -= 1;
    if (this.multiInstanceDone(t, n)) this.leaveMultiInstance(t, n);
    return this.fx;
  }

  /** 减签 of a signer still waiting in a sequential 会签. */
  removePendingSigner(tokenId: string, index: number): Signer {
    const { t } = this.multiInstanceToken(tokenId);
    const mi = t.mi as MultiInstanceState;
    const [removed] = mi.pending.splice(index, 1);
    if (!removed) throw new WorkflowRuntimeError('没有该待会签人');
    mi.total -= 1;
    return removed;
  }

  private multiInstanceToken(tokenId: string): { t: Token; n: UserTaskNode } {
    const t = this.token(tokenId);
    const n = t ? this.node(t.node) : null;
    if (!t || !t.mi || !n || n.type !== 'userTask' || !n.multiInstance) throw new WorkflowRuntimeError('只有会签任务可以加签或减签');
    return { t, n };
  }

  /** A timer is due. Stale timers (the token moved on, or re-entered the node since) do nothing. */
  fireTimer(tokenId: string, nodeId: string, entry: number): Effects | null {
    const t = this.token(tokenId);
    if (!t || t.entry !== entry) return null;
    const n = this.node(nodeId);
    if (n.type === 'timerCatch') {
      if (t.node !== n.id || t.wait !== 'timer') return null;
      this.take(t, n.outgoing[0] as string);
      return this.fx;
    }
    if (n.type === 'boundaryTimer') {
      if (t.node !== n.attachedTo || t.wait !== 'task') return null;
      if (n.cancelActivity) {
        this.fx.cancelTokens.push(t.id);
        t.node = n.id;
        delete t.mi;
        this.enter(t);
      } else {
        const extra = this.newToken(n.id, null);
        this.enter(extra);
      }
      return this.fx;
    }
    return null;
  }

  /** 退回: every open step is cancelled and the process resumes at `nodeId`. */
  returnTo(nodeId: string): Effects {
    const n = this.node(nodeId);
    if (n.type !== 'userTask') throw new WorkflowRuntimeError('只能退回到用户任务');
    for (const t of this.state.tokens) this.fx.cancelTokens.push(t.id);
    this.state.tokens = [];
    const t = this.newToken(nodeId, null);
    this.enter(t);
    return this.fx;
  }
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** A signer from a collection item: an account id, or `{ assignee?, organisationId?, roles? }`. */
export function toSigner(v: unknown): Signer {
  if (typeof v === 'string') return { assignee: v, organisationId: null, roles: null };
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const roles = Array.isArray(o.roles) ? o.roles.filter((r): r is string => typeof r === 'string') : typeof o.roles === 'string' ? o.roles.split(',') : null;
    return { assignee: stringOrNull(o.assignee), organisationId: stringOrNull(o.organisationId), roles };
  }
  throw new WorkflowRuntimeError('会签人列表中有无法识别的项');
}
