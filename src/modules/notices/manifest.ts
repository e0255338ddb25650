import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { noticeMigrations } from './migrations.ts';
import { NoticeRepository } from './notice.repository.ts';
import { noticeRoutes } from './routes/notice-routes.ts';
import { seedNotices, type SeedOrganisation } from './seed.ts';
import { reindexNotices } from './search-document.ts';

/**
 * 通知公告: a jurisdiction's notices. Small on purpose — it is the sample resource the
 * foundation's access tests run against (a county's clerk cannot read or change another
 * county's notices) and the pattern new modules copy: repository → commands → policies →
 * routes (HTML + JSON calling the same commands) → views.
 */
export function createNoticesModule(
  platform: Platform,
  deps: { findOrganisation: (name: string) => Promise<SeedOrganisation | null> },
): { manifest: ModuleManifest; notices: NoticeRepository } {
  const notices = new NoticeRepository(platform.db);
  const commandDeps = { notices, permissions: platform.permissions, search: platform.search };
  const manifest: ModuleManifest = {
    name: 'notices',
    title: '通知公告',
    migrations: noticeMigrations,
    permissions: [
      { code: 'notice.read', label: '查看通知公告', kind: 'business' },
      { code: 'notice.write', label: '起草和修改通知公告', kind: 'business' },
      { code: 'notice.publish', label: '发布和撤回通知公告', kind: 'business' },
    ],
    grants: {
      clerk: ['notice.read', 'notice.write'],
      org_head: ['notice.read', 'notice.write', 'notice.publish'],
      jurisdiction_supervisor: ['notice.read'],
      province_supervisor: ['notice.read'],
    },
    navigation: [{ label: '通知公告管理', labelEn: 'Notices', href: '/workbench/notices', permission: 'notice.read' }],
    routes: noticeRoutes(platform, commandDeps),
    seed: async () => {
      await seedNotices(platform, notices, deps.findOrganisation);
    },
    search: {
      kinds: [{ kind: 'notice', label: '通知公告', labelEn: 'Notices' }],
      reindex: () => reindexNotices(platform, notices),
    },
  };
  return { manifest, notices };
}
