import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { DivisionRepository } from '../division.repository.ts';
import type { OrganisationRepository } from '../organisation.repository.ts';

export interface OrganisationDeps {
  organisations: OrganisationRepository;
  divisions: DivisionRepository;
  permissions: PermissionRegistry;
}
