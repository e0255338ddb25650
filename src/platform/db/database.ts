/* eslint-disable @typescript-eslint/no-explicit-any -- the platform handle is untyped; each repository narrows it to its module's tables */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, type Compilable, type QueryResult, type Transaction } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';

/**
 * The database handle. PostgreSQL is the system of record; PGlite (PostgreSQL in WASM,
 * in-process) is the embedded default. Both go through one `pg.Pool` and Kysely's
 * Postgres dialect, so every repository runs the same SQL on both (DESIGN.md "Database").
 *
 * `Db` is deliberately untyped at this level: each module's repository declares its own
 * table interfaces (`Kysely<IdentityTables>`) and receives this handle, so no module sees
 * another module's tables through the type system either.
 */
export type Db = Kysely<any>;
export type Tx = Transaction<any>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
  /** PGlite only: the data directory as an uncompressed tarball (test templates, backups). */
  dumpDataDir?: () => Promise<Buffer>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory for the embedded database; `memory://` for an in-memory one (tests). */
  dataDir?: string;
  poolSize?: number;
  /** PGlite only: start from this data directory tarball (from `dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Buffer;
}

// Timestamps stay Date objects; bigint counts come back as strings unless parsed here.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
// `date` columns are civil dates: keep them as 'YYYY-MM-DD' strings, never shift by time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/**
 * Hot statements are prepared once per connection and then only bound and executed: a
 * statement whose text starts with this marker is sent as a named prepared statement (the name
 * is a hash of the text, so each distinct text — a multi-row insert of n rows, say — gets its
 * own). PostgreSQL then skips parsing and planning it again, which halves its CPU time for a
 * short query. Only marked statements are prepared, so the number of statements a connection
 * holds stays small and known; everything else goes unnamed as before. A marked statement must
 * name its columns rather than `*` where a migration could later change them.
 */
export const PREPARED = '/*zw:prepared*/ ';

const preparedNames = new Map<string, string>();
function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `zw_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** Marked statements go out as named statements on this client (see PREPARED). */
function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, values?: unknown, callback?: unknown) =>
    typeof config === 'string' && config.startsWith(PREPARED) && typeof callback !== 'function'
      ? query({ name: preparedName(config), text: config, values })
      : query(config, values, callback);
}

/** Runs a Kysely query as a prepared statement (see PREPARED). */
export function executePrepared<R>(executor: Db | Tx, query: Compilable<R>): Promise<QueryResult<R>> {
  const compiled = query.compile();
  return executor.executeQuery<R>({ ...compiled, sql: PREPARED + compiled.sql });
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on('error', () => undefined); // idle client errors surface on the next query
    pool.on('connect', prepareMarkedStatements);
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    return { kind: 'postgres', db, pool, close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dataDir = options.dataDir ?? './data';
  let lite: PGlite;
  if (dataDir.startsWith('memory://')) {
    lite = options.loadDataDir ? new PGlite(dataDir, { loadDataDir: new Blob([new Uint8Array(options.loadDataDir)]) }) : new PGlite(dataDir);
  } else {
    const dir = path.join(dataDir, 'pg');
    fs.mkdirSync(dir, { recursive: true });
    lite = new PGlite(dir);
  }
  await lite.waitReady;
  const pool = new pg.Pool(createPgConfig(lite));
  pool.on('connect', prepareMarkedStatements);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    pool,
    close: async () => {
      await db.destroy();
      await lite.close();
    },
    dumpDataDir: async () => Buffer.from(await (await lite.dumpDataDir('none')).arrayBuffer()),
  };
}
