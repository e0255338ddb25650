import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { IndexedDocument, SearchIndexWriter } from '../../../platform/search/contract.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { CatalogRepository, ItemRow } from '../catalog.repository.ts';
import { ITEM_TYPES, type ItemElements } from '../types.ts';

export interface CatalogDeps {
  catalog: CatalogRepository;
  permissions: PermissionRegistry;
  /** The one search box (platform/search); null until the search engine is wired. */
  search: SearchIndexWriter | null;
}

/** Exercise level (A.2) from a division code: 省 2, 市 3, 县 4, 乡镇 5. */
export function levelOfDivision(code: string): string {
  if (code.length > 6) return '5';
  if (code.endsWith('0000')) return '2';
  if (code.endsWith('00')) return '3';
  return '4';
}

export function serviceItemDocument(item: ItemRow, e: ItemElements): IndexedDocument {
  const body = [e.acceptanceConditions, e.materials.map((m) => m.name).join('；'), e.legalBasis, e.resultName].filter(Boolean).join('\n');
  return {
    key: `service-item:${item.id}`,
    kind: 'service-item',
    title: e.name,
    body,
    url: `/services/${item.id}`,
    publishedAt: item.publishedAt,
    divisionCode: item.jurisdictionCode,
    organisationId: item.organisationId,
    organisationName: item.organisationName,
    category: ITEM_TYPES[e.itemType] ?? null,
    genre: null,
    validity: 'valid',
    keywords: [item.namePinyin, item.nameInitials, item.implementationCode, e.basicCode, ...e.themes.naturalPerson, ...e.themes.legalPerson].filter(Boolean),
  };
}

export async function indexPublished(deps: CatalogDeps, uow: UnitOfWork, item: ItemRow, e: ItemElements): Promise<void> {
  if (deps.search) await deps.search.put(uow, serviceItemDocument(item, e));
}

export async function unindex(deps: CatalogDeps, uow: UnitOfWork, itemId: string): Promise<void> {
  if (deps.search) await deps.search.remove(uow, `service-item:${itemId}`);
}

/**
 * Empties the itemForApplication cache once this command's transaction commits (the repository
 * also empties it at each write, but a read between that write and the commit could otherwise
 * put the old answer back). Call it in every command that changes items or versions.
 */
export function forgetItemsOnCommit(deps: CatalogDeps, uow: UnitOfWork): void {
  const cache = deps.catalog.applicationCache;
  uow.afterCommit(() => cache.invalidate());
}
