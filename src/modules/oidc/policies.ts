import type { Actor, StaffActor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';

export const MANAGE_CLIENTS = 'oidc.client.manage';

/** Registering and disabling department systems is a system administrator's duty (三员分立: kind 'system'). */
export function canManageClients(permissions: PermissionRegistry, actor: Actor): boolean {
  return permissions.has(actor, MANAGE_CLIENTS);
}

/**
 * Only staff sign in to department systems through Zhengwu; citizens and enterprises
 * have their own services. A staff session still waiting for its second factor is not
 * signed in yet.
 */
export function mayUseOidc(actor: Actor, pendingSecondFactor: boolean): actor is StaffActor {
  return actor.kind === 'staff' && !pendingSecondFactor;
}
