import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import { DraftRepository } from '../draft.repository.ts';
import type { CaseDeps } from './deps.ts';

/**
 * 删除草稿: only the applicant's own draft (anyone else's answers 404, as if it did not exist);
 * with a version, a draft saved again since answers 409.
 */
export async function deleteDraft(deps: CaseDeps, uow: UnitOfWork, input: { id: string; version: number | null }): Promise<Result<{ id: string }, 'not_found' | 'conflict'>> {
  const actor = uow.ctx.actor;
  const drafts = new DraftRepository(deps.cases.db);
  const d = await drafts.get(input.id, uow.tx);
  if (!d || (actor.kind !== 'citizen' && actor.kind !== 'enterprise') || d.applicant_account_id !== actor.accountId) return refuse('not_found', '草稿不存在或已删除');
  if (!(await drafts.delete(uow.tx, d.id, input.version))) return refuse('conflict', '此草稿刚刚已在别处保存过，请刷新后再删除');
  await uow.audit({ action: 'case.draft.delete', objectType: 'application_draft', objectId: d.id, detail: { itemId: d.item_id, version: d.version } });
  return ok({ id: d.id });
}
