import type { RequestContext } from '../../../platform/auth/actor.ts';
import type { AuditInput } from '../../../platform/audit/audit-log.ts';
import type { FieldError } from '../../../platform/errors.ts';
import type { UnitOfWork } from '../../../platform/unit-of-work.ts';
import type { AccountRow } from '../account.repository.ts';
import type { IdentityDeps } from '../deps.ts';
import { BAD_CREDENTIALS_MESSAGE, lockedMessage } from '../lockout.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../passwords.ts';
import { identifierCandidates, identifierForAudit, LOOKUP, type IdentifierKind } from '../personal-data.ts';
import { openSession, type IssuedSession } from '../sessions.ts';
import { checkSecondFactor, type SecondFactorMethod } from './second-factor.ts';
import { secret, str } from './validate-account-input.ts';

export type SignInRefusal = 'invalid' | 'credentials' | 'locked' | 'disabled' | 'no_position' | 'totp_required' | 'totp_invalid';

export type SignInResult =
  | { ok: true; value: { account: AccountRow; session: IssuedSession } }
  | { ok: false; reason: SignInRefusal; message: string; fields?: FieldError[]; lockedUntil?: Date };

export interface SignInInput {
  login?: unknown;
  password?: unknown;
  /** API clients send the TOTP (or a recovery code) with the password; forms use a second step. */
  totpCode?: unknown;
}

/** Finds the account a sign-in identifier names: mobile or ID number (via keyed hashes), else login name. */
export async function findAccountByIdentifier(
  deps: Pick<IdentityDeps, 'accounts' | 'cipher'>,
  identifier: string,
): Promise<{ account: AccountRow | null; kind: IdentifierKind; shown: string }> {
  const candidates = identifierCandidates(identifier);
  for (const c of candidates) {
    const account =
      c.kind === 'mobile'
        ? await deps.accounts.findByMobileHash(deps.cipher.lookupHash(LOOKUP.mobile, c.value))
        : c.kind === 'idNumber'
          ? await deps.accounts.findByIdNumberHash(deps.cipher.lookupHash(LOOKUP.idNumber, c.value))
          : await deps.accounts.findByLoginName(c.value);
    if (account) return { account, kind: c.kind, shown: identifierForAudit(c) };
  }
  const last = candidates[0]!;
  return { account: null, kind: last.kind, shown: identifierForAudit(last) };
}

/**
 * 登录: login name, mobile or ID number + password.
 *
 * - Five consecutive failures (password or second factor) lock the account for 15 minutes;
 *   a locked account is refused before the password is even checked.
 * - Every attempt is audited ('account.sign-in', success or denied) — never the password,
 *   and personal identifiers only masked.
 * - An unknown account costs the same argon2 time as a known one.
 * - Accounts with TOTP: `mode: 'form'` opens a password-only session pending the second
 *   factor (/login/totp); `mode: 'api'` needs `totpCode` in the same request.
 * - The session the request came with is replaced (new id, new CSRF token).
 */
export async function signIn(
  deps: IdentityDeps,
  ctx: RequestContext,
  input: SignInInput,
  opts: { mode: 'form' | 'api'; currentSessionId: string | null },
): Promise<SignInResult> {
  const raw = input as Record<string, unknown>;
  const login = str(raw, 'login');
  const password = secret(raw, 'password');
  const fields: FieldError[] = [];
  if (!login) fields.push({ field: 'login', message: '请填写用户名、手机号码或身份证号码' });
  if (!password) fields.push({ field: 'password', message: '请填写密码' });
  if (fields.length > 0) return { ok: false, reason: 'invalid', message: '请填写账号和密码', fields };

  const found = await findAccountByIdentifier(deps, login);
  const account = found.account;
  if (!account) {
    await burnPasswordCheck(password);
    await deps.transactor.auditOnly(ctx, {
      action: 'account.sign-in',
      objectType: 'account',
      outcome: 'denied',
      detail: { reason: 'unknown-account', identifier: found.shown, identifierKind: found.kind },
    });
    return { ok: false, reason: 'credentials', message: BAD_CREDENTIALS_MESSAGE };
  }
  const audit = (outcome: 'success' | 'denied', detail: Record<string, unknown>) => ({
    action: 'account.sign-in',
    objectType: 'account',
    objectId: account.id,
    outcome,
    detail: { loginName: account.loginName, identifierKind: found.kind, ...detail },
  });

  const now = deps.now();
  if (account.lockedUntil && account.lockedUntil > now) {
    await deps.transactor.auditOnly(ctx, audit('denied', { reason: 'locked' }));
    return { ok: false, reason: 'locked', message: lockedMessage(account.lockedUntil), lockedUntil: account.lockedUntil };
  }

  const check = await verifyPassword(account.passwordHash, password);
  if (!check.ok) return recordFailure(deps, ctx, account, audit('denied', { reason: 'bad-password' }));

  if (account.status === 'disabled') {
    await deps.transactor.auditOnly(ctx, audit('denied', { reason: 'disabled' }));
    return { ok: false, reason: 'disabled', message: '账号已停用，如有疑问请联系管理员' };
  }
  let positionId: string | null = null;
  if (account.kind === 'staff') {
    const positions = await deps.accounts.positionsOf(account.id);
    if (positions.length === 0) {
      await deps.transactor.auditOnly(ctx, audit('denied', { reason: 'no-position' }));
      return { ok: false, reason: 'no_position', message: '账号尚未分配岗位，请联系安全管理员' };
    }
    positionId = positions[0]!.id;
  }
  const totpCode = typeof input.totpCode === 'string' ? input.totpCode.trim() : '';
  if (account.totpEnabled && opts.mode === 'api' && !totpCode) {
    return { ok: false, reason: 'totp_required', message: '该账号已启用动态口令，请同时提交 totpCode（动态验证码或恢复码）' };
  }
  const rehash = check.needsRehash ? await hashPassword(password) : null;

  const outcome = await deps.transactor.run(ctx, async (uow) => {
    let method: SecondFactorMethod | 'pending' | 'none' = 'none';
    if (account.totpEnabled && opts.mode === 'api') {
      const locked = await deps.accounts.lockById(uow.tx, account.id);
      const passed = locked ? await checkSecondFactor(deps, uow, locked, totpCode) : null;
      if (!passed) return { passed: false as const };
      method = passed;
    } else if (account.totpEnabled) {
      method = 'pending';
    }
    await deps.accounts.recordSuccessfulSignIn(uow.tx, account.id, rehash);
    await deps.sessions.deleteExpired(uow.tx, deps.now(), account.id);
    const session = await openSession(deps, uow, {
      accountId: account.id,
      positionId,
      pendingSecondFactor: method === 'pending',
      totpVerified: method === 'totp' || method === 'recovery-code',
      replacing: opts.currentSessionId,
    });
    await uow.audit(audit('success', { secondFactor: method }));
    return { passed: true as const, session };
  });
  if (!outcome.passed) return recordFailure(deps, ctx, account, audit('denied', { reason: 'bad-second-factor' }), 'totp_invalid');
  return { ok: true, value: { account, session: outcome.session } };
}

/** Counts a failed attempt (and locks on the fifth), audited in the same transaction. */
export async function recordFailure(
  deps: IdentityDeps,
  ctx: RequestContext,
  account: AccountRow,
  entry: AuditInput,
  reason: 'credentials' | 'totp_invalid' = 'credentials',
  afterLock?: (uow: UnitOfWork) => Promise<void>,
): Promise<SignInResult> {
  const { lockedUntil } = await deps.transactor.run(ctx, async (uow) => {
    const r = await deps.accounts.recordFailedSignIn(uow.tx, account.id, deps.now());
    await uow.audit({ ...entry, detail: { ...entry.detail, locked: r.lockedUntil !== null } });
    if (r.lockedUntil && afterLock) await afterLock(uow);
    return r;
  });
  if (lockedUntil) return { ok: false, reason: 'locked', message: lockedMessage(lockedUntil, true), lockedUntil };
  return reason === 'totp_invalid'
    ? { ok: false, reason, message: '动态验证码或恢复码不正确，请重新输入' }
    : { ok: false, reason, message: BAD_CREDENTIALS_MESSAGE };
}
