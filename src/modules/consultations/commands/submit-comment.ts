import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { UUID, type CommentRow } from '../consultation.repository.ts';
import { personOf, REAL_NAME_MIN_LEVEL } from '../policies.ts';
import { abusiveTerms, COMMENT_MAX, COMMENT_MIN, phaseAt } from '../rules.ts';
import type { ConsultationDeps } from './deps.ts';

export type SubmitRefusal = 'not_found' | 'closed' | 'unauthenticated' | 'forbidden' | 'invalid' | 'duplicate' | 'mismatch';

export interface CommentInput {
  /** Generated when the form is shown (or the API's Idempotency-Key): a retried submit returns the first comment. */
  submissionId?: unknown;
  body?: unknown;
  /** Anonymous comments only: a name to show (optional) and a way to reach the person (required). */
  authorName?: unknown;
  contact?: unknown;
}

export const COMMENT_LABELS: Record<string, string> = { body: '意见内容', authorName: '称呼', contact: '联系方式', submissionId: '提交编号' };

const MOBILE = /^1[3-9]\d{9}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,100}\.[^\s@]{2,20}$/;

/** Refusals shared by comments and survey responses: phase and who may take part. */
export function participationRefusal(
  c: { status: string; opensAt: Date; closesAt: Date; participation: string },
  actor: UnitOfWork['ctx']['actor'],
  now: Date,
  noun: string,
): { reason: 'closed' | 'unauthenticated' | 'forbidden'; message: string } | null {
  const phase = phaseAt(c as Parameters<typeof phaseAt>[0], now);
  if (phase === 'scheduled') return { reason: 'closed', message: `${noun}尚未开始，请在开始时间之后参与` };
  if (phase !== 'open') return { reason: 'closed', message: `${noun}已截止，不再接收提交` };
  if (c.participation === 'real_name') {
    const person = personOf(actor);
    if (!person) return { reason: 'unauthenticated', message: `本次${noun}须实名参与，请先登录` };
    if (person.level < REAL_NAME_MIN_LEVEL) return { reason: 'forbidden', message: `本次${noun}须实名参与：请先完成实名认证（身份证号核验，二级及以上）` };
  }
  return null;
}

/**
 * A person comments on a draft (征求意见). One comment per account per draft (a unique
 * index; a second one is refused, the first stays as it was — a retried submission with
 * the same submission id returns the first comment). Anonymous comments, where the draft
 * allows them, must leave a contact. Every comment waits for moderation; abusive words
 * only add a flag for the moderator.
 */
export async function submitComment(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  consultationId: string,
  input: CommentInput,
): Promise<Result<{ comment: CommentRow; replay: boolean }, SubmitRefusal>> {
  const actor = uow.ctx.actor;
  const c = await deps.consultations.getById(consultationId, uow.tx);
  if (!c || c.kind !== 'draft' || c.status === 'draft') return refuse('not_found', '征求意见稿不存在或尚未发布');
  const submissionId = typeof input.submissionId === 'string' ? input.submissionId.trim() : '';
  if (!UUID.test(submissionId)) return refuse('invalid', '提交编号缺失，请刷新页面后重新提交', [{ field: 'submissionId', message: '缺少有效的提交编号' }]);
  const replay = await deps.consultations.commentBySubmission(uow.tx, submissionId);
  if (replay) {
    const sameBody = typeof input.body === 'string' && input.body.replace(/\r\n/g, '\n').trim() === replay.body;
    if (replay.consultationId !== c.id || !sameBody) return refuse('mismatch', '同一提交编号对应的内容不一致，请刷新页面后重新提交');
    return ok({ comment: replay, replay: true });
  }
  const blocked = participationRefusal(c, actor, deps.now(), '意见征集');
  if (blocked) {
    if (blocked.reason !== 'closed') await uow.audit({ action: 'consultation.comment', objectType: 'consultation', objectId: c.id, outcome: 'denied', detail: { reason: blocked.reason } });
    return refuse(blocked.reason, blocked.message);
  }
  const person = personOf(actor);
  if (person) {
    const existing = await deps.consultations.commentByAccount(c.id, person.accountId, uow.tx);
    if (existing) return refuse('duplicate', '您已对本征求意见稿提交过意见，每人限提交一条');
  }

  const errors: FieldError[] = [];
  const body = typeof input.body === 'string' ? input.body.replace(/\r\n/g, '\n').trim() : '';
  if (!body) errors.push({ field: 'body', message: '请填写意见内容' });
  else if ([...body].length < COMMENT_MIN) errors.push({ field: 'body', message: `意见内容至少 ${COMMENT_MIN} 个字` });
  else if ([...body].length > COMMENT_MAX) errors.push({ field: 'body', message: `意见内容不能超过 ${COMMENT_MAX} 个字` });
  let authorName = person?.name ?? '';
  let contact: string | null = null;
  if (!person) {
    authorName = typeof input.authorName === 'string' && input.authorName.trim() ? input.authorName.trim() : '匿名';
    if ([...authorName].length > 50) errors.push({ field: 'authorName', message: '称呼不能超过 50 个字' });
    contact = typeof input.contact === 'string' ? input.contact.trim() : '';
    if (!contact) errors.push({ field: 'contact', message: '匿名提交须留下手机号码或电子邮箱，便于核实和反馈' });
    else if (!MOBILE.test(contact) && !EMAIL.test(contact)) errors.push({ field: 'contact', message: '请填写 11 位手机号码或有效的电子邮箱' });
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const flaggedTerms = abusiveTerms(body);
  const comment = await deps.consultations.insertComment(uow.tx, { consultationId: c.id, submissionId, accountId: person?.accountId ?? null, authorName, contact, body, flaggedTerms, status: 'pending' });
  if (!comment) {
    // A concurrent submit won the race: the same submission, or the same person.
    const same = await deps.consultations.commentBySubmission(uow.tx, submissionId);
    if (same && same.consultationId === c.id) return ok({ comment: same, replay: true });
    return refuse('duplicate', '您已对本征求意见稿提交过意见，每人限提交一条');
  }
  await uow.audit({ action: 'consultation.comment', objectType: 'consultation_comment', objectId: comment.id, detail: { consultationId: c.id, anonymous: !person, flagged: flaggedTerms.length > 0 } });
  return ok({ comment, replay: false });
}
