import type { Generated, Kysely, Selectable } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';

interface KbTable {
  id: Generated<string>;
  question: string;
  answer: string;
  category_code: string | null;
  keywords: string[];
  division_code: string;
  organisation_id: string;
  organisation_name: string;
  published: boolean;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface Tables {
  'appeals.kb_entry': KbTable;
}

export interface KbEntry {
  id: string;
  question: string;
  answer: string;
  categoryCode: string | null;
  keywords: string[];
  divisionCode: string;
  organisationId: string;
  organisationName: string;
  published: boolean;
  updatedAt: Date;
  version: number;
}

const toEntry = (r: Selectable<KbTable>): KbEntry => ({
  id: r.id,
  question: r.question,
  answer: r.answer,
  categoryCode: r.category_code,
  keywords: r.keywords,
  divisionCode: r.division_code,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  published: r.published,
  updatedAt: r.updated_at,
  version: r.version,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface KbValues {
  question: string;
  answer: string;
  categoryCode: string | null;
  keywords: string[];
  published: boolean;
}

export class KbRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<Tables> {
    return (tx ?? this.db) as Kysely<Tables>;
  }

  async get(id: string, tx?: Db | Tx): Promise<KbEntry | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('appeals.kb_entry').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toEntry(r) : null;
  }

  async insert(tx: Tx, v: KbValues & { divisionCode: string; organisationId: string; organisationName: string }): Promise<KbEntry> {
    const r = await this.q(tx)
      .insertInto('appeals.kb_entry')
      .values({
        question: v.question,
        answer: v.answer,
        category_code: v.categoryCode,
        keywords: v.keywords,
        division_code: v.divisionCode,
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        published: v.published,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toEntry(r);
  }

  async update(tx: Tx, id: string, version: number, v: KbValues): Promise<KbEntry | null> {
    const r = await this.q(tx)
      .updateTable('appeals.kb_entry')
      .set({ question: v.question, answer: v.answer, category_code: v.categoryCode, keywords: v.keywords, published: v.published, updated_at: new Date(), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toEntry(r) : null;
  }

  /** Entries of a division subtree (prefix) — the knowledge base of a hotline office. */
  async list(opts: { prefix?: string; publishedOnly?: boolean; limit: number; offset: number; ancestors?: string[] }): Promise<{ rows: KbEntry[]; total: number }> {
    let q = this.q().selectFrom('appeals.kb_entry');
    const prefix = opts.prefix;
    const ancestors = opts.ancestors ?? [];
    // Its own subtree's entries, and the published entries of the levels above (city-wide answers).
    if (prefix) q = q.where((eb) => eb.or([eb('division_code', 'like', `${prefix}%`), ...(ancestors.length ? [eb.and([eb('division_code', 'in', ancestors), eb('published', '=', true)])] : [])]));
    if (opts.publishedOnly) q = q.where('published', '=', true);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toEntry), total: Number(count.n) };
  }

  /** All published entries (a knowledge base is small: hundreds to a few thousand). */
  async published(tx?: Db | Tx): Promise<KbEntry[]> {
    const rows = await this.q(tx).selectFrom('appeals.kb_entry').selectAll().where('published', '=', true).execute();
    return rows.map(toEntry);
  }

  async findByQuestion(question: string, tx?: Db | Tx): Promise<KbEntry | null> {
    const r = await this.q(tx).selectFrom('appeals.kb_entry').selectAll().where('question', '=', question).executeTakeFirst();
    return r ? toEntry(r) : null;
  }
}
