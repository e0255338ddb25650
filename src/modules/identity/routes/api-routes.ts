import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../platform/errors.ts';
import { registerCitizen } from '../commands/register-citizen.ts';
import { registerEnterprise } from '../commands/register-enterprise.ts';
import { signIn } from '../commands/sign-in.ts';
import { signOut } from '../commands/sign-out.ts';
import type { IdentityDeps } from '../deps.ts';
import type { SessionAuthenticator } from '../authenticator.ts';
import { presentActor, presentProfile } from '../presenters.ts';
import { clearSessionCookie, setSessionCookie } from '../sessions.ts';
import { REGISTER_RATE_LIMIT, SIGN_IN_RATE_LIMIT, identityError, sessionIdOf } from './http.ts';

const tags = ['identity'];
// Problem details keep every member the error handler adds (errors, requestId, retryAfterSeconds…).
const problem = {
  type: 'object',
  description: 'RFC 9457 problem+json',
  additionalProperties: true,
  properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' } },
} as const;

const actorSchema = {
  type: 'object',
  description: '当前用户。工作人员另有 position（当前岗位）与 positions（全部岗位）。',
  additionalProperties: true,
  properties: {
    kind: { type: 'string', enum: ['anonymous', 'citizen', 'enterprise', 'staff', 'system'] },
    accountId: { type: 'string', format: 'uuid' },
    displayName: { type: 'string' },
    realNameLevel: { type: 'integer', minimum: 0, maximum: 4 },
  },
} as const;

const sessionResponse = {
  type: 'object',
  properties: {
    actor: actorSchema,
    csrfToken: { type: 'string', description: '带会话 Cookie 的写请求须在 X-CSRF-Token 头中回传' },
  },
} as const;

const citizenBody = {
  type: 'object',
  required: ['name', 'idNumber', 'mobile', 'password'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 30, description: '姓名' },
    idNumber: { type: 'string', minLength: 1, maxLength: 24, description: '公民身份号码（18 位，GB 11643）' },
    mobile: { type: 'string', minLength: 1, maxLength: 20, description: '手机号码' },
    loginName: { type: 'string', maxLength: 32, description: '用户名（选填）' },
    password: { type: 'string', minLength: 1, maxLength: 128, description: '密码：至少 10 位，含 3 类字符' },
    passwordConfirm: { type: 'string', maxLength: 128 },
  },
} as const;

const enterpriseBody = {
  type: 'object',
  required: ['uscc', 'enterpriseName', 'legalRepName', 'legalRepIdNumber', 'password'],
  properties: {
    uscc: { type: 'string', minLength: 1, maxLength: 24, description: '统一社会信用代码（GB 32100）' },
    enterpriseName: { type: 'string', minLength: 1, maxLength: 100 },
    legalRepName: { type: 'string', minLength: 1, maxLength: 30 },
    legalRepIdNumber: { type: 'string', minLength: 1, maxLength: 24 },
    password: { type: 'string', minLength: 1, maxLength: 128 },
    passwordConfirm: { type: 'string', maxLength: 128 },
  },
} as const;

/** JSON API of the identity module: the same commands as the pages. */
export function apiRoutes(deps: IdentityDeps, authenticator: SessionAuthenticator) {
  const { config } = deps;
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{ Body: { login: string; password: string; totpCode?: string } }>(
      '/api/auth/login',
      {
        config: { access: { public: true }, rateLimit: SIGN_IN_RATE_LIMIT },
        schema: {
          tags,
          summary: '登录（用户名/手机号码/身份证号码 + 密码；已启用动态口令的账号须同时提交 totpCode）',
          body: {
            type: 'object',
            required: ['login', 'password'],
            properties: {
              login: { type: 'string', minLength: 1, maxLength: 64 },
              password: { type: 'string', minLength: 1, maxLength: 200 },
              totpCode: { type: 'string', maxLength: 20, description: '6 位动态验证码或恢复码' },
            },
          },
          response: { 200: sessionResponse, 401: problem, 423: problem, 429: problem },
        },
      },
      async (request, reply) => {
        const r = await signIn(deps, request.ctx, request.body, { mode: 'api', currentSessionId: sessionIdOf(request) });
        if (!r.ok) throw identityError(r, deps.now());
        setSessionCookie(reply, config, r.value.session.token);
        const actor = await authenticator.actorFor({
          accountId: r.value.account.id,
          kind: r.value.account.kind,
          displayName: r.value.account.displayName,
          realNameLevel: r.value.account.realNameLevel,
          uscc: r.value.account.kind === 'enterprise' ? r.value.account.loginName.toUpperCase() : null,
          positionId: null,
          totpVerified: r.value.account.totpEnabled,
        });
        return { actor: actor ? presentActor(actor) : { kind: 'anonymous' }, csrfToken: r.value.session.csrfToken };
      },
    );

    app.post(
      '/api/auth/logout',
      { config: { access: { public: true } }, schema: { tags, summary: '退出登录（删除服务器端会话）', response: { 204: { type: 'null' } } } },
      async (request, reply) => {
        await signOut(deps, request.ctx, sessionIdOf(request));
        clearSessionCookie(reply, config);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/me',
      {
        config: { access: { signedIn: ['citizen', 'enterprise', 'staff'] } },
        schema: {
          tags,
          summary: '当前用户与账号信息（个人信息已脱敏）',
          response: { 200: { type: 'object', additionalProperties: true, properties: { actor: actorSchema, csrfToken: { type: 'string' }, account: { type: 'object', additionalProperties: true } } } },
        },
      },
      async (request) => {
        const a = request.actor;
        if (a.kind !== 'citizen' && a.kind !== 'enterprise' && a.kind !== 'staff') throw new AppError('ZW_ERR_UNAUTHENTICATED');
        const account = await deps.accounts.getById(a.accountId);
        if (!account) throw new AppError('ZW_ERR_UNAUTHENTICATED');
        const person = account.kind === 'citizen' ? await deps.accounts.getPerson(account.id) : null;
        const enterprise = account.kind === 'enterprise' ? await deps.accounts.getEnterprise(account.id) : null;
        const profile = presentProfile(account, person, enterprise, a.kind === 'staff' ? a.positions : []);
        return { actor: presentActor(a), csrfToken: request.session?.csrfToken ?? '', account: profile };
      },
    );

    app.post<{ Body: Record<string, unknown> }>(
      '/api/accounts/citizens',
      {
        config: { access: { public: true }, rateLimit: REGISTER_RATE_LIMIT },
        schema: {
          tags,
          summary: '个人用户注册',
          body: citizenBody,
          response: { 201: { type: 'object', properties: { accountId: { type: 'string', format: 'uuid' }, loginName: { type: 'string' } } }, 400: problem, 409: problem },
        },
      },
      async (request, reply) => {
        const r = await registerCitizen(deps, request.ctx, request.body);
        if (!r.ok) throw identityError(r);
        return reply.status(201).send(r.value);
      },
    );

    app.post<{ Body: Record<string, unknown> }>(
      '/api/accounts/enterprises',
      {
        config: { access: { public: true }, rateLimit: REGISTER_RATE_LIMIT },
        schema: {
          tags,
          summary: '法人用户注册（统一社会信用代码为登录账号）',
          body: enterpriseBody,
          response: {
            201: { type: 'object', properties: { accountId: { type: 'string', format: 'uuid' }, loginName: { type: 'string' }, warnings: { type: 'array', items: { type: 'string' } } } },
            400: problem,
            409: problem,
          },
        },
      },
      async (request, reply) => {
        const r = await registerEnterprise(deps, request.ctx, request.body);
        if (!r.ok) throw identityError(r);
        return reply.status(201).send(r.value);
      },
    );
  };
}
