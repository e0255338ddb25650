import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaffAccount, postForm, randomMobile, seedDemoAccounts, signIn, validCitizenId, type SignedIn } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { demoLogins } from '../identity/index.ts';
import { fillForm } from './test-fixtures.ts';
import { multipart } from '../../../test/support/multipart.ts';

/**
 * 好差评申诉 (DOMAIN.md §4, issue 3) over HTTP on the seeded demo data: a 江岸区 market-supervision case
 * is closed (不予受理) and rated 1 star by the applicant; the handling unit appeals; the Wuhan rating
 * office upholds (the rating is voided: the supervision figures stop counting it, the rater reads the
 * reason) or rejects (back to rectification). Refusals: another unit (404), a second appeal (409), a
 * good rating (409), a stale version (409), a short statement (400 naming the field).
 */
let t: TestApp;
let applicant: SignedIn;
let clerk: SignedIn;
let otherOrgClerk: SignedIn;
let office: SignedIn;
let dayeSupervisor: SignedIn;
let foodJiangan: string;
let uscc: string;

interface FormDef {
  fields: { name: string; type: string; label: string }[];
}
interface RatingJson {
  id: string;
  caseId: string;
  score: number;
  rectificationState: string | null;
  rectificationDueOn: string | null;
  appeal: { category: string; decision: string | null; decisionReason: string | null } | null;
  version: number;
}

const html = { accept: 'text/html' };


/** A closed (不予受理) 江岸区 case rated `score` stars by the applicant; its rating as the unit's clerk reads it. */
async function ratedCase(score: number): Promise<RatingJson> {
  const r = await sql<{ form: FormDef; elements: { materials: { code: string; name: string; required: boolean; fromSharing: boolean }[] } }>`
    SELECT v.form, v.elements FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id WHERE i.id = ${foodJiangan}`.execute(t.platform.db);
  const { form, elements } = r.rows[0]!;
  const chosen = [];
  for (const m of elements.materials.filter((x) => x.required && !x.fromSharing)) {
    const body = multipart([{ name: 'file', filename: `${m.name}.pdf`, content: SAMPLES.pdf, type: 'application/pdf' }]);
    const up = await t.app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(m.name)}`, headers: { ...applicant.headers, 'content-type': body.contentType }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(201);
    chosen.push({ code: m.code, attachmentId: up.json<{ attachmentId: string }>().attachmentId });
  }
  const values = fillForm(form as never, { idNumber: validCitizenId(), mobile: randomMobile(), uscc, name: '李四' });
  const applied = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...applicant.headers, 'idempotency-key': crypto.randomUUID() }, payload: { itemId: foodJiangan, values, materials: chosen } });
  expect(applied.statusCode, applied.body).toBe(201);
  const c = applied.json<{ case: { id: string; version: number } }>().case;
  const refused = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/refuse-acceptance`, headers: clerk.headers, payload: { version: c.version, reason: '申请事项依法不需要取得行政许可' } });
  expect(refused.statusCode, refused.body).toBe(200);
  const rated = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/rating`, headers: applicant.headers, payload: { score, reasons: score <= 2 ? ['结果不满意'] : [], comment: score <= 2 ? '不予受理不合理' : '' } });
  expect(rated.statusCode, rated.body).toBe(201);
  const list = await t.app.inject({ method: 'GET', url: '/api/ratings?page=1', headers: clerk.headers });
  expect(list.statusCode, list.body).toBe(200);
  const rating = list.json<{ items: RatingJson[] }>().items.find((x) => x.caseId === c.id);
  expect(rating).toBeDefined();
  return rating!;
}

const appeal = (who: SignedIn, r: { id: string; version: number }, body: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: `/api/ratings/${r.id}/appeal`, headers: who.headers, payload: { version: r.version, category: 'malicious', statement: '评价人在不予受理前已被告知无需许可，系恶意差评。', ...body } });
const decide = (who: SignedIn, r: { id: string; version: number }, decision: 'upheld' | 'rejected', reason: string) =>
  t.app.inject({ method: 'POST', url: `/api/ratings/${r.id}/appeal/decision`, headers: who.headers, payload: { version: r.version, decision, reason } });

/** The Wuhan supervisor's dashboard figures for the 江岸区 market-supervision bureau. */
async function figures(organisationId: string): Promise<{ ratings: number; badRatings: number; avgScore: number | null }> {
  const r = await t.app.inject({ method: 'GET', url: '/api/supervision/summary?code=420102', headers: office.headers });
  expect(r.statusCode, r.body).toBe(200);
  const row = r.json<{ figures: { key: string; ratings: number; badRatings: number; avgScore: number | null }[] }>().figures.find((f) => f.key === organisationId);
  return row ? { ratings: row.ratings, badRatings: row.badRatings, avgScore: row.avgScore } : { ratings: 0, badRatings: 0, avgScore: null };
}

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoAccounts(t);
  await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
  const items = await sql<{ id: string; organisation_name: string }>`SELECT id, organisation_name FROM catalog.implementation_item WHERE name = '食品经营许可'`.execute(t.platform.db);
  foodJiangan = items.rows.find((r) => r.organisation_name === '武汉市江岸区市场监督管理局')!.id;
  uscc = demoLogins().find((l) => l.role.startsWith('法人用户'))!.login;
  applicant = await signIn(t.app, uscc);
  const staff = async (roles: ('clerk' | 'org_head' | 'jurisdiction_supervisor')[], org: string) => {
    const a = await buildStaffAccount(t, { roles, organisations: [org] });
    return signIn(t.app, a.loginName, a.password);
  };
  clerk = await staff(['clerk'], '武汉市江岸区市场监督管理局');
  otherOrgClerk = await staff(['clerk'], '武汉市江岸区政务服务和大数据管理局');
  dayeSupervisor = await staff(['jurisdiction_supervisor'], '大冶市政务服务和大数据管理局');
  office = await signIn(t.app, 'supervisor.wuhan');
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('appeal of a bad rating (差评申诉)', () => {
  it('upheld: the rating is voided, the supervision figures no longer count it, and the rater reads the reason', async () => {
    const rating = await ratedCase(1);
    expect(rating).toMatchObject({ score: 1, rectificationState: 'ASSIGNED', appeal: null });
    const orgId = (await sql<{ organisation_id: string }>`SELECT organisation_id FROM cases.rating WHERE id = ${rating.id}`.execute(t.platform.db)).rows[0]!.organisation_id;
    const before = await figures(orgId);
    expect(before.ratings).toBeGreaterThanOrEqual(1);
    expect(before.badRatings).toBeGreaterThanOrEqual(1);

    const filed = await appeal(clerk, rating);
    expect(filed.statusCode, filed.body).toBe(200);
    const appealed = filed.json<RatingJson>();
    expect(appealed).toMatchObject({ rectificationState: 'APPEALED', appeal: { category: 'malicious', decision: null } });
    // The rating office's queue: API and page
    const queue = await t.app.inject({ method: 'GET', url: '/api/ratings?state=APPEALED', headers: office.headers });
    expect(queue.json<{ items: RatingJson[] }>().items.map((x) => x.id)).toContain(rating.id);
    const page = await t.app.inject({ method: 'GET', url: '/workbench/ratings/appeals', headers: { ...html, cookie: office.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('差评申诉复核');
    expect(page.body).toContain('恶意差评');
    // The unit may not send feedback while the appeal is under review
    const caseId = rating.caseId;
    const fb = await postForm(t.app, `/workbench/ratings/${caseId}/feedback`, clerk, { version: String(appealed.version), outcome: 'explained', feedback: '情况说明' });
    expect(fb.statusCode).toBe(409);
    // A 大冶市 supervisor does not see it; the Wuhan office decides (form: a missing reason is named)
    expect((await decide(dayeSupervisor, appealed, 'upheld', '恶意差评')).statusCode).toBe(404);
    const noReason = await postForm(t.app, `/workbench/ratings/appeals/${rating.id}/decision`, office, { version: String(appealed.version), decision: 'upheld', reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('请填写复核理由');
    const stale = await decide(office, { id: rating.id, version: rating.version }, 'upheld', '经核实评价人系恶意差评');
    expect(stale.statusCode).toBe(409);
    const upheld = await postForm(t.app, `/workbench/ratings/appeals/${rating.id}/decision`, office, { version: String(appealed.version), decision: 'upheld', reason: '经调取录音核实，评价内容与事实不符' });
    expect(upheld.statusCode, upheld.body).toBe(303);
    const after = (await t.app.inject({ method: 'GET', url: '/api/ratings?state=VOIDED', headers: office.headers })).json<{ items: RatingJson[] }>().items.find((x) => x.id === rating.id);
    expect(after).toMatchObject({ rectificationState: 'VOIDED', appeal: { decision: 'upheld', decisionReason: '经调取录音核实，评价内容与事实不符' } });
    // Statistics: the voided rating counts nowhere
    const now = await figures(orgId);
    expect(now.ratings).toBe(before.ratings - 1);
    expect(now.badRatings).toBe(before.badRatings - 1);
    // The rater: the note on the case page, and an inbox message with the reason
    const mine = await t.app.inject({ method: 'GET', url: `/account/cases/${caseId}`, headers: { ...html, cookie: applicant.cookie } });
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain('认定为无效评价');
    expect(mine.body).toContain('经调取录音核实，评价内容与事实不符');
    const raterId = (await sql<{ rater_account_id: string }>`SELECT rater_account_id FROM cases.rating WHERE id = ${rating.id}`.execute(t.platform.db)).rows[0]!.rater_account_id;
    const jobs = await sql<{ n: number }>`SELECT count(*)::int AS n FROM platform.notification WHERE recipient_account_id = ${raterId} AND body LIKE '%经调取录音核实%'`.execute(t.platform.db);
    expect(Number(jobs.rows[0]!.n)).toBe(1);
    // Audited
    const audits = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${rating.id} ORDER BY id`.execute(t.platform.db);
    expect(audits.rows.map((a) => a.action)).toEqual(expect.arrayContaining(['case.rating.appeal', 'case.rating.appeal.decide']));
  });

  it('rejected: back to rectification with the original deadline; one appeal per rating (409)', async () => {
    const rating = await ratedCase(2);
    const appealed = (await appeal(clerk, rating, { category: 'mistaken', statement: '评价人误将其他窗口的服务评价到本办件。' })).json<RatingJson>();
    expect(appealed.rectificationState).toBe('APPEALED');
    const r = await decide(office, appealed, 'rejected', '评价内容与本办件相符，申诉理由不成立');
    expect(r.statusCode, r.body).toBe(200);
    const rejected = r.json<RatingJson>();
    expect(rejected).toMatchObject({ rectificationState: 'ASSIGNED', rectificationDueOn: rating.rectificationDueOn, appeal: { decision: 'rejected' } });
    // Second appeal refused
    const again = await appeal(clerk, rejected);
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json<{ detail: string }>().detail).toContain('只能申诉一次');
    // The unit's appeal record, and the appeal page shows the record instead of a form
    const record = await t.app.inject({ method: 'GET', url: '/workbench/ratings/appealed', headers: { ...html, cookie: clerk.cookie } });
    expect(record.statusCode).toBe(200);
    expect(record.body).toContain('申诉不成立，继续整改');
    expect(record.body).toContain('评价内容与本办件相符，申诉理由不成立');
    const again2 = await t.app.inject({ method: 'GET', url: `/workbench/ratings/${rating.id}/appeal`, headers: { ...html, cookie: clerk.cookie } });
    expect(again2.statusCode).toBe(200);
    expect(again2.body).toContain('每条差评只能申诉一次');
    expect(again2.body).not.toContain('提交申诉');
    // The rectification list shows it again, with the appeal's outcome
    const list = await t.app.inject({ method: 'GET', url: '/workbench/ratings', headers: { ...html, cookie: clerk.cookie } });
    expect(list.body).toContain('申诉不成立');
    // The workbench home's 差评整改 card counts the open ones; the feedback takes one off.
    const waiting = async () => {
      const home = await t.app.inject({ method: 'GET', url: '/workbench', headers: { ...html, cookie: clerk.cookie } });
      return home.body.includes('没有待整改的差评') ? 0 : Number(/待整改 (\d+) 件/.exec(home.body)?.[1]);
    };
    const before = await waiting();
    expect(before).toBeGreaterThan(0);
    const fb = await postForm(t.app, `/workbench/ratings/${rating.caseId}/feedback`, clerk, { version: String(rejected.version), outcome: 'rectified', feedback: '已向申请人补充解释不予受理的依据' });
    expect(fb.statusCode).toBe(303);
    expect(await waiting()).toBe(before - 1);
  });

  it('refuses another unit (404), a good rating (409), a stale version (409) and a short statement (400, field named)', async () => {
    const bad = await ratedCase(1);
    expect((await appeal(otherOrgClerk, bad)).statusCode).toBe(404);
    expect((await appeal(office, bad)).statusCode).toBe(403);
    const short = await appeal(clerk, bad, { statement: '太短了' });
    expect(short.statusCode).toBe(400);
    expect(short.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain('statement');
    expect((await appeal(clerk, { id: bad.id, version: bad.version + 5 })).statusCode).toBe(409);
    // The form shows the errors again and keeps what was typed
    const form = await postForm(t.app, `/workbench/ratings/${bad.id}/appeal`, clerk, { version: String(bad.version), category: 'other', statement: '短' });
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('error-summary');
    expect(form.body).toContain('申诉说明');
    expect(form.body).toMatch(/value="other" checked/);
    const good = await ratedCase(4);
    const r = await appeal(clerk, good);
    expect(r.statusCode).toBe(409);
    expect(r.json<{ detail: string }>().detail).toContain('只有差评');
  });
});
