/**
 * Appeals (12345) benchmarks (docs/appeals.md):
 *
 *   npx tsx bench/appeals.bench.ts [--tickets=1000000] [--queries=1000] [--seconds=10] [--no-http]
 *
 * 1. Dispatch suggestion + duplicate check per ticket with `tickets` past tickets indexed:
 *    DispatchAdvisor.suggest() = jieba segmentation + naive Bayes (top 3 categories) + dispatch
 *    catalogue lookup + MinHash LSH over the county's earlier tickets. Past tickets come from the
 *    labelled-set generator (18 categories, 103 Hubei county codes, created over three years);
 *    queries are new generated tickets. Target: p95 ≤ 20 ms with 1,000,000 tickets.
 * 2. Ticket intake over HTTP: POST /api/appeals (anonymous web/API intake: validation, division
 *    lookup, suggestion, gap-free number, insert, event, audit) with 64 autocannon connections at
 *    the maximum rate, then at half of it (p50/p99). Against `intakeUrl` (a server process started
 *    by bench/run.ts, seeded) or else an in-process app on PGlite (autocannon then shares the event
 *    loop: a floor, not the figure to compare with the raw commit ceiling).
 * Results: bench/results/appeals-<date>.json with machine info. bench/run.ts may call benchAppeals().
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { CATALOGUE_LEAVES as LEAVES, DispatchAdvisor, generateLabelledSet, titleOf, type RuleEntry } from '../src/modules/appeals/index.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

export interface AppealsBenchOptions {
  tickets?: number;
  queries?: number;
  /** Seconds per HTTP run (max rate, then half rate). */
  seconds?: number;
  connections?: number;
  /** Base URL of a running, seeded app; otherwise an in-process PGlite app is started. */
  intakeUrl?: string | null;
  /** Skip the HTTP part. */
  http?: boolean;
  log?: (message: string) => void;
}

function percentiles(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 1000) / 1000;
  return { samples: s.length, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), maxMs: at(1) };
}

/** 103 county-level codes of Hubei (prefecture prefixes × county numbers), as the bench's divisions. */
function counties(): string[] {
  const prefectures = ['4201', '4202', '4203', '4205', '4206', '4207', '4208', '4209', '4210', '4211', '4212', '4213', '4228'];
  const out: string[] = [];
  for (const p of prefectures) for (let c = 2; c <= 9 && out.length < 103; c++) out.push(`${p}0${c}`);
  return out;
}

async function suggestionBench(opts: Required<Pick<AppealsBenchOptions, 'tickets' | 'queries'>>, log: (m: string) => void) {
  const divisions = counties();
  const advisor = new DispatchAdvisor(opts.tickets);
  const rules: RuleEntry[] = [];
  for (const d of divisions) for (const leaf of LEAVES) rules.push({ categoryCode: leaf.code, divisionCode: d, organisationId: `${d}-${leaf.code}`, organisationName: `${d} ${leaf.name}` });
  advisor.setRules(rules);
  let t0 = performance.now();
  advisor.train(generateLabelledSet(150, 99, 'train'));
  const trainMs = performance.now() - t0;
  log(`trained on ${advisor.trainedOn} tickets in ${Math.round(trainMs)} ms; indexing ${opts.tickets} past tickets`);
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const start = Date.now() - 3 * 365 * 86_400_000;
  t0 = performance.now();
  let n = 0;
  let seed = 1000;
  while (n < opts.tickets) {
    for (const x of generateLabelledSet(200, seed++, 'all')) {
      if (n >= opts.tickets) break;
      advisor.index({ id: `t${n}`, number: String(n), divisionCode: divisions[n % divisions.length]!, createdAt: start + Math.floor((n / opts.tickets) * 3 * 365 * 86_400_000), text: `${titleOf(x.text)}\n${x.text}` });
      n++;
    }
  }
  const indexMs = performance.now() - t0;
  const memory = { heapGrowthMb: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1048576), rssGrowthMb: Math.round((process.memoryUsage().rss - rssBefore) / 1048576) };
  log(`indexed ${n} in ${Math.round(indexMs)} ms (${Math.round(n / (indexMs / 1000))}/s), ${JSON.stringify(memory)}`);

  const queries = generateLabelledSet(Math.ceil(opts.queries / LEAVES.length), 4242, 'heldOut').slice(0, opts.queries);
  // Warm-up (JIT, jieba's first call).
  for (const q of queries.slice(0, 50)) advisor.suggest({ text: q.text, divisionCode: divisions[0]! });
  const times: number[] = [];
  let withDuplicates = 0;
  let similarSum = 0;
  queries.forEach((q, i) => {
    const a = performance.now();
    const s = advisor.suggest({ text: `${titleOf(q.text)}\n${q.text}`, divisionCode: divisions[i % divisions.length]! });
    times.push(performance.now() - a);
    if (s.duplicates.length) withDuplicates++;
    similarSum += s.similar.length;
  });
  const p = percentiles(times);
  log(`suggest + duplicate check: p50 ${p.p50Ms} ms, p95 ${p.p95Ms} ms, p99 ${p.p99Ms} ms`);
  return { pastTickets: n, trainMs: Math.round(trainMs), indexMs: Math.round(indexMs), memory, latency: p, targetP95Ms: 20, meetsTarget: p.p95Ms <= 20, withDuplicatesShare: withDuplicates / queries.length, meanSimilar: similarSum / queries.length };
}

async function intakeBench(opts: Required<Pick<AppealsBenchOptions, 'seconds' | 'connections'>> & { intakeUrl: string | null }, log: (m: string) => void) {
  let url = opts.intakeUrl;
  let stop: (() => Promise<void>) | null = null;
  if (!url) {
    const { buildApp } = await import('../src/app.ts');
    const { loadConfig } = await import('../src/platform/config.ts');
    const { openDatabase } = await import('../src/platform/db/database.ts');
    const { runSeeds } = await import('../src/platform/seed.ts');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zw-appeals-bench-'));
    const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', ZHENGWU_DATA_DIR: dataDir, ZHENGWU_SEED_DEMO: 'false' });
    const database = await openDatabase({ dataDir });
    const zw = await buildApp({ config, database });
    await runSeeds(zw.platform, zw.modules);
    const address = await zw.app.listen({ port: 0, host: '127.0.0.1' });
    url = address;
    stop = async () => {
      await zw.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    log(`in-process app on PGlite at ${url}`);
  }
  const bodies = generateLabelledSet(20, 77, 'all').map((x) =>
    JSON.stringify({ type: 'complaint', title: titleOf(x.text).padEnd(4, '。'), description: x.text.padEnd(10, '。'), divisionCode: '420102', contactName: '压测', contactPhone: '13800001111' }),
  );
  let i = 0;
  const run = async (overallRate?: number) => {
    const r = await autocannon({
      url: `${url}/api/appeals`,
      method: 'POST',
      connections: opts.connections,
      duration: opts.seconds,
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length] ?? '' }) }],
      ...(overallRate ? { overallRate, ignoreCoordinatedOmission: true } : {}),
    });
    return { requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  };
  try {
    const max = await run();
    log(`intake max: ${max.requestsPerSecond}/s, p99 ${max.p99Ms} ms, non-2xx ${max.non2xx}`);
    const half = await run(Math.max(1, Math.floor(max.requestsPerSecond / 2)));
    log(`intake at half rate: p50 ${half.p50Ms} ms, p99 ${half.p99Ms} ms`);
    return { url: opts.intakeUrl ? 'external' : 'in-process-pglite', connections: opts.connections, seconds: opts.seconds, max, half, targetP99MsAtHalf: 50 };
  } finally {
    if (stop) await stop();
  }
}

export async function benchAppeals(o: AppealsBenchOptions = {}): Promise<Record<string, unknown>> {
  const log = o.log ?? ((m: string) => process.stderr.write(`[appeals bench] ${m}\n`));
  const suggestion = await suggestionBench({ tickets: o.tickets ?? 1_000_000, queries: o.queries ?? 1000 }, log);
  const intake = o.http === false ? null : await intakeBench({ seconds: o.seconds ?? 10, connections: o.connections ?? 64, intakeUrl: o.intakeUrl ?? null }, log);
  return {
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, memoryGb: Math.round(os.totalmem() / 1073741824), node: process.version, platform: `${os.platform()} ${os.release()}` },
    at: new Date().toISOString(),
    suggestion,
    intake,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { tickets: { type: 'string' }, queries: { type: 'string' }, seconds: { type: 'string' }, 'no-http': { type: 'boolean', default: false } } });
  const result = await benchAppeals({
    ...(values.tickets ? { tickets: Number(values.tickets) } : {}),
    ...(values.queries ? { queries: Number(values.queries) } : {}),
    ...(values.seconds ? { seconds: Number(values.seconds) } : {}),
    http: !values['no-http'],
  });
  fs.mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
  const file = path.join(BENCH_DIR, 'results', `appeals-${new Date().toISOString().slice(0, 10)}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`written ${file}\n`);
  process.exit(0);
}
