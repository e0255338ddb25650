import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { PublicationRow } from './publication.repository.ts';

export type PublicationAction = 'read' | 'edit' | 'submit' | 'review' | 'publish' | 'withdraw' | 'revise';

export const PERMISSION = {
  read: 'disclosure.read',
  draft: 'disclosure.draft',
  review: 'disclosure.review',
  publish: 'disclosure.publish',
} as const;

const NEEDS: Record<PublicationAction, string[]> = {
  read: [PERMISSION.read],
  edit: [PERMISSION.draft],
  submit: [PERMISSION.draft],
  review: [PERMISSION.review],
  publish: [PERMISSION.publish],
  withdraw: [PERMISSION.publish],
  // A revision of published content goes out at once, so the reviser also answers for the confidentiality review.
  revise: [PERMISSION.publish, PERMISSION.review],
};

/**
 * drafter (disclosure.draft) → confidentiality reviewer (disclosure.review, 保密审查) →
 * publisher (disclosure.publish); all within the actor's own organisation (supervisors read
 * their subtree and change nothing).
 */
export function canPublication(permissions: PermissionRegistry, actor: Actor, action: PublicationAction, p: PublicationRow): boolean {
  if (!NEEDS[action].every((code) => permissions.has(actor, code))) return false;
  if (!scopeCovers(listScope(actor), p)) return false;
  switch (action) {
    case 'read':
      return true;
    case 'edit':
    case 'submit':
      return p.status === 'draft';
    case 'review':
      return p.status === 'in_review';
    case 'publish':
      return p.status === 'approved';
    case 'withdraw':
    case 'revise':
      return p.status === 'published';
  }
}

export function inStaffScope(permissions: PermissionRegistry, actor: Actor, p: PublicationRow): boolean {
  return permissions.has(actor, PERMISSION.read) && scopeCovers(listScope(actor), p);
}

export function allowedPublicationActions(permissions: PermissionRegistry, actor: Actor, p: PublicationRow): PublicationAction[] {
  return (['edit', 'submit', 'review', 'publish', 'withdraw', 'revise'] as const).filter((a) => canPublication(permissions, actor, a, p));
}
