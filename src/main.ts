import { Command } from 'commander';
import { buildApp, createModules, createPlatform, migrationSets } from './app.ts';
import { ConfigError, loadConfig, type Config } from './platform/config.ts';
import { openDatabase, type Database } from './platform/db/database.ts';
import { migrate } from './platform/db/migrator.ts';
import { createLogger } from './platform/logger.ts';
import { isSeeded, runSeeds } from './platform/seed.ts';

/** The `zhengwu` command line: serve, migrate, seed, import-divisions, user create, audit verify. */
const program = new Command();
program.name('zhengwu').description('Zhengwu 政务平台 command line').showHelpAfterError();

function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
}

async function withDatabase<T>(fn: (cfg: Config, database: Database) => Promise<T>): Promise<T> {
  const cfg = config();
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  try {
    return await fn(cfg, database);
  } finally {
    await database.close();
  }
}

program
  .command('serve')
  .description('start the web server (migrates, and seeds demo data on first start)')
  .action(async () => {
    const cfg = config();
    const logger = createLogger(cfg.logLevel);
    const started = Date.now();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
    const zw = await buildApp({ config: cfg, database, logger });
    if (cfg.seedDemo && cfg.env !== 'production' && !(await isSeeded(zw.platform))) {
      console.log('  首次启动：正在写入演示数据 (first start: seeding demo data)…');
      await runSeeds(zw.platform, zw.modules);
    }
    const address = await zw.app.listen({ port: cfg.port, host: cfg.host });
    const where = cfg.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${cfg.dataDir}`;
    console.log(`\n  政务平台 Zhengwu is running at ${cfg.publicUrl}  (listening on ${address}, database: ${where}, ready in ${Date.now() - started} ms)\n`);
    const shutdown = async (signal: string) => {
      logger.info({ signal }, 'shutting down');
      await zw.close();
      await database.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    await withDatabase(async (cfg, database) => {
      const platform = createPlatform({ config: cfg, database, logger: createLogger('warn') });
      const { modules } = createModules(platform);
      const report = await migrate(database.db, migrationSets(modules));
      console.log(report.applied.length === 0 ? 'database is up to date' : report.applied.map((a) => `applied ${a.module}/${a.id}`).join('\n'));
    });
  });

program
  .command('seed')
  .description('write the demo data (idempotent; refused in production)')
  .action(async () => {
    await withDatabase(async (cfg, database) => {
      const zw = await buildApp({ config: cfg, database, logger: createLogger('warn') });
      const seeded = await runSeeds(zw.platform, zw.modules);
      console.log(`seeded: ${seeded.join(', ') || '(no module has seed data)'}`);
      await zw.close();
    });
  });

program.parseAsync().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
