import { systemContext } from '../../../platform/auth/actor.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { DraftRepository } from '../draft.repository.ts';
import { DRAFT_RETENTION_DAYS } from './save-draft.ts';

/**
 * Retention of application drafts: a draft not saved for 90 days is deleted (personal data is
 * not kept longer than its purpose needs). Set-based and idempotent: running twice deletes nothing more.
 */
export async function purgeDrafts(drafts: DraftRepository, transactor: Transactor, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DRAFT_RETENTION_DAYS * 86_400_000);
  return transactor.run(systemContext('cases.draft-purge'), async (uow) => {
    const ids = await drafts.purgeSavedBefore(uow.tx, cutoff);
    if (ids.length > 0) {
      await uow.audit({ action: 'case.draft.purge', objectType: 'application_draft', objectId: cutoff.toISOString(), detail: { deleted: ids.length, savedBefore: cutoff.toISOString() } });
    }
    return ids.length;
  });
}
