import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import { AuditEntryRepository } from './audit-entry.repository.ts';
import { auditRoutes } from './routes/audit-routes.ts';

export interface AuditTrailDeps {
  /** Resolves organisation names for display; without it the pages show organisation ids. */
  organisations?: Pick<JurisdictionService, 'getOrganisations'>;
}

/**
 * 审计日志 (责任认定): the audit administrator's window on the platform's audit trail —
 * list with filters, CSV export (itself audited), chain verification, JSON API. The trail
 * itself (table, recording, sealing, verification) is platform infrastructure in
 * src/platform/audit; this module owns no tables.
 *
 * 三员分立: 'audit.read' is of kind 'audit' and granted only to the audit administrator
 * (安全审计员); the boot check refuses any other role holding it.
 */
export function createAuditTrailModule(platform: Platform, deps: AuditTrailDeps = {}): { manifest: ModuleManifest; entries: AuditEntryRepository } {
  const entries = new AuditEntryRepository(platform.db);
  const organisationNames = async (ids: string[]): Promise<Map<string, string>> => {
    if (!deps.organisations || ids.length === 0) return new Map();
    const found = await deps.organisations.getOrganisations([...new Set(ids)]);
    return new Map([...found].map(([id, org]) => [id, org.name]));
  };
  const manifest: ModuleManifest = {
    name: 'audit-trail',
    title: '审计日志',
    migrations: [],
    permissions: [{ code: 'audit.read', label: '查看和导出审计日志', kind: 'audit' }],
    grants: { auditadmin: ['audit.read'] },
    navigation: [{ label: '审计日志', labelEn: 'Audit trail', href: '/workbench/audit', permission: 'audit.read' }],
    routes: auditRoutes(platform, { entries, organisationNames }),
  };
  return { manifest, entries };
}
