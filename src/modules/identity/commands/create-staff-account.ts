import type { RequestContext, RoleCode } from '../../../platform/auth/actor.ts';
import { ROLE_LABELS } from '../../../platform/auth/permissions.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import { uniqueViolation } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { generatePassword } from '../password-policy.ts';
import { hashPassword } from '../passwords.ts';
import { canAdministerAccount, rolesConflict } from '../policies.ts';
import { checkLoginName, checkNewPassword, checkPersonName } from './validate-account-input.ts';

export interface StaffPositionInput {
  organisationId: string;
  roles: RoleCode[];
}

export interface StaffAccountInput {
  loginName: string;
  displayName: string;
  /** Omitted: a strong password is generated and returned once. */
  password?: string | null | undefined;
  positions: StaffPositionInput[];
  /** Default L2: staff identities are checked by their employer (DOMAIN.md §10.2). */
  realNameLevel?: 0 | 1 | 2 | 3 | 4;
}

export interface CreatedStaffAccount {
  accountId: string;
  loginName: string;
  /** Set when the password was generated: show it once, it is not stored. */
  generatedPassword: string | null;
}

const ROLE_CODES = Object.keys(ROLE_LABELS) as RoleCode[];

/** Checks positions: known roles, organisations that exist, and the 三员分立 combinations. */
export async function checkPositions(deps: Pick<IdentityDeps, 'organisations'>, positions: StaffPositionInput[], errors: FieldError[]): Promise<void> {
  if (positions.length === 0) {
    errors.push({ field: 'organisationId', message: '请至少设置一个岗位（单位和角色）' });
    return;
  }
  const orgs = await deps.organisations.getOrganisations(positions.map((p) => p.organisationId).filter(Boolean));
  const seen = new Set<string>();
  for (const p of positions) {
    if (!p.organisationId || !orgs.has(p.organisationId)) errors.push({ field: 'organisationId', message: '找不到该单位，请填写正确的单位编号' });
    else if (seen.has(p.organisationId)) errors.push({ field: 'organisationId', message: '同一单位只能设置一个岗位，请把角色合并' });
    seen.add(p.organisationId);
    if (p.roles.length === 0) errors.push({ field: 'roles', message: '请至少选择一个角色' });
    const unknown = p.roles.filter((r) => !ROLE_CODES.includes(r));
    if (unknown.length > 0) errors.push({ field: 'roles', message: `未知角色：${unknown.join('、')}` });
  }
  const conflict = rolesConflict(positions);
  if (conflict) errors.push({ field: 'roles', message: conflict });
}

/**
 * 新建工作人员账号: by the security administrator (web) or the command line (system
 * actor). Administrator roles can only be granted from the command line.
 */
export async function createStaffAccountCommand(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: StaffAccountInput,
  opts: { passwordHash?: string } = {},
): Promise<Result<CreatedStaffAccount, 'forbidden' | 'invalid' | 'duplicate'>> {
  const allowed = canAdministerAccount(deps.permissions, ctx.actor, { id: '', kind: 'staff', positions: input.positions }, 'create');
  if (!allowed.ok) return refuse('forbidden', allowed.message);
  const errors: FieldError[] = [];
  const loginName = checkLoginName(input.loginName.trim(), 'loginName', errors);
  const displayName = input.displayName.normalize('NFKC').trim();
  checkPersonName(displayName, 'displayName', '姓名', errors);
  await checkPositions(deps, input.positions, errors);
  // opts.passwordHash: demo seed accounts only (their published password is on the common list).
  const generated = input.password || opts.passwordHash ? null : generatePassword();
  const password = input.password || generated || '';
  if (!generated && !opts.passwordHash) checkNewPassword(password, null, { loginName }, errors);
  if (errors.length > 0 || !loginName) return refuse('invalid', '请修改标记的内容', errors);

  const passwordHash = opts.passwordHash ?? (await hashPassword(password));
  try {
    const accountId = await deps.transactor.run(ctx, async (uow) => {
      const account = await deps.accounts.insertAccount(uow.tx, { kind: 'staff', loginName, displayName, passwordHash, realNameLevel: input.realNameLevel ?? 2 });
      for (const p of input.positions) await deps.accounts.insertPosition(uow.tx, { accountId: account.id, organisationId: p.organisationId, roles: p.roles });
      await uow.audit({
        action: 'account.create-staff',
        objectType: 'account',
        objectId: account.id,
        detail: { loginName, positions: input.positions.map((p) => ({ organisationId: p.organisationId, roles: p.roles })) },
      });
      return account.id;
    });
    return ok({ accountId, loginName, generatedPassword: generated });
  } catch (e) {
    if (uniqueViolation(e) === null) throw e;
    return refuse('duplicate', '该用户名已被使用', [{ field: 'loginName', message: '该用户名已被使用，请换一个' }]);
  }
}
