import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../../platform/auth/actor.ts';
import { setFlash } from '../../../platform/http/server.ts';
import { confirmPasswordReset } from '../commands/confirm-password-reset.ts';
import { registerCitizen } from '../commands/register-citizen.ts';
import { registerEnterprise } from '../commands/register-enterprise.ts';
import { requestPasswordReset } from '../commands/request-password-reset.ts';
import { signIn } from '../commands/sign-in.ts';
import { signOut } from '../commands/sign-out.ts';
import { verifySecondFactor } from '../commands/verify-second-factor.ts';
import type { IdentityDeps } from '../deps.ts';
import { holdsAdminRole, mustUseSecondFactor } from '../policies.ts';
import { clearSessionCookie, setSessionCookie } from '../sessions.ts';
import { loginPage, registerCitizenPage, registerEnterprisePage, resetConfirmPage, resetRequestPage, totpPage } from '../views/auth-pages.ts';
import { FORM_RATE_LIMIT, REGISTER_RATE_LIMIT, SIGN_IN_RATE_LIMIT, formBody, lockoutHeaders, safeNext, sendPage, sessionIdOf, statusFor } from './http.ts';

type Form = Record<string, string | undefined>;
const open = { public: true } as const;

/** Where a signed-in actor starts: staff in the workbench (administrators first enrol TOTP), others in their account. */
export function homeFor(actor: Actor): string {
  if (mustUseSecondFactor(actor)) return '/account/security';
  return actor.kind === 'staff' ? '/workbench' : '/account';
}

/** Sign-in, second factor, sign-out, registration and password reset: the anonymous pages. */
export function authRoutes(deps: IdentityDeps) {
  const { config } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    // ---- 登录 ----
    app.get<{ Querystring: { next?: string } }>(
      '/login',
      { config: { access: open }, schema: { hide: true, querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 500 } } } } },
      async (request, reply) => {
        const actor = request.actor;
        if (actor.kind !== 'anonymous') {
          if (mustUseSecondFactor(actor)) {
            setFlash(reply, '管理员账号须先绑定动态口令（TOTP）才能使用工作台');
            return reply.redirect('/account/security', 303);
          }
          return reply.redirect(safeNext(request.query.next, homeFor(actor)), 303);
        }
        if (request.session?.pendingSecondFactor) return reply.redirect(`/login/totp${nextQuery(request.query.next)}`, 303);
        return sendPage(reply, loginPage(request.page, { values: {}, errors: [], next: safeNext(request.query.next, '') }));
      },
    );

    app.post<{ Body: Form }>(
      '/login',
      { config: { access: open, rateLimit: SIGN_IN_RATE_LIMIT }, schema: { hide: true, body: formBody(['login', 'password', 'next']) } },
      async (request, reply) => {
        const next = safeNext(request.body.next, '');
        const r = await signIn(deps, request.ctx, request.body, { mode: 'form', currentSessionId: sessionIdOf(request) });
        if (!r.ok) {
          lockoutHeaders(reply, r, deps.now());
          return sendPage(reply, loginPage(request.page, { values: { login: request.body.login }, errors: r.fields ?? [], message: r.reason === 'invalid' ? null : r.message, next }), statusFor(r.reason));
        }
        setSessionCookie(reply, config, r.value.session.token);
        if (r.value.session.pendingSecondFactor) return reply.redirect(`/login/totp${nextQuery(next)}`, 303);
        return reply.redirect(next || (await landingAfterSignIn(deps, r.value.account.kind, r.value.account.id)), 303);
      },
    );

    // ---- 动态口令 (second step) ----
    app.get<{ Querystring: { next?: string } }>(
      '/login/totp',
      { config: { access: open }, schema: { hide: true, querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 500 } } } } },
      async (request, reply) => {
        if (!request.session?.pendingSecondFactor) return reply.redirect('/login', 303);
        return sendPage(reply, totpPage(request.page, { values: {}, errors: [] }));
      },
    );

    app.post<{ Body: Form; Querystring: { next?: string } }>(
      '/login/totp',
      {
        config: { access: open, rateLimit: SIGN_IN_RATE_LIMIT },
        schema: { hide: true, body: formBody(['code']), querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 500 } } } },
      },
      async (request, reply) => {
        const r = await verifySecondFactor(deps, request.ctx, request.session?.pendingSecondFactor ? request.session.id : null, request.body);
        if (!r.ok) {
          if (r.reason === 'invalid' && (r.fields ?? []).length === 0) {
            setFlash(reply, r.message);
            clearSessionCookie(reply, config);
            return reply.redirect('/login', 303);
          }
          lockoutHeaders(reply, r, deps.now());
          if (r.reason === 'locked') clearSessionCookie(reply, config);
          return sendPage(reply, totpPage(request.page, { values: {}, errors: r.fields ?? [], message: r.reason === 'invalid' ? null : r.message }), statusFor(r.reason));
        }
        setSessionCookie(reply, config, r.value.session.token);
        const next = safeNext(request.query.next, '');
        return reply.redirect(next || (await landingAfterSignIn(deps, r.value.account.kind, r.value.account.id, true)), 303);
      },
    );

    // ---- 退出 ---- (public: a pending or already-ended session may leave too; CSRF still applies)
    app.post('/logout', { config: { access: open }, schema: { hide: true, body: formBody([]) } }, async (request, reply) => {
      await signOut(deps, request.ctx, sessionIdOf(request));
      clearSessionCookie(reply, config);
      setFlash(reply, '您已安全退出');
      return reply.redirect('/', 303);
    });

    // ---- 注册 ----
    app.get('/register', { config: { access: open }, schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, registerCitizenPage(request.page, { values: {}, errors: [] })),
    );
    app.post<{ Body: Form }>(
      '/register',
      { config: { access: open, rateLimit: REGISTER_RATE_LIMIT }, schema: { hide: true, body: formBody(['name', 'idNumber', 'mobile', 'loginName', 'password', 'passwordConfirm']) } },
      async (request, reply) => {
        const r = await registerCitizen(deps, request.ctx, request.body);
        if (!r.ok) return sendPage(reply, registerCitizenPage(request.page, { values: withoutSecrets(request.body), errors: r.fields ?? [] }), statusFor(r.reason));
        setFlash(reply, `注册成功。您的用户名是 ${r.value.loginName}，也可以用手机号码或身份证号码登录`);
        return reply.redirect('/login', 303);
      },
    );
    app.get('/register/enterprise', { config: { access: open }, schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, registerEnterprisePage(request.page, { values: {}, errors: [] })),
    );
    app.post<{ Body: Form }>(
      '/register/enterprise',
      {
        config: { access: open, rateLimit: REGISTER_RATE_LIMIT },
        schema: { hide: true, body: formBody(['uscc', 'enterpriseName', 'legalRepName', 'legalRepIdNumber', 'password', 'passwordConfirm']) },
      },
      async (request, reply) => {
        const r = await registerEnterprise(deps, request.ctx, request.body);
        if (!r.ok) return sendPage(reply, registerEnterprisePage(request.page, { values: withoutSecrets(request.body), errors: r.fields ?? [] }), statusFor(r.reason));
        setFlash(reply, '注册成功，请使用统一社会信用代码登录');
        return reply.redirect('/login', 303);
      },
    );

    // ---- 找回密码 ----
    app.get('/password/reset', { config: { access: open }, schema: { hide: true } }, async (request, reply) =>
      sendPage(reply, resetRequestPage(request.page, { values: {}, errors: [] })),
    );
    app.post<{ Body: Form }>(
      '/password/reset',
      { config: { access: open, rateLimit: FORM_RATE_LIMIT }, schema: { hide: true, body: formBody(['login']) } },
      async (request, reply) => {
        const r = await requestPasswordReset(deps, request.ctx, request.body);
        if (!r.ok) return sendPage(reply, resetRequestPage(request.page, { values: request.body, errors: r.fields ?? [] }), 400);
        return reply.redirect(`/password/reset/confirm?ticket=${encodeURIComponent(r.value.ticket)}`, 303);
      },
    );
    app.get<{ Querystring: { ticket?: string } }>(
      '/password/reset/confirm',
      { config: { access: open }, schema: { hide: true, querystring: { type: 'object', properties: { ticket: { type: 'string', maxLength: 100 } } } } },
      async (request, reply) => {
        if (!request.query.ticket) return reply.redirect('/password/reset', 303);
        return sendPage(reply, resetConfirmPage(request.page, { values: {}, errors: [], ticket: request.query.ticket }));
      },
    );
    app.post<{ Body: Form }>(
      '/password/reset/confirm',
      { config: { access: open, rateLimit: SIGN_IN_RATE_LIMIT }, schema: { hide: true, body: formBody(['ticket', 'code', 'newPassword', 'newPasswordConfirm']) } },
      async (request, reply) => {
        const r = await confirmPasswordReset(deps, request.ctx, request.body);
        if (!r.ok) return sendPage(reply, resetConfirmPage(request.page, { values: { code: request.body.code }, errors: r.fields ?? [], ticket: request.body.ticket ?? '' }), 400);
        setFlash(reply, '密码已重新设置，请用新密码登录');
        return reply.redirect('/login', 303);
      },
    );
  };
}

function nextQuery(next: unknown): string {
  const safe = safeNext(next, '');
  return safe ? `?next=${encodeURIComponent(safe)}` : '';
}

function withoutSecrets(body: Form): Form {
  const { password: _p, passwordConfirm: _c, _csrf: _t, ...rest } = body;
  return rest;
}

/** After signing in: administrators without TOTP go to enrolment, staff to the workbench, others to their account. */
async function landingAfterSignIn(deps: IdentityDeps, kind: string, accountId: string, totpVerified = false): Promise<string> {
  if (kind !== 'staff') return '/account';
  if (totpVerified) return '/workbench';
  return holdsAdminRole(await deps.accounts.positionsOf(accountId)) ? '/account/security' : '/workbench';
}
