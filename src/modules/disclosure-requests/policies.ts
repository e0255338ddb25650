import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { ActionKind } from './domain/request-machine.ts';

export const PERMISSIONS = {
  read: 'disclosure_request.read',
  handle: 'disclosure_request.handle',
  /** 条例 Art. 33: the extension needs the consent of the head of the disclosure office. */
  extend: 'disclosure_request.extend',
  reportWrite: 'disclosure_report.write',
  reportPublish: 'disclosure_report.publish',
  /** The government's (jurisdiction's) report, written by the competent office at that level. */
  reportGovernment: 'disclosure_report.government',
} as const;

type Scoped = { organisationId: string; jurisdictionCode: string };

const SYSTEM_ACTIONS: readonly ActionKind[] = ['record_opinion', 'correction_lapsed', 'fee_unpaid'];

/** Staff may see a request when they hold the read permission and it lies in their scope. */
export function inStaffScope(permissions: PermissionRegistry, actor: Actor, r: Scoped): boolean {
  if (actor.kind === 'system') return true;
  return permissions.has(actor, PERMISSIONS.read) && scopeCovers(listScope(actor), r);
}

/** Whether the actor may take a staff action on the request (state is the machine's check). */
export function mayAct(permissions: PermissionRegistry, actor: Actor, kind: ActionKind, r: Scoped): boolean {
  if (kind === 'supply_correction') return false;
  // The system records only lapsed periods (commands/sweep-lapses.ts), nothing else.
  if (actor.kind === 'system') return SYSTEM_ACTIONS.includes(kind);
  const permission = kind === 'extend' ? PERMISSIONS.extend : PERMISSIONS.handle;
  return permissions.has(actor, permission) && scopeCovers(listScope(actor), r);
}

/** The requester (the account that filed it online) — the only non-staff reader of a request. */
export function isRequester(actor: Actor, r: { requesterAccountId: string | null }): boolean {
  return (actor.kind === 'citizen' || actor.kind === 'enterprise') && r.requesterAccountId !== null && r.requesterAccountId === actor.accountId;
}
