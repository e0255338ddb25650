import type { Generated, Kysely, Selectable } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';

export type NoticeStatus = 'draft' | 'published' | 'withdrawn';

interface NoticeTable {
  id: Generated<string>;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  title: string;
  body: string;
  status: Generated<NoticeStatus>;
  published_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface NoticeTables {
  'notices.notice': NoticeTable;
}

export interface NoticeRow {
  id: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  title: string;
  body: string;
  status: NoticeStatus;
  publishedAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

function toRow(r: Selectable<NoticeTable>): NoticeRow {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    jurisdictionCode: r.jurisdiction_code,
    title: r.title,
    body: r.body,
    status: r.status,
    publishedAt: r.published_at,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class NoticeRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<NoticeTables> {
    return (tx ?? this.db) as Kysely<NoticeTables>;
  }

  async getById(id: string, tx?: Tx): Promise<NoticeRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('notices.notice').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async insert(
    tx: Tx,
    v: { organisationId: string; organisationName: string; jurisdictionCode: string; title: string; body: string; createdBy: string },
  ): Promise<NoticeRow> {
    const r = await this.q(tx)
      .insertInto('notices.notice')
      .values({
        organisation_id: v.organisationId,
        published_at: null,
        organisation_name: v.organisationName,
        jurisdiction_code: v.jurisdictionCode,
        title: v.title,
        body: v.body,
        created_by: v.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRow(r);
  }

  /** Optimistic update: returns null when the version no longer matches. */
  async update(
    tx: Tx,
    id: string,
    version: number,
    patch: { title?: string; body?: string; status?: NoticeStatus; publishedAt?: Date | null },
  ): Promise<NoticeRow | null> {
    const r = await this.q(tx)
      .updateTable('notices.notice')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.body !== undefined ? { body: patch.body } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.publishedAt !== undefined ? { published_at: patch.publishedAt } : {}),
        updated_at: new Date(),
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  /** Staff list, filtered by the actor's scope in SQL (never post-filtered). */
  async listInScope(scope: Scope, opts: { status?: NoticeStatus; limit: number; offset: number }): Promise<{ rows: NoticeRow[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('notices.notice');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    if (opts.status) q = q.where('status', '=', opts.status);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Public list: published notices, optionally within one jurisdiction subtree. */
  async listPublished(opts: { prefix?: string; limit: number; offset: number }): Promise<{ rows: NoticeRow[]; total: number }> {
    let q = this.q().selectFrom('notices.notice').where('status', '=', 'published');
    if (opts.prefix) q = q.where('jurisdiction_code', 'like', `${opts.prefix}%`);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('published_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }
}
