import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { PasswordResetRow } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { hashPassword } from '../passwords.ts';
import { CONTEXT } from '../personal-data.ts';
import { checkNewPassword, secret, str } from './validate-account-input.ts';

/** Wrong codes allowed per ticket before it is spent (6 digits, 5 tries: 1 in 200 000). */
const MAX_CODE_ATTEMPTS = 5;
const BAD_CODE: FieldError = { field: 'code', message: '验证码不正确或已过期，请重新获取' };

/**
 * 找回密码 (step 2): ticket + SMS code + new password. The code works once and within 15
 * minutes; five wrong codes spend the ticket. Success sets the password, ends every
 * session of the account, lifts a lockout, and — the mobile having proved itself — raises
 * the real-name level to at least L1 (DOMAIN.md §10.2).
 */
export async function confirmPasswordReset(deps: IdentityDeps, ctx: RequestContext, input: Record<string, unknown>): Promise<Result<{ accountId: string }, 'invalid'>> {
  const ticket = str(input, 'ticket');
  const code = str(input, 'code').replace(/\s/g, '');
  const password = secret(input, 'newPassword');
  const confirm = typeof input.newPasswordConfirm === 'string' ? input.newPasswordConfirm : null;
  const errors: FieldError[] = [];
  if (!/^\d{6}$/.test(code)) errors.push({ field: 'code', message: '请填写短信中的 6 位验证码' });
  if (!password) errors.push({ field: 'newPassword', message: '请设置新密码' });
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const ticketHash = deps.cipher.secretHash('reset-ticket', ticket);
  // Read first (no lock) to check the password rules and hash it outside the transaction.
  const peek = ticket ? await deps.accounts.findPasswordReset(ticketHash) : null;
  const usable = (r: PasswordResetRow | null): r is PasswordResetRow => r !== null && r.usedAt === null && r.expiresAt > deps.now();
  if (!usable(peek)) return refuse('invalid', BAD_CODE.message, [BAD_CODE]);
  const account = await deps.accounts.getById(peek.accountId);
  if (!account) return refuse('invalid', BAD_CODE.message, [BAD_CODE]);
  const person = await deps.accounts.getPerson(account.id);
  checkNewPassword(
    password,
    confirm,
    {
      loginName: account.loginName,
      idNumber: person ? deps.cipher.decrypt(person.idNumberEnc, CONTEXT.idNumber) : null,
      mobile: person?.mobileEnc ? deps.cipher.decrypt(person.mobileEnc, CONTEXT.mobile) : null,
    },
    errors,
    { password: 'newPassword', confirm: 'newPasswordConfirm' },
  );
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);
  const hash = await hashPassword(password);

  const done = await deps.transactor.run(ctx, async (uow) => {
    const reset = await deps.accounts.findPasswordReset(ticketHash, uow.tx);
    if (!reset || !usable(reset)) return false;
    if (reset.codeHash !== deps.cipher.secretHash('reset-code', code)) {
      await deps.accounts.failPasswordReset(uow.tx, reset.id, MAX_CODE_ATTEMPTS);
      await uow.audit({ action: 'account.password-reset', objectType: 'account', objectId: reset.accountId, outcome: 'denied', detail: { reason: 'bad-code', attempt: reset.attempts + 1 } });
      return false;
    }
    await deps.accounts.consumePasswordReset(uow.tx, reset.id, deps.now());
    await deps.accounts.setPassword(uow.tx, reset.accountId, hash, deps.now());
    await deps.accounts.raiseRealNameLevel(uow.tx, reset.accountId, 1);
    const ended = await deps.sessions.deleteForAccount(uow.tx, reset.accountId);
    await uow.audit({ action: 'account.password-reset', objectType: 'account', objectId: reset.accountId, detail: { sessionsEnded: ended } });
    return true;
  });
  if (!done) return refuse('invalid', BAD_CODE.message, [BAD_CODE]);
  return ok({ accountId: account.id });
}
