import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AppealsService } from '../appeals/index.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import { ApiKeys } from './api-keys.ts';
import { appealsPublicMigrations } from './migrations.ts';
import { mailboxRoutes } from './routes/mailbox-routes.ts';
import { open311Routes } from './routes/open311-routes.ts';

export interface AppealsPublicDeps {
  appeals: AppealsService;
  jurisdictions: Pick<JurisdictionService, 'children'>;
}

/**
 * The public side of appeals (DOMAIN.md §6, issue 5): Open311 GeoReport v2 at /open311/v2, the
 * public mailbox (政民互动信箱) at /mailbox with per-department figures and charts, the staff
 * figures with Excel export, and the Open311 API keys. Built on the appeals service; reads the
 * appeals schema only through appeals' public queries.
 */
export function createAppealsPublicModule(platform: Platform, d: AppealsPublicDeps): { manifest: ModuleManifest; keys: ApiKeys } {
  const keys = new ApiKeys(platform.db, platform.transactor);
  let counties: { code: string; name: string }[] | null = null;
  const divisions = async () => {
    if (counties && counties.length > 0) return counties;
    const out: { code: string; name: string }[] = [];
    for (const pref of await d.jurisdictions.children('420000')) {
      if (pref.validTo) continue;
      for (const county of await d.jurisdictions.children(pref.code)) if (!county.validTo) out.push({ code: county.code, name: `${pref.name}${county.name}` });
    }
    counties = out;
    return out;
  };
  const open311 = open311Routes({ platform, appeals: d.appeals, keys, divisions });
  const mailbox = mailboxRoutes({ platform, keys });
  const manifest: ModuleManifest = {
    name: 'appeals_public',
    title: '政民互动信箱与 Open311',
    migrations: appealsPublicMigrations,
    permissions: [
      { code: 'appeals_public.figures', label: '查看和导出诉求办理统计', kind: 'business' },
      { code: 'appeals_public.keys', label: '签发和吊销 Open311 接口密钥', kind: 'system' },
    ],
    grants: {
      clerk: ['appeals_public.figures'],
      org_head: ['appeals_public.figures'],
      jurisdiction_supervisor: ['appeals_public.figures'],
      province_supervisor: ['appeals_public.figures'],
      sysadmin: ['appeals_public.keys'],
    },
    navigation: [
      { label: '诉求办理统计', labelEn: 'Appeal figures', href: '/workbench/appeals-statistics', permission: 'appeals_public.figures' },
      { label: 'Open311 接口密钥', labelEn: 'Open311 keys', href: '/workbench/open311-keys', permission: 'appeals_public.keys' },
    ],
    routes: async (app) => {
      await app.register(open311);
      await app.register(mailbox);
    },
  };
  return { manifest, keys };
}
