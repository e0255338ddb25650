import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import type { RequestContext } from '../auth/actor.ts';
import { canonicalJson, ENTRY_CHAIN_COLUMNS, entryHash, GENESIS_HASH } from './audit-hash.ts';
import { auditRow, insertAuditEntry } from './audit-log.ts';
import { AuditSealer, chainEntryFromRow } from './audit-sealer.ts';
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

  it('the stored hash is exactly the one computed from the entry as written (content round-trips)', async () => {
    const ctx = ctxFor('往返');
    const row = auditRow(ctx, { action: 'test.roundtrip', objectType: 'case', objectId: 'c-1', detail: { z: 1, a: { y: [1, 'x', null], b: '引号"与\n换行' } } }, new Date('2025-03-01T02:03:04.567Z'));
    await insertAuditEntry(db(), row);
    await t.auditSealer.sealPending();
    const r = await sql<Record<string, string> & { seq: string; prev_hash: string; hash: string }>`
      SELECT seq::text AS seq, prev_hash, hash, ${sql.raw(ENTRY_CHAIN_COLUMNS)} FROM audit.entry AS e WHERE e.action = 'test.roundtrip'`.execute(db());
    const stored = r.rows[0]!;
    const fromMemory = {
      id: stored.id!,
      actorId: row.actorId,
      actorName: row.actorName,
      actorKind: row.actorKind,
      actorRole: row.actorRole,
      organisationId: row.organisationId,
      action: row.action,
      objectType: row.objectType,
      objectId: row.objectId,
      outcome: row.outcome,
      requestId: row.requestId,
      clientIp: row.clientIp,
      occurredAt: row.occurredAt.toISOString(),
      detail: canonicalJson(row.detail),
    };
    expect(entryHash(stored.prev_hash, stored.seq, fromMemory)).toBe(stored.hash);
    expect(entryHash(stored.prev_hash, stored.seq, chainEntryFromRow(stored as never))).toBe(stored.hash);
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
      await uow.audit({ action: 'test.slow', objectType: 'case' });
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

  it('verify names exactly the tampered entry as the first broken one', async () => {
    for (let i = 0; i < 5; i++) await t.platform.transactor.auditOnly(ctxFor('篡改', i), { action: `test.tamper-${i}`, objectType: 'case' });
    await t.auditSealer.sealPending();
    const id = await entryId('test.tamper-2');
    const seq = Number((await sql<{ seq: string }>`SELECT seq::text AS seq FROM audit.entry WHERE id = ${id}`.execute(db())).rows[0]!.seq);

    await withTriggerDisabled(() => sql`UPDATE audit.entry SET action = 'test.innocent' WHERE id = ${id}`.execute(db()));
    const broken = await verifyAuditChain(t.platform.database, { batchSize: 3 });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.firstBroken).toEqual({ seq, id, reason: 'hash mismatch' });
    expect(broken.count).toBe(seq - 1);

    await withTriggerDisabled(() => sql`UPDATE audit.entry SET action = 'test.tamper-2' WHERE id = ${id}`.execute(db()));
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
