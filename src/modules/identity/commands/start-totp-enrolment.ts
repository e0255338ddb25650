import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import type { IdentityDeps } from '../deps.ts';
import { CONTEXT } from '../personal-data.ts';
import { newTotpSecret } from '../totp.ts';
import { signedInAccount } from './signed-in-account.ts';

/**
 * 绑定动态口令 (step 1): a new secret is stored encrypted but not yet enabled; the page
 * shows it (text, otpauth URI, QR code) until a code from the app confirms it.
 */
export async function startTotpEnrolment(deps: IdentityDeps, ctx: RequestContext): Promise<Result<null, 'forbidden' | 'conflict'>> {
  const account = await signedInAccount(deps, ctx);
  if (!account) return refuse('forbidden', '请先登录');
  if (account.totpEnabled) return refuse('conflict', '您已启用动态口令；如需更换，请先停用再重新绑定');
  await deps.transactor.run(ctx, async (uow) => {
    await deps.accounts.setPendingTotpSecret(uow.tx, account.id, deps.cipher.encrypt(newTotpSecret(), CONTEXT.totpSecret));
    await uow.audit({ action: 'account.totp-enrol-start', objectType: 'account', objectId: account.id });
  });
  return ok(null);
}
