import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/test-database.ts';
import { executePrepared, PREPARED } from './database.ts';
import { jsonRowsInsert, jsonRowsInsertInto, returningColumns } from './json-rows.ts';

/**
 * Marked statements (PREPARED) are prepared once per connection and reused; unmarked ones stay
 * unnamed. Checked through pg_prepared_statements of the connection that ran them (one
 * transaction = one connection), on PGlite and on PostgreSQL.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
  await sql`CREATE TABLE IF NOT EXISTS prepared_probe (id int PRIMARY KEY, label text NOT NULL)`.execute(database.db);
  await sql`INSERT INTO prepared_probe VALUES (1, '一'), (2, '二'), (3, '三') ON CONFLICT DO NOTHING`.execute(database.db);
  await sql`CREATE TABLE IF NOT EXISTS json_rows_probe (id int PRIMARY KEY, tags text[] NOT NULL, due date, at timestamptz, detail jsonb, note text NOT NULL DEFAULT '无')`.execute(database.db);
});

afterAll(async () => {
  await sql`DROP TABLE IF EXISTS prepared_probe`.execute(database.db);
  await sql`DROP TABLE IF EXISTS json_rows_probe`.execute(database.db);
  await database.close();
});

describe('prepared statements', () => {
  it('prepares a marked statement once per connection and answers with the right rows every time', async () => {
    await database.db.transaction().execute(async (tx) => {
      const labels: string[] = [];
      for (const id of [1, 2, 3, 2]) {
        const r = await sql<{ label: string }>`${sql.raw(PREPARED)}SELECT label FROM prepared_probe WHERE id = ${id}`.execute(tx);
        labels.push(r.rows[0]?.label ?? '');
      }
      expect(labels).toEqual(['一', '二', '三', '二']);
      const held = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${'%prepared_probe WHERE id%'}`.execute(tx);
      expect(held.rows[0]?.n).toBe(1);
    });
  });

  it('runs a Kysely query builder as a prepared statement; unmarked statements are not prepared', async () => {
    await database.db.transaction().execute(async (tx) => {
      const r = await executePrepared(tx, tx.selectFrom('prepared_probe').select('label').where('id', 'in', [1, 3]).orderBy('id'));
      expect(r.rows).toEqual([{ label: '一' }, { label: '三' }]);
      await sql`SELECT label FROM prepared_probe WHERE id = ${2} AND label IS NOT NULL`.execute(tx);
      const held = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${'%prepared_probe%'}`.execute(tx);
      const texts = held.rows.map((x) => x.statement);
      expect(texts.some((t) => t.startsWith(PREPARED) && t.includes('in ($1, $2)'))).toBe(true);
      expect(texts.some((t) => t.includes('label IS NOT NULL'))).toBe(false);
    });
  });

  it('inserts rows of any count with one statement text, types taken from the table (jsonRowsInsert)', async () => {
    const at = new Date('2026-11-29T08:00:00.123Z');
    await database.db.transaction().execute(async (tx) => {
      const one = await sql<{ id: number; tags: string[]; due: unknown; at: Date; detail: unknown; note: string }>`${sql.raw(PREPARED)}${jsonRowsInsert('json_rows_probe', [{ id: 1, tags: ['甲', '乙'], due: '2026-12-01', at, detail: { k: ['v'] } }])} ${await returningColumns(tx, 'json_rows_probe')}`.execute(tx);
      expect(one.rows[0]).toMatchObject({ id: 1, tags: ['甲', '乙'], at, detail: { k: ['v'] }, note: '无' });
      const rows = [2, 3, 4].map((id) => ({ id, tags: [], due: null, at, detail: null }));
      const three = await sql<{ id: number }>`${sql.raw(PREPARED)}${jsonRowsInsert('json_rows_probe', rows)} ON CONFLICT (id) DO NOTHING RETURNING id`.execute(tx);
      expect(three.rows.map((r) => r.id)).toEqual([2, 3, 4]);
      const held = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE ${'%INSERT INTO "json_rows_probe"%RETURNING "id", "tags"%'}`.execute(tx);
      expect(held.rows[0]?.n).toBe(1);
      // A column added later (a newer process's migration) leaves the prepared statement's result as it was.
      await sql`ALTER TABLE json_rows_probe ADD COLUMN IF NOT EXISTS extra text`.execute(tx);
      const again = await sql<Record<string, unknown>>`${sql.raw(PREPARED)}${jsonRowsInsert('json_rows_probe', [{ id: 7, tags: ['丙'], due: null, at, detail: null }])} ${await returningColumns(tx, 'json_rows_probe')}`.execute(tx);
      expect(Object.keys(again.rows[0] ?? {})).toEqual(['id', 'tags', 'due', 'at', 'detail', 'note']);
    });
    expect(() => jsonRowsInsert('json_rows_probe', [{ id: 5, tags: [] }, { id: 6 }])).toThrow(/same columns/);
    expect(() => jsonRowsInsert('json_rows_probe', [])).toThrow(/no rows/);
  });

  it('inserts named columns from rows that may be none, with a condition on each row (jsonRowsInsertInto)', async () => {
    await database.db.transaction().execute(async (tx) => {
      await sql`DELETE FROM json_rows_probe WHERE id >= 100`.execute(tx);
      const columns = ['id', 'tags'];
      const rows = [100, 101, 102].map((id) => ({ id, tags: [`第${id}`] }));
      // Only the rows whose id a CTE returned, as in a data-modifying WITH.
      await sql`WITH keep AS (SELECT unnest(${[100, 102]}::int[]) AS id), ins AS (${jsonRowsInsertInto('json_rows_probe', columns, rows, sql`r.id IN (SELECT id FROM keep)`)}) SELECT 1`.execute(tx);
      await sql`${jsonRowsInsertInto('json_rows_probe', columns, [])}`.execute(tx);
      const stored = await sql<{ id: number; tags: string[] }>`SELECT id, tags FROM json_rows_probe WHERE id >= 100 ORDER BY id`.execute(tx);
      expect(stored.rows).toEqual([
        { id: 100, tags: ['第100'] },
        { id: 102, tags: ['第102'] },
      ]);
    });
    expect(() => jsonRowsInsertInto('json_rows_probe', ['id', 'tags'], [{ id: 1 }])).toThrow(/same columns/);
  });

  it('a refused marked statement leaves the connection usable', async () => {
    await expect(sql`${sql.raw(PREPARED)}SELECT label FROM prepared_probe WHERE id = ${'not a number'}`.execute(database.db)).rejects.toThrow();
    const r = await sql<{ label: string }>`${sql.raw(PREPARED)}SELECT label FROM prepared_probe WHERE id = ${1}`.execute(database.db);
    expect(r.rows[0]?.label).toBe('一');
  });
});
