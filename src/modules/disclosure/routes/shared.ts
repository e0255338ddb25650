import type { FastifyReply } from 'fastify';
import type { PermissionRegistry } from '../../../platform/auth/permissions.ts';
import type { AttachmentStore } from '../../../platform/attachments/attachment-store.ts';
import type { RequestContext } from '../../../platform/auth/actor.ts';
import type { WorkCalendar } from '../../../platform/calendar/index.ts';
import type { Db, Tx } from '../../../platform/db/database.ts';
import type { Transactor } from '../../../platform/unit-of-work.ts';
import type { ImportRunRepository } from '../import-run.repository.ts';
import type { PublicationRepository } from '../publication.repository.ts';
import type { DisclosureCommands } from '../service.ts';
import type { DivisionRef } from '../views/portal-pages.ts';

export interface DivisionLookup {
  getDivision(code: string): Promise<DivisionRef | null>;
  ancestors(code: string): Promise<DivisionRef[]>;
  children(code: string): Promise<DivisionRef[]>;
  roots(): Promise<DivisionRef[]>;
}

export interface RouteDeps {
  commands: DisclosureCommands;
  publications: PublicationRepository;
  imports: ImportRunRepository;
  permissions: PermissionRegistry;
  calendars: { calendarFor(jurisdictionCode: string, tx?: Db | Tx): Promise<WorkCalendar> };
  divisions: DivisionLookup;
  attachments: AttachmentStore;
  publicUrl: string;
  transact: Transactor['run'];
  /** Records an import run and queues its job (one transaction). */
  startImport: (ctx: RequestContext, run: Parameters<ImportRunRepository['insert']>[1]) => Promise<string>;
}

export const PAGE_SIZE = 20;
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

export function sendHtml(reply: FastifyReply, markup: { value: string }, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(markup.value);
}
