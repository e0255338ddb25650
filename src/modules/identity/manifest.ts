import type { FastifyInstance } from 'fastify';
import type { ModuleManifest } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { AccountRepository } from './account.repository.ts';
import { SessionAuthenticator } from './authenticator.ts';
import type { IdentityDeps, OrganisationLookup } from './deps.ts';
import { identityMigrations } from './migrations.ts';
import { loadMasterKey, PersonalDataCipher } from './personal-data-cipher.ts';
import { ACCOUNT_ADMIN } from './policies.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { profileRoutes } from './routes/profile-routes.ts';
import { seedIdentity } from './seed.ts';
import { createIdentityService, type IdentityService } from './service.ts';
import { SessionRepository } from './session.repository.ts';

export interface IdentityModuleDeps {
  organisations: OrganisationLookup;
}

/** The module's shared dependencies; also used by the command line (createStaffAccount). */
export function identityDeps(platform: Platform, organisations: OrganisationLookup): IdentityDeps {
  return {
    config: platform.config,
    logger: platform.logger,
    db: platform.db,
    transactor: platform.transactor,
    permissions: platform.permissions,
    accounts: new AccountRepository(platform.db),
    sessions: new SessionRepository(platform.db),
    cipher: new PersonalDataCipher(loadMasterKey(platform.config)),
    organisations,
    now: () => new Date(),
  };
}

/**
 * 统一身份认证: accounts of citizens, enterprises and staff; sessions (the platform's
 * Authenticator); sign-in with lockout and TOTP; registration; password reset; the security
 * administrator's staff account pages.
 */
/** Encryption at rest for another module's secrets (SM4 + HMAC-SM3), under keys of its own purpose. */
export interface SecretCipher {
  encrypt(plain: string, context: string): string;
  decrypt(envelope: string, context: string): string;
}

export function createIdentityModule(
  platform: Platform,
  moduleDeps: IdentityModuleDeps,
): { manifest: ModuleManifest; service: IdentityService; authenticator: SessionAuthenticator; secretCipher: (purpose: string) => SecretCipher } {
  const deps = identityDeps(platform, moduleDeps.organisations);
  const authenticator = new SessionAuthenticator(deps);
  const service = createIdentityService(deps, authenticator);
  const manifest: ModuleManifest = {
    name: 'identity',
    title: '统一身份认证',
    migrations: identityMigrations,
    permissions: [{ code: ACCOUNT_ADMIN, label: '管理工作人员账号', kind: 'security' }],
    grants: { secadmin: [ACCOUNT_ADMIN] },
    navigation: [{ label: '工作人员账号', labelEn: 'Staff accounts', href: '/workbench/accounts', permission: ACCOUNT_ADMIN }],
    routes: async (app: FastifyInstance) => {
      await app.register(authRoutes(deps));
      await app.register(accountRoutes(deps));
      await app.register(adminRoutes(deps));
      await app.register(apiRoutes(deps, authenticator));
      await app.register(profileRoutes(deps));
    },
    seed: async () => {
      await seedIdentity(deps);
    },
  };
  // e.g. the OIDC provider's private keys: secretCipher('oidc-keys')
  const secretCipher = (purpose: string): SecretCipher => new PersonalDataCipher(loadMasterKey(platform.config), 'sm4', purpose);
  return { manifest, service, authenticator, secretCipher };
}
