import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { SearchIndexWriter } from '../../../platform/search/contract.ts';
import type { ConsultationRepository } from '../consultation.repository.ts';

/** What the consultation commands need; `now` is injectable so tests can move the clock past a closing time. */
export interface ConsultationDeps {
  consultations: ConsultationRepository;
  permissions: PermissionRegistry;
  now: () => Date;
  /** The one search box: published consultations are put in it (kind 'consultation'). */
  search: SearchIndexWriter;
}
