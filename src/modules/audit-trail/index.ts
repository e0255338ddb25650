/** Public surface of the audit-trail module (审计日志, for the audit administrator). */
export { createAuditTrailModule, type AuditTrailDeps } from './manifest.ts';
export type { AuditEntryRow } from './audit-entry.repository.ts';
