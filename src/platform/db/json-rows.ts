import { sql, type RawBuilder } from 'kysely';

/**
 * `INSERT INTO table (columns) SELECT columns FROM jsonb_populate_recordset(NULL::table, $1)`:
 * many rows in one statement whose text depends on the table and its columns, never on how many
 * rows there are — so, marked PREPARED, it is parsed and planned once per connection, where a
 * multi-row VALUES list is a new statement for every batch size. The column types come from the
 * table itself (a JSON array fills an array column, an object a jsonb one; a Date travels as ISO
 * text). Every row must carry the same keys: a column one row left out would be NULL, not its
 * default. Append ON CONFLICT / RETURNING as for any INSERT.
 */
export function jsonRowsInsert(table: string, rows: readonly Record<string, unknown>[]): RawBuilder<unknown> {
  const first = rows[0];
  if (!first) throw new Error('jsonRowsInsert: no rows');
  const columns = Object.keys(first).filter((c) => first[c] !== undefined);
  for (const row of rows) {
    const keys = Object.keys(row).filter((c) => row[c] !== undefined);
    if (keys.length !== columns.length || columns.some((c) => row[c] === undefined)) {
      throw new Error(`jsonRowsInsert(${table}): every row must have the same columns (${columns.join(', ')}), got ${keys.join(', ')}`);
    }
  }
  const list = sql.join(columns.map((c) => sql.ref(c)));
  return sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`;
}
