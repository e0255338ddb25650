import { mergeForms } from '../../platform/forms/definition.ts';
import type { CatalogRepository, ItemRow, VersionRow } from './catalog.repository.ts';
import type { ItemForApplication, LifeEventForApplication } from './types.ts';

/** What other modules (cases) ask of the catalog. Reads of published, public data. */
export interface CatalogService {
  /** The PUBLISHED version in force of an implementation item, or null (unpublished, suspended, cancelled, unknown). */
  itemForApplication(implementationItemId: string): Promise<ItemForApplication | null>;
  /** Any version by id (a running case keeps the version it was filed under, even once superseded). */
  itemVersion(versionId: string): Promise<ItemForApplication | null>;
  /** A published life event (一件事): its items in force and one merged form; null when any item is not in force. */
  lifeEvent(id: string): Promise<LifeEventForApplication | null>;
}

export function presentForApplication(item: ItemRow, v: VersionRow): ItemForApplication {
  const e = v.elements;
  return {
    versionId: v.id,
    implementationItemId: item.id,
    version: v.versionNo,
    implementationCode: item.implementationCode,
    basicCode: e.basicCode,
    name: e.name,
    itemType: e.itemType,
    organisationId: item.organisationId,
    organisationName: item.organisationName,
    divisionCode: item.jurisdictionCode,
    caseType: e.caseType,
    legalLimit: e.legalLimit,
    promisedLimit: e.promisedLimit,
    materials: e.materials.map((m) => ({ code: m.code, name: m.name, required: m.required, form: m.form, originals: m.originals, copies: m.copies, note: m.note, fromSharing: m.fromSharing })),
    form: v.form,
    feeCharged: e.feeCharged,
    workflowKey: e.workflowKey,
    serviceObjects: e.serviceObjects,
  };
}

export function createCatalogService(catalog: CatalogRepository): CatalogService {
  async function itemForApplication(id: string): Promise<ItemForApplication | null> {
    const item = await catalog.getItem(id);
    if (!item || item.status !== 'published' || !item.publishedVersionId) return null;
    const v = await catalog.getVersion(item.publishedVersionId);
    return v ? presentForApplication(item, v) : null;
  }
  return {
    itemForApplication,
    async itemVersion(versionId) {
      const v = await catalog.getVersion(versionId);
      if (!v) return null;
      const item = await catalog.getItem(v.itemId);
      return item ? presentForApplication(item, v) : null;
    },
    async lifeEvent(id) {
      const le = await catalog.getLifeEvent(id);
      if (!le || le.status !== 'published') return null;
      const items: ItemForApplication[] = [];
      for (const itemId of le.itemIds) {
        const it = await itemForApplication(itemId);
        if (!it) return null;
        items.push(it);
      }
      return { id: le.id, code: le.code, name: le.name, description: le.description, audience: le.audience, items, form: mergeForms(items.map((i) => i.form)) };
    },
  };
}
