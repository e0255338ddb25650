import { ADMIN_ROLES, type Actor, type Position, type RoleCode } from './actor.ts';

/**
 * Permissions are declared per module action in each manifest (`'notice.publish'`) and
 * granted to roles. The kind separates the three administrators' duties (三员分立) from
 * business work: an admin role may only hold permissions of its own kind, and no business
 * role may hold an admin kind — checked when the app boots.
 */
export type PermissionKind = 'business' | 'system' | 'security' | 'audit';

export interface PermissionDef {
  code: string;
  label: string;
  kind: PermissionKind;
}

export type Grants = Partial<Record<RoleCode, string[]>>;

export const ROLE_LABELS: Record<RoleCode, string> = {
  clerk: '办事员',
  org_head: '部门负责人',
  jurisdiction_supervisor: '辖区监督员',
  province_supervisor: '省级监督员',
  sysadmin: '系统管理员',
  secadmin: '安全管理员',
  auditadmin: '安全审计员',
};

const ADMIN_KIND: Record<string, PermissionKind> = { sysadmin: 'system', secadmin: 'security', auditadmin: 'audit' };

export class PermissionRegistry {
  private readonly defs = new Map<string, PermissionDef>();
  private readonly byRole = new Map<RoleCode, Set<string>>();

  register(defs: PermissionDef[], grants: Grants = {}): void {
    for (const d of defs) {
      if (this.defs.has(d.code)) throw new Error(`permission ${d.code} declared twice`);
      this.defs.set(d.code, d);
    }
    for (const [role, codes] of Object.entries(grants) as [RoleCode, string[]][]) {
      const set = this.byRole.get(role) ?? new Set<string>();
      for (const code of codes) set.add(code);
      this.byRole.set(role, set);
    }
  }

  /** Boot check: every grant names a declared permission, and duties stay separated. */
  check(): void {
    for (const [role, codes] of this.byRole) {
      for (const code of codes) {
        const def = this.defs.get(code);
        if (!def) throw new Error(`role ${role} is granted undeclared permission ${code}`);
        const adminKind = ADMIN_KIND[role];
        if (adminKind && def.kind !== adminKind) {
          throw new Error(`三员分立: role ${role} may not hold ${def.kind} permission ${code}`);
        }
        if (!adminKind && def.kind !== 'business') {
          throw new Error(`三员分立: business role ${role} may not hold ${def.kind} permission ${code}`);
        }
      }
    }
  }

  get(code: string): PermissionDef | undefined {
    return this.defs.get(code);
  }

  all(): PermissionDef[] {
    return [...this.defs.values()];
  }

  positionHas(position: Position, code: string): boolean {
    return position.roles.some((r) => this.byRole.get(r)?.has(code) ?? false);
  }

  /** Whether the actor, acting in its current position, holds the permission. */
  has(actor: Actor, code: string): boolean {
    if (!this.defs.has(code)) throw new Error(`unknown permission ${code}`);
    if (actor.kind === 'system') return true;
    if (actor.kind !== 'staff') return false;
    return this.positionHas(actor.position, code);
  }

  rolesWith(code: string): RoleCode[] {
    return [...this.byRole].filter(([, set]) => set.has(code)).map(([r]) => r);
  }
}

export function isAdminRole(role: RoleCode): boolean {
  return ADMIN_ROLES.includes(role);
}
