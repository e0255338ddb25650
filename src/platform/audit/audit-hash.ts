import crypto from 'node:crypto';

/**
 * The audit chain's canonical form and hash (责任认定). Shared by the sealer, which writes
 * the hashes, and the verifier, which recomputes them: both read entries with the same
 * SELECT (ENTRY_CHAIN_COLUMNS) and build the same canonical string, so the chain is
 * defined by the stored content alone.
 *
 *   hash(n) = hex(SM3(hash(n-1) + "\n" + canonical(entry n)))      hash(0) = 64 × "0"
 *
 * canonical(entry) is a JSON object with a fixed key order (CANONICAL_KEYS), bigint ids as
 * decimal strings, occurred_at as an ISO 8601 UTC string with millisecond precision
 * (microseconds only when the stored value has them, which audit-log.ts never writes), and
 * detail with its object keys sorted recursively (UTF-16 code-unit order).
 *
 * SM3 (GB/T 32905-2016) is the national hash standard 国密 SM3, as 等保 2.0 expects for
 * the integrity of audit records.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** Key order of the canonical JSON; never reorder (every stored hash depends on it). */
export const CANONICAL_KEYS = [
  'seq',
  'id',
  'actor_id',
  'actor_name',
  'actor_kind',
  'actor_role',
  'organisation_id',
  'action',
  'object_type',
  'object_id',
  'outcome',
  'request_id',
  'client_ip',
  'occurred_at',
  'detail',
] as const;

/** One entry's content as the chain sees it: every value text, as read with ENTRY_CHAIN_COLUMNS. */
export interface ChainEntry {
  /** bigint as decimal text */
  id: string;
  actorId: string | null;
  actorName: string;
  actorKind: string;
  actorRole: string | null;
  organisationId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  outcome: string;
  requestId: string;
  clientIp: string | null;
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds) as PostgreSQL renders it, or any ISO string. */
  occurredAt: string;
  /** jsonb as text (any key order and spacing) */
  detail: string;
}

/**
 * The content columns in the order the canonical form needs them, every one rendered as
 * text by the database so nothing depends on client-side type parsing: bigints as
 * decimal text, occurred_at in UTC with microseconds whatever the session's TimeZone.
 */
export const ENTRY_CHAIN_COLUMNS = `id::text AS id, actor_id, actor_name, actor_kind, actor_role, organisation_id, action,
  object_type, object_id, outcome, request_id, client_ip,
  to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at, detail::text AS detail`;

/** Stable JSON: object keys sorted recursively; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`not representable in JSON: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out += `${i === 0 ? '' : ','}${JSON.stringify(k)}:${canonicalJson(obj[k])}`;
  }
  return `${out}}`;
}

/** Canonical text of a jsonb value read as text. */
export function canonicalDetail(detailText: string): string {
  return detailText === '{}' ? '{}' : canonicalJson(JSON.parse(detailText));
}

/**
 * ISO 8601 UTC instant with milliseconds, exactly `Date.prototype.toISOString()` for the
 * values audit-log.ts writes; a stored value with sub-millisecond digits keeps them all,
 * so changing a microsecond still changes the hash.
 */
export function canonicalInstant(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  // PostgreSQL: 2024-05-01T08:00:00.123000Z → 2024-05-01T08:00:00.123Z
  if (value.length === 27 && value.endsWith('000Z')) return `${value.slice(0, 23)}Z`;
  return value;
}

const str = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/** canonical(entry) at chain position `seq` (see the file comment). */
export function canonicalEntry(seq: number | string, e: ChainEntry): string {
  return (
    `{"seq":"${String(seq)}","id":"${e.id}","actor_id":${str(e.actorId)},"actor_name":${str(e.actorName)}` +
    `,"actor_kind":${str(e.actorKind)},"actor_role":${str(e.actorRole)},"organisation_id":${str(e.organisationId)}` +
    `,"action":${str(e.action)},"object_type":${str(e.objectType)},"object_id":${str(e.objectId)}` +
    `,"outcome":${str(e.outcome)},"request_id":${str(e.requestId)},"client_ip":${str(e.clientIp)}` +
    `,"occurred_at":${str(canonicalInstant(e.occurredAt))},"detail":${canonicalDetail(e.detail)}}`
  );
}

// crypto.hash (one-shot, no Hash object) arrived in Node 20.12; fall back to createHash.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;

/** hex(SM3(prevHash + "\n" + canonical)) */
export function chainHash(prevHash: string, canonical: string): string {
  const data = `${prevHash}\n${canonical}`;
  return oneShot ? oneShot('sm3', data, 'hex') : crypto.createHash('sm3').update(data).digest('hex');
}

/** The hash of `entry` at position `seq` following `prevHash`. */
export function entryHash(prevHash: string, seq: number | string, entry: ChainEntry): string {
  return chainHash(prevHash, canonicalEntry(seq, entry));
}
