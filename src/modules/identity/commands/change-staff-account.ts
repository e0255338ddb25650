import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { AccountRow, PositionRow } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { canAdministerAccount } from '../policies.ts';

export type StaffAccountChange = 'disable' | 'enable' | 'unlock' | 'reset-totp';

const DONE: Record<StaffAccountChange, string> = {
  disable: '账号已停用，该账号的所有会话已结束',
  enable: '账号已启用',
  unlock: '账号已解锁',
  'reset-totp': '动态口令已重置，该账号下次登录后需重新绑定',
};

export async function loadStaffAccount(deps: Pick<IdentityDeps, 'accounts'>, id: string): Promise<{ account: AccountRow; positions: PositionRow[] } | null> {
  const account = await deps.accounts.getById(id);
  if (!account || account.kind !== 'staff') return null;
  return { account, positions: await deps.accounts.positionsOf(id) };
}

/**
 * 安全管理员的账号操作: disable (ends every session), enable, unlock (clears a sign-in
 * lockout), reset TOTP (a lost phone: the staff member enrols again). Audited each.
 */
export async function changeStaffAccount(deps: IdentityDeps, ctx: RequestContext, accountId: string, change: StaffAccountChange): Promise<Result<{ message: string }, 'forbidden' | 'not_found'>> {
  const target = await loadStaffAccount(deps, accountId);
  if (!target) return refuse('not_found', '工作人员账号不存在');
  const allowed = canAdministerAccount(deps.permissions, ctx.actor, { id: target.account.id, kind: target.account.kind, positions: target.positions }, change);
  if (!allowed.ok) return refuse('forbidden', allowed.message);
  await deps.transactor.run(ctx, async (uow) => {
    const now = deps.now();
    switch (change) {
      case 'disable':
        await deps.accounts.setStatus(uow.tx, accountId, 'disabled', now);
        await deps.sessions.deleteForAccount(uow.tx, accountId);
        break;
      case 'enable':
        await deps.accounts.setStatus(uow.tx, accountId, 'active', now);
        break;
      case 'unlock':
        await deps.accounts.unlock(uow.tx, accountId);
        break;
      case 'reset-totp':
        await deps.accounts.clearTotp(uow.tx, accountId);
        await deps.sessions.deleteForAccount(uow.tx, accountId);
        break;
    }
    await uow.audit({ action: `account.${change}`, objectType: 'account', objectId: accountId, detail: { loginName: target.account.loginName } });
  });
  return ok({ message: DONE[change] });
}
