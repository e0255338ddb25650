import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import { migrate } from '../../platform/db/migrator.ts';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaff } from '../../../test/support/test-auth.ts';
import { randomMobile, validCitizenId } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { createIdentityModule } from '../identity/index.ts';
import { createJurisdictionsModule } from '../jurisdictions/index.ts';
import { createRegistryModule } from '../registry/index.ts';
import { WorkflowEngine } from '../../platform/workflow/index.ts';
import { createCasesModule } from './index.ts';
import { caseMigrations } from './migrations.ts';
import type { CaseService } from './service.ts';
import { isIdempotencyConflict, submitApplication, submitApplications } from './commands/submit-application.ts';
import { FOOD_VALUES, fixedItems, foodLicenceItem } from './test-fixtures.ts';

/**
 * Every case command on a real database (PGlite here, PostgreSQL in CI): submission
 * (idempotent), correction → supplement, acceptance with the decision clock, nodes,
 * special procedure, extension, decision, result, delivery, rating; refusals by state and
 * role; two clerks at once; the sweep.
 */
let t: TestApp;
let service: CaseService;
let clock = new Date('2025-09-29T02:00:00Z'); // Mon 2025-09-29 10:00 in Shanghai
const ORG = { id: 'org-food-jiangan', name: '武汉市江岸区市场监督管理局', jurisdictionCode: '420102' };
const OTHER = { id: 'org-food-daye', name: '大冶市市场监督管理局', jurisdictionCode: '420281' };
const item = foodLicenceItem(ORG);
const otherItem = foodLicenceItem(OTHER);

const ctx = (actor: Actor): RequestContext => ({ actor, requestId: `req-${Math.random()}`, clientIp: '127.0.0.1' });
const clerk = buildStaff({ organisationId: ORG.id, organisationName: ORG.name, jurisdictionCode: '420102', roles: ['clerk'] });
const clerk2 = buildStaff({ organisationId: ORG.id, organisationName: ORG.name, jurisdictionCode: '420102', roles: ['clerk'] });
const head = buildStaff({ organisationId: ORG.id, organisationName: ORG.name, jurisdictionCode: '420102', roles: ['org_head'] });
const dayeClerk = buildStaff({ organisationId: OTHER.id, organisationName: OTHER.name, jurisdictionCode: '420281', roles: ['clerk'] });
const wuhanSupervisor = buildStaff({ organisationId: 'org-wuhan-sup', jurisdictionCode: '420100', roles: ['jurisdiction_supervisor'] });
let citizen: Actor;
let idNumber: string;
let mobile: string;

async function upload(actor: Actor, label: string) {
  const r = await service.uploadMaterial(ctx(actor), { source: SAMPLES.pdf, fileName: `${label}.pdf`, claimedType: 'application/pdf', label });
  if (!r.ok) throw new Error(r.message);
  return r.value.attachment_id;
}

async function submitted(key?: string) {
  const m1 = await upload(citizen, '营业执照');
  const m2 = await upload(citizen, '平面图');
  const r = await service.submit(ctx(citizen), {
    itemId: item.id,
    idempotencyKey: key ?? null,
    values: FOOD_VALUES(idNumber, mobile),
    materials: [
      { code: 'M1', attachmentId: m1 },
      { code: 'M2', attachmentId: m2 },
    ],
  });
  if (!r.ok) throw new Error(`${r.message} ${JSON.stringify(r)}`);
  return r.value;
}

beforeAll(async () => {
  t = await startTestApp();
  await migrate(t.platform.db, [{ module: 'cases', migrations: caseMigrations }]);
  const registry = createRegistryModule(t.platform);
  const identity = createIdentityModule(t.platform, { organisations: createJurisdictionsModule(t.platform).service });
  const accountId = crypto.randomUUID();
  idNumber = validCitizenId();
  mobile = randomMobile();
  citizen = { kind: 'citizen', accountId, displayName: '张三', realNameLevel: 2 };
  const cases = createCasesModule(t.platform, {
    items: fixedItems([item, otherItem], { withdrawn: '该事项已撤销，不能申请' }),
    numbers: registry.numbers,
    calendars: registry.calendars,
    cipher: identity.secretCipher('cases'),
    applicants: { mobileForDelivery: (id) => Promise.resolve(id === accountId ? mobile : null) },
    now: () => clock,
    // The legal lifecycle runs on the workflow engine's default flow (受理 → 审查 → 决定 → 办结), as in the app.
    workflow: new WorkflowEngine({ db: t.platform.db, now: () => clock }),
  });
  // Standalone instance over the app's database (its item source is a fixture); the app's own instance registered the permissions if wired.
  if (!t.platform.permissions.get('case.read')) t.platform.permissions.register(cases.manifest.permissions, cases.manifest.grants);
  service = cases.service;
});
afterAll(async () => {
  await t?.stop();
});

describe('submission (网上申请)', () => {
  it('validates the form and the required materials, naming each field in Chinese, and saves nothing', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case`.execute(t.platform.db);
    const r = await service.submit(ctx(citizen), { itemId: item.id, idempotencyKey: null, values: { ...FOOD_VALUES('123', mobile), shopName: '' }, materials: [] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('invalid');
    const fields = Object.fromEntries((r.fields ?? []).map((f) => [f.field, f.message]));
    expect(fields.idNumber).toMatch(/身份号码/);
    expect(fields.shopName).toMatch(/经营者名称/);
    expect(fields['material-M1']).toBe('请上传“营业执照”');
    expect(fields['material-M2']).toBe('请上传“经营场所平面布局图”');
    expect(fields['material-M3']).toBeUndefined();
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case`.execute(t.platform.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses a withdrawn item and a file that is not in the applicant library', async () => {
    const r = await service.submit(ctx(citizen), { itemId: 'withdrawn', idempotencyKey: null, values: {}, materials: [] });
    expect(r).toMatchObject({ ok: false, reason: 'invalid', message: '该事项已撤销，不能申请' });
    const someoneElse: Actor = { kind: 'citizen', accountId: crypto.randomUUID(), displayName: '李四', realNameLevel: 2 };
    const foreign = await upload(someoneElse, '别人的执照');
    const r2 = await service.submit(ctx(citizen), { itemId: item.id, idempotencyKey: null, values: FOOD_VALUES(idNumber, mobile), materials: [{ code: 'M1', attachmentId: foreign }] });
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.fields).toContainEqual({ field: 'material-M1', message: '“营业执照”的文件不在您的材料库中，请重新上传' });
  });

  it('gives a case number, a 6-digit query password, the notice clock, masked data and a notification', async () => {
    const s = await submitted();
    expect(s.record.case_no).toMatch(/^42010220250929\d{6}$/);
    expect(s.queryPassword).toMatch(/^\d{6}$/);
    expect(s.record.state).toBe('SUBMITTED');
    expect(s.record.item_version).toBe(3);
    expect(s.record.clock_kind).toBe('notice');
    expect(s.record.due_on).toBe('2025-10-13'); // 5 WD across National Day
    expect(s.record.applicant_name_masked).toBe('张*');
    expect(s.record.form_values.idNumber).not.toBe(idNumber);
    expect(s.record.applicant_pii_enc).not.toContain(idNumber);
    const raw = await sql<{ v: string }>`SELECT form_values::text AS v FROM cases.case WHERE id = ${s.record.id}`.execute(t.platform.db);
    expect(raw.rows[0]!.v).not.toContain(idNumber);
    expect(raw.rows[0]!.v).not.toContain(mobile);
    const sms = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.job WHERE queue = 'notify.sms' AND payload->>'to' = ${mobile} AND payload->>'body' LIKE ${`%${s.record.case_no}%`}`.execute(t.platform.db);
    expect(sms.rows[0]!.n).toBe(1);
  });

  it('answers a submission with the case as stored, every column (built from the row written, not read back)', async () => {
    const s = await submitted(`as-stored-${Date.now()}`);
    const stored = await service.deps.cases.getById(s.record.id);
    expect(s.record).toEqual(stored);
    expect(Object.keys(s.record).sort()).toEqual(Object.keys(stored!).sort());
  });

  it('is idempotent: the same key returns the same case and password, concurrently too', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const first = await submitted(key);
    const again = await submitted(key);
    expect(again.replay).toBe(true);
    expect(again.record.id).toBe(first.record.id);
    expect(again.queryPassword).toBe(first.queryPassword);
    const key2 = `key-${crypto.randomUUID()}`;
    const both = await Promise.all([submitted(key2), submitted(key2)]);
    expect(both[0].record.id).toBe(both[1].record.id);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case WHERE idempotency_key = ${key2}`.execute(t.platform.db);
    expect(n.rows[0]!.n).toBe(1);
  });
});

describe('group commit (submissions arriving together share one transaction)', () => {
  it('answers each request on its own: numbers gap-free and in order, refusals named, a repeated key replayed, one audit entry and timeline event each', async () => {
    const before = { ...service.submissionBatches };
    const applicants: Extract<Actor, { kind: 'citizen' }>[] = Array.from({ length: 4 }, (_, i) => ({ kind: 'citizen', accountId: crypto.randomUUID(), displayName: `申请人${i}`, realNameLevel: 2 }));
    const files = await Promise.all(applicants.map(async (a) => [await upload(a, '营业执照'), await upload(a, '平面图')] as const));
    const materials = (i: number) => [
      { code: 'M1', attachmentId: files[i]![0] },
      { code: 'M2', attachmentId: files[i]![1] },
    ];
    const sharedKey = `key-${crypto.randomUUID()}`;
    const requests: { who: number; key: string | null; values: Record<string, unknown>; materials: { code: string; attachmentId: string }[] }[] = [
      ...Array.from({ length: 10 }, (_, n) => ({ who: n % 4, key: n % 2 === 0 ? `key-${crypto.randomUUID()}` : null, values: FOOD_VALUES(validCitizenId(), randomMobile()), materials: materials(n % 4) })),
      { who: 0, key: null, values: { ...FOOD_VALUES(validCitizenId(), randomMobile()), shopName: '' }, materials: materials(0) }, // invalid form
      { who: 1, key: null, values: FOOD_VALUES(validCitizenId(), randomMobile()), materials: [{ code: 'M1', attachmentId: files[2]![0] }, { code: 'M2', attachmentId: files[1]![1] }] }, // someone else's file
      { who: 3, key: sharedKey, values: FOOD_VALUES(validCitizenId(), randomMobile()), materials: materials(3) },
      { who: 3, key: sharedKey, values: FOOD_VALUES(validCitizenId(), randomMobile()), materials: materials(3) }, // the same key again
    ];
    const contexts = requests.map((r) => ctx(applicants[r.who]!));
    const results = await Promise.all(requests.map((r, i) => service.submit(contexts[i]!, { itemId: item.id, idempotencyKey: r.key, values: r.values, materials: r.materials })));
    // 14 requests went in fewer transactions than requests (grouped while others were written).
    expect(service.submissionBatches.requests - before.requests).toBe(14);
    expect(service.submissionBatches.batches - before.batches).toBeLessThan(14);

    const okOnes = results.flatMap((r) => (r.ok ? [r.value] : []));
    expect(results[10]).toMatchObject({ ok: false, reason: 'invalid' });
    if (!results[10]!.ok) expect(results[10]!.fields?.map((f) => f.field)).toEqual(['shopName']);
    expect(results[11]).toMatchObject({ ok: false, reason: 'invalid' });
    if (!results[11]!.ok) expect(results[11]!.fields).toEqual([{ field: 'material-M1', message: '“营业执照”的文件不在您的材料库中，请重新上传' }]);
    expect(okOnes).toHaveLength(12);
    const [a, b] = [results[12]!, results[13]!];
    if (!a.ok || !b.ok) throw new Error('the repeated key must succeed twice');
    expect(a.value.record.id).toBe(b.value.record.id);
    expect([a.value.replay, b.value.replay].sort()).toEqual([false, true]);
    expect(a.value.queryPassword).toBe(b.value.queryPassword);

    // 11 new cases: gap-free consecutive numbers of the day, each applicant's own.
    const fresh = okOnes.filter((s) => !s.replay);
    expect(fresh).toHaveLength(11);
    const seqs = fresh.map((s) => Number(s.record.case_no!.slice(-6))).sort((x, y) => x - y);
    expect(seqs.at(-1)! - seqs[0]!).toBe(10);
    expect(new Set(seqs).size).toBe(11);
    for (const [i, r] of results.entries()) {
      if (!r.ok || r.value.replay) continue;
      expect(r.value.record.applicant_account_id).toBe(applicants[requests[i]!.who]!.accountId);
      const stored = await service.deps.cases.getById(r.value.record.id);
      expect(stored?.case_no).toBe(r.value.record.case_no);
      expect(await service.deps.cases.materials(r.value.record.id)).toHaveLength(2);
      expect((await service.deps.cases.events(r.value.record.id)).map((e) => e.event)).toEqual(['submit']);
      const audit = await sql<{ request_id: string; actor_id: string; detail: { caseNo: string } }>`SELECT request_id, actor_id, detail FROM audit.entry WHERE action = 'case.submit' AND object_id = ${r.value.record.id}`.execute(t.platform.db);
      expect(audit.rows).toHaveLength(1);
      expect(audit.rows[0]).toMatchObject({ request_id: contexts[i]!.requestId, actor_id: applicants[requests[i]!.who]!.accountId, detail: { caseNo: r.value.record.case_no } });
      const inbox = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.notification WHERE body LIKE ${`%${r.value.record.case_no}%`}`.execute(t.platform.db);
      expect(inbox.rows[0]!.n).toBe(1);
    }
    // The refused requests left nothing behind.
    const stored = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case WHERE applicant_account_id = ANY(${applicants.map((x) => x.accountId)}::uuid[])`.execute(t.platform.db);
    expect(stored.rows[0]!.n).toBe(11);
  });
});

describe('reads taken before the batch (SubmissionReads) that a concurrent retry overtook', () => {
  it('fails the batch’s one statement as an idempotency conflict — nothing written, no number taken — and the request on its own replays the first case', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const first = await submitted(key);
    const m1 = await upload(citizen, '营业执照');
    const m2 = await upload(citizen, '平面图');
    const input = (k: string | null) => ({ itemId: item.id, idempotencyKey: k, values: FOOD_VALUES(idNumber, mobile), materials: [{ code: 'M1', attachmentId: m1 }, { code: 'M2', attachmentId: m2 }] });
    const { library } = await service.deps.cases.submissionReads([], [m1, m2].map((attachmentId) => ({ ownerAccountId: (citizen as Extract<Actor, { kind: 'citizen' }>).accountId, attachmentId })), []);
    expect(library.size).toBe(2);
    // Read "before" the first case committed: no earlier case seen for the key.
    const stale = { earlier: [], library, drafts: new Map<string, string>() };
    const deps = await service.prepared({ applicantAccountId: (citizen as Extract<Actor, { kind: 'citizen' }>).accountId, itemId: item.id });
    const counts = sql<{ cases: number; numbers: string; audits: number; jobs: number }>`SELECT (SELECT count(*)::int FROM cases.case) AS cases, (SELECT sum(last_value)::text FROM registry.number_counter WHERE generator_id = 'case') AS numbers,
      (SELECT count(*)::int FROM audit.entry WHERE action = 'case.submit') AS audits, (SELECT count(*)::int FROM platform.job) AS jobs`;
    const before = (await counts.execute(t.platform.db)).rows[0];
    const batch = t.platform.transactor.runAsOneStatement((unitOfWork) => submitApplications(t.platform.db, [{ deps, uow: unitOfWork(ctx(citizen)), input: input(key) }, { deps, uow: unitOfWork(ctx(citizen)), input: input(null) }], stale));
    const error = await batch.then(() => null, (e: unknown) => e);
    expect(isIdempotencyConflict(error)).toBe(true);
    expect((await counts.execute(t.platform.db)).rows[0]).toEqual(before); // the other request, the counter, audit and jobs too
    const alone = await t.platform.transactor.run(ctx(citizen), (uow) => submitApplication(deps, uow, input(key)));
    expect(alone).toMatchObject({ ok: true, value: { replay: true, record: { id: first.record.id, case_no: first.record.case_no }, queryPassword: first.queryPassword } });
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case WHERE idempotency_key = ${key}`.execute(t.platform.db);
    expect(n.rows[0]!.n).toBe(1);
    expect(isIdempotencyConflict(new Error('other'))).toBe(false);
  });

  it('come in one statement, planned for the tables as they are now: a generic plan made while cases.case was small would scan all of it', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const first = await submitted(key);
    const m1 = await upload(citizen, '营业执照');
    const accountId = (citizen as Extract<Actor, { kind: 'citizen' }>).accountId;
    const stored = await sql<{ id: string; size_bytes: string; created_at: Date }>`SELECT id, size_bytes::text, created_at FROM cases.library_item WHERE attachment_id = ${m1}`.execute(t.platform.db);
    const draft = await sql<{ id: string }>`INSERT INTO cases.application_draft (applicant_account_id, item_id, item_name) VALUES (${accountId}, ${'no-such-item'}, ${'测试草稿'}) RETURNING id`.execute(t.platform.db);
    await t.platform.db.transaction().execute(async (tx) => {
      // One connection: what it prepared is in its pg_prepared_statements.
      for (let i = 0; i < 7; i++) {
        const reads = await service.deps.cases.submissionReads(
          [{ accountId, key }, { accountId, key: `${key}-new` }],
          [{ ownerAccountId: accountId, attachmentId: m1 }, { ownerAccountId: accountId, attachmentId: 'not-a-uuid' }, { ownerAccountId: crypto.randomUUID(), attachmentId: m1 }],
          [{ accountId, itemId: 'no-such-item' }, { accountId, itemId: item.id }],
          tx,
        );
        expect(reads.earlier.map((c) => [c.id, c.case_no])).toEqual([[first.record.id, first.record.case_no]]);
        expect([...reads.library.entries()]).toEqual([[`${accountId} ${m1}`, expect.objectContaining({ id: stored.rows[0]!.id, attachment_id: m1, size_bytes: Number(stored.rows[0]!.size_bytes), created_at: stored.rows[0]!.created_at })]]);
        expect([...reads.drafts.entries()]).toEqual([[`${accountId} no-such-item`, draft.rows[0]!.id]]);
      }
      const held = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${'%unnest%'}`.execute(tx);
      expect(held.rows.filter((r) => /FROM cases\.(case|library_item|application_draft) \w+\s+JOIN unnest/.test(r.statement))).toEqual([]);
    });
    await sql`DELETE FROM cases.application_draft WHERE id = ${draft.rows[0]!.id}`.execute(t.platform.db);
  });
});

describe('the legal path (受理 → 审查 → 决定 → 办结)', () => {
  it('correction → supplement → accept → nodes → special procedure → extension → approve → result → deliver → rate', async () => {
    clock = new Date('2025-09-29T02:00:00Z');
    let c = (await submitted()).record;
    // A supervisor cannot accept; a clerk of another county does not even see the case.
    expect(await service.act(ctx(dayeClerk), c.id, c.version, { action: 'accept' })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await service.act(ctx(citizen), c.id, c.version, { action: 'accept' })).toMatchObject({ ok: false, reason: 'forbidden' });
    // One complete correction list
    const corr = await service.act(ctx(clerk), c.id, c.version, { action: 'correction', items: [{ target: 'M2', label: '经营场所平面布局图', problem: '未标明面积' }] });
    expect(corr).toMatchObject({ ok: true, value: { state: 'NEEDS_CORRECTION', clock_kind: null, due_on: null } });
    if (!corr.ok) return;
    c = corr.value;
    // No acceptance while waiting for the correction (409 with the reason)
    expect(await service.act(ctx(clerk), c.id, c.version, { action: 'accept' })).toMatchObject({ ok: false, reason: 'conflict', message: '办件当前状态为“待补正”，不能执行“受理”' });
    clock = new Date('2025-10-09T02:00:00Z');
    const fixed = await upload(citizen, '平面图（补正）');
    const sup = await service.supplement(ctx(citizen), { caseId: c.id, version: c.version, materials: [{ code: 'M2', attachmentId: fixed }] });
    expect(sup).toMatchObject({ ok: true, value: { state: 'SUBMITTED', received_on: '2025-10-09', clock_kind: 'notice', due_on: '2025-10-15' } });
    if (!sup.ok) return;
    c = sup.value;
    // Accept: acceptance number, decision clock with the promised 10 WD, first node open
    const acc = await service.act(ctx(clerk), c.id, c.version, { action: 'accept' });
    expect(acc).toMatchObject({ ok: true, value: { state: 'IN_PROCESS', node_index: 0, clock_kind: 'decision', decision_due_on: '2025-10-22' } });
    if (!acc.ok) return;
    c = acc.value;
    expect(c.acceptance_no).toMatch(/^受字2025\d{5}$/);
    // The clerk cannot decide; nodes pass 承办 → 审核 → 批准
    expect(await service.act(ctx(clerk), c.id, c.version, { action: 'approve' })).toMatchObject({ ok: false, reason: 'forbidden' });
    let r = await service.act(ctx(clerk), c.id, c.version, { action: 'pass', opinion: '材料齐全' });
    if (!r.ok) throw new Error(r.message);
    // Special procedure: only Art. 45 reasons
    expect(await service.act(ctx(clerk), c.id, r.value.version, { action: 'special-start', kind: 'onSiteVerification', reason: '现场核查', plannedDays: 3 })).toMatchObject({ ok: false, reason: 'invalid' });
    clock = new Date('2025-10-10T02:00:00Z');
    r = await service.act(ctx(clerk), c.id, r.value.version, { action: 'special-start', kind: 'testing', reason: '水质检测', plannedDays: 5 });
    expect(r).toMatchObject({ ok: true, value: { state: 'SUSPENDED', due_on: null, signal: 'paused' } });
    if (!r.ok) return;
    clock = new Date('2025-10-14T02:00:00Z');
    r = await service.act(ctx(clerk), c.id, r.value.version, { action: 'special-end', result: '检测合格' });
    // paused Oct 11 (make-up Saturday), 13, 14 = 3 WD → due 2025-10-22 + 3 WD = 2025-10-27
    expect(r).toMatchObject({ ok: true, value: { state: 'IN_PROCESS', due_on: '2025-10-27' } });
    if (!r.ok) return;
    // Extension: the head only, once, +10 WD
    expect(await service.act(ctx(clerk), c.id, r.value.version, { action: 'extend', reason: '需专家论证' })).toMatchObject({ ok: false, reason: 'forbidden' });
    r = await service.act(ctx(head), c.id, r.value.version, { action: 'extend', reason: '情况复杂' });
    expect(r).toMatchObject({ ok: true, value: { due_on: '2025-11-10', clock_extended_days: 10 } });
    if (!r.ok) return;
    expect(await service.act(ctx(head), c.id, r.value.version, { action: 'extend', reason: '再延' })).toMatchObject({ ok: false, reason: 'conflict' });
    r = await service.act(ctx(clerk), c.id, r.value.version, { action: 'pass', opinion: '审核通过' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.node_index).toBe(2);
    // The head decides at 批准
    r = await service.act(ctx(head), c.id, r.value.version, { action: 'approve', reason: '符合条件' });
    expect(r).toMatchObject({ ok: true, value: { state: 'APPROVED', decision: 'approve', clock_kind: 'issue', due_on: '2025-10-28' } });
    if (!r.ok) return;
    expect(await service.act(ctx(clerk), c.id, r.value.version, { action: 'result' })).toMatchObject({ ok: false, reason: 'invalid' });
    r = await service.act(ctx(clerk), c.id, r.value.version, { action: 'result', certificateNo: 'JY14201020000123' });
    expect(r).toMatchObject({ ok: true, value: { state: 'RESULT_READY', due_on: null } });
    if (!r.ok) return;
    r = await service.act(ctx(clerk), c.id, r.value.version, { action: 'deliver', method: 'mailed', courierNo: 'SF1234567890' });
    expect(r).toMatchObject({ ok: true, value: { state: 'CLOSED', result_code: 0, courier_no: 'SF1234567890' } });
    // Timeline has every step
    const events = (await service.deps.cases.events(c.id)).map((e) => e.event);
    expect(events).toEqual(['submit', 'requestCorrection', 'supplement', 'accept', 'openNode', 'passNode', 'startSpecial', 'endSpecial', 'extend', 'passNode', 'approve', 'produceResult', 'deliver', 'close']);
    // Audit entries in the same transactions
    const audits = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${c.id} ORDER BY id`.execute(t.platform.db);
    expect(audits.rows.map((a) => a.action)).toEqual(expect.arrayContaining(['case.submit', 'case.accept', 'case.approve', 'case.deliver', 'case.close']));
    // Rating: a bad one opens a rectification with 15 WD; one rating per case
    const bad = await service.rate(ctx(citizen), { caseId: c.id, score: 2, reasons: ['办理时间长'], comment: '等太久' });
    expect(bad).toMatchObject({ ok: true, value: { rectification_state: 'ASSIGNED' } });
    expect(await service.rate(ctx(citizen), { caseId: c.id, score: 5, reasons: [], comment: '' })).toMatchObject({ ok: false, reason: 'conflict' });
    if (!bad.ok) return;
    expect(await service.answerRating(ctx(dayeClerk), { caseId: c.id, version: bad.value.version, outcome: 'rectified', feedback: '已整改' })).toMatchObject({ ok: false, reason: 'not_found' });
    const fb = await service.answerRating(ctx(clerk), { caseId: c.id, version: bad.value.version, outcome: 'rectified', feedback: '已优化审查流程' });
    expect(fb).toMatchObject({ ok: true, value: { rectification_state: 'FEEDBACK_SENT', feedback: '已优化审查流程' } });
  });

  it('refusal to accept needs reasons and closes with result 6; refusal gives the remedy notice', async () => {
    clock = new Date('2025-11-03T02:00:00Z');
    const c = (await submitted()).record;
    expect(await service.act(ctx(clerk), c.id, c.version, { action: 'refuse-acceptance', reason: '  ' })).toMatchObject({ ok: false, reason: 'invalid', fields: [{ field: 'reason' }] });
    const r = await service.act(ctx(clerk), c.id, c.version, { action: 'refuse-acceptance', reason: '不属于本机关职权范围，请向大冶市市场监督管理局申请' });
    expect(r).toMatchObject({ ok: true, value: { state: 'CLOSED', result_code: 6 } });
    const d = (await submitted()).record;
    let x = await service.act(ctx(clerk), d.id, d.version, { action: 'accept' });
    for (const who of [clerk, clerk]) {
      if (!x.ok) throw new Error(x.message);
      x = await service.act(ctx(who), d.id, x.value.version, { action: 'pass' });
    }
    if (!x.ok) throw new Error(x.message);
    const refused = await service.act(ctx(head), d.id, x.value.version, { action: 'refuse', reason: '经营场所不符合卫生要求' });
    expect(refused).toMatchObject({ ok: true, value: { state: 'REFUSED', decision_reasons: '经营场所不符合卫生要求' } });
    const inbox = await sql<{ body: string }>`SELECT body FROM platform.notification WHERE body LIKE ${`%${d.case_no}%`} ORDER BY id DESC LIMIT 1`.execute(t.platform.db);
    expect(inbox.rows[0]!.body).toContain('六十日内依法申请行政复议');
  });

  it('two clerks acting at once: one wins, the other gets a clear conflict and nothing of theirs is kept', async () => {
    const c = (await submitted()).record;
    const [a, b] = await Promise.all([
      service.act(ctx(clerk), c.id, c.version, { action: 'accept' }),
      service.act(ctx(clerk2), c.id, c.version, { action: 'correction', items: [{ target: 'M1', label: '营业执照', problem: '不清晰' }] }),
    ]);
    const results = [a, b];
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    const loser = results.find((x) => !x.ok);
    expect(loser).toMatchObject({ ok: false, reason: 'conflict' });
    if (loser && !loser.ok) expect(loser.message).toMatch(/刷新|已被他人处理|不能执行/);
    const events = await service.deps.cases.events(c.id);
    expect(events.filter((e) => e.event === 'accept' || e.event === 'requestCorrection')).toHaveLength(1);
  });

  it('withdrawal by the applicant and void by a supervisor of the jurisdiction (not of another)', async () => {
    const c = (await submitted()).record;
    const w = await service.act(ctx(citizen), c.id, c.version, { action: 'withdraw' });
    expect(w).toMatchObject({ ok: true, value: { state: 'CLOSED', result_code: 5 } });
    const d = (await submitted()).record;
    expect(await service.act(ctx(clerk), d.id, d.version, { action: 'void', reason: '重复申报' })).toMatchObject({ ok: false, reason: 'forbidden' });
    const hubeiOther = buildStaff({ organisationId: 'x', jurisdictionCode: '420200', roles: ['jurisdiction_supervisor'] });
    expect(await service.act(ctx(hubeiOther), d.id, d.version, { action: 'void', reason: '重复申报' })).toMatchObject({ ok: false, reason: 'not_found' });
    expect(await service.act(ctx(wuhanSupervisor), d.id, d.version, { action: 'void', reason: '' })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await service.act(ctx(wuhanSupervisor), d.id, d.version, { action: 'void', reason: '重复申报' })).toMatchObject({ ok: true, value: { result_code: 2 } });
  });
});

describe('the sweep (电子监察)', () => {
  it('deems acceptance after 5 WD without a notice and turns clocks yellow then red, set-based', async () => {
    clock = new Date('2026-03-02T02:00:00Z'); // Mon
    const c = (await submitted()).record;
    expect(c.due_on).toBe('2026-03-09');
    clock = new Date('2026-03-06T02:00:00Z');
    await service.sweep();
    expect((await service.deps.cases.getById(c.id))?.signal).toBe('yellow');
    clock = new Date('2026-03-10T02:00:00Z');
    const s = await service.sweep();
    expect(s.deemedAccepted).toBeGreaterThanOrEqual(1);
    const after = await service.deps.cases.getById(c.id);
    // Accepted as of receipt: the decision clock started on 2026-03-02 (10 WD → 2026-03-16)
    expect(after).toMatchObject({ state: 'IN_PROCESS', clock_kind: 'decision', clock_started_on: '2026-03-02', due_on: '2026-03-16' });
    clock = new Date('2026-03-17T02:00:00Z');
    await service.sweep();
    expect((await service.deps.cases.getById(c.id))?.signal).toBe('red');
  });

  it('swept in page ranges at the same time, colours every open case as one statement would', async () => {
    clock = new Date('2026-04-01T02:00:00Z');
    for (let i = 0; i < 4; i += 1) await submitted();
    const repo = service.deps.cases;
    // Spread the open cases' due dates over a month around the sweep day, so every colour occurs.
    await sql`WITH n AS (SELECT id, (row_number() OVER (ORDER BY id) % 3)::int AS k FROM cases.case WHERE state NOT IN ('DRAFT', 'CLOSED', 'DELIVERED'))
              UPDATE cases.case c SET due_on = DATE '2026-04-10' + 6 * n.k, yellow_from = DATE '2026-04-07' + 6 * n.k, signal = 'none', clock_paused_since = NULL
              FROM n WHERE c.id = n.id`.execute(t.platform.db);
    const expected = await sql<{ id: string; signal: string }>`SELECT id, CASE WHEN due_on IS NULL THEN 'none' WHEN DATE '2026-04-15' > due_on THEN 'red' WHEN DATE '2026-04-15' >= yellow_from THEN 'yellow' ELSE 'green' END AS signal
              FROM cases.case WHERE state NOT IN ('DRAFT', 'CLOSED', 'DELIVERED') ORDER BY id`.execute(t.platform.db);
    const split = await repo.sweepSignals('2026-04-15', undefined, { parts: 3, minPagesPerPart: 0 });
    expect(split.changed).toBe(expected.rows.filter((r) => r.signal !== 'none').length);
    expect(split.red).toBe(expected.rows.filter((r) => r.signal === 'red').length);
    expect(split.yellow).toBe(expected.rows.filter((r) => r.signal === 'yellow').length);
    const after = await sql<{ id: string; signal: string }>`SELECT id, signal FROM cases.case WHERE state NOT IN ('DRAFT', 'CLOSED', 'DELIVERED') ORDER BY id`.execute(t.platform.db);
    expect(after.rows).toEqual(expected.rows);
    expect(new Set(after.rows.map((r) => r.signal))).toEqual(new Set(['red', 'yellow', 'green']));
    // A second sweep of the same day finds nothing to change.
    expect(await repo.sweepSignals('2026-04-15', undefined, { parts: 3, minPagesPerPart: 0 })).toEqual({ changed: 0, yellow: 0, red: 0 });
  });
});
