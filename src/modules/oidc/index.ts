/**
 * Public surface of the oidc module (统一身份认证): the OpenID Connect provider through
 * which department systems sign their staff in. Other modules and the app import only
 * from this file.
 */
export { createOidcModule, oidcClientService, type OidcClientService, type OidcClientSummary, type OidcModuleDeps } from './manifest.ts';
export { createStaffDirectoryAccounts, type OidcAccountPort, type StaffClaims, type StaffDirectory, type StaffPositionClaim } from './accounts.ts';
export type { OidcKeyCipher } from './keys.ts';
