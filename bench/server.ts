/**
 * The app under HTTP load, in a process of its own (so autocannon, in bench/run.ts, does not
 * share its event loop). Started by bench/run.ts; prints one JSON line {"port": N} when it
 * listens on 127.0.0.1, and exits on SIGTERM.
 *
 *   ZW_BENCH_BACKEND       pglite | postgres
 *   ZW_BENCH_DATABASE_URL  the app's (empty) PostgreSQL database, for postgres
 *   ZW_BENCH_DATA_DIR      data directory (PGlite database, files)
 *   ZW_BENCH_AUTH          session: the identity module's sessions, demo data seeded
 *                          header:  bench-only header authenticator (ZW_BENCH_SECRET)
 *   ZW_BENCH_POOL_SIZE     pg.Pool size for PostgreSQL (default 10, the app's default)
 */
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { createLogger } from '../src/platform/logger.ts';
import { runSeeds } from '../src/platform/seed.ts';
import { benchHeaderAuthenticator, benchRoutes } from './bench-routes.ts';

const backend = process.env.ZW_BENCH_BACKEND;
const auth = process.env.ZW_BENCH_AUTH ?? 'session';
const dataDir = process.env.ZW_BENCH_DATA_DIR;
if ((backend !== 'pglite' && backend !== 'postgres') || !dataDir) throw new Error('ZW_BENCH_BACKEND and ZW_BENCH_DATA_DIR are required');
const databaseUrl = backend === 'postgres' ? process.env.ZW_BENCH_DATABASE_URL : undefined;
if (backend === 'postgres' && !databaseUrl) throw new Error('ZW_BENCH_DATABASE_URL is required for postgres');

// development, not production: production marks cookies Secure, which a plain-HTTP loopback
// bench cannot send back, and refuses demo data.
const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: process.env.ZW_BENCH_LOG_LEVEL ?? 'warn', ZHENGWU_DATA_DIR: dataDir, ZHENGWU_SEED_DEMO: 'false' });
const logger = createLogger(config.logLevel);
const database = await openDatabase({ databaseUrl, dataDir, poolSize: Number(process.env.ZW_BENCH_POOL_SIZE ?? 10) });
const zw = await buildApp({
  config,
  database,
  logger,
  extraRoutes: benchRoutes,
  ...(auth === 'header' ? { authenticatorOverride: benchHeaderAuthenticator(process.env.ZW_BENCH_SECRET ?? '') } : {}),
});
if (auth === 'session') await runSeeds(zw.platform, zw.modules);
const address = await zw.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port), auth })}\n`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await zw.close();
  await database.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

// ZW_BENCH_EVENT_LOOP=1: the server's event-loop delay each second (max and p99, ms), to stderr.
if (process.env.ZW_BENCH_EVENT_LOOP === '1') {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  setInterval(() => {
    process.stderr.write(`[event loop] ${new Date().toISOString().slice(11, 19)} p99 ${(h.percentile(99) / 1e6).toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms\n`);
    h.reset();
  }, 1000).unref();
}
