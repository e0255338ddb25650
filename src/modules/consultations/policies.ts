import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { ConsultationRow } from './consultation.repository.ts';
import { phaseAt } from './rules.ts';

export type ConsultationAction = 'read' | 'edit' | 'publish' | 'close' | 'moderate' | 'feedback' | 'conclude' | 'export';

const PERMISSION: Record<ConsultationAction, string> = {
  read: 'consultation.read',
  edit: 'consultation.write',
  publish: 'consultation.publish',
  close: 'consultation.publish',
  moderate: 'consultation.moderate',
  feedback: 'consultation.write',
  conclude: 'consultation.publish',
  export: 'consultation.export',
};

/** Whether a staff actor may see this consultation at all (permission and scope). */
export function inStaffScope(permissions: PermissionRegistry, actor: Actor, c: Pick<ConsultationRow, 'organisationId' | 'jurisdictionCode'>): boolean {
  return permissions.has(actor, 'consultation.read') && scopeCovers(listScope(actor), c);
}

/**
 * Organisers act on their own organisation's consultations (scope), holding the action's
 * permission, in the phase where the action makes sense. Supervisors read their subtree.
 */
export function canConsultation(permissions: PermissionRegistry, actor: Actor, action: ConsultationAction, c: ConsultationRow, now: Date): boolean {
  if (!permissions.has(actor, PERMISSION[action])) return false;
  if (!scopeCovers(listScope(actor), c)) return false;
  const phase = phaseAt(c, now);
  switch (action) {
    case 'read':
    case 'export':
      return true;
    case 'edit':
    case 'publish':
      return phase === 'draft';
    case 'close':
      return phase === 'open';
    case 'moderate':
      return phase !== 'draft';
    case 'feedback':
    case 'conclude':
      return phase === 'closed';
  }
}

export function allowedActions(permissions: PermissionRegistry, actor: Actor, c: ConsultationRow, now: Date): ConsultationAction[] {
  return (['edit', 'publish', 'close', 'moderate', 'feedback', 'conclude', 'export'] as const).filter((a) => canConsultation(permissions, actor, a, c, now));
}

/** Real-name rule (DOMAIN.md §10.2): L2 = name and ID number matched against the population registry. */
export const REAL_NAME_MIN_LEVEL = 2;

export function personOf(actor: Actor): { accountId: string; name: string; level: number } | null {
  if (actor.kind === 'citizen' || actor.kind === 'enterprise' || actor.kind === 'staff') return { accountId: actor.accountId, name: actor.displayName, level: actor.realNameLevel };
  return null;
}
