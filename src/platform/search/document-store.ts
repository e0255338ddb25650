import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import type { IndexedDocument } from './contract.ts';

/** A row of search.document as the index reads it. */
export interface StoredDocument extends IndexedDocument {
  seq: number;
  deleted: boolean;
}

interface DocumentRow {
  key: string;
  kind: string;
  title: string;
  body: string;
  url: string;
  published_at: Date | null;
  division_code: string;
  organisation_id: string | null;
  organisation_name: string | null;
  category: string | null;
  genre: string | null;
  validity: 'valid' | 'invalid' | 'repealed' | null;
  keywords: string[] | null;
  deleted: boolean;
  seq: number | string;
}

function toStored(r: DocumentRow): StoredDocument {
  return {
    key: r.key,
    kind: r.kind,
    title: r.title,
    body: r.body,
    url: r.url,
    publishedAt: r.published_at,
    divisionCode: r.division_code,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    category: r.category,
    genre: r.genre,
    validity: r.validity,
    keywords: r.keywords ?? [],
    deleted: r.deleted,
    seq: Number(r.seq),
  };
}

const COLUMNS = sql.raw(
  'key, kind, title, body, url, published_at, division_code, organisation_id, organisation_name, category, genre, validity, keywords, deleted, seq',
);

/** SQL over search.document (the only place that touches the table). */
export class SearchDocumentStore {
  constructor(private readonly db: Db) {}

  /** Insert or replace a document; every write takes a fresh change sequence number. */
  async upsert(tx: Tx | Db, doc: IndexedDocument): Promise<void> {
    await sql`
      INSERT INTO search.document (key, kind, title, body, url, published_at, division_code, organisation_id,
        organisation_name, category, genre, validity, keywords, deleted)
      VALUES (${doc.key}, ${doc.kind}, ${doc.title}, ${doc.body}, ${doc.url}, ${doc.publishedAt}, ${doc.divisionCode},
        ${doc.organisationId}, ${doc.organisationName}, ${doc.category ?? null}, ${doc.genre ?? null},
        ${doc.validity ?? null}, ${doc.keywords ?? []}::text[], false)
      ON CONFLICT (key) DO UPDATE SET
        kind = EXCLUDED.kind, title = EXCLUDED.title, body = EXCLUDED.body, url = EXCLUDED.url,
        published_at = EXCLUDED.published_at, division_code = EXCLUDED.division_code,
        organisation_id = EXCLUDED.organisation_id, organisation_name = EXCLUDED.organisation_name,
        category = EXCLUDED.category, genre = EXCLUDED.genre, validity = EXCLUDED.validity,
        keywords = EXCLUDED.keywords, deleted = false,
        seq = nextval('search.change_seq'), updated_at = now()`.execute(tx);
  }

  /** Marks a document removed (a tombstone other nodes see); no-op when it was never indexed. */
  async markDeleted(tx: Tx | Db, key: string): Promise<void> {
    await sql`
      UPDATE search.document SET deleted = true, body = '', keywords = '{}',
        seq = nextval('search.change_seq'), updated_at = now()
      WHERE key = ${key} AND NOT deleted`.execute(tx);
  }

  /** Live documents in seq order, a page at a time (boot load). */
  async loadPage(afterSeq: number, limit: number): Promise<StoredDocument[]> {
    const r = await sql<DocumentRow>`
      SELECT ${COLUMNS} FROM search.document
      WHERE seq > ${afterSeq} AND NOT deleted ORDER BY seq LIMIT ${limit}`.execute(this.db);
    return r.rows.map(toStored);
  }

  /** Changes (including tombstones) after `afterSeq`, plus the listed seqs that were gaps earlier. */
  async changesSince(afterSeq: number, gaps: number[], limit: number): Promise<StoredDocument[]> {
    const r =
      gaps.length === 0
        ? await sql<DocumentRow>`
          SELECT ${COLUMNS} FROM search.document WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit}`.execute(this.db)
        : await sql<DocumentRow>`
          SELECT ${COLUMNS} FROM search.document
          WHERE seq > ${afterSeq} OR seq = ANY(${gaps}::bigint[]) ORDER BY seq LIMIT ${limit}`.execute(this.db);
    return r.rows.map(toStored);
  }

  /** Rows (tombstones too) changed at or after `since` (transaction start time). */
  async changedSince(since: Date): Promise<StoredDocument[]> {
    const r = await sql<DocumentRow>`
      SELECT ${COLUMNS} FROM search.document WHERE updated_at >= ${since} ORDER BY seq`.execute(this.db);
    return r.rows.map(toStored);
  }

  async maxSeq(): Promise<number> {
    const r = await sql<{ m: number | string | null }>`SELECT max(seq) AS m FROM search.document`.execute(this.db);
    return Number(r.rows[0]?.m ?? 0);
  }
}
