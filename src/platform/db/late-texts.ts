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
 * `doc` (text) with its late texts replaced from the part `late` (key, value), as jsonb: the
 * document is cut at each opening mark (string_to_table, no regular expression), and every piece
 * after the first starts with a key and its closing mark (a placeholder without a value, or a
 * stray mark, is kept as it was).
 */
export function withLateTexts(doc: string, late: string | undefined): RawBuilder<unknown> {
  if (!late) return sql`${doc}::jsonb`;
  const open = sql`chr(${sql.lit(LATE_OPEN.codePointAt(0)!)})`;
  const close = sql`chr(${sql.lit(LATE_CLOSE.codePointAt(0)!)})`;
  return sql`(SELECT string_agg(CASE WHEN p.n = 1 THEN p.piece
          WHEN l.value IS NOT NULL THEN l.value || substr(p.piece, strpos(p.piece, ${close}) + 1)
          ELSE ${open} || p.piece END, '' ORDER BY p.n)
      FROM string_to_table(${doc}::text, ${open}) WITH ORDINALITY AS p(piece, n)
      LEFT JOIN ${sql.table(late)} AS l ON p.n > 1 AND strpos(p.piece, ${close}) > 0 AND l.key = split_part(p.piece, ${close}, 1))::jsonb`;
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
