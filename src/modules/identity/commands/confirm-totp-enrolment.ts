import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { IdentityDeps } from '../deps.ts';
import { CONTEXT } from '../personal-data.ts';
import { checkTotp, newRecoveryCodes, normalizeRecoveryCode } from '../totp.ts';
import { signedInAccount } from './signed-in-account.ts';
import { str } from './validate-account-input.ts';

/**
 * 绑定动态口令 (step 2): a code from the app proves the secret was copied; TOTP is then
 * enabled, ten recovery codes are made (returned once, stored as keyed hashes), and the
 * current session counts as second-factor verified.
 */
export async function confirmTotpEnrolment(
  deps: IdentityDeps,
  ctx: RequestContext,
  sessionId: string | null,
  input: Record<string, unknown>,
): Promise<Result<{ recoveryCodes: string[] }, 'forbidden' | 'invalid' | 'conflict'>> {
  const account = await signedInAccount(deps, ctx);
  if (!account) return refuse('forbidden', '请先登录');
  if (account.totpEnabled) return refuse('conflict', '动态口令已经启用');
  if (!account.totpSecret) return refuse('invalid', '请先开始绑定动态口令', [{ field: 'code', message: '请先点击“开始绑定”获取密钥' }]);
  const secret = deps.cipher.decrypt(account.totpSecret, CONTEXT.totpSecret);
  const check = await checkTotp(secret, str(input, 'code'), { now: deps.now() });
  if (!check.ok) {
    return refuse('invalid', '验证码不正确', [{ field: 'code', message: '验证码不正确：请输入验证器应用中当前显示的 6 位数字，并确认手机时间准确' }]);
  }
  const codes = newRecoveryCodes();
  await deps.transactor.run(ctx, async (uow) => {
    await deps.accounts.enableTotp(uow.tx, account.id, check.step);
    await deps.accounts.replaceRecoveryCodes(uow.tx, account.id, codes.map((c) => deps.cipher.secretHash('recovery-code', normalizeRecoveryCode(c))));
    if (sessionId) await deps.sessions.setTotpVerified(uow.tx, sessionId, true);
    await uow.audit({ action: 'account.totp-enable', objectType: 'account', objectId: account.id, detail: { recoveryCodes: codes.length } });
  });
  return ok({ recoveryCodes: codes });
}
