import type { IndexedDocument, SearchIndexWriter } from '../../platform/search/contract.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import type { UnitOfWork } from '../../platform/unit-of-work.ts';
import type { NoticeRepository, NoticeRow } from './notice.repository.ts';

/** A published notice as the one search box indexes it (docs/search.md). */
export function noticeSearchDocument(n: NoticeRow): IndexedDocument {
  return {
    key: `notice:${n.id}`,
    kind: 'notice',
    title: n.title,
    body: n.body,
    url: `/notices/${n.id}`,
    publishedAt: n.publishedAt,
    divisionCode: n.jurisdictionCode,
    organisationId: n.organisationId,
    organisationName: n.organisationName,
  };
}

/** In the notice's transaction: published notices are in the index, every other state is not. */
export async function feedNoticeToSearch(search: SearchIndexWriter, uow: UnitOfWork, n: NoticeRow): Promise<void> {
  if (n.status === 'published') await search.put(uow, noticeSearchDocument(n));
  else await search.remove(uow, `notice:${n.id}`);
}

/** Puts every published notice into the index again (idempotent: put replaces by key). */
export async function reindexNotices(platform: Platform, notices: NoticeRepository): Promise<number> {
  const pageSize = 500;
  let done = 0;
  for (let offset = 0; ; offset += pageSize) {
    const { rows } = await notices.listPublished({ limit: pageSize, offset });
    if (rows.length === 0) break;
    await platform.transactor.run(systemContext('search-reindex'), async (uow) => {
      for (const n of rows) await platform.search.put(uow, noticeSearchDocument(n));
      await uow.audit({ action: 'search.reindex', objectType: 'notice', objectId: 'published', detail: { count: rows.length, offset } });
    });
    done += rows.length;
    if (rows.length < pageSize) break;
  }
  return done;
}
