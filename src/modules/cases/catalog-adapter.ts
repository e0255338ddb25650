import type { FormDefinition } from '../../platform/forms/index.ts';
import type { CaseItemSource } from './ports.ts';

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
      return {
        ok: true,
        item: {
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
        },
      };
    },
  };
}
