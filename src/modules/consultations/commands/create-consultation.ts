import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { ConsultationKind, ConsultationRow } from '../consultation.repository.ts';
import type { ConsultationDeps } from './deps.ts';
import { validateConsultationInput, type ConsultationInput } from './validate-consultation.ts';

/** An organiser (clerk) drafts a consultation on a draft policy or a survey for their own organisation. */
export async function createConsultation(
  deps: ConsultationDeps,
  uow: UnitOfWork,
  kind: ConsultationKind,
  input: ConsultationInput,
): Promise<Result<ConsultationRow, 'forbidden' | 'invalid'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, 'consultation.write')) return refuse('forbidden', '您当前的岗位不能起草征求意见或网上调查');
  const { value, errors } = validateConsultationInput(kind, input);
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const c = await deps.consultations.insert(uow.tx, {
    ...value,
    kind,
    organisationId: actor.position.organisationId,
    organisationName: actor.position.organisationName,
    jurisdictionCode: actor.position.jurisdictionCode,
    createdBy: actor.accountId,
  });
  await uow.audit({ action: 'consultation.create', objectType: 'consultation', objectId: c.id, detail: { kind, title: c.title } });
  return ok(c);
}
