import type { WorkflowEngine } from '../../../platform/workflow/index.ts';
import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { CaseRepository } from '../case.repository.ts';
import type { CaseStaffDirectory, CaseApplicantDirectory, CaseCalendars, CaseItemSource, CaseLifeEventSource, CaseNumbers, PersonalDataCipher } from '../ports.ts';

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
  /** The workflow engine (公用协同工作环境): when present, accepted cases run on a BPMN definition; without it, the built-in 承办 → 审核 → 批准 list. */
  workflow?: WorkflowEngine;
  /** Staff accounts (identity's findStaff): 转办 / 委托 / 加签 / 抄送 go to staff of the handling organisation. */
  staff?: CaseStaffDirectory;
  /** 一件事 bundles (the catalog's life events); without it /life-events/:id/apply answers 404. */
  lifeEvents?: CaseLifeEventSource;
}
