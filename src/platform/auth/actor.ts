/**
 * Who is acting. Every service method takes the actor (STYLE.md §6); there is no
 * "internal call" that skips the check — background work acts as a named system actor.
 */
export type RoleCode =
  | 'clerk' // 办事员: handles the organisation's own records
  | 'org_head' // 部门负责人: approves within the organisation
  | 'jurisdiction_supervisor' // 监督员: reads the jurisdiction subtree
  | 'province_supervisor' // 省级监督员: reads province-wide
  | 'sysadmin' // 系统管理员 (三员之一)
  | 'secadmin' // 安全管理员 (三员之一)
  | 'auditadmin'; // 安全审计员 (三员之一)

export const ADMIN_ROLES: readonly RoleCode[] = ['sysadmin', 'secadmin', 'auditadmin'];

/** A staff position: one organisation and the roles held there (DESIGN.md "Tenancy"). */
export interface Position {
  id: string;
  organisationId: string;
  organisationName: string;
  /** GB/T 2260 code of the organisation's jurisdiction. */
  jurisdictionCode: string;
  jurisdictionName: string;
  roles: RoleCode[];
}

export type RealNameLevel = 0 | 1 | 2 | 3 | 4;

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'citizen'; accountId: string; displayName: string; realNameLevel: RealNameLevel }
  | { kind: 'enterprise'; accountId: string; displayName: string; realNameLevel: RealNameLevel; uscc: string }
  | {
      kind: 'staff';
      accountId: string;
      displayName: string;
      realNameLevel: RealNameLevel;
      positions: Position[];
      /** The position the staff member is acting in now (switcher in the top bar). */
      position: Position;
      totpVerified: boolean;
    }
  | { kind: 'system'; name: string };

export type ActorKind = Actor['kind'];
export type StaffActor = Extract<Actor, { kind: 'staff' }>;

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous' });

export function systemActor(name: string): Actor {
  return { kind: 'system', name };
}

export function actorId(actor: Actor): string | null {
  switch (actor.kind) {
    case 'anonymous':
      return null;
    case 'system':
      return `system:${actor.name}`;
    case 'citizen':
    case 'enterprise':
    case 'staff':
      return actor.accountId;
  }
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return '匿名访客';
    case 'system':
      return `系统(${actor.name})`;
    case 'citizen':
    case 'enterprise':
    case 'staff':
      return actor.displayName;
  }
}

/** Context of one request or job: who, from where, under which request id. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  clientIp: string | null;
  userAgent?: string | null;
}

export function systemContext(name: string, requestId = `job-${Date.now().toString(36)}`): RequestContext {
  return { actor: systemActor(name), requestId, clientIp: null };
}
