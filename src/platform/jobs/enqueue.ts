import { sql } from 'kysely';
import { PREPARED, type Tx } from '../db/database.ts';
import { jsonColumns, lateRows, type LateTexts } from '../db/late-texts.ts';

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
  await sql`${sql.raw(PREPARED)}${jobsInsert(jobs, new Date())}`.execute(tx);
}

const { list: JOB_LIST, ...JOB_ROWS } = jsonColumns({ queue: 'text', payload: 'jsonb', dedupe_key: 'text', run_at: 'timestamptz', max_attempts: 'int' });

/**
 * The INSERT of `jobs`, for a statement that writes jobs with other rows: one text for any
 * number of jobs (one JSON parameter), so it is prepared once per connection. `late`: the
 * transaction's late texts (UnitOfWork.lateTexts), which replace the placeholders in the jobs'
 * payloads (lateRows).
 */
export function jobsInsert(jobs: JobInput[], now: Date, late?: LateTexts) {
  const json = jobs.map((job) => ({
    queue: job.queue,
    payload: job.payload ?? {},
    dedupe_key: job.dedupeKey ?? null,
    run_at: (job.runAt ?? now).toISOString(),
    max_attempts: job.maxAttempts ?? 8,
  }));
  return sql`INSERT INTO platform.job (${JOB_LIST})
    SELECT ${JOB_LIST} FROM ${lateRows({ name: 'job_rows', ...JOB_ROWS, lateColumns: ['payload'], rows: json }, late)} AS x
    ON CONFLICT (dedupe_key) DO NOTHING`;
}
