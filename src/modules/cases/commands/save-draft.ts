import type { FieldError } from '../../../platform/errors.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { FormDefinition, FormField, FormValues } from '../../../platform/forms/index.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { DraftRepository, type DraftMaterial, type DraftRow } from '../draft.repository.ts';
import type { ApplicationItem } from '../ports.ts';
import type { CaseDeps } from './deps.ts';
import { splitPersonalData } from './personal-data.ts';
import { checkMaterials, type MaterialChoice } from './submit-application.ts';

/** Encryption context of a draft's personal data (a different column from a case's: envelopes do not move). */
export const DRAFT_PII_CONTEXT = 'cases.draft';
/** Drafts last saved this many days ago are purged (commands/purge-drafts.ts). */
export const DRAFT_RETENTION_DAYS = 90;
export const DRAFT_PURGE_QUEUE = 'cases.draft-purge';
/** The whole draft (values as JSON) may not exceed this. */
export const DRAFT_MAX_BYTES = 64 * 1024;

export interface SaveDraftInput {
  itemId: string;
  /** The version of the draft the applicant saw; null for a first save. */
  version: number | null;
  values: Record<string, unknown>;
  materials: MaterialChoice[];
}

export type DraftRefusal = 'forbidden' | 'not_found' | 'invalid' | 'conflict';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const NUMBER = /^-?\d+(\.\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function textLimit(f: FormField): number {
  return f.maxLength ?? (f.type === 'textarea' ? 5000 : 500);
}

/**
 * What a draft may hold: only the item's fields, each of its type and within its size, nothing
 * executable (plain text, escaped when shown; files only by reference to the library). Required
 * fields, patterns and code check digits are NOT checked — that is the submission's job.
 */
export function draftValues(def: FormDefinition, input: Record<string, unknown>): { values: FormValues; errors: FieldError[] } {
  const values: FormValues = {};
  const errors: FieldError[] = [];
  for (const f of def.fields) {
    const raw = input[f.name];
    if (raw === undefined || raw === null || raw === '') continue;
    const fail = (message: string) => errors.push({ field: f.name, message: `“${f.label}”${message}` });
    if (f.type === 'checkbox' && !f.options) {
      if (raw === true || raw === 'on' || raw === 'true') values[f.name] = true;
      continue;
    }
    if (f.type === 'checkbox') {
      const list = Array.isArray(raw) ? raw : [raw];
      if (!list.every((v) => typeof v === 'string' && (f.options ?? []).some((o) => o.value === v))) fail('的选项不在可选范围内');
      else values[f.name] = [...new Set(list as string[])];
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      fail('应为文本');
      continue;
    }
    const v = String(raw).trim();
    if (v === '') continue;
    if (f.type === 'select' || f.type === 'radio') {
      if (!(f.options ?? []).some((o) => o.value === v)) fail('的选项不在可选范围内');
      else values[f.name] = v;
      continue;
    }
    if (CONTROL.test(v)) fail('含有不能使用的控制字符');
    else if ([...v].length > textLimit(f)) fail(`不能超过 ${textLimit(f)} 个字`);
    else if (f.type === 'number' && !NUMBER.test(v)) fail('应为数字');
    else if (f.type === 'date' && !DATE.test(v)) fail('应为日期，例如 2026-01-31');
    else values[f.name] = v;
  }
  if (errors.length === 0 && Buffer.byteLength(JSON.stringify(values)) > DRAFT_MAX_BYTES) errors.push({ field: 'item', message: '草稿内容过多，请精简后再保存' });
  return { values, errors };
}

/** The values of a draft as the application page fills them: masks replaced by the decrypted full values. */
export function draftFormValues(deps: Pick<CaseDeps, 'cipher'>, d: DraftRow): FormValues {
  const pii = d.pii_enc ? (JSON.parse(deps.cipher.decrypt(d.pii_enc, DRAFT_PII_CONTEXT)) as FormValues) : {};
  return { ...(d.form_values as FormValues), ...pii };
}

const canonical = (values: FormValues, materials: DraftMaterial[]) =>
  JSON.stringify([Object.keys(values).sort().map((k) => [k, values[k]]), [...materials].sort((a, b) => a.code.localeCompare(b.code))]);

/**
 * 保存草稿: the entered values and chosen library materials, one draft per applicant per item
 * (saving again updates it at the version the applicant saw; a stale version answers 409 unless
 * the content is the same, so a retried save is harmless). Personal data is stored like a
 * submission's: masked values in clear, full values encrypted.
 */
export async function saveDraft(deps: CaseDeps, uow: UnitOfWork, item: ApplicationItem, input: SaveDraftInput): Promise<Result<{ draft: DraftRow; created: boolean }, DraftRefusal>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return refuse('forbidden', '请以个人或法人用户身份登录后保存草稿');
  if (input.version !== null && (!Number.isInteger(input.version) || input.version < 1)) {
    return refuse('invalid', '草稿版本号不正确', [{ field: 'version', message: '应为正整数' }]);
  }
  const { values, errors } = draftValues(item.form, input.values);
  const seen = new Set<string>();
  for (const m of input.materials) {
    if (seen.has(m.code)) errors.push({ field: `material-${m.code}`, message: '同一材料只能选择一个文件' });
    seen.add(m.code);
  }
  errors.push(...(await checkMaterials(deps, uow, item, actor.accountId, input.materials, false)));
  if (errors.length > 0) return refuse('invalid', '草稿中有需要修改的地方', errors);

  const drafts = new DraftRepository(deps.cases.db);
  const materials: DraftMaterial[] = input.materials.map((m) => ({ code: m.code, attachmentId: m.attachmentId }));
  const personal = splitPersonalData(item.form, values);
  const write = {
    item_name: item.name,
    form_values: personal.stored,
    pii_enc: Object.keys(personal.pii).length > 0 ? deps.cipher.encrypt(JSON.stringify(personal.pii), DRAFT_PII_CONTEXT) : null,
    materials,
    updated_at: deps.now(),
  };
  const existing = await drafts.forItem(actor.accountId, item.id, uow.tx);
  let saved: DraftRow | null;
  if (!existing) {
    saved = await drafts.insert(uow.tx, actor.accountId, item.id, write);
  } else if (input.version !== existing.version) {
    // A retry of a save that went through, or the same content saved elsewhere: nothing to do.
    if (canonical(draftFormValues(deps, existing), existing.materials) === canonical(values, materials)) return ok({ draft: existing, created: false });
    return refuse('conflict', input.version === null ? '您已保存过此事项的草稿，请从“我的草稿”继续填写后再保存' : '此草稿刚刚已在别处保存过，请重新打开草稿查看最新内容后再保存');
  } else {
    saved = await drafts.update(uow.tx, existing.id, existing.version, write);
  }
  if (!saved) return refuse('conflict', '此草稿刚刚已在别处保存过，请重新打开草稿查看最新内容后再保存');
  await uow.audit({
    action: 'case.draft.save',
    objectType: 'application_draft',
    objectId: saved.id,
    detail: { itemId: item.id, version: saved.version, fields: Object.keys(values).length, materials: materials.length },
  });
  // The retention purge runs at least once a day while drafts are being saved (idempotent, deduplicated per day).
  const day = deps.now().toISOString().slice(0, 10);
  await uow.enqueue({ queue: DRAFT_PURGE_QUEUE, dedupeKey: `${DRAFT_PURGE_QUEUE}:${day}` });
  return ok({ draft: saved, created: !existing });
}
