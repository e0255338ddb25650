import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import type { RequestContext } from '../auth/actor.ts';
import { CANONICAL_FIXTURES } from './audit-canonical.fixture.ts';
import { CANONICAL_FIELDS, CANONICAL_SQL, canonicalEntry, chainHash, GENESIS_HASH, jsonbText } from './audit-hash.ts';
import { auditRow, insertAuditEntry, type AuditRow } from './audit-log.ts';
import { AuditSealer } from './audit-sealer.ts';
import { verifyAuditChain } from './audit-verify.ts';
import { auditPersonalDataView } from './personal-data.ts';

/**
 * The audit trail end to end on a real database (PGlite, or PostgreSQL when
 * ZHENGWU_TEST_DATABASE_URL is set): entries written in business transactions, sealed into
 * one SM3 hash chain in commit order, verified, and tamper-evident.
 */
const onPostgres = Boolean(process.env.ZHENGWU_TEST_DATABASE_URL);

function ctxFor(name: string, n = 0): RequestContext {
  return { actor: buildStaff({ roles: ['clerk'], name }), requestId: `req-${name}-${n}-0000`, clientIp: '10.0.0.1' };
}

describe('audit chain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.stop());

  const db = () => t.platform.db;

  async function shape() {
    const r = await sql<{ total: string; sealed: string; distinct_seq: string; min_seq: string | null; max_seq: string | null }>`
      SELECT count(*)::text AS total, count(seq)::text AS sealed, count(DISTINCT seq)::text AS distinct_seq,
             min(seq)::text AS min_seq, max(seq)::text AS max_seq FROM audit.entry`.execute(db());
    const row = r.rows[0]!;
    return { total: Number(row.total), sealed: Number(row.sealed), distinct: Number(row.distinct_seq), min: Number(row.min_seq ?? 0), max: Number(row.max_seq ?? 0) };
  }

  async function entryId(action: string): Promise<string> {
    const r = await sql<{ id: string }>`SELECT id::text AS id FROM audit.entry WHERE action = ${action} ORDER BY id LIMIT 1`.execute(db());
    return r.rows[0]!.id;
  }

  async function withTriggerDisabled(fn: () => Promise<unknown>): Promise<void> {
    await sql`ALTER TABLE audit.entry DISABLE TRIGGER entry_append_only`.execute(db());
    try {
      await fn();
    } finally {
      await sql`ALTER TABLE audit.entry ENABLE TRIGGER entry_append_only`.execute(db());
    }
  }

  async function sealedEntry(id: string) {
    const r = await sql<{ seq: string; prev_hash: string; hash: string; canonical: string }>`
      SELECT e.seq::text AS seq, e.prev_hash, e.hash, ${sql.raw(CANONICAL_SQL)} AS canonical FROM audit.entry AS e WHERE e.id = ${id}`.execute(db());
    return r.rows[0]!;
  }

  it('the canonical text is the committed one for awkward values, whatever the session settings (PGlite and PostgreSQL alike)', async () => {
    for (const f of CANONICAL_FIXTURES) {
      const e = f.entry;
      const canonical = await db()
        .transaction()
        .execute(async (tx) => {
          // Settings that change how timestamps and numbers are written elsewhere must not change the canonical text.
          await sql`SET LOCAL TimeZone = 'America/St_Johns'`.execute(tx);
          await sql`SET LOCAL DateStyle = 'SQL, DMY'`.execute(tx);
          await sql`SET LOCAL IntervalStyle = 'sql_standard'`.execute(tx);
          await sql`SET LOCAL extra_float_digits = 3`.execute(tx);
          const r = await sql<{ canonical: string }>`SELECT ${sql.raw(CANONICAL_SQL)} AS canonical FROM (SELECT ${e.id}::bigint AS id,
              ${e.actorId}::text AS actor_id, ${e.actorName}::text AS actor_name, ${e.actorKind}::text AS actor_kind, ${e.actorRole}::text AS actor_role,
              ${e.organisationId}::text AS organisation_id, ${e.action}::text AS action, ${e.objectType}::text AS object_type, ${e.objectId}::text AS object_id,
              ${e.outcome}::text AS outcome, ${e.requestId}::text AS request_id, ${e.clientIp}::text AS client_ip,
              ${e.occurredAt.toISOString()}::timestamptz AS occurred_at, ${JSON.stringify(f.detail)}::jsonb AS detail) AS e`.execute(tx);
          return r.rows[0]!.canonical;
        });
      expect(canonical, f.name).toBe(f.canonical);
      expect(chainHash(GENESIS_HASH, f.seq, canonical), f.name).toBe(f.hash);
    }
  });

  it('timestamps keep microseconds, BC and infinity apart in the canonical text', async () => {
    const r = await sql<{ t: string }>`SELECT ${sql.raw(CANONICAL_SQL)} AS t FROM (SELECT 1::bigint AS id, NULL::text AS actor_id, '' AS actor_name, '' AS actor_kind,
        NULL::text AS actor_role, NULL::text AS organisation_id, '' AS action, '' AS object_type, NULL::text AS object_id, '' AS outcome, '' AS request_id,
        NULL::text AS client_ip, v.t AS occurred_at, '{}'::jsonb AS detail, v.n FROM (VALUES (1, '2025-03-01 02:03:04.567891+00'::timestamptz),
        (2, '2025-03-01 02:03:04.567892+00'), (3, '0044-03-15 12:00:00+00'), (4, '0044-03-15 12:00:00+00 BC'), (5, 'infinity'), (6, '-infinity')) AS v(n, t)) AS e ORDER BY e.n`.execute(db());
    expect(r.rows.map((x) => (JSON.parse(x.t) as unknown[])[12])).toEqual([
      '2025-03-01T02:03:04.567891',
      '2025-03-01T02:03:04.567892',
      '0044-03-15T12:00:00',
      '0044-03-15T12:00:00 BC',
      'infinity',
      '-infinity',
    ]);
  });

  it('the canonical form covers every content column of audit.entry', async () => {
    const r = await sql<{ column_name: string }>`SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'audit' AND table_name = 'entry' ORDER BY ordinal_position`.execute(db());
    const seal = ['seq', 'prev_hash', 'hash', 'sealed_at'];
    expect(r.rows.map((x) => x.column_name).filter((c) => !seal.includes(c))).toEqual([...CANONICAL_FIELDS]);
  });

  it('the stored hash is exactly the one computed from the entry as written (content round-trips)', async () => {
    const rows: AuditRow[] = [
      auditRow(ctxFor('往返'), { action: 'test.roundtrip', objectType: 'case', objectId: 'c-1', detail: { z: 1, a: { y: [1, 'x', null], b: '引号"与\n换行' } } }, new Date('2025-03-01T02:03:04.560Z')),
      ...CANONICAL_FIXTURES.map((f): AuditRow => ({ ...f.entry, outcome: f.entry.outcome as AuditRow['outcome'], detail: f.detail })),
    ];
    for (const row of rows) {
      await insertAuditEntry(db(), row);
      const id = (await sql<{ id: string }>`SELECT max(id)::text AS id FROM audit.entry`.execute(db())).rows[0]!.id;
      await t.auditSealer.sealPending();
      const stored = await sealedEntry(id);
      const fromMemory = canonicalEntry({ ...row, id, detail: jsonbText(row.detail) });
      expect(stored.canonical).toBe(fromMemory);
      expect(chainHash(stored.prev_hash, stored.seq, fromMemory)).toBe(stored.hash);
    }
    expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);
  });

  it('entries from 20 concurrent transactions and 3 concurrent sealers form one gap-free chain', async () => {
    const before = await shape();
    const sealers = [new AuditSealer(db()), new AuditSealer(db()), new AuditSealer(db())];
    const writes = Array.from({ length: 20 }, (_, i) =>
      t.platform.transactor.run(ctxFor('并发', i), async (uow) => {
        await uow.audit({ action: 'test.concurrent', objectType: 'case', objectId: `c-${i}` });
        await uow.audit({ action: 'test.concurrent', objectType: 'case', objectId: `c-${i}`, detail: { second: true } });
      }),
    );
    const sealing = sealers.map((s) => s.sealPending());
    await Promise.all(writes);
    await Promise.all(sealing);
    await Promise.all(sealers.map((s) => s.sealPending()));
    const after = await shape();
    expect(after.total).toBe(before.total + 40);
    expect(after).toEqual({ total: after.total, sealed: after.total, distinct: after.total, min: 1, max: after.total });
    const v = await verifyAuditChain(t.platform.database, { batchSize: 7 });
    expect(v).toMatchObject({ ok: true, count: after.total, headSeq: after.total });
  });

  it.runIf(onPostgres)('an entry whose transaction commits later gets a later seq, whatever its id', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const didInsert = new Promise<void>((resolve) => (inserted = resolve));
    const slow = t.platform.transactor.run(ctxFor('慢'), async (uow) => {
      // Written now, not at the commit as uow.audit would: the entry must take the lower id.
      await insertAuditEntry(uow.tx, auditRow(uow.ctx, { action: 'test.slow', objectType: 'case' }));
      inserted();
      await held;
    });
    await didInsert;
    await t.platform.transactor.run(ctxFor('快'), (uow) => uow.audit({ action: 'test.fast', objectType: 'case' }));
    await t.auditSealer.sealPending();
    release();
    await slow;
    await t.auditSealer.sealPending();
    const r = await sql<{ action: string; id: string; seq: string }>`
      SELECT action, id::text AS id, seq::text AS seq FROM audit.entry WHERE action IN ('test.slow', 'test.fast')`.execute(db());
    const slowRow = r.rows.find((x) => x.action === 'test.slow')!;
    const fastRow = r.rows.find((x) => x.action === 'test.fast')!;
    expect(BigInt(slowRow.id)).toBeLessThan(BigInt(fastRow.id));
    expect(Number(slowRow.seq)).toBeGreaterThan(Number(fastRow.seq));
    expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);
  });

  it('a rolled-back business transaction leaves no audit entry', async () => {
    await expect(
      t.platform.transactor.run(ctxFor('回滚'), async (uow) => {
        await uow.audit({ action: 'test.rolled-back', objectType: 'case' });
        throw new Error('business rule failed after the audit entry was written');
      }),
    ).rejects.toThrow(/business rule failed/);
    const r = await sql<{ n: string }>`SELECT count(*)::text AS n FROM audit.entry WHERE action = 'test.rolled-back'`.execute(db());
    expect(r.rows[0]!.n).toBe('0');
  });

  it('the trigger refuses UPDATE and DELETE of entries, and a second seal', async () => {
    await t.platform.transactor.auditOnly(ctxFor('只追加'), { action: 'test.append-only', objectType: 'case' });
    await t.auditSealer.sealPending();
    const id = await entryId('test.append-only');
    await expect(sql`UPDATE audit.entry SET action = 'test.rewritten' WHERE id = ${id}`.execute(db())).rejects.toThrow(/append-only \(update refused\)/);
    await expect(sql`UPDATE audit.entry SET detail = '{"x":1}'::jsonb WHERE id = ${id}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit.entry SET seq = seq + 100000, hash = 'x' WHERE id = ${id}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit.entry WHERE id = ${id}`.execute(db())).rejects.toThrow(/append-only \(delete refused\)/);
    await expect(sql`DELETE FROM audit.entry`.execute(db())).rejects.toThrow(/append-only/);

    // An entry not yet sealed: its content is just as fixed.
    await t.auditSealer.stop();
    try {
      await t.platform.transactor.auditOnly(ctxFor('只追加'), { action: 'test.append-only-pending', objectType: 'case' });
      const pending = await entryId('test.append-only-pending');
      await expect(sql`UPDATE audit.entry SET actor_name = '别人' WHERE id = ${pending}`.execute(db())).rejects.toThrow(/append-only/);
    } finally {
      t.auditSealer.start();
    }
    await t.auditSealer.sealPending();
    expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);
  });

  // Forging each content column (as a superuser bypassing the append-only trigger would):
  // every column type, null → value and value → null, down to one microsecond.
  const FORGERIES: { column: (typeof CANONICAL_FIELDS)[number]; kind: string; to: string }[] = [
    { column: 'id', kind: 'bigint', to: 'id + 1000000000' },
    { column: 'actor_id', kind: 'text', to: "'00000000-0000-4000-8000-0000000000ff'" },
    { column: 'actor_name', kind: 'text (Chinese)', to: "'冒名者'" },
    { column: 'actor_kind', kind: 'text', to: "'citizen'" },
    { column: 'actor_role', kind: 'text', to: "actor_role || ',security_auditor'" },
    { column: 'organisation_id', kind: 'text, value → null', to: 'NULL' },
    { column: 'action', kind: 'text', to: "'test.innocent'" },
    { column: 'object_type', kind: 'text', to: "'account'" },
    { column: 'object_id', kind: 'text, null → value', to: "'c-forged'" },
    { column: 'outcome', kind: 'text (checked)', to: "'failure'" },
    { column: 'request_id', kind: 'text', to: "request_id || ' '" },
    { column: 'client_ip', kind: 'text, value → null', to: 'NULL' },
    { column: 'occurred_at', kind: 'timestamptz, +1 µs', to: "occurred_at + interval '1 microsecond'" },
    { column: 'detail', kind: 'jsonb, nested value', to: `jsonb_set(detail, '{a,b}', '"2"')` },
    { column: 'detail', kind: 'jsonb, added key', to: `detail || '{"approved": true}'` },
  ];

  it.each(FORGERIES)('verify names exactly the forged entry as the first broken one: $column ($kind)', async ({ column, to }) => {
    for (let i = 0; i < 5; i++) {
      await t.platform.transactor.auditOnly(ctxFor('篡改', i), { action: `test.tamper-${column}-${i}`, objectType: 'case', detail: { a: { b: '1' }, n: i } });
    }
    await t.auditSealer.sealPending();
    const id = await entryId(`test.tamper-${column}-2`);
    const before = (await sql<{ seq: string; original: unknown }>`SELECT seq::text AS seq, to_jsonb(e) AS original FROM audit.entry AS e WHERE id = ${id}`.execute(db())).rows[0]!;
    const seq = Number(before.seq);

    await withTriggerDisabled(() => sql`UPDATE audit.entry SET ${sql.ref(column)} = ${sql.raw(to)} WHERE seq = ${seq}`.execute(db()));
    const forgedId = (await sql<{ id: string }>`SELECT id::text AS id FROM audit.entry WHERE seq = ${seq}`.execute(db())).rows[0]!.id;
    const broken = await verifyAuditChain(t.platform.database, { batchSize: 3 });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.firstBroken).toEqual({ seq, id: forgedId, reason: 'hash mismatch' });
    expect(broken.count).toBe(seq - 1);

    // Put the original value back (exactly: to_jsonb keeps timestamps to the microsecond): intact again.
    await withTriggerDisabled(() =>
      sql`UPDATE audit.entry AS e SET ${sql.ref(column)} = r.${sql.ref(column)}
        FROM jsonb_populate_record(NULL::audit.entry, ${JSON.stringify(before.original)}::jsonb) AS r WHERE e.seq = ${seq}`.execute(db()),
    );
    expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);
  });

  it('verify names a forged hash, and a whole entry forged with a recomputed hash breaks the next link', async () => {
    for (let i = 0; i < 3; i++) await t.platform.transactor.auditOnly(ctxFor('重算', i), { action: `test.rehash-${i}`, objectType: 'case' });
    await t.auditSealer.sealPending();
    const id = await entryId('test.rehash-1');
    const saved = await sealedEntry(id);
    const seq = Number(saved.seq);

    await withTriggerDisabled(() => sql`UPDATE audit.entry SET hash = ${GENESIS_HASH} WHERE id = ${id}`.execute(db()));
    let v = await verifyAuditChain(t.platform.database);
    expect(v.ok ? null : v.firstBroken).toEqual({ seq, id, reason: 'hash mismatch' });

    // A forger who also recomputes the entry's hash (the algorithm is public) only moves the break to the next entry.
    await withTriggerDisabled(async () => {
      await sql`UPDATE audit.entry SET action = 'test.innocent' WHERE id = ${id}`.execute(db());
      const forged = await sealedEntry(id);
      await sql`UPDATE audit.entry SET hash = ${chainHash(forged.prev_hash, forged.seq, forged.canonical)} WHERE id = ${id}`.execute(db());
    });
    v = await verifyAuditChain(t.platform.database);
    const nextId = (await sql<{ id: string }>`SELECT id::text AS id FROM audit.entry WHERE seq = ${seq + 1}`.execute(db())).rows[0]!.id;
    expect(v.ok ? null : v.firstBroken).toEqual({ seq: seq + 1, id: nextId, reason: 'prev link' });

    await withTriggerDisabled(() => sql`UPDATE audit.entry SET action = 'test.rehash-1', hash = ${saved.hash} WHERE id = ${id}`.execute(db()));
    expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);
  });

  it('verify reports a rewritten link, a removed entry and a truncated tail', async () => {
    for (let i = 0; i < 4; i++) await t.platform.transactor.auditOnly(ctxFor('断链', i), { action: `test.link-${i}`, objectType: 'case' });
    await t.auditSealer.sealPending();
    // The running sealer would re-seal an entry whose seq we clear: keep it out of the way.
    await t.auditSealer.stop();
    try {
      const id = await entryId('test.link-1');
      const saved = (await sql<{ seq: string; prev_hash: string }>`SELECT seq::text AS seq, prev_hash FROM audit.entry WHERE id = ${id}`.execute(db())).rows[0]!;
      const seq = Number(saved.seq);

      await withTriggerDisabled(() => sql`UPDATE audit.entry SET prev_hash = ${GENESIS_HASH} WHERE id = ${id}`.execute(db()));
      let v = await verifyAuditChain(t.platform.database);
      expect(v.ok ? null : v.firstBroken).toEqual({ seq, id, reason: 'prev link' });
      await withTriggerDisabled(() => sql`UPDATE audit.entry SET prev_hash = ${saved.prev_hash} WHERE id = ${id}`.execute(db()));

      // Moving the entry out of the chain (as a DELETE would) leaves a gap at its seq.
      await withTriggerDisabled(() => sql`UPDATE audit.entry SET seq = NULL WHERE id = ${id}`.execute(db()));
      v = await verifyAuditChain(t.platform.database);
      expect(v.ok ? null : v.firstBroken).toEqual({ seq, id: null, reason: 'gap' });
      await withTriggerDisabled(() => sql`UPDATE audit.entry SET seq = ${seq} WHERE id = ${id}`.execute(db()));
      expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);

      // The head remembers the chain's length: removing the newest entry is caught too.
      const last = (await sql<{ id: string; seq: string }>`SELECT id::text AS id, seq::text AS seq FROM audit.entry WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`.execute(db())).rows[0]!;
      await withTriggerDisabled(() => sql`UPDATE audit.entry SET seq = NULL WHERE id = ${last.id}`.execute(db()));
      v = await verifyAuditChain(t.platform.database);
      expect(v.ok ? null : v.firstBroken).toEqual({ seq: Number(last.seq), id: null, reason: 'gap' });
      await withTriggerDisabled(() => sql`UPDATE audit.entry SET seq = ${last.seq} WHERE id = ${last.id}`.execute(db()));
    } finally {
      t.auditSealer.start();
    }
    expect((await verifyAuditChain(t.platform.database)).ok).toBe(true);
  });

  it('the sealer seals on its own right after a commit (poked by the transactor)', async () => {
    await t.platform.transactor.auditOnly(ctxFor('自动'), { action: 'test.auto-seal', objectType: 'case' });
    const id = await entryId('test.auto-seal');
    let seq: string | null = null;
    for (let i = 0; i < 100 && seq === null; i++) {
      seq = (await sql<{ seq: string | null }>`SELECT seq::text AS seq FROM audit.entry WHERE id = ${id}`.execute(db())).rows[0]!.seq;
      if (seq === null) await new Promise((r) => setTimeout(r, 20));
    }
    expect(seq).not.toBeNull();
  });

  it('verify reports entries left unsealed for too long', async () => {
    await t.auditSealer.stop();
    try {
      await insertAuditEntry(db(), auditRow(ctxFor('滞留'), { action: 'test.stale', objectType: 'case' }, new Date(Date.now() - 5 * 60_000)));
      const v = await verifyAuditChain(t.platform.database, { unsealedAfterSeconds: 60 });
      expect(v.ok).toBe(true);
      expect(v.unsealed).toMatchObject({ count: 1, olderThanSeconds: 60, oldestId: await entryId('test.stale') });
    } finally {
      t.auditSealer.start();
    }
    await t.auditSealer.sealPending();
    expect((await verifyAuditChain(t.platform.database)).unsealed.count).toBe(0);
  });

  it('viewing unmasked personal data is recorded, naming the fields but never their values', async () => {
    await auditPersonalDataView(t.platform.transactor, ctxFor('查看'), { objectType: 'account', objectId: 'acct-7', fields: ['mobile', 'citizenId'], purpose: '核验身份' });
    const r = await sql<{ object_id: string; detail: unknown; actor_name: string }>`
      SELECT object_id, detail, actor_name FROM audit.entry WHERE action = 'personal-data.view'`.execute(db());
    expect(r.rows).toEqual([{ object_id: 'acct-7', detail: { fields: ['citizenId', 'mobile'], purpose: '核验身份' }, actor_name: '查看' }]);
    await expect(auditPersonalDataView(t.platform.transactor, ctxFor('查看'), { objectType: 'account', objectId: 'acct-7', fields: ['420102199003071234'] })).rejects.toThrow(/field names/);
    await expect(auditPersonalDataView(t.platform.transactor, ctxFor('查看'), { objectType: 'account', objectId: 'acct-7', fields: [] })).rejects.toThrow();
  });
});
