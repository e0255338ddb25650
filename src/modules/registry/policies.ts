import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { calendarCovers, NATIONAL, parseCalendarJurisdiction } from './jurisdiction-chain.ts';

/** The calendar jurisdiction a staff member works in (their county, prefecture or province). */
export function ownCalendarJurisdiction(actor: Actor): string | null {
  if (actor.kind !== 'staff') return null;
  const own = parseCalendarJurisdiction(actor.position.jurisdictionCode);
  return own.ok ? own.code : null;
}

/**
 * Who may change a calendar: a holder of 'calendar.manage' for their own jurisdiction and the
 * ones below it; the national arrangement (the yearly State Council notice) only from a
 * province-level position — the platform's operator. System jobs may change any.
 */
export function canManageCalendar(permissions: PermissionRegistry, actor: Actor, jurisdictionCode: string): boolean {
  if (!permissions.has(actor, 'calendar.manage')) return false;
  if (actor.kind === 'system') return true;
  const own = ownCalendarJurisdiction(actor);
  if (own === null) return false;
  if (jurisdictionCode === NATIONAL) return own.endsWith('0000');
  return calendarCovers(own, jurisdictionCode);
}
