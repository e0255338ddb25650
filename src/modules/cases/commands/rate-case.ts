import { formatCivilDate } from '../../../platform/calendar/index.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { RatingRow } from '../case.repository.ts';
import { clockSnapshot } from '../domain/case-clocks.ts';
import { CASE_RULES } from '../domain/rules.ts';
import { isApplicant } from '../policies.ts';
import type { CaseDeps } from './deps.ts';
import { today } from './transition.ts';

export const RATING_LEVELS: Record<number, string> = { 1: '非常不满意', 2: '不满意', 3: '基本满意', 4: '满意', 5: '非常满意' };
export const BAD_REVIEW_REASONS = ['办理时间长', '多次跑动', '材料要求不清楚', '服务态度差', '网上办理不方便', '结果不满意', '其他'] as const;

/**
 * 好差评 (DOMAIN.md §4): one rating per case (一事一评) by the applicant after completion. A bad
 * rating (1–2) goes to the handling unit (谁办理、谁整改) with the 15-WD feedback deadline
 * (rating.badReviewFeedback).
 */
export async function rateCase(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; score: number; reasons: string[]; comment: string; channel?: string },
): Promise<Result<RatingRow, 'not_found' | 'invalid' | 'conflict'>> {
  const record = await deps.cases.getById(input.caseId, uow.tx);
  if (!record || !isApplicant(uow.ctx.actor, record)) return refuse('not_found', '办件不存在');
  if (record.state !== 'CLOSED' || record.result_code === 2 || record.result_code === 3) return refuse('conflict', '办件办结后才能评价');
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) return refuse('invalid', '请选择评价等级', [{ field: 'score', message: '请选择 1–5 的评价等级' }]);
  const reasons = input.reasons.filter((r) => (BAD_REVIEW_REASONS as readonly string[]).includes(r));
  const comment = input.comment.trim();
  if (input.score <= 2 && reasons.length === 0 && !comment) return refuse('invalid', '差评请选择或填写不满意的原因', [{ field: 'reasons', message: '请至少选择一项不满意的原因或填写意见' }]);
  if (comment.length > 500) return refuse('invalid', '评价意见过长', [{ field: 'comment', message: '评价意见不超过 500 字' }]);
  const bad = input.score <= 2;
  let dueOn: string | null = null;
  if (bad) {
    const calendar = await deps.calendars.calendarFor(record.jurisdiction_code, uow.tx);
    const due = clockSnapshot(calendar, { kind: 'issue', startedOn: today(deps), limit: CASE_RULES.badReviewFeedback, pauses: [], extensions: [] }).dueOn;
    dueOn = due === null ? null : formatCivilDate(due);
  }
  const row = await deps.cases.insertRating(uow.tx, {
    case_id: record.id,
    rater_account_id: record.applicant_account_id,
    score: input.score,
    reasons,
    comment,
    channel: input.channel ?? 'pc',
    organisation_id: record.organisation_id,
    jurisdiction_code: record.jurisdiction_code,
    rectification_state: bad ? 'ASSIGNED' : null,
    rectification_due_on: dueOn,
  });
  if (!row) return refuse('conflict', '您已评价过该办件（一事一评）');
  await uow.audit({ action: 'case.rate', objectType: 'case', objectId: record.id, detail: { score: input.score, bad } });
  return ok(row);
}

/** 差评整改反馈: the handling unit reports what it did; the rater sees the outcome (FEEDBACK_SENT). */
export async function answerBadRating(
  deps: CaseDeps,
  uow: UnitOfWork,
  input: { caseId: string; version: number; outcome: 'rectified' | 'explained'; feedback: string },
): Promise<Result<RatingRow, 'not_found' | 'invalid' | 'conflict' | 'forbidden'>> {
  const record = await deps.cases.getById(input.caseId, uow.tx);
  const actor = uow.ctx.actor;
  const rating = record ? await deps.cases.rating(record.id, uow.tx) : null;
  if (!record || !rating || actor.kind !== 'staff' || actor.position.organisationId !== record.organisation_id || !deps.permissions.has(actor, 'case.handle')) {
    return refuse('not_found', '评价不存在或不在您的办理范围内');
  }
  if (!rating.rectification_state || rating.rectification_state === 'FEEDBACK_SENT' || rating.rectification_state === 'CLOSED') return refuse('conflict', '该评价无需整改或已反馈');
  if (rating.rectification_state === 'APPEALED' || rating.rectification_state === 'VOIDED') return refuse('conflict', rating.rectification_state === 'APPEALED' ? '该差评正在申诉复核中，复核后再反馈' : '该差评已申诉成功作废，无需整改');
  const feedback = input.feedback.trim();
  if (!feedback) return refuse('invalid', '请填写整改情况或说明', [{ field: 'feedback', message: '请填写整改情况或说明，将反馈给评价人' }]);
  if (rating.version !== input.version) return refuse('conflict', '该评价已被他人处理，请刷新后重试');
  const updated = await deps.cases.updateRating(uow.tx, rating.id, rating.version, { rectification_state: 'FEEDBACK_SENT', feedback, feedback_at: deps.now() });
  if (!updated) return refuse('conflict', '该评价已被他人处理，请刷新后重试');
  await uow.audit({ action: 'case.rating.feedback', objectType: 'case', objectId: record.id, detail: { outcome: input.outcome } });
  await notify(uow, {
    recipientAccountId: rating.rater_account_id,
    channel: 'inbox',
    subject: `差评整改反馈：${record.item_name}`,
    body: `您对办件 ${record.case_no ?? ''} 的评价已处理（${input.outcome === 'rectified' ? '已整改' : '情况说明'}）：\n${feedback}`,
    dedupeKey: `rating:${rating.id}:feedback`,
  });
  return ok(updated);
}
