import type { ChainEntry } from './audit-hash.ts';

/**
 * Entries with awkward content and their canonical text and chain hash, committed: the unit
 * tests check the TypeScript reference rendering against them, the integration tests check
 * CANONICAL_SQL on PGlite and on PostgreSQL against them (audit-chain.itest.ts). So both
 * databases provably produce the same bytes, and a change in either — a new PostgreSQL major
 * version, a PGlite upgrade — fails a test instead of silently breaking every stored hash.
 */
export interface CanonicalFixture {
  name: string;
  /** The entry as written; `detail` is the JSON value, inserted as jsonb. */
  entry: Omit<ChainEntry, 'detail'>;
  detail: Record<string, unknown>;
  seq: number;
  /** canonical(entry) */
  canonical: string;
  /** chainHash(GENESIS_HASH, seq, canonical) */
  hash: string;
}

export const CANONICAL_FIXTURES: CanonicalFixture[] = [
  {
    name: 'Chinese, quotes, backslashes, emoji, control characters, nested unsorted detail',
    entry: {
      id: '9007199254740993', // above 2^53: the id must travel as text
      actorId: '00000000-0000-4000-8000-000000000001',
      actorName: '张三 "老张" \\ 🧾',
      actorKind: 'staff',
      actorRole: 'clerk,org_head',
      organisationId: null,
      action: 'case.accept',
      objectType: 'case',
      objectId: 'c-9\n第二行\t\u0001\u001f\u007f\u2028',
      outcome: 'success',
      requestId: 'req-12345678',
      clientIp: '2001:db8::1',
      occurredAt: new Date('2025-03-01T02:03:04.560Z'),
    },
    detail: {
      z: 1,
      a: { y: [3, { d: 1, c: 2 }, null, true, false], x: '引号"与\\反斜杠/' },
      aa: -1.5,
      键: '值',
      b: [],
      c: {},
      emoji: '😀👨\u200d👩\u200d👧', // with zero-width joiners
      Z: 0,
      '': 'empty key',
      n: 12345678901234,
    },
    seq: 1,
    canonical:
      '["9007199254740993", "00000000-0000-4000-8000-000000000001", "张三 \\"老张\\" \\\\ 🧾", "staff", "clerk,org_head", null, "case.accept", "case", "c-9\\n第二行\\t\\u0001\\u001f\u007f\u2028", "success", "req-12345678", "2001:db8::1", "2025-03-01T02:03:04.56", ' +
      '{"": "empty key", "Z": 0, "a": {"x": "引号\\"与\\\\反斜杠/", "y": [3, {"c": 2, "d": 1}, null, true, false]}, "b": [], "c": {}, "n": 12345678901234, "z": 1, "aa": -1.5, "键": "值", "emoji": "😀👨\u200d👩\u200d👧"}]',
    hash: '124a83e0cf85412c33abe1038e56fbf6299ae76a1930c6ff4eb5988f3efe67d8',
  },
  {
    name: 'nulls, empty and look-alike strings, a whole second',
    entry: {
      id: '1',
      actorId: null,
      actorName: '',
      actorKind: 'system',
      actorRole: null,
      organisationId: null,
      action: 'NULL',
      objectType: 'null',
      objectId: null,
      outcome: 'denied',
      requestId: ' ',
      clientIp: null,
      occurredAt: new Date('1999-12-31T23:59:59.000Z'),
    },
    detail: {},
    seq: 1,
    canonical: '["1", null, "", "system", null, null, "NULL", "null", null, "denied", " ", null, "1999-12-31T23:59:59", {}]',
    hash: 'bc87c6009781faf3aa5f855805385e82fa08d5431572e93c002113f3c3e8722a',
  },
];
