import type { IndexedDocument } from '../../../platform/search/contract.ts';
import type { PublicationRow } from '../publication.repository.ts';

/** The publication as the one search box sees it. */
export function publicationDocument(p: PublicationRow, url: string): IndexedDocument {
  return {
    key: `publication:${p.id}`,
    kind: 'publication',
    title: p.title,
    body: [p.summary, p.bodyText].filter(Boolean).join('\n'),
    url,
    publishedAt: p.publishedAt,
    divisionCode: p.jurisdictionCode,
    organisationId: p.organisationId,
    organisationName: p.organisationName,
    category: p.categoryCode,
    genre: p.genre,
    validity: p.validity,
    keywords: [p.docNumber, p.indexNumber].filter((k): k is string => Boolean(k)),
  };
}
