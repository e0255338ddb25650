/**
 * Public surface of the identity module (统一身份认证). Other modules and the command line
 * import only from this file.
 */
import { systemContext } from '../../platform/auth/actor.ts';
import type { Result } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { createStaffAccountCommand, type CreatedStaffAccount, type StaffAccountInput } from './commands/create-staff-account.ts';
import type { OrganisationLookup } from './deps.ts';
import { identityDeps } from './manifest.ts';

export { createIdentityModule, type IdentityModuleDeps, type SecretCipher } from './manifest.ts';
export type { IdentityService, AccountSummary, StaffProfile, AgentAuthorisation, StaffChoice } from './service.ts';
export type { ApplicantProfile, ProfileKey } from './applicant-profile.ts';
export type { StaffAccountInput, StaffPositionInput, CreatedStaffAccount } from './commands/create-staff-account.ts';
export type { OrganisationLookup } from './deps.ts';
export { demoLogins, DEMO_PASSWORD, type DemoLogin } from './seed.ts';
export { resolveOrganisation } from './organisations.ts';
export { checkPasswordPolicy, generatePassword } from './password-policy.ts';
export { SESSION_IDLE_MS, SESSION_ABSOLUTE_MS } from './session-token.ts';
/** The current TOTP code of a secret (browser journeys and tests act as the authenticator app). */
export { totpCode } from './totp.ts';

/**
 * Creates a staff account as the system (command line: `zhengwu user create --kind staff`).
 * Administrator roles may be granted here (三员 accounts are made at installation); without
 * `password` a strong one is generated and returned once. Pass `organisations` to have the
 * organisation ids checked; the CLI resolves them first.
 */
export async function createStaffAccount(
  platform: Platform,
  input: StaffAccountInput,
  opts: { organisations?: OrganisationLookup; actorName?: string } = {},
): Promise<Result<CreatedStaffAccount, 'forbidden' | 'invalid' | 'duplicate'>> {
  const organisations: OrganisationLookup = opts.organisations ?? {
    // Unchecked: the caller resolved these ids against the jurisdictions module already.
    getOrganisation: (id) => Promise.resolve({ id, name: id, jurisdictionCode: '', jurisdictionName: '', uscc: null, type: '', parentId: null }),
    getOrganisations: (ids) => Promise.resolve(new Map(ids.map((id) => [id, { id, name: id, jurisdictionCode: '', jurisdictionName: '', uscc: null, type: '', parentId: null }]))),
  };
  return createStaffAccountCommand(identityDeps(platform, organisations), systemContext(opts.actorName ?? 'cli'), input);
}
