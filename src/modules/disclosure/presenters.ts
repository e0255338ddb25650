import type { PublicationRow } from './publication.repository.ts';
import { publicationPath } from './service.ts';

/** What the public API shows of a published publication. */
export function presentPublic(p: PublicationRow, publicUrl: string) {
  return {
    id: p.id,
    url: `${publicUrl}${publicationPath(p)}`,
    indexNumber: p.indexNumber,
    title: p.title,
    docNumber: p.docNumber,
    issuingBody: p.issuingBody,
    organisationId: p.organisationId,
    organisationName: p.organisationName,
    jurisdictionCode: p.jurisdictionCode,
    writtenOn: p.writtenOn,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    categoryCode: p.categoryCode,
    theme: p.theme,
    genre: p.genre,
    validity: p.validity,
    summary: p.summary,
    status: p.status,
    ...(p.status === 'published' ? { bodyHtml: p.bodyHtml, attachmentIds: p.attachmentIds } : { withdrawnReason: p.withdrawnReason }),
  };
}

/** The staff view adds the workflow fields. */
export function presentStaff(p: PublicationRow) {
  return {
    id: p.id,
    indexNumber: p.indexNumber,
    title: p.title,
    docNumber: p.docNumber,
    issuingBody: p.issuingBody,
    organisationId: p.organisationId,
    organisationName: p.organisationName,
    jurisdictionCode: p.jurisdictionCode,
    writtenOn: p.writtenOn,
    dueOn: p.dueOn,
    publishedAt: p.publishedAt?.toISOString() ?? null,
    categoryCode: p.categoryCode,
    theme: p.theme,
    genre: p.genre,
    validity: p.validity,
    summary: p.summary,
    bodyHtml: p.bodyHtml,
    attachmentIds: p.attachmentIds,
    status: p.status,
    reviewOpinion: p.reviewOpinion,
    reviewedBy: p.reviewedBy,
    withdrawnReason: p.withdrawnReason,
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
  };
}

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
export const staffPublicationJson = {
  type: 'object',
  properties: {
    id: str, indexNumber: strOrNull, title: str, docNumber: strOrNull, issuingBody: str, organisationId: str, organisationName: str, jurisdictionCode: str,
    writtenOn: str, dueOn: str, publishedAt: strOrNull, categoryCode: str, theme: strOrNull, genre: str, validity: str, summary: strOrNull, bodyHtml: str,
    attachmentIds: { type: 'array', items: str }, status: str, reviewOpinion: strOrNull, reviewedBy: strOrNull, withdrawnReason: strOrNull, updatedAt: str, version: { type: 'integer' },
  },
} as const;
