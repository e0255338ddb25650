import { sql, type RawBuilder } from 'kysely';
import type { RequestContext } from './auth/actor.ts';
import { auditInsert, auditRow, insertAuditEntry, type AuditInput, type AuditRow } from './audit/audit-log.ts';
import { PREPARED, type Db, type Tx } from './db/database.ts';
import { resolveLateTexts, type LateTexts } from './db/late-texts.ts';
import { jobsInsert, type JobInput } from './jobs/enqueue.ts';
import { notificationsInsert, type InboxInsert } from './notify/notification.repository.ts';

/**
 * A state change is one transaction: row change + audit entry + outbox job
 * (DESIGN.md "Integrity", STYLE.md §9). Commands receive a UnitOfWork and never open
 * transactions of their own.
 */
export interface UnitOfWork {
  tx: Tx;
  ctx: RequestContext;
  audit(entry: AuditInput): Promise<void>;
  enqueue(job: JobInput): Promise<void>;
  /**
   * A message for the in-app inbox, written at the commit with the audit entries and jobs (it is
   * a row in this database: a job to write it would cost a claim, an insert and a completion).
   * Use notify(uow, …), which checks it.
   */
  inbox(message: InboxInsert): void;
  /**
   * An audit entry for the caller to write itself, in this transaction, as part of its own
   * last statement (auditInsert) — a round trip saved. The caller must write it; the unit of
   * work only counts it, so that the sealer is woken after the commit.
   */
  auditRow(entry: AuditInput): AuditRow;
  /**
   * Runs `fn` after the transaction commits (never after a rollback), e.g. to wake an
   * in-memory index that tails a table. Errors it throws are logged nowhere and ignored:
   * the commit already happened, so after-commit work must be best effort.
   */
  afterCommit(fn: () => void): void;
  /**
   * A data-modifying statement (UPDATE/INSERT/DELETE, no RETURNING) written at the commit as part
   * of the one statement that writes the audit entries and jobs — a round trip saved. It runs
   * after everything else this transaction did and before the commit, e.g. a value that must be
   * taken as late as possible (a gap-free number). Its text must be the same whatever the data
   * (values as parameters only): that statement is prepared. Several given in one transaction
   * share that statement's snapshot, so they must not touch the same rows.
   */
  writeAtCommit(statement: RawBuilder<unknown>, part?: AtCommitPart): void;
  /**
   * The late texts of the part named `part` (a lateTexts part), for rows written at the commit
   * that hold them (jsonRowsInsert, lateRows): their JSON is then read before the values are taken.
   */
  lateTexts(part: string): LateTexts;
}

/** How a statement given to writeAtCommit joins the commit's statement. */
export interface AtCommitPart {
  /** Its name in that statement's WITH, for later parts to read its RETURNING rows (unique in the transaction). */
  name: string;
  /**
   * It answers `(key text, value text)`: the late texts (lateText) of this transaction. At most
   * one part per transaction. Audit entries and jobs written at the commit, and later parts that
   * read it, get the values in place of the placeholders; so does the command's own answer.
   */
  lateTexts?: boolean;
  /**
   * It neither reads the late texts nor holds any: it runs before the late-texts part takes its
   * values, so that a row that part locks (a number counter) stays locked for less. It must end in
   * RETURNING (any column): the statement counts its rows to run it first. (Rows that do hold late
   * texts are read early too when written through lateRows: UnitOfWork.lateTexts.)
   */
  beforeLateTexts?: boolean;
}

export interface AfterCommitHooks {
  /** Called after every commit that wrote audit entries (wakes the sealer). */
  onAudit?: () => void;
  /** Called after every commit that enqueued jobs (wakes the runner). */
  onJobs?: () => void;
}

/**
 * One command's unit of work in a transaction (a class, not an object of closures: a batch of
 * submissions makes one per request).
 */
class CommandUnit implements UnitOfWork {
  constructor(
    private readonly writes: TransactionWrites,
    private readonly transaction: Tx | null,
    readonly ctx: RequestContext,
  ) {}

  get tx(): Tx {
    if (!this.transaction) throw new Error('this unit of work has no transaction (Transactor.runAsOneStatement): read through the database, write with writeAtCommit');
    return this.transaction;
  }

  audit(entry: AuditInput): Promise<void> {
    this.writes.audits.push(auditRow(this.ctx, entry));
    return Promise.resolve();
  }

  enqueue(job: JobInput): Promise<void> {
    this.writes.jobs.push(job);
    return Promise.resolve();
  }

  inbox(message: InboxInsert): void {
    this.writes.inbox.push(message);
  }

  auditRow(entry: AuditInput): AuditRow {
    this.writes.auditedInline += 1;
    return auditRow(this.ctx, entry);
  }

  afterCommit(fn: () => void): void {
    this.writes.after.push(fn);
  }

  writeAtCommit(statement: RawBuilder<unknown>, part?: AtCommitPart): void {
    this.writes.writeAtCommit(statement, part);
  }

  lateTexts(part: string): LateTexts {
    return this.writes.lateTexts(part);
  }
}

/**
 * What the units of work of one transaction write besides their own rows: audit entries, outbox
 * jobs and inbox messages are collected and written with one multi-row statement each just before the
 * commit (a round trip saved per entry; they still commit or roll back with the change).
 */
class TransactionWrites {
  readonly audits: AuditRow[] = [];
  readonly jobs: JobInput[] = [];
  readonly inbox: InboxInsert[] = [];
  readonly after: (() => void)[] = [];
  readonly atCommit: { statement: RawBuilder<unknown>; part?: AtCommitPart }[] = [];
  /** SELECTs run before the late texts are taken (LateTexts.early), first in the commit's statement. */
  readonly early: { name: string; statement: RawBuilder<unknown> }[] = [];
  /** Entries written by the commands' own statements (UnitOfWork.auditRow). */
  auditedInline = 0;

  /** A unit of work on `tx`; with null (Transactor.runAsOneStatement) it has no transaction to give. */
  unitOfWork(tx: Tx | null, ctx: RequestContext): UnitOfWork {
    return new CommandUnit(this, tx, ctx);
  }

  writeAtCommit(statement: RawBuilder<unknown>, part?: AtCommitPart): void {
    if (part && this.atCommit.some((p) => p.part?.name === part.name)) throw new Error(`writeAtCommit: a part named '${part.name}' is already written in this transaction`);
    if (part?.lateTexts && this.atCommit.some((p) => p.part?.lateTexts)) throw new Error('writeAtCommit: one late-texts part per transaction');
    this.atCommit.push(part ? { statement, part } : { statement });
  }

  lateTexts(part: string): LateTexts {
    return {
      part,
      early: (name, statement) => {
        if (this.early.some((e) => e.name === name)) throw new Error(`lateTexts: early rows named '${name}' are already written in this transaction`);
        this.early.push({ name, statement });
      },
    };
  }

  /**
   * Everything buffered, in one statement (a data-modifying WITH when there is more than one part).
   * With a late-texts part, the statement answers with its late texts (empty map otherwise).
   */
  async flush(executor: Db | Tx): Promise<Map<string, string>> {
    const late = this.atCommit.find((p) => p.part?.lateTexts)?.part?.name;
    const texts = late ? this.lateTexts(late) : undefined;
    const parts = [
      ...this.atCommit,
      ...(this.audits.length > 0 ? [{ statement: auditInsert(this.audits, undefined, texts) }] : []),
      ...(this.jobs.length > 0 ? [{ statement: jobsInsert(this.jobs, new Date(), texts) }] : []),
      ...(this.inbox.length > 0 ? [{ statement: notificationsInsert(this.inbox, texts) }] : []),
    ];
    if (parts.length === 0) return new Map();
    // What comes before the late texts runs first: PostgreSQL evaluates a one-time filter before
    // it scans, and this one counts the rows of the early reads and of the parts marked so.
    const early = late
      ? [...this.early.map((e) => e.name), ...this.atCommit.flatMap((p) => (p.part?.beforeLateTexts ? [p.part.name] : []))].map((name) => sql`SELECT 1 FROM ${sql.table(name)}`)
      : [];
    const first = early.length > 0 ? sql` WHERE (SELECT count(*) FROM (${sql.join(early, sql` UNION ALL `)}) AS early) >= 0` : sql``;
    const last = late ? sql`SELECT key, value FROM ${sql.table(late)}${first}` : parts.pop()!.statement;
    const withs = [
      ...this.early.map((e) => sql`${sql.raw(e.name)} AS MATERIALIZED (${e.statement})`),
      ...parts.map((p, i) => sql`${sql.raw(p.part?.name ?? `w${i}`)} AS (${p.statement})`),
    ];
    const r = await sql<{ key: string; value: string }>`${sql.raw(PREPARED)}${withs.length > 0 ? sql`WITH ${sql.join(withs)} ` : sql``}${last}`.execute(executor);
    return late ? new Map(r.rows.map((x) => [x.key, x.value])) : new Map();
  }
}

export class Transactor {
  constructor(
    private readonly db: Db,
    private readonly hooks: AfterCommitHooks = {},
  ) {}

  async run<T>(ctx: RequestContext, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.runShared((tx, writes) => fn(writes.unitOfWork(tx, ctx)));
  }

  /**
   * Several requests' commands in ONE transaction (group commit): `unitOfWork(ctx)` gives each its
   * own unit of work (its own actor and request id in the audit trail) on the shared transaction.
   * All of them commit together or none does.
   */
  async runBatch<T>(fn: (tx: Tx, unitOfWork: (ctx: RequestContext) => UnitOfWork) => Promise<T>): Promise<T> {
    return this.runShared((tx, writes) => fn(tx, (ctx) => writes.unitOfWork(tx, ctx)));
  }

  private async runShared<T>(fn: (tx: Tx, writes: TransactionWrites) => Promise<T>): Promise<T> {
    const writes = new TransactionWrites();
    const result = await this.db.transaction().execute(async (tx) => {
      const r = await fn(tx, writes);
      return resolveLateTexts(r, await writes.flush(tx));
    });
    this.#afterCommit(writes);
    return result;
  }

  /**
   * Several requests' commands written by ONE statement that is its own transaction: no BEGIN,
   * no COMMIT, one round trip, and a row it locks (a number counter) is locked only while that
   * statement runs. `fn` reads through the database and writes only through its units of work —
   * audit entries, jobs and writeAtCommit parts — whose `tx` it must not use. Nothing is written
   * when `fn` throws; late texts in its answer are replaced as in a transaction.
   */
  async runAsOneStatement<T>(fn: (unitOfWork: (ctx: RequestContext) => UnitOfWork) => Promise<T>): Promise<T> {
    const writes = new TransactionWrites();
    const r = await fn((ctx) => writes.unitOfWork(null, ctx));
    const result = resolveLateTexts(r, await writes.flush(this.db));
    this.#afterCommit(writes);
    return result;
  }

  #afterCommit(writes: TransactionWrites): void {
    if (writes.audits.length > 0 || writes.auditedInline > 0) this.hooks.onAudit?.();
    if (writes.jobs.length > 0) this.hooks.onJobs?.();
    for (const fn of writes.after) {
      try {
        fn();
      } catch {
        // best effort: the transaction is committed; see UnitOfWork.afterCommit
      }
    }
  }

  /** An audit entry on its own, e.g. a refused action or a view of unmasked personal data. */
  async auditOnly(ctx: RequestContext, entry: AuditInput): Promise<void> {
    await insertAuditEntry(this.db, auditRow(ctx, entry));
    this.hooks.onAudit?.();
  }

  get database(): Db {
    return this.db;
  }
}
