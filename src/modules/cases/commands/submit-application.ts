import crypto from 'node:crypto';
import { actorLabel, type Actor } from '../../../platform/auth/actor.ts';
import type { Tx } from '../../../platform/db/database.ts';
import { maskCitizenId, maskMobile, maskName } from '../../../platform/codes/validators.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { validateForm, type FormValues } from '../../../platform/forms/index.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseInsert, CaseRecord, LibraryItemRow } from '../case.repository.ts';
import { noticeClock } from '../domain/case-clocks.ts';
import { hashQueryPassword, newQueryPassword } from '../domain/query-password.ts';
import type { ApplicationItem } from '../ports.ts';
import type { CaseDeps } from './deps.ts';
import { PII_CONTEXT, splitPersonalData } from './personal-data.ts';
import { clockColumns, notifyApplicantIfChanged, today, todayText } from './transition.ts';

export interface MaterialChoice {
  code: string;
  attachmentId: string;
}

export interface SubmitInput {
  itemId: string;
  /** Idempotency-Key header or the form's hidden token: a retry returns the same case. */
  idempotencyKey: string | null;
  values: Record<string, unknown>;
  materials: MaterialChoice[];
  /** Submission channel (§3.6): 1 online. */
  channel?: string;
}

export interface Submitted {
  record: CaseRecord;
  /** The query password in clear, for the receipt (stored only hashed and encrypted). */
  queryPassword: string;
  /** True when this was a retry of an earlier submission. */
  replay: boolean;
}

export type SubmitRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

/** Checks the chosen materials against the item's list and the applicant's library. */
export async function checkMaterials(deps: CaseDeps, uow: UnitOfWork, item: ApplicationItem, accountId: string, chosen: MaterialChoice[], requireAll: boolean): Promise<FieldError[]> {
  return (await checkMaterialsInLibrary(deps, uow, item, accountId, chosen, requireAll)).errors;
}

/** checkMaterials, also returning the library entries it looked up (one query for all of them). */
export async function checkMaterialsInLibrary(
  deps: CaseDeps,
  uow: UnitOfWork,
  item: ApplicationItem,
  accountId: string,
  chosen: MaterialChoice[],
  requireAll: boolean,
): Promise<{ errors: FieldError[]; library: Map<string, LibraryItemRow> }> {
  const library = await deps.cases.libraryItems(accountId, chosen.map((c) => c.attachmentId), uow.tx);
  return { errors: materialErrors(item, chosen, (id) => library.has(id), requireAll), library };
}

/** The material checks themselves, given what the applicant's library holds. */
function materialErrors(item: ApplicationItem, chosen: MaterialChoice[], inLibrary: (attachmentId: string) => boolean, requireAll: boolean): FieldError[] {
  const errors: FieldError[] = [];
  for (const c of chosen) {
    const m = item.materials.find((x) => x.code === c.code);
    if (!m) {
      errors.push({ field: `material-${c.code}`, message: '该材料不属于本事项的材料清单' });
      continue;
    }
    if (!inLibrary(c.attachmentId)) errors.push({ field: `material-${c.code}`, message: `“${m.name}”的文件不在您的材料库中，请重新上传` });
  }
  if (requireAll) {
    for (const m of item.materials.filter((x) => x.required)) {
      if (!chosen.some((c) => c.code === m.code)) errors.push({ field: `material-${m.code}`, message: `请上传“${m.name}”` });
    }
  }
  return errors;
}

/** One application of a batch: its own dependencies (item and applicant prefetched), unit of work and input. */
export interface SubmitRequest {
  deps: CaseDeps;
  uow: UnitOfWork;
  input: SubmitInput;
}

type SubmitResult = Result<Submitted, SubmitRefusal>;

/**
 * 网上申请: validates the form (field-level Chinese messages, nothing saved half-way), checks the
 * required materials, takes the case number (gap-free, in this transaction) and a query password,
 * starts the 5-WD correction-notice clock (行政许可法 Art. 32(4)) and notifies the applicant.
 * Idempotent: the same key from the same applicant returns the first case.
 */
export async function submitApplication(deps: CaseDeps, uow: UnitOfWork, input: SubmitInput): Promise<SubmitResult> {
  const [result] = await submitApplications(uow.tx, [{ deps, uow, input }]);
  return result!;
}

/**
 * submitApplication for several applicants at once, in the caller's one transaction (group
 * commit, see CaseService.submit): every request gets its own answer — a refusal for one leaves the
 * others untouched — and the work of all of them is a few statements: the replays and library
 * entries (`read`, when the caller read them beforehand; otherwise two queries here), one statement
 * for cases, materials, timeline and drafts, one counter update per number sequence, and the case
 * numbers set at the commit (UnitOfWork.writeAtCommit). The same (applicant, key) must not appear
 * twice in one call. Throws (rolling every request back) when a concurrent writer took a key in
 * between (ConcurrentSubmission; the caller then retries the requests one by one).
 */
export async function submitApplications(tx: Tx, requests: SubmitRequest[], read?: SubmissionReads): Promise<SubmitResult[]> {
  const results: (SubmitResult | undefined)[] = requests.map(() => undefined);
  const first = requests[0];
  if (!first) return [];
  const repo = first.deps.cases;

  // 1. Who may apply, and the key's shape (no database).
  const keyed: { i: number; accountId: string; key: string | null }[] = [];
  requests.forEach((r, i) => {
    const actor = r.uow.ctx.actor;
    if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') {
      results[i] = refuse('forbidden', '请以个人或法人用户身份登录后申请');
      return;
    }
    const key = r.input.idempotencyKey?.trim() || null;
    if (key !== null && !/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
      results[i] = refuse('invalid', '幂等键格式不正确', [{ field: 'idempotencyKey', message: '应为 8–100 位字母、数字或 ._:- 字符' }]);
      return;
    }
    keyed.push({ i, accountId: actor.accountId, key });
  });

  // 2. Retries answer with their first case (one query for every key).
  const replay = (i: number, existing: CaseRecord) => (results[i] = replayOf(requests[i]!.deps, existing, requests[i]!.input.itemId));
  const withKey = keyed.filter((k): k is { i: number; accountId: string; key: string } => k.key !== null);
  const earlier = read ? read.earlier : await repo.getByIdempotencyKeys(withKey.map((k) => ({ accountId: k.accountId, key: k.key })), tx);
  const byKey = new Map(earlier.map((c) => [`${c.applicant_account_id} ${c.idempotency_key}`, c]));
  for (const k of withKey) {
    const existing = byKey.get(`${k.accountId} ${k.key}`);
    if (existing) replay(k.i, existing);
  }

  // 3. The item and the form (prefetched, no database), then every library entry in one query.
  const checked: { i: number; accountId: string; key: string | null; item: ApplicationItem; values: FormValues; formErrors: FieldError[] }[] = [];
  for (const k of keyed) {
    if (results[k.i]) continue;
    const { deps, input } = requests[k.i]!;
    const found = await deps.items.itemForApplication(input.itemId);
    if (!found.ok) {
      results[k.i] = refuse(found.reason === 'not_found' ? 'not_found' : 'invalid', found.message, [{ field: 'item', message: found.message }]);
      continue;
    }
    const form = validateForm(found.item.form, input.values);
    const formErrors: FieldError[] = form.ok ? [] : Object.entries(form.errors).map(([field, message]) => ({ field, message }));
    checked.push({ ...k, item: found.item, values: form.values, formErrors });
  }
  const library = read
    ? read.library
    : await repo.libraryItemsOf(
        checked.flatMap((c) => requests[c.i]!.input.materials.map((m) => ({ ownerAccountId: c.accountId, attachmentId: m.attachmentId }))),
        tx,
      );
  const accepted: ((typeof checked)[number] & { row: CaseInsert & { id: string }; password: string })[] = [];
  const now = first.deps.now();
  const calendars = new Map<string, Awaited<ReturnType<typeof clockColumns>>>();
  for (const c of checked) {
    const { deps, uow, input } = requests[c.i]!;
    const errors = [...c.formErrors, ...materialErrors(c.item, input.materials, (id) => library.has(`${c.accountId} ${id}`), true)];
    if (errors.length > 0) {
      results[c.i] = refuse('invalid', '申请内容有需要修改的地方', errors);
      continue;
    }
    const clock = noticeClock(today(deps));
    const cacheKey = `${c.item.jurisdictionCode} ${clock.startedOn.toString()}`;
    let clockCols = calendars.get(cacheKey);
    if (!clockCols) calendars.set(cacheKey, (clockCols = await clockColumns(deps, c.item.jurisdictionCode, tx, clock)));
    const password = newQueryPassword();
    accepted.push({ ...c, password, row: caseRow(deps, uow, input, c.item, c.values, c.key, password, clockCols, now) });
  }
  if (accepted.length === 0) return results.map((r) => r!);

  // 4. The writes: cases, materials, timeline, drafts — one statement for the whole batch.
  const written = await repo.insertSubmissions(tx, {
    cases: accepted.map((a) => a.row),
    materials: accepted.flatMap((a) =>
      requests[a.i]!.input.materials.map((c) => {
        const m = a.item.materials.find((x) => x.code === c.code)!;
        return { case_id: a.row.id, material_code: m.code, material_name: m.name, attachment_id: c.attachmentId, file_name: library.get(`${a.accountId} ${c.attachmentId}`)?.file_name ?? '', round: 0 };
      }),
    ),
    events: accepted.map((a) => {
      const { uow, input } = requests[a.i]!;
      return {
        case_id: a.row.id,
        event: 'submit',
        state_from: 'DRAFT',
        state_to: 'SUBMITTED',
        node_name: '收件',
        actor_id: a.accountId,
        actor_label: actorLabel(uow.ctx.actor),
        opinion: null,
        detail: { channel: input.channel ?? '1', materials: input.materials.length, itemVersion: a.item.version },
      };
    }),
  });
  const inserted = new Map(written.inserted.map((r) => [r.id, r]));
  const lost = accepted.filter((a) => !inserted.has(a.row.id));
  if (lost.length > 0) {
    // A concurrent retry with the same key committed first: answer with its case — possible only
    // when this is the batch's sole write (otherwise roll the batch back; the caller retries singly).
    const again = await repo.getByIdempotencyKeys(lost.map((a) => ({ accountId: a.accountId, key: a.key ?? '' })), tx);
    if (accepted.length > 1 || again.length !== 1) throw new ConcurrentSubmission();
    replay(lost[0]!.i, again[0]!);
    return results.map((r) => r!);
  }

  // 5. The gap-free numbers last, one counter update per sequence: the counter row stays locked
  // until the commit, so concurrent batches queue only for the statements from here on.
  const numbered: { id: string; caseNo: string }[] = [];
  const sequences = new Map<string, typeof accepted>();
  for (const a of accepted) {
    const seq = `${a.row.received_on} ${a.item.jurisdictionCode.slice(0, 6)} ${a.item.organisationId}`;
    const group = sequences.get(seq);
    if (group) group.push(a);
    else sequences.set(seq, [a]);
  }
  for (const group of sequences.values()) {
    const a0 = group[0]!;
    const numbers = await first.deps.numbers.nextMany(tx, 'case', { date: a0.row.received_on ?? todayText(first.deps), region: a0.item.jurisdictionCode.slice(0, 6), orgId: a0.item.organisationId }, group.length);
    group.forEach((a, n) => numbered.push({ id: a.row.id, caseNo: numbers[n]!.value }));
  }
  // Written with the audit entries and jobs, in the commit's one statement (issue 3: a round trip less).
  first.uow.writeAtCommit(repo.caseNosUpdate(numbered));
  const caseNo = new Map(numbered.map((n) => [n.id, n.caseNo]));

  // 6. Audit entries and notifications (buffered by the units of work, written at the commit).
  for (const a of accepted) {
    const { deps, uow } = requests[a.i]!;
    const record: CaseRecord = { ...inserted.get(a.row.id)!, case_no: caseNo.get(a.row.id)! };
    const draftId = written.draftOf.get(a.row.id);
    await uow.audit({ action: 'case.submit', objectType: 'case', objectId: record.id, detail: { caseNo: record.case_no, itemId: a.item.id, itemVersion: a.item.version, ...(draftId ? { draftId } : {}) } });
    await notifyApplicantIfChanged(deps, uow, null, record, `查询密码已在回执中显示，请妥善保管。`);
    results[a.i] = ok({ record, queryPassword: a.password, replay: false });
  }
  return results.map((r) => r!);
}

/**
 * What submitApplications reads before it writes, read by the caller beforehand — outside the
 * transaction, in parallel with its other lookups (group commit: two sequential round trips
 * fewer inside the batch's transaction). Safe to read early: a retry committed after the read
 * is caught by the insert's ON CONFLICT (see ConcurrentSubmission), and a library entry removed
 * in between leaves the case as if submitted a moment earlier (its file stays stored).
 */
export interface SubmissionReads {
  /** Cases already filed with the batch's (applicant, idempotency key) pairs. */
  earlier: CaseRecord[];
  /** The applicants' library entries the batch refers to, keyed `${owner} ${attachmentId}`. */
  library: Map<string, LibraryItemRow>;
}

/** SubmissionReads for a batch: two queries, run at the same time, on the pool. */
export async function readForSubmissions(repo: CaseDeps['cases'], requests: { actor: Actor; input: SubmitInput }[]): Promise<SubmissionReads> {
  const applicants = requests.flatMap((r) => (r.actor.kind === 'citizen' || r.actor.kind === 'enterprise' ? [{ accountId: r.actor.accountId, input: r.input }] : []));
  const [earlier, library] = await Promise.all([
    repo.getByIdempotencyKeys(applicants.flatMap((a) => (a.input.idempotencyKey?.trim() ? [{ accountId: a.accountId, key: a.input.idempotencyKey.trim() }] : []))),
    repo.libraryItemsOf(applicants.flatMap((a) => a.input.materials.map((m) => ({ ownerAccountId: a.accountId, attachmentId: m.attachmentId })))),
  ]);
  return { earlier, library };
}

/** A batch met a concurrent submission with one of its keys: rolled back, to be retried singly. */
export class ConcurrentSubmission extends Error {
  override readonly name = 'ConcurrentSubmission';
  constructor() {
    super('a concurrent submission took an idempotency key of this batch');
  }
}

/** The new case's row: personal data split off and encrypted, masked copies for lists, the clock. */
function caseRow(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: SubmitInput,
  item: ApplicationItem,
  values: FormValues,
  key: string | null,
  password: string,
  clockCols: Awaited<ReturnType<typeof clockColumns>>,
  now: Date,
): CaseInsert & { id: string } {
  const actor = uow.ctx.actor as Extract<Actor, { kind: 'citizen' | 'enterprise' }>;
  const personal = splitPersonalData(item.form, values);
  return {
    id: crypto.randomUUID(),
    case_no: null, // taken last, see submitApplications
    query_password_hash: hashQueryPassword(password),
    query_password_enc: deps.cipher.encrypt(password, 'cases.query-password'),
    idempotency_key: key,
    item_id: item.id,
    item_version: item.version,
    item_name: item.name,
    organisation_id: item.organisationId,
    organisation_name: item.organisationName,
    jurisdiction_code: item.jurisdictionCode,
    applicant_account_id: actor.accountId,
    applicant_kind: actor.kind,
    applicant_name_masked: maskName(personal.name || actor.displayName),
    applicant_id_masked: personal.idNumber ? maskCitizenId(personal.idNumber) : '',
    applicant_mobile_masked: personal.mobile ? maskMobile(personal.mobile) : '',
    applicant_pii_enc: deps.cipher.encrypt(JSON.stringify({ displayName: actor.displayName, ...personal.pii }), PII_CONTEXT),
    channel: input.channel ?? '1',
    form_values: personal.stored,
    state: 'SUBMITTED',
    result_code: null,
    received_at: now,
    received_on: todayText(deps),
    accepted_at: null,
    acceptance_no: null,
    promised_n: item.promisedLimit?.n ?? null,
    promised_unit: item.promisedLimit?.unit ?? null,
    correction_list: null,
    node_index: null,
    node_started_on: null,
    decision: null,
    decision_reasons: null,
    decided_at: null,
    certificate_no: null,
    result_ready_at: null,
    delivered_at: null,
    delivery_method: null,
    courier_no: null,
    closed_at: null,
    close_reason: null,
    clock_kind: clockCols.clock_kind ?? null,
    clock_started_on: clockCols.clock_started_on ?? null,
    clock_limit_n: clockCols.clock_limit_n ?? null,
    clock_limit_unit: clockCols.clock_limit_unit ?? null,
    clock_paused_since: null,
    due_on: clockCols.due_on ?? null,
    yellow_from: clockCols.yellow_from ?? null,
    decision_due_on: null,
    signal: clockCols.signal ?? 'none',
    signal_at: now,
  };
}

function replayOf(deps: CaseDeps, existing: CaseRecord, itemId: string): Result<Submitted, SubmitRefusal> {
  if (existing.item_id !== itemId) return refuse('invalid', '同一幂等键已用于另一事项的申请', [{ field: 'idempotencyKey', message: '同一幂等键对应的请求内容不一致' }]);
  const password = existing.query_password_enc ? deps.cipher.decrypt(existing.query_password_enc, 'cases.query-password') : '';
  return ok({ record: existing, queryPassword: password, replay: true });
}
