import type { Migration } from '../db/migrator.ts';

export const jobMigrations: Migration[] = [
  {
    id: '0001-job-queue',
    sql: `
CREATE SCHEMA IF NOT EXISTS platform;
-- Outbox and job queue in one table: a job is inserted in the business transaction
-- (the outbox row) and run after commit by the runner (FOR UPDATE SKIP LOCKED).
CREATE TABLE platform.job (
  id bigserial PRIMARY KEY,
  queue text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- a second enqueue with the same key is ignored: handlers see each job once
  dedupe_key text UNIQUE,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'dead')),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL DEFAULT 8,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX job_due ON platform.job (run_at) WHERE state = 'pending';
`,
  },
  {
    id: '0002-job-runner',
    sql: `
-- Which runner holds the lease (host:pid:random), for operators reading the table.
ALTER TABLE platform.job ADD COLUMN locked_by text;
-- The runner claims per queue, and reclaims 'running' jobs whose lease ran out.
DROP INDEX platform.job_due;
CREATE INDEX job_due ON platform.job (queue, run_at) WHERE state = 'pending';
CREATE INDEX job_lease ON platform.job (queue, locked_until) WHERE state = 'running';
CREATE INDEX job_dead ON platform.job (finished_at) WHERE state = 'dead';
`,
  },
  {
    id: '0003-job-due-in-order',
    sql: `
-- The claim reads due jobs in this index's order (run_at, then id: jobs enqueued by one
-- transaction share run_at and run in the order they were enqueued), stopping at its limit.
DROP INDEX platform.job_due;
CREATE INDEX job_due ON platform.job (queue, run_at, id) WHERE state = 'pending';
`,
  },
];
