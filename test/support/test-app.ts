import { buildApp, type AppOptions, type Zhengwu } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import type { Authenticator } from '../../src/platform/auth/authenticator.ts';
import { openTestDatabase } from './test-database.ts';

export interface TestApp extends Zhengwu {
  config: Config;
  backend: 'pglite' | 'postgres';
  /** Closes the app and drops the database. */
  stop(): Promise<void>;
}

/** The whole app on a fresh database, migrated by the real migrator; call inject() on `app`. */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { authenticator?: Authenticator; extraRoutes?: AppOptions['extraRoutes'] } = {},
): Promise<TestApp> {
  const database = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ZHENGWU_DATA_DIR: '/tmp/zhengwu-test', ...env });
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
