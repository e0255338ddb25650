import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CommentRow, ResponseRow } from '../consultation.repository.ts';
import { canConsultation, inStaffScope } from '../policies.ts';
import type { ConsultationDeps } from './deps.ts';

export type ModerationRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';
export interface ModerationInput {
  decision?: unknown;
  reason?: unknown;
}

const REASON_MAX = 500;

function readDecision(input: ModerationInput): { decision: 'approve' | 'hide'; reason: string | null } | { error: { field: string; message: string } } {
  const decision = input.decision === 'approve' || input.decision === 'hide' ? input.decision : null;
  if (!decision) return { error: { field: 'decision', message: '请选择“公开”或“不予公开”' } };
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (decision === 'hide' && !reason) return { error: { field: 'reason', message: '不予公开时请说明理由' } };
  if ([...reason].length > REASON_MAX) return { error: { field: 'reason', message: `理由不能超过 ${REASON_MAX} 个字` } };
  return { decision, reason: reason || null };
}

type Refused = { ok: false; reason: ModerationRefusal; message: string };

async function moderatable(deps: ConsultationDeps, uow: UnitOfWork, consultationId: string): Promise<Refused | null> {
  const c = await deps.consultations.getById(consultationId, uow.tx);
  if (!c || !inStaffScope(deps.permissions, uow.ctx.actor, c)) {
    await uow.audit({ action: 'consultation.moderate', objectType: 'consultation', objectId: consultationId, outcome: 'denied' });
    return refuse('not_found', '征求意见或调查不存在，或不在您的管辖范围内');
  }
  if (!canConsultation(deps.permissions, uow.ctx.actor, 'moderate', c, deps.now()) || c.status === 'concluded') {
    await uow.audit({ action: 'consultation.moderate', objectType: 'consultation', objectId: c.id, outcome: 'denied' });
    return refuse('forbidden', '您不能审核此项目的意见，或结果已公布');
  }
  return null;
}

/** A moderator shows (approve) or hides a comment, with a reason when hiding; audited. */
export async function moderateComment(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  consultationId: string,
  commentId: string,
  version: number,
  input: ModerationInput,
): Promise<Result<CommentRow, ModerationRefusal>> {
  const refused = await moderatable(deps, uow, consultationId);
  if (refused) return refused;
  const comment = await deps.consultations.getComment(consultationId, commentId, uow.tx);
  if (!comment) return refuse('not_found', '该条意见不存在');
  const d = readDecision(input);
  if ('error' in d) return refuse('invalid', d.error.message, [d.error]);
  if (comment.version !== version) return refuse('conflict', '该条意见已被他人处理，请刷新后重试');
  const updated = await deps.consultations.updateComment(uow.tx, comment.id, version, {
    status: d.decision === 'approve' ? 'approved' : 'hidden',
    moderationReason: d.reason,
    moderatedBy: uow.ctx.actor.kind === 'staff' ? uow.ctx.actor.accountId : 'system',
  });
  if (!updated) return refuse('conflict', '该条意见已被他人处理，请刷新后重试');
  await uow.audit({ action: 'consultation.moderate', objectType: 'consultation_comment', objectId: comment.id, detail: { decision: d.decision, reason: d.reason } });
  return ok(updated);
}

/** A moderator shows or hides a survey response's text answers; audited. */
export async function moderateResponse(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  consultationId: string,
  responseId: string,
  input: ModerationInput,
): Promise<Result<ResponseRow, ModerationRefusal>> {
  const refused = await moderatable(deps, uow, consultationId);
  if (refused) return refused;
  const response = await deps.consultations.getResponse(consultationId, responseId, uow.tx);
  if (!response || response.textStatus === 'none') return refuse('not_found', '该份答卷不存在或没有文字回答');
  const d = readDecision(input);
  if ('error' in d) return refuse('invalid', d.error.message, [d.error]);
  const updated = await deps.consultations.moderateResponse(uow.tx, response.id, response.textStatus, {
    textStatus: d.decision === 'approve' ? 'approved' : 'hidden',
    reason: d.reason,
    moderatedBy: uow.ctx.actor.kind === 'staff' ? uow.ctx.actor.accountId : 'system',
  });
  if (!updated) return refuse('conflict', '该份答卷已被他人处理，请刷新后重试');
  await uow.audit({ action: 'consultation.moderate', objectType: 'consultation_response', objectId: response.id, detail: { decision: d.decision, reason: d.reason } });
  return ok(updated);
}
