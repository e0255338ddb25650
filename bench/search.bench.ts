/**
 * The one search box on a generated corpus (docs/search.md, docs/decisions/0005):
 *
 *   npx tsx bench/search.bench.ts [--docs=1000000] [--queries=150] [--no-pg]
 *   (ZHENGWU_BENCH_DATABASE_URL: a PostgreSQL server for the baseline; otherwise a throw-away
 *    durable cluster is started with .ci/pg-cluster.sh and removed afterwards)
 *
 * Corpus: `--docs` documents from src/platform/search/testdata/corpus.ts — a word-bigram
 * (Markov) model trained on the 2012 Hubei e-government plan, with the names of 38 service
 * items, their departments, materials and 20 places of Hubei mixed in; titles follow the
 * usual patterns of notices, publications, item names and hotline questions; kinds, places,
 * organisations, categories, genres, validity and dates vary. Deterministic (seeded).
 *
 * Measures, in one run on one machine:
 * - indexing: SearchIndex.put (jieba segmentation + postings) documents per second;
 * - the index's memory (typed arrays + stored fields, estimated; and the heap growth);
 * - ranked top-20 search (all matches counted, facets, highlighting) p50/p95 over ≥ 100
 *   queries of mixed frequency (common, middling and rare words; two and three words);
 * - the PostgreSQL baseline on the same corpus and queries: pre-segmented text in a tsvector
 *   column ('simple' configuration, title weighted A) with a GIN index, ranked by ts_rank,
 *   top 20; and the ratio of the p95s;
 * - publish-to-searchable: from the commit of a put in a business transaction to the
 *   document being found, in the same process (after-commit poke) and in another process
 *   (the 500 ms poll).
 * Results: bench/results/search-<date>.json (with machine info). bench/run.ts may call
 * benchSearch().
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { systemContext } from '../src/platform/auth/actor.ts';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrator.ts';
import { searchMigrations } from '../src/platform/search/migrations.ts';
import { SearchIndex } from '../src/platform/search/search-index.ts';
import { IndexedSearchService } from '../src/platform/search/search-service.ts';
import { indexTokens, queryTokens } from '../src/platform/search/segmenter.ts';
import { generatedDocument, ITEMS, MarkovText, PLACES, PLAN_TEXT, rng } from '../src/platform/search/testdata/corpus.ts';
import { Transactor } from '../src/platform/unit-of-work.ts';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');

export interface SearchBenchOptions {
  docs?: number;
  queries?: number;
  /** PostgreSQL for the ts_rank baseline and the publish latency; null skips the baseline. */
  databaseUrl?: string | null;
  log?: (message: string) => void;
}

interface Percentiles {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export interface SearchBenchResult {
  name: 'search';
  corpus: { documents: number; generator: string; generateMs: number };
  indexing: { docsPerSec: number; elapsedMs: number; docsPerCpuSec: number; target: number; met: boolean };
  memory: { approxIndexBytes: number; approxIndexMiB: number; heapGrowthMiB: number | null; terms: number; postings: number };
  queries: { count: number; mix: Record<string, number>; examples: string[] };
  ours: Percentiles & { targetP50Ms: number; targetP95Ms: number; met: boolean; meanHits: number };
  /** CPU time per query (process.cpuUsage, ~1 ms resolution on some kernels): the figure other processes on a shared machine do not inflate. */
  oursCpu: Percentiles;
  /** Load average during the run: the machine is shared; wall-clock figures are inflated when it is high. */
  loadAverage: { start: number[]; end: number[] };
  postgres: (Percentiles & { loadMs: number; ginIndexMs: number; server: string; meanHits: number }) | null;
  p95Ratio: number | null;
  ratioTarget: number;
  publishToSearchable: { sameProcess: Percentiles; otherProcess: Percentiles; targetMs: number; met: boolean; database: string } | null;
}

function percentiles(ms: number[]): Percentiles {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
  const r = (n: number) => Math.round(n * 100) / 100;
  return { samples: s.length, p50Ms: r(at(0.5)), p95Ms: r(at(0.95)), p99Ms: r(at(0.99)), maxMs: r(s[s.length - 1] ?? 0), meanMs: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Queries of mixed frequency, chosen by how many documents each word matches. */
function chooseQueries(index: SearchIndex, count: number): { queries: string[]; mix: Record<string, number> } {
  const r = rng(4242);
  const freq = new Map<string, number>();
  for (const w of PLAN_TEXT.split(/[\s，。、；：“”（）《》,.;:()]+/u).flatMap((s) => queryTokens(s))) if (w.length >= 2 && /^[\u4e00-\u9fff]+$/u.test(w)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const pool = new Set<string>([...freq.keys()]);
  for (const item of ITEMS) {
    pool.add(item.name);
    pool.add(item.dept);
    for (const m of item.materials.split('、')) pool.add(m);
  }
  for (const p of PLACES) pool.add(p.name);
  // by how many documents each candidate matches: the most frequent third, the middle, the rarest third
  const measured = [...pool].map((w) => ({ w, total: index.search(w, { limit: 1 }).total })).filter((x) => x.total > 0);
  measured.sort((a, b) => b.total - a.total);
  const third = Math.floor(measured.length / 3);
  const high = measured.slice(0, third).map((x) => x.w);
  const mid = measured.slice(third, 2 * third).map((x) => x.w);
  const low = measured.slice(2 * third).map((x) => x.w);
  const take = (list: string[], k: number) => {
    const out: string[] = [];
    for (let i = 0; i < k && list.length > 0; i++) out.push(list[Math.floor(r() * list.length)] as string);
    return out;
  };
  const singlesHigh = take(high, Math.round(count * 0.2));
  const singlesMid = take(mid, Math.round(count * 0.25));
  const singlesLow = take(low, Math.round(count * 0.2));
  const pairs = Array.from({ length: Math.round(count * 0.2) }, () => `${take(mid.length > 0 ? mid : high, 1)[0] ?? ''} ${take(high.length > 0 ? high : mid, 1)[0] ?? ''}`.trim());
  const triples = Array.from({ length: count - singlesHigh.length - singlesMid.length - singlesLow.length - Math.round(count * 0.2) }, () => take([...mid, ...high], 3).join(' '));
  const queries = [...singlesHigh, ...singlesMid, ...singlesLow, ...pairs, ...triples].filter((q) => q !== '');
  return { queries, mix: { commonWord: singlesHigh.length, middlingWord: singlesMid.length, rareWord: singlesLow.length, twoWords: pairs.length, threeWords: triples.length } };
}

/** The tsquery for the baseline: the same query words, AND-ed, each quoted. */
function tsquery(q: string): string {
  return queryTokens(q)
    .map((t) => `'${t.replace(/'/g, "''").replace(/\\/g, '')}'`)
    .join(' & ');
}

/** `tokens`: title and body tokens (space-separated) of document i at 2i and 2i + 1. */
async function postgresBaseline(databaseUrl: string, n: number, tokens: string[], queries: string[], log: (m: string) => void) {
  const database = await openDatabase({ databaseUrl, poolSize: 2 });
  const db = database.db;
  try {
    await sql`DROP SCHEMA IF EXISTS bench_search CASCADE`.execute(db);
    await sql`CREATE SCHEMA bench_search`.execute(db);
    await sql`CREATE TABLE bench_search.doc (id int PRIMARY KEY, tsv tsvector NOT NULL)`.execute(db);
    const loadStart = performance.now();
    const BATCH = 2000;
    for (let from = 0; from < n; from += BATCH) {
      const ids: number[] = [];
      const titles: string[] = [];
      const bodies: string[] = [];
      for (let i = from; i < Math.min(n, from + BATCH); i++) {
        ids.push(i);
        // pre-segmented: the same jieba tokens as our index
        titles.push(tokens[2 * i] as string);
        bodies.push(tokens[2 * i + 1] as string);
      }
      await sql`INSERT INTO bench_search.doc (id, tsv)
        SELECT id, setweight(to_tsvector('simple', t), 'A') || to_tsvector('simple', b)
        FROM unnest(${ids}::int[], ${titles}::text[], ${bodies}::text[]) AS x(id, t, b)`.execute(db);
      if (from % 100_000 === 0 && from > 0) log(`postgres: loaded ${from} documents`);
    }
    const loadMs = performance.now() - loadStart;
    const ginStart = performance.now();
    await sql`CREATE INDEX doc_tsv ON bench_search.doc USING gin (tsv)`.execute(db);
    const ginIndexMs = performance.now() - ginStart;
    await sql`VACUUM ANALYZE bench_search.doc`.execute(db);
    const version = (await sql<{ v: string }>`SELECT version() AS v`.execute(db)).rows[0]?.v ?? 'unknown';
    const run = async (q: string) => {
      const tq = tsquery(q);
      if (tq === '') return 0;
      const r = await sql<{ id: number; r: number }>`
        SELECT id, ts_rank(tsv, q) AS r FROM bench_search.doc, to_tsquery('simple', ${tq}) q
        WHERE tsv @@ q ORDER BY r DESC LIMIT 20`.execute(db);
      return r.rows.length;
    };
    log(`postgres: ${n} documents loaded in ${Math.round(loadMs)} ms, GIN index ${Math.round(ginIndexMs)} ms; warming up`);
    for (const q of queries) await run(q);
    const times: number[] = [];
    let hits = 0;
    for (const q of queries) {
      const t0 = performance.now();
      hits += await run(q);
      times.push(performance.now() - t0);
    }
    await sql`DROP SCHEMA bench_search CASCADE`.execute(db);
    return { ...percentiles(times), loadMs: Math.round(loadMs), ginIndexMs: Math.round(ginIndexMs), server: version, meanHits: Math.round((hits / queries.length) * 10) / 10 };
  } finally {
    await database.close();
  }
}

/** Commit → searchable, in the writing process (poke) and in a second process (poll). */
async function publishLatency(database: Database, rounds: number) {
  await migrate(database.db, [{ module: 'search', migrations: searchMigrations }]);
  const writer = new IndexedSearchService(database.db);
  const reader = new IndexedSearchService(database.db);
  writer.start();
  reader.start();
  const transactor = new Transactor(database.db);
  const model = new MarkovText(PLAN_TEXT);
  try {
    await writer.query({ text: '预热' });
    await reader.query({ text: '预热' });
    const same: number[] = [];
    const other: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const doc = { ...generatedDocument(model, 10_000_000 + i), key: `publication:latency-${Date.now()}-${i}` };
      await transactor.run(systemContext('bench'), async (uow) => writer.put(uow, doc));
      const committed = performance.now();
      let sameAt = 0;
      let otherAt = 0;
      while ((sameAt === 0 || otherAt === 0) && performance.now() - committed < 5000) {
        if (sameAt === 0 && writer.searchIndex.has(doc.key)) sameAt = performance.now();
        if (otherAt === 0 && reader.searchIndex.has(doc.key)) otherAt = performance.now();
        await new Promise((r) => setTimeout(r, 2));
      }
      same.push((sameAt || performance.now()) - committed);
      other.push((otherAt || performance.now()) - committed);
      await new Promise((r) => setTimeout(r, 37 * (i % 7))); // publish at different points of the poll cycle
    }
    await sql`DELETE FROM search.document WHERE key LIKE 'publication:latency-%'`.execute(database.db);
    return { same: percentiles(same), other: percentiles(other) };
  } finally {
    await writer.stop();
    await reader.stop();
  }
}

export async function benchSearch(opts: SearchBenchOptions = {}): Promise<SearchBenchResult> {
  const n = opts.docs ?? 1_000_000;
  const log = opts.log ?? ((m: string) => process.stderr.write(`[search bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`));
  const model = new MarkovText(PLAN_TEXT);
  const loadStart = os.loadavg().map((l) => Math.round(l * 100) / 100);

  // -- indexing --
  gc();
  const heapBefore = process.memoryUsage();
  const index = new SearchIndex();
  let generateMs = 0;
  let indexMs = 0;
  const pgTokens: string[] | null = opts.databaseUrl ? [] : null;
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const g0 = performance.now();
    const doc = generatedDocument(model, i);
    const g1 = performance.now();
    const tokens = { title: indexTokens(doc.title), body: indexTokens(doc.body) };
    index.put(doc, i + 1, tokens);
    indexMs += performance.now() - g1;
    // the baseline indexes the very same tokens (kept, so they are not cut twice)
    if (pgTokens) pgTokens.push(tokens.title.join(' '), tokens.body.join(' '));
    generateMs += g1 - g0;
    if (i > 0 && i % 100_000 === 0) log(`indexed ${i} documents (${Math.round(i / (indexMs / 1000))} docs/s)`);
  }
  const cpu = process.cpuUsage(cpuStart);
  gc();
  const heapAfter = process.memoryUsage();
  const stats = index.stats();
  const docsPerSec = Math.round(n / (indexMs / 1000));
  log(`indexed ${n} documents: ${docsPerSec} docs/s; index ≈ ${Math.round(stats.approxBytes / 2 ** 20)} MiB`);

  // -- our queries --
  const { queries, mix } = chooseQueries(index, opts.queries ?? 150);
  for (const q of queries) index.search(q, { limit: 20 });
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let hits = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (const q of queries) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = index.search(q, { limit: 20 });
      times.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuTimes.push((c.user + c.system) / 1000);
      hits += r.total;
    }
  }
  const ours = percentiles(times);
  const oursCpu = percentiles(cpuTimes);
  log(`ours: p50 ${ours.p50Ms} ms, p95 ${ours.p95Ms} ms over ${queries.length} queries × 2`);

  // -- PostgreSQL baseline and publish latency --
  let postgres: SearchBenchResult['postgres'] = null;
  let publish: SearchBenchResult['publishToSearchable'] = null;
  if (opts.databaseUrl) {
    postgres = await postgresBaseline(opts.databaseUrl, n, pgTokens ?? [], queries, log);
    log(`postgres ts_rank: p50 ${postgres.p50Ms} ms, p95 ${postgres.p95Ms} ms`);
  }
  {
    const database = opts.databaseUrl ? await openDatabase({ databaseUrl: opts.databaseUrl, poolSize: 4 }) : await openDatabase({ dataDir: 'memory://' });
    try {
      const lat = await publishLatency(database, 30);
      publish = { sameProcess: lat.same, otherProcess: lat.other, targetMs: 1000, met: lat.same.maxMs <= 1000 && lat.other.maxMs <= 1000, database: database.kind };
      log(`publish→searchable: same process p95 ${lat.same.p95Ms} ms, other process p95 ${lat.other.p95Ms} ms`);
    } finally {
      await database.close();
    }
  }

  const ratio = postgres ? Math.round((postgres.p95Ms / Math.max(0.01, ours.p95Ms)) * 10) / 10 : null;
  return {
    name: 'search',
    corpus: { documents: n, generator: 'word-bigram model over the 2012 Hubei e-government plan + item/department/material/place vocabulary (src/platform/search/testdata/corpus.ts)', generateMs: Math.round(generateMs) },
    indexing: {
      docsPerSec,
      elapsedMs: Math.round(indexMs),
      // generation included: an upper bound of the CPU time, unaffected by other processes on the machine
      docsPerCpuSec: Math.round(n / ((cpu.user + cpu.system) / 1e6)),
      target: 2000,
      met: docsPerSec >= 2000,
    },
    memory: {
      approxIndexBytes: stats.approxBytes,
      approxIndexMiB: Math.round(stats.approxBytes / 2 ** 20),
      heapGrowthMiB: (globalThis as { gc?: unknown }).gc ? Math.round((heapAfter.heapUsed + heapAfter.arrayBuffers - heapBefore.heapUsed - heapBefore.arrayBuffers) / 2 ** 20) : null,
      terms: stats.terms,
      postings: stats.postings,
    },
    queries: { count: queries.length, mix, examples: queries.filter((_, i) => i % 15 === 0) },
    ours: { ...ours, targetP50Ms: 10, targetP95Ms: 50, met: ours.p50Ms <= 10 && ours.p95Ms <= 50, meanHits: Math.round(hits / times.length) },
    oursCpu,
    loadAverage: { start: loadStart, end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    postgres,
    p95Ratio: ratio,
    ratioTarget: 10,
    publishToSearchable: publish,
  };
}

// ---------------------------------------------------------------------------------------
// Run alone: npx tsx bench/search.bench.ts --docs=N

function startCluster(log: (m: string) => void): { url: string; dir: string } | null {
  log('starting a throw-away PostgreSQL cluster (durable settings) with .ci/pg-cluster.sh');
  const r = spawnSync('bash', [path.join(ROOT, '.ci', 'pg-cluster.sh'), 'start', '--durable'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) return null;
  const vars = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return vars.PG_CLUSTER_URL && vars.PG_CLUSTER_DIR ? { url: vars.PG_CLUSTER_URL, dir: vars.PG_CLUSTER_DIR } : null;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { docs: { type: 'string', default: '1000000' }, queries: { type: 'string', default: '150' }, 'no-pg': { type: 'boolean', default: false } } });
  const log = (m: string) => process.stderr.write(`[search bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  let cluster: { url: string; dir: string } | null = null;
  let url: string | null = null;
  if (!values['no-pg']) {
    url = process.env.ZHENGWU_BENCH_DATABASE_URL ?? null;
    if (!url) {
      cluster = startCluster(log);
      url = cluster?.url ?? null;
      if (!url) log('no PostgreSQL available: the ts_rank baseline is skipped');
    }
  }
  try {
    const result = await benchSearch({ docs: Number(values.docs), queries: Number(values.queries), databaseUrl: url, log });
    const out = {
      kind: 'zhengwu-bench-search',
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      postgres: cluster ? 'throw-away cluster (.ci/pg-cluster.sh --durable)' : url ? 'ZHENGWU_BENCH_DATABASE_URL' : null,
      result,
    };
    fs.mkdirSync(path.join(BENCH_DIR, 'results'), { recursive: true });
    const file = path.join(BENCH_DIR, 'results', `search-${out.date.slice(0, 10)}${result.corpus.documents === 1_000_000 ? '' : `-${result.corpus.documents}`}.json`);
    fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    log(`written ${path.relative(ROOT, file)}`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (cluster) spawnSync('bash', [path.join(ROOT, '.ci', 'pg-cluster.sh'), 'stop', cluster.dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
