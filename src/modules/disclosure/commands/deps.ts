import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { WorkCalendar } from '../../../platform/calendar/index.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import type { SearchIndexWriter } from '../../../platform/search/contract.ts';
import type { PublicationRepository } from '../publication.repository.ts';

/** What the disclosure commands need from the platform and other modules (passed explicitly). */
export interface DisclosureDeps {
  publications: PublicationRepository;
  permissions: PermissionRegistry;
  calendars: { calendarFor(jurisdictionCode: string, tx?: Db | Tx): Promise<WorkCalendar> };
  numbers: {
    next(tx: Tx, generatorId: string, request: { date?: string; orgId?: string; region?: string; orgCode?: string; uscc?: string }): Promise<{ value: string }>;
    listGenerators(): Promise<{ id: string; name: string; template: string }[]>;
  };
  /** The organisation's USCC (for `{orgCode}` / `{uscc}` in index numbers); read before the transaction. */
  organisationUscc: (organisationId: string) => Promise<string | null>;
  /** The one search box (null until the platform provides it). */
  search: SearchIndexWriter | null;
}
