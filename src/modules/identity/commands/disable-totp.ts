import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { IdentityDeps } from '../deps.ts';
import { verifyPassword } from '../passwords.ts';
import { signedInAccount } from './signed-in-account.ts';
import { secret } from './validate-account-input.ts';

/**
 * 停用动态口令: needs the password. Recovery codes go with it. For an administrator the
 * workbench closes again until a new enrolment (policies.mustUseSecondFactor).
 */
export async function disableTotp(deps: IdentityDeps, ctx: RequestContext, sessionId: string | null, input: Record<string, unknown>): Promise<Result<null, 'forbidden' | 'invalid'>> {
  const account = await signedInAccount(deps, ctx);
  if (!account) return refuse('forbidden', '请先登录');
  const password = secret(input, 'password');
  if (!password || !(await verifyPassword(account.passwordHash, password)).ok) {
    return refuse('invalid', '密码不正确', [{ field: 'password', message: password ? '密码不正确' : '请填写当前密码' }]);
  }
  await deps.transactor.run(ctx, async (uow) => {
    await deps.accounts.clearTotp(uow.tx, account.id);
    if (sessionId) await deps.sessions.setTotpVerified(uow.tx, sessionId, false);
    await uow.audit({ action: 'account.totp-disable', objectType: 'account', objectId: account.id });
  });
  return ok(null);
}
