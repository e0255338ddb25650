import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { ConsultationRow } from '../consultation.repository.ts';
import { canConsultation, inStaffScope } from '../policies.ts';
import type { ConsultationDeps } from './deps.ts';

const MAX_ATTACHMENTS = 20;

/** Adds a stored file (platform.attachments) to a consultation still in draft (row locked, so no version from the form is needed). */
export async function attachFile(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  id: string,
  attachmentId: string,
): Promise<Result<ConsultationRow, 'not_found' | 'forbidden' | 'invalid' | 'conflict'>> {
  const c = await deps.consultations.getById(id, uow.tx, { forUpdate: true });
  if (!c || !inStaffScope(deps.permissions, uow.ctx.actor, c)) return refuse('not_found', '征求意见或调查不存在，或不在您的管辖范围内');
  if (!canConsultation(deps.permissions, uow.ctx.actor, 'edit', c, deps.now())) return refuse('forbidden', '只有草稿状态可以添加附件');
  if (c.attachmentIds.length >= MAX_ATTACHMENTS) return refuse('invalid', `附件不能超过 ${MAX_ATTACHMENTS} 个`, [{ field: 'file', message: `附件不能超过 ${MAX_ATTACHMENTS} 个` }]);
  if (c.attachmentIds.includes(attachmentId)) return ok(c);
  const updated = await deps.consultations.update(uow.tx, id, c.version, { attachmentIds: [...c.attachmentIds, attachmentId] });
  if (!updated) return refuse('conflict', '该项目已被他人修改，请刷新后重试');
  await uow.audit({ action: 'consultation.attach', objectType: 'consultation', objectId: id, detail: { attachmentId } });
  return ok(updated);
}
