import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { Tx } from '../../../platform/db/database.ts';
import type { SearchIndexWriter } from '../../../platform/search/contract.ts';
import type { CivilDay, WorkCalendar } from '../../../platform/calendar/index.ts';
import type { RequestRepository } from '../request.repository.ts';

export interface OrganisationInfo {
  id: string;
  name: string;
  jurisdictionCode: string;
}

/**
 * What the module needs from other modules, wired in app.ts (STYLE.md §2: services, never tables).
 * Other modules' services run their own queries, so routes call them before a transaction opens.
 */
export interface DisclosureRequestsDeps {
  findOrganisation(id: string): Promise<OrganisationInfo | null>;
  /** Organisations a requester may address (the request form's choice). */
  listOrganisations(): Promise<OrganisationInfo[]>;
  /** Name of a division (for a government's annual report). */
  divisionName?(code: string): Promise<string | null>;
  /** The jurisdiction's working-day calendar (registry CalendarService); the national calendar otherwise. */
  calendarFor?(jurisdictionCode: string, tx?: Tx): Promise<WorkCalendar>;
  /** The proactive-disclosure module's DisclosureStats (Table II of the annual report), when wired. */
  disclosureStats?(year: number, organisationIds?: string[]): Promise<{ categoryCode: string; created: number; published: number; withdrawn: number }[]>;
  /** Today in Asia/Shanghai (tests may fix it). */
  today?(): CivilDay;
}

export interface CommandDeps {
  requests: RequestRepository;
  permissions: PermissionRegistry;
  ext: DisclosureRequestsDeps;
  /** Pass the transaction inside a command: PGlite has one connection, a query beside the transaction would wait for ever. */
  calendar(jurisdictionCode: string, tx?: Tx): Promise<WorkCalendar>;
  today(): CivilDay;
  /** The one search box: published annual reports are put into it. */
  search: SearchIndexWriter;
}
