import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext, type RequestContext } from '../../platform/auth/actor.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import { lateText } from '../../platform/db/late-texts.ts';
import { createRegistryModule, type NumberService } from './index.ts';

class RolledBack extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestApp;
let numbers: NumberService;
const system = systemContext('numbers-test');

beforeAll(async () => {
  t = await startTestApp();
  numbers = createRegistryModule(t.platform).numbers;
});
afterAll(async () => {
  await t?.stop();
});

/** One business transaction that takes a number and commits. */
function issue(generatorId: string, request: Parameters<NumberService['next']>[2], ctx: RequestContext = system) {
  return t.platform.transactor.run(ctx, (uow) => numbers.next(uow.tx, generatorId, request));
}

describe('number generators (DOMAIN.md §1.4)', () => {
  it('are seeded with the DOMAIN.md defaults', async () => {
    const byId = new Map((await numbers.listGenerators()).map((g) => [g.id, g]));
    expect(byId.get('case')).toMatchObject({ template: '{region6}{yyyyMMdd}{seq:6}', scope: 'region+day' });
    expect(byId.get('ticket')).toMatchObject({ template: '{yyyyMMdd}{seq:6}', scope: 'global' });
    expect(byId.get('document')).toMatchObject({ template: '{prefix}〔{yyyy}〕{seq}号', scope: 'org+year', tag: 'law/standard' });
    expect(byId.get('acceptance-document')).toMatchObject({ template: '{prefix}{yyyy}{seq:5}' });
  });

  it(`hands 50 concurrent transactions, some rolled back, exactly 1..K without gap or duplicate`, async () => {
    const date = '2026-11-30';
    const rolledBack: number[] = [];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        t.platform.transactor.run(system, async (uow) => {
          const issued = await numbers.next(uow.tx, 'ticket', { date });
          // Hold the counter's row lock a little, so the others queue behind this transaction.
          await sleep(i % 3);
          if (i % 5 === 3) {
            rolledBack.push(issued.seq);
            throw new RolledBack(`business step ${i} failed after taking ${issued.value}`);
          }
          return issued;
        }),
      ),
    );
    const committed = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(failures).toHaveLength(10);
    expect(failures.every((f) => f instanceof RolledBack)).toBe(true);
    expect(rolledBack).toHaveLength(10);

    const seqs = committed.map((n) => n.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const values = new Set(committed.map((n) => n.value));
    expect(values.size).toBe(40);
    expect([...values].sort()[0]).toBe('20261130000001');
    for (const n of committed) expect(n.value).toBe(`20261130${String(n.seq).padStart(6, '0')}`);

    // The counter holds exactly what was committed; the next number follows without a gap.
    expect(await issue('ticket', { date })).toMatchObject({ seq: 41, value: '20261130000041' });
  });

  it('gives a rolled-back number to the next transaction (never a gap)', async () => {
    const date = '2026-12-01';
    await expect(
      t.platform.transactor.run(system, async (uow) => {
        await numbers.next(uow.tx, 'supervision', { date });
        throw new RolledBack('undo');
      }),
    ).rejects.toBeInstanceOf(RolledBack);
    expect((await issue('supervision', { date })).value).toBe('20261201000001');
  });

  it('resets yearly with {yyyy}: 发文字号 restarts at 1 in a new year and continues in the old one', async () => {
    const org = { orgId: 'org-hubei-gov', prefix: '鄂政发' };
    expect((await issue('document', { ...org, date: '2026-12-30' })).value).toBe('鄂政发〔2026〕1号');
    expect((await issue('document', { ...org, date: '2026-12-31' })).value).toBe('鄂政发〔2026〕2号');
    expect((await issue('document', { ...org, date: '2027-01-01' })).value).toBe('鄂政发〔2027〕1号');
    expect((await issue('document', { ...org, date: '2026-12-31' })).value).toBe('鄂政发〔2026〕3号');
    // Another code word of the same organ is a sequence of its own.
    expect((await issue('document', { ...org, prefix: '鄂政办发', date: '2027-01-02' })).value).toBe('鄂政办发〔2027〕1号');
  });

  it('counts per organisation for org scopes', async () => {
    const date = '2026-11-30';
    expect((await issue('acceptance-document', { orgId: 'org-a', prefix: '武洪受', date })).value).toBe('武洪受202600001');
    expect((await issue('acceptance-document', { orgId: 'org-b', prefix: '武汉受', date })).value).toBe('武汉受202600001');
    expect((await issue('acceptance-document', { orgId: 'org-a', prefix: '武洪受', date })).value).toBe('武洪受202600002');
    expect((await issue('index-number', { orgCode: '000014349', date })).value).toBe('000014349/2026-00001');
    expect((await issue('index-number', { orgCode: '00001435X', date })).value).toBe('00001435X/2026-00001');
  });

  it('counts case numbers per region and day', async () => {
    expect((await issue('case', { region: '420102', date: '2026-11-30' })).value).toBe('42010220261130000001');
    expect((await issue('case', { region: '420103', date: '2026-11-30' })).value).toBe('42010320261130000001');
    expect((await issue('case', { region: '420102', date: '2026-11-30' })).value).toBe('42010220261130000002');
    expect((await issue('case', { region: '420102', date: '2026-12-01' })).value).toBe('42010220261201000001');
    expect(await numbers.validate('case', '42010220261130000002')).toBe(true);
    expect(await numbers.validate('case', '4201022026113000000')).toBe(false);
  });

  it('takes nothing when the request lacks a field the template prints', async () => {
    await expect(issue('document', { orgId: 'org-x', date: '2026-11-30' })).rejects.toThrow(/prefix/);
    await expect(issue('no-such-generator', { date: '2026-11-30' })).rejects.toThrow(/unknown number generator/);
    expect((await issue('document', { orgId: 'org-x', prefix: '鄂X发', date: '2026-11-30' })).seq).toBe(1);
  });

  it('never truncates: a sequence that outgrows {seq:N} fails and its transaction takes nothing', async () => {
    const saved = await numbers.saveGenerator(system, { id: 'tiny', name: '测试', template: 'T{yyyy}-{seq:1}', scope: 'global', description: '' });
    expect(saved.ok).toBe(true);
    for (let i = 1; i <= 9; i++) expect((await issue('tiny', { date: '2026-11-30' })).value).toBe(`T2026-${i}`);
    await expect(issue('tiny', { date: '2026-11-30' })).rejects.toThrow(/overflows/);
    const rows = await sql<{ last_value: number }>`SELECT last_value FROM registry.number_counter WHERE generator_id = 'tiny'`.execute(t.platform.db);
    expect(Number(rows.rows[0]?.last_value)).toBe(9);
  });

  it('takes numbers in the commit’s own statement (takeAtCommit): per sequence, in order, after the others, as late texts', async () => {
    const saved = await numbers.saveGenerator(system, { id: 'late', name: '测试', template: 'L{region6}{yyyyMMdd}-{seq:2}号', scope: 'region+day', description: '' });
    expect(saved.ok).toBe(true);
    expect((await issue('late', { region: '420102', date: '2026-11-30' })).value).toBe('L42010220261130-01号');
    const wanted = [
      { key: 'a', request: { region: '420102', date: '2026-11-30' } },
      { key: 'b', request: { region: '420281', date: '2026-11-30' } },
      { key: 'c', request: { region: '420102', date: '2026-11-30' } },
    ];
    // In a transaction, and as one statement of its own: the answer carries the numbers.
    const inTx = await t.platform.transactor.run(system, async (uow) => {
      await numbers.takeAtCommit(uow, uow.tx, 'late', wanted);
      return wanted.map((w) => lateText(w.key));
    });
    expect(inTx).toEqual(['L42010220261130-02号', 'L42028120261130-01号', 'L42010220261130-03号']);
    const alone = await t.platform.transactor.runAsOneStatement(async (unitOfWork) => {
      const uow = unitOfWork(system);
      await numbers.takeAtCommit(uow, t.platform.db, 'late', wanted.slice(0, 1));
      await uow.audit({ action: 'probe.number', objectType: 'probe', objectId: 'late-a', detail: { no: lateText('a') } });
      return lateText('a');
    });
    expect(alone).toBe('L42010220261130-04号');
    const audit = await sql<{ no: string }>`SELECT detail->>'no' AS no FROM audit.entry WHERE action = 'probe.number' AND object_id = 'late-a'`.execute(t.platform.db);
    expect(audit.rows).toEqual([{ no: 'L42010220261130-04号' }]);
    // A sequence that outgrows {seq:2} fails the statement: nothing taken, nothing written.
    await sql`UPDATE registry.number_counter SET last_value = 98 WHERE generator_id = 'late' AND sequence_key LIKE '%420281%'`.execute(t.platform.db);
    const overflow = t.platform.transactor.runAsOneStatement(async (unitOfWork) => {
      const uow = unitOfWork(system);
      await numbers.takeAtCommit(uow, t.platform.db, 'late', [wanted[1]!, { key: 'd', request: wanted[1]!.request }]);
      await uow.audit({ action: 'probe.number', objectType: 'probe', objectId: 'late-d', detail: { no: lateText('d') } });
    });
    await expect(overflow).rejects.toThrow(/overflows \{seq:2\}/);
    const counter = await sql<{ last_value: string }>`SELECT last_value::text FROM registry.number_counter WHERE generator_id = 'late' AND sequence_key LIKE '%420281%'`.execute(t.platform.db);
    expect(counter.rows).toEqual([{ last_value: '98' }]);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE object_id = 'late-d'`.execute(t.platform.db)).rows[0]?.n).toBe(0);
  });
});

describe('saving a number generator', () => {
  const admin = (): RequestContext => ({ actor: buildStaff({ roles: ['sysadmin'], jurisdictionCode: '420000' }), requestId: 'req-admin', clientIp: null });
  const clerk = (): RequestContext => ({ actor: buildStaff({ roles: ['clerk'] }), requestId: 'req-clerk', clientIp: null });

  it('refuses a bad template and a scope the template does not print, in Chinese', async () => {
    const bad = await numbers.saveGenerator(admin(), { id: 'permit', name: '许可证号', template: '{yyyy}{seq', scope: 'global' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.reason).toBe('invalid');
      expect(bad.fields?.[0]).toMatchObject({ field: 'template' });
      expect(bad.fields?.[0]?.message).toMatch(/编号模板/);
    }
    const unsafe = await numbers.saveGenerator(admin(), { id: 'permit', name: '许可证号', template: '{yyyy}{seq:5}', scope: 'org+year' });
    expect(unsafe.ok).toBe(false);
    if (!unsafe.ok) expect(unsafe.fields?.map((f) => f.message).join('')).toMatch(/机构/);
    expect(await numbers.getGenerator('permit')).toBeNull();
  });

  it('refuses staff without numbering.manage', async () => {
    const r = await numbers.saveGenerator(clerk(), { id: 'permit', name: '许可证号', template: '{yyyy}{seq:5}', scope: 'global' });
    expect(r).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('creates, then allows a change that keeps the counters and refuses one that re-keys them', async () => {
    const created = await numbers.saveGenerator(admin(), { id: 'permit', name: '许可证号', template: 'XK{yyyy}{seq:5}', scope: 'global', description: '测试' });
    expect(created).toMatchObject({ ok: true, value: { id: 'permit', version: 1 } });
    expect((await issue('permit', { date: '2026-11-30' })).value).toBe('XK202600001');

    const padded = await numbers.saveGenerator(admin(), { id: 'permit', name: '许可证号', template: 'XK-{yyyy}-{seq:6}', scope: 'global' });
    expect(padded).toMatchObject({ ok: true, value: { template: 'XK-{yyyy}-{seq:6}', version: 2 } });
    expect((await issue('permit', { date: '2026-11-30' })).value).toBe('XK-2026-000002');

    const rekeyed = await numbers.saveGenerator(admin(), { id: 'permit', name: '许可证号', template: 'XK{yyyyMM}{seq:5}', scope: 'global' });
    expect(rekeyed).toMatchObject({ ok: false, reason: 'conflict' });

    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'numbering.save' AND object_id = 'permit' AND outcome = 'success'`.execute(t.platform.db);
    expect(audit.rows[0]?.n).toBe(2);
  });
});
