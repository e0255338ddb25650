import crypto from 'node:crypto';
import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type Result } from '../../../platform/errors.ts';
import { notify } from '../../../platform/notify/notify.ts';
import type { IdentityDeps } from '../deps.ts';
import { CONTEXT } from '../personal-data.ts';
import { findAccountByIdentifier } from './sign-in.ts';
import { str } from './validate-account-input.ts';

export const RESET_CODE_TTL_MS = 15 * 60_000;
/** At most this many codes per account and hour: an SMS costs money and annoys the owner. */
const RESETS_PER_HOUR = 3;

/**
 * 找回密码 (step 1): by login name, mobile or ID number. When the account has a mobile,
 * a 6-digit code goes out by SMS through the notification outbox, valid 15 minutes, once.
 *
 * The answer is the same whether or not the account exists (no account discovery): a
 * random ticket for the confirm page is always returned; only a real request stores it —
 * hashed, like the code.
 */
export async function requestPasswordReset(deps: IdentityDeps, ctx: RequestContext, input: Record<string, unknown>): Promise<Result<{ ticket: string }, 'invalid'>> {
  const identifier = str(input, 'login');
  if (!identifier) return refuse('invalid', '请填写用户名、手机号码或身份证号码', [{ field: 'login', message: '请填写用户名、手机号码或身份证号码' }]);
  const ticket = crypto.randomBytes(24).toString('base64url');
  const found = await findAccountByIdentifier(deps, identifier);
  const account = found.account;
  const person = account && account.status === 'active' ? await deps.accounts.getPerson(account.id) : null;
  const now = deps.now();
  if (!account || !person?.mobileEnc || (await deps.accounts.countRecentResets(account.id, new Date(now.getTime() - 3_600_000))) >= RESETS_PER_HOUR) {
    await deps.transactor.auditOnly(ctx, {
      action: 'account.password-reset-request',
      objectType: 'account',
      objectId: account?.id ?? null,
      outcome: 'denied',
      detail: { identifier: found.shown, reason: !account ? 'unknown-account' : !person?.mobileEnc ? 'no-mobile' : 'too-many' },
    });
    return ok({ ticket });
  }
  const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0');
  const mobile = deps.cipher.decrypt(person.mobileEnc, CONTEXT.mobile);
  await deps.transactor.run(ctx, async (uow) => {
    await deps.accounts.insertPasswordReset(uow.tx, {
      ticketHash: deps.cipher.secretHash('reset-ticket', ticket),
      accountId: account.id,
      codeHash: deps.cipher.secretHash('reset-code', code),
      expiresAt: new Date(now.getTime() + RESET_CODE_TTL_MS),
    });
    await notify(uow, {
      recipientAccountId: account.id,
      channel: 'sms',
      to: mobile,
      subject: '找回密码验证码',
      body: `【湖北政务服务网】您正在找回密码，验证码 ${code}，${RESET_CODE_TTL_MS / 60_000} 分钟内有效，仅可使用一次。如非本人操作，请忽略本短信。`,
    });
    await uow.audit({ action: 'account.password-reset-request', objectType: 'account', objectId: account.id, detail: { mobile: person.mobileMasked } });
  });
  return ok({ ticket });
}
