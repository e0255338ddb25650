import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import Provider, { interactionPolicy, type Adapter, type AdapterPayload, type KoaContextWithOIDC, type Policy } from 'oidc-provider';
import type { Logger } from 'pino';
import { ANONYMOUS } from '../../platform/auth/actor.ts';
import type { PageContext } from '../../platform/views/page-context.ts';
import { actingFor, oidcClaims, type OidcAccountPort } from './accounts.ts';
import { verifyClientSecret } from './client-secret.ts';
import type { ClientRepository, OidcClientRow } from './client.repository.ts';
import type { ProviderKeys } from './keys.ts';
import type { PayloadRepository, StoredPayload } from './payload.repository.ts';
import type { SignedInPositionRepository } from './signed-in-position.repository.ts';
import { OIDC_PREFIX } from './paths.ts';
import { mayUseOidc } from './policies.ts';
import { logoutDonePage, logoutPage, providerErrorPage } from './views/interaction-pages.ts';

/** The Fastify request behind each raw request handed to the provider (actor, page context). */
export type RequestLookup = (req: IncomingMessage) => FastifyRequest | undefined;

export interface ProviderDeps {
  issuer: string;
  keys: ProviderKeys;
  payloads: PayloadRepository;
  clients: ClientRepository;
  accounts: OidcAccountPort;
  positions: SignedInPositionRepository;
  logger: Logger;
  requestOf: RequestLookup;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function withConsumed(stored: StoredPayload | null): AdapterPayload | undefined {
  if (!stored) return undefined;
  return stored.consumedAt ? { ...stored.payload, consumed: Math.floor(stored.consumedAt.getTime() / 1000) } : stored.payload;
}

/** oidc-provider's adapter over oidc.payload: one instance per model kind. */
class PostgresAdapter implements Adapter {
  constructor(
    private readonly kind: string,
    private readonly payloads: PayloadRepository,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    await this.payloads.upsert(this.kind, id, {
      payload,
      grantId: text(payload.grantId),
      uid: text(payload.uid),
      userCode: text(payload.userCode),
      expiresAt: typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return withConsumed(await this.payloads.find(this.kind, id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return withConsumed(await this.payloads.findByUid(this.kind, uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return withConsumed(await this.payloads.findByUserCode(this.kind, userCode));
  }

  async consume(id: string): Promise<void> {
    await this.payloads.consume(this.kind, id);
  }

  async destroy(id: string): Promise<void> {
    await this.payloads.destroy(this.kind, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.payloads.revokeByGrantId(this.kind, grantId);
  }
}

/**
 * Client metadata as the provider sees it. `client_secret` carries the stored hash: the
 * provider only ever compares it through `compareClientSecret` (overridden below), and
 * every feature that would use the secret as a symmetric key (HS* signatures,
 * client_secret_jwt, symmetric encryption) is switched off.
 */
export function clientMetadata(c: OidcClientRow): AdapterPayload {
  return {
    client_id: c.clientId,
    client_secret: c.secretHash,
    client_name: c.name,
    redirect_uris: c.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  };
}

/** Clients come from oidc.client (read-only here; registration has its own commands). */
class ClientAdapter implements Adapter {
  constructor(private readonly clients: ClientRepository) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const row = await this.clients.getById(id);
    return row && !row.disabledAt ? clientMetadata(row) : undefined;
  }

  private readOnly(): never {
    throw new Error('oidc: clients are registered through Zhengwu, not through the provider');
  }
  async upsert(): Promise<void> {
    this.readOnly();
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {
    this.readOnly();
  }
  async destroy(): Promise<void> {
    this.readOnly();
  }
  async revokeByGrantId(): Promise<void> {
    this.readOnly();
  }
}

/**
 * The provider's own session must belong to whoever is signed in to Zhengwu right now,
 * acting for the organisation recorded at their OIDC sign-in: after a sign-out, when
 * another staff member signs in on the same browser, or after a switch of position, the
 * next authorization request goes through login again (which records the position)
 * instead of reusing the old provider session.
 */
function zhengwuPolicy(requestOf: RequestLookup, positions: SignedInPositionRepository): Policy {
  const policy = interactionPolicy.base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider base policy has no login prompt');
  login.checks.add(
    new interactionPolicy.Check('zhengwu_session_mismatch', 'the Zhengwu sign-in does not match the provider session', 'login_required', async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (!accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // 'no_session' asks already
      const request = requestOf(ctx.req);
      const actor = request?.actor ?? ANONYMOUS;
      const same =
        mayUseOidc(actor, request?.session?.pendingSecondFactor ?? false) &&
        actor.accountId === accountId &&
        (await positions.find(accountId)) === actor.position.organisationId;
      return same ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}

function pageOf(requestOf: RequestLookup, ctx: KoaContextWithOIDC): PageContext {
  const request = requestOf(ctx.req);
  if (request?.page) return request.page;
  return { lang: 'zh', largeText: false, actor: ANONYMOUS, csrfToken: '', path: OIDC_PREFIX, nav: [], flash: null, requestId: '-' };
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * The OpenID Connect provider (统一身份认证): authorization code flow with PKCE (S256,
 * required for every client), confidential clients only, ID tokens signed RS256 (ES256
 * key also published), no refresh tokens, claims from the account port.
 */
export function createProvider(deps: ProviderDeps): Provider {
  const { requestOf } = deps;
  const provider = new Provider(deps.issuer, {
    adapter: (name: string): Adapter => (name === 'Client' ? new ClientAdapter(deps.clients) : new PostgresAdapter(name, deps.payloads)),
    clients: [],
    jwks: deps.keys.jwks,
    cookies: {
      keys: deps.keys.cookieKeys,
      names: { session: 'zw_oidc_session', interaction: 'zw_oidc_interaction', resume: 'zw_oidc_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    async findAccount(_ctx: KoaContextWithOIDC, sub: string) {
      const claims = await deps.accounts.findStaffClaims(sub);
      if (!claims) return undefined;
      const out = oidcClaims(actingFor(claims, await deps.positions.find(sub)));
      return { accountId: sub, claims: () => out };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      organisation: ['organisation', 'positions'],
    },
    scopes: ['openid'],
    // Department systems read who signed in from the ID token: put the granted scopes' claims there too.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    allowOmittingSingleRegisteredRedirectUri: false,
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256', 'ES256'],
      requestObjectSigningAlgValues: ['RS256', 'ES256'],
      authorizationSigningAlgValues: ['RS256', 'ES256'],
      introspectionSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContextWithOIDC, form: string) {
          ctx.type = 'html';
          ctx.body = logoutPage(pageOf(requestOf, ctx), form).value;
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.type = 'html';
          ctx.body = logoutDonePage(pageOf(requestOf, ctx), ctx.oidc.client?.clientName).value;
        },
      },
    },
    interactions: {
      policy: zhengwuPolicy(requestOf, deps.positions),
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: MINUTE,
      IdToken: HOUR,
      Interaction: 30 * MINUTE,
      // One working day: a department system asks again the next morning.
      Session: 10 * HOUR,
      Grant: 14 * 24 * HOUR,
    },
    // Department systems call the provider from their servers; browsers never need CORS here.
    clientBasedCORS: () => false,
    async renderError(ctx: KoaContextWithOIDC, out: Record<string, unknown>) {
      ctx.type = 'html';
      ctx.body = providerErrorPage(pageOf(requestOf, ctx), out).value;
    },
    discovery: { ui_locales_supported: ['zh-CN'], claims_locales_supported: ['zh-CN'] },
  });

  // Stored secrets are hashes; compare the presented one by hashing it (the prototype hook
  // the provider's author suggests for this: panva/node-oidc-provider#631).
  provider.Client.prototype.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual: string) {
    return verifyClientSecret(actual, this.clientSecret);
  };

  provider.on('server_error', (_ctx: unknown, err: unknown) => deps.logger.error({ err }, 'oidc provider error'));
  // koa's own error event (listening also stops koa from printing to stderr).
  provider.on('error', (err: unknown) => deps.logger.error({ err }, 'oidc provider error'));
  for (const event of ['authorization.error', 'grant.error', 'userinfo.error', 'end_session.error'] as const) {
    provider.on(event, (_ctx: unknown, err: unknown) => {
      const e = err as { error?: string; error_description?: string; error_detail?: string };
      deps.logger.info({ event, error: e.error, description: e.error_description, detail: e.error_detail }, 'oidc request refused');
    });
  }
  return provider;
}
