/** Public surface of the disclosure-requests module (依申请公开、年度报告). */
export { createDisclosureRequestsModule } from './manifest.ts';
export type { DisclosureRequestsDeps, OrganisationInfo } from './commands/deps.ts';
export type { ProactiveStats } from './domain/annual-report.ts';
export { disclosureRequestsDeps } from './wiring.ts';
