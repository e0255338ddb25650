import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { jurisdictionsMigrations } from './migrations.ts';
import { jurisdictionPermissions, ORGANISATION_MANAGE, ORGANISATION_VIEW } from './policies.ts';
import { divisionRoutes } from './routes/division-routes.ts';
import { organisationRoutes } from './routes/organisation-routes.ts';
import { seedJurisdictions } from './seed.ts';
import type { JurisdictionService } from './types.ts';

export function jurisdictionsManifest(platform: Platform, service: JurisdictionService): ModuleManifest {
  return {
    name: 'jurisdictions',
    title: '行政区划与组织机构',
    migrations: jurisdictionsMigrations,
    permissions: jurisdictionPermissions,
    grants: {
      clerk: [ORGANISATION_VIEW],
      org_head: [ORGANISATION_VIEW],
      jurisdiction_supervisor: [ORGANISATION_VIEW],
      province_supervisor: [ORGANISATION_VIEW],
      sysadmin: [ORGANISATION_MANAGE],
    },
    // One entry per duty: no role holds both permissions (三员分立), so nobody sees it twice.
    navigation: [
      { label: '组织机构', labelEn: 'Organisations', href: '/workbench/organisations', permission: ORGANISATION_VIEW },
      { label: '组织机构管理', labelEn: 'Organisations', href: '/workbench/organisations', permission: ORGANISATION_MANAGE },
    ],
    routes: async (app) => {
      await divisionRoutes(app, { platform, service });
      await organisationRoutes(app, { platform, service });
    },
    // Regions in the portal's one search box: "洪山" finds 洪山区 with its path.
    search: {
      kind: 'division',
      label: '行政区划',
      search: async (q) =>
        q.terms.length === 0
          ? []
          : (await service.searchDivisions(q.terms[0]!, Math.min(q.limit, 10))).map((d) => ({
              title: d.name,
              url: `/jurisdictions/${d.code}`,
              snippet: [...d.path, d.name].join(' › ') + `（${d.code}）`,
              date: null,
              source: '行政区划',
            })),
    },
    seed: async (p) => {
      await seedJurisdictions(p);
    },
  };
}
