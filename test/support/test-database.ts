import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';

/**
 * A fresh database for one test file: an in-memory PGlite by default, or — when
 * ZHENGWU_TEST_DATABASE_URL points at a PostgreSQL server (CI) — a new database created
 * on that server and dropped afterwards.
 *
 * With a `template`, the first test file of a run prepares (migrates) a database with the
 * real migrator and keeps it as a template: a PGlite data-directory tarball under the OS
 * temp directory, or a PostgreSQL template database. Later files start from a copy, which
 * skips PGlite's in-memory initdb and the migrations (the slow part of every test file).
 * The template key changes whenever the source changes, so a template never outlives the
 * migrations it was made from.
 */
export interface TestDatabaseTemplate {
  key: string;
  prepare(database: Database): Promise<void>;
}

export type TestDatabase = Database & { backend: 'pglite' | 'postgres' };

const TEMPLATE_DIR = path.join(os.tmpdir(), 'zhengwu-test-templates');

export async function openTestDatabase(template?: TestDatabaseTemplate): Promise<TestDatabase> {
  const adminUrl = process.env.ZHENGWU_TEST_DATABASE_URL;
  if (!adminUrl) return openPglite(template);
  return openPostgres(adminUrl, template);
}

async function openPglite(template?: TestDatabaseTemplate): Promise<TestDatabase> {
  const file = template ? path.join(TEMPLATE_DIR, `${template.key}.tar`) : null;
  if (file && fs.existsSync(file)) {
    const database = await openDatabase({ dataDir: 'memory://', loadDataDir: fs.readFileSync(file) });
    return Object.assign(database, { backend: 'pglite' as const });
  }
  const database = await openDatabase({ dataDir: 'memory://' });
  if (template && file && database.dumpDataDir) {
    await template.prepare(database);
    const tarball = await database.dumpDataDir();
    fs.mkdirSync(TEMPLATE_DIR, { recursive: true });
    for (const old of fs.readdirSync(TEMPLATE_DIR)) if (old.endsWith('.tar')) fs.rmSync(path.join(TEMPLATE_DIR, old), { force: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, tarball);
    fs.renameSync(partial, file);
  }
  return Object.assign(database, { backend: 'pglite' as const });
}

async function adminQuery(adminUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await admin.query(sql, params);
  } finally {
    await admin.end();
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function openPostgres(adminUrl: string, template?: TestDatabaseTemplate): Promise<TestDatabase> {
  let templateName: string | null = null;
  if (template) {
    templateName = `zw_tpl_${template.key.slice(0, 40)}`;
    const exists = await adminQuery(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [templateName]);
    if (exists.rowCount === 0) {
      // Build under a temporary name and rename when complete, so a crash never leaves a half-migrated template.
      const building = `${templateName}_b${crypto.randomBytes(3).toString('hex')}`;
      await adminQuery(adminUrl, `CREATE DATABASE ${building}`);
      const db = await openDatabase({ databaseUrl: databaseUrl(adminUrl, building), poolSize: 2 });
      try {
        await template.prepare(db);
      } finally {
        await db.close();
      }
      await adminQuery(adminUrl, `ALTER DATABASE ${building} RENAME TO ${templateName}`);
    }
  }
  const name = `zw_test_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, templateName ? `CREATE DATABASE ${name} TEMPLATE ${templateName}` : `CREATE DATABASE ${name}`);
  const database = await openDatabase({ databaseUrl: databaseUrl(adminUrl, name), poolSize: 10 });
  const closePool = database.close.bind(database); // captured now: Object.assign below replaces database.close itself
  return Object.assign(database, {
    backend: 'postgres' as const,
    close: async () => {
      await closePool();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  });
}
