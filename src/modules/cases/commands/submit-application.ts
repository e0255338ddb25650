import { actorLabel } from '../../../platform/auth/actor.ts';
import { maskCitizenId, maskMobile, maskName } from '../../../platform/codes/validators.ts';
import type { FieldError } from '../../../platform/errors.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { validateForm, type FormValues } from '../../../platform/forms/index.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CaseRecord, LibraryItemRow } from '../case.repository.ts';
import { DraftRepository } from '../draft.repository.ts';
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
  const errors: FieldError[] = [];
  const library = await deps.cases.libraryItems(accountId, chosen.map((c) => c.attachmentId), uow.tx);
  for (const c of chosen) {
    const m = item.materials.find((x) => x.code === c.code);
    if (!m) {
      errors.push({ field: `material-${c.code}`, message: '该材料不属于本事项的材料清单' });
      continue;
    }
    if (!library.has(c.attachmentId)) errors.push({ field: `material-${c.code}`, message: `“${m.name}”的文件不在您的材料库中，请重新上传` });
  }
  if (requireAll) {
    for (const m of item.materials.filter((x) => x.required)) {
      if (!chosen.some((c) => c.code === m.code)) errors.push({ field: `material-${m.code}`, message: `请上传“${m.name}”` });
    }
  }
  return { errors, library };
}

/**
 * 网上申请: validates the form (field-level Chinese messages, nothing saved half-way), checks the
 * required materials, takes the case number (gap-free, in this transaction) and a query password,
 * starts the 5-WD correction-notice clock (行政许可法 Art. 32(4)) and notifies the applicant.
 * Idempotent: the same key from the same applicant returns the first case.
 */
export async function submitApplication(deps: CaseDeps, uow: UnitOfWork, input: SubmitInput): Promise<Result<Submitted, SubmitRefusal>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return refuse('forbidden', '请以个人或法人用户身份登录后申请');
  const key = input.idempotencyKey?.trim() || null;
  if (key !== null && !/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    return refuse('invalid', '幂等键格式不正确', [{ field: 'idempotencyKey', message: '应为 8–100 位字母、数字或 ._:- 字符' }]);
  }
  if (key !== null) {
    const existing = await deps.cases.getByIdempotencyKey(actor.accountId, key, uow.tx);
    if (existing) return replayOf(deps, existing, input.itemId);
  }
  const found = await deps.items.itemForApplication(input.itemId);
  if (!found.ok) return refuse(found.reason === 'not_found' ? 'not_found' : 'invalid', found.message, [{ field: 'item', message: found.message }]);
  const item = found.item;

  const form = validateForm(item.form, input.values);
  const errors: FieldError[] = form.ok ? [] : Object.entries(form.errors).map(([field, message]) => ({ field, message }));
  const checked = await checkMaterialsInLibrary(deps, uow, item, actor.accountId, input.materials, true);
  errors.push(...checked.errors);
  if (errors.length > 0) return refuse('invalid', '申请内容有需要修改的地方', errors);
  const values: FormValues = form.values;

  const now = deps.now();
  const day = todayText(deps);
  const password = newQueryPassword();
  const personal = splitPersonalData(item.form, values);
  const clock = noticeClock(today(deps));
  const clockCols = await clockColumns(deps, item.jurisdictionCode, uow.tx, clock);
  const inserted = await deps.cases.insert(uow.tx, {
    case_no: null, // taken last, below
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
    received_on: day,
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
  });
  if (!inserted) {
    // A concurrent retry with the same key committed first: answer with its case.
    const existing = key ? await deps.cases.getByIdempotencyKey(actor.accountId, key, uow.tx) : null;
    if (!existing) return refuse('conflict', '提交冲突，请刷新后重试');
    return replayOf(deps, existing, input.itemId);
  }
  await deps.cases.addMaterials(
    uow.tx,
    input.materials.map((c) => {
      const m = item.materials.find((x) => x.code === c.code)!;
      return { case_id: inserted.id, material_code: m.code, material_name: m.name, attachment_id: c.attachmentId, file_name: checked.library.get(c.attachmentId)?.file_name ?? '', round: 0 };
    }),
  );
  await deps.cases.addEvent(uow.tx, {
    case_id: inserted.id,
    event: 'submit',
    state_from: 'DRAFT',
    state_to: 'SUBMITTED',
    node_name: '收件',
    actor_id: actor.accountId,
    actor_label: actorLabel(actor),
    opinion: null,
    detail: { channel: input.channel ?? '1', materials: input.materials.length, itemVersion: item.version },
  });
  // issue 3: the applicant's draft for this item is replaced by the case (same transaction)
  const draftId = await new DraftRepository(deps.cases.db).deleteForItem(uow.tx, actor.accountId, item.id);
  // The gap-free number last: its counter row stays locked until this transaction ends, so
  // concurrent submissions of one region and day queue only for the statements from here on.
  const number = await deps.numbers.next(uow.tx, 'case', { date: day, region: item.jurisdictionCode.slice(0, 6), orgId: item.organisationId });
  await deps.cases.setCaseNo(uow.tx, inserted.id, number.value);
  const record: CaseRecord = { ...inserted, case_no: number.value };
  await uow.audit({ action: 'case.submit', objectType: 'case', objectId: record.id, detail: { caseNo: record.case_no, itemId: item.id, itemVersion: item.version, ...(draftId ? { draftId } : {}) } });
  await notifyApplicantIfChanged(deps, uow, null, record, `查询密码已在回执中显示，请妥善保管。`);
  return ok({ record, queryPassword: password, replay: false });
}

function replayOf(deps: CaseDeps, existing: CaseRecord, itemId: string): Result<Submitted, SubmitRefusal> {
  if (existing.item_id !== itemId) return refuse('invalid', '同一幂等键已用于另一事项的申请', [{ field: 'idempotencyKey', message: '同一幂等键对应的请求内容不一致' }]);
  const password = existing.query_password_enc ? deps.cipher.decrypt(existing.query_password_enc, 'cases.query-password') : '';
  return ok({ record: existing, queryPassword: password, replay: true });
}
