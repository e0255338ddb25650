import type { Logger } from 'pino';
import type { AttachmentStore } from './attachments/attachment-store.ts';
import type { AuditSealer } from './audit/audit-sealer.ts';
import type { PermissionRegistry } from './auth/permissions.ts';
import type { Config } from './config.ts';
import type { Database, Db } from './db/database.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import type { SearchService } from './search/contract.ts';
import type { Transactor } from './unit-of-work.ts';

/**
 * The shared infrastructure every module receives (STYLE.md §1). Deliberately small:
 * modules get the database handle for their repositories, the transactor for commands,
 * the permission registry for policies, config and a logger. Other modules' services are
 * passed explicitly where a module needs them.
 */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  permissions: PermissionRegistry;
  transactor: Transactor;
  /** Job handlers are registered here (`jobs.register(queue, handler)`); commands enqueue through the unit of work. */
  jobs: JobRunner;
  /** Uploaded files (content-addressed); access checks stay with the caller. */
  attachments: AttachmentStore;
  /** Seals committed audit entries into the hash chain (poked by the transactor after each commit). */
  auditSealer: AuditSealer;
  /** The one search box: `put(uow, doc)` / `remove(uow, key)` in the business transaction; `query()` for the portal. */
  search: SearchService;
}
