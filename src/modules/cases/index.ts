/** Public surface of the cases module (办件). Other modules import only from this file. */
import { catalogItemSource, type CatalogItemLike } from './catalog-adapter.ts';
import type { CasesModuleDeps } from './manifest.ts';
import type { WorkflowEngine } from '../../platform/workflow/index.ts';
import type { CaseStaffDirectory, CaseCalendars, CaseNumbers, PersonalDataCipher } from './ports.ts';

export { createCasesModule, type CasesModule, type CasesModuleDeps } from './manifest.ts';
export type { CaseService } from './service.ts';
export { hashQueryPassword } from './domain/query-password.ts';
export type { ApplicationItem, CaseItemSource, ItemLookupResult, ItemMaterial } from './ports.ts';

/** The wiring of src/app.ts in one call: the catalog's items, the registry's numbers and calendars, identity's cipher and SMS numbers. */
export function casesDeps(d: {
  catalog: { itemForApplication(id: string): Promise<CatalogItemLike | null> };
  registry: { numbers: CaseNumbers; calendars: CaseCalendars };
  identity: { secretCipher(purpose: string): PersonalDataCipher; service: { mobileForDelivery(accountId: string): Promise<string | null>; findStaff?: CaseStaffDirectory['findStaff'] } };
  workflow?: { engine: WorkflowEngine };
}): CasesModuleDeps {
  return {
    items: catalogItemSource(d.catalog),
    numbers: d.registry.numbers,
    calendars: d.registry.calendars,
    cipher: d.identity.secretCipher('cases-applicant'),
    applicants: { mobileForDelivery: (id) => d.identity.service.mobileForDelivery(id) },
    ...(d.workflow ? { workflow: d.workflow.engine } : {}),
    ...(d.identity.service.findStaff ? { staff: { findStaff: (id: string) => d.identity.service.findStaff!(id) } } : {}),
  };
}
export { supervisionFigures, signalledCases, monitoredEvents, type SupervisionFigures, type SignalledCase, type MonitoredEvent, type SupervisionFilter } from './supervision-queries.ts';
export { GovstackCasePort, isApplicant, staffCanSee, caseRolesOf, applicantStatus, APPLICANT_STATUS_LABEL, DEFAULT_NODES, CASE_PERMISSIONS, type GovstackViewer, type GovstackCaseQuery, type GovstackCounts, type CaseRecord, type CorrectionItem, type CaseState, type ResultCode, type CaseAction } from './govstack-port.ts';
