import { listScope, scopeCovers } from '../../../platform/auth/scope.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { RatingRow } from '../case.repository.ts';
import { CASE_PERMISSIONS } from '../policies.ts';
import type { CaseDeps } from './deps.ts';
import { todayText } from './transition.ts';

/** 申诉理由类别 (DOMAIN.md §4: the appeal-and-review channel removes mistaken and malicious ratings). */
export const APPEAL_CATEGORIES = { malicious: '恶意差评', mistaken: '误评', not_ours: '非本单位原因', other: '其他' } as const;
export type AppealCategory = keyof typeof APPEAL_CATEGORIES;
export type AppealDecision = 'upheld' | 'rejected';

/** States in which the handling unit may still contest the rating (the rectification period is running). */
const APPEALABLE = new Set(['ASSIGNED', 'RECTIFYING', 'EXPLAINED']);
const STALE = '该评价已被他人处理，请刷新后重试';
const MIN_STATEMENT = 10;
const MAX_TEXT = 2000;

type AppealRefusal = 'not_found' | 'invalid' | 'conflict';

/** The handling unit (谁办理、谁整改): a clerk or head of the rated case's organisation. */
export function isRatedUnit(deps: Pick<CaseDeps, 'permissions'>, actor: UnitOfWork['ctx']['actor'], r: Pick<RatingRow, 'organisation_id'>): boolean {
  return actor.kind === 'staff' && actor.position.organisationId === r.organisation_id && deps.permissions.has(actor, CASE_PERMISSIONS.handle);
}

/**
 * The rating office (评价办): a supervisor (`case.supervise`: jurisdiction_supervisor, province_supervisor)
 * whose scope covers the rated organisation's jurisdiction.
 */
export function isRatingOffice(deps: Pick<CaseDeps, 'permissions'>, actor: UnitOfWork['ctx']['actor'], r: Pick<RatingRow, 'organisation_id' | 'jurisdiction_code'>): boolean {
  return (
    actor.kind === 'staff' &&
    deps.permissions.has(actor, CASE_PERMISSIONS.supervise) &&
    scopeCovers(listScope(actor), { organisationId: r.organisation_id, jurisdictionCode: r.jurisdiction_code })
  );
}

/**
 * 差评申诉: the handling unit contests a bad (1–2 star) rating within the rectification period, once per
 * rating, with a reason category and a statement (≥ 10 characters). The rating goes to APPEALED and
 * waits for the rating office; the feedback deadline is not paused.
 */
export async function appealRating(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { ratingId: string; version: number; category: string; statement: string },
): Promise<Result<RatingRow, AppealRefusal>> {
  const actor = uow.ctx.actor;
  const rating = await deps.cases.ratingById(input.ratingId, uow.tx);
  if (!rating || !isRatedUnit(deps, actor, rating)) {
    await uow.audit({ action: 'case.rating.appeal', objectType: 'rating', objectId: input.ratingId, outcome: 'denied' });
    return refuse('not_found', '评价不存在或不在您的办理范围内');
  }
  if (rating.score > 2) return refuse('conflict', '只有差评（1–2 星）可以申诉');
  if (rating.appeal_at) return refuse('conflict', '该评价已申诉过，每条评价只能申诉一次');
  if (!rating.rectification_state || !APPEALABLE.has(rating.rectification_state)) return refuse('conflict', '该差评已反馈或已办结，不能再申诉');
  if (rating.rectification_due_on && todayText(deps) > rating.rectification_due_on) return refuse('conflict', '已超过整改反馈期限，不能再申诉');
  const fields: FieldError[] = [];
  if (!(input.category in APPEAL_CATEGORIES)) fields.push({ field: 'category', message: '请选择申诉理由类别' });
  const statement = input.statement.trim();
  if (statement.length < MIN_STATEMENT) fields.push({ field: 'statement', message: `请填写申诉说明，不少于 ${MIN_STATEMENT} 个字` });
  else if (statement.length > MAX_TEXT) fields.push({ field: 'statement', message: `申诉说明不超过 ${MAX_TEXT} 字` });
  if (fields.length) return refuse('invalid', fields.map((f) => f.message).join('；'), fields);
  if (rating.version !== input.version) return refuse('conflict', STALE);
  const updated = await deps.cases.updateRating(uow.tx, rating.id, rating.version, {
    rectification_state: 'APPEALED',
    appeal_category: input.category,
    appeal_statement: statement,
    appeal_by: actor.kind === 'staff' ? actor.accountId : null,
    appeal_at: deps.now(),
  });
  if (!updated) return refuse('conflict', STALE);
  await uow.audit({ action: 'case.rating.appeal', objectType: 'rating', objectId: rating.id, detail: { caseId: rating.case_id, category: input.category, score: rating.score } });
  return ok(updated);
}

/**
 * 申诉复核 by the rating office: upheld → VOIDED (the rating counts in no statistic; the rater is told
 * why); rejected → back to ASSIGNED with what is left of the original feedback deadline. A reason is
 * required either way and is sent to the unit that appealed.
 */
export async function decideRatingAppeal(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { ratingId: string; version: number; decision: string; reason: string },
): Promise<Result<RatingRow, AppealRefusal>> {
  const actor = uow.ctx.actor;
  const rating = await deps.cases.ratingById(input.ratingId, uow.tx);
  if (!rating || !isRatingOffice(deps, actor, rating)) {
    await uow.audit({ action: 'case.rating.appeal.decide', objectType: 'rating', objectId: input.ratingId, outcome: 'denied' });
    return refuse('not_found', '评价不存在或不在您的管辖范围内');
  }
  if (rating.rectification_state !== 'APPEALED') return refuse('conflict', '该评价没有待复核的申诉');
  const fields: FieldError[] = [];
  if (input.decision !== 'upheld' && input.decision !== 'rejected') fields.push({ field: 'decision', message: '请选择复核结论（申诉成立或不成立）' });
  const reason = input.reason.trim();
  if (reason.length < 2) fields.push({ field: 'reason', message: '请填写复核理由' });
  else if (reason.length > MAX_TEXT) fields.push({ field: 'reason', message: `复核理由不超过 ${MAX_TEXT} 字` });
  if (fields.length) return refuse('invalid', fields.map((f) => f.message).join('；'), fields);
  if (rating.version !== input.version) return refuse('conflict', STALE);
  const upheld = input.decision === 'upheld';
  const updated = await deps.cases.updateRating(uow.tx, rating.id, rating.version, {
    rectification_state: upheld ? 'VOIDED' : 'ASSIGNED',
    appeal_decision: upheld ? 'upheld' : 'rejected',
    appeal_decision_reason: reason,
    appeal_decided_by: actor.kind === 'staff' ? actor.accountId : null,
    appeal_decided_at: deps.now(),
  });
  if (!updated) return refuse('conflict', STALE);
  await uow.audit({ action: 'case.rating.appeal.decide', objectType: 'rating', objectId: rating.id, detail: { caseId: rating.case_id, decision: input.decision } });
  const record = await deps.cases.getById(rating.case_id, uow.tx);
  const caseLabel = record ? `${record.item_name}（${record.case_no ?? ''}）` : '';
  if (upheld) {
    await notify(uow, {
      recipientAccountId: rating.rater_account_id,
      channel: 'inbox',
      subject: `评价复核结果：${record?.item_name ?? ''}`,
      body: `您对办件 ${caseLabel} 的评价经办理单位申诉、评价管理部门复核，认定为无效评价，不再计入统计。\n复核理由：${reason}`,
      dedupeKey: `rating:${rating.id}:voided`,
    });
  }
  if (rating.appeal_by) {
    await notify(uow, {
      recipientAccountId: rating.appeal_by,
      channel: 'inbox',
      subject: `差评申诉复核结果：${upheld ? '申诉成立' : '申诉不成立'}`,
      body: upheld
        ? `办件 ${caseLabel} 的差评申诉成立，该评价已作废。\n复核理由：${reason}`
        : `办件 ${caseLabel} 的差评申诉不成立，请在 ${rating.rectification_due_on ?? ''} 前完成整改并反馈评价人。\n复核理由：${reason}`,
      dedupeKey: `rating:${rating.id}:appeal-decision`,
    });
  }
  return ok(updated);
}
