import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { CaseRole } from './domain/state-machine.ts';

export const CASE_PERMISSIONS = {
  read: 'case.read',
  handle: 'case.handle',
  decide: 'case.decide',
  supervise: 'case.supervise',
  unmask: 'case.unmask',
} as const;

interface Scoped {
  organisation_id: string;
  jurisdiction_code: string;
  applicant_account_id: string;
}

/** Whether a staff actor may see the case at all (its permission and scope): else "not found". */
export function staffCanSee(permissions: PermissionRegistry, actor: Actor, c: Scoped): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'staff') return false;
  return permissions.has(actor, CASE_PERMISSIONS.read) && scopeCovers(listScope(actor), { organisationId: c.organisation_id, jurisdictionCode: c.jurisdiction_code });
}

export function isApplicant(actor: Actor, c: Scoped): boolean {
  return (actor.kind === 'citizen' || actor.kind === 'enterprise') && actor.accountId === c.applicant_account_id;
}

/**
 * The roles of the state machine the actor holds on this case: the applicant; clerk / head of
 * the handling organisation (its own organisation only); supervisor of the jurisdiction
 * subtree; the system. Empty when the case is none of the actor's business.
 */
export function caseRolesOf(permissions: PermissionRegistry, actor: Actor, c: Scoped): CaseRole[] {
  if (actor.kind === 'system') return ['system'];
  if (isApplicant(actor, c)) return ['applicant'];
  if (actor.kind !== 'staff' || !staffCanSee(permissions, actor, c)) return [];
  const roles: CaseRole[] = [];
  const ownOrganisation = actor.position.organisationId === c.organisation_id;
  if (ownOrganisation && permissions.has(actor, CASE_PERMISSIONS.handle)) roles.push('clerk');
  if (ownOrganisation && permissions.has(actor, CASE_PERMISSIONS.decide)) roles.push('org_head');
  if (permissions.has(actor, CASE_PERMISSIONS.supervise)) roles.push('supervisor');
  return roles;
}
