import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Validity } from './catalog.ts';

export type PublicationStatus = 'draft' | 'in_review' | 'approved' | 'published' | 'withdrawn';

interface PublicationTable {
  id: Generated<string>;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  title: string;
  doc_number: string | null;
  issuing_body: string;
  written_on: string;
  due_on: string;
  published_at: Date | null;
  index_number: string | null;
  category_code: string;
  theme: string | null;
  genre: string;
  validity: Validity;
  summary: string | null;
  body_html: string;
  body_text: string;
  attachment_ids: string[];
  status: Generated<PublicationStatus>;
  review_opinion: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  withdrawn_reason: string | null;
  source_id: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface CategoryTable {
  code: string;
  name: string;
  parent_code: string | null;
  sort_order: number;
  deadline_days: number | null;
  legal_basis: string | null;
}

interface EventTable {
  id: Generated<string>;
  publication_id: string;
  version: number;
  event: string;
  actor_id: string | null;
  actor_name: string | null;
  note: string | null;
  public: boolean;
  snapshot: unknown;
  at: Generated<Date>;
}

interface AlertTable {
  publication_id: string;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  title: string;
  due_on: string;
  raised_at: Generated<Date>;
  resolved_at: Date | null;
}

interface Tables {
  'disclosure.publication': PublicationTable;
  'disclosure.category': CategoryTable;
  'disclosure.publication_event': EventTable;
  'disclosure.interpretation_link': { policy_id: string; interpretation_id: string };
  'disclosure.overdue_alert': AlertTable;
  'disclosure.index_rule': { jurisdiction_code: string; generator_id: string };
}

/** The editable content of a publication (what a draft, an import or a revision sets). */
export interface PublicationContent {
  title: string;
  docNumber: string | null;
  issuingBody: string;
  writtenOn: string;
  categoryCode: string;
  theme: string | null;
  genre: string;
  validity: Validity;
  summary: string | null;
  bodyHtml: string;
  bodyText: string;
  attachmentIds: string[];
}

export interface PublicationRow extends PublicationContent {
  id: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  dueOn: string;
  publishedAt: Date | null;
  indexNumber: string | null;
  status: PublicationStatus;
  reviewOpinion: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  withdrawnReason: string | null;
  sourceId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface CategoryRow {
  code: string;
  name: string;
  parentCode: string | null;
  deadlineDays: number | null;
  legalBasis: string | null;
}

export interface PublicationEvent {
  version: number;
  event: string;
  actorName: string | null;
  note: string | null;
  public: boolean;
  at: Date;
}

export interface OverdueAlert {
  publicationId: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  title: string;
  dueOn: string;
  raisedAt: Date;
  resolvedAt: Date | null;
}

const civil = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

function toRow(r: Selectable<PublicationTable>): PublicationRow {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    jurisdictionCode: r.jurisdiction_code,
    title: r.title,
    docNumber: r.doc_number,
    issuingBody: r.issuing_body,
    writtenOn: civil(r.written_on),
    dueOn: civil(r.due_on),
    publishedAt: r.published_at,
    indexNumber: r.index_number,
    categoryCode: r.category_code,
    theme: r.theme,
    genre: r.genre,
    validity: r.validity,
    summary: r.summary,
    bodyHtml: r.body_html,
    bodyText: r.body_text,
    attachmentIds: Array.isArray(r.attachment_ids) ? r.attachment_ids : [],
    status: r.status,
    reviewOpinion: r.review_opinion,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    withdrawnReason: r.withdrawn_reason,
    sourceId: r.source_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function contentColumns(c: Partial<PublicationContent>) {
  return {
    ...(c.title !== undefined ? { title: c.title } : {}),
    ...(c.docNumber !== undefined ? { doc_number: c.docNumber } : {}),
    ...(c.issuingBody !== undefined ? { issuing_body: c.issuingBody } : {}),
    ...(c.writtenOn !== undefined ? { written_on: c.writtenOn } : {}),
    ...(c.categoryCode !== undefined ? { category_code: c.categoryCode } : {}),
    ...(c.theme !== undefined ? { theme: c.theme } : {}),
    ...(c.genre !== undefined ? { genre: c.genre } : {}),
    ...(c.validity !== undefined ? { validity: c.validity } : {}),
    ...(c.summary !== undefined ? { summary: c.summary } : {}),
    ...(c.bodyHtml !== undefined ? { body_html: c.bodyHtml } : {}),
    ...(c.bodyText !== undefined ? { body_text: c.bodyText } : {}),
    ...(c.attachmentIds !== undefined ? { attachment_ids: JSON.stringify(c.attachmentIds) as unknown as string[] } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface PublicFilters {
  /** Subtree prefix of the jurisdiction (subtreePrefix). */
  prefix?: string;
  /** Category and its sub-categories. */
  categoryCodes?: string[];
  organisationId?: string;
  year?: number;
}

export class PublicationRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<Tables> {
    return (tx ?? this.db) as Kysely<Tables>;
  }

  async getById(id: string, tx?: Db | Tx): Promise<PublicationRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('disclosure.publication').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async getBySourceId(sourceId: string, tx?: Db | Tx): Promise<PublicationRow | null> {
    const r = await this.q(tx).selectFrom('disclosure.publication').selectAll().where('source_id', '=', sourceId).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async getByIndexNumber(indexNumber: string, tx?: Db | Tx): Promise<PublicationRow | null> {
    const r = await this.q(tx).selectFrom('disclosure.publication').selectAll().where('index_number', '=', indexNumber).executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async insert(
    tx: Tx,
    v: PublicationContent & { organisationId: string; organisationName: string; jurisdictionCode: string; dueOn: string; createdBy: string; sourceId?: string | null },
  ): Promise<PublicationRow> {
    const r = await this.q(tx)
      .insertInto('disclosure.publication')
      .values({
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        jurisdiction_code: v.jurisdictionCode,
        title: v.title,
        doc_number: v.docNumber,
        issuing_body: v.issuingBody,
        written_on: v.writtenOn,
        due_on: v.dueOn,
        published_at: null,
        index_number: null,
        category_code: v.categoryCode,
        theme: v.theme,
        genre: v.genre,
        validity: v.validity,
        summary: v.summary,
        body_html: v.bodyHtml,
        body_text: v.bodyText,
        attachment_ids: JSON.stringify(v.attachmentIds) as unknown as string[],
        review_opinion: null,
        reviewed_by: null,
        reviewed_at: null,
        withdrawn_reason: null,
        source_id: v.sourceId ?? null,
        created_by: v.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRow(r);
  }

  /** Optimistic update: null when the version no longer matches. */
  async update(
    tx: Tx,
    id: string,
    version: number,
    patch: Partial<PublicationContent> & {
      status?: PublicationStatus;
      dueOn?: string;
      publishedAt?: Date | null;
      indexNumber?: string | null;
      reviewOpinion?: string | null;
      reviewedBy?: string | null;
      reviewedAt?: Date | null;
      withdrawnReason?: string | null;
    },
  ): Promise<PublicationRow | null> {
    const r = await this.q(tx)
      .updateTable('disclosure.publication')
      .set({
        ...contentColumns(patch),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.dueOn !== undefined ? { due_on: patch.dueOn } : {}),
        ...(patch.publishedAt !== undefined ? { published_at: patch.publishedAt } : {}),
        ...(patch.indexNumber !== undefined ? { index_number: patch.indexNumber } : {}),
        ...(patch.reviewOpinion !== undefined ? { review_opinion: patch.reviewOpinion } : {}),
        ...(patch.reviewedBy !== undefined ? { reviewed_by: patch.reviewedBy } : {}),
        ...(patch.reviewedAt !== undefined ? { reviewed_at: patch.reviewedAt } : {}),
        ...(patch.withdrawnReason !== undefined ? { withdrawn_reason: patch.withdrawnReason } : {}),
        updated_at: new Date(),
        version: version + 1,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toRow(r) : null;
  }

  async addEvent(tx: Tx, e: { publicationId: string; version: number; event: string; actorId: string | null; actorName: string | null; note?: string | null; public?: boolean; snapshot?: unknown }): Promise<void> {
    await this.q(tx)
      .insertInto('disclosure.publication_event')
      .values({
        publication_id: e.publicationId,
        version: e.version,
        event: e.event,
        actor_id: e.actorId,
        actor_name: e.actorName,
        note: e.note ?? null,
        public: e.public ?? false,
        snapshot: e.snapshot === undefined ? null : JSON.stringify(e.snapshot),
      })
      .execute();
  }

  async events(publicationId: string, opts: { publicOnly: boolean }): Promise<PublicationEvent[]> {
    let q = this.q().selectFrom('disclosure.publication_event').where('publication_id', '=', publicationId);
    if (opts.publicOnly) q = q.where('public', '=', true);
    const rows = await q.select(['version', 'event', 'actor_name', 'note', 'public', 'at']).orderBy('id').execute();
    return rows.map((r) => ({ version: r.version, event: r.event, actorName: r.actor_name, note: r.note, public: r.public, at: r.at }));
  }

  /** Staff list, scope as a WHERE clause. */
  async listInScope(scope: Scope, opts: { status?: PublicationStatus; q?: string; limit: number; offset: number }): Promise<{ rows: PublicationRow[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('disclosure.publication');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.q) q = q.where('title', 'ilike', `%${escapeLike(opts.q)}%`);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Public list: published publications matching the filters, newest first. */
  async listPublished(f: PublicFilters, opts: { limit: number; offset: number }, tx?: Db | Tx): Promise<{ rows: PublicationRow[]; total: number }> {
    let q = this.q(tx).selectFrom('disclosure.publication').where('status', '=', 'published');
    if (f.prefix) q = q.where('jurisdiction_code', 'like', `${f.prefix}%`);
    if (f.categoryCodes && f.categoryCodes.length > 0) q = q.where('category_code', 'in', f.categoryCodes);
    if (f.organisationId) q = q.where('organisation_id', '=', f.organisationId);
    if (f.year) q = q.where('published_at', '>=', new Date(`${f.year}-01-01T00:00:00+08:00`)).where('published_at', '<', new Date(`${f.year + 1}-01-01T00:00:00+08:00`));
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('published_at', 'desc').orderBy('id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toRow), total: Number(count.n) };
  }

  /** Published counts per category within a jurisdiction subtree (for the catalog tree). */
  async countsByCategory(prefix: string | undefined): Promise<Map<string, number>> {
    let q = this.q().selectFrom('disclosure.publication').where('status', '=', 'published');
    if (prefix) q = q.where('jurisdiction_code', 'like', `${prefix}%`);
    const rows = await q.select(['category_code', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('category_code').execute();
    return new Map(rows.map((r) => [r.category_code, Number(r.n)]));
  }

  /** Organisations with published publications in a subtree. */
  async publishingOrganisations(prefix: string | undefined): Promise<{ id: string; name: string; n: number }[]> {
    let q = this.q().selectFrom('disclosure.publication').where('status', '=', 'published');
    if (prefix) q = q.where('jurisdiction_code', 'like', `${prefix}%`);
    const rows = await q
      .select(['organisation_id', 'organisation_name', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['organisation_id', 'organisation_name'])
      .orderBy('organisation_name')
      .execute();
    return rows.map((r) => ({ id: r.organisation_id, name: r.organisation_name, n: Number(r.n) }));
  }

  /** Published titles containing every term (the portal's simple search provider until the engine lands). */
  async searchPublished(terms: string[], limit: number): Promise<PublicationRow[]> {
    if (terms.length === 0) return [];
    let q = this.q().selectFrom('disclosure.publication').where('status', '=', 'published');
    for (const term of terms) {
      const pattern = `%${escapeLike(term)}%`;
      q = q.where((eb) => eb.or([eb('title', 'ilike', pattern), eb('body_text', 'ilike', pattern), eb('doc_number', 'ilike', pattern), eb('index_number', 'ilike', pattern)]));
    }
    return (await q.selectAll().orderBy('published_at', 'desc').limit(limit).execute()).map(toRow);
  }

  async sitemapEntries(limit: number): Promise<{ id: string; updatedAt: Date }[]> {
    const rows = await this.q().selectFrom('disclosure.publication').select(['id', 'updated_at']).where('status', '=', 'published').orderBy('published_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
  }

  // ---- categories ----
  async categories(tx?: Db | Tx): Promise<CategoryRow[]> {
    const rows = await this.q(tx).selectFrom('disclosure.category').selectAll().orderBy('sort_order').orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, deadlineDays: r.deadline_days, legalBasis: r.legal_basis }));
  }

  /** Creates or renames a category; the code and parent of an existing one stay (publications point at them). */
  async saveCategory(tx: Tx, c: { code: string; name: string; parentCode: string | null; deadlineDays: number | null; legalBasis: string | null }): Promise<'created' | 'updated'> {
    const existing = await this.q(tx).selectFrom('disclosure.category').select('code').where('code', '=', c.code).executeTakeFirst();
    if (existing) {
      await this.q(tx).updateTable('disclosure.category').set({ name: c.name, deadline_days: c.deadlineDays, legal_basis: c.legalBasis }).where('code', '=', c.code).execute();
      return 'updated';
    }
    const max = await this.q(tx).selectFrom('disclosure.category').select((eb) => eb.fn.max('sort_order').as('m')).executeTakeFirst();
    await this.q(tx)
      .insertInto('disclosure.category')
      .values({ code: c.code, name: c.name, parent_code: c.parentCode, sort_order: Number(max?.m ?? 0) + 1, deadline_days: c.deadlineDays, legal_basis: c.legalBasis })
      .execute();
    return 'created';
  }

  // ---- interpretation links ----
  async link(tx: Tx, policyId: string, interpretationId: string): Promise<void> {
    await this.q(tx).insertInto('disclosure.interpretation_link').values({ policy_id: policyId, interpretation_id: interpretationId }).onConflict((oc) => oc.doNothing()).execute();
  }

  /** Both directions: the policies this one interprets and the interpretations of this one. */
  async related(id: string, tx?: Db | Tx): Promise<{ interprets: PublicationRow[]; interpretedBy: PublicationRow[] }> {
    const interprets = await this.q(tx)
      .selectFrom('disclosure.interpretation_link as l')
      .innerJoin('disclosure.publication as p', 'p.id', 'l.policy_id')
      .selectAll('p')
      .where('l.interpretation_id', '=', id)
      .execute();
    const interpretedBy = await this.q(tx)
      .selectFrom('disclosure.interpretation_link as l')
      .innerJoin('disclosure.publication as p', 'p.id', 'l.interpretation_id')
      .selectAll('p')
      .where('l.policy_id', '=', id)
      .execute();
    return { interprets: interprets.map(toRow), interpretedBy: interpretedBy.map(toRow) };
  }

  // ---- index number rules ----
  async indexGenerator(codes: string[], tx?: Db | Tx): Promise<string | null> {
    if (codes.length === 0) return null;
    const rows = await this.q(tx).selectFrom('disclosure.index_rule').selectAll().where('jurisdiction_code', 'in', codes).execute();
    for (const c of codes) {
      const hit = rows.find((r) => r.jurisdiction_code === c);
      if (hit) return hit.generator_id;
    }
    return null;
  }

  async indexRules(): Promise<{ jurisdictionCode: string; generatorId: string }[]> {
    const rows = await this.q().selectFrom('disclosure.index_rule').selectAll().orderBy('jurisdiction_code').execute();
    return rows.map((r) => ({ jurisdictionCode: r.jurisdiction_code, generatorId: r.generator_id }));
  }

  async setIndexRule(tx: Tx, jurisdictionCode: string, generatorId: string): Promise<void> {
    await this.q(tx)
      .insertInto('disclosure.index_rule')
      .values({ jurisdiction_code: jurisdictionCode, generator_id: generatorId })
      .onConflict((oc) => oc.column('jurisdiction_code').doUpdateSet({ generator_id: generatorId }))
      .execute();
  }

  // ---- overdue (Art. 26) ----
  /** Unpublished publications whose due date has passed and that have no alert yet. */
  async overdueWithoutAlert(today: string, tx?: Db | Tx): Promise<PublicationRow[]> {
    const rows = await this.q(tx)
      .selectFrom('disclosure.publication as p')
      .selectAll('p')
      .where('p.status', 'in', ['draft', 'in_review', 'approved'])
      .where('p.due_on', '<', today)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('disclosure.overdue_alert as a').select('a.publication_id').whereRef('a.publication_id', '=', 'p.id'))))
      .limit(1000)
      .execute();
    return rows.map(toRow);
  }

  async raiseAlert(tx: Tx, p: PublicationRow): Promise<boolean> {
    const r = await this.q(tx)
      .insertInto('disclosure.overdue_alert')
      .values({ publication_id: p.id, organisation_id: p.organisationId, organisation_name: p.organisationName, jurisdiction_code: p.jurisdictionCode, title: p.title, due_on: p.dueOn, resolved_at: null })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async resolveAlert(tx: Tx, publicationId: string): Promise<void> {
    await this.q(tx).updateTable('disclosure.overdue_alert').set({ resolved_at: new Date() }).where('publication_id', '=', publicationId).where('resolved_at', 'is', null).execute();
  }

  async alertsInScope(scope: Scope, opts: { openOnly: boolean; limit: number; offset: number }): Promise<{ rows: OverdueAlert[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('disclosure.overdue_alert');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    if (opts.openOnly) q = q.where('resolved_at', 'is', null);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('due_on').orderBy('publication_id').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      rows: rows.map((r) => ({ publicationId: r.publication_id, organisationId: r.organisation_id, organisationName: r.organisation_name, jurisdictionCode: r.jurisdiction_code, title: r.title, dueOn: civil(r.due_on), raisedAt: r.raised_at, resolvedAt: r.resolved_at })),
      total: Number(count.n),
    };
  }

  // ---- statistics for the annual report (disclosure-requests module) ----
  async stats(year: number, organisationIds?: string[]): Promise<{ organisationId: string; organisationName: string; categoryCode: string; created: number; published: number; withdrawn: number }[]> {
    const from = `${year}-01-01`;
    const to = `${year + 1}-01-01`;
    const orgFilter = organisationIds && organisationIds.length > 0 ? sql`AND p.organisation_id IN (${sql.join(organisationIds)})` : sql``;
    const r = await sql<{ organisation_id: string; organisation_name: string; category_code: string; created: number; published: number; withdrawn: number }>`
      SELECT p.organisation_id, p.organisation_name, p.category_code,
        count(*) FILTER (WHERE p.created_at >= ${from}::date AT TIME ZONE 'Asia/Shanghai' AND p.created_at < ${to}::date AT TIME ZONE 'Asia/Shanghai')::int AS created,
        count(*) FILTER (WHERE p.published_at >= ${from}::date AT TIME ZONE 'Asia/Shanghai' AND p.published_at < ${to}::date AT TIME ZONE 'Asia/Shanghai')::int AS published,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM disclosure.publication_event e WHERE e.publication_id = p.id AND e.event = 'withdrawn'
          AND e.at >= ${from}::date AT TIME ZONE 'Asia/Shanghai' AND e.at < ${to}::date AT TIME ZONE 'Asia/Shanghai'))::int AS withdrawn
      FROM disclosure.publication p
      WHERE true ${orgFilter}
      GROUP BY 1, 2, 3
      HAVING count(*) FILTER (WHERE p.created_at >= ${from}::date AT TIME ZONE 'Asia/Shanghai' AND p.created_at < ${to}::date AT TIME ZONE 'Asia/Shanghai') > 0
        OR count(*) FILTER (WHERE p.published_at >= ${from}::date AT TIME ZONE 'Asia/Shanghai' AND p.published_at < ${to}::date AT TIME ZONE 'Asia/Shanghai') > 0
        OR count(*) FILTER (WHERE p.status = 'withdrawn') > 0
      ORDER BY 2, 3`.execute(this.db);
    return r.rows.map((x) => ({ organisationId: x.organisation_id, organisationName: x.organisation_name, categoryCode: x.category_code, created: x.created, published: x.published, withdrawn: x.withdrawn }));
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
