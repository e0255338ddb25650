import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { AccountRow } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { CONTEXT } from '../personal-data.ts';
import { checkTotp, looksLikeRecoveryCode, normalizeRecoveryCode } from '../totp.ts';

export type SecondFactorMethod = 'totp' | 'recovery-code';

/**
 * Checks a TOTP code or a recovery code for an account with TOTP enabled, inside the
 * caller's transaction. Both are single use: the TOTP step is recorded with a conditional
 * UPDATE and the recovery code is marked used the same way, so two concurrent requests
 * with one code cannot both pass.
 */
export async function checkSecondFactor(
  deps: Pick<IdentityDeps, 'accounts' | 'cipher' | 'now'>,
  uow: UnitOfWork,
  account: AccountRow,
  code: string,
): Promise<SecondFactorMethod | null> {
  if (!account.totpEnabled || !account.totpSecret) return null;
  const input = code.trim();
  if (/^\d{6}$/.test(input.replace(/\s/g, ''))) {
    const secret = deps.cipher.decrypt(account.totpSecret, CONTEXT.totpSecret);
    const r = await checkTotp(secret, input, { now: deps.now(), lastStep: account.totpLastStep });
    if (!r.ok) return null;
    return (await deps.accounts.useTotpStep(uow.tx, account.id, r.step)) ? 'totp' : null;
  }
  if (looksLikeRecoveryCode(input)) {
    const hash = deps.cipher.secretHash('recovery-code', normalizeRecoveryCode(input));
    return (await deps.accounts.useRecoveryCode(uow.tx, account.id, hash, deps.now())) ? 'recovery-code' : null;
  }
  return null;
}
