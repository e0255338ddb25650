/** Public surface of the proactive disclosure module (主动公开). */
export { createDisclosureModule, disclosureDeps, type DisclosureModule, type DisclosureModuleDeps } from './manifest.ts';
export type { DisclosureStats, DisclosureStatsRow } from './stats.ts';
export type { PublicationRow, PublicationStatus } from './publication.repository.ts';
export { importPublicationsFromFiles } from './cli.ts';
