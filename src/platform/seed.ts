import { sql } from 'kysely';
import type { ModuleManifest } from './module.ts';
import type { Platform } from './platform.ts';

/**
 * Demo data: every module's seed in module order. Seeds are idempotent; the first start
 * runs them once (remembered in platform.seed_state) and `zhengwu seed` runs them again.
 * Refused in production: demo accounts have published passwords.
 */
export async function runSeeds(platform: Platform, modules: ModuleManifest[]): Promise<string[]> {
  if (platform.config.env === 'production') {
    throw new Error('demo seed data is refused in production (NODE_ENV=production)');
  }
  const seeded: string[] = [];
  for (const m of modules) {
    if (!m.seed) continue;
    await m.seed(platform);
    seeded.push(m.name);
  }
  await sql`CREATE TABLE IF NOT EXISTS platform.seed_state (id int PRIMARY KEY CHECK (id = 1), seeded_at timestamptz NOT NULL)`.execute(platform.db);
  await sql`INSERT INTO platform.seed_state (id, seeded_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET seeded_at = now()`.execute(platform.db);
  return seeded;
}

export async function isSeeded(platform: Platform): Promise<boolean> {
  const r = await sql<{ t: string | null }>`SELECT to_regclass('platform.seed_state')::text AS t`.execute(platform.db);
  if (!r.rows[0]?.t) return false;
  const s = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.seed_state`.execute(platform.db);
  return (s.rows[0]?.n ?? 0) > 0;
}
