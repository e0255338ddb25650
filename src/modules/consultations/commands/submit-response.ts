import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { UUID, type ResponseRow } from '../consultation.repository.ts';
import { personOf } from '../policies.ts';
import { validateAnswers } from '../questionnaire.ts';
import { abusiveTerms } from '../rules.ts';
import type { ConsultationDeps } from './deps.ts';
import { participationRefusal, type SubmitRefusal } from './submit-comment.ts';

export interface ResponseInput {
  submissionId?: unknown;
  answers: Record<string, unknown>;
  /** Open surveys, people not signed in: the browser's survey cookie (one response per browser). */
  browserKey?: string | null;
}

/**
 * Answers a survey (网上调查). One response per account (real-name surveys require level 2),
 * or, for open surveys answered without signing in, one per browser cookie (the route adds a
 * per-address rate limit). Text answers wait for moderation before they are listed.
 */
export async function submitResponse(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  consultationId: string,
  input: ResponseInput,
): Promise<Result<{ response: ResponseRow; replay: boolean }, SubmitRefusal>> {
  const actor = uow.ctx.actor;
  const c = await deps.consultations.getById(consultationId, uow.tx);
  if (!c || c.kind !== 'survey' || c.status === 'draft') return refuse('not_found', '调查不存在或尚未发布');
  const submissionId = typeof input.submissionId === 'string' ? input.submissionId.trim() : '';
  if (!UUID.test(submissionId)) return refuse('invalid', '提交编号缺失，请刷新页面后重新提交', [{ field: 'submissionId', message: '缺少有效的提交编号' }]);
  const replay = await deps.consultations.responseBySubmission(uow.tx, submissionId);
  if (replay) {
    if (replay.consultationId !== c.id) return refuse('mismatch', '同一提交编号对应的内容不一致，请刷新页面后重新提交');
    return ok({ response: replay, replay: true });
  }
  const blocked = participationRefusal(c, actor, deps.now(), '调查');
  if (blocked) {
    if (blocked.reason !== 'closed') await uow.audit({ action: 'consultation.respond', objectType: 'consultation', objectId: c.id, outcome: 'denied', detail: { reason: blocked.reason } });
    return refuse(blocked.reason, blocked.message);
  }
  const person = personOf(actor);
  const browserKey = person ? null : (input.browserKey ?? null);
  if (!person && (!browserKey || !/^[A-Za-z0-9_-]{16,64}$/.test(browserKey))) return refuse('invalid', '无法识别您的浏览器，请允许本网站使用 Cookie 后重试', [{ field: 'submissionId', message: '缺少浏览器标识' }]);
  const who = { accountId: person?.accountId ?? null, browserKey };
  if (await deps.consultations.responseByRespondent(c.id, who, uow.tx)) return refuse('duplicate', '您已参与过本次调查，每人限提交一次');

  const { value, errors } = validateAnswers(c.questions, input.answers);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const texts = c.questions.filter((q) => q.type === 'text' && typeof value[q.id] === 'string').map((q) => String(value[q.id]));
  const flaggedTerms = [...new Set(texts.flatMap(abusiveTerms))];
  const response = await deps.consultations.insertResponse(uow.tx, { consultationId: c.id, submissionId, ...who, answers: value, flaggedTerms, textStatus: texts.length > 0 ? 'pending' : 'none' });
  if (!response) {
    const same = await deps.consultations.responseBySubmission(uow.tx, submissionId);
    if (same && same.consultationId === c.id) return ok({ response: same, replay: true });
    return refuse('duplicate', '您已参与过本次调查，每人限提交一次');
  }
  await uow.audit({ action: 'consultation.respond', objectType: 'consultation_response', objectId: response.id, detail: { consultationId: c.id, anonymous: !person, flagged: flaggedTerms.length > 0 } });
  return ok({ response, replay: false });
}
