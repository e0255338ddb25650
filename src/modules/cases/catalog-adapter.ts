import type { FormDefinition } from '../../platform/forms/index.ts';
import type { ApplicationItem, CaseItemSource, CaseLifeEventSource, LifeEventUnavailableReason } from './ports.ts';

/** The part of the catalog's ItemForApplication the cases module reads (structural: no import of catalog internals). */
export interface CatalogItemLike {
  implementationItemId: string;
  version: number;
  name: string;
  organisationId: string;
  organisationName: string;
  divisionCode: string;
  promisedLimit: { n: number; unit: string } | null;
  materials: { code: string; name: string; required: boolean; fromSharing: boolean }[];
  form: FormDefinition;
  implementationCode?: string;
  workflowKey?: string | null;
}

/**
 * Adapts the catalog's CatalogService.itemForApplication to the cases port: unpublished,
 * suspended or withdrawn items are refused with a reason; materials obtainable by data sharing
 * are not asked of the applicant (DOMAIN.md §9.2, "no datum asked twice").
 */
export function catalogItemSource(catalog: { itemForApplication(id: string): Promise<CatalogItemLike | null> }): CaseItemSource {
  return {
    async itemForApplication(id) {
      const it = await catalog.itemForApplication(id);
      if (!it) return { ok: false, reason: 'not_found', message: '该事项不存在、尚未发布或已暂停办理，不能在线申请' };
      return { ok: true, item: toApplicationItem(it) };
    },
  };
}

/** The part of the catalog's LifeEventForApplication the cases module reads. */
export interface CatalogLifeEventLike {
  id: string;
  code: string;
  name: string;
  description: string;
  audience?: 'person' | 'enterprise';
  items: CatalogItemLike[];
  form: FormDefinition;
}

/** The catalog's answer when a life event cannot be applied for (structural copy of catalog's LifeEventLookup). */
export type CatalogLifeEventLookup = { ok: true; lifeEvent: CatalogLifeEventLike } | { ok: false; reason: Exclude<LifeEventUnavailableReason, 'unavailable'>; message: string; itemName?: string };

/**
 * Adapts CatalogService.lifeEventForApplication (the exact reason: unknown, draft, withdrawn, or the
 * item at fault by name); a catalog with only lifeEvent (null for every reason) gives one general message.
 */
export function catalogLifeEventSource(catalog: { lifeEvent(id: string): Promise<CatalogLifeEventLike | null>; lifeEventForApplication?(id: string): Promise<CatalogLifeEventLookup> }): CaseLifeEventSource {
  return {
    async lifeEvent(id) {
      const found: CatalogLifeEventLookup | { ok: false; reason: 'unavailable'; message: string } = catalog.lifeEventForApplication
        ? await catalog.lifeEventForApplication(id)
        : await catalog.lifeEvent(id).then((le) => (le ? { ok: true as const, lifeEvent: le } : { ok: false as const, reason: 'unavailable' as const, message: '该“一件事”不存在、尚未发布或已撤回，或其中有事项已暂停办理，暂不能在线申请' }));
      if (!found.ok) return { ok: false, reason: found.reason, message: found.message, ...('itemName' in found && found.itemName ? { itemName: found.itemName } : {}) };
      const le = found.lifeEvent;
      return {
        ok: true,
        lifeEvent: { id: le.id, code: le.code, name: le.name, description: le.description, audience: le.audience ?? null, items: le.items.map(toApplicationItem), form: le.form },
      };
    },
  };
}

/** One catalog item as an application item. */
function toApplicationItem(it: CatalogItemLike): ApplicationItem {
  return {
    id: it.implementationItemId,
    version: it.version,
    name: it.name,
    organisationId: it.organisationId,
    organisationName: it.organisationName,
    jurisdictionCode: it.divisionCode,
    promisedLimit: it.promisedLimit,
    materials: it.materials.filter((m) => !m.fromSharing).map((m) => ({ code: m.code, name: m.name, required: m.required })),
    form: it.form,
    workflowKey: it.workflowKey ?? null,
    implementationCode: it.implementationCode ?? null,
  };
}
