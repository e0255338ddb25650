import type { IndexedDocument } from '../../../platform/search/contract.ts';
import { CATEGORY_SEED } from '../catalog.ts';
import type { PublicationRow } from '../publication.repository.ts';

const CATEGORY_NAMES = new Map(CATEGORY_SEED.map((c) => [c.code, c.name]));

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
    // The facet shows names, and a name shared with the catalog's item types (行政许可…) filters both.
    category: CATEGORY_NAMES.get(p.categoryCode) ?? p.categoryCode,
    genre: p.genre,
    validity: p.validity,
    keywords: [p.docNumber, p.indexNumber].filter((k): k is string => Boolean(k)),
  };
}
