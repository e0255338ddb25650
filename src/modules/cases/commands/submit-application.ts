import crypto from 'node:crypto';
import { actorLabel, type Actor } from '../../../platform/auth/actor.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import { lateText } from '../../../platform/db/late-texts.ts';
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
  /** The 一件事 the case belongs to (submitLifeEvent). */
  bundleId?: string;
}

type SubmitResult = Result<Submitted, SubmitRefusal>;

/**
 * 网上申请: validates the form (field-level Chinese messages, nothing saved half-way), checks the
 * required materials, takes the case number (gap-free, at the commit) and a query password,
 * starts the 5-WD correction-notice clock (行政许可法 Art. 32(4)) and notifies the applicant.
 * Idempotent: the same key from the same applicant returns the first case.
 */
export async function submitApplication(deps: CaseDeps, uow: UnitOfWork, input: SubmitInput): Promise<SubmitResult> {
  const [result] = await submitApplications(uow.tx, [{ deps, uow, input }]);
  return result!;
}

/**
 * submitApplication for several applications at once, written together (group commit, see
 * CaseService.submit; the items of one 一件事): every request gets its own answer — a refusal for
 * one leaves the others untouched. It reads through `read` (the replays, library entries and
 * drafts: `reads`, when the caller read them beforehand, otherwise three queries here) and writes
 * nothing itself: the cases, materials, timeline events, drafts, the numbers' counters, audit
 * entries and notifications are all written by the commit's one statement (UnitOfWork.writeAtCommit
 * and NumberService.takeAtCommit), so the answer's case numbers are late texts until the commit
 * (the Transactor replaces them). All requests share one transaction; the same (applicant, key)
 * must not appear twice. When a concurrent retry took one of the keys after the read, the commit
 * fails with a unique violation (isIdempotencyConflict) and nothing is written: the caller answers
 * the requests again, and the retry's read then finds the first case.
 */
export async function submitApplications(read: Db | Tx, requests: SubmitRequest[], reads?: SubmissionReads): Promise<SubmitResult[]> {
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

  // 2. Retries answer with their first case; the library entries and drafts (one query each).
  const { earlier, library, drafts } = reads ?? (await readForSubmissions(repo, keyed.map((k) => ({ actor: requests[k.i]!.uow.ctx.actor, input: requests[k.i]!.input })), read));
  const byKey = new Map(earlier.map((c) => [`${c.applicant_account_id} ${c.idempotency_key}`, c]));
  for (const k of keyed) {
    const existing = k.key !== null ? byKey.get(`${k.accountId} ${k.key}`) : undefined;
    if (existing) results[k.i] = replayOf(requests[k.i]!.deps, existing, requests[k.i]!.input.itemId);
  }

  // 3. The item and the form (prefetched, no database), the materials against the library.
  const accepted: { i: number; accountId: string; item: ApplicationItem; row: CaseInsert & { id: string }; password: string }[] = [];
  const now = first.deps.now();
  const calendars = new Map<string, Awaited<ReturnType<typeof clockColumns>>>();
  for (const k of keyed) {
    if (results[k.i]) continue;
    const { deps, uow, input, bundleId } = requests[k.i]!;
    const found = await deps.items.itemForApplication(input.itemId);
    if (!found.ok) {
      results[k.i] = refuse(found.reason === 'not_found' ? 'not_found' : 'invalid', found.message, [{ field: 'item', message: found.message }]);
      continue;
    }
    const form = validateForm(found.item.form, input.values);
    const errors: FieldError[] = [
      ...(form.ok ? [] : Object.entries(form.errors).map(([field, message]) => ({ field, message }))),
      ...materialErrors(found.item, input.materials, (id) => library.has(`${k.accountId} ${id}`), true),
    ];
    if (!form.ok || errors.length > 0) {
      results[k.i] = refuse('invalid', '申请内容有需要修改的地方', errors);
      continue;
    }
    const clock = noticeClock(today(deps));
    const cacheKey = `${found.item.jurisdictionCode} ${clock.startedOn.toString()}`;
    let clockCols = calendars.get(cacheKey);
    if (!clockCols) calendars.set(cacheKey, (clockCols = await clockColumns(deps, found.item.jurisdictionCode, read, clock)));
    const password = newQueryPassword();
    const row = caseRow(deps, uow, input, found.item, form.values, k.key, password, clockCols, now);
    accepted.push({ i: k.i, accountId: k.accountId, item: found.item, password, row: bundleId ? { ...row, bundle_id: bundleId } : row });
  }
  if (accepted.length === 0) return results.map((r) => r!);

  // 4. The numbers (gap-free, one counter update per sequence) and the rows, at the commit.
  const late = await first.deps.numbers.takeAtCommit(
    first.uow,
    read,
    'case',
    accepted.map((a) => ({ key: a.row.id, request: { date: a.row.received_on ?? todayText(first.deps), region: a.item.jurisdictionCode.slice(0, 6), orgId: a.item.organisationId } })),
  );
  const records = repo.writeSubmissionsAtCommit(first.uow, late, now, {
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

  // 5. Audit entries and notifications (written at the commit, the number in place of its late text).
  for (const [n, a] of accepted.entries()) {
    const { deps, uow } = requests[a.i]!;
    const record = records[n]!;
    const draftId = drafts.get(`${a.accountId} ${a.item.id}`);
    await uow.audit({ action: 'case.submit', objectType: 'case', objectId: record.id, detail: { caseNo: record.case_no, itemId: a.item.id, itemVersion: a.item.version, ...(draftId ? { draftId } : {}) } });
    await notifyApplicantIfChanged(deps, uow, null, record, `查询密码已在回执中显示，请妥善保管。`);
    results[a.i] = ok({ record, queryPassword: a.password, replay: false });
  }
  return results.map((r) => r!);
}

/**
 * What submitApplications reads before it writes, read by the caller beforehand — outside the
 * transaction, in parallel with its other lookups (group commit). Safe to read early: a retry
 * committed after the read fails the commit (isIdempotencyConflict), a library entry removed in
 * between leaves the case as if submitted a moment earlier (its file stays stored), and a draft
 * saved in between is deleted with the others, only not named in the audit entry.
 */
export interface SubmissionReads {
  /** Cases already filed with the batch's (applicant, idempotency key) pairs. */
  earlier: CaseRecord[];
  /** The applicants' library entries the batch refers to, keyed `${owner} ${attachmentId}`. */
  library: Map<string, LibraryItemRow>;
  /** The drafts the new cases replace, keyed `${accountId} ${itemId}`. */
  drafts: Map<string, string>;
}

/** SubmissionReads for a batch: one statement (CaseRepository.submissionReads), on the pool or in `read`. */
export async function readForSubmissions(repo: CaseDeps['cases'], requests: { actor: Actor; input: SubmitInput }[], read?: Db | Tx): Promise<SubmissionReads> {
  const applicants = requests.flatMap((r) => (r.actor.kind === 'citizen' || r.actor.kind === 'enterprise' ? [{ accountId: r.actor.accountId, input: r.input }] : []));
  const keys = applicants.flatMap((a) => (a.input.idempotencyKey?.trim() ? [{ accountId: a.accountId, key: a.input.idempotencyKey.trim() }] : []));
  const files = applicants.flatMap((a) => a.input.materials.map((m) => ({ ownerAccountId: a.accountId, attachmentId: m.attachmentId })));
  const items = applicants.map((a) => ({ accountId: a.accountId, itemId: a.input.itemId }));
  return repo.submissionReads(keys, files, items, read);
}

/**
 * Whether `error` is a commit that failed because a concurrent submission took one of its
 * (applicant, idempotency key) pairs first (the unique index case_idempotency): nothing of it was
 * written, and answering the request again replays the first case.
 */
export function isIdempotencyConflict(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === '23505' && e.constraint === 'case_idempotency';
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
  const id = crypto.randomUUID();
  return {
    id,
    case_no: lateText(id), // taken at the commit, see submitApplications
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
