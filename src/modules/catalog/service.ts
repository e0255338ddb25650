import { mergeForms } from '../../platform/forms/definition.ts';
import type { CatalogRepository, ItemRow, VersionRow } from './catalog.repository.ts';
import type { ItemForApplication, LifeEventForApplication, LifeEventLookup } from './types.ts';

/** What other modules (cases) ask of the catalog. Reads of published, public data. */
export interface CatalogService {
  /**
   * The PUBLISHED version in force of an implementation item, or null (unpublished, suspended, cancelled, unknown).
   * Served from an in-process cache for at most 2 s (emptied by every catalog write of this process); the
   * answer is deeply frozen: do not mutate it.
   */
  itemForApplication(implementationItemId: string): Promise<ItemForApplication | null>;
  /** Any version by id (a running case keeps the version it was filed under, even once superseded). */
  itemVersion(versionId: string): Promise<ItemForApplication | null>;
  /** A published life event (一件事): its items in force and one merged form; null when any item is not in force. */
  lifeEvent(id: string): Promise<LifeEventForApplication | null>;
  /** The same, or why it cannot be applied for, in Chinese, naming the item at fault (e.g. “其中“公共场所卫生许可”已暂停办理”). */
  lifeEventForApplication(id: string): Promise<LifeEventLookup>;
}

const UNAVAILABLE = '暂不能在线申请';

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
  const cache = catalog.applicationCache;
  /** One statement (item joined to its version in force), answers cached ≤ 2 s in-process (item-cache.ts); frozen. */
  async function itemForApplication(id: string): Promise<ItemForApplication | null> {
    return cache.read(id, async () => {
      const found = await catalog.getPublishedItemWithVersion(id);
      return found ? presentForApplication(found.item, found.version) : null;
    });
  }
  return {
    itemForApplication,
    async itemVersion(versionId) {
      const v = await catalog.getVersion(versionId);
      if (!v) return null;
      const item = await catalog.getItem(v.itemId);
      return item ? presentForApplication(item, v) : null;
    },
    lifeEventForApplication,
    async lifeEvent(id) {
      const found = await lifeEventForApplication(id);
      return found.ok ? found.lifeEvent : null;
    },
  };

  async function lifeEventForApplication(id: string): Promise<LifeEventLookup> {
    const le = await catalog.getLifeEvent(id);
    if (!le) return { ok: false, reason: 'not_found', message: '该“一件事”不存在' };
    if (le.status === 'withdrawn') return { ok: false, reason: 'withdrawn', message: `该“一件事”已撤回，${UNAVAILABLE}` };
    if (le.status !== 'published') return { ok: false, reason: 'not_published', message: `该“一件事”尚未发布，${UNAVAILABLE}` };
    const items: ItemForApplication[] = [];
    for (const itemId of le.itemIds) {
      const item = await catalog.getItem(itemId);
      const v = item && item.status === 'published' && item.publishedVersionId ? await catalog.getVersion(item.publishedVersionId) : null;
      if (item && v) {
        items.push(presentForApplication(item, v));
        continue;
      }
      if (!item) return { ok: false, reason: 'item_unavailable', message: `其中有事项已不在事项目录中，${UNAVAILABLE}` };
      const why = item.status === 'suspended' ? '已暂停办理' : item.status === 'cancelled' ? '已取消' : '尚未发布';
      return { ok: false, reason: item.status === 'suspended' ? 'item_suspended' : 'item_unavailable', message: `其中“${item.name}”${why}，${UNAVAILABLE}`, itemName: item.name };
    }
    return { ok: true, lifeEvent: { id: le.id, code: le.code, name: le.name, description: le.description, audience: le.audience, items, form: mergeForms(items.map((i) => i.form)) } };
  }
}
