import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from '../../../platform/http/access.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { AppError } from '../../../platform/errors.ts';
import { changePassword } from '../commands/change-password.ts';
import { confirmTotpEnrolment } from '../commands/confirm-totp-enrolment.ts';
import { disableTotp } from '../commands/disable-totp.ts';
import { revealPersonalData } from '../commands/reveal-personal-data.ts';
import { startTotpEnrolment } from '../commands/start-totp-enrolment.ts';
import { switchPosition } from '../commands/switch-position.ts';
import type { IdentityDeps } from '../deps.ts';
import { CONTEXT } from '../personal-data.ts';
import { mustUseSecondFactor } from '../policies.ts';
import { presentProfile, type AccountProfile } from '../presenters.ts';
import { totpQrSvg, totpUri } from '../totp.ts';
import { changePasswordPage, profilePage, recoveryCodesPage, securityPage, type SecurityState } from '../views/account-pages.ts';
import { SIGN_IN_RATE_LIMIT, formBody, identityError, noStore, sendPage, sessionIdOf, statusFor } from './http.ts';

const signedIn: Access = { signedIn: ['citizen', 'enterprise', 'staff'] };
type Form = Record<string, string | undefined>;

/** The account holder's own pages: profile, password, second factor; and the staff position switch. */
export function accountRoutes(deps: IdentityDeps) {
  async function profileOf(request: FastifyRequest): Promise<AccountProfile> {
    const a = request.actor;
    if (a.kind !== 'citizen' && a.kind !== 'enterprise' && a.kind !== 'staff') throw new AppError('ZW_ERR_UNAUTHENTICATED');
    const account = await deps.accounts.getById(a.accountId);
    if (!account) throw new AppError('ZW_ERR_UNAUTHENTICATED');
    const person = account.kind === 'citizen' ? await deps.accounts.getPerson(account.id) : null;
    const enterprise = account.kind === 'enterprise' ? await deps.accounts.getEnterprise(account.id) : null;
    return presentProfile(account, person, enterprise, a.kind === 'staff' ? a.positions : []);
  }

  async function securityState(request: FastifyRequest): Promise<SecurityState> {
    const a = request.actor;
    const account = a.kind === 'citizen' || a.kind === 'enterprise' || a.kind === 'staff' ? await deps.accounts.getById(a.accountId) : null;
    if (!account) throw new AppError('ZW_ERR_UNAUTHENTICATED');
    let pending: SecurityState['pending'] = null;
    if (!account.totpEnabled && account.totpSecret) {
      const secret = deps.cipher.decrypt(account.totpSecret, CONTEXT.totpSecret);
      const uri = totpUri(secret, account.loginName);
      pending = { secret, uri, qrSvg: await totpQrSvg(uri) };
    }
    return {
      totpEnabled: account.totpEnabled,
      pending,
      unusedRecoveryCodes: account.totpEnabled ? await deps.accounts.unusedRecoveryCodes(account.id) : 0,
      mustEnrol: mustUseSecondFactor(a),
    };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/account', { config: { access: signedIn }, schema: { hide: true } }, async (request, reply) => sendPage(reply, profilePage(request.page, await profileOf(request))));

    // 显示完整号码: a POST (it writes an audit entry), answered with the profile showing the number once.
    app.post<{ Body: Form }>('/account/reveal', { config: { access: signedIn }, schema: { hide: true, body: formBody(['field']) } }, async (request, reply) => {
      const r = await revealPersonalData(deps, request.ctx, request.body.field ?? '');
      if (!r.ok) throw identityError(r);
      noStore(reply);
      return sendPage(reply, profilePage(request.page, await profileOf(request), r.value));
    });

    app.get('/account/password', { config: { access: signedIn }, schema: { hide: true } }, async (request, reply) => sendPage(reply, changePasswordPage(request.page, [])));
    app.post<{ Body: Form }>(
      '/account/password',
      // the current password is checked here: limit guessing with a stolen session
      { config: { access: signedIn, rateLimit: SIGN_IN_RATE_LIMIT }, schema: { hide: true, body: formBody(['currentPassword', 'newPassword', 'newPasswordConfirm']) } },
      async (request, reply) => {
        const r = await changePassword(deps, request.ctx, sessionIdOf(request), request.body);
        if (!r.ok) {
          if (r.reason === 'invalid') return sendPage(reply, changePasswordPage(request.page, r.fields ?? []), 400);
          throw identityError(r);
        }
        setFlash(reply, '密码已修改，其他设备上的登录已退出');
        return reply.redirect('/account', 303);
      },
    );

    // ---- 动态口令 ----
    app.get('/account/security', { config: { access: signedIn }, schema: { hide: true } }, async (request, reply) => {
      noStore(reply);
      return sendPage(reply, securityPage(request.page, await securityState(request)));
    });
    app.post('/account/security/totp', { config: { access: signedIn }, schema: { hide: true, body: formBody([]) } }, async (request, reply) => {
      const r = await startTotpEnrolment(deps, request.ctx);
      if (!r.ok) throw identityError(r);
      return reply.redirect('/account/security', 303);
    });
    app.post<{ Body: Form }>('/account/security/totp/confirm', { config: { access: signedIn }, schema: { hide: true, body: formBody(['code']) } }, async (request, reply) => {
      const r = await confirmTotpEnrolment(deps, request.ctx, sessionIdOf(request), request.body);
      noStore(reply);
      if (!r.ok) {
        if (r.reason === 'invalid') return sendPage(reply, securityPage(request.page, await securityState(request), r.fields ?? []), 400);
        throw identityError(r);
      }
      return sendPage(reply, recoveryCodesPage(request.page, r.value.recoveryCodes));
    });
    app.post<{ Body: Form }>('/account/security/totp/disable', { config: { access: signedIn, rateLimit: SIGN_IN_RATE_LIMIT }, schema: { hide: true, body: formBody(['password']) } }, async (request, reply) => {
      const r = await disableTotp(deps, request.ctx, sessionIdOf(request), request.body);
      if (!r.ok) {
        if (r.reason === 'invalid') return sendPage(reply, securityPage(request.page, await securityState(request), r.fields ?? []), statusFor(r.reason));
        throw identityError(r);
      }
      setFlash(reply, '动态口令已停用');
      return reply.redirect('/account/security', 303);
    });

    // ---- 切换岗位 (the top-bar switcher of the workbench shell) ----
    app.post<{ Body: Form }>(
      '/workbench/position',
      { config: { access: { signedIn: ['staff'] } }, schema: { hide: true, body: formBody(['positionId', 'back']) } },
      async (request, reply) => {
        const r = await switchPosition(deps, request.ctx, sessionIdOf(request), request.body);
        if (!r.ok) throw identityError(r);
        const p = request.actor.kind === 'staff' ? request.actor.positions.find((x) => x.id === r.value.positionId) : undefined;
        if (p) setFlash(reply, `已切换到：${p.organisationName}`);
        // Back to the workbench page the switch was asked from (a local /workbench path only).
        const back = typeof request.body.back === 'string' && /^\/workbench(\/[\w\-/]*)?(\?[\w=&%.-]*)?$/.test(request.body.back) ? request.body.back : '/workbench';
        return reply.redirect(back, 303);
      },
    );
  };
}
