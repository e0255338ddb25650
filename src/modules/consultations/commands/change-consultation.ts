import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { Adoption, ConsultationRow } from '../consultation.repository.ts';
import { canConsultation, inStaffScope, type ConsultationAction } from '../policies.ts';
import { phaseAt } from '../rules.ts';
import { feedConsultationToSearch } from '../search-document.ts';
import type { ConsultationDeps } from './deps.ts';
import { validateConsultationInput, type ConsultationInput } from './validate-consultation.ts';

export type ChangeRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict';

export interface AdoptionDecision {
  commentId: string;
  adoption: Adoption;
  reason: string;
}

export type ConsultationChange =
  | ({ kind: 'edit' } & ConsultationInput)
  | { kind: 'publish' }
  | { kind: 'close' }
  /** Save the feedback draft: summary and per-comment decisions (意见采纳情况), before publishing. */
  | { kind: 'feedback'; summary?: unknown; decisions: AdoptionDecision[] }
  /** Publish the feedback (drafts) or the results (surveys): the consultation is concluded. */
  | { kind: 'conclude'; summary?: unknown };

const FORBIDDEN: Record<ConsultationChange['kind'], string> = {
  edit: '只有草稿状态可以修改',
  publish: '只有草稿可以发布，且需要部门负责人权限',
  close: '只有正在征集的项目可以提前截止，且需要部门负责人权限',
  feedback: '征集截止后、公布结果前才能填写意见采纳情况',
  conclude: '征集截止后才能公布结果，且需要部门负责人权限',
};

const ADOPTION_REASON_MAX = 1000;
const SUMMARY_MAX = 10000;

/**
 * Every organiser action on a consultation, with optimistic versioning (a stale version
 * is a conflict, never a silent overwrite) and an audit entry in the same transaction.
 */
export async function changeConsultation(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  id: string,
  version: number,
  change: ConsultationChange,
): Promise<Result<ConsultationRow, ChangeRefusal>> {
  const actor = uow.ctx.actor;
  const now = deps.now();
  const c = await deps.consultations.getById(id, uow.tx, { forUpdate: true });
  const action = `consultation.${change.kind}`;
  if (!c || !inStaffScope(deps.permissions, actor, c)) {
    await uow.audit({ action, objectType: 'consultation', objectId: id, outcome: 'denied' });
    return refuse('not_found', '征求意见或调查不存在，或不在您的管辖范围内');
  }
  const policyAction: ConsultationAction = change.kind;
  if (!canConsultation(deps.permissions, actor, policyAction, c, now)) {
    await uow.audit({ action, objectType: 'consultation', objectId: id, outcome: 'denied', detail: { phase: phaseAt(c, now) } });
    return refuse('forbidden', FORBIDDEN[change.kind]);
  }
  if (c.version !== version) return refuse('conflict', '该项目已被他人修改，请刷新后重试');

  let updated: ConsultationRow | null = null;
  switch (change.kind) {
    case 'edit': {
      const { value, errors } = validateConsultationInput(c.kind, change);
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      updated = await deps.consultations.update(uow.tx, id, version, value);
      break;
    }
    case 'publish': {
      if (c.closesAt <= now) return refuse('invalid', '截止时间已过，请先修改截止时间再发布', [{ field: 'closesAt', message: '截止时间应晚于当前时间' }]);
      if (c.kind === 'survey' && c.questions.length === 0) return refuse('invalid', '问卷还没有题目', [{ field: 'questions', message: '请至少设置一个问题' }]);
      updated = await deps.consultations.update(uow.tx, id, version, { status: 'published', publishedAt: now });
      break;
    }
    case 'close': {
      // Closing early moves the closing time to now; "closed" stays a computed phase.
      updated = await deps.consultations.update(uow.tx, id, version, { closesAt: c.opensAt > now ? new Date(c.opensAt.getTime() + 1) : now });
      break;
    }
    case 'feedback': {
      const errors: FieldError[] = [];
      const summary = typeof change.summary === 'string' ? change.summary.replace(/\r\n/g, '\n').trim() : undefined;
      if (summary !== undefined && [...summary].length > SUMMARY_MAX) errors.push({ field: 'summary', message: `总体情况说明不能超过 ${SUMMARY_MAX} 个字` });
      for (const d of change.decisions) {
        const comment = await deps.consultations.getComment(id, d.commentId, uow.tx);
        const field = `adoption_${d.commentId}`;
        if (!comment) {
          errors.push({ field, message: '该条意见不存在' });
          continue;
        }
        const reason = d.reason.trim();
        if (d.adoption !== 'adopted' && !reason) errors.push({ field: `reason_${d.commentId}`, message: '未采纳或部分采纳的意见，请说明理由' });
        else if ([...reason].length > ADOPTION_REASON_MAX) errors.push({ field: `reason_${d.commentId}`, message: `理由不能超过 ${ADOPTION_REASON_MAX} 个字` });
        else {
          const saved = await deps.consultations.updateComment(uow.tx, comment.id, comment.version, { adoption: d.adoption, adoptionReason: reason || null });
          if (!saved) return refuse('conflict', '意见已被他人处理，请刷新后重试');
        }
      }
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      updated = await deps.consultations.update(uow.tx, id, version, summary !== undefined ? { feedbackSummary: summary } : {});
      break;
    }
    case 'conclude': {
      const summary = typeof change.summary === 'string' ? change.summary.replace(/\r\n/g, '\n').trim() : c.feedbackSummary;
      if (c.kind === 'draft') {
        if (!summary) return refuse('invalid', '请填写意见采纳的总体情况说明', [{ field: 'summary', message: '请填写总体情况说明' }]);
        const pending = await deps.consultations.listComments(id, { status: 'pending', limit: 1, offset: 0 }, uow.tx);
        if (pending.total > 0) return refuse('invalid', `还有 ${pending.total} 条意见未审核，请先处理`, [{ field: 'summary', message: '请先审核全部意见' }]);
        const approved = await deps.consultations.listComments(id, { status: 'approved', limit: 10000, offset: 0 }, uow.tx);
        const undecided = approved.rows.filter((x) => x.adoption === null).length;
        if (undecided > 0) return refuse('invalid', `还有 ${undecided} 条意见未填写采纳情况`, [{ field: 'summary', message: `还有 ${undecided} 条意见未填写采纳情况` }]);
      }
      if ([...summary].length > SUMMARY_MAX) return refuse('invalid', '请修改标记的内容', [{ field: 'summary', message: `总体情况说明不能超过 ${SUMMARY_MAX} 个字` }]);
      updated = await deps.consultations.update(uow.tx, id, version, { status: 'concluded', concludedAt: now, feedbackSummary: summary });
      break;
    }
  }
  if (!updated) return refuse('conflict', '该项目已被他人修改，请刷新后重试');
  await uow.audit({ action, objectType: 'consultation', objectId: id, detail: { version: updated.version, ...(change.kind === 'feedback' ? { decisions: change.decisions.length } : {}) } });
  if (change.kind === 'publish' || change.kind === 'conclude') await feedConsultationToSearch(deps.search, uow, updated);
  return ok(updated);
}
