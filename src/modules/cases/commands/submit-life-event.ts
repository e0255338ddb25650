import crypto from 'node:crypto';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { validateForm } from '../../../platform/forms/index.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { BundleRepository, BundleRow } from '../bundle.repository.ts';
import type { CaseRecord } from '../case.repository.ts';
import type { ApplicationItem, ApplicationLifeEvent } from '../ports.ts';
import type { CaseDeps } from './deps.ts';
import { submitApplications, type MaterialChoice } from './submit-application.ts';
import { todayText } from './transition.ts';

/**
 * One material of a life event as the applicant sees it: the items' materials de-duplicated by
 * name (a file needed by two items is uploaded once and attached to both cases).
 */
export interface BundleMaterial {
  /** Stable key for form fields (file-<key>, pick-<key>) and field errors (material-<key>). */
  key: string;
  name: string;
  /** Required when any item requires it. */
  required: boolean;
  uses: { itemId: string; itemName: string; code: string; required: boolean }[];
}

export function materialKey(name: string): string {
  return `m${crypto.createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

export function bundleMaterials(items: ApplicationItem[]): BundleMaterial[] {
  const byName = new Map<string, BundleMaterial>();
  for (const item of items) {
    for (const m of item.materials) {
      const name = m.name.trim();
      const entry = byName.get(name) ?? { key: materialKey(name), name, required: false, uses: [] };
      entry.required ||= m.required;
      entry.uses.push({ itemId: item.id, itemName: item.name, code: m.code, required: m.required });
      byName.set(name, entry);
    }
  }
  return [...byName.values()];
}

export interface SubmitLifeEventInput {
  lifeEvent: ApplicationLifeEvent;
  /** Idempotency-Key header or the page's hidden token: a retry returns the same bundle. */
  idempotencyKey: string | null;
  /** Values of the merged form (each item takes its own fields). */
  values: Record<string, unknown>;
  /** Bundle material key → attachment id in the applicant's library. */
  materials: Record<string, string>;
  channel?: string;
}

export interface BundleCase {
  record: CaseRecord;
  queryPassword: string;
}

export interface LifeEventSubmitted {
  bundle: BundleRow;
  cases: BundleCase[];
  replay: boolean;
}

export type LifeEventRefusal = 'forbidden' | 'invalid' | 'conflict';

/** Thrown inside the transaction when an item is refused after the bundle row was written: everything rolls back. */
export class BundleRollback extends Error {
  constructor(readonly result: { ok: false; reason: LifeEventRefusal; message: string; fields?: FieldError[] }) {
    super(result.message);
  }
}

/** Whether the actor is the kind of applicant the life event is for. */
export function audienceRefusal(lifeEvent: ApplicationLifeEvent, kind: 'citizen' | 'enterprise'): string | null {
  if (lifeEvent.audience === 'enterprise' && kind !== 'enterprise') return '该“一件事”面向企业（法人）办理，请以法人用户身份登录后申请';
  if (lifeEvent.audience === 'person' && kind !== 'citizen') return '该“一件事”面向个人办理，请以个人用户身份登录后申请';
  return null;
}

/**
 * 一件事一次办: one form, one set of materials, fanned out to one normal case per item (each with
 * its own number, query password, 5-WD notice clock, audit entry and notification, exactly as a
 * single submission), all in the caller's transaction: a refusal for any item refuses the whole
 * bundle and saves nothing. Idempotent per applicant and key.
 */
export async function submitLifeEvent(deps: CaseDeps, bundles: BundleRepository, uow: UnitOfWork, input: SubmitLifeEventInput): Promise<Result<LifeEventSubmitted, LifeEventRefusal>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise') return refuse('forbidden', '请以个人或法人用户身份登录后申请');
  const le = input.lifeEvent;
  const wrongAudience = audienceRefusal(le, actor.kind);
  if (wrongAudience) return refuse('forbidden', wrongAudience);
  const key = input.idempotencyKey?.trim() || null;
  if (key !== null && !/^[A-Za-z0-9._:-]{8,100}$/.test(key)) {
    return refuse('invalid', '幂等键格式不正确', [{ field: 'idempotencyKey', message: '应为 8–100 位字母、数字或 ._:- 字符' }]);
  }
  if (key !== null) {
    const existing = await bundles.getByIdempotencyKey(actor.accountId, key, uow.tx);
    if (existing) return replayOf(deps, bundles, uow, existing, le.id);
  }
  if (le.items.length === 0) return refuse('invalid', '该“一件事”没有可申请的事项', [{ field: 'lifeEvent', message: '该“一件事”没有可申请的事项' }]);

  // Validate everything first (every item's fields, the union of materials) so that one answer names every problem.
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const push = (e: FieldError) => {
    if (seen.has(e.field)) return;
    seen.add(e.field);
    errors.push(e);
  };
  for (const item of le.items) {
    const form = validateForm(item.form, input.values);
    if (!form.ok) for (const [field, message] of Object.entries(form.errors)) push({ field, message });
  }
  const materials = bundleMaterials(le.items);
  for (const [k, attachmentId] of Object.entries(input.materials)) {
    const m = materials.find((x) => x.key === k);
    if (!m) {
      push({ field: `material-${k}`, message: '该材料不属于本“一件事”的材料清单' });
      continue;
    }
    if (!(await deps.cases.libraryItem(actor.accountId, attachmentId, uow.tx))) push({ field: `material-${k}`, message: `“${m.name}”的文件不在您的材料库中，请重新上传` });
  }
  for (const m of materials) {
    if (m.required && !input.materials[m.key]) push({ field: `material-${m.key}`, message: `请上传“${m.name}”（${m.uses.filter((u) => u.required).map((u) => u.itemName).join('、')}需要）` });
  }
  if (errors.length > 0) return refuse('invalid', '申请内容有需要修改的地方', errors);

  const first = le.items[0]!;
  const number = await deps.numbers.next(uow.tx, 'life-event', { date: todayText(deps), region: first.jurisdictionCode.slice(0, 6) });
  const bundle = await bundles.insert(uow.tx, {
    bundle_no: number.value,
    life_event_id: le.id,
    life_event_code: le.code,
    life_event_name: le.name,
    jurisdiction_code: first.jurisdictionCode,
    applicant_account_id: actor.accountId,
    applicant_kind: actor.kind,
    idempotency_key: key,
    item_count: le.items.length,
    item_ids: le.items.map((i) => i.id),
  });
  if (!bundle) {
    // A concurrent retry with the same key committed first: roll back our number and answer with its bundle.
    throw new BundleRollback({ ok: false, reason: 'conflict', message: '提交冲突，请刷新后重试' });
  }

  // The cases together, like a group commit's batch: written (and numbered) at the commit.
  const requests = le.items.map((item) => {
    const choices: MaterialChoice[] = materials.flatMap((m) => {
      const id = input.materials[m.key];
      return id ? m.uses.filter((u) => u.itemId === item.id).map((u) => ({ code: u.code, attachmentId: id })) : [];
    });
    const itemDeps: CaseDeps = { ...deps, items: { itemForApplication: (id) => Promise.resolve(id === item.id ? { ok: true, item } : { ok: false, reason: 'not_found', message: '事项不在本“一件事”中' }) } };
    return { deps: itemDeps, uow, bundleId: bundle.id, input: { itemId: item.id, idempotencyKey: null, values: input.values, materials: choices, channel: input.channel ?? '1' } };
  });
  const results = await submitApplications(uow.tx, requests);
  const filed: BundleCase[] = [];
  for (const [n, item] of le.items.entries()) {
    const r = results[n]!;
    if (!r.ok) {
      const reason: LifeEventRefusal = r.reason === 'forbidden' ? 'forbidden' : r.reason === 'conflict' ? 'conflict' : 'invalid';
      throw new BundleRollback({ ok: false, reason, message: `“${item.name}”：${r.message}`, fields: r.fields ?? [{ field: 'item', message: `“${item.name}”：${r.message}` }] });
    }
    filed.push({ record: r.value.record, queryPassword: r.value.queryPassword });
  }
  await uow.audit({
    action: 'case.bundle.submit',
    objectType: 'case_bundle',
    objectId: bundle.id,
    detail: { bundleNo: bundle.bundle_no, lifeEventId: le.id, lifeEventCode: le.code, cases: filed.map((c) => ({ id: c.record.id, caseNo: c.record.case_no, itemId: c.record.item_id })) },
  });
  return ok({ bundle, cases: filed, replay: false });
}

async function replayOf(deps: CaseDeps, bundles: BundleRepository, uow: UnitOfWork, existing: BundleRow, lifeEventId: string): Promise<Result<LifeEventSubmitted, LifeEventRefusal>> {
  if (existing.life_event_id !== lifeEventId) return refuse('invalid', '同一幂等键已用于另一项“一件事”的申请', [{ field: 'idempotencyKey', message: '同一幂等键对应的请求内容不一致' }]);
  const cases = await bundles.cases(existing, uow.tx);
  return ok({ bundle: existing, cases: cases.map((record) => ({ record, queryPassword: passwordOf(deps, record) })), replay: true });
}

export function passwordOf(deps: CaseDeps, record: CaseRecord): string {
  return record.query_password_enc ? deps.cipher.decrypt(record.query_password_enc, 'cases.query-password') : '';
}
