import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { CaseRepository } from '../case.repository.ts';
import type { CaseApplicantDirectory, CaseCalendars, CaseItemSource, CaseNumbers, PersonalDataCipher } from '../ports.ts';

export interface CaseDeps {
  cases: CaseRepository;
  permissions: PermissionRegistry;
  items: CaseItemSource;
  numbers: CaseNumbers;
  calendars: CaseCalendars;
  cipher: PersonalDataCipher;
  applicants: CaseApplicantDirectory;
  /** Injectable clock (tests and the supervision journey advance it). */
  now: () => Date;
}
