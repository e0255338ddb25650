import type { RequestContext } from './auth/actor.ts';
import { auditRow, insertAuditEntry, type AuditInput } from './audit/audit-log.ts';
import type { Db, Tx } from './db/database.ts';
import { enqueueJob, type JobInput } from './jobs/enqueue.ts';

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
   * Runs `fn` after the transaction commits (never after a rollback), e.g. to wake an
   * in-memory index that tails a table. Errors it throws are logged nowhere and ignored:
   * the commit already happened, so after-commit work must be best effort.
   */
  afterCommit(fn: () => void): void;
}

export interface AfterCommitHooks {
  /** Called after every commit that wrote audit entries (wakes the sealer). */
  onAudit?: () => void;
  /** Called after every commit that enqueued jobs (wakes the runner). */
  onJobs?: () => void;
}

export class Transactor {
  constructor(
    private readonly db: Db,
    private readonly hooks: AfterCommitHooks = {},
  ) {}

  async run<T>(ctx: RequestContext, fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    let audited = false;
    let queued = false;
    const after: (() => void)[] = [];
    const result = await this.db.transaction().execute(async (tx) => {
      const uow: UnitOfWork = {
        tx,
        ctx,
        audit: async (entry) => {
          audited = true;
          await insertAuditEntry(tx, auditRow(ctx, entry));
        },
        enqueue: async (job) => {
          queued = true;
          await enqueueJob(tx, job);
        },
        afterCommit: (fn) => {
          after.push(fn);
        },
      };
      return fn(uow);
    });
    if (audited) this.hooks.onAudit?.();
    if (queued) this.hooks.onJobs?.();
    for (const fn of after) {
      try {
        fn();
      } catch {
        // best effort: the transaction is committed; see UnitOfWork.afterCommit
      }
    }
    return result;
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
