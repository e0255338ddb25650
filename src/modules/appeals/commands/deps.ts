import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { SearchIndexWriter } from '../../../platform/search/contract.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import type { WorkCalendar } from '../../../platform/calendar/index.ts';
import type { DispatchAdvisor } from '../classifier/dispatch-advisor.ts';
import type { DeadlineTable } from '../deadlines.ts';
import type { KbRepository } from '../kb.repository.ts';
import type { Centre, TicketRepository } from '../ticket.repository.ts';

/** What the appeals commands need; other modules' services come in as narrow functions. */
export interface AppealDeps {
  tickets: TicketRepository;
  kb: KbRepository;
  permissions: PermissionRegistry;
  search: SearchIndexWriter;
  advisor: DispatchAdvisor;
  deadlines: DeadlineTable;
  /** Registry NumberService.next(tx, 'ticket', …): gap-free ticket numbers. */
  nextTicketNumber: (tx: Tx) => Promise<string>;
  /** `count` consecutive ticket numbers with one counter update (a batch of intakes). */
  nextTicketNumbers: (tx: Tx, count: number) => Promise<string[]>;
  /** Registry CalendarService.calendarFor(code, tx). */
  calendarFor: (divisionCode: string, tx?: Db | Tx) => Promise<WorkCalendar>;
  /** Jurisdictions: a current division's name, or null when the code does not exist. */
  divisionName: (code: string) => Promise<string | null>;
  organisation: (id: string) => Promise<{ id: string; name: string; jurisdictionCode: string } | null>;
  centres: () => Promise<Centre[]>;
  /** Platform attachments: owner and detected type of an uploaded file. */
  attachment: (id: string) => Promise<AttachmentInfo | null>;
}

export interface AttachmentInfo {
  id: string;
  ownerAccountId: string | null;
  mediaType: string;
  originalName: string;
}

/**
 * Facts from other modules, read BEFORE the transaction opens: the embedded database has one
 * connection, so a service call on the pool inside a transaction would wait for itself.
 */
export interface Lookups {
  centres: Centre[];
  /** Division code → name (null: unknown or closed). */
  divisions: Map<string, string | null>;
  organisations: Map<string, { id: string; name: string; jurisdictionCode: string } | null>;
  attachments: Map<string, AttachmentInfo | null>;
}

/** Job queue that rebuilds the dispatch classifier from all confirmed tickets (enqueued at most hourly, after overrides). */
export const RETRAIN_QUEUE = 'appeals.retrain';
