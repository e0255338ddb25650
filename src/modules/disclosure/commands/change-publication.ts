import { actorId, actorLabel } from '../../../platform/auth/actor.ts';
import { civilDayAt, formatCivilDate } from '../../../platform/calendar/index.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { proactiveDueOn } from '../deadline.ts';
import { canPublication, inStaffScope, type PublicationAction } from '../policies.ts';
import type { PublicationRow } from '../publication.repository.ts';
import type { DisclosureDeps } from './deps.ts';
import { indexNumberFor } from './index-number.ts';
import { publicationDocument } from './search-document.ts';
import { validatePublicationInput, type PublicationInput } from './validate-publication.ts';

export type ChangeRefusal = 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'duplicate';

export type PublicationChange =
  | { kind: 'edit'; input: PublicationInput }
  | { kind: 'submit' }
  | { kind: 'review'; decision: 'pass' | 'return'; opinion: unknown }
  /** `indexNumber`: an existing number kept from an old site (imports); otherwise the template allocates one. */
  | { kind: 'publish'; indexNumber?: string; publishedAt?: Date }
  | { kind: 'withdraw'; reason: unknown }
  | { kind: 'revise'; input: PublicationInput; reason: unknown };

const ACTION: Record<PublicationChange['kind'], PublicationAction> = { edit: 'edit', submit: 'submit', review: 'review', publish: 'publish', withdraw: 'withdraw', revise: 'revise' };

const REFUSED: Record<PublicationChange['kind'], string> = {
  edit: '只有草稿可以修改；已发布的信息请使用“修订”',
  submit: '只有草稿可以提交保密审查',
  review: '只有待审查的信息可以进行保密审查，且需要保密审查权限',
  publish: '只有通过保密审查的信息可以发布，且需要发布权限',
  withdraw: '只有已发布的信息可以撤销，且需要发布权限',
  revise: '只有已发布的信息可以修订，且需要发布和保密审查权限',
};

const EVENT: Record<string, string> = { edit: 'edited', submit: 'submitted', pass: 'review_passed', return: 'review_returned', publish: 'published', withdraw: 'withdrawn', revise: 'revised' };

function note(v: unknown, field: string, label: string, required: boolean): { text: string | null; error?: FieldError } {
  const text = typeof v === 'string' ? v.trim() : '';
  if (required && !text) return { text: null, error: { field, message: `请填写${label}` } };
  if ([...text].length > 1000) return { text: null, error: { field, message: `${label}不能超过 1000 个字` } };
  return { text: text || null };
}

/** What the public page shows of a version (history snapshot). */
function snapshot(p: PublicationRow) {
  return { title: p.title, docNumber: p.docNumber, validity: p.validity, categoryCode: p.categoryCode, genre: p.genre, bodyHtml: p.bodyHtml };
}

/**
 * One step of the workflow drafter → 保密审查 → publisher, or a withdrawal (撤销) or revision
 * (修订) of published content; optimistic versioning (a stale version is a conflict), every
 * step audited and kept in the history. `orgUscc` is read before the transaction.
 */
export async function changePublication(
  deps: DisclosureDeps,
  uow: UnitOfWork,
  id: string,
  version: number,
  change: PublicationChange,
  prepared: { orgUscc: string | null; publicUrl: (p: PublicationRow) => string },
): Promise<Result<PublicationRow, ChangeRefusal>> {
  const actor = uow.ctx.actor;
  const action = ACTION[change.kind];
  const p = await deps.publications.getById(id, uow.tx);
  const audit = (outcome: 'success' | 'denied', detail: Record<string, unknown> = {}) =>
    uow.audit({ action: `disclosure.${change.kind === 'review' ? `review.${change.decision}` : change.kind}`, objectType: 'publication', objectId: id, outcome, detail });
  if (!p || !inStaffScope(deps.permissions, actor, p)) {
    await audit('denied');
    return refuse('not_found', '公开信息不存在或不在您的管辖范围内');
  }
  if (!canPublication(deps.permissions, actor, action, p)) {
    await audit('denied', { status: p.status });
    return refuse('forbidden', REFUSED[change.kind]);
  }
  if (p.version !== version) return refuse('conflict', '该信息已被他人修改，请刷新页面后重试');

  let updated: PublicationRow | null = null;
  let eventNote: string | null = null;
  let isPublic = false;
  switch (change.kind) {
    case 'edit':
    case 'revise': {
      const categories = await deps.publications.categories(uow.tx);
      const { value, errors } = validatePublicationInput(change.input, {
        categoryCodes: new Set(categories.map((c) => c.code)),
        today: formatCivilDate(civilDayAt(new Date())),
        defaultIssuingBody: p.organisationName,
      });
      if (change.kind === 'revise') {
        const reason = note(change.reason, 'reason', '修订说明', true);
        if (reason.error) errors.push(reason.error);
        eventNote = reason.text;
        isPublic = true;
      }
      if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
      let dueOn: string | undefined;
      if (change.kind === 'edit' && (value.writtenOn !== p.writtenOn || value.categoryCode !== p.categoryCode)) {
        const calendar = await deps.calendars.calendarFor(p.jurisdictionCode.slice(0, 6), uow.tx);
        dueOn = proactiveDueOn(calendar, value.writtenOn, categories.find((c) => c.code === value.categoryCode)?.deadlineDays ?? null);
      }
      updated = await deps.publications.update(uow.tx, id, version, { ...value, ...(dueOn ? { dueOn } : {}) });
      break;
    }
    case 'submit':
      updated = await deps.publications.update(uow.tx, id, version, { status: 'in_review' });
      break;
    case 'review': {
      // 保密审查: the reviewer records an opinion either way; returning needs a reason.
      const opinion = note(change.opinion, 'opinion', '审查意见', true);
      if (opinion.error) return refuse('invalid', '请填写保密审查意见', [opinion.error]);
      eventNote = opinion.text;
      updated = await deps.publications.update(uow.tx, id, version, {
        status: change.decision === 'pass' ? 'approved' : 'draft',
        reviewOpinion: opinion.text,
        reviewedBy: actorLabel(actor),
        reviewedAt: new Date(),
      });
      break;
    }
    case 'publish': {
      const publishedAt = change.publishedAt ?? new Date();
      let indexNumber = p.indexNumber ?? change.indexNumber ?? null;
      if (!indexNumber) {
        const issued = await indexNumberFor(deps, uow.tx, p, prepared.orgUscc, publishedAt);
        if (!issued.ok) return issued;
        indexNumber = issued.value;
      }
      const holder = await deps.publications.getByIndexNumber(indexNumber, uow.tx);
      // Refused, and the allocation stays taken (the number is in use by the holder, so skipping it leaves no gap).
      if (holder && holder.id !== p.id) {
        await audit('denied', { indexNumber, collision: holder.id });
        return refuse('duplicate', `索引号 ${indexNumber} 已被《${holder.title}》使用，不能重复`, [{ field: 'indexNumber', message: `索引号 ${indexNumber} 已被占用` }]);
      }
      updated = await deps.publications.update(uow.tx, id, version, { status: 'published', indexNumber, publishedAt });
      eventNote = `索引号 ${indexNumber}`;
      isPublic = true;
      if (updated) await deps.publications.resolveAlert(uow.tx, id);
      break;
    }
    case 'withdraw': {
      const reason = note(change.reason, 'reason', '撤销原因', true);
      if (reason.error) return refuse('invalid', '请填写撤销原因', [reason.error]);
      eventNote = reason.text;
      isPublic = true;
      updated = await deps.publications.update(uow.tx, id, version, { status: 'withdrawn', withdrawnReason: reason.text });
      break;
    }
  }
  if (!updated) return refuse('conflict', '该信息已被他人修改，请刷新页面后重试');

  const event = change.kind === 'review' ? EVENT[change.decision]! : EVENT[change.kind]!;
  await deps.publications.addEvent(uow.tx, {
    publicationId: id,
    version: updated.version,
    event,
    actorId: actorId(actor),
    actorName: actorLabel(actor),
    note: eventNote,
    public: isPublic,
    snapshot: change.kind === 'revise' ? { before: snapshot(p), after: snapshot(updated) } : snapshot(updated),
  });
  // The one search box: in on publish and revision, out on withdrawal — in the same transaction.
  if (deps.search) {
    if (updated.status === 'published') await deps.search.put(uow, publicationDocument(updated, prepared.publicUrl(updated)));
    if (change.kind === 'withdraw') await deps.search.remove(uow, `publication:${id}`);
  }
  await audit('success', { version: updated.version, status: updated.status, ...(updated.indexNumber && change.kind === 'publish' ? { indexNumber: updated.indexNumber } : {}) });
  return ok(updated);
}
