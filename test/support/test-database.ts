import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';

/**
 * A fresh, empty database for one test file: an in-memory PGlite by default, or — when
 * ZHENGWU_TEST_DATABASE_URL points at a PostgreSQL server (CI) — a new database created
 * on that server and dropped afterwards. Tests run the real migrator on it.
 */
export async function openTestDatabase(): Promise<Database & { backend: 'pglite' | 'postgres' }> {
  const adminUrl = process.env.ZHENGWU_TEST_DATABASE_URL;
  if (!adminUrl) {
    const database = await openDatabase({ dataDir: 'memory://' });
    return Object.assign(database, { backend: 'pglite' as const });
  }
  const name = `zw_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 10 });
  const closePool = database.close.bind(database); // captured now: Object.assign below replaces database.close itself
  return Object.assign(database, {
    backend: 'postgres' as const,
    close: async () => {
      await closePool();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  });
}
