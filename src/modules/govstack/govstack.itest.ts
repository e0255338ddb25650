import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { buildStaffAccount, randomMobile, seedDemoAccounts, signIn, validCitizenId, type SignedIn } from '../../../test/support/identity.ts';
import { SAMPLES } from '../../../test/support/file-samples.ts';
import { demoLogins } from '../identity/index.ts';
import { multipart } from '../../../test/support/multipart.ts';

/**
 * The GovStack Registration BB API on the real database and the seeded catalog: every path,
 * every response validated against the spec's own schemas (ajv, $refs resolved), one full flow
 * (services → eForm → documents → application → a case in our workbench → tasks completed →
 * status through GovStack) and the bad input the spec's clients will send.
 */
const SPEC_DIR = new URL('./spec/', import.meta.url); // copied from the shared specs folder (Apache-2.0)
const IM = { 'information-mediator-client': 'eGovStack/GOV/90000009/zhengwu-test' };

type Spec = { components: { schemas: Record<string, Record<string, unknown>> } };
function loadSpec(file: string, id: string): Spec {
  const spec = JSON.parse(readFileSync(new URL(file, SPEC_DIR), 'utf8')) as Spec & { $id?: string };
  spec.$id = id;
  return spec;
}

const main = loadSpec('GovStack_Registration_BB_API.json', 'govstack-main');
const stats = loadSpec('GovStack_Registration_BB_API_statistics.json', 'govstack-stats');
// The one documented relaxation (docs/govstack.md): the spec types form-data values as objects, but its
// own ExamplePayload.json carries strings, booleans and arrays, as every real form does.
const relaxed = (s: Record<string, unknown>) => ({ ...s, additionalProperties: true });
const sch = main.components.schemas;
sch.formData = { ...sch.formData!, properties: { ...(sch.formData!.properties as object), data: relaxed((sch.formData!.properties as Record<string, Record<string, unknown>>).data!) } };
sch.additionalData = { ...sch.additionalData!, properties: { data: relaxed((sch.additionalData!.properties as Record<string, Record<string, unknown>>).data!) } };
const dut = sch.dataUserTaskResponse!.properties as Record<string, Record<string, unknown>>;
dut.formVariables = relaxed(dut.formVariables!);
dut.data = relaxed(dut.data!);

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('base64', true);
ajv.addFormat('int32', true);
ajv.addSchema(main);
ajv.addSchema(stats);
const validators = new Map<string, ValidateFunction>();
function conforms(ref: string, body: unknown, array = false): void {
  const key = `${ref}${array ? '[]' : ''}`;
  const one = { $ref: ref.includes('#') ? ref : `govstack-main#/components/schemas/${ref}` };
  const v = validators.get(key) ?? ajv.compile(array ? { type: 'array', items: one } : one);
  validators.set(key, v);
  const okay = v(body);
  expect(okay ? null : { ref, errors: v.errors, body }).toBeNull();
}
const isSystemError = (body: unknown) => conforms('systemError', body);

let t: TestApp;
let applicant: SignedIn;
let applicantId: string;
let clerk: SignedIn;
let head: SignedIn;
let otherClerk: SignedIn;
let foodId: string;
let suspendedId: string;


async function upload(who: SignedIn, materialCode: string | null, content: Buffer = SAMPLES.pdf, filename = 'material.pdf', type = 'application/pdf') {
  const body = multipart([{ name: 'file', filename, content, type }]);
  const q = materialCode ? `?additionalMetadata=${encodeURIComponent(materialCode)}` : '';
  return t.app.inject({ method: 'POST', url: `/govstack/documents${q}`, headers: { ...who.headers, 'content-type': body.contentType }, payload: body.payload });
}

interface FormField {
  name: string;
  type: string;
  options?: { value: string }[];
  min?: number;
  prefill?: string;
}

/** Valid values for the item's form, by field type: what a careful applicant would type. */
function fillForm(form: { fields: FormField[] }, p: { idNumber: string; mobile: string; uscc: string; name: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of form.fields) {
    const byType: Record<string, unknown> = {
      idNumber: p.idNumber,
      mobile: p.mobile,
      uscc: p.uscc,
      email: 'applicant@example.cn',
      date: '2026-01-05',
      number: String(f.min ?? 10),
      select: f.options?.[0]?.value ?? '',
      radio: f.options?.[0]?.value ?? '',
      checkbox: f.options ? [f.options[0]!.value] : 'on',
      address: '武汉市江岸区解放大道 1 号',
    };
    out[f.name] = f.type in byType ? byType[f.type] : f.prefill === 'applicant.name' || f.prefill === 'enterprise.legalRepresentative' ? p.name : '示例内容';
  }
  return out;
}

interface EFormBody {
  eFormId: string;
  schema: { properties: Record<string, unknown>; required?: string[] };
}

beforeAll(async () => {
  t = await startTestApp();
  await seedDemoAccounts(t);
  await t.modules.find((m) => m.name === 'catalog')?.seed?.(t.platform);
  const items = await sql<{ id: string; name: string; version: number }>`
    SELECT id, name, version FROM catalog.implementation_item WHERE organisation_name = '武汉市江岸区市场监督管理局' AND status = 'published' ORDER BY name`.execute(t.platform.db);
  foodId = items.rows.find((r) => r.name === '食品经营许可')!.id;
  const other = items.rows.find((r) => r.name !== '食品经营许可')!;
  applicant = await signIn(t.app, demoLogins().find((l) => l.role.startsWith('法人用户'))!.login);
  applicantId = String(applicant.actor.accountId);
  const staff = async (roles: ('clerk' | 'org_head')[], org: string) => {
    const a = await buildStaffAccount(t, { roles, organisations: [org] });
    return signIn(t.app, a.loginName, a.password);
  };
  clerk = await staff(['clerk'], '武汉市江岸区市场监督管理局');
  head = await staff(['org_head'], '武汉市江岸区市场监督管理局');
  otherClerk = await staff(['clerk'], '大冶市市场监督管理局');
  // An item taken out of service (暂停办理) through the catalog's own command.
  const s = await t.app.inject({ method: 'POST', url: `/api/catalog/items/${other.id}/suspend`, headers: head.headers, payload: { version: other.version, comment: '接口测试：暂停办理' } });
  expect(s.statusCode, s.body).toBe(200);
  suspendedId = other.id;
}, 600_000);

afterAll(async () => {
  await t?.stop();
});

describe('GovStack Registration BB API', () => {
  let eForm: EFormBody;
  let fileId: string;
  let documentUrls: string[];
  let values: Record<string, unknown>;

  it('lists services (published items) and finds one by name', async () => {
    const all = await t.app.inject({ method: 'GET', url: '/govstack/services' });
    expect(all.statusCode).toBe(200);
    conforms('service', all.json(), true);
    expect(all.json<unknown[]>().length).toBeGreaterThan(0);
    const r = await t.app.inject({ method: 'GET', url: `/govstack/services?name=${encodeURIComponent('食品经营许可')}` });
    conforms('service', r.json(), true);
    const food = r.json<{ id: string; name: string; isExecutable: boolean }[]>().find((s) => s.id === foodId);
    expect(food).toMatchObject({ name: '食品经营许可', isExecutable: true });
    expect(r.json<{ id: string }[]>().some((s) => s.id === suspendedId)).toBe(false);
  });

  it('shows one service with its elements, and 404 for an unknown or suspended one', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/govstack/services/${foodId}` });
    expect(r.statusCode).toBe(200);
    conforms('service', r.json());
    expect(r.json<{ serviceBody: { code: string }[] }>().serviceBody.some((p) => p.code.startsWith('material:'))).toBe(true);
    const unknown = await t.app.inject({ method: 'GET', url: `/govstack/services/${crypto.randomUUID()}` });
    expect(unknown.statusCode).toBe(404);
    isSystemError(unknown.json());
    const suspended = await t.app.inject({ method: 'GET', url: `/govstack/services/${suspendedId}` });
    expect(suspended.statusCode).toBe(404);
    expect(suspended.json<{ localizedMessage: string }>().localizedMessage).toContain('停止办理');
  });

  it('lists the eForms of a service and returns one with its JSON Schema', async () => {
    const list = await t.app.inject({ method: 'GET', url: `/govstack/services/${foodId}/eForms` });
    expect(list.statusCode).toBe(200);
    conforms('EFormListItem', list.json(), true);
    const latest = list.json<{ eFormId: string; latest: boolean }[]>().find((f) => f.latest)!;
    expect(latest).toBeDefined();
    const one = await t.app.inject({ method: 'GET', url: `/govstack/eForms/${latest.eFormId}` });
    expect(one.statusCode).toBe(200);
    conforms('EForm', one.json());
    eForm = one.json<EFormBody>();
    expect(Object.keys(eForm.schema.properties).length).toBeGreaterThan(0);
    const missing = await t.app.inject({ method: 'GET', url: `/govstack/eForms/${crypto.randomUUID()}` });
    expect(missing.statusCode).toBe(404);
    isSystemError(missing.json());
  });

  it('uploads the required documents into the applicant’s material library', async () => {
    const { rows } = await sql<{ elements: { materials: { code: string; required: boolean; fromSharing: boolean }[] } }>`
      SELECT v.elements FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id WHERE i.id = ${foodId}`.execute(t.platform.db);
    documentUrls = [];
    for (const m of rows[0]!.elements.materials.filter((x) => x.required && !x.fromSharing)) {
      const r = await upload(applicant, m.code);
      expect(r.statusCode, r.body).toBe(200);
      conforms('uploadResponse', r.json());
      expect(r.json<{ url: string }>().url).toContain(`materialCode=${m.code}`);
      documentUrls.push(r.json<{ url: string }>().url);
    }
    expect(documentUrls.length).toBeGreaterThan(0);
    const disguised = await upload(applicant, 'M1', Buffer.from('MZ\x90\x00 not a pdf at all'), 'evil.pdf');
    expect(disguised.statusCode).toBe(415);
    isSystemError(disguised.json());
    const staffUpload = await upload(clerk, 'M1');
    expect(staffUpload.statusCode).toBe(403);
  });

  it('refuses invalid form data field by field, in Chinese and English, and saves nothing', async () => {
    const before = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case`.execute(t.platform.db);
    const r = await t.app.inject({
      method: 'POST',
      url: `/govstack/services/${foodId}/applications`,
      headers: { ...applicant.headers, ...IM },
      payload: { applicantId, formData: { eFormId: eForm.eFormId, data: {} }, documentUrls },
    });
    expect(r.statusCode).toBe(400);
    isSystemError(r.json());
    const body = r.json<{ code: string; message: string; localizedMessage: string; errors: { field: string; message: string }[] }>();
    expect(body.code).toBe('ZW_ERR_VALIDATION');
    expect(body.errors.some((e) => e.field.startsWith('formData.data.'))).toBe(true);
    expect(body.message).toMatch(/Invalid input/);
    expect(body.localizedMessage).toMatch(/[\u4e00-\u9fa5]/);
    const after = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case`.execute(t.platform.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('refuses an unknown service, a suspended item, a missing mediator header, a foreign document, an anonymous caller', async () => {
    const payload = { applicantId, formData: { data: {} } };
    const unknown = await t.app.inject({ method: 'POST', url: `/govstack/services/${crypto.randomUUID()}/applications`, headers: { ...applicant.headers, ...IM }, payload });
    expect(unknown.statusCode).toBe(404);
    isSystemError(unknown.json());
    const suspended = await t.app.inject({ method: 'POST', url: `/govstack/services/${suspendedId}/applications`, headers: { ...applicant.headers, ...IM }, payload });
    expect(suspended.statusCode).toBe(404);
    expect(suspended.json<{ localizedMessage: string }>().localizedMessage).toContain('停止办理');
    const noHeader = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: applicant.headers, payload });
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json<{ errors: { field: string }[] }>().errors[0]!.field).toContain('information-mediator-client');
    const badDoc = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: { ...applicant.headers, ...IM }, payload: { ...payload, documentUrls: ['https://example.com/x.pdf'] } });
    expect(badDoc.statusCode).toBe(400);
    expect(badDoc.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('documentUrls[0]');
    const otherApplicant = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: { ...applicant.headers, ...IM }, payload: { ...payload, applicantId: crypto.randomUUID() } });
    expect(otherApplicant.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: IM, payload });
    expect(anonymous.statusCode).toBe(401);
    isSystemError(anonymous.json());
  });

  it('submits an application file as a case through the cases module, idempotently', async () => {
    const form = await sql<{ form: { fields: FormField[] } }>`SELECT v.form FROM catalog.implementation_item i JOIN catalog.item_version v ON v.id = i.published_version_id WHERE i.id = ${foodId}`.execute(t.platform.db);
    values = fillForm(form.rows[0]!.form, { idNumber: validCitizenId(), mobile: randomMobile(), uscc: demoLogins().find((l) => l.role.startsWith('法人用户'))!.login, name: '李四' });
    const payload = { applicationName: '江岸小吃店食品经营许可', applicantId, created: '2026-11-28T08:00:00.000Z', formData: { eFormId: eForm.eFormId, data: values }, documentUrls };
    const r = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: { ...applicant.headers, ...IM }, payload });
    expect(r.statusCode, r.body).toBe(200);
    conforms('applicationFileResponse', r.json());
    const file = r.json<{ fileId: string; serviceId: string; status: { code: string }; ended: boolean; caseNo: string; applicationData: { documentUrls: string[]; applicationName: string } }>();
    expect(file).toMatchObject({ serviceId: foodId, status: { code: 'PENDING' }, ended: false, applicationData: { applicationName: '江岸小吃店食品经营许可' } });
    expect(file.applicationData.documentUrls).toHaveLength(documentUrls.length);
    expect(file.caseNo).toBeTruthy();
    fileId = file.fileId;
    // A retry (same created + content, no key) and a retry with the same Idempotency-Key replay the same case.
    const again = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: { ...applicant.headers, ...IM }, payload });
    expect(again.json<{ fileId: string }>().fileId).toBe(fileId);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases.case WHERE applicant_account_id = ${applicantId} AND item_id = ${foodId}`.execute(t.platform.db);
    expect(n.rows[0]!.n).toBe(1);
    const audit = await sql<{ action: string }>`SELECT action FROM audit.entry WHERE object_id = ${fileId} ORDER BY id`.execute(t.platform.db);
    const actions = audit.rows.map((a) => a.action);
    expect(actions.filter((a) => a === 'govstack.application.submit')).toHaveLength(1);
    expect(actions.length).toBeGreaterThan(1); // the cases module's own submit entry
  });

  it('shows the application as a case in our workbench API, scoped', async () => {
    const mine = await t.app.inject({ method: 'GET', url: `/api/cases/${fileId}`, headers: clerk.headers });
    expect(mine.statusCode).toBe(200);
    expect(mine.json<{ state: string }>().state).toBe('SUBMITTED');
    const foreign = await t.app.inject({ method: 'GET', url: `/api/cases/${fileId}`, headers: otherClerk.headers });
    expect(foreign.statusCode).toBe(404);
  });

  it('lists application files for the applicant and the operator, filtered by service; one by id; 404 out of scope', async () => {
    for (const who of [applicant, clerk]) {
      const r = await t.app.inject({ method: 'GET', url: `/govstack/applications?serviceId=${foodId}&sortBy=created&sortOrder=desc&maxResult=10`, headers: { ...who.headers, ...IM } });
      expect(r.statusCode).toBe(200);
      conforms('applicantApplicationFileListResponse', r.json(), true);
      expect(r.json<{ fileId: string }[]>().map((x) => x.fileId)).toContain(fileId);
    }
    const foreign = await t.app.inject({ method: 'GET', url: `/govstack/applications?serviceId=${foodId}`, headers: { ...otherClerk.headers, ...IM } });
    expect(foreign.json<unknown[]>()).toEqual([]);
    const other = await t.app.inject({ method: 'GET', url: `/govstack/applications?serviceId=${suspendedId}`, headers: { ...applicant.headers, ...IM } });
    expect(other.json<unknown[]>()).toEqual([]);
    const one = await t.app.inject({ method: 'GET', url: `/govstack/applications/${fileId}`, headers: { ...clerk.headers, ...IM } });
    expect(one.statusCode).toBe(200);
    conforms('applicationFileResponse', one.json());
    const hidden = await t.app.inject({ method: 'GET', url: `/govstack/applications/${fileId}`, headers: { ...otherClerk.headers, ...IM } });
    expect(hidden.statusCode).toBe(404);
    isSystemError(hidden.json());
  });

  it('completes the tasks of the case through the cases module until the decision shows through GovStack', async () => {
    const tasks = await t.app.inject({ method: 'GET', url: `/govstack/tasks?fileId=${fileId}`, headers: clerk.headers });
    expect(tasks.statusCode).toBe(200);
    conforms('userTaskResponse', tasks.json(), true);
    const first = tasks.json<{ taskId: string; roleId: string }[]>()[0]!;
    expect(first).toMatchObject({ taskId: `${fileId}.accept`, roleId: 'clerk' });
    expect((await t.app.inject({ method: 'GET', url: `/govstack/tasks?fileId=${fileId}`, headers: otherClerk.headers })).json<unknown[]>()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/govstack/tasks', headers: applicant.headers })).json<{ fileId: string }[]>().some((x) => x.fileId === fileId)).toBe(false);

    const detail = await t.app.inject({ method: 'GET', url: `/govstack/tasks/${first.taskId}`, headers: clerk.headers });
    expect(detail.statusCode).toBe(200);
    conforms('dataUserTaskResponse', detail.json());

    const complete = async (who: SignedIn, taskId: string, data: Record<string, unknown> = {}) => t.app.inject({ method: 'POST', url: `/govstack/tasks/${taskId}/complete`, headers: who.headers, payload: { data } });
    let taskId = first.taskId;
    for (const [who, stage] of [
      [clerk, 'accept'],
      [clerk, 'undertake'],
      [clerk, 'review'],
    ] as const) {
      expect(taskId).toBe(`${fileId}.${stage}`);
      const r = await complete(who, taskId, { opinion: '材料齐全，符合法定形式' });
      expect(r.statusCode, r.body).toBe(200);
      conforms('completedTaskResponse', r.json());
      taskId = r.json<{ variables: { case: { data: { nextTaskId: string } } } }>().variables.case.data.nextTaskId;
    }
    expect(taskId).toBe(`${fileId}.approve`);
    // The clerk may not decide (role), a stale task is a conflict, an unknown task is 404.
    const byClerk = await complete(clerk, taskId);
    expect(byClerk.statusCode).toBe(403);
    isSystemError(byClerk.json());
    const stale = await complete(clerk, `${fileId}.accept`);
    expect(stale.statusCode).toBe(409);
    isSystemError(stale.json());
    expect((await complete(clerk, `${crypto.randomUUID()}.accept`)).statusCode).toBe(404);
    const badDecision = await complete(head, taskId, { decision: 'MAYBE' });
    expect(badDecision.statusCode).toBe(400);
    const decided = await complete(head, taskId, { decision: 'APPROVED', reason: '符合条件，准予许可' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json<{ status: { code: string } }>().status.code).toBe('APPROVED');

    const file = await t.app.inject({ method: 'GET', url: `/govstack/applications/${fileId}`, headers: { ...applicant.headers, ...IM } });
    conforms('applicationFileResponse', file.json());
    expect(file.json<{ status: { code: string } }>().status.code).toBe('APPROVED');
    const c = await t.app.inject({ method: 'GET', url: `/api/cases/${fileId}`, headers: head.headers });
    expect(c.json<{ state: string }>().state).toBe('APPROVED');
  });

  it('sends an application back for correction and lets the applicant complete the supplement task', async () => {
    const payload = { applicantId, created: '2026-11-28T09:00:00.000Z', formData: { eFormId: eForm.eFormId, data: values }, documentUrls };
    const r = await t.app.inject({ method: 'POST', url: `/govstack/services/${foodId}/applications`, headers: { ...applicant.headers, ...IM, 'idempotency-key': `gs-test-${crypto.randomUUID()}` }, payload });
    expect(r.statusCode, r.body).toBe(200);
    const id = r.json<{ fileId: string }>().fileId;
    const noReason = await t.app.inject({ method: 'POST', url: `/govstack/tasks/${id}.accept/complete`, headers: clerk.headers, payload: { data: { decision: 'SENDBACK' } } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('data.reason');
    const back = await t.app.inject({ method: 'POST', url: `/govstack/tasks/${id}.accept/complete`, headers: clerk.headers, payload: { data: { decision: 'SENDBACK', reason: '营业执照复印件不清晰，请重新上传' } } });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json<{ status: { code: string } }>().status.code).toBe('SENDBACK');
    const mine = await t.app.inject({ method: 'GET', url: `/govstack/tasks?assigneeId=${applicantId}`, headers: applicant.headers });
    conforms('userTaskResponse', mine.json(), true);
    expect(mine.json<{ taskId: string }[]>().map((x) => x.taskId)).toContain(`${id}.supplement`);
    const fresh = await upload(applicant, documentUrls[0]!.split('materialCode=')[1]!);
    const supplied = await t.app.inject({ method: 'POST', url: `/govstack/tasks/${id}.supplement/complete`, headers: applicant.headers, payload: { data: { documentUrls: [fresh.json<{ url: string }>().url] } } });
    expect(supplied.statusCode, supplied.body).toBe(200);
    conforms('completedTaskResponse', supplied.json());
    expect(supplied.json<{ status: { code: string } }>().status.code).toBe('PENDING');
  });

  it('stores the operator’s form data with an optimistic version (PUT), refusing other departments', async () => {
    const put = (who: SignedIn, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'PUT', url: `/govstack/applications/${fileId}`, headers: { ...who.headers, ...IM, ...headers }, payload: { applicantId, formData: { data: { inspectionResult: '现场核查合格', inspector: '王五' } } } });
    const before = await t.app.inject({ method: 'GET', url: `/govstack/applications/${fileId}`, headers: { ...clerk.headers, ...IM } });
    const v0 = before.json<{ applicationData: { operatorData: { version: number } } }>().applicationData.operatorData.version;
    const r = await put(clerk, { 'if-match': String(v0) });
    expect(r.statusCode, r.body).toBe(200);
    conforms('applicationFileResponse', r.json());
    const od = r.json<{ applicationData: { operatorData: { data: Record<string, string>; version: number } } }>().applicationData.operatorData;
    expect(od.data.inspectionResult).toBe('现场核查合格');
    const stale = await put(clerk, { 'if-match': String(v0) });
    expect(stale.statusCode).toBe(409);
    isSystemError(stale.json());
    expect((await put(clerk, { 'if-match': String(od.version) })).statusCode).toBe(200);
    expect((await put(otherClerk)).statusCode).toBe(404);
    expect((await put(applicant)).statusCode).toBe(403);
  });

  it('answers statistics per the statistics spec, in total and per month', async () => {
    const total = await t.app.inject({ method: 'GET', url: '/govstack/data/statistics', headers: IM });
    expect(total.statusCode).toBe(200);
    conforms('govstack-stats#/components/schemas/inline_response_200', total.json(), true);
    const row = total.json<{ processed: number; approved: number; sentBack: number; rejected: number }[]>()[0]!;
    expect(row.approved).toBeGreaterThanOrEqual(1);
    expect(row.sentBack).toBeGreaterThanOrEqual(1);
    expect(row.processed).toBeGreaterThanOrEqual(row.approved);
    const monthly = await t.app.inject({ method: 'GET', url: `/govstack/data/statistics?timeframe=month&registrationName=${encodeURIComponent('食品经营')}`, headers: IM });
    conforms('govstack-stats#/components/schemas/inline_response_200', monthly.json(), true);
    expect(monthly.json<{ references: { timeframeMonth: boolean; startDate: string } }[]>()[0]!.references).toMatchObject({ timeframeMonth: true });
    const none = await t.app.inject({ method: 'GET', url: `/govstack/data/statistics?registrationName=${encodeURIComponent('不存在的事项')}`, headers: IM });
    expect(none.json<{ processed: number }[]>()[0]!.processed).toBe(0);
    const bad = await t.app.inject({ method: 'GET', url: '/govstack/data/statistics?startDate=2026-13-40', headers: IM });
    expect(bad.statusCode).toBe(400);
    isSystemError(bad.json());
  });

  it('appears in the OpenAPI document', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(r.statusCode).toBe(200);
    const paths = Object.keys(r.json<{ paths: object }>().paths);
    for (const p of ['/govstack/services', '/govstack/services/{serviceId}', '/govstack/services/{serviceId}/eForms', '/govstack/eForms/{eFormId}', '/govstack/services/{serviceId}/applications', '/govstack/documents', '/govstack/applications', '/govstack/applications/{fileId}', '/govstack/tasks', '/govstack/tasks/{taskId}', '/govstack/tasks/{taskId}/complete', '/govstack/data/statistics']) {
      expect(paths).toContain(p);
    }
  });
});
