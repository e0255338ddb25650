import type { Logger } from 'pino';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Transactor } from '../../platform/unit-of-work.ts';
import type { JurisdictionService } from '../jurisdictions/index.ts';
import type { AccountRepository } from './account.repository.ts';
import type { PersonalDataCipher } from './personal-data-cipher.ts';
import type { SessionRepository } from './session.repository.ts';

/**
 * What the identity module needs of the jurisdictions module: organisation names and
 * jurisdictions by id. `listOrganisations`, when given, also lets administrators and the
 * command line name an organisation instead of pasting its id.
 */
export type OrganisationLookup = Pick<JurisdictionService, 'getOrganisation' | 'getOrganisations'> & Partial<Pick<JurisdictionService, 'listOrganisations'>>;

/** Everything the identity commands, routes and authenticator share. */
export interface IdentityDeps {
  config: Config;
  logger: Logger;
  db: Db;
  transactor: Transactor;
  permissions: PermissionRegistry;
  accounts: AccountRepository;
  sessions: SessionRepository;
  cipher: PersonalDataCipher;
  organisations: OrganisationLookup;
  now: () => Date;
}
