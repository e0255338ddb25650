import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

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

export interface ClaimOptions {
  queues: string[];
  limit: number;
  /** How long the claim holds the job before another runner may reclaim it. */
  leaseMs: number;
  workerId: string;
}

/**
 * Claims up to `limit` due jobs: pending ones whose run_at has come, and running ones whose
 * lease expired (their runner died) with attempts left. SKIP LOCKED lets concurrent runners
 * claim disjoint sets; under READ COMMITTED a row another runner just claimed is re-checked
 * against the WHERE clause and dropped.
 */
export async function claimJobs(db: Db, opts: ClaimOptions): Promise<ClaimedJob[]> {
  if (opts.queues.length === 0 || opts.limit <= 0) return [];
  const { rows } = await sql<ClaimedRow>`
    UPDATE platform.job
    SET state = 'running',
        attempts = attempts + 1,
        locked_until = now() + ${opts.leaseMs}::float8 * interval '1 millisecond',
        locked_by = ${opts.workerId}
    WHERE id IN (
      SELECT id FROM platform.job
      WHERE queue = ANY(${opts.queues}::text[])
        AND ((state = 'pending' AND run_at <= now())
          OR (state = 'running' AND locked_until < now() AND attempts < max_attempts))
      ORDER BY run_at, id
      LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, queue, payload, dedupe_key, attempts, max_attempts, run_at, created_at`.execute(db);
  return rows
    .map((r) => ({
      id: Number(r.id),
      queue: r.queue,
      payload: r.payload ?? {},
      dedupeKey: r.dedupe_key,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      runAt: r.run_at,
      createdAt: r.created_at,
    }))
    .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
}

/** Marks a job done; false when the lease was lost (another runner owns the job now). */
export async function completeJob(db: Db, id: number, attempt: number): Promise<boolean> {
  const result = await sql`
    UPDATE platform.job
    SET state = 'done', finished_at = now(), locked_until = NULL, locked_by = NULL, last_error = NULL
    WHERE id = ${id} AND state = 'running' AND attempts = ${attempt}`.execute(db);
  return Number(result.numAffectedRows ?? 0) === 1;
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
 * Running jobs whose lease expired on their last attempt will never be reclaimed: dead-letter
 * them so they show up for an operator instead of staying 'running' forever.
 */
export async function buryExpiredJobs(db: Db, queues: string[]): Promise<number> {
  if (queues.length === 0) return 0;
  const result = await sql`
    UPDATE platform.job
    SET state = 'dead', finished_at = now(), locked_until = NULL, locked_by = NULL,
        last_error = concat_ws(E'\n', last_error, 'lease expired on the last attempt (runner stopped or hung)')
    WHERE queue = ANY(${queues}::text[]) AND state = 'running' AND locked_until < now() AND attempts >= max_attempts`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
