/**
 * Public surface of the jurisdictions module (行政区划与组织机构): the GB/T 2260 division
 * tree and the organisations (departments) that belong to it. Other modules import only
 * from this file.
 */
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { jurisdictionsManifest } from './manifest.ts';
import { createJurisdictionService } from './service.ts';
import type { JurisdictionService } from './types.ts';

export type {
  Division,
  DivisionLevel,
  DivisionMatch,
  DivisionSubtreeCounts,
  InputOrigin,
  JurisdictionService,
  Organisation,
  OrganisationFilters,
  OrganisationInput,
  OrganisationRef,
  OrganisationRefusal,
  OrganisationResult,
  OrganisationSaved,
  OrganisationType,
  PageOf,
  PageRequest,
  UsccStatus,
} from './types.ts';
export { importDivisions, type ImportDivisionsOptions, type ImportDivisionsReport } from './commands/import-divisions.ts';
export type { DivisionCounts } from './division-source.ts';
export { seedJurisdictions } from './seed.ts';
export { ORGANISATION_MANAGE, ORGANISATION_VIEW } from './policies.ts';

export function createJurisdictionsModule(platform: Platform): { manifest: ModuleManifest; service: JurisdictionService } {
  const service = createJurisdictionService(platform);
  return { manifest: jurisdictionsManifest(platform, service), service };
}
