import type { RequestContext } from '../../../platform/auth/actor.ts';
import type { IdentityDeps } from '../deps.ts';
import { lockedMessage } from '../lockout.ts';
import { sessionExpired } from '../session-token.ts';
import { openSession } from '../sessions.ts';
import { checkSecondFactor } from './second-factor.ts';
import { recordFailure, type SignInResult } from './sign-in.ts';
import { str } from './validate-account-input.ts';

/**
 * 动态口令验证 (/login/totp): completes a password-only session with a TOTP code or a
 * recovery code. Success replaces the pending session with a full one (new id and CSRF
 * token); failures count towards the lockout, and the lock also ends the pending session.
 */
export async function verifySecondFactor(deps: IdentityDeps, ctx: RequestContext, pendingSessionId: string | null, input: Record<string, unknown>): Promise<SignInResult> {
  const code = str(input, 'code');
  const session = pendingSessionId ? await deps.sessions.findWithAccount(pendingSessionId) : null;
  if (!session || !session.pendingSecondFactor || sessionExpired(session, deps.now())) {
    return { ok: false, reason: 'invalid', message: '登录已超时，请重新输入账号和密码', fields: [] };
  }
  if (!code) return { ok: false, reason: 'invalid', message: '请填写动态验证码', fields: [{ field: 'code', message: '请填写 6 位动态验证码或恢复码' }] };
  const account = await deps.accounts.getById(session.accountId);
  if (!account || account.status === 'disabled') return { ok: false, reason: 'disabled', message: '账号已停用，如有疑问请联系管理员' };
  if (account.lockedUntil && account.lockedUntil > deps.now()) {
    await deps.sessions.delete(deps.db, session.id);
    return { ok: false, reason: 'locked', message: lockedMessage(account.lockedUntil), lockedUntil: account.lockedUntil };
  }
  const entry = (outcome: 'success' | 'denied', detail: Record<string, unknown>) => ({
    action: 'account.sign-in-second-factor',
    objectType: 'account',
    objectId: account.id,
    outcome,
    detail: { loginName: account.loginName, ...detail },
  });

  const outcome = await deps.transactor.run(ctx, async (uow) => {
    const locked = await deps.accounts.lockById(uow.tx, account.id);
    const method = locked ? await checkSecondFactor(deps, uow, locked, code) : null;
    if (!method) return null;
    await deps.accounts.recordSuccessfulSignIn(uow.tx, account.id, null);
    const issued = await openSession(deps, uow, {
      accountId: account.id,
      positionId: session.positionId,
      pendingSecondFactor: false,
      totpVerified: true,
      replacing: session.id,
    });
    await uow.audit(entry('success', { method }));
    return issued;
  });
  if (!outcome) {
    return recordFailure(deps, ctx, account, entry('denied', { reason: 'bad-second-factor' }), 'totp_invalid', async (uow) => {
      await deps.sessions.delete(uow.tx, session.id);
    });
  }
  return { ok: true, value: { account, session: outcome } };
}
