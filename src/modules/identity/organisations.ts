import { systemActor } from '../../platform/auth/actor.ts';
import type { OrganisationRef } from '../jurisdictions/index.ts';
import type { OrganisationLookup } from './deps.ts';

export type OrganisationMatch = { ok: true; organisation: OrganisationRef } | { ok: false; message: string };

/**
 * An organisation named by id, or by its full name (exact match first, else a single
 * partial match). Reading organisation references is public reference data, so the
 * search runs as a system actor.
 */
export async function resolveOrganisation(lookup: OrganisationLookup, idOrName: string, jurisdictionCode?: string): Promise<OrganisationMatch> {
  const key = idOrName.trim();
  if (!key) return { ok: false, message: '请填写单位' };
  const byId = await lookup.getOrganisation(key).catch(() => null);
  if (byId) return { ok: true, organisation: byId };
  if (!lookup.listOrganisations) return { ok: false, message: `找不到编号为 ${key} 的单位` };
  const page = await lookup.listOrganisations(systemActor('identity'), { q: key, jurisdictionCode }, { page: 1, pageSize: 20 });
  const exact = page.items.filter((o) => o.name === key);
  const candidates = exact.length > 0 ? exact : page.items;
  if (candidates.length === 1) {
    const o = candidates[0]!;
    return { ok: true, organisation: { id: o.id, name: o.name, jurisdictionCode: o.jurisdictionCode, jurisdictionName: o.jurisdictionName, uscc: o.uscc, type: o.type, parentId: o.parentId } };
  }
  if (candidates.length === 0) return { ok: false, message: `找不到单位“${key}”` };
  return { ok: false, message: `“${key}”对应多个单位（${candidates.slice(0, 5).map((o) => o.name).join('、')}…），请填写全称或单位编号` };
}
