import { sql } from 'kysely';
import { PREPARED, type Db } from '../db/database.ts';

/**
 * SQL of the job runner (platform.job). Every statement is a single autocommit statement:
 * no transaction is held open while a handler runs (PGlite has one connection).
 *
 * `attempts` doubles as the lease's fencing token: a claim increments it, and the runner
 * finishes a job only `WHERE attempts = <the value it claimed>`, so a runner whose lease
 * ran out (and whose job another runner reclaimed) cannot overwrite the newer outcome.
 */
export interface ClaimedJob {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  dedupeKey: string | null;
  /** This attempt's number, 1-based (already incremented by the claim). */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  createdAt: Date;
}

interface ClaimedRow {
  id: number;
  queue: string;
  payload: Record<string, unknown>;
  dedupe_key: string | null;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  created_at: Date;
}

export interface QueueSlots {
  queue: string;
  /** At most this many jobs of the queue. */
  limit: number;
  leaseMs: number;
}

/**
 * Claims due jobs: pending ones whose run_at has come (jobs whose lease expired go back to
 * pending first, see reapExpiredJobs). SKIP LOCKED lets concurrent runners claim disjoint sets;
 * under READ COMMITTED a row another runner just claimed is re-checked against the WHERE clause
 * and dropped.
 *
 * Several queues at once, each with its own limit and lease, in ONE statement (a LATERAL pick
 * per queue): the runner claims for all its queues in one round trip, not one per queue.
 *
 * Only pending rows, along the partial index job_due in its own order: an index scan marks the
 * entries of jobs claimed meanwhile as dead in the index, so the next claim skips them. (When
 * the claim also took expired leases, with an OR, PostgreSQL combined two indexes as bitmaps —
 * which never mark anything — and under a stream of jobs every claim re-read thousands of
 * finished ones until the next vacuum: 1.3 ms a claim at 1,200 jobs a second.)
 */
export async function claimJobsPerQueue(db: Db, slots: QueueSlots[], workerId: string): Promise<ClaimedJob[]> {
  const wanted = slots.filter((s) => s.limit > 0);
  if (wanted.length === 0) return [];
  const { rows } = await sql<ClaimedRow>`${sql.raw(PREPARED)}
    UPDATE platform.job AS j
    SET state = 'running',
        attempts = j.attempts + 1,
        locked_until = now() + picked.lease_ms * interval '1 millisecond',
        locked_by = ${workerId}
    FROM (
      SELECT p.id, q.lease_ms
      FROM unnest(${wanted.map((s) => s.queue)}::text[], ${wanted.map((s) => s.limit)}::int[], ${wanted.map((s) => s.leaseMs)}::float8[]) AS q(name, lim, lease_ms)
      CROSS JOIN LATERAL (
        SELECT id FROM platform.job
        WHERE queue = q.name AND state = 'pending' AND run_at <= now()
        ORDER BY run_at, id
        LIMIT q.lim
        FOR UPDATE SKIP LOCKED
      ) AS p
    ) AS picked
    WHERE j.id = picked.id
    RETURNING j.id, j.queue, j.payload, j.dedupe_key, j.attempts, j.max_attempts, j.run_at, j.created_at`.execute(db);
  return rows.map(toClaimed).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

function toClaimed(r: ClaimedRow): ClaimedJob {
  return {
    id: Number(r.id),
    queue: r.queue,
    payload: r.payload ?? {},
    dedupeKey: r.dedupe_key,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: r.run_at,
    createdAt: r.created_at,
  };
}

/** Marks a job done; false when the lease was lost (another runner owns the job now). */
export async function completeJob(db: Db, id: number, attempt: number): Promise<boolean> {
  const result = await sql`
    UPDATE platform.job
    SET state = 'done', finished_at = now(), locked_until = NULL, locked_by = NULL, last_error = NULL
    WHERE id = ${id} AND state = 'running' AND attempts = ${attempt}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** completeJob for several jobs in one statement; returns how many were still ours. */
export async function completeJobs(db: Db, jobs: { id: number; attempt: number }[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const result = await sql`
    UPDATE platform.job AS j
    SET state = 'done', finished_at = now(), locked_until = NULL, locked_by = NULL, last_error = NULL
    FROM unnest(${jobs.map((j) => j.id)}::bigint[], ${jobs.map((j) => j.attempt)}::int[]) AS v(id, attempt)
    WHERE j.id = v.id AND j.state = 'running' AND j.attempts = v.attempt`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Puts a failed job back for a later attempt; false when the lease was lost. */
export async function retryJob(db: Db, id: number, attempt: number, delayMs: number, error: string): Promise<boolean> {
  const result = await sql`
    UPDATE platform.job
    SET state = 'pending',
        run_at = now() + ${delayMs}::float8 * interval '1 millisecond',
        locked_until = NULL, locked_by = NULL, last_error = ${error}
    WHERE id = ${id} AND state = 'running' AND attempts = ${attempt}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/** Dead-letters a job (attempts used up or a permanent failure); false when the lease was lost. */
export async function buryJob(db: Db, id: number, attempt: number, error: string): Promise<boolean> {
  const result = await sql`
    UPDATE platform.job
    SET state = 'dead', finished_at = now(), locked_until = NULL, locked_by = NULL, last_error = ${error}
    WHERE id = ${id} AND state = 'running' AND attempts = ${attempt}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
}

/**
 * Running jobs whose lease expired (their runner stopped or hung): with attempts left they go
 * back to pending, to be claimed again like any due job (the claim increments `attempts`, which
 * fences the old runner out); on their last attempt they are dead-lettered, so they show up for
 * an operator instead of staying 'running' forever.
 */
export async function reapExpiredJobs(db: Db, queues: string[]): Promise<{ released: number; buried: number }> {
  if (queues.length === 0) return { released: 0, buried: 0 };
  const { rows } = await sql<{ state: string }>`
    UPDATE platform.job
    SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
        finished_at = CASE WHEN attempts >= max_attempts THEN now() END,
        locked_until = NULL, locked_by = NULL,
        last_error = concat_ws(E'\n', last_error,
          CASE WHEN attempts >= max_attempts THEN 'lease expired on the last attempt (runner stopped or hung)'
               ELSE 'lease expired (runner stopped or hung); to be tried again' END)
    WHERE queue = ANY(${queues}::text[]) AND state = 'running' AND locked_until < now()
    RETURNING state`.execute(db);
  const buried = rows.filter((r) => r.state === 'dead').length;
  return { released: rows.length - buried, buried };
}

/** Jobs not yet done, by queue and state (pending or running): the outbox's backlog, for /metrics. */
export async function countWaitingJobs(db: Db): Promise<{ queue: string; state: 'pending' | 'running'; n: number }[]> {
  const { rows } = await sql<{ queue: string; state: 'pending' | 'running'; n: number }>`
    SELECT queue, state, count(*)::int AS n FROM platform.job WHERE state IN ('pending', 'running') GROUP BY queue, state`.execute(db);
  return rows;
}
