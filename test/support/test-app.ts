import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildApp, createModules, createPlatform, migrationSets, type AppOptions, type Zhengwu } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { Authenticator } from '../../src/platform/auth/authenticator.ts';
import { migrate } from '../../src/platform/db/migrator.ts';
import { openTestDatabase, type TestDatabaseTemplate } from './test-database.ts';

const SRC = path.resolve(import.meta.dirname, '../../src');
let sourceKey: string | null = null;

/** A hash of every non-test source file: the migrated template is rebuilt whenever the code changes. */
function currentSourceKey(): string {
  if (sourceKey) return sourceKey;
  const hash = crypto.createHash('sha256');
  const files = (fs.readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts') && !/\.(i?test)\.ts$/.test(f)).sort();
  for (const f of files) {
    hash.update(f);
    hash.update(fs.readFileSync(path.join(SRC, f)));
  }
  sourceKey = hash.digest('hex').slice(0, 32);
  return sourceKey;
}

/** Migrates a database exactly as buildApp does, without starting anything. */
function migratedTemplate(config: Config): TestDatabaseTemplate {
  return {
    key: currentSourceKey(),
    prepare: async (database) => {
      const platform = createPlatform({ config, database });
      const { modules } = createModules(platform);
      await migrate(platform.db, migrationSets(modules));
    },
  };
}

export interface TestApp extends Zhengwu {
  config: Config;
  backend: 'pglite' | 'postgres';
  /** Closes the app and drops the database. */
  stop(): Promise<void>;
}

/** The whole app on a fresh database (a copy of one migrated by the real migrator); call inject() on `app`. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { authenticator?: Authenticator; extraRoutes?: AppOptions['extraRoutes'] } = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ZHENGWU_DATA_DIR: '/tmp/zhengwu-test', ...env });
  const database = await openTestDatabase(migratedTemplate(config));
  const zw = await buildApp({
    config,
    database,
    ...(opts.authenticator ? { authenticatorOverride: opts.authenticator } : {}),
    ...(opts.extraRoutes ? { extraRoutes: opts.extraRoutes } : {}),
  });
  return {
    ...zw,
    config,
    backend: database.backend,
    stop: async () => {
      await zw.close();
      await database.close();
    },
  };
}
