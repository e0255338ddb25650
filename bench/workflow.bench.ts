/**
 * Advancing a case one workflow step (issue 3 benchmark): load, check, transition, persist,
 * audit — our engine against the `bpmn-engine` package running the same five-step BPMN and
 * persisting its state (getState() JSON) to a table in the same database at every step.
 * Target: ours ≥ 10× bpmn-engine's throughput, measured side by side in the same run.
 *
 * One step, ours:   in one transaction (Transactor.run), WorkflowEngine.complete of the task
 *                   the request names (as a clerk's click on an inbox row does): load the task
 *                   and its instance, locked (one query); check the actor and the version; move
 *                   the token; close the task, save the instance, open the next task and write
 *                   the audit entry (one statement).
 * One step, theirs: in one transaction — SELECT the state FOR UPDATE, Engine.recover(state),
 *                   resume(), find the postponed user task, signal() it, getState(), UPDATE the
 *                   state, and the same audit entry (uow.audit, written at commit).
 * Both sides' statements are prepared once per connection (PREPARED).
 *
 * On PGlite (one connection) both run one caller at a time; on PostgreSQL 8 callers each, on a
 * pool of 10 connections (the app's default). One untimed warm-up round each, then alternating
 * rounds, so that a busy machine slows both alike; the figures are the medians of the rounds.
 * A round is about a second of work on each side (600 of our instances, 60 of bpmn-engine's):
 * with rounds a third as long, the first timed ones still caught the warm-up (our rate rose
 * from round to round by up to 45 %, see docs/SCALING.md).
 * Instances are started before the timed rounds and are not counted.
 *
 * Runs on a fresh in-memory PGlite, or on a new database on the PostgreSQL server at
 * `databaseUrl` (dropped afterwards). Called like the other component benches from
 * bench/run.ts; also runnable alone:
 *   npx tsx bench/workflow.bench.ts [postgres://postgres@127.0.0.1:55432/postgres] [--quick]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from 'bpmn-engine';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor, RequestContext } from '../src/platform/auth/actor.ts';
import { auditMigrations } from '../src/platform/audit/migrations.ts';
import { openDatabase, PREPARED, type Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrator.ts';
import { jobMigrations } from '../src/platform/jobs/migrations.ts';
import { Transactor } from '../src/platform/unit-of-work.ts';
import { linearBpmn } from '../src/platform/workflow/bpmn-fixtures.ts';
import { Machine, type InstanceState } from '../src/platform/workflow/core.ts';
import { WorkflowEngine } from '../src/platform/workflow/engine.ts';
import { workflowMigrations } from '../src/platform/workflow/migrations.ts';
import { parseBpmn } from '../src/platform/workflow/parse-bpmn.ts';

export interface WorkflowBenchOptions {
  databaseUrl?: string;
  /** Alternating timed rounds per engine (default 5), after one untimed warm-up round each. */
  rounds?: number;
  /** Instances advanced through all five steps per round: ours (default 600) and bpmn-engine's (default 60). */
  oursInstancesPerRound?: number;
  theirsInstancesPerRound?: number;
  /** Concurrent callers (default 1; PGlite has one connection, so more only queue there). */
  concurrency?: number;
}

export interface EngineFigures {
  steps: number;
  roundsStepsPerSec: number[];
  /** Median of the rounds. */
  stepsPerSec: number;
  /** Per-step latency over all rounds. */
  latencyMs: { p50: number; p99: number };
  /** Median time per step spent in the engine itself (no database): transition (ours) or recover + resume + signal + getState (bpmn-engine). */
  engineMsPerStep: number;
}

export interface WorkflowBenchResult {
  name: 'workflow';
  backend: 'pglite' | 'postgres';
  what: string;
  ours: EngineFigures;
  bpmnEngine: EngineFigures & { stateBytes: number; version: string };
  concurrency: number;
  ratio: number;
  /** Median of the per-round ratios (each of our rounds against the bpmn-engine round run right after it): less moved by a machine whose speed drifts during the run. For information; the target is checked on `ratio`. */
  ratioOfPairedRounds: number;
  /** How much cheaper our transition is than bpmn-engine's, database excluded. */
  engineCostRatio: number;
  target: number;
  meetsTarget: boolean;
  machine: { cores: number; cpuModel: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
}

const STEPS = 5;
const XML = linearBpmn(Array.from({ length: STEPS }, (_, i) => ({ id: `Task_${i + 1}`, name: `第${i + 1}步`, roles: 'clerk' })));
const ORG = 'org-bench';
const ACTOR: Actor = {
  kind: 'staff',
  accountId: '00000000-0000-4000-8000-00000000b001',
  displayName: '压测办事员',
  realNameLevel: 2,
  position: { id: 'pos-bench', organisationId: ORG, organisationName: '压测单位', jurisdictionCode: '420102', jurisdictionName: '江岸区', roles: ['clerk'] },
  positions: [],
  totpVerified: true,
};
const ctx = (): RequestContext => ({ actor: ACTOR, requestId: `bench-${crypto.randomUUID()}`, clientIp: null });

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
};
const median = (xs: number[]) => quantile(xs, 0.5);

async function freshDatabase(databaseUrl: string | undefined): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!databaseUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, drop: () => database.close() };
  }
  const name = `zw_bench_wf_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  return {
    database,
    drop: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** bpmn-engine's postponed user task (the part of its execution API used here). */
interface Postponed {
  id: string;
  type: string;
  signal(message?: unknown): void;
}

export async function benchWorkflow(opts: WorkflowBenchOptions = {}): Promise<WorkflowBenchResult> {
  const rounds = opts.rounds ?? 5;
  const oursPerRound = opts.oursInstancesPerRound ?? 600;
  const theirsPerRound = opts.theirsInstancesPerRound ?? 60;
  const loadAverageAtStart = os.loadavg().map((l) => round(l, 2));
  const { database, drop } = await freshDatabase(opts.databaseUrl);
  try {
    const db = database.db;
    await migrate(db, [
      { module: 'platform', migrations: jobMigrations },
      { module: 'audit', migrations: auditMigrations },
      { module: 'workflow', migrations: workflowMigrations },
    ]);
    await sql`CREATE TABLE bench_bpmn_engine_state (id uuid PRIMARY KEY, state jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`.execute(db);
    const transactor = new Transactor(db);
    const engine = new WorkflowEngine({ db });
    const parsed = await parseBpmn(XML);
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    await transactor.run(ctx(), async (uow) => {
      const def = await engine.repo.insertDefinition(uow.tx, { organisationId: ORG, organisationName: '压测单位', jurisdictionCode: '420102', key: 'bench-five-steps', version: 1, name: '五步流程', xml: XML, model: parsed.model, comment: '', createdBy: 'bench' });
      if (!def) throw new Error('definition not inserted');
      await engine.repo.publishDefinition(uow.tx, def, 'bench');
    });

    // ---- ours ----
    let subject = 0;
    // The task a caller acts on comes with the request (the inbox row the clerk clicked), as
    // the instance id does for bpmn-engine; each step returns the next task.
    const currentTask = new Map<string, string>();
    const startOurs = async (n: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const r = await transactor.run(ctx(), (uow) => engine.start(uow, { key: 'bench-five-steps', subjectType: 'case', subjectId: `bench-${++subject}`, organisationId: ORG, jurisdictionCode: '420102' }));
        if (!r.ok) throw new Error(r.message);
        ids.push(r.value.instance.id);
        currentTask.set(r.value.instance.id, r.value.opened[0]?.id ?? '');
      }
      return ids;
    };
    const stepOurs = async (instanceId: string): Promise<void> => {
      await transactor.run(ctx(), async (uow) => {
        const r = await engine.complete(uow, currentTask.get(instanceId) ?? '', { outcome: 'approve' });
        if (!r.ok) throw new Error(r.message);
        currentTask.set(instanceId, r.value.opened[0]?.id ?? '');
      });
    };
    // The engine's own share of a step, measured apart: the token machine on a loaded instance.
    const oursEngineMs = (): number => {
      const runs: number[] = [];
      for (let i = 0; i < 200; i++) {
        // As in complete(): a copy of the stored state, the transition, the JSON written back.
        let stored = JSON.stringify({ tokens: [], seq: 0 } satisfies InstanceState);
        const a = performance.now();
        for (let s = 0; s < STEPS; s++) {
          const state = JSON.parse(stored) as InstanceState;
          const m = new Machine(parsed.model, state, { outcome: 'approve' });
          if (s === 0) m.start();
          else m.completeTask(state.tokens[0]?.id ?? '', 'approve');
          stored = JSON.stringify(state);
        }
        runs.push((performance.now() - a) / STEPS);
      }
      return median(runs);
    };

    // ---- bpmn-engine ----
    let stateBytes = 0;
    const theirsEngine: number[] = [];
    const startTheirs = async (n: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = crypto.randomUUID();
        const e = new Engine({ name: id, source: XML });
        await e.execute({ variables: { subjectId: id } });
        const state = JSON.stringify(await e.getState());
        await sql`INSERT INTO bench_bpmn_engine_state (id, state) VALUES (${id}, ${state}::jsonb)`.execute(db);
        ids.push(id);
      }
      return ids;
    };
    const stepTheirs = async (id: string): Promise<void> => {
      await transactor.run(ctx(), async (uow) => {
        const row = await sql<{ state: unknown }>`${sql.raw(PREPARED)}SELECT state FROM bench_bpmn_engine_state WHERE id = ${id} FOR UPDATE`.execute(uow.tx);
        const saved = row.rows[0]?.state;
        if (!saved) throw new Error('no state');
        const a = performance.now();
        const e = new Engine({ name: id }).recover(typeof saved === 'string' ? JSON.parse(saved) : saved);
        const execution = await e.resume();
        const task = (execution.getPostponed() as unknown as Postponed[]).find((x) => x.type === 'bpmn:UserTask');
        if (!task) throw new Error('no postponed user task');
        task.signal({ outcome: 'approve' });
        const state = JSON.stringify(await e.getState());
        theirsEngine.push(performance.now() - a);
        stateBytes = Math.max(stateBytes, state.length);
        await sql`${sql.raw(PREPARED)}UPDATE bench_bpmn_engine_state SET state = ${state}::jsonb, updated_at = now() WHERE id = ${id}`.execute(uow.tx);
        await uow.audit({ action: 'workflow.task.complete', objectType: 'workflow_task', objectId: `${id}:${task.id}`, detail: { instanceId: id, nodeId: task.id, outcome: 'approve' } });
        // No stop(): the engine waits on the next user task or has completed (stop() of a completed engine never settles); it is dropped like a request's objects.
      });
    };

    const concurrency = Math.max(1, opts.concurrency ?? 1);
    const timeRound = async (ids: string[], step: (id: string) => Promise<void>, latencies: number[]): Promise<number> => {
      const t0 = performance.now();
      let steps = 0;
      // Each caller advances its own share of the instances, step by step.
      const worker = async (mine: string[]) => {
        for (let s = 0; s < STEPS; s++) {
          for (const id of mine) {
            const a = performance.now();
            await step(id);
            latencies.push(performance.now() - a);
            steps += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(ids.filter((_, i) => i % concurrency === w))));
      return (steps / (performance.now() - t0)) * 1000;
    };

    // Warm-up, not counted: one instance each all the way, then one full round each with all the
    // callers (JIT at the optimising tier, every pool connection's prepared statements, caches).
    for (const id of await startOurs(3)) for (let s = 0; s < STEPS; s++) await stepOurs(id);
    for (const id of await startTheirs(2)) for (let s = 0; s < STEPS; s++) await stepTheirs(id);
    await timeRound(await startOurs(oursPerRound), stepOurs, []);
    await timeRound(await startTheirs(theirsPerRound), stepTheirs, []);

    const ours: number[] = [];
    const theirs: number[] = [];
    const oursLat: number[] = [];
    const theirsLat: number[] = [];
    for (let r = 0; r < rounds; r++) {
      ours.push(await timeRound(await startOurs(oursPerRound), stepOurs, oursLat));
      theirs.push(await timeRound(await startTheirs(theirsPerRound), stepTheirs, theirsLat));
    }
    // Every instance really finished: a benchmark that skipped work would show up here.
    const unfinished = await sql<{ n: number }>`SELECT count(*)::int AS n FROM workflow.instance WHERE state <> 'completed'`.execute(db);
    if ((unfinished.rows[0]?.n ?? 0) !== 0) throw new Error('some of our instances did not complete');

    const oursEngine = oursEngineMs();
    const theirsEngineMs = median(theirsEngine);
    const oursRate = median(ours);
    const theirsRate = median(theirs);
    const ratio = oursRate / theirsRate;
    const bpmnEngineVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'bpmn-engine', 'package.json'), 'utf8')) as { version: string }).version;
    return {
      name: 'workflow',
      backend: opts.databaseUrl ? 'postgres' : 'pglite',
      what: `advance one step of a ${STEPS}-step linear BPMN process: load, check, transition, persist, audit — one transaction per step, ${concurrency} caller${concurrency > 1 ? 's' : ''}`,
      ours: {
        steps: oursLat.length,
        roundsStepsPerSec: ours.map((x) => round(x)),
        stepsPerSec: round(oursRate),
        latencyMs: { p50: round(quantile(oursLat, 0.5), 2), p99: round(quantile(oursLat, 0.99), 2) },
        engineMsPerStep: round(oursEngine, 4),
      },
      bpmnEngine: {
        steps: theirsLat.length,
        roundsStepsPerSec: theirs.map((x) => round(x)),
        stepsPerSec: round(theirsRate),
        latencyMs: { p50: round(quantile(theirsLat, 0.5), 2), p99: round(quantile(theirsLat, 0.99), 2) },
        engineMsPerStep: round(theirsEngineMs, 3),
        stateBytes,
        version: bpmnEngineVersion,
      },
      concurrency,
      ratio: round(ratio, 2),
      ratioOfPairedRounds: round(median(ours.map((o, i) => o / theirs[i]!)), 2),
      engineCostRatio: round(theirsEngineMs / oursEngine, 0),
      target: 10,
      meetsTarget: ratio >= 10,
      machine: { cores: os.availableParallelism(), cpuModel: os.cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
    };
  } finally {
    await drop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const databaseUrl = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? process.env.ZHENGWU_BENCH_DATABASE_URL;
  const concurrency = Number(/^--concurrency=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--concurrency=')) ?? '')?.[1] ?? (databaseUrl ? 8 : 1));
  const result = await benchWorkflow({ ...(databaseUrl ? { databaseUrl } : {}), concurrency, ...(quick ? { rounds: 1, oursInstancesPerRound: 40, theirsInstancesPerRound: 8 } : {}) });
  console.log(JSON.stringify(result, null, 2));
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `workflow-${result.backend}-${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ kind: 'zhengwu-bench-workflow', at: new Date().toISOString(), ...result }, null, 2)}\n`);
  console.error(`wrote ${path.relative(process.cwd(), file)}`);
}
