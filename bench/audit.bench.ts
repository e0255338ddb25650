/**
 * The audit trail under load (责任认定):
 *
 * (a) appends: N entries from 16 concurrent writers, each entry its own Transactor.run
 *     transaction, with the sealer sealing concurrently (poked after every commit, as in the
 *     server). Then asserts the chain has no fork: verify ok, seq gap-free 1..N, nothing
 *     left unsealed. Reports appends/s and how long the sealer trailed the last commit.
 * (b) verify: ≥ 200,000 entries inserted with one INSERT … SELECT generate_series, sealed,
 *     then `verifyAuditChain` timed over the whole chain (entries/s; target ≥ 200,000/s
 *     on PostgreSQL).
 *
 * Runs on a fresh in-memory PGlite, or on a new database created on the PostgreSQL server
 * at `databaseUrl` (dropped afterwards). Called by bench/run.ts; also runnable alone:
 *   npx tsx bench/audit.bench.ts [postgres://postgres@127.0.0.1:55432/postgres]
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { systemContext } from '../src/platform/auth/actor.ts';
import { AuditSealer } from '../src/platform/audit/audit-sealer.ts';
import { verifyAuditChain } from '../src/platform/audit/audit-verify.ts';
import { auditMigrations } from '../src/platform/audit/migrations.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrator.ts';
import { Transactor } from '../src/platform/unit-of-work.ts';

export interface AuditBenchOptions {
  databaseUrl?: string;
  /** Entries appended in (a); default 20,000. */
  appendEntries?: number;
  writers?: number;
  /** Entries verified in (b); default 200,000. */
  verifyEntries?: number;
  /** Timed verify runs in (b), reported with their median; default 5. */
  verifyRuns?: number;
}

export interface AuditBenchResult {
  name: 'audit';
  backend: 'pglite' | 'postgres';
  append: {
    entries: number;
    writers: number;
    elapsedMs: number;
    appendsPerSec: number;
    /** From the last commit until every entry was sealed. */
    sealLagMs: number;
    /** Entries not yet sealed when the last writer finished. */
    pendingAtEnd: number;
    verifyOk: boolean;
    gapFree: boolean;
  };
  verify: {
    entries: number;
    insertMs: number;
    sealMs: number;
    sealedPerSec: number;
    batchSize: number;
    runsPerSec: number[];
    /** Median of the runs (wall clock, as measured on this machine under its current load). */
    entriesPerSec: number;
    /**
     * CPU time per entry of the verifying Node process and (PostgreSQL on this machine only)
     * of the server's processes — the postmaster of the cluster benchmarked and its children,
     * not other clusters on the machine — medians over the runs. On a shared, busy machine the
     * wall clock mostly measures waiting for a core; these say what the work itself costs,
     * and 1e6 / max(node, server) is the rate with one free core for each side (the verifier
     * hashes rows while the server produces the next ones).
     */
    nodeCpuUsPerEntry: number;
    serverCpuUsPerEntry: number | null;
    projectedEntriesPerSec: number;
    /** 1-minute load average before each run (the machine's cores: `cores`). */
    loadAverages: number[];
    cores: number;
    ok: boolean;
  };
}

async function freshDatabase(databaseUrl: string | undefined, poolSize: number): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!databaseUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    return { database, drop: () => database.close() };
  }
  const name = `zw_bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize });
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

/** The local PostgreSQL cluster's postmaster: the parent of this connection's backend (Linux /proc; bench only). */
async function postmasterPid(database: Database): Promise<string | null> {
  try {
    const r = await database.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const stat = fs.readFileSync(`/proc/${r.rows[0]!.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? null; // field 4: ppid
  } catch {
    return null;
  }
}

/** utime + stime of the postmaster `postmaster` and its children (backends, background workers), in µs. */
function clusterCpuUs(postmaster: string): number | null {
  try {
    let ticks = 0;
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (pid !== postmaster && fields[1] !== postmaster) continue;
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    }
    return (ticks * 1e6) / 100; // CLK_TCK is 100 on Linux
  } catch {
    return null;
  }
}

async function chainShape(database: Database): Promise<{ total: number; sealed: number; minSeq: number; maxSeq: number }> {
  const r = await sql<{ total: string; sealed: string; min_seq: string | null; max_seq: string | null }>`
    SELECT count(*)::text AS total, count(seq)::text AS sealed, min(seq)::text AS min_seq, max(seq)::text AS max_seq FROM audit.entry`.execute(database.db);
  const row = r.rows[0]!;
  return { total: Number(row.total), sealed: Number(row.sealed), minSeq: Number(row.min_seq ?? 0), maxSeq: Number(row.max_seq ?? 0) };
}

async function benchAppend(databaseUrl: string | undefined, entries: number, writers: number): Promise<AuditBenchResult['append'] & { backend: Database['kind'] }> {
  const { database, drop } = await freshDatabase(databaseUrl, writers + 4);
  try {
    await migrate(database.db, [{ module: 'audit', migrations: auditMigrations }]);
    const sealer = new AuditSealer(database.db, { logger: console });
    const transactor = new Transactor(database.db, { onAudit: () => sealer.poke() });
    sealer.start();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const ctx = systemContext(`bench-writer-${w}`);
        for (let i = next++; i < entries; i = next++) {
          await transactor.run(ctx, async (uow) => {
            await uow.audit({ action: 'bench.append', objectType: 'bench', objectId: String(i), detail: { writer: w, i } });
          });
        }
      }),
    );
    const committed = performance.now();
    const atEnd = await chainShape(database);
    const pendingAtEnd = atEnd.total - atEnd.sealed;
    await sealer.stop();
    await sealer.sealPending();
    const sealed = performance.now();
    const shape = await chainShape(database);
    const gapFree = shape.total === entries && shape.sealed === entries && shape.minSeq === 1 && shape.maxSeq === entries;
    const verify = await verifyAuditChain(database);
    if (!gapFree || !verify.ok) throw new Error(`audit chain forked or has gaps: ${JSON.stringify({ shape, verify })}`);
    const elapsedMs = committed - started;
    return {
      backend: database.kind,
      entries,
      writers,
      elapsedMs: Math.round(elapsedMs),
      appendsPerSec: Math.round((entries / elapsedMs) * 1000),
      sealLagMs: Math.round(sealed - committed),
      pendingAtEnd,
      verifyOk: verify.ok,
      gapFree,
    };
  } finally {
    await drop();
  }
}

async function benchVerify(databaseUrl: string | undefined, entries: number, runs: number): Promise<AuditBenchResult['verify']> {
  const { database, drop } = await freshDatabase(databaseUrl, 4);
  try {
    await migrate(database.db, [{ module: 'audit', migrations: auditMigrations }]);
    const t0 = performance.now();
    // Realistic sizes: uuid-like request ids, Chinese names, a small detail object.
    await sql`INSERT INTO audit.entry (actor_id, actor_name, actor_kind, actor_role, organisation_id, action, object_type, object_id,
        outcome, request_id, client_ip, occurred_at, detail)
      SELECT 'acct-' || (g % 500), '办事员' || (g % 500), 'staff', 'clerk', 'org-' || (g % 40), 'case.accept', 'case', 'case-' || g,
        CASE WHEN g % 97 = 0 THEN 'denied' ELSE 'success' END, md5(g::text), '10.1.' || (g % 200) || '.' || (g % 250),
        date_trunc('milliseconds', now()) - g * interval '1 second', jsonb_build_object('step', '受理', 'n', g)
      FROM generate_series(1, ${entries}) AS g`.execute(database.db);
    const t1 = performance.now();
    const sealer = new AuditSealer(database.db, { batchSize: 5000 });
    const sealedCount = await sealer.sealPending();
    const t2 = performance.now();
    if (sealedCount !== entries) throw new Error(`sealed ${sealedCount} of ${entries}`);
    const batchSize = 10_000;
    const localServer = databaseUrl !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(databaseUrl).hostname);
    const postmaster = localServer ? await postmasterPid(database) : null;
    const runsPerSec: number[] = [];
    const nodeCpu: number[] = [];
    const serverCpu: number[] = [];
    const loadAverages: number[] = [];
    let ok = true;
    for (let i = 0; i < runs; i++) {
      loadAverages.push(Number(os.loadavg()[0]!.toFixed(2)));
      const server0 = postmaster ? clusterCpuUs(postmaster) : null;
      const cpu0 = process.cpuUsage();
      const r = await verifyAuditChain(database, { batchSize });
      const cpu = process.cpuUsage(cpu0);
      const server1 = postmaster ? clusterCpuUs(postmaster) : null;
      if (!r.ok || r.count !== entries) ok = false;
      runsPerSec.push(Math.round((r.count / r.elapsedMs) * 1000));
      nodeCpu.push((cpu.user + cpu.system) / r.count);
      if (server0 !== null && server1 !== null) serverCpu.push((server1 - server0) / r.count);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const nodeCpuUsPerEntry = Number(median(nodeCpu).toFixed(2));
    const serverCpuUsPerEntry = serverCpu.length > 0 ? Number(median(serverCpu).toFixed(2)) : null;
    return {
      entries,
      insertMs: Math.round(t1 - t0),
      sealMs: Math.round(t2 - t1),
      sealedPerSec: Math.round((entries / (t2 - t1)) * 1000),
      batchSize,
      runsPerSec,
      entriesPerSec: median(runsPerSec),
      nodeCpuUsPerEntry,
      serverCpuUsPerEntry,
      // PGlite runs inside the Node process: its work is already in the Node figure.
      projectedEntriesPerSec: Math.round(1e6 / Math.max(nodeCpuUsPerEntry, serverCpuUsPerEntry ?? 0)),
      loadAverages,
      cores: os.availableParallelism(),
      ok,
    };
  } finally {
    await drop();
  }
}

export async function benchAudit(opts: AuditBenchOptions = {}): Promise<AuditBenchResult> {
  const { backend, ...append } = await benchAppend(opts.databaseUrl, opts.appendEntries ?? 20_000, opts.writers ?? 16);
  const verify = await benchVerify(opts.databaseUrl, opts.verifyEntries ?? 200_000, opts.verifyRuns ?? 5);
  return { name: 'audit', backend, append, verify };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const databaseUrl = process.argv[2] ?? process.env.ZHENGWU_BENCH_DATABASE_URL;
  const result = await benchAudit(databaseUrl ? { databaseUrl } : {});
  console.log(JSON.stringify(result, null, 2));
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `audit-${result.backend}.json`), `${JSON.stringify({ ...result, at: new Date().toISOString(), node: process.version }, null, 2)}\n`);
}
