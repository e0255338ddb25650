import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/support/test-database.ts';
import { systemContext } from '../auth/actor.ts';
import { auditMigrations } from '../audit/migrations.ts';
import { openDatabase, type Database, type Db } from '../db/database.ts';
import { migrate } from '../db/migrator.ts';
import { jsonRowsInsert } from '../db/json-rows.ts';
import { lateRows, lateText } from '../db/late-texts.ts';
import { Transactor, type UnitOfWork } from '../unit-of-work.ts';
import { claimJobsPerQueue, completeJob, completeJobs, reapExpiredJobs } from './job.repository.ts';
import { JobRunner, PermanentJobError, type JobContext } from './job-runner.ts';
import { jobMigrations } from './migrations.ts';

const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const ctx = systemContext('test');

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface JobRow {
  id: number;
  state: string;
  attempts: number;
  last_error: string | null;
  locked_until: Date | null;
  finished_at: Date | null;
  run_at: Date;
}

async function jobRows(db: Db, queue: string): Promise<JobRow[]> {
  const { rows } = await sql<JobRow>`SELECT id, state, attempts, last_error, locked_until, finished_at, run_at FROM platform.job WHERE queue = ${queue} ORDER BY id`.execute(db);
  return rows;
}

describe('job runner', () => {
  let database: Database & { backend: 'pglite' | 'postgres' };
  let db: Db;
  const runners: JobRunner[] = [];

  /** A runner and a transactor that pokes it after commits, as createPlatform wires them. */
  function setup(opts: { pollMs?: number; leaseGraceMs?: number } = {}): { runner: JobRunner; transactor: Transactor } {
    const runner = new JobRunner({ db, logger, pollMs: opts.pollMs ?? 50, leaseGraceMs: opts.leaseGraceMs ?? 10_000, drainMs: 2_000 });
    runners.push(runner);
    return { runner, transactor: new Transactor(db, { onJobs: () => runner.poke() }) };
  }

  beforeAll(async () => {
    database = await openTestDatabase();
    db = database.db;
    await migrate(db, [
      { module: 'platform', migrations: jobMigrations },
      { module: 'audit', migrations: auditMigrations },
    ]);
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.stop();
  });
  afterAll(async () => database?.close());

  it('runs a job after its transaction commits, and never one whose transaction rolled back', async () => {
    const { runner, transactor } = setup({ pollMs: 10_000 }); // only the poke can wake it
    const seen: unknown[] = [];
    let resolveRan: (job: JobContext) => void = () => undefined;
    const ran = new Promise<JobContext>((resolve) => (resolveRan = resolve));
    runner.register('test.commit', async (job) => {
      seen.push(job.payload.n);
      resolveRan(job);
    });
    runner.start();

    await expect(
      transactor.run(ctx, async (uow) => {
        await uow.enqueue({ queue: 'test.commit', payload: { n: 'rolled back' } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await jobRows(db, 'test.commit')).toHaveLength(0);

    const started = Date.now();
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.commit', payload: { n: 'committed' }, dedupeKey: 'commit-1' }));
    const job = await ran;
    expect(Date.now() - started).toBeLessThan(2_000); // poked, not polled
    expect(job.dedupeKey).toBe('commit-1');
    expect(job.idempotencyKey).toBe(`job:${job.id}`);
    expect(job.ctx.actor).toEqual({ kind: 'system', name: 'jobs:test.commit' });
    const [row] = await waitFor(async () => {
      const rows = await jobRows(db, 'test.commit');
      return rows[0]?.state === 'done' ? rows : null;
    });
    expect(row).toMatchObject({ state: 'done', attempts: 1, locked_until: null });
    expect(row!.finished_at).toBeInstanceOf(Date);
    expect(seen).toEqual(['committed']);
  });

  it('writes a statement given to writeAtCommit in the commit flush, after the transaction’s own writes, and drops it on rollback', async () => {
    const { transactor } = setup({ pollMs: 10_000 });
    await sql`CREATE TABLE IF NOT EXISTS at_commit_probe (id int PRIMARY KEY, label text)`.execute(db);
    // With an audit entry and a job: the three in one statement; the update sees the row inserted before.
    await transactor.run(ctx, async (uow) => {
      await sql`INSERT INTO at_commit_probe VALUES (1, '初稿')`.execute(uow.tx);
      uow.writeAtCommit(sql`UPDATE at_commit_probe SET label = ${'定稿'} WHERE id = ${1}`);
      await uow.audit({ action: 'probe.at-commit', objectType: 'probe', objectId: '1' });
      await uow.enqueue({ queue: 'test.at-commit', payload: { n: 1 } });
    });
    // Alone, and two in one transaction (on different rows: they share one statement's snapshot).
    await transactor.run(ctx, async (uow) => {
      await sql`INSERT INTO at_commit_probe VALUES (2, '初稿'), (3, '初稿')`.execute(uow.tx);
      uow.writeAtCommit(sql`UPDATE at_commit_probe SET label = label || ${'一'} WHERE id = ${2}`);
      uow.writeAtCommit(sql`UPDATE at_commit_probe SET label = label || ${'二'} WHERE id = ${3}`);
    });
    await expect(
      transactor.run(ctx, async (uow) => {
        uow.writeAtCommit(sql`UPDATE at_commit_probe SET label = ${'不应写入'} WHERE id = ${1}`);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const rows = await sql<{ id: number; label: string }>`SELECT id, label FROM at_commit_probe ORDER BY id`.execute(db);
    expect(rows.rows).toEqual([
      { id: 1, label: '定稿' },
      { id: 2, label: '初稿一' },
      { id: 3, label: '初稿二' },
    ]);
    expect(await jobRows(db, 'test.at-commit')).toHaveLength(1);
    const audited = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'probe.at-commit'`.execute(db);
    expect(audited.rows[0]?.n).toBe(1);
    await sql`DROP TABLE at_commit_probe`.execute(db);
  });

  it('replaces late texts from a late-texts part: in parts after it, audit entries, jobs and the answer — in a transaction and as one statement', async () => {
    const { transactor } = setup({ pollMs: 10_000 });
    await sql`CREATE TABLE IF NOT EXISTS late_probe (id text PRIMARY KEY, label text NOT NULL)`.execute(db);
    // `elsewhere`: a late text also in a column not named as holding them (the audit entries' object type).
    const write = async (uow: UnitOfWork, keys: string[], elsewhere = false) => {
      // The values are known only in the statement (here: computed from the keys in SQL).
      uow.writeAtCommit(sql`SELECT k AS key, '编号-' || upper(k) AS value FROM unnest(${keys}::text[]) AS k`, { name: 'late_values', lateTexts: true });
      // A placeholder nobody gives a value, and a stray mark typed by a user, stay as they are.
      const rows = keys.map((k) => ({ id: k, label: `标签 ${lateText(k)} 结束${lateText('nobody')}\uE000x` }));
      uow.writeAtCommit(jsonRowsInsert('late_probe', rows, { texts: uow.lateTexts('late_values'), name: 'late_probe_rows', columns: ['label'] }), { name: 'late_rows' });
      for (const k of keys) {
        await uow.audit({ action: 'probe.late', objectType: elsewhere ? `probe ${lateText(k)}` : 'probe', objectId: k, detail: { no: lateText(k) } });
        await uow.enqueue({ queue: 'test.late', payload: { text: `通知 ${lateText(k)}` } });
      }
      return { labels: rows.map((r) => r.label), nested: [{ when: new Date(0), text: lateText(keys[0]!) }] };
    };
    const inTx = await transactor.run(ctx, (uow) => write(uow, ['a1', 'b2']));
    const alone = await transactor.runAsOneStatement((unitOfWork) => write(unitOfWork(ctx), ['c3'], true));
    const tail = `${lateText('nobody')}\uE000x`;
    expect(inTx).toEqual({ labels: [`标签 编号-A1 结束${tail}`, `标签 编号-B2 结束${tail}`], nested: [{ when: new Date(0), text: '编号-A1' }] });
    expect(alone).toEqual({ labels: [`标签 编号-C3 结束${tail}`], nested: [{ when: new Date(0), text: '编号-C3' }] });
    const rows = await sql<{ id: string; label: string }>`SELECT id, label FROM late_probe ORDER BY id`.execute(db);
    expect(rows.rows).toEqual([
      { id: 'a1', label: `标签 编号-A1 结束${tail}` },
      { id: 'b2', label: `标签 编号-B2 结束${tail}` },
      { id: 'c3', label: `标签 编号-C3 结束${tail}` },
    ]);
    const audits = await sql<{ object_id: string; object_type: string; detail: { no: string } }>`SELECT object_id, object_type, detail FROM audit.entry WHERE action = 'probe.late' ORDER BY object_id`.execute(db);
    expect(audits.rows.map((r) => [r.object_id, r.object_type, r.detail.no])).toEqual([
      ['a1', 'probe', '编号-A1'],
      ['b2', 'probe', '编号-B2'],
      ['c3', 'probe 编号-C3', '编号-C3'],
    ]);
    const texts = await sql<{ text: string }>`SELECT payload->>'text' AS text FROM platform.job WHERE queue = 'test.late' ORDER BY 1`.execute(db);
    expect(texts.rows.map((r) => r.text)).toEqual(['通知 编号-A1', '通知 编号-B2', '通知 编号-C3']);
    // One statement: a failure writes nothing; the unit of work has no transaction to hand out.
    await expect(transactor.runAsOneStatement((unitOfWork) => write(unitOfWork(ctx), ['a1']))).rejects.toThrow(); // a1 exists: the whole statement fails
    await expect(transactor.runAsOneStatement(async (unitOfWork) => sql`SELECT 1`.execute(unitOfWork(ctx).tx))).rejects.toThrow(/no transaction/);
    expect((await jobRows(db, 'test.late')).length).toBe(3);
    // Two parts of one name, or two late-texts parts, are programming errors.
    await expect(
      transactor.run(ctx, async (uow) => {
        uow.writeAtCommit(sql`SELECT 'k' AS key, 'v' AS value`, { name: 'x', lateTexts: true });
        uow.writeAtCommit(sql`SELECT 'k' AS key, 'v' AS value`, { name: 'y', lateTexts: true });
      }),
    ).rejects.toThrow(/one late-texts part/);
    await sql`DROP TABLE late_probe`.execute(db);
  });

  it('runs the parts marked beforeLateTexts before the late-texts part takes its values', async () => {
    const { transactor } = setup({ pollMs: 10_000 });
    await sql`CREATE TABLE IF NOT EXISTS early_probe (label text NOT NULL, at timestamptz NOT NULL)`.execute(db);
    const marks = await transactor.runAsOneStatement(async (unitOfWork) => {
      const uow = unitOfWork(ctx);
      uow.writeAtCommit(sql`SELECT 'k' AS key, clock_timestamp()::text AS value`, { name: 'late_clock', lateTexts: true });
      uow.writeAtCommit(sql`INSERT INTO early_probe SELECT 'after ' || value, clock_timestamp() FROM late_clock`, { name: 'after_late' });
      // Given last, run first.
      uow.writeAtCommit(sql`INSERT INTO early_probe SELECT 'early ' || g, clock_timestamp() FROM generate_series(1, 2000) AS g RETURNING 1`, { name: 'early_rows', beforeLateTexts: true });
      return lateText('k');
    });
    const r = await sql<{ early: Date; late: Date }>`SELECT (SELECT max(at) FROM early_probe WHERE label LIKE 'early %') AS early, (SELECT min(at) FROM early_probe WHERE label LIKE 'after %') AS late`.execute(db);
    expect(r.rows[0]!.early.getTime()).toBeLessThanOrEqual(new Date(marks).getTime());
    expect(r.rows[0]!.early.getTime()).toBeLessThanOrEqual(r.rows[0]!.late.getTime());
    await sql`DROP TABLE early_probe`.execute(db);
  });

  it('reads rows that hold late texts before the late-texts part takes its values, and only the columns that hold them after (lateRows)', async () => {
    const { transactor } = setup({ pollMs: 10_000 });
    await sql`CREATE TABLE IF NOT EXISTS read_probe (what text NOT NULL, at timestamptz NOT NULL)`.execute(db);
    await sql`CREATE TABLE IF NOT EXISTS late_rows_probe (id text PRIMARY KEY, label text NOT NULL, note text NOT NULL)`.execute(db);
    // Notes when a document is read, and which: the whole rows, or their late columns alone.
    await sql`CREATE OR REPLACE FUNCTION probe_read(doc json) RETURNS json LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO read_probe VALUES (CASE WHEN doc::text LIKE '%"note"%' THEN 'whole' ELSE 'late columns' END, clock_timestamp()); RETURN doc; END $$`.execute(db);
    const rows = [
      { id: 'r1', label: `于 ${lateText('k')}`, note: '甲' },
      { id: 'r2', label: '无', note: '乙' },
    ];
    const at = await transactor.runAsOneStatement(async (unitOfWork) => {
      const uow = unitOfWork(ctx);
      uow.writeAtCommit(sql`SELECT 'k' AS key, clock_timestamp()::text AS value`, { name: 'late_clock', lateTexts: true });
      const from = lateRows({ name: 'probe_rows', columns: ['id', 'label', 'note'], lateColumns: ['label'], recordset: (doc) => sql`json_to_recordset(probe_read(${doc})) AS (id text, label text, note text)`, rows }, uow.lateTexts('late_clock'));
      uow.writeAtCommit(sql`INSERT INTO late_rows_probe (id, label, note) SELECT id, label, note FROM ${from} AS x`, { name: 'probe_ins' });
      return lateText('k');
    });
    const reads = await sql<{ what: string; at: Date }>`SELECT what, at FROM read_probe ORDER BY at`.execute(db);
    expect(reads.rows.map((r) => r.what)).toEqual(['whole', 'late columns']);
    expect(reads.rows[0]!.at.getTime()).toBeLessThanOrEqual(new Date(at).getTime());
    expect(reads.rows[1]!.at.getTime()).toBeGreaterThanOrEqual(new Date(at).getTime());
    const stored = await sql<{ id: string; label: string; note: string }>`SELECT id, label, note FROM late_rows_probe ORDER BY id`.execute(db);
    expect(stored.rows).toEqual([
      { id: 'r1', label: `于 ${at}`, note: '甲' },
      { id: 'r2', label: '无', note: '乙' },
    ]);
    await sql`DROP TABLE read_probe, late_rows_probe`.execute(db);
    await sql`DROP FUNCTION probe_read(json)`.execute(db);
  });

  it('makes enqueue idempotent with a dedupe key: the handler sees the job once', async () => {
    const { runner, transactor } = setup();
    let runs = 0;
    runner.register('test.dedupe', async () => {
      runs += 1;
    });
    for (let i = 0; i < 3; i++) {
      await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.dedupe', payload: { i }, dedupeKey: 'case:42:accepted' }));
    }
    expect(await jobRows(db, 'test.dedupe')).toHaveLength(1);
    expect(await runner.runDue()).toBe(1);
    // A later enqueue with the same key (after the job ran) is ignored too.
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.dedupe', dedupeKey: 'case:42:accepted' }));
    expect(await runner.runDue()).toBe(0);
    expect(runs).toBe(1);
  });

  it('retries a failing job with growing delays, then dead-letters it with the last error', async () => {
    const { runner, transactor } = setup({ pollMs: 10 });
    const calls: number[] = [];
    runner.register(
      'test.flaky',
      async (job) => {
        calls.push(Date.now());
        throw new Error(`gateway down (attempt ${job.attempt})`);
      },
      { retryBaseMs: 40, retryMaxMs: 10_000 },
    );
    runner.start();
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.flaky', maxAttempts: 3 }));
    const [row] = await waitFor(async () => {
      const rows = await jobRows(db, 'test.flaky');
      return rows[0]?.state === 'dead' ? rows : null;
    });
    expect(row).toMatchObject({ state: 'dead', attempts: 3, locked_until: null });
    expect(row!.last_error).toContain('gateway down (attempt 3)');
    expect(calls).toHaveLength(3);
    // Delay after attempt 1 is 20–40 ms, after attempt 2 40–80 ms (equal jitter).
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(15);
    expect(calls[2]! - calls[1]!).toBeGreaterThanOrEqual(35);
    // Dead jobs stay dead.
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toHaveLength(3);
  });

  it('keeps a job pending with its error between attempts', async () => {
    const { runner, transactor } = setup();
    runner.register(
      'test.later',
      async () => {
        throw new Error('try later');
      },
      { retryBaseMs: 60_000 },
    );
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.later' }));
    await runner.runDue();
    const [row] = await jobRows(db, 'test.later');
    expect(row).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringContaining('try later') });
    expect(row!.run_at.getTime()).toBeGreaterThan(Date.now() + 20_000);
  });

  it('dead-letters at once on a PermanentJobError', async () => {
    const { runner, transactor } = setup();
    runner.register('test.permanent', async () => {
      throw new PermanentJobError('payload names no recipient');
    });
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.permanent', maxAttempts: 8 }));
    await runner.runDue();
    const [row] = await jobRows(db, 'test.permanent');
    expect(row).toMatchObject({ state: 'dead', attempts: 1 });
    expect(row!.last_error).toContain('payload names no recipient');
  });

  it('fails a job that runs past its timeout, aborting its signal', async () => {
    const { runner, transactor } = setup();
    let aborted = false;
    runner.register(
      'test.slow',
      async (job) => {
        await new Promise<void>((resolve) => {
          job.signal.addEventListener('abort', () => {
            aborted = true;
            resolve();
          });
        });
      },
      { timeoutMs: 50 },
    );
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.slow', maxAttempts: 1 }));
    await runner.runDue();
    expect(aborted).toBe(true);
    const [row] = await jobRows(db, 'test.slow');
    expect(row).toMatchObject({ state: 'dead', attempts: 1, last_error: expect.stringContaining('timed out after 50 ms') });
  });

  it('reclaims a running job whose lease expired (its runner died), and buries one out of attempts', async () => {
    const { runner } = setup();
    const ran: number[] = [];
    runner.register('test.orphan', async (job) => {
      ran.push(job.attempt);
    });
    await sql`INSERT INTO platform.job (queue, state, attempts, max_attempts, locked_until, locked_by)
      VALUES ('test.orphan', 'running', 1, 5, now() - interval '1 minute', 'dead-host:1:x'),
             ('test.orphan', 'running', 5, 5, now() - interval '1 minute', 'dead-host:1:x'),
             ('test.orphan', 'running', 1, 5, now() + interval '1 hour', 'live-host:2:y')`.execute(db);
    await runner.runDue();
    expect(ran).toEqual([2]);
    const rows = await jobRows(db, 'test.orphan');
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['done', 2],
      ['dead', 5],
      ['running', 1], // another runner's live lease is left alone
    ]);
    expect(rows[1]!.last_error).toContain('lease expired');
  });

  it('reaping puts expired leases with attempts left back to pending and dead-letters the rest', async () => {
    await sql`INSERT INTO platform.job (queue, state, attempts, max_attempts, locked_until, locked_by)
      VALUES ('test.reap', 'running', 2, 3, now() - interval '1 second', 'gone:1:a'),
             ('test.reap', 'running', 3, 3, now() - interval '1 second', 'gone:1:a'),
             ('test.reap', 'running', 1, 3, now() + interval '1 hour', 'live:2:b'),
             ('test.reap.other', 'running', 1, 3, now() - interval '1 second', 'gone:1:a')`.execute(db);
    expect(await reapExpiredJobs(db, ['test.reap'])).toEqual({ released: 1, buried: 1 });
    const rows = await jobRows(db, 'test.reap');
    expect(rows.map((r) => [r.state, r.attempts, r.locked_until === null])).toEqual([
      ['pending', 2, true],
      ['dead', 3, true],
      ['running', 1, false],
    ]);
    expect(rows[0]!.last_error).toContain('to be tried again');
    expect(rows[1]!.finished_at).not.toBeNull();
    // Another queue's jobs are not this runner's business.
    expect((await jobRows(db, 'test.reap.other'))[0]!.state).toBe('running');
    // The released job is claimed like any due job, its attempt counted.
    const claimed = await claimJobsPerQueue(db, [{ queue: 'test.reap', limit: 5, leaseMs: 60_000 }], 'me:3:c');
    expect(claimed.map((j) => [j.id, j.attempts])).toEqual([[rows[0]!.id, 3]]);
  });

  it('claims the due jobs in run_at order, per queue limit, past thousands of finished ones', async () => {
    await sql`INSERT INTO platform.job (queue, run_at) SELECT 'test.churn', now() - make_interval(secs => 5000 - g) FROM generate_series(1, 3000) AS g`.execute(db);
    for (;;) {
      const got = await claimJobsPerQueue(db, [{ queue: 'test.churn', limit: 500, leaseMs: 60_000 }], 'me:1:a');
      if (got.length === 0) break;
      expect(await completeJobs(db, got.map((j) => ({ id: j.id, attempt: j.attempts })))).toBe(got.length);
    }
    await sql`INSERT INTO platform.job (queue, run_at) VALUES ('test.churn', now() - interval '1 second'), ('test.churn', now() - interval '2 seconds'), ('test.churn', now() + interval '1 hour'), ('test.churn.b', now())`.execute(db);
    const got = await claimJobsPerQueue(db, [{ queue: 'test.churn', limit: 5, leaseMs: 60_000 }, { queue: 'test.churn.b', limit: 1, leaseMs: 60_000 }], 'me:1:a');
    expect(got.map((j) => j.queue)).toEqual(['test.churn', 'test.churn', 'test.churn.b']);
    expect(got[0]!.runAt.getTime()).toBeLessThan(got[1]!.runAt.getTime());
    expect(got.every((j) => j.attempts === 1)).toBe(true);
    // Jobs enqueued together (one run_at) are claimed in the order they were enqueued.
    await sql`INSERT INTO platform.job (queue, run_at, payload) SELECT 'test.fifo', now() - interval '1 second', jsonb_build_object('n', g) FROM generate_series(1, 6) AS g`.execute(db);
    const first = await claimJobsPerQueue(db, [{ queue: 'test.fifo', limit: 3, leaseMs: 60_000 }], 'me:1:a');
    const rest = await claimJobsPerQueue(db, [{ queue: 'test.fifo', limit: 3, leaseMs: 60_000 }], 'me:1:a');
    expect([...first, ...rest].map((j) => j.payload.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fences a runner that lost its lease: its late outcome is not recorded', async () => {
    await sql`INSERT INTO platform.job (queue, state, attempts) VALUES ('test.fence', 'running', 2)`.execute(db);
    const [row] = await jobRows(db, 'test.fence');
    expect(await completeJob(db, row!.id, 1)).toBe(false);
    expect(await completeJob(db, row!.id, 2)).toBe(true);
  });

  it('runs at most `concurrency` jobs of a queue at once', async () => {
    const { runner, transactor } = setup({ pollMs: 10 });
    let running = 0;
    let peak = 0;
    runner.register(
      'test.parallel',
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running -= 1;
      },
      { concurrency: 3 },
    );
    await transactor.run(ctx, async (uow) => {
      for (let i = 0; i < 12; i++) await uow.enqueue({ queue: 'test.parallel', payload: { i } });
    });
    expect(await runner.runDue()).toBe(12);
    expect(peak).toBe(3);
  });

  it('lets running jobs finish when stopped (graceful drain), and claims nothing after', async () => {
    const { runner, transactor } = setup({ pollMs: 10 });
    let finished = 0;
    let started = 0;
    runner.register('test.drain', async () => {
      started += 1;
      await new Promise((r) => setTimeout(r, 150));
      finished += 1;
    });
    runner.start();
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.drain' }));
    await waitFor(async () => started === 1);
    await runner.stop();
    expect(finished).toBe(1);
    expect((await jobRows(db, 'test.drain'))[0]!.state).toBe('done');
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.drain' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(started).toBe(1);
    expect((await jobRows(db, 'test.drain'))[1]!.state).toBe('pending');
  });

  it('leaves jobs of queues it has no handler for alone', async () => {
    const { runner, transactor } = setup();
    runner.register('test.mine', async () => undefined);
    await transactor.run(ctx, (uow) => uow.enqueue({ queue: 'test.someone-else' }));
    await runner.runDue();
    expect((await jobRows(db, 'test.someone-else'))[0]!.state).toBe('pending');
    expect(() => runner.register('test.mine', async () => undefined)).toThrow(/handler already/);
  });

  it('never runs one job twice when two runners on two connection pools share the queue', async (context) => {
    if (database.backend !== 'postgres') {
      context.skip('PGlite has one connection: run with ZHENGWU_TEST_DATABASE_URL for the multi-runner check');
      return;
    }
    const second = await openDatabase({ databaseUrl: database.pool.options.connectionString, poolSize: 5 });
    try {
      const runs = new Map<number, number>();
      const byRunner = [0, 0];
      const handler = (index: number) => async (job: JobContext) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        byRunner[index]! += 1;
        await new Promise((r) => setTimeout(r, Math.random() * 5));
      };
      const a = new JobRunner({ db, logger, pollMs: 5, workerId: 'runner-a' });
      const b = new JobRunner({ db: second.db, logger, pollMs: 5, workerId: 'runner-b' });
      runners.push(a, b);
      a.register('test.shared', handler(0), { concurrency: 4 });
      b.register('test.shared', handler(1), { concurrency: 4 });
      const total = 300;
      const transactor = new Transactor(db, { onJobs: () => a.poke() });
      await transactor.run(ctx, async (uow) => {
        for (let i = 0; i < total; i++) await uow.enqueue({ queue: 'test.shared', payload: { i } });
      });
      a.start();
      b.start();
      await waitFor(async () => {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue = 'test.shared' AND state = 'done'`.execute(db);
        return rows[0]!.n === total;
      }, 30_000);
      expect(runs.size).toBe(total);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(byRunner[0]! + byRunner[1]!).toBe(total);
      expect(byRunner[0]).toBeGreaterThan(0);
      expect(byRunner[1]).toBeGreaterThan(0);
      await a.stop();
      await b.stop();
    } finally {
      await second.close();
    }
  });

  it('runs a batch queue in batches: one handler call and one completion for many jobs; a bad job fails alone', async () => {
    const { runner, transactor } = setup();
    const calls: number[][] = [];
    runner.registerBatch<{ n: number }>(
      'test.batch',
      async (jobs) => {
        calls.push(jobs.map((j) => j.payload.n));
        if (jobs.some((j) => j.payload.n < 0)) throw new PermanentJobError('negative');
      },
      { batchSize: 4 },
    );
    await transactor.run(ctx, async (uow) => {
      for (const n of [1, 2, 3, 4, 5, 6]) await uow.enqueue({ queue: 'test.batch', payload: { n } });
    });
    expect(await runner.runDue()).toBe(6);
    expect(calls).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect((await jobRows(db, 'test.batch')).map((r) => r.state)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);

    calls.length = 0;
    await transactor.run(ctx, async (uow) => {
      for (const n of [7, -8, 9]) await uow.enqueue({ queue: 'test.batch', payload: { n } });
    });
    await runner.runDue();
    expect(calls).toEqual([[7, -8, 9], [7], [-8], [9]]);
    const rows = (await jobRows(db, 'test.batch')).slice(6);
    expect(rows.map((r) => r.state)).toEqual(['done', 'dead', 'done']);
    expect(rows[1]!.last_error).toMatch(/negative/);
  });
});
