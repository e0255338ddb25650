import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import { systemContext, type RequestContext } from '../auth/actor.ts';
import type { Db } from '../db/database.ts';
import { buryJob, claimJobsPerQueue, completeJob, completeJobs, reapExpiredJobs, retryJob, type ClaimedJob } from './job.repository.ts';

/**
 * Runs the jobs of platform.job (DESIGN.md "Jobs and timers"): handlers per queue, claimed
 * with FOR UPDATE SKIP LOCKED so several runners (processes or machines) share one queue and
 * never run a job twice at the same time. The claim is one autocommit statement and the
 * outcome another: no transaction stays open while a handler runs, which keeps PGlite (one
 * connection) usable.
 *
 * Delivery is at least once: a runner that dies mid-job leaves the job 'running' until its
 * lease expires, then another runner reclaims it. Handlers must therefore be idempotent —
 * they get the job id and dedupe key to key their side effects on.
 */
export interface JobContext<P = Record<string, unknown>> {
  id: number;
  queue: string;
  payload: P;
  dedupeKey: string | null;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job's time is up: stop work and let the runner retry it. */
  signal: AbortSignal;
  /** A system actor named after the queue, request id `job-<id>`, for audit entries. */
  ctx: RequestContext;
  logger: Logger;
  /** A key for the job's side effects (`job:<id>`), stable across retries. */
  idempotencyKey: string;
}

export type JobHandler<P = Record<string, unknown>> = (job: JobContext<P>) => Promise<void>;

/**
 * A handler that takes several jobs of its queue at once (e.g. one multi-row insert for many
 * inbox messages). When it throws for a batch, each job of it is run again on its own (a batch
 * of one), so one bad job fails alone; it must be idempotent per job like any handler.
 */
export type BatchJobHandler<P = Record<string, unknown>> = (jobs: JobContext<P>[]) => Promise<void>;

export interface HandlerOptions {
  /** Jobs of this queue run at the same time in this runner (default 1). */
  concurrency?: number;
  /** A run taking longer fails and is retried (default 60 s). */
  timeoutMs?: number;
  /** First retry delay; doubles each attempt, with jitter (default 1 s). */
  retryBaseMs?: number;
  /** Longest retry delay (default 1 h). */
  retryMaxMs?: number;
}

/** Thrown by a handler when retrying cannot help (bad payload, refused permanently). */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

export class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
  constructor(ms: number) {
    super(`job timed out after ${ms} ms`);
  }
}

export interface JobRunnerOptions {
  db: Db;
  logger: Logger;
  /** Polling interval for jobs that become due without a poke (default 500 ms). */
  pollMs?: number;
  /** Added to a queue's timeout to form the lease (default 10 s). */
  leaseGraceMs?: number;
  /** How long stop() waits for running jobs (default 10 s). */
  drainMs?: number;
  workerId?: string;
}

interface Queue {
  name: string;
  handler: JobHandler;
  /** Set for queues registered with registerBatch: jobs are claimed and run up to `batchSize` at a time. */
  batch?: { handler: BatchJobHandler; size: number };
  concurrency: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  running: number;
}

const MAX_ERROR_LENGTH = 4000;

/** Exponential backoff with equal jitter: half the delay fixed, half random. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

function positiveInt(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new Error(`${what} must be a positive integer, got ${v}`);
  return v;
}

export class JobRunner {
  private readonly db: Db;
  private readonly logger: Logger;
  private readonly pollMs: number;
  private readonly leaseGraceMs: number;
  private readonly drainMs: number;
  readonly workerId: string;
  private readonly queues = new Map<string, Queue>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly controllers = new Set<AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopping = false;
  /** The current claim round; rounds never overlap (concurrency limits stay exact). */
  private round: Promise<number> | null = null;
  private again = false;
  private lastReap = 0;

  constructor(opts: JobRunnerOptions) {
    this.db = opts.db;
    this.logger = opts.logger.child({ component: 'jobs' });
    this.pollMs = opts.pollMs ?? 500;
    this.leaseGraceMs = opts.leaseGraceMs ?? 10_000;
    this.drainMs = opts.drainMs ?? 10_000;
    this.workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  }

  /**
   * One handler per queue. The payload type is the enqueuer's promise (both live in the same
   * module); a handler that cannot trust it validates and throws PermanentJobError.
   */
  register<P extends Record<string, unknown>>(queue: string, handler: JobHandler<P>, options: HandlerOptions = {}): void {
    if (this.queues.has(queue)) throw new Error(`job queue ${queue} has a handler already`);
    this.queues.set(queue, {
      name: queue,
      handler: handler as JobHandler,
      concurrency: positiveInt(options.concurrency, 1, `concurrency of ${queue}`),
      timeoutMs: positiveInt(options.timeoutMs, 60_000, `timeoutMs of ${queue}`),
      retryBaseMs: positiveInt(options.retryBaseMs, 1_000, `retryBaseMs of ${queue}`),
      retryMaxMs: positiveInt(options.retryMaxMs, 3_600_000, `retryMaxMs of ${queue}`),
      running: 0,
    });
    this.poke();
  }

  /**
   * A queue whose jobs run in batches of up to `batchSize` (default 100): one claim, one handler
   * call and one completion statement for the whole batch. `concurrency` counts batches.
   */
  registerBatch<P extends Record<string, unknown>>(queue: string, handler: BatchJobHandler<P>, options: HandlerOptions & { batchSize?: number } = {}): void {
    const size = positiveInt(options.batchSize, 100, `batchSize of ${queue}`);
    this.register<P>(queue, (job) => handler([job]), options);
    this.queues.get(queue)!.batch = { handler: handler as BatchJobHandler, size };
  }

  get registeredQueues(): string[] {
    return [...this.queues.keys()];
  }

  /** Starts polling; jobs enqueued by this process are picked up at once through poke(). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.timer = setInterval(() => this.poke(), this.pollMs);
    this.timer.unref();
    this.poke();
  }

  /**
   * Stops claiming and waits for running jobs (graceful drain). Jobs still running after
   * `drainMs` are told to abort; their lease expires and another runner retries them.
   */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.round) await this.round.catch(() => 0);
    if (this.inflight.size > 0) {
      let timeout: NodeJS.Timeout | undefined;
      const drained = await Promise.race([
        Promise.allSettled([...this.inflight]).then(() => true),
        new Promise<false>((resolve) => {
          timeout = setTimeout(() => resolve(false), this.drainMs);
        }),
      ]);
      clearTimeout(timeout);
      if (!drained) {
        this.logger.warn({ running: this.inflight.size }, 'jobs still running at stop; their leases will expire and they will be retried');
        for (const c of this.controllers) c.abort(new Error('job runner stopping'));
      }
    }
    this.started = false;
  }

  /** Wakes the runner (after a commit that enqueued jobs). Cheap; calls coalesce. */
  poke(): void {
    if (!this.started || this.stopping || this.queues.size === 0) return;
    if (this.round) {
      this.again = true;
      return;
    }
    const round = this.claimRounds();
    this.round = round;
    void round.finally(() => {
      if (this.round === round) this.round = null;
    });
  }

  /**
   * Runs due jobs until none is left, waiting for each to finish; returns how many ran.
   * For tests and one-shot CLI use; works whether or not the runner was started.
   */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      while (this.round) await this.round.catch(() => 0);
      const round = this.claimOnce();
      this.round = round;
      let claimed = 0;
      try {
        claimed = await round;
      } finally {
        if (this.round === round) this.round = null;
      }
      if (this.again) {
        this.again = false;
        this.poke(); // a poke arrived during this round: let the background loop look too
      }
      total += claimed;
      if (claimed === 0 && this.inflight.size === 0) return total;
      if (this.inflight.size > 0) await Promise.race([...this.inflight]);
    }
  }

  private async claimRounds(): Promise<number> {
    let total = 0;
    try {
      do {
        this.again = false;
        total += await this.claimOnce();
      } while (this.again && !this.stopping);
    } catch (error) {
      this.logger.error({ err: error }, 'claiming jobs failed; will try again at the next poll');
    }
    return total;
  }

  /** One claim per queue with free slots; dispatches what it claimed. */
  private async claimOnce(): Promise<number> {
    const names = [...this.queues.keys()];
    if (names.length === 0) return 0;
    const now = Date.now();
    if (now - this.lastReap >= this.pollMs) {
      this.lastReap = now;
      const { released, buried } = await reapExpiredJobs(this.db, names);
      if (released > 0) this.logger.warn({ released }, 'jobs whose lease expired go back to the queue');
      if (buried > 0) this.logger.warn({ buried }, 'dead-lettered jobs whose lease expired on their last attempt');
    }
    if (this.stopping) return 0;
    // One statement for every queue with free slots (not one per queue: a round trip is dear).
    const slots = [...this.queues.values()].map((q) => ({ queue: q.name, limit: (q.concurrency - q.running) * (q.batch?.size ?? 1), leaseMs: q.timeoutMs + this.leaseGraceMs }));
    const jobs = await claimJobsPerQueue(this.db, slots, this.workerId);
    const batches = new Map<Queue, ClaimedJob[]>();
    for (const job of jobs) {
      const q = this.queues.get(job.queue)!;
      if (!q.batch) this.dispatch(q, job);
      else if (batches.has(q)) batches.get(q)!.push(job);
      else batches.set(q, [job]);
    }
    for (const [q, claimed] of batches) {
      for (let i = 0; i < claimed.length; i += q.batch!.size) this.dispatchBatch(q, claimed.slice(i, i + q.batch!.size));
    }
    return jobs.length;
  }

  private dispatch(q: Queue, job: ClaimedJob): void {
    this.track(q, this.execute(q, job), { jobId: job.id });
  }

  private dispatchBatch(q: Queue, jobs: ClaimedJob[]): void {
    this.track(q, this.executeBatch(q, jobs), { jobIds: jobs.map((j) => j.id) });
  }

  private track(q: Queue, work: Promise<void>, what: Record<string, unknown>): void {
    q.running += 1;
    const run: Promise<void> = work
      .catch((error: unknown) => {
        this.logger.error({ err: error, ...what, queue: q.name }, 'recording a job outcome failed; the lease will expire and the job will be retried');
      })
      .finally(() => {
        q.running -= 1;
        this.inflight.delete(run);
        this.poke();
      });
    this.inflight.add(run);
  }

  private contextOf(q: Queue, job: ClaimedJob, logger: Logger, signal: AbortSignal): JobContext {
    return {
      id: job.id,
      queue: q.name,
      payload: job.payload,
      dedupeKey: job.dedupeKey,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      signal,
      ctx: systemContext(`jobs:${q.name}`, `job-${job.id}`),
      logger,
      idempotencyKey: `job:${job.id}`,
    };
  }

  /** Runs `work` with the queue's time limit; its signal aborts when the time is up. */
  private async withTimeout(q: Queue, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const controller = new AbortController();
    this.controllers.add(controller);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new JobTimeoutError(q.timeoutMs);
        controller.abort(error);
        reject(error);
      }, q.timeoutMs);
    });
    try {
      await Promise.race([work(controller.signal), timedOut]);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
  }

  private async executeBatch(q: Queue, jobs: ClaimedJob[]): Promise<void> {
    const logger = this.logger.child({ queue: q.name, jobs: jobs.length });
    try {
      await this.withTimeout(q, (signal) => q.batch!.handler(jobs.map((job) => this.contextOf(q, job, logger, signal))));
    } catch (error) {
      if (jobs.length === 1) await this.recordFailure(q, jobs[0]!, error, logger);
      // One bad job must not fail its neighbours: each on its own, with its own outcome.
      else for (const job of jobs) await this.execute(q, job);
      return;
    }
    const done = await completeJobs(this.db, jobs.map((j) => ({ id: j.id, attempt: j.attempts })));
    if (done < jobs.length) logger.warn({ lost: jobs.length - done }, 'jobs finished after their lease was lost; another runner owns them now');
  }

  private async execute(q: Queue, job: ClaimedJob): Promise<void> {
    const logger = this.logger.child({ jobId: job.id, queue: q.name, attempt: job.attempts });
    const started = Date.now();
    try {
      await this.withTimeout(q, (signal) => q.handler(this.contextOf(q, job, logger, signal)));
    } catch (error) {
      await this.recordFailure(q, job, error, logger);
      return;
    }
    if (await completeJob(this.db, job.id, job.attempts)) {
      logger.debug({ ms: Date.now() - started }, 'job done');
    } else {
      logger.warn('job finished after its lease was lost; another runner owns it now');
    }
  }

  private async recordFailure(q: Queue, job: ClaimedJob, error: unknown, logger: Logger): Promise<void> {
    const message = describeError(error);
    const permanent = error instanceof PermanentJobError;
    if (permanent || job.attempts >= job.maxAttempts) {
      if (await buryJob(this.db, job.id, job.attempts, message)) {
        logger.error({ err: error, permanent }, 'job dead-lettered');
      }
      return;
    }
    const delayMs = retryDelayMs(job.attempts, q.retryBaseMs, q.retryMaxMs);
    if (await retryJob(this.db, job.id, job.attempts, delayMs, message)) {
      logger.warn({ err: error, retryInMs: delayMs }, 'job failed; will retry');
    }
  }
}
