/** Public surface of the cases module (办件). Other modules import only from this file. */
import { catalogItemSource, catalogLifeEventSource, type CatalogItemLike, type CatalogLifeEventLike, type CatalogLifeEventLookup } from './catalog-adapter.ts';
import type { CasesModuleDeps } from './manifest.ts';
import type { WorkflowEngine } from '../../platform/workflow/index.ts';
import type { CaseStaffDirectory, CaseCalendars, CaseNumbers, PersonalDataCipher, CaseApplicantProfile } from './ports.ts';

export { createCasesModule, type CasesModule, type CasesModuleDeps } from './manifest.ts';
export type { CaseService } from './service.ts';
export { hashQueryPassword } from './domain/query-password.ts';
export type { ApplicationItem, CaseItemSource, ItemLookupResult, ItemMaterial } from './ports.ts';

/** The wiring of src/app.ts in one call: the catalog's items, the registry's numbers and calendars, identity's cipher and SMS numbers. */
export function casesDeps(d: {
  catalog: { itemForApplication(id: string): Promise<CatalogItemLike | null>; lifeEvent?(id: string): Promise<CatalogLifeEventLike | null>; lifeEventForApplication?(id: string): Promise<CatalogLifeEventLookup> };
  registry: { numbers: CaseNumbers; calendars: CaseCalendars };
  identity: { secretCipher(purpose: string): PersonalDataCipher; service: { mobileForDelivery(accountId: string): Promise<string | null>; findStaff?: CaseStaffDirectory['findStaff']; listActiveStaff?: CaseStaffDirectory['listActiveStaff']; applicantProfile?(accountId: string): Promise<CaseApplicantProfile | null>; applicantProfiles?(accountIds: string[]): Promise<Map<string, CaseApplicantProfile>> } };
  workflow?: { engine: WorkflowEngine };
}): CasesModuleDeps {
  return {
    items: catalogItemSource(d.catalog),
    numbers: d.registry.numbers,
    calendars: d.registry.calendars,
    cipher: d.identity.secretCipher('cases-applicant'),
    applicants: {
      mobileForDelivery: (id) => d.identity.service.mobileForDelivery(id),
      ...(d.identity.service.applicantProfile ? { applicantProfile: (id: string) => d.identity.service.applicantProfile!(id) } : {}),
      ...(d.identity.service.applicantProfiles ? { applicantProfiles: (ids: string[]) => d.identity.service.applicantProfiles!(ids) } : {}),
    },
    ...(d.workflow ? { workflow: d.workflow.engine } : {}),
    ...(d.catalog.lifeEvent
      ? { lifeEvents: catalogLifeEventSource({ lifeEvent: (id) => d.catalog.lifeEvent!(id), ...(d.catalog.lifeEventForApplication ? { lifeEventForApplication: (id: string) => d.catalog.lifeEventForApplication!(id) } : {}) }) }
      : {}),
    ...(d.identity.service.findStaff
      ? {
          staff: {
            findStaff: (id: string) => d.identity.service.findStaff!(id),
            // 转办 / 委托 / 加签 / 抄送 pick from the active staff (issue 3)
            ...(d.identity.service.listActiveStaff ? { listActiveStaff: d.identity.service.listActiveStaff.bind(d.identity.service) } : {}),
          },
        }
      : {}),
  };
}
export { supervisionFigures, signalledCases, monitoredEvents, type SupervisionFigures, type SignalledCase, type MonitoredEvent, type SupervisionFilter } from './supervision-queries.ts';
export { GovstackCasePort, isApplicant, staffCanSee, caseRolesOf, applicantStatus, APPLICANT_STATUS_LABEL, DEFAULT_NODES, CASE_PERMISSIONS, type GovstackViewer, type GovstackCaseQuery, type GovstackCounts, type CaseRecord, type CorrectionItem, type CaseState, type ResultCode, type CaseAction } from './govstack-port.ts';
