import { ADMIN_ROLES, type Actor, type Position, type RoleCode } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';

export const ACCOUNT_ADMIN = 'account.admin';

export function holdsAdminRole(positions: readonly { roles: readonly RoleCode[] }[]): boolean {
  return positions.some((p) => p.roles.some((r) => ADMIN_ROLES.includes(r)));
}

/**
 * The three administrators (三员) must use a second factor before the workbench opens:
 * until they enrolled TOTP (or passed it at sign-in) they only reach their account pages.
 */
export function mustUseSecondFactor(actor: Actor): boolean {
  return actor.kind === 'staff' && holdsAdminRole(actor.positions) && !actor.totpVerified;
}

/**
 * Roles a position may combine (三员分立, DESIGN.md "Tenancy and access"): an administrator
 * role stands alone — one account holds at most one of sysadmin / secadmin / auditadmin and
 * no business role besides. Returns a Chinese reason, or null when acceptable.
 */
export function rolesConflict(allPositions: readonly { roles: readonly RoleCode[] }[]): string | null {
  const roles = new Set(allPositions.flatMap((p) => p.roles));
  const admin = [...roles].filter((r) => ADMIN_ROLES.includes(r));
  if (admin.length > 1) return '系统管理员、安全管理员、安全审计员须由不同账号担任（三员分立）';
  if (admin.length === 1 && roles.size > 1) return '管理员账号不能同时担任业务角色（三员分立）';
  return null;
}

export type AccountAdminAction = 'create' | 'disable' | 'enable' | 'unlock' | 'reset-totp' | 'add-position' | 'remove-position';

/**
 * What the security administrator may do to a staff account. Accounts of the three
 * administrators are created and changed from the command line only (system actor),
 * except unlocking; nobody disables or resets their own account here.
 */
export function canAdministerAccount(
  permissions: PermissionRegistry,
  actor: Actor,
  target: { id: string; kind: string; positions: readonly { roles: readonly RoleCode[] }[] },
  action: AccountAdminAction,
): { ok: true } | { ok: false; message: string } {
  if (actor.kind === 'system') return { ok: true };
  if (!permissions.has(actor, ACCOUNT_ADMIN)) return { ok: false, message: '您当前的岗位没有账号管理权限' };
  if (target.kind !== 'staff') return { ok: false, message: '这里只管理工作人员账号' };
  if (actor.kind === 'staff' && actor.accountId === target.id && action !== 'unlock') return { ok: false, message: '不能修改自己的账号状态或岗位' };
  if (holdsAdminRole(target.positions) && action !== 'unlock') return { ok: false, message: '管理员账号只能通过命令行维护（三员分立）' };
  return { ok: true };
}

/** The positions a staff actor may switch to: its own. */
export function ownPosition(actor: Actor, positionId: string): Position | null {
  return actor.kind === 'staff' ? (actor.positions.find((p) => p.id === positionId) ?? null) : null;
}
