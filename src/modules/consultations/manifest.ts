import { listScope } from '../../platform/auth/scope.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { ConsultationRepository } from './consultation.repository.ts';
import type { ConsultationDeps } from './commands/deps.ts';
import { consultationMigrations } from './migrations.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { staffRoutes } from './routes/staff-routes.ts';
import { reindexConsultations } from './search-document.ts';
import { seedConsultations, type SeedOrganisation } from './seed.ts';

/**
 * 政民互动 · 征求意见与网上调查: organisations publish a draft policy for comment or a
 * questionnaire with a closing time, people comment or answer (once each where real-name
 * participation is required), organisers moderate, then publish the feedback (意见采纳情况)
 * or the results.
 */
export function createConsultationsModule(
  platform: Platform,
  deps: {
    findOrganisation: (name: string) => Promise<SeedOrganisation | null>;
    regionName: (code: string) => Promise<string | null>;
    /** Tests move time past a closing date; the default is the wall clock. */
    now?: () => Date;
  },
): { manifest: ModuleManifest; consultations: ConsultationRepository; commandDeps: ConsultationDeps } {
  const consultations = new ConsultationRepository(platform.db);
  const commandDeps: ConsultationDeps = { consultations, permissions: platform.permissions, search: platform.search, now: deps.now ?? (() => new Date()) };
  const routes = [publicRoutes(platform, { ...commandDeps, regionName: deps.regionName }), staffRoutes(platform, commandDeps)];
  const manifest: ModuleManifest = {
    name: 'consultations',
    title: '征求意见与网上调查',
    migrations: consultationMigrations,
    permissions: [
      { code: 'consultation.read', label: '查看征求意见与网上调查', kind: 'business' },
      { code: 'consultation.write', label: '起草征求意见、调查问卷，填写意见采纳情况', kind: 'business' },
      { code: 'consultation.publish', label: '发布、提前截止征求意见与调查，公布采纳情况和结果', kind: 'business' },
      { code: 'consultation.moderate', label: '审核意见和文字回答', kind: 'business' },
      { code: 'consultation.export', label: '导出意见和答卷（含个人信息）', kind: 'business' },
    ],
    grants: {
      clerk: ['consultation.read', 'consultation.write', 'consultation.moderate', 'consultation.export'],
      org_head: ['consultation.read', 'consultation.write', 'consultation.publish', 'consultation.moderate', 'consultation.export'],
      jurisdiction_supervisor: ['consultation.read'],
      province_supervisor: ['consultation.read'],
    },
    navigation: [
      {
        label: '征求意见与调查',
        labelEn: 'Consultations',
        href: '/workbench/consultations',
        permission: 'consultation.read',
        waiting: async (actor) => {
          const w = await consultations.waitingInScope(listScope(actor), commandDeps.now());
          const parts = [w.open ? `征集中 ${w.open} 项` : '', w.toConclude ? `已截止待公布 ${w.toConclude} 项` : '', w.toModerate ? `待审核意见 ${w.toModerate} 条` : ''].filter(Boolean);
          const en = [w.open ? `${w.open} open` : '', w.toConclude ? `${w.toConclude} to conclude` : '', w.toModerate ? `${w.toModerate} comments to moderate` : ''].filter(Boolean);
          return parts.length === 0 ? { text: '没有征集中或待处理的事项', textEn: 'Nothing open or waiting' } : { text: parts.join(' · '), textEn: en.join(' · ') };
        },
      },
    ],
    routes: async (app) => {
      for (const r of routes) await r(app);
    },
    seed: async () => {
      await seedConsultations(platform, consultations, deps.findOrganisation);
    },
    search: {
      kinds: [{ kind: 'consultation', label: '征求意见与调查', labelEn: 'Consultations' }],
      reindex: () => reindexConsultations(platform, consultations),
    },
  };
  return { manifest, consultations, commandDeps };
}
