import type { RequestContext } from '../../../platform/auth/actor.ts';
import { ok, refuse, type FieldError, type Result } from '../../../platform/errors.ts';
import type { IdentityDeps } from '../deps.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { CONTEXT } from '../personal-data.ts';
import { checkNewPassword, secret } from './validate-account-input.ts';

/**
 * 修改密码: current password + new password (twice). The account's other sessions end;
 * the one the change was made in stays.
 */
export async function changePassword(
  deps: IdentityDeps,
  ctx: RequestContext,
  sessionId: string | null,
  input: Record<string, unknown>,
): Promise<Result<null, 'invalid' | 'forbidden'>> {
  const actor = ctx.actor;
  if (actor.kind !== 'citizen' && actor.kind !== 'enterprise' && actor.kind !== 'staff') return refuse('forbidden', '请先登录');
  const account = await deps.accounts.getById(actor.accountId);
  if (!account) return refuse('forbidden', '账号不存在');
  const current = secret(input, 'currentPassword');
  const next = secret(input, 'newPassword');
  const errors: FieldError[] = [];
  if (!current) errors.push({ field: 'currentPassword', message: '请填写当前密码' });
  else if (!(await verifyPassword(account.passwordHash, current)).ok) errors.push({ field: 'currentPassword', message: '当前密码不正确' });
  const person = account.kind === 'citizen' ? await deps.accounts.getPerson(account.id) : null;
  const idNumber = person ? deps.cipher.decrypt(person.idNumberEnc, CONTEXT.idNumber) : null;
  const mobile = person?.mobileEnc ? deps.cipher.decrypt(person.mobileEnc, CONTEXT.mobile) : null;
  const confirm = typeof input.newPasswordConfirm === 'string' ? input.newPasswordConfirm : null;
  checkNewPassword(next, confirm, { loginName: account.loginName, idNumber, mobile }, errors, { password: 'newPassword', confirm: 'newPasswordConfirm' });
  if (next && current && next === current) errors.push({ field: 'newPassword', message: '新密码不能与当前密码相同' });
  if (errors.length > 0) return refuse('invalid', '请修改标记的内容', errors);

  const hash = await hashPassword(next);
  await deps.transactor.run(ctx, async (uow) => {
    await deps.accounts.setPassword(uow.tx, account.id, hash, deps.now());
    const ended = await deps.sessions.deleteForAccount(uow.tx, account.id, sessionId ?? undefined);
    await uow.audit({ action: 'account.change-password', objectType: 'account', objectId: account.id, detail: { otherSessionsEnded: ended } });
  });
  return ok(null);
}
