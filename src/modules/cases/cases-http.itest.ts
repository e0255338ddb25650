import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaffAccount, randomIp, randomMobile, seedDemoAccounts, signIn, validCitizenId, type SignedIn } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { demoLogins } from '../identity/index.ts';
import { fillForm } from './test-fixtures.ts';
import { CaseRepository } from './case.repository.ts';
import { multipart } from '../../../test/support/multipart.ts';

/**
 * The cases module over HTTP on the seeded demo data: an enterprise applies for 食品经营许可 of
 * 江岸区市场监督管理局 through the API (idempotent) and the page (validation, disguised files),
 * the cross-county isolation matrix (江岸区 vs 大冶市), concurrency 409, progress query, unmask audit, PDFs.
 */
let t: TestApp;
let applicant: SignedIn;
let jiangan: { clerk: SignedIn; clerk2: SignedIn; head: SignedIn; otherOrgClerk: SignedIn };
let daye: { clerk: SignedIn; supervisor: SignedIn };
let wuhanSupervisor: SignedIn;
let foodJiangan: string;
let uscc: string;

interface FormDef {
  fields: { name: string; type: string; label: string; options?: { value: string }[]; showIf?: unknown; min?: number; prefill?: string }[];
}


async function uploadMaterial(who: SignedIn, label: string, content: Buffer = SAMPLES.pdf, filename = `${label}.pdf`) {
  const body = multipart([{ name: 'file', filename, content, type: 'application/pdf' }]);
  return t.app.inject({ method: 'POST', url: `/api/case-materials?label=${encodeURIComponent(label)}`, headers: { ...who.headers, 'content-type': body.contentType }, payload: body.payload });
}

async function itemForm(itemId: string): Promise<{ form: FormDef; materials: { code: string; name: string; required: boolean }[] }> {
  const r = await sql<{ form: FormDef; elements: { materials: { code: string; name: string; required: boolean; fromSharing: boolean }[] } }>`
    SELECT v.form, v.elements FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id WHERE i.id = ${itemId}`.execute(t.platform.db);
  const row = r.rows[0]!;
  return { form: row.form, materials: row.elements.materials.filter((m) => !m.fromSharing) };
}

async function apply(key = crypto.randomUUID()) {
  const { form, materials } = await itemForm(foodJiangan);
  const chosen = [];
  for (const m of materials.filter((x) => x.required)) {
    const up = await uploadMaterial(applicant, m.name);
    expect(up.statusCode).toBe(201);
    chosen.push({ code: m.code, attachmentId: up.json<{ attachmentId: string }>().attachmentId });
  }
  const values = fillForm(form as never, { idNumber: validCitizenId(), mobile: randomMobile(), uscc, name: '李四' });
  return t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...applicant.headers, 'idempotency-key': key }, payload: { itemId: foodJiangan, values, materials: chosen } });
}

const html = { accept: 'text/html' };

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
  jiangan = {
    clerk: await staff(['clerk'], '武汉市江岸区市场监督管理局'),
    clerk2: await staff(['clerk'], '武汉市江岸区市场监督管理局'),
    head: await staff(['org_head'], '武汉市江岸区市场监督管理局'),
    otherOrgClerk: await staff(['clerk'], '武汉市江岸区政务服务和大数据管理局'),
  };
  daye = { clerk: await staff(['clerk'], '大冶市市场监督管理局'), supervisor: await staff(['jurisdiction_supervisor'], '大冶市政务服务和大数据管理局') };
  wuhanSupervisor = await signIn(t.app, 'supervisor.wuhan');
}, 600_000);
afterAll(async () => {
  await t?.stop();
});

describe('application over the API', () => {
  it('submits once per Idempotency-Key: a retry returns the same case (200) with the same password', async () => {
    const key = crypto.randomUUID();
    const first = await apply(key);
    expect(first.statusCode, first.body).toBe(201);
    const body = first.json<{ case: { id: string; caseNo: string; state: string; itemName: string }; queryPassword: string }>();
    expect(body.case).toMatchObject({ state: 'SUBMITTED', itemName: '食品经营许可' });
    const retry = await apply(key);
    expect(retry.statusCode).toBe(200);
    expect(retry.json<{ case: { id: string }; queryPassword: string }>()).toMatchObject({ case: { id: body.case.id }, queryPassword: body.queryPassword });
  });

  it('refuses a disguised file (an executable named .pdf) with the reason', async () => {
    const r = await uploadMaterial(applicant, '平面图', SAMPLES.exe, 'plan.pdf');
    expect(r.statusCode).toBe(415);
    expect(r.json<{ detail: string }>().detail).toMatch(/内容与其类型不符|不在允许范围内/);
  });

  it('answers problem+json naming the fields when the form is wrong and materials are missing', async () => {
    const r = await t.app.inject({ method: 'POST', url: '/api/cases', headers: { ...applicant.headers, 'idempotency-key': crypto.randomUUID() }, payload: { itemId: foodJiangan, values: {}, materials: [] } });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const fields = r.json<{ errors: { field: string; message: string }[] }>().errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['entityName', 'applicantMobile']));
    expect(fields.some((f) => f.startsWith('material-'))).toBe(true);
  });

  it('the apply page shows the form again with an error summary and keeps what was typed', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/services/${foodJiangan}/apply`, headers: { ...html, cookie: applicant.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('在线申请');
    const token = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
    const body = multipart([
      { name: '_csrf', value: applicant.csrf },
      { name: 'token', value: token },
      { name: 'entityName', value: '江岸示例餐饮' },
    ]);
    const r = await t.app.inject({ method: 'POST', url: `/services/${foodJiangan}/apply?_csrf=${applicant.csrf}`, headers: { ...html, cookie: applicant.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(r.statusCode).toBe(400);
    expect(r.body).toContain('error-summary');
    expect(r.body).toContain('value="江岸示例餐饮"');
  });
});

describe('cross-county isolation (江岸区 vs 大冶市)', () => {
  it('a 大冶市 clerk or supervisor, or another 江岸区 department, cannot see or act on a 江岸区 case; the handling unit and the Wuhan supervisor can', async () => {
    const c = (await apply()).json<{ case: { id: string; caseNo: string; version: number } }>().case;
    for (const who of [daye.clerk, daye.supervisor, jiangan.otherOrgClerk]) {
      const list = await t.app.inject({ method: 'GET', url: '/workbench/cases?box=all', headers: { ...html, cookie: who.cookie } });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(c.caseNo);
      expect((await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}`, headers: { ...html, cookie: who.cookie } })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: who.headers })).statusCode).toBe(404);
      const act = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers: who.headers, payload: { version: c.version } });
      expect(act.statusCode).toBe(404);
      const api = await t.app.inject({ method: 'GET', url: '/api/cases?box=all', headers: who.headers });
      expect(api.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(c.id);
    }
    for (const who of [jiangan.clerk, wuhanSupervisor]) {
      const list = await t.app.inject({ method: 'GET', url: '/workbench/cases?box=all', headers: { ...html, cookie: who.cookie } });
      expect(list.body).toContain(c.caseNo);
      expect((await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}`, headers: { ...html, cookie: who.cookie } })).statusCode).toBe(200);
    }
    // The Wuhan supervisor sees but cannot accept (role), the clerk accepts.
    const sup = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers: wuhanSupervisor.headers, payload: { version: c.version } });
    expect(sup.statusCode).toBe(403);
    const ok = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers: jiangan.clerk.headers, payload: { version: c.version } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'IN_PROCESS', node: '受理' }); // the default workflow's first step (受理 → 审查 → 决定 → 办结)
  });
});

describe('staff actions over HTTP', () => {
  it('the workbench home shows what waits behind 办件: the position’s to-do count, as the list counts it', async () => {
    await apply();
    for (const [who, some] of [[jiangan.clerk, true], [daye.clerk, false]] as const) {
      const list = await t.app.inject({ method: 'GET', url: '/workbench/cases', headers: { ...html, cookie: who.cookie } });
      const todo = Number(/box=todo"[^>]*>待办（(\d+)）/.exec(list.body)?.[1]);
      expect(Number.isInteger(todo)).toBe(true);
      expect(todo > 0).toBe(some); // the case just filed waits in 江岸区, not in 大冶市
      const home = await t.app.inject({ method: 'GET', url: '/workbench', headers: { ...html, cookie: who.cookie } });
      expect(home.statusCode).toBe(200);
      expect(home.body).toMatch(new RegExp(`<a class="card" href="/workbench/cases"><strong>办件</strong><br><span class="waiting">待办 ${todo} 件`));
    }
  });

  it('two clerks at once: one wins, the other gets 409 with a clear message', async () => {
    const c = (await apply()).json<{ case: { id: string; version: number } }>().case;
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers: jiangan.clerk.headers, payload: { version: c.version } }),
      t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/correction`, headers: jiangan.clerk2.headers, payload: { version: c.version, items: [{ label: '平面图', problem: '未标明面积' }] } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.headers['content-type']).toContain('application/problem+json');
    expect(loser.json<{ detail: string }>().detail).toMatch(/刷新|不能执行/);
  });

  it('the page form: a correction notice lists everything; the applicant sees it; the generated notice is a PDF', async () => {
    const c = (await apply()).json<{ case: { id: string; version: number; caseNo: string } }>().case;
    const empty = await t.app.inject({ method: 'POST', url: `/workbench/cases/${c.id}/correction`, headers: { ...html, cookie: jiangan.clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ _csrf: jiangan.clerk.csrf, version: String(c.version), items: '' }).toString() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('至少列出一项需要补正的内容');
    const r = await t.app.inject({
      method: 'POST',
      url: `/workbench/cases/${c.id}/correction`,
      headers: { ...html, cookie: jiangan.clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: jiangan.clerk.csrf, version: String(c.version), items: '经营场所平面图：未标明功能区\n规章制度：缺少进货查验记录制度' }).toString(),
    });
    expect(r.statusCode).toBe(303);
    const mine = await t.app.inject({ method: 'GET', url: `/account/cases/${c.id}`, headers: { ...html, cookie: applicant.cookie } });
    expect(mine.body).toContain('需补正');
    expect(mine.body).toContain('缺少进货查验记录制度');
    const pdf = await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}/documents/correction.pdf`, headers: { cookie: jiangan.clerk.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('unmasking applicant data is audited; lists show masks only', async () => {
    const c = (await apply()).json<{ case: { id: string; caseNo: string } }>().case;
    const page = await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}`, headers: { ...html, cookie: jiangan.clerk.cookie } });
    expect(page.body).toMatch(/1\d{2}\*{4}\d{4}/);
    const r = await t.app.inject({ method: 'POST', url: `/workbench/cases/${c.id}/unmask`, headers: { ...html, cookie: jiangan.clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${jiangan.clerk.csrf}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('本次查看已记入审计日志');
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit.entry WHERE action = 'case.unmask' AND object_id = ${c.id}`.execute(t.platform.db);
    expect(audit.rows[0]!.n).toBe(1);
  });
});

describe('progress query (进度查询)', () => {
  it('answers with number + password, refuses a wrong pair without saying which, and is rate limited', async () => {
    const body = (await apply()).json<{ case: { caseNo: string }; queryPassword: string }>();
    const ip = randomIp();
    const okRes = await t.app.inject({ method: 'POST', url: '/api/progress', remoteAddress: ip, payload: { caseNo: body.case.caseNo, password: body.queryPassword } });
    expect(okRes.statusCode).toBe(200);
    expect(okRes.json()).toMatchObject({ caseNo: body.case.caseNo, status: '已提交', itemName: '食品经营许可' });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/progress', remoteAddress: ip, payload: { caseNo: body.case.caseNo, password: body.queryPassword === '000000' ? '111111' : '000000' } });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json<{ detail: string }>().detail).toBe('办件编号或查询密码不正确');
    let last = 0;
    for (let i = 0; i < 10; i += 1) last = (await t.app.inject({ method: 'POST', url: '/api/progress', remoteAddress: ip, payload: { caseNo: body.case.caseNo, password: '123456' } })).statusCode;
    expect(last).toBe(429);
  });

  it('answers simultaneous queries each with its own case (lookups batched into one query), a wrong password among them refused alone', async () => {
    const filed = [];
    for (let i = 0; i < 3; i += 1) filed.push((await apply()).json<{ case: { caseNo: string }; queryPassword: string }>());
    const asks = [...filed, ...filed].map((f, i) => ({ caseNo: f.case.caseNo, password: i === 4 ? (f.queryPassword === '000000' ? '111111' : '000000') : f.queryPassword }));
    asks.push({ caseNo: 'ZW-NO-SUCH-CASE-1', password: '123456' });
    const answers = await Promise.all(asks.map((a) => t.app.inject({ method: 'POST', url: '/api/progress', remoteAddress: randomIp(), payload: a })));
    answers.forEach((r, i) => {
      if (i === 4 || i === 6) expect(r.statusCode, `ask ${i}`).toBe(404);
      else {
        expect(r.statusCode, `ask ${i}`).toBe(200);
        expect(r.json<{ caseNo: string }>().caseNo).toBe(asks[i]!.caseNo);
      }
    });
    const byNumbers = await new CaseRepository(t.platform.db).progressByNumbers([filed[0]!.case.caseNo, filed[1]!.case.caseNo, filed[0]!.case.caseNo, 'ZW-NO-SUCH-CASE-1']);
    expect([...byNumbers.keys()].sort()).toEqual([filed[0]!.case.caseNo, filed[1]!.case.caseNo].sort());
  });
});

describe('the approval workflow over HTTP (issue 3)', () => {
  it('我的待办 and 抄送我的 come from the engine; the flow API; 转办 to a named colleague; refusals name the field', async () => {
    const c = (await apply()).json<{ case: { id: string; version: number; caseNo: string } }>().case;
    const acc = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/accept`, headers: jiangan.clerk.headers, payload: { version: c.version } });
    expect(acc.statusCode, acc.body).toBe(200);
    let version = acc.json<{ version: number }>().version;
    const mineBox = await t.app.inject({ method: 'GET', url: '/workbench/cases?box=mine', headers: { ...html, cookie: jiangan.clerk.cookie } });
    expect(mineBox.statusCode).toBe(200);
    expect(mineBox.body).toContain(c.caseNo);
    expect(mineBox.body).toContain('我的待办');
    const flow = await t.app.inject({ method: 'GET', url: `/api/cases/${c.id}/flow`, headers: jiangan.clerk.headers });
    expect(flow.statusCode, flow.body).toBe(200);
    const f = flow.json<{ key: string; open: { id: string; name: string; dueAt: string | null }[]; mine: string[] }>();
    expect(f).toMatchObject({ key: 'default', open: [{ name: '受理' }] });
    expect(f.mine).toEqual([f.open[0]!.id]);
    // The page form: no receiver → 400, the form again with the field named in Chinese
    const empty = await t.app.inject({
      method: 'POST',
      url: `/workbench/cases/${c.id}/flow/transfer`,
      headers: { ...html, cookie: jiangan.clerk.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: jiangan.clerk.csrf, version: String(version), taskId: f.open[0]!.id, to: '' }).toString(),
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('请填写接收人');
    const colleague = (jiangan.clerk2.actor as { accountId: string }).accountId;
    const moved = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/flow/transfer`, headers: jiangan.clerk.headers, payload: { version, taskId: f.open[0]!.id, to: [colleague], comment: '请李办事处理' } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<{ tasks: { assignee: string }[] }>().tasks[0]!.assignee).toBe(colleague);
    version = moved.json<{ caseVersion: number }>().caseVersion;
    const refused = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/actions/pass`, headers: jiangan.clerk.headers, payload: { version } });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    const theirs = await t.app.inject({ method: 'GET', url: '/workbench/cases?box=mine', headers: { ...html, cookie: jiangan.clerk2.cookie } });
    expect(theirs.body).toContain(c.caseNo);
    const page = await t.app.inject({ method: 'GET', url: `/workbench/cases/${c.id}`, headers: { ...html, cookie: jiangan.clerk2.cookie } });
    expect(page.body).toContain('审批流程');
    expect(page.body).toContain('受理环节：通过');
    // the open step's deadline is shown as the end of its last day (stored as the next midnight, Asia/Shanghai)
    const due = Date.parse(f.open[0]!.dueAt ?? '');
    expect(due).not.toBeNaN();
    expect(page.body).toContain(`<td>${new Date(due + 8 * 3600_000 - 1).toISOString().slice(0, 10)} 24:00</td>`);
    expect(page.body).not.toContain(`${new Date(due + 8 * 3600_000).toISOString().slice(0, 10)} 00:00`);
    const copied = await t.app.inject({ method: 'POST', url: `/api/cases/${c.id}/flow/copy`, headers: jiangan.clerk2.headers, payload: { version, to: [(jiangan.head.actor as { accountId: string }).accountId] } });
    expect(copied.statusCode, copied.body).toBe(200);
    const box = await t.app.inject({ method: 'GET', url: '/workbench/cases?box=copied', headers: { ...html, cookie: jiangan.head.cookie } });
    expect(box.body).toContain(c.caseNo);
  });
});
