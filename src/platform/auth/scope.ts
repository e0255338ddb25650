import type { Actor } from './actor.ts';

/**
 * The rows an actor may see in a list, built from the actor and handed to the repository
 * as a WHERE condition — never a filter applied after the query (STYLE.md §6).
 *
 * - `organisation`: rows of the actor's own organisation (clerks, heads);
 * - `jurisdiction`: rows whose jurisdiction code lies in the subtree of the actor's
 *   jurisdiction (supervisors), expressed as a GB/T 2260 code prefix;
 * - `all`: province-wide (province supervisors, system jobs);
 * - `none`: nothing (anyone else).
 */
export type Scope =
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'jurisdiction'; prefix: string }
  | { kind: 'all' }
  | { kind: 'none' };

/**
 * Prefix of a division code's subtree: 420000 → '42', 420100 → '4201', 420102 → '420102',
 * 420102001 → '420102001'. GB/T 2260 codes nest by prefix once trailing zero pairs of the
 * province and prefecture parts are dropped (DOMAIN.md §1.2.4).
 */
export function subtreePrefix(code: string): string {
  if (code.length === 6) {
    if (code.endsWith('0000')) return code.slice(0, 2);
    if (code.endsWith('00')) return code.slice(0, 4);
  }
  return code;
}

export function inSubtree(prefix: string, code: string): boolean {
  return code.startsWith(prefix);
}

export function listScope(actor: Actor): Scope {
  switch (actor.kind) {
    case 'system':
      return { kind: 'all' };
    case 'staff': {
      const roles = actor.position.roles;
      if (roles.includes('province_supervisor')) return { kind: 'jurisdiction', prefix: subtreePrefix(actor.position.jurisdictionCode).slice(0, 2) };
      if (roles.includes('jurisdiction_supervisor')) return { kind: 'jurisdiction', prefix: subtreePrefix(actor.position.jurisdictionCode) };
      if (roles.includes('clerk') || roles.includes('org_head')) return { kind: 'organisation', organisationId: actor.position.organisationId };
      return { kind: 'none' };
    }
    case 'anonymous':
    case 'citizen':
    case 'enterprise':
      return { kind: 'none' };
  }
}

/** Whether a single record (its organisation and jurisdiction) lies inside a scope. */
export function scopeCovers(scope: Scope, record: { organisationId: string; jurisdictionCode: string }): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'organisation':
      return record.organisationId === scope.organisationId;
    case 'jurisdiction':
      return record.jurisdictionCode.startsWith(scope.prefix);
  }
}
