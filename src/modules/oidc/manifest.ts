import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/auth/actor.ts';
import type { Result } from '../../platform/errors.ts';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import type { OidcAccountPort } from './accounts.ts';
import { ClientRepository } from './client.repository.ts';
import { disableClient } from './commands/disable-client.ts';
import { registerClient, type ClientDeps } from './commands/register-client.ts';
import type { ClientInput } from './commands/validate-client.ts';
import { KeyRepository } from './key.repository.ts';
import { loadOrCreateKeys, type OidcKeyCipher } from './keys.ts';
import { oidcMigrations } from './migrations.ts';
import { PayloadRepository } from './payload.repository.ts';
import { SignedInPositionRepository } from './signed-in-position.repository.ts';
import { MANAGE_CLIENTS } from './policies.ts';
import { OIDC_PREFIX } from './paths.ts';
import { clientRoutes, presentClient } from './routes/client-routes.ts';
import { interactionRoutes } from './routes/interaction-routes.ts';
import { providerMount } from './routes/provider-mount.ts';

export interface OidcModuleDeps {
  accounts: OidcAccountPort;
  /** Encrypts the provider's private keys at rest; without one they are stored in plain (logged as a warning). */
  keyCipher?: OidcKeyCipher;
}

export type OidcClientSummary = ReturnType<typeof presentClient>;

/** Registration of department systems, for the CLI (the routes call the same commands). */
export interface OidcClientService {
  register(
    ctx: RequestContext,
    input: ClientInput,
  ): Promise<Result<{ client: OidcClientSummary; clientSecret: string }, 'forbidden' | 'invalid'>>;
  disable(ctx: RequestContext, clientId: string): Promise<Result<OidcClientSummary, 'forbidden' | 'not_found' | 'conflict'>>;
}

/** Expired provider artefacts are deleted this often. */
const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

/** Registration of department systems as the given context (the CLI acts as a system actor). */
export function oidcClientService(platform: Pick<Platform, 'db' | 'permissions' | 'transactor'>): OidcClientService {
  const deps: ClientDeps = { clients: new ClientRepository(platform.db), payloads: new PayloadRepository(platform.db), permissions: platform.permissions };
  return {
    async register(ctx, input) {
      const r = await platform.transactor.run(ctx, (uow) => registerClient(deps, uow, input));
      return r.ok ? { ok: true, value: { client: presentClient(r.value.client), clientSecret: r.value.secret } } : r;
    },
    async disable(ctx, clientId) {
      const r = await platform.transactor.run(ctx, (uow) => disableClient(deps, uow, clientId));
      return r.ok ? { ok: true, value: presentClient(r.value) } : r;
    },
  };
}

/**
 * 统一身份认证: an OpenID Connect provider so department systems sign their staff in
 * through Zhengwu (DESIGN.md "Identity"). Authorization code flow with PKCE; staff only;
 * clients registered by the system administrator.
 */
export function createOidcModule(
  platform: Platform,
  deps: OidcModuleDeps,
): { manifest: ModuleManifest; clients: OidcClientService; issuer: string } {
  const payloads = new PayloadRepository(platform.db);
  const clientRows = new ClientRepository(platform.db);
  const keys = new KeyRepository(platform.db);
  const positions = new SignedInPositionRepository(platform.db);
  const issuer = `${platform.config.publicUrl}${OIDC_PREFIX}`;
  const clientDeps: ClientDeps = { clients: clientRows, payloads, permissions: platform.permissions };
  const { transactor, logger } = platform;

  async function routes(app: FastifyInstance): Promise<void> {
    // Loaded only when the server starts: CLI commands never pay for (or warn about) the provider.
    const { createProvider } = await import('./provider.ts');
    const requests = new WeakMap<IncomingMessage, FastifyRequest>();
    if (!deps.keyCipher) logger.warn('oidc: no key cipher configured; the provider\'s private keys are stored unencrypted');
    const provider = createProvider({
      issuer,
      keys: await loadOrCreateKeys(keys, deps.keyCipher),
      payloads,
      clients: clientRows,
      accounts: deps.accounts,
      positions,
      logger,
      requestOf: (raw) => requests.get(raw),
    });
    await app.register(providerMount(provider, requests, new URL(issuer)));
    await app.register(interactionRoutes({ provider, clients: clientRows, positions, transactor }));
    await app.register(clientRoutes({ ...clientDeps, transactor, issuer }));

    const cleanup = setInterval(() => {
      payloads.deleteExpired().then(
        (n) => {
          if (n > 0) logger.debug({ deleted: n }, 'oidc: expired artefacts deleted');
        },
        (err: unknown) => logger.warn({ err }, 'oidc: cleaning expired artefacts failed'),
      );
    }, CLEANUP_INTERVAL_MS);
    cleanup.unref();
    app.addHook('onClose', async () => clearInterval(cleanup));
  }

  const manifest: ModuleManifest = {
    name: 'oidc',
    title: '统一身份认证',
    migrations: oidcMigrations,
    permissions: [{ code: MANAGE_CLIENTS, label: '登记和停用统一身份认证接入系统', kind: 'system' }],
    grants: { sysadmin: [MANAGE_CLIENTS] },
    navigation: [{ label: '统一身份认证接入', labelEn: 'Single sign-on clients', href: '/workbench/oidc-clients', permission: MANAGE_CLIENTS }],
    routes,
  };
  return { manifest, clients: oidcClientService(platform), issuer };
}
