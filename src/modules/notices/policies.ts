import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { NoticeRow } from './notice.repository.ts';

export type NoticeAction = 'read' | 'edit' | 'publish' | 'withdraw';

const PERMISSION: Record<NoticeAction, string> = {
  read: 'notice.read',
  edit: 'notice.write',
  publish: 'notice.publish',
  withdraw: 'notice.publish',
};

/**
 * Staff may act on a notice when their position holds the permission AND the notice lies
 * in their scope (own organisation for clerks and heads; jurisdiction subtree for
 * supervisors, who may read but hold no write permission). Published notices are
 * public to everyone for reading.
 */
export function canNotice(permissions: PermissionRegistry, actor: Actor, action: NoticeAction, notice: NoticeRow): boolean {
  if (action === 'read' && notice.status === 'published') return true;
  if (!permissions.has(actor, PERMISSION[action])) return false;
  if (!scopeCovers(listScope(actor), notice)) return false;
  switch (action) {
    case 'read':
      return true;
    case 'edit':
      return notice.status !== 'withdrawn';
    case 'publish':
      return notice.status === 'draft';
    case 'withdraw':
      return notice.status === 'published';
  }
}

/** Whether a staff actor may see this record at all (its permission and scope), published or not. */
export function inStaffScope(permissions: PermissionRegistry, actor: Actor, notice: NoticeRow): boolean {
  return permissions.has(actor, 'notice.read') && scopeCovers(listScope(actor), notice);
}

/** The actions to show as buttons (policies are sent to the page, after Outline). */
export function allowedNoticeActions(permissions: PermissionRegistry, actor: Actor, notice: NoticeRow): NoticeAction[] {
  return (['edit', 'publish', 'withdraw'] as const).filter((a) => canNotice(permissions, actor, a, notice));
}
