import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FIXTURES } from './audit-canonical.fixture.ts';
import { CANONICAL_FIELDS, CANONICAL_SQL, GENESIS_HASH, canonicalEntry, chainHash, jsonTimestamp, jsonbText, type ChainEntry } from './audit-hash.ts';

const entry: ChainEntry = {
  id: '42',
  actorId: '00000000-0000-4000-8000-000000000001',
  actorName: '张三',
  actorKind: 'staff',
  actorRole: 'clerk,org_head',
  organisationId: 'org-1',
  action: 'case.accept',
  objectType: 'case',
  objectId: 'c-9',
  outcome: 'success',
  requestId: 'req-12345678',
  clientIp: '10.0.0.1',
  occurredAt: new Date('2025-03-01T02:03:04.567Z'),
  detail: '{"n": 1, "step": "受理"}',
};

describe('CANONICAL_SQL', () => {
  it('lists exactly the canonical fields, in order, each once', () => {
    const columns = [...CANONICAL_SQL.matchAll(/\be\.([a-z_]+)/g)].map((m) => m[1]);
    expect(columns).toEqual([...CANONICAL_FIELDS]);
  });

  it('renders occurred_at in UTC (never the session time zone) and the detail as jsonb', () => {
    expect(CANONICAL_SQL).toContain("e.occurred_at AT TIME ZONE 'UTC'");
    expect(CANONICAL_SQL).toMatch(/^json_build_array\(.*\)::text$/s);
  });
});

describe('canonicalEntry (reference rendering)', () => {
  it.each(CANONICAL_FIXTURES)('matches the committed canonical text and hash: $name', (f) => {
    const canonical = canonicalEntry({ ...f.entry, detail: jsonbText(f.detail) });
    expect(canonical).toBe(f.canonical);
    expect(chainHash(GENESIS_HASH, f.seq, canonical)).toBe(f.hash);
    // It is JSON: an auditor can re-derive it with any JSON library.
    expect(JSON.parse(canonical)).toHaveLength(CANONICAL_FIELDS.length);
  });

  it('is a JSON array of the fields in canonical order', () => {
    const parsed = JSON.parse(canonicalEntry(entry)) as unknown[];
    expect(parsed).toEqual(['42', entry.actorId, '张三', 'staff', 'clerk,org_head', 'org-1', 'case.accept', 'case', 'c-9', 'success', 'req-12345678', '10.0.0.1', '2025-03-01T02:03:04.567', { n: 1, step: '受理' }]);
  });

  it('tells SQL NULL from the string "null" and from the empty string', () => {
    const asNull = canonicalEntry({ ...entry, objectId: null });
    expect(asNull).not.toBe(canonicalEntry({ ...entry, objectId: 'null' }));
    expect(asNull).not.toBe(canonicalEntry({ ...entry, objectId: '' }));
  });

  it('changes with every content field', () => {
    const base = canonicalEntry(entry);
    for (const f of Object.keys(entry) as (keyof ChainEntry)[]) {
      const value = f === 'detail' ? '{"n": 2, "step": "受理"}' : f === 'occurredAt' ? new Date(entry.occurredAt.getTime() + 1) : `${String(entry[f])}x`;
      expect(canonicalEntry({ ...entry, [f]: value }), f).not.toBe(base);
    }
  });
});

describe('jsonTimestamp', () => {
  it('is ISO 8601 without zone, trailing fractional zeros dropped', () => {
    expect(jsonTimestamp(new Date('2025-03-01T02:03:04.567Z'))).toBe('2025-03-01T02:03:04.567');
    expect(jsonTimestamp(new Date('2025-03-01T02:03:04.560Z'))).toBe('2025-03-01T02:03:04.56');
    expect(jsonTimestamp(new Date('2025-03-01T02:03:04.000Z'))).toBe('2025-03-01T02:03:04');
  });

  it('refuses years JavaScript writes with six digits', () => {
    expect(() => jsonTimestamp(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('jsonbText', () => {
  it('orders keys shorter first, then bytewise (UTF-8), with jsonb spacing', () => {
    expect(jsonbText({ bb: 1, 键: 2, a: { z: [1, 'x', null], y: true }, B: false })).toBe('{"B": false, "a": {"y": true, "z": [1, "x", null]}, "bb": 1, "键": 2}');
    expect(jsonbText({})).toBe('{}');
    expect(jsonbText([])).toBe('[]');
  });

  it('refuses numbers whose text PostgreSQL would write differently', () => {
    expect(() => jsonbText({ n: 1e21 })).toThrow(RangeError);
    expect(() => jsonbText({ n: 1e-7 })).toThrow(RangeError);
    expect(() => jsonbText({ f: () => 1 })).toThrow(TypeError);
  });
});

describe('chainHash (SM3)', () => {
  it('is SM3: GB/T 32905-2016 example 1', () => {
    expect(crypto.createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes prev_hash, seq and the canonical text, newline-separated, as UTF-8', () => {
    const canonical = canonicalEntry(entry);
    const expected = crypto.createHash('sm3').update(Buffer.from(`${GENESIS_HASH}\n7\n${canonical}`, 'utf8')).digest('hex');
    expect(chainHash(GENESIS_HASH, 7, canonical)).toBe(expected);
    expect(chainHash(GENESIS_HASH, '7', canonical)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('binds the position and the previous hash', () => {
    const canonical = canonicalEntry(entry);
    const first = chainHash(GENESIS_HASH, 1, canonical);
    expect(chainHash(GENESIS_HASH, 2, canonical)).not.toBe(first);
    expect(chainHash(first, 1, canonical)).not.toBe(first);
  });
});
