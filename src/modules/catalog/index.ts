/**
 * Public surface of the catalog module (事项库). Other modules import only from this file.
 *
 * For cases (办件):
 *   const catalog = createCatalogModule(platform, deps).service;
 *   await catalog.itemForApplication(implementationItemId)  // the PUBLISHED version in force, or null
 *   await catalog.itemVersion(versionId)                      // any version (a case keeps its version)
 *   await catalog.lifeEvent(lifeEventId)                      // 一件事: items in force + one merged form
 *   await catalog.lifeEventForApplication(lifeEventId)        // the same as { ok: true, lifeEvent } or { ok: false, reason, message, itemName? }
 *
 * ItemForApplication = { versionId, implementationItemId, version, implementationCode, basicCode,
 *   name, itemType (A.1), organisationId, organisationName, divisionCode, caseType: 'instant'|'promised',
 *   legalLimit: { n, unit: 'G'|'Z' } | null, promisedLimit: { n, unit: '1'..'5' } | null (TIME_UNIT),
 *   materials: [{ code, name, required, form, originals, copies, note, fromSharing }],
 *   form: FormDefinition (src/platform/forms), feeCharged, workflowKey, serviceObjects }
 *
 * Pages the catalog serves: /services (finder), /services/:id (guide, "在线办理" links to
 * /services/:id/apply — served by cases), /life-events, /life-events/:id (links to
 * /life-events/:id/apply — cases), /workbench/catalog/**. API: /api/services, /api/catalog/**.
 */
export { createCatalogModule, type CatalogModuleDeps } from './manifest.ts';
export type { CatalogService } from './service.ts';
export type { ItemForApplication, LifeEventForApplication, LifeEventLookup, LifeEventUnavailableReason, CaseType, LegalLimitUnit, PromisedLimitUnit } from './types.ts';
export { govstackCatalogPort, type GovstackCatalogPort } from './govstack-port.ts';
