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
  await tx
    .insertInto('platform.job')
    .values({
      queue: job.queue,
      payload: sql`${JSON.stringify(job.payload ?? {})}::jsonb`,
      dedupe_key: job.dedupeKey ?? null,
      run_at: job.runAt ?? new Date(),
      max_attempts: job.maxAttempts ?? 8,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}
