import type { Generated, Kysely } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { ImportAttachment } from './commands/import-publications.ts';
import type { ImportRow, ImportRowReport } from './import-file.ts';

interface ImportRunTable {
  id: Generated<string>;
  organisation_id: string;
  created_by: string;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  total: number;
  processed: Generated<number>;
  created: Generated<number>;
  skipped: Generated<number>;
  failed: Generated<number>;
  /** Rows, attachments (name → stored id or reason) and the uploader's actor, for the job. */
  rows: unknown;
  report: Generated<unknown>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ImportRun {
  id: string;
  organisationId: string;
  createdBy: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  skipped: number;
  failed: number;
  report: ImportRowReport[];
  createdAt: Date;
}

export interface ImportPayload {
  rows: ImportRow[];
  attachments: Record<string, ImportAttachment>;
  actor: unknown;
}

type Tables = { 'disclosure.import_run': ImportRunTable };

export class ImportRunRepository {
  constructor(private readonly db: Db) {}
  private q(tx?: Db | Tx): Kysely<Tables> {
    return (tx ?? this.db) as Kysely<Tables>;
  }

  async insert(tx: Tx, v: { organisationId: string; createdBy: string; payload: ImportPayload }): Promise<string> {
    const r = await this.q(tx)
      .insertInto('disclosure.import_run')
      .values({ organisation_id: v.organisationId, created_by: v.createdBy, total: v.payload.rows.length, rows: JSON.stringify(v.payload) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async payload(id: string): Promise<ImportPayload | null> {
    const r = await this.q().selectFrom('disclosure.import_run').select('rows').where('id', '=', id).executeTakeFirst();
    return r ? (r.rows as ImportPayload) : null;
  }

  async get(id: string): Promise<ImportRun | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const r = await this.q().selectFrom('disclosure.import_run').select(['id', 'organisation_id', 'created_by', 'status', 'total', 'processed', 'created', 'skipped', 'failed', 'report', 'created_at']).where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      organisationId: r.organisation_id,
      createdBy: r.created_by,
      status: r.status,
      total: r.total,
      processed: r.processed,
      created: r.created,
      skipped: r.skipped,
      failed: r.failed,
      report: (r.report as ImportRowReport[]) ?? [],
      createdAt: r.created_at,
    };
  }

  async progress(id: string, v: { status: ImportRun['status']; processed: number; created: number; skipped: number; failed: number; report: ImportRowReport[] }): Promise<void> {
    await this.q()
      .updateTable('disclosure.import_run')
      .set({ status: v.status, processed: v.processed, created: v.created, skipped: v.skipped, failed: v.failed, report: JSON.stringify(v.report), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }
}
