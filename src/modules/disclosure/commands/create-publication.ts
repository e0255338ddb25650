import { actorId, actorLabel } from '../../../platform/auth/actor.ts';
import { formatCivilDate, civilDayAt } from '../../../platform/calendar/index.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { INTERPRETATION_CATEGORY } from '../catalog.ts';
import { proactiveDueOn } from '../deadline.ts';
import { PERMISSION, canPublication } from '../policies.ts';
import type { PublicationRow } from '../publication.repository.ts';
import type { DisclosureDeps } from './deps.ts';
import { validatePublicationInput, type PublicationInput } from './validate-publication.ts';

export type CreateInput = PublicationInput & { interpretsId?: unknown; idempotencyKey?: unknown };

/**
 * A drafter writes a publication for their own organisation. The proactive deadline (Art. 26)
 * is fixed from the written date. A retried submission with the same idempotency key returns
 * the draft already made.
 */
export async function createPublication(deps: DisclosureDeps, uow: UnitOfWork, input: CreateInput, opts: { sourceKey?: string } = {}): Promise<Result<PublicationRow, 'forbidden' | 'invalid'>> {
  const actor = uow.ctx.actor;
  if (actor.kind !== 'staff' || !deps.permissions.has(actor, PERMISSION.draft)) return refuse('forbidden', '您当前的岗位不能起草公开信息');
  const key = opts.sourceKey ?? (typeof input.idempotencyKey === 'string' && /^[\w-]{8,80}$/.test(input.idempotencyKey) ? `idem:${actor.accountId}:${input.idempotencyKey}` : null);
  if (key) {
    const existing = await deps.publications.getBySourceId(key, uow.tx);
    if (existing) return ok(existing);
  }
  const categories = await deps.publications.categories(uow.tx);
  const { value, errors } = validatePublicationInput(input, {
    categoryCodes: new Set(categories.map((c) => c.code)),
    today: formatCivilDate(civilDayAt(new Date())),
    defaultIssuingBody: actor.position.organisationName,
  });
  let policy: PublicationRow | null = null;
  const interpretsId = typeof input.interpretsId === 'string' ? input.interpretsId.trim() : '';
  if (interpretsId) {
    if (value.categoryCode !== INTERPRETATION_CATEGORY) errors.push({ field: 'interpretsId', message: '只有“政策解读”类信息可以关联所解读的政策文件' });
    policy = await deps.publications.getById(interpretsId, uow.tx);
    if (!policy || (policy.status !== 'published' && !canPublication(deps.permissions, actor, 'read', policy))) errors.push({ field: 'interpretsId', message: '所解读的政策文件不存在' });
  }
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const category = categories.find((c) => c.code === value.categoryCode);
  const calendar = await deps.calendars.calendarFor(actor.position.jurisdictionCode.slice(0, 6), uow.tx);
  const p = await deps.publications.insert(uow.tx, {
    ...value,
    organisationId: actor.position.organisationId,
    organisationName: actor.position.organisationName,
    jurisdictionCode: actor.position.jurisdictionCode,
    dueOn: proactiveDueOn(calendar, value.writtenOn, category?.deadlineDays ?? null),
    createdBy: actor.accountId,
    sourceId: key,
  });
  if (policy) await deps.publications.link(uow.tx, policy.id, p.id);
  await deps.publications.addEvent(uow.tx, { publicationId: p.id, version: p.version, event: 'created', actorId: actorId(actor), actorName: actorLabel(actor) });
  await uow.audit({ action: 'disclosure.create', objectType: 'publication', objectId: p.id, detail: { title: p.title, dueOn: p.dueOn, ...(policy ? { interprets: policy.id } : {}) } });
  return ok(p);
}
