import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CANONICAL_KEYS, GENESIS_HASH, canonicalDetail, canonicalEntry, canonicalInstant, canonicalJson, chainHash, entryHash, type ChainEntry } from './audit-hash.ts';

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
  occurredAt: '2025-03-01T02:03:04.567000Z',
  detail: '{"step": "受理", "n": 1}',
};

describe('canonicalJson', () => {
  it('sorts object keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('is independent of the key order and spacing jsonb hands back', () => {
    expect(canonicalDetail('{"n": 1, "step": "受理"}')).toBe(canonicalDetail('{"step":"受理","n":1}'));
    expect(canonicalDetail('{}')).toBe('{}');
  });

  it('escapes strings as JSON does and drops undefined members', () => {
    expect(canonicalJson({ q: 'say "hi"\n', u: undefined })).toBe('{"q":"say \\"hi\\"\\n"}');
  });

  it('refuses values JSON cannot represent', () => {
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});

describe('canonicalInstant', () => {
  it('renders what PostgreSQL gives back exactly as Date.toISOString() of the written value', () => {
    const written = new Date('2025-03-01T02:03:04.567Z');
    expect(canonicalInstant('2025-03-01T02:03:04.567000Z')).toBe(written.toISOString());
    expect(canonicalInstant(written)).toBe('2025-03-01T02:03:04.567Z');
  });

  it('keeps sub-millisecond digits when the stored value has them', () => {
    expect(canonicalInstant('2025-03-01T02:03:04.567891Z')).toBe('2025-03-01T02:03:04.567891Z');
  });
});

describe('canonicalEntry', () => {
  it('lists the content fields in the fixed key order', () => {
    const parsed = JSON.parse(canonicalEntry(7, entry)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([...CANONICAL_KEYS]);
    expect(parsed).toMatchObject({ seq: '7', id: '42', occurred_at: '2025-03-01T02:03:04.567Z', detail: { n: 1, step: '受理' } });
  });

  it('writes nulls as JSON null', () => {
    const parsed = JSON.parse(canonicalEntry(1, { ...entry, actorId: null, clientIp: null })) as Record<string, unknown>;
    expect(parsed.actor_id).toBeNull();
    expect(parsed.client_ip).toBeNull();
  });

  it('changes with every content field', () => {
    const base = canonicalEntry(1, entry);
    const fields = Object.keys(entry) as (keyof ChainEntry)[];
    for (const f of fields) {
      const changed = { ...entry, [f]: f === 'detail' ? '{"n": 2}' : f === 'occurredAt' ? '2025-03-01T02:03:04.568000Z' : `${entry[f] ?? ''}x` };
      expect(canonicalEntry(1, changed), f).not.toBe(base);
    }
    expect(canonicalEntry(2, entry)).not.toBe(base);
  });
});

describe('chainHash (SM3)', () => {
  it('is SM3: GB/T 32905-2016 example 1', () => {
    expect(crypto.createHash('sm3').update('abc').digest('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(chainHash('ab', 'c')).toBe(crypto.createHash('sm3').update('ab\nc').digest('hex'));
  });

  it('hashes prev_hash, a newline and the canonical form', () => {
    const canonical = canonicalEntry(1, entry);
    const expected = crypto.createHash('sm3').update(`${GENESIS_HASH}\n${canonical}`).digest('hex');
    expect(entryHash(GENESIS_HASH, 1, entry)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it('links: a different previous hash gives a different hash', () => {
    const first = entryHash(GENESIS_HASH, 1, entry);
    expect(entryHash(first, 2, entry)).not.toBe(entryHash(GENESIS_HASH, 2, entry));
  });
});
