import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from './database.ts';
import { lateRows, type LateTexts } from './late-texts.ts';

type Executor = Db | Tx;

/**
 * `INSERT INTO table (columns) SELECT columns FROM json_populate_recordset(NULL::table, $1)`:
 * many rows in one statement whose text depends on the table and its columns, never on how many
 * rows there are — so, marked PREPARED, it is parsed and planned once per connection, where a
 * multi-row VALUES list is a new statement for every batch size. The column types come from the
 * table itself (a JSON array fills an array column, an object a jsonb one; a Date travels as ISO
 * text). Every row must carry the same keys: a column one row left out would be NULL, not its
 * default. Append ON CONFLICT / RETURNING as for any INSERT. `late`: as for jsonRowsInsertInto.
 */
export function jsonRowsInsert(table: string, rows: readonly Record<string, unknown>[], late?: LateRowsOf): RawBuilder<unknown> {
  const first = rows[0];
  if (!first) throw new Error('jsonRowsInsert: no rows');
  return jsonRowsInsertInto(table, Object.keys(first).filter((c) => first[c] !== undefined), rows, undefined, late);
}

/** The late texts of rows written at the commit: where from, the rows' name there, and the columns that may hold them (lateRows). */
export interface LateRowsOf {
  texts: LateTexts;
  name: string;
  columns: readonly string[];
}

/**
 * jsonRowsInsert with the columns named by the caller, so that `rows` may be empty (a part of a
 * larger statement that sometimes has nothing to write), and an optional condition on each row,
 * `r` (e.g. `r.case_id IN (SELECT id FROM ins)` in a data-modifying WITH). `late`: the
 * transaction's late texts, which replace the placeholders in the rows (lateText, lateRows).
 */
export function jsonRowsInsertInto(table: string, columns: readonly string[], rows: readonly Record<string, unknown>[], where?: RawBuilder<unknown>, late?: LateRowsOf): RawBuilder<unknown> {
  for (const row of rows) {
    if (!hasExactly(row, columns)) {
      const keys = Object.keys(row).filter((c) => row[c] !== undefined);
      throw new Error(`jsonRowsInsert(${table}): every row must have the same columns (${columns.join(', ')}), got ${keys.join(', ')}`);
    }
  }
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const rowsOf = lateRows(
    { name: late?.name ?? 'rows', columns, lateColumns: late?.columns ?? [], recordset: (doc) => sql`json_populate_recordset(NULL::${sql.table(table)}, ${doc})`, rows },
    late?.texts,
  );
  const from = sql`FROM ${rowsOf} AS r`;
  return where ? sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} ${from} WHERE ${where}` : sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} ${from}`;
}

/** Whether `row` has a defined value for every column and none besides (no arrays: this runs for every row written). */
function hasExactly(row: Record<string, unknown>, columns: readonly string[]): boolean {
  let defined = 0;
  for (const k in row) if (row[k] !== undefined) defined += 1;
  if (defined !== columns.length) return false;
  for (let i = 0; i < columns.length; i++) if (row[columns[i]!] === undefined) return false;
  return true;
}

const columnLists = new Map<string, Promise<string[]>>();

/**
 * The table's columns as they are when first asked (then cached for the process): a prepared
 * statement's `RETURNING` names them instead of `*`, so that a column added later by a newer
 * process's migration does not change its result type ("cached plan must not change result
 * type", decision 0007). Asked through the caller's executor (on PGlite a transaction holds the
 * only connection).
 */
export function tableColumns(executor: Executor, table: string): Promise<string[]> {
  let list = columnLists.get(table);
  if (!list) {
    const [schema, name] = table.includes('.') ? table.split('.') : ['public', table];
    list = sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns WHERE table_schema = ${schema} AND table_name = ${name} ORDER BY ordinal_position`
      .execute(executor)
      .then((r) => {
        if (r.rows.length === 0) throw new Error(`tableColumns: no table ${table}`);
        return r.rows.map((c) => c.column_name);
      });
    list.catch(() => columnLists.delete(table));
    columnLists.set(table, list);
  }
  return list;
}

/** `RETURNING col, …` for the table's columns (see tableColumns). */
export async function returningColumns(executor: Executor, table: string): Promise<RawBuilder<unknown>> {
  const columns = await tableColumns(executor, table);
  return sql`RETURNING ${sql.join(columns.map((c) => sql.ref(c)))}`;
}
