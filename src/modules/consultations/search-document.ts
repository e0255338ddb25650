import { systemContext } from '../../platform/auth/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import type { IndexedDocument, SearchIndexWriter } from '../../platform/search/contract.ts';
import type { UnitOfWork } from '../../platform/unit-of-work.ts';
import type { ConsultationRepository, ConsultationRow } from './consultation.repository.ts';
import { htmlToText } from './rules.ts';

/** A published consultation as the one search box indexes it (kind 'consultation'). */
export function consultationSearchDocument(c: ConsultationRow): IndexedDocument {
  return {
    key: `consultation:${c.id}`,
    kind: 'consultation',
    title: c.title,
    body: [c.summary, htmlToText(c.bodyHtml), c.questions.map((q) => q.title).join('\n'), c.feedbackSummary].filter(Boolean).join('\n'),
    url: `/consultations/${c.id}`,
    publishedAt: c.publishedAt,
    divisionCode: c.jurisdictionCode,
    organisationId: c.organisationId,
    organisationName: c.organisationName,
    genre: c.kind === 'draft' ? '征求意见' : '网上调查',
  };
}

/** In the consultation's transaction: published (and concluded) ones are in the index, drafts are not. */
export async function feedConsultationToSearch(search: SearchIndexWriter, uow: UnitOfWork, c: ConsultationRow): Promise<void> {
  if (c.status === 'draft') await search.remove(uow, `consultation:${c.id}`);
  else await search.put(uow, consultationSearchDocument(c));
}

/** Puts every published consultation into the index again (idempotent: put replaces by key). */
export async function reindexConsultations(platform: Platform, consultations: ConsultationRepository): Promise<number> {
  const rows = await consultations.listAllPublished();
  if (rows.length === 0) return 0;
  await platform.transactor.run(systemContext('search-reindex'), async (uow) => {
    for (const c of rows) await platform.search.put(uow, consultationSearchDocument(c));
    await uow.audit({ action: 'search.reindex', objectType: 'consultation', objectId: 'published', detail: { count: rows.length } });
  });
  return rows.length;
}
