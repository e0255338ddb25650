import type { Actor } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import { listScope, scopeCovers } from '../../platform/auth/scope.ts';
import type { ItemRow, VersionRow } from './catalog.repository.ts';

export type CatalogAction = 'read' | 'edit' | 'submit' | 'review' | 'new_version' | 'suspend' | 'resume' | 'cancel';

export const CATALOG_READ = 'catalog.read';
export const CATALOG_EDIT = 'catalog.edit';
export const CATALOG_REVIEW = 'catalog.review';

const PERMISSION: Record<CatalogAction, string> = {
  read: CATALOG_READ,
  edit: CATALOG_EDIT,
  submit: CATALOG_EDIT,
  new_version: CATALOG_EDIT,
  review: CATALOG_REVIEW,
  suspend: CATALOG_REVIEW,
  resume: CATALOG_REVIEW,
  cancel: CATALOG_REVIEW,
};

/** Whether a staff actor may see this item in the workbench at all (permission and scope). */
export function inCatalogScope(permissions: PermissionRegistry, actor: Actor, item: ItemRow): boolean {
  return permissions.has(actor, CATALOG_READ) && scopeCovers(listScope(actor), item);
}

/**
 * Clerks of the implementing organisation edit and submit (catalog.edit); the organisation's
 * head reviews, publishes, suspends and cancels (catalog.review); supervisors read their
 * subtree. `open` is the version being worked on, if any.
 */
export function canCatalog(permissions: PermissionRegistry, actor: Actor, action: CatalogAction, item: ItemRow, open: VersionRow | null): boolean {
  if (!permissions.has(actor, PERMISSION[action])) return false;
  if (!scopeCovers(listScope(actor), item)) return false;
  if (action !== 'read' && item.status === 'cancelled') return false;
  switch (action) {
    case 'read':
      return true;
    case 'edit':
    case 'submit':
      return open?.status === 'draft';
    case 'review':
      return open?.status === 'in_review';
    case 'new_version':
      return open === null && item.status !== 'draft';
    case 'suspend':
      return item.status === 'published';
    case 'resume':
      return item.status === 'suspended';
    case 'cancel':
      return item.status === 'published' || item.status === 'suspended';
  }
}

export function allowedCatalogActions(permissions: PermissionRegistry, actor: Actor, item: ItemRow, open: VersionRow | null): CatalogAction[] {
  return (['edit', 'submit', 'review', 'new_version', 'suspend', 'resume', 'cancel'] as const).filter((a) => canCatalog(permissions, actor, a, item, open));
}
