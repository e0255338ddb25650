import pg from 'pg';
import { CANONICAL_SQL, chainHash, GENESIS_HASH } from './audit-hash.ts';

/**
 * Proves the audit chain untouched (`zhengwu audit verify`): streams the sealed entries in
 * seq order, recomputes every hash and checks every link to the previous entry and to the
 * chain head. Read-only; safe to run while the platform writes and seals.
 *
 * Fast on purpose (target ≥ 200,000 entries/s on PostgreSQL; docs/decisions/0003):
 * - the server builds each entry's canonical text (CANONICAL_SQL, the very fragment the
 *   sealer hashed), so a row is just (seq, prev_hash, hash, canonical) as strings: no
 *   client-side parsing or re-serialising of fifteen columns;
 * - rows are checked as they come off the socket (pg's per-row events, rowMode 'array'),
 *   never collected into batches: the server keeps producing while Node hashes (the socket
 *   buffers are the overlap), and every row is garbage at once, which keeps GC to young-
 *   generation scavenges;
 * - keyset pagination on the unique seq index over one connection, so no statement holds
 *   its snapshot for longer than one batch.
 */
export type BrokenReason = 'hash mismatch' | 'prev link' | 'gap' | 'head mismatch';

export interface BrokenEntry {
  seq: number;
  /** null when the entry is missing altogether (a gap at the end of the chain). */
  id: string | null;
  reason: BrokenReason;
}

export interface UnsealedReport {
  /** Entries still without a chain position that are older than `olderThanSeconds`. */
  count: number;
  olderThanSeconds: number;
  oldestId: string | null;
  oldestAt: Date | null;
}

export type VerifyResult =
  | { ok: true; count: number; headSeq: number; elapsedMs: number; unsealed: UnsealedReport }
  | { ok: false; count: number; headSeq: number; elapsedMs: number; unsealed: UnsealedReport; firstBroken: BrokenEntry };

export interface VerifyOptions {
  /** Rows per keyset statement (default 10,000); rows are streamed, never held, so this bounds a statement's duration, not memory. */
  batchSize?: number;
  /** Report unsealed entries older than this (default 60 s: the sealer runs every second). */
  unsealedAfterSeconds?: number;
}

/** Anything holding the pg pool the database runs on (`Database` from db/database.ts). */
export interface VerifySource {
  pool: pg.Pool;
}

// ORDER BY names e.seq: a bare `seq` would sort by the text output column.
const SELECT_CHAIN = `SELECT e.seq::text, e.prev_hash, e.hash, ${CANONICAL_SQL}
  FROM audit.entry AS e WHERE e.seq > $1::bigint ORDER BY e.seq LIMIT $2::int`;

/** seq, prev_hash, hash, canonical */
type Row = [string, string | null, string | null, string];

export async function verifyAuditChain(source: VerifySource, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? 10_000;
  const olderThanSeconds = opts.unsealedAfterSeconds ?? 60;
  const client = await source.pool.connect();
  try {
    const head = await client.query<{ seq: string; hash: string }>('SELECT seq::text AS seq, hash FROM audit.chain_head WHERE id = 1');
    const headSeq = Number(head.rows[0]?.seq ?? 0);
    const headHash = head.rows[0]?.hash ?? GENESIS_HASH;

    const chain: ChainState = { count: 0, lastSeq: '0', prevHash: GENESIS_HASH, headSeq, headHash, broken: null };
    for (;;) {
      const rows = await checkBatch(client, batchSize, chain);
      if (chain.broken || rows < batchSize) break;
    }
    let broken = chain.broken;
    let count = chain.count;
    if (broken) {
      count = broken.seq - 1;
      if (broken.reason !== 'gap') broken = { ...broken, id: await entryIdAt(client, broken.seq) };
    } else if (count < headSeq) {
      // The head points past the last entry: entries were removed from the end.
      broken = { seq: count + 1, id: null, reason: 'gap' };
    }
    const unsealed = await unsealedReport(client, olderThanSeconds);
    const elapsedMs = performance.now() - started;
    return broken ? { ok: false, count, headSeq, elapsedMs, unsealed, firstBroken: broken } : { ok: true, count, headSeq, elapsedMs, unsealed };
  } finally {
    client.release();
  }
}

/** Verification so far: entries 1..count verified (the last at seq lastSeq, its hash prevHash), or the first broken one. */
interface ChainState {
  count: number;
  lastSeq: string;
  prevHash: string;
  headSeq: number;
  headHash: string;
  /** Its id is looked up afterwards (ids are not fetched for every row). */
  broken: BrokenEntry | null;
}

/**
 * Streams the next `limit` entries after state.lastSeq through checkRow, row by row as they
 * arrive (pg does not collect rows when a 'row' listener is attached before submitting);
 * resolves with the number of rows the batch had. After a break, the rest of the batch is
 * read and ignored.
 */
function checkBatch(client: pg.PoolClient, limit: number, state: ChainState): Promise<number> {
  return new Promise((resolve, reject) => {
    // QueryArrayConfig: the typings' Query constructor only names the base QueryConfig.
    const config: pg.QueryArrayConfig<[string, number]> = { text: SELECT_CHAIN, values: [state.lastSeq, limit], rowMode: 'array' };
    const query = new pg.Query(config);
    let rows = 0;
    let failed: Error | null = null;
    query.on('row', (row: Row) => {
      rows += 1;
      if (state.broken || failed) return;
      try {
        state.broken = checkRow(row, state);
      } catch (err) {
        failed = err instanceof Error ? err : new Error('audit verify: checking a row failed'); // never throw into pg's socket handler
      }
    });
    query.on('error', reject);
    query.on('end', () => (failed ? reject(failed) : resolve(rows)));
    client.query(query);
  });
}

/** Checks the next row and advances the state; returns the broken entry if it does not continue the chain. */
function checkRow(r: Row, state: ChainState): BrokenEntry | null {
  const expected = state.count + 1;
  const seq = Number(r[0]);
  if (seq !== expected) return { seq: expected, id: null, reason: 'gap' };
  if (r[1] !== state.prevHash) return { seq, id: null, reason: 'prev link' };
  const hash = chainHash(state.prevHash, r[0], r[3]);
  if (hash !== r[2]) return { seq, id: null, reason: 'hash mismatch' };
  if (seq === state.headSeq && hash !== state.headHash) return { seq, id: null, reason: 'head mismatch' };
  state.count = expected;
  state.lastSeq = r[0];
  state.prevHash = hash;
  return null;
}

/** The id of the entry at `seq` (only needed for a broken entry, so not fetched for every row). */
async function entryIdAt(client: pg.PoolClient, seq: number): Promise<string | null> {
  const r = await client.query<{ id: string }>('SELECT id::text AS id FROM audit.entry WHERE seq = $1::bigint', [String(seq)]);
  return r.rows[0]?.id ?? null;
}

async function unsealedReport(client: pg.PoolClient, olderThanSeconds: number): Promise<UnsealedReport> {
  const r = await client.query<{ count: string; oldest_id: string | null; oldest_at: Date | null }>(
    `SELECT count(*)::text AS count, min(id)::text AS oldest_id, min(occurred_at) AS oldest_at
       FROM audit.entry WHERE seq IS NULL AND occurred_at < now() - make_interval(secs => $1)`,
    [olderThanSeconds],
  );
  const row = r.rows[0];
  return { count: Number(row?.count ?? 0), olderThanSeconds, oldestId: row?.oldest_id ?? null, oldestAt: row?.oldest_at ?? null };
}

const REASONS: Record<BrokenReason, { zh: string; en: string }> = {
  'hash mismatch': { zh: '内容与哈希不符（记录被篡改）', en: 'hash mismatch (the entry was altered)' },
  'prev link': { zh: '与前一条记录的链接断开', en: 'broken link to the previous entry' },
  gap: { zh: '链序号缺失（记录被删除或移动）', en: 'gap in the chain (an entry was removed or moved)' },
  'head mismatch': { zh: '链头与最后一条记录不符', en: 'chain head does not match its entry' },
};

/** One sentence in Chinese and one in English naming the first broken entry. */
export function describeBreak(b: BrokenEntry): { zh: string; en: string } {
  const reason = REASONS[b.reason];
  const idZh = b.id === null ? '（记录缺失）' : `（记录编号 ${b.id}）`;
  const idEn = b.id === null ? ' (entry missing)' : ` (entry id ${b.id})`;
  return {
    zh: `审计链在第 ${b.seq} 条${idZh}处断裂：${reason.zh}`,
    en: `Audit chain broken at seq ${b.seq}${idEn}: ${reason.en}`,
  };
}
