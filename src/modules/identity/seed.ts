import { systemContext, type RoleCode } from '../../platform/auth/actor.ts';
import { organizationCodeCheckCharacter, usccCheckCharacter } from '../../platform/codes/validators.ts';
import { createStaffAccountCommand } from './commands/create-staff-account.ts';
import { registerCitizen } from './commands/register-citizen.ts';
import { registerEnterprise } from './commands/register-enterprise.ts';
import type { IdentityDeps } from './deps.ts';
import { resolveOrganisation } from './organisations.ts';
import { hashPassword } from './passwords.ts';

/**
 * Demo accounts (seeded on first start of a non-production installation, and by
 * `zhengwu seed`). They all share one published password, which is why:
 * - seeding them is refused in production;
 * - the password is on the common-password list, so no real account can choose it.
 * The three administrators are NOT pre-enrolled in TOTP: they are sent to enrolment on
 * their first sign-in, as a real administrator would be.
 */
export const DEMO_PASSWORD = 'Zhengwu@2026';

export interface DemoLogin {
  login: string;
  password: string;
  role: string;
}

interface DemoStaff {
  login: string;
  name: string;
  role: string;
  positions: { organisation: string; at: string; roles: RoleCode[] }[];
}

/** 张三's ID number: 420102 (武汉市江岸区) 1990-03-07, sequence 123 (male), check character 2. */
export const DEMO_CITIZEN = { login: 'zhangsan', name: '张三', idNumber: '420102199003071232', mobile: '13800138000' };

/** A structurally valid DEMO USCC (market regulation, enterprise; 420102): not a real company's. */
function demoEnterpriseUscc(): string {
  const body = 'MA4K0001';
  const first17 = `91420102${body}${organizationCodeCheckCharacter(body)}`;
  return first17 + usccCheckCharacter(first17);
}

export const DEMO_ENTERPRISE = {
  uscc: demoEnterpriseUscc(),
  name: '武汉江岸示例科技有限公司',
  legalRepName: '李四',
  legalRepIdNumber: '420102198512120018',
};

const PROVINCE_OFFICE = { organisation: '湖北省政务服务和大数据管理局', at: '420000' };

const DEMO_STAFF: DemoStaff[] = [
  {
    login: 'clerk.jiangan',
    name: '王芳',
    role: '办事员（武汉市江岸区政务服务和大数据管理局；兼江岸区民政局，可切换岗位）',
    positions: [
      { organisation: '武汉市江岸区政务服务和大数据管理局', at: '420102', roles: ['clerk'] },
      { organisation: '武汉市江岸区民政局', at: '420102', roles: ['clerk'] },
    ],
  },
  { login: 'clerk.daye', name: '陈静', role: '办事员（大冶市政务服务和大数据管理局）', positions: [{ organisation: '大冶市政务服务和大数据管理局', at: '420281', roles: ['clerk'] }] },
  { login: 'head.jiangan', name: '刘强', role: '部门负责人（武汉市江岸区政务服务和大数据管理局）', positions: [{ organisation: '武汉市江岸区政务服务和大数据管理局', at: '420102', roles: ['org_head'] }] },
  { login: 'supervisor.wuhan', name: '赵敏', role: '辖区监督员（武汉市）', positions: [{ organisation: '武汉市政务服务和大数据管理局', at: '420100', roles: ['jurisdiction_supervisor'] }] },
  { login: 'supervisor.hubei', name: '孙伟', role: '省级监督员（湖北省）', positions: [{ ...PROVINCE_OFFICE, roles: ['province_supervisor'] }] },
  { login: 'sysadmin', name: '周明', role: '系统管理员（首次登录须绑定动态口令）', positions: [{ ...PROVINCE_OFFICE, roles: ['sysadmin'] }] },
  { login: 'secadmin', name: '吴安', role: '安全管理员（首次登录须绑定动态口令）', positions: [{ ...PROVINCE_OFFICE, roles: ['secadmin'] }] },
  { login: 'auditadmin', name: '郑审', role: '安全审计员（首次登录须绑定动态口令）', positions: [{ ...PROVINCE_OFFICE, roles: ['auditadmin'] }] },
];

/** The demo sign-ins for the start banner and the README (non-production only). */
export function demoLogins(): DemoLogin[] {
  return [
    { login: DEMO_CITIZEN.login, password: DEMO_PASSWORD, role: `个人用户 ${DEMO_CITIZEN.name}（也可用手机号码 ${DEMO_CITIZEN.mobile} 或身份证号码登录）` },
    { login: DEMO_ENTERPRISE.uscc, password: DEMO_PASSWORD, role: `法人用户 ${DEMO_ENTERPRISE.name}` },
    ...DEMO_STAFF.map((s) => ({ login: s.login, password: DEMO_PASSWORD, role: `${s.name} · ${s.role}` })),
  ];
}

/** Idempotent: an account whose login name exists is left as it is. */
export async function seedIdentity(deps: IdentityDeps): Promise<{ created: string[]; skipped: string[] }> {
  const created: string[] = [];
  const skipped: string[] = [];
  if (deps.config.env === 'production') {
    deps.logger.warn('identity: demo accounts are never seeded in production');
    return { created, skipped };
  }
  const ctx = systemContext('seed');
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  if (!(await deps.accounts.findByLoginName(DEMO_CITIZEN.login))) {
    const r = await registerCitizen(deps, ctx, { name: DEMO_CITIZEN.name, idNumber: DEMO_CITIZEN.idNumber, mobile: DEMO_CITIZEN.mobile, loginName: DEMO_CITIZEN.login }, { realNameLevel: 2, passwordHash });
    if (r.ok) created.push(DEMO_CITIZEN.login);
    else skipped.push(`${DEMO_CITIZEN.login}: ${r.message}`);
  }
  if (!(await deps.accounts.findByLoginName(DEMO_ENTERPRISE.uscc))) {
    const r = await registerEnterprise(
      deps,
      ctx,
      { uscc: DEMO_ENTERPRISE.uscc, enterpriseName: DEMO_ENTERPRISE.name, legalRepName: DEMO_ENTERPRISE.legalRepName, legalRepIdNumber: DEMO_ENTERPRISE.legalRepIdNumber },
      { origin: 'registry', passwordHash },
    );
    if (r.ok) {
      created.push(DEMO_ENTERPRISE.uscc);
      // 张三 is the enterprise's authorised agent (经办人) for a year.
      const citizen = await deps.accounts.findByLoginName(DEMO_CITIZEN.login);
      if (citizen) {
        const today = new Date().toISOString().slice(0, 10);
        const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
        await deps.transactor.run(ctx, async (uow) => {
          const id = await deps.accounts.insertAgentAuthorisation(uow.tx, {
            enterpriseAccountId: r.value.accountId,
            citizenAccountId: citizen.id,
            scope: '企业登记、许可事项的申办',
            validFrom: today,
            validTo: nextYear,
          });
          await uow.audit({ action: 'account.authorise-agent', objectType: 'agent_authorisation', objectId: id, detail: { enterprise: r.value.accountId, agent: citizen.id } });
        });
      }
    } else skipped.push(`${DEMO_ENTERPRISE.uscc}: ${r.message}`);
  }

  for (const s of DEMO_STAFF) {
    if (await deps.accounts.findByLoginName(s.login)) continue;
    const positions: { organisationId: string; roles: RoleCode[] }[] = [];
    for (const p of s.positions) {
      const match = await resolveOrganisation(deps.organisations, p.organisation, p.at);
      if (match.ok) positions.push({ organisationId: match.organisation.id, roles: p.roles });
    }
    if (positions.length !== s.positions.length) {
      skipped.push(`${s.login}: 演示单位不存在（请先运行行政区划与组织机构的演示数据）`);
      continue;
    }
    const r = await createStaffAccountCommand(deps, ctx, { loginName: s.login, displayName: s.name, positions }, { passwordHash });
    if (r.ok) created.push(s.login);
    else skipped.push(`${s.login}: ${r.message} ${JSON.stringify(r.fields ?? [])}`);
  }
  if (skipped.length > 0) deps.logger.warn({ skipped }, 'identity: some demo accounts were not created');
  return { created, skipped };
}
