import { sql, type RawBuilder } from 'kysely';

// Late texts (issue 3): a value that only a transaction's last statement knows, written in
// advance as a placeholder. See UnitOfWork.writeAtCommit and its `lateTexts` part.

const LATE_OPEN = '\uE000';
const LATE_CLOSE = '\uE001';
const LATE_PATTERN = /\uE000([^\uE000\uE001]*)\uE001/g;

/**
 * A placeholder for a text that only the commit's own statement knows — e.g. a gap-free number
 * taken there, so that the counter stays locked for that one statement only (issue 3). Use it
 * anywhere: in a row written at the commit, an audit detail, a job's payload, the command's
 * answer; the transaction replaces it with the value its late-texts part gives for `key`.
 */
export function lateText(key: string): string {
  if (key.includes(LATE_OPEN) || key.includes(LATE_CLOSE)) throw new Error('lateText: the key must not contain the placeholder marks');
  return `${LATE_OPEN}${key}${LATE_CLOSE}`;
}

/**
 * `doc` (text) with its late texts replaced from the part `late` (key, value), as json: the
 * document is cut at each opening mark (string_to_table, no regular expression), and every piece
 * after the first starts with a key and its closing mark (a placeholder without a value, or a
 * stray mark, is kept as it was).
 */
function withLateTexts(doc: string, late: string | undefined): RawBuilder<unknown> {
  if (!late) return sql`${doc}::json`;
  const open = sql`chr(${sql.lit(LATE_OPEN.codePointAt(0)!)})`;
  const close = sql`chr(${sql.lit(LATE_CLOSE.codePointAt(0)!)})`;
  return sql`(SELECT string_agg(CASE WHEN p.n = 1 THEN p.piece
          WHEN l.value IS NOT NULL THEN l.value || substr(p.piece, strpos(p.piece, ${close}) + 1)
          ELSE ${open} || p.piece END, '' ORDER BY p.n)
      FROM string_to_table(${doc}::text, ${open}) WITH ORDINALITY AS p(piece, n)
      LEFT JOIN ${sql.table(late)} AS l ON p.n > 1 AND strpos(p.piece, ${close}) > 0 AND l.key = split_part(p.piece, ${close}, 1))::json`;
}

/**
 * Where rows written at the commit take their late texts from (UnitOfWork.lateTexts): the
 * late-texts part, and a way to run a statement before that part takes its values.
 */
export interface LateTexts {
  /** The late-texts part's name in the commit's statement. */
  readonly part: string;
  /** Adds the SELECT `statement` to the commit's statement as `name`, run before the late texts are taken. */
  early(name: string, statement: RawBuilder<unknown>): void;
}

/** Rows for an INSERT … SELECT written at the commit: see lateRows. */
export interface JsonRows {
  /** The rows' name in the commit's statement (for their early part), unique in the transaction. */
  name: string;
  /** The columns the INSERT selects. */
  columns: readonly string[];
  /** The columns that may hold late texts. */
  lateColumns: readonly string[];
  /** The function call that makes records of a JSON document, as ROWS FROM takes it: `json_populate_recordset(NULL::t, doc)` or `json_to_recordset(doc) AS (c type, …)`. */
  recordset: (doc: RawBuilder<unknown>) => RawBuilder<unknown>;
  rows: readonly Record<string, unknown>[];
}

/**
 * Columns of the given SQL types (constants, not data), read with json_to_recordset: the `columns`
 * and `recordset` of JsonRows, and `list`, the same names for the INSERT and its SELECT.
 */
export function jsonColumns(types: Readonly<Record<string, string>>): Pick<JsonRows, 'columns' | 'recordset'> & { list: RawBuilder<unknown> } {
  const columns = Object.keys(types);
  const definitions = sql.raw(columns.map((c) => `${c} ${types[c]}`).join(', '));
  return { columns, recordset: (doc) => sql`json_to_recordset(${doc}) AS (${definitions})`, list: sql.join(columns.map((c) => sql.ref(c))) };
}

function marks(text: string): number {
  let n = 0;
  for (let i = text.indexOf(LATE_OPEN); i !== -1; i = text.indexOf(LATE_OPEN, i + 1)) n += 1;
  return n;
}

/**
 * `rows` as a FROM item (to be aliased), their late texts replaced from `late`.
 *
 * Reading the rows from their JSON is most of the work, and the late-texts part usually locks a
 * row until the commit (a number counter, issue 3). So when every placeholder is in `lateColumns`,
 * the whole document is read early — `late.early`, before the values are taken — and after them
 * only a second, small document of those columns, joined by position. A placeholder in another
 * column makes the whole document wait for the values instead (withLateTexts); rows without any
 * are read as they are.
 */
export function lateRows(r: JsonRows, late: LateTexts | undefined): RawBuilder<unknown> {
  const doc = JSON.stringify(r.rows);
  const count = late ? marks(doc) : 0;
  if (!late || count === 0) return sql`ROWS FROM (${r.recordset(sql`${doc}::json`)})`;
  const lateDoc = r.lateColumns.length === 0 ? '' : JSON.stringify(r.rows.map((row) => pick(row, r.lateColumns)));
  if (marks(lateDoc) !== count) return sql`ROWS FROM (${r.recordset(withLateTexts(doc, late.part))})`;
  late.early(r.name, sql`SELECT * FROM ROWS FROM (${r.recordset(sql`${doc}::json`)}) WITH ORDINALITY AS e`);
  const list = selectList(r.columns, r.lateColumns);
  return sql`(SELECT ${list} FROM ${sql.table(r.name)} AS e JOIN ROWS FROM (${r.recordset(withLateTexts(lateDoc, late.part))}) WITH ORDINALITY AS l ON l.ordinality = e.ordinality)`;
}

const selectLists = new Map<string, RawBuilder<unknown>>();

/** `e.c, l.d, …`: each column from the early rows, or from the late ones if it may hold late texts (kept: built for every batch). */
function selectList(columns: readonly string[], lateColumns: readonly string[]): RawBuilder<unknown> {
  const key = `${columns.join(',')}|${lateColumns.join(',')}`;
  let list = selectLists.get(key);
  if (!list) {
    const isLate = new Set(lateColumns);
    selectLists.set(key, (list = sql.join(columns.map((c) => sql.ref(`${isLate.has(c) ? 'l' : 'e'}.${c}`)))));
  }
  return list;
}

function pick(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c] = row[c];
  return out;
}

/**
 * `value` with every late text in its strings replaced: plain objects and arrays are walked, and
 * copied only where something changed; anything else (dates, buffers, class instances) is kept.
 */
export function resolveLateTexts<T>(value: T, values: ReadonlyMap<string, string>): T {
  return values.size === 0 ? value : (resolve(value, values) as T);
}

// On the hot path of every batch of submissions: no closures, no key arrays.
function resolve(v: unknown, values: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string') return v.includes(LATE_OPEN) ? v.replace(LATE_PATTERN, (whole, key: string) => values.get(key) ?? whole) : v;
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = resolve(x, values);
      if (y !== x) (out ??= [...(v as unknown[])])[i] = y;
    }
    return out ?? v;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return v;
  const o = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const x = o[k];
    // Only objects and strings can hold a late text.
    if (typeof x !== 'string' && (typeof x !== 'object' || x === null)) continue;
    const y = resolve(x, values);
    if (y !== x) (out ??= { ...o })[k] = y;
  }
  return out ?? o;
}
