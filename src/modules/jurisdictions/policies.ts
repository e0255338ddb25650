import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionDef } from '../../platform/auth/permissions.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers, type Scope } from '../../platform/auth/scope.ts';

/**
 * Two duties, two kinds (三员分立): keeping the organisation tree and the division table is
 * system administration (kind 'system', the sysadmin); reading organisations as part of the
 * daily work is business (clerks, heads, supervisors), limited to their scope.
 */
export const ORGANISATION_VIEW = 'organisation.view';
export const ORGANISATION_MANAGE = 'organisation.manage';

export const jurisdictionPermissions: PermissionDef[] = [
  { code: ORGANISATION_VIEW, label: '查看组织机构', kind: 'business' },
  { code: ORGANISATION_MANAGE, label: '管理组织机构与行政区划', kind: 'system' },
];

export function canManageOrganisations(permissions: PermissionRegistry, actor: Actor): boolean {
  return permissions.has(actor, ORGANISATION_MANAGE);
}

export function canViewOrganisations(permissions: PermissionRegistry, actor: Actor): boolean {
  return permissions.has(actor, ORGANISATION_VIEW) || permissions.has(actor, ORGANISATION_MANAGE);
}

/**
 * Which organisations an actor may list. Organisations are system data for the sysadmin, who
 * keeps the whole tree and so sees all of them; business readers get the platform's list
 * scope (own organisation for clerks and heads, jurisdiction subtree for supervisors).
 */
export function organisationScope(permissions: PermissionRegistry, actor: Actor): Scope {
  if (canManageOrganisations(permissions, actor)) return { kind: 'all' };
  if (permissions.has(actor, ORGANISATION_VIEW)) return listScope(actor);
  return { kind: 'none' };
}

export function canViewOrganisation(permissions: PermissionRegistry, actor: Actor, org: { id: string; jurisdictionCode: string }): boolean {
  return scopeCovers(organisationScope(permissions, actor), { organisationId: org.id, jurisdictionCode: org.jurisdictionCode });
}
