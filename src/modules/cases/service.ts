import type { Readable } from 'node:stream';
import type { AttachmentStore } from '../../platform/attachments/attachment-store.ts';
import { uploadMaterial } from './commands/upload-material.ts';
import type { FieldError } from '../../platform/errors.ts';
import { queryProgress } from './commands/query-progress.ts';
import { presentProgress } from './presenters.ts';
import type { ProgressView } from './views/citizen-pages.ts';
import type { RequestContext } from '../../platform/auth/actor.ts';
import type { Result } from '../../platform/errors.ts';
import type { Transactor, UnitOfWork } from '../../platform/unit-of-work.ts';
import type { CaseRecord, CorrectionItem, RatingRow } from './case.repository.ts';
import { acceptCase } from './commands/accept-case.ts';
import { flowOperation, type FlowInput, type StaffTarget } from './commands/flow-operations.ts';
import { SUBJECT_TYPE } from './commands/case-workflow.ts';
import { canHandle, type TaskRow } from '../../platform/workflow/index.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { CaseRollback } from './commands/case-workflow.ts';
import { advanceNode } from './commands/advance-node.ts';
import { decideCase } from './commands/decide-case.ts';
import type { CaseDeps } from './commands/deps.ts';
import { extendDeadline } from './commands/extend-deadline.ts';
import { deliverResult, produceResult, voidCase, withdrawCase } from './commands/finish-case.ts';
import { answerBadRating, rateCase } from './commands/rate-case.ts';
import { refuseAcceptance } from './commands/refuse-acceptance.ts';
import { requestCorrection } from './commands/request-correction.ts';
import { endSpecialProcedure, startSpecialProcedure } from './commands/special-procedure.ts';
import { isIdempotencyConflict, submitApplication, submitApplications, readForSubmissions, type MaterialChoice, type Submitted, type SubmitInput } from './commands/submit-application.ts';
import { supplementMaterials } from './commands/supplement-materials.ts';
import { sweepDeadlines, type SweepResult } from './commands/sweep-deadlines.ts';
import type { CaseRefusal } from './commands/transition.ts';
import type { CaseApplicantProfile, ItemLookupResult } from './ports.ts';
import { prefillFromProfile, withLocked } from './prefill.ts';
import { GroupCommit, settle, type Outcome } from '../../platform/group-commit.ts';

type Refused = { ok: false; reason: string; message: string };

/** What a submitting route already knows (see CaseService.submit). */
export interface SubmitKnown {
  item?: ItemLookupResult;
  deliveryMobile?: string | null;
  lockVerified?: boolean;
}

interface QueuedSubmission {
  ctx: RequestContext;
  input: SubmitInput;
  known: SubmitKnown;
}

/** Carries a refusal out of the transaction so that it rolls back (a conflict must leave no trace, e.g. no number taken). */
class Rollback extends Error {
  constructor(readonly result: Refused) {
    super(result.message);
  }
}

export interface FlowView {
  key: string;
  version: number;
  state: string;
  open: TaskRow[];
  mine: TaskRow[];
  history: TaskRow[];
  returnTargets: { nodeId: string; name: string }[];
}

/** One staff action on a case, as the routes and the API name them. */
export type CaseAction =
  | { action: 'accept' }
  | { action: 'correction'; items: CorrectionItem[] }
  | { action: 'refuse-acceptance'; reason: string }
  | { action: 'pass'; opinion?: string }
  | { action: 'return'; opinion: string; toNode?: number; toStep?: string }
  | { action: 'special-start'; kind: string; reason: string; plannedDays: number }
  | { action: 'special-end'; result: string }
  | { action: 'extend'; reason: string }
  | { action: 'approve'; reason?: string; certificateNo?: string }
  | { action: 'refuse'; reason: string }
  | { action: 'forward'; reason: string }
  | { action: 'result'; certificateNo?: string }
  | { action: 'deliver'; method: 'collected' | 'mailed' | 'electronic'; courierNo?: string }
  | { action: 'void'; reason: string }
  | { action: 'delete'; reason: string }
  | { action: 'withdraw'; reason?: string };

export const CASE_ACTIONS = ['accept', 'correction', 'refuse-acceptance', 'pass', 'return', 'special-start', 'special-end', 'extend', 'approve', 'refuse', 'forward', 'result', 'deliver', 'void', 'delete', 'withdraw'] as const;

/** The cases module's use cases, each in one transaction; conflicts roll back. */
export class CaseService {
  constructor(
    readonly deps: CaseDeps,
    private readonly transactor: Transactor,
    private readonly attachments: AttachmentStore,
  ) {}

  uploadMaterial(ctx: RequestContext, input: { source: Readable | Buffer; fileName: string; claimedType?: string | null; label: string }) {
    return uploadMaterial(this.deps, this.attachments, this.transactor, ctx, input);
  }

  async run<T, R extends string>(ctx: RequestContext, fn: (uow: UnitOfWork) => Promise<Result<T, R>>): Promise<Result<T, R>> {
    try {
      return await this.transactor.run(ctx, async (uow) => {
        const r = await fn(uow);
        if (!r.ok && r.reason === 'conflict') throw new Rollback(r);
        return r;
      });
    } catch (e) {
      if (e instanceof Rollback) return e.result as Result<T, R>;
      if (e instanceof CaseRollback) return e.result as Result<T, R>;
      throw e;
    }
  }

  /**
   * Dependencies for one command with what other modules know fetched BEFORE the transaction:
   * the embedded database has one connection, so a call into another module's tables from inside
   * our transaction would wait for itself (and on PostgreSQL it would hold two connections).
   */
  async prepared(opts: { applicantAccountId?: string | null; itemId?: string | null; item?: ItemLookupResult; deliveryMobile?: string | null }): Promise<CaseDeps> {
    const accountId = opts.applicantAccountId ?? null;
    const itemId = opts.itemId ?? null;
    const mobile = opts.deliveryMobile !== undefined ? opts.deliveryMobile : accountId ? await this.deps.applicants.mobileForDelivery(accountId) : null;
    // A caller that has just looked the item up (the submit routes do, for prefill) passes it on.
    const item = itemId ? (opts.item ?? (await this.deps.items.itemForApplication(itemId))) : null;
    return {
      ...this.deps,
      applicants: { mobileForDelivery: (id) => Promise.resolve(id === accountId ? mobile : null) },
      items: { itemForApplication: (id) => Promise.resolve(item && id === itemId ? item : { ok: false, reason: 'not_found', message: '该事项不存在、尚未发布或已暂停办理' }) },
    };
  }

  /**
   * An online application. `known`: what the caller looked up a moment ago (the item, the
   * applicant's delivery mobile) — saves reading it twice. `lockVerified`: the applicant's
   * real-name-verified profile fields replace whatever was sent for them (issue 3), read for the
   * whole batch in one query.
   *
   * Group commit: submissions arriving while others are being written go together into the next
   * transaction (see GroupCommit, submitApplications); each still gets its own answer, audit entry
   * and notifications, and nothing is acknowledged before its commit.
   */
  submit(ctx: RequestContext, input: SubmitInput, known: SubmitKnown = {}): Promise<Result<Submitted, CaseRefusal>> {
    return this.#submissions.submit({ ctx, input, known });
  }

  /** How the submissions were grouped so far (batches, requests, largest batch). */
  get submissionBatches(): Readonly<{ batches: number; requests: number; largest: number }> {
    return this.#submissions.stats;
  }

  readonly #submissions = new GroupCommit<QueuedSubmission, Result<Submitted, CaseRefusal>>((batch, ready) => this.#writeSubmissions(batch, ready), {
    // Two stages: a batch reads and checks while the one before it is being written (its one
    // statement), and the next batch starts only then, so that batches keep their size.
    maxConcurrent: 2,
    maxStarting: 1,
  });

  /** Each request's dependencies: items (cached by the catalog), and the applicants' profiles in one query. */
  async #prepareSubmissions(batch: QueuedSubmission[]): Promise<{ ctx: RequestContext; deps: CaseDeps; input: SubmitInput }[]> {
    const applicantOf = (ctx: RequestContext) => (ctx.actor.kind === 'citizen' || ctx.actor.kind === 'enterprise' ? ctx.actor : null);
    const applicants = this.deps.applicants;
    const lookup = applicants.applicantProfiles ? (ids: string[]) => applicants.applicantProfiles!(ids) : null;
    const wanted = [...new Set(batch.flatMap((b) => (b.known.lockVerified ? [applicantOf(b.ctx)?.accountId ?? ''] : [])).filter(Boolean))];
    const profiles = lookup && wanted.length > 0 ? await lookup(wanted) : new Map<string, CaseApplicantProfile>();
    return Promise.all(
      batch.map(async (b) => {
        const applicant = applicantOf(b.ctx);
        const item = b.known.item ?? (await this.deps.items.itemForApplication(b.input.itemId));
        let { values } = b.input;
        let deliveryMobile = b.known.deliveryMobile;
        if (b.known.lockVerified && applicant && item.ok) {
          const profile = lookup ? (profiles.get(applicant.accountId) ?? null) : ((await this.deps.applicants.applicantProfile?.(applicant.accountId)) ?? null);
          values = withLocked(values, prefillFromProfile(item.item.form, profile, applicant).locked);
          if (profile?.deliveryMobile !== undefined) deliveryMobile = profile.deliveryMobile;
        }
        const deps = await this.prepared({ applicantAccountId: applicant?.accountId ?? null, itemId: b.input.itemId, item, ...(deliveryMobile !== undefined ? { deliveryMobile } : {}) });
        return { ctx: b.ctx, deps, input: { ...b.input, values } };
      }),
    );
  }

  async #writeSubmissions(queued: QueuedSubmission[], ready: () => void): Promise<Outcome<Result<Submitted, CaseRefusal>>[]> {
    // The applicants' profiles, earlier cases with the same keys, library entries and drafts: read
    // at the same time, before the batch's one statement (see SubmissionReads).
    const [batch, read] = await Promise.all([this.#prepareSubmissions(queued), readForSubmissions(this.deps.cases, queued.map((q) => ({ actor: q.ctx.actor, input: q.input })))]);
    // On its own, in a transaction; once more when a concurrent retry took its key meanwhile (the
    // second read finds the first case and replays it).
    const single = async (b: (typeof batch)[number]) => {
      const once = () => this.run(b.ctx, (uow) => submitApplication(b.deps, uow, b.input));
      try {
        return await once();
      } catch (error) {
        if (isIdempotencyConflict(error)) return once();
        throw error;
      }
    };
    // The same applicant's same key twice in one batch: the later ones wait and replay the first.
    const seen = new Set<string>();
    const together: typeof batch = [];
    const later: typeof batch = [];
    for (const b of batch) {
      const key = b.input.idempotencyKey?.trim();
      const who = `${'accountId' in b.ctx.actor ? b.ctx.actor.accountId : ''} ${key ?? ''}`;
      if (key && seen.has(who)) later.push(b);
      else {
        if (key) seen.add(who);
        together.push(b);
      }
    }
    const answers = new Map<(typeof batch)[number], Outcome<Result<Submitted, CaseRefusal>>>();
    try {
      // The whole batch is one statement, its own transaction: one round trip, and the number
      // counter locked only while it runs (Transactor.runAsOneStatement).
      const results = await this.transactor.runAsOneStatement(async (unitOfWork) => {
        const r = await submitApplications(this.transactor.database, together.map((b) => ({ deps: b.deps, uow: unitOfWork(b.ctx), input: b.input })), read);
        ready(); // only the statement is left: the next batch may start its reads
        return r;
      });
      together.forEach((b, i) => answers.set(b, { ok: true, value: results[i]! }));
    } catch {
      // Nothing of the batch was written. One bad request must not fail its neighbours: each on its own.
      for (const b of together) answers.set(b, await settle(single(b)));
    }
    for (const b of later) answers.set(b, await settle(single(b)));
    return batch.map((b) => answers.get(b)!);
  }

  async supplement(ctx: RequestContext, input: { caseId: string; version: number; materials: MaterialChoice[]; note?: string }) {
    const c = await this.deps.cases.getById(input.caseId);
    const d = await this.prepared({ applicantAccountId: c?.applicant_account_id, itemId: c?.item_id });
    return this.run(ctx, (uow) => supplementMaterials(d, uow, input));
  }

  async act(ctx: RequestContext, caseId: string, version: number, a: CaseAction): Promise<Result<CaseRecord, CaseRefusal>> {
    const c = await this.deps.cases.getById(caseId);
    const d = await this.prepared({ applicantAccountId: c?.applicant_account_id, itemId: c?.item_id });
    const base = { caseId, version };
    return this.run(ctx, (uow) => {
      switch (a.action) {
        case 'accept':
          return acceptCase(d, uow, base);
        case 'correction':
          return requestCorrection(d, uow, { ...base, items: a.items });
        case 'refuse-acceptance':
          return refuseAcceptance(d, uow, { ...base, reason: a.reason });
        case 'pass':
          return advanceNode(d, uow, { ...base, action: 'pass', ...(a.opinion !== undefined ? { opinion: a.opinion } : {}) });
        case 'return':
          return advanceNode(d, uow, { ...base, action: 'return', opinion: a.opinion, ...(a.toNode !== undefined ? { toNode: a.toNode } : {}), ...(a.toStep !== undefined ? { toStep: a.toStep } : {}) });
        case 'special-start':
          return startSpecialProcedure(d, uow, { ...base, kind: a.kind, reason: a.reason, plannedDays: a.plannedDays });
        case 'special-end':
          return endSpecialProcedure(d, uow, { ...base, result: a.result });
        case 'extend':
          return extendDeadline(d, uow, { ...base, reason: a.reason });
        case 'approve':
          return decideCase(d, uow, { ...base, decision: 'approve', ...(a.reason !== undefined ? { reason: a.reason } : {}), ...(a.certificateNo !== undefined ? { certificateNo: a.certificateNo } : {}) });
        case 'refuse':
          return decideCase(d, uow, { ...base, decision: 'refuse', reason: a.reason });
        case 'forward':
          return decideCase(d, uow, { ...base, decision: 'forward', reason: a.reason });
        case 'result':
          return produceResult(d, uow, { ...base, ...(a.certificateNo !== undefined ? { certificateNo: a.certificateNo } : {}) });
        case 'deliver':
          return deliverResult(d, uow, { ...base, method: a.method, ...(a.courierNo !== undefined ? { courierNo: a.courierNo } : {}) });
        case 'void':
        case 'delete':
          return voidCase(d, uow, { ...base, kind: a.action, reason: a.reason });
        case 'withdraw':
          return withdrawCase(d, uow, { ...base, ...(a.reason !== undefined ? { reason: a.reason } : {}) });
      }
    });
  }

  /**
   * 转办 / 委托 / 加签 / 减签 / 抄送 / 催办 on the case's workflow (issue 3). The receivers are
   * looked up before the transaction (identity's service; one connection in the embedded database).
   */
  async flow(ctx: RequestContext, input: FlowInput): Promise<Result<{ record: CaseRecord; tasks: TaskRow[] }, CaseRefusal>> {
    const targets: StaffTarget[] = [];
    for (const id of new Set((input.to ?? []).map((x) => x.trim()).filter((x) => /^[0-9a-f-]{36}$/i.test(x)).slice(0, 50))) {
      const s = this.deps.staff ? await this.deps.staff.findStaff(id) : null;
      if (s) targets.push({ accountId: s.accountId, displayName: s.displayName, organisationIds: s.positions.map((p) => p.organisationId) });
    }
    return this.run(ctx, (uow) => flowOperation(this.deps, uow, input, targets));
  }

  /** The case's workflow as the staff page shows it: open steps, those the actor holds, return targets, history. */
  async flowView(actor: Actor, c: CaseRecord): Promise<FlowView | null> {
    const engine = this.deps.workflow;
    if (!engine || !c.workflow_instance_id) return null;
    const db = this.deps.cases.db;
    const [instance, open, history, returnTargets] = await Promise.all([engine.instance(db, c.workflow_instance_id), engine.openTasks(db, c.workflow_instance_id), engine.history(db, c.workflow_instance_id), engine.returnTargets(c.workflow_instance_id, db)]);
    if (!instance) return null;
    const mine = open.filter((t) => canHandle(actor, t));
    return { key: instance.definitionKey, version: instance.definitionVersion, state: instance.state, open, mine, history, returnTargets };
  }

  /** 我的待办 (the engine's open tasks for the actor, on cases) or 抄送我的, joined with the cases. */
  async inbox(actor: Actor, box: 'todo' | 'copied', page: { limit: number; offset: number }): Promise<{ rows: { task: TaskRow; record: CaseRecord }[]; total: number }> {
    const engine = this.deps.workflow;
    if (!engine) return { rows: [], total: 0 };
    const p = await engine.inbox(this.deps.cases.db, actor, box, { subjectType: SUBJECT_TYPE, limit: page.limit, offset: page.offset });
    const records = await this.deps.cases.getByIds([...new Set(p.rows.map((t) => t.subjectId))]);
    const byId = new Map(records.map((r) => [r.id, r]));
    return { rows: p.rows.flatMap((task) => { const record = byId.get(task.subjectId); return record ? [{ task, record }] : []; }), total: p.total };
  }

  rate(ctx: RequestContext, input: { caseId: string; score: number; reasons: string[]; comment: string }): Promise<Result<RatingRow, 'not_found' | 'invalid' | 'conflict'>> {
    return this.run(ctx, (uow) => rateCase(this.deps, uow, input));
  }

  answerRating(ctx: RequestContext, input: { caseId: string; version: number; outcome: 'rectified' | 'explained'; feedback: string }) {
    return this.run(ctx, (uow) => answerBadRating(this.deps, uow, input));
  }

  /** 进度查询 by number + password, presented for the applicant (the page, the API and the benchmark). */
  async progress(caseNo: string, password: string): Promise<{ ok: true; view: ProgressView } | { ok: false; status: number; errors: FieldError[] }> {
    const r = await queryProgress(this.deps.cases, caseNo, password);
    if (!r.ok) return r;
    return { ok: true, view: presentProgress(r.record, r.timeline) };
  }

  /** The set-based yellow/red recomputation alone, for a given civil day (benchmarks, the supervision journey). */
  sweepSignals(today: string) {
    return this.deps.cases.sweepSignals(today);
  }

  sweep(): Promise<SweepResult> {
    return sweepDeadlines(this.deps, this.transactor, (c) => this.prepared({ applicantAccountId: c.applicant_account_id }));
  }
}
