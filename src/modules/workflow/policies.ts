import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { DefinitionSummary } from '../../platform/workflow/index.ts';

export type DefinitionAction = 'read' | 'edit' | 'publish';

/**
 * Workflow definitions are an organisation's business rules (who handles which step, within
 * which limit), so they follow the business roles, not the system administrator (三员分立:
 * the sysadmin runs the platform but neither reads cases nor decides who approves them).
 * Heads define and publish their organisation's flows; clerks and supervisors in scope read
 * them; the province-wide default flow ('' organisation) is readable by all and changed by none.
 */
export function canDefinition(permissions: PermissionRegistry, actor: Actor, action: DefinitionAction, def: Pick<DefinitionSummary, 'organisationId' | 'jurisdictionCode' | 'status'>): boolean {
  if (actor.kind !== 'staff') return false;
  if (action === 'read') {
    if (!permissions.has(actor, 'workflow.read')) return false;
    return def.organisationId === '' || scopeCovers(listScope(actor), def);
  }
  if (def.organisationId === '' || def.organisationId !== actor.position.organisationId) return false;
  if (action === 'edit') return permissions.has(actor, 'workflow.define');
  return permissions.has(actor, 'workflow.publish') && def.status === 'draft';
}

export function allowedDefinitionActions(permissions: PermissionRegistry, actor: Actor, def: Pick<DefinitionSummary, 'organisationId' | 'jurisdictionCode' | 'status'>): DefinitionAction[] {
  return (['edit', 'publish'] as const).filter((a) => canDefinition(permissions, actor, a, def));
}
