import { sql } from 'kysely';
import type { Db } from './database.ts';

/** One forward-only migration: plain SQL that runs on PostgreSQL 15+ and PGlite alike. */
export interface Migration {
  id: string;
  sql: string;
}

export interface MigrationSet {
  /** Module name; also the Postgres schema the module owns. */
  module: string;
  migrations: Migration[];
}

export interface MigrationReport {
  applied: { module: string; id: string }[];
}

const LOCK_KEY = 727_100_001; // advisory lock id: one migrator at a time across processes

/**
 * Applies pending migrations module by module, each in its own transaction together with
 * its bookkeeping row, so a failure leaves nothing half-applied.
 */
export async function migrate(db: Db, sets: MigrationSet[]): Promise<MigrationReport> {
  await sql`CREATE SCHEMA IF NOT EXISTS platform`.execute(db);
  await sql`CREATE TABLE IF NOT EXISTS platform.migration (
    module text NOT NULL,
    id text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (module, id)
  )`.execute(db);
  const applied: MigrationReport['applied'] = [];
  for (const set of sets) {
    const done = await db
      .selectFrom('platform.migration')
      .select('id')
      .where('module', '=', set.module)
      .execute();
    const doneIds = new Set(done.map((r: { id: string }) => r.id));
    for (const m of set.migrations) {
      if (doneIds.has(m.id)) continue;
      await db.transaction().execute(async (tx) => {
        await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
        const again = await tx
          .selectFrom('platform.migration')
          .select('id')
          .where('module', '=', set.module)
          .where('id', '=', m.id)
          .executeTakeFirst();
        if (again) return;
        await sql.raw(m.sql).execute(tx);
        await tx.insertInto('platform.migration').values({ module: set.module, id: m.id }).execute();
        applied.push({ module: set.module, id: m.id });
      });
    }
  }
  return { applied };
}
