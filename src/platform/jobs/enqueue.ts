import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';

export interface JobInput {
  queue: string;
  payload?: Record<string, unknown>;
  /** Same key twice → one job (idempotent enqueue). */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Inserts the job in the caller's transaction: it exists if and only if the change committed. */
export async function enqueueJob(tx: Tx, job: JobInput): Promise<void> {
  await enqueueJobs(tx, [job]);
}

/** Several jobs in one statement; a dedupe key already taken (or repeated) yields one job. */
export async function enqueueJobs(tx: Tx, jobs: JobInput[]): Promise<void> {
  if (jobs.length === 0) return;
  const now = new Date();
  await tx
    .insertInto('platform.job')
    .values(jobs.map((job) => jobValues(job, now)))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** A job as the platform.job columns (for a statement that writes jobs with other rows). */
export function jobValues(job: JobInput, now: Date) {
  return {
    queue: job.queue,
    payload: sql`${JSON.stringify(job.payload ?? {})}::jsonb`,
    dedupe_key: job.dedupeKey ?? null,
    run_at: job.runAt ?? now,
    max_attempts: job.maxAttempts ?? 8,
  };
}
