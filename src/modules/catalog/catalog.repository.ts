import { sql, type Generated, type Kysely, type Selectable } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { FormDefinition } from '../../platform/forms/definition.ts';
import { itemCacheFor, type ItemForApplicationCache } from './item-cache.ts';
import type { QualityIssue } from './quality-rules.ts';
import type { ItemElements, ItemStatus, VersionStatus } from './types.ts';

interface ItemTable {
  id: Generated<string>;
  implementation_code: string;
  basic_code: string;
  organisation_id: string;
  organisation_name: string;
  jurisdiction_code: string;
  name: string;
  name_pinyin: string;
  name_initials: string;
  item_type: string;
  exercise_level: string;
  themes: string[];
  status: Generated<ItemStatus>;
  published_version_id: string | null;
  published_at: Date | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface VersionTable {
  id: Generated<string>;
  item_id: string;
  version_no: number;
  status: Generated<VersionStatus>;
  elements: ItemElements;
  form: FormDefinition;
  issues: QualityIssue[];
  review_comment: Generated<string>;
  created_by: string;
  submitted_by: string | null;
  submitted_at: Date | null;
  reviewed_by: string | null;
  published_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  lock_version: Generated<number>;
}

interface LifeEventTable {
  id: Generated<string>;
  code: string;
  name: string;
  description: string;
  audience: 'person' | 'enterprise';
  jurisdiction_code: string;
  item_ids: string[];
  status: Generated<'draft' | 'published' | 'withdrawn'>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface CatalogTables {
  'catalog.implementation_item': ItemTable;
  'catalog.item_version': VersionTable;
  'catalog.life_event': LifeEventTable;
}

export interface ItemRow {
  id: string;
  implementationCode: string;
  basicCode: string;
  organisationId: string;
  organisationName: string;
  jurisdictionCode: string;
  name: string;
  namePinyin: string;
  nameInitials: string;
  itemType: string;
  exerciseLevel: string;
  themes: string[];
  status: ItemStatus;
  publishedVersionId: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface VersionRow {
  id: string;
  itemId: string;
  versionNo: number;
  status: VersionStatus;
  elements: ItemElements;
  form: FormDefinition;
  issues: QualityIssue[];
  reviewComment: string;
  createdBy: string;
  submittedBy: string | null;
  submittedAt: Date | null;
  reviewedBy: string | null;
  publishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lockVersion: number;
}

export interface LifeEventRow {
  id: string;
  code: string;
  name: string;
  description: string;
  audience: 'person' | 'enterprise';
  jurisdictionCode: string;
  itemIds: string[];
  status: 'draft' | 'published' | 'withdrawn';
  version: number;
}

const toItem = (r: Selectable<ItemTable>): ItemRow => ({
  id: r.id,
  implementationCode: r.implementation_code,
  basicCode: r.basic_code,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  jurisdictionCode: r.jurisdiction_code,
  name: r.name,
  namePinyin: r.name_pinyin,
  nameInitials: r.name_initials,
  itemType: r.item_type,
  exerciseLevel: r.exercise_level,
  themes: r.themes,
  status: r.status,
  publishedVersionId: r.published_version_id,
  publishedAt: r.published_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

const toVersion = (r: Selectable<VersionTable>): VersionRow => ({
  id: r.id,
  itemId: r.item_id,
  versionNo: r.version_no,
  status: r.status,
  elements: r.elements,
  form: r.form,
  issues: r.issues,
  reviewComment: r.review_comment,
  createdBy: r.created_by,
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at,
  reviewedBy: r.reviewed_by,
  publishedAt: r.published_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lockVersion: r.lock_version,
});

const toLifeEvent = (r: Selectable<LifeEventTable>): LifeEventRow => ({
  id: r.id,
  code: r.code,
  name: r.name,
  description: r.description,
  audience: r.audience,
  jurisdictionCode: r.jurisdiction_code,
  itemIds: r.item_ids,
  status: r.status,
  version: r.version,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const json = <T>(v: unknown) => sql<T>`${JSON.stringify(v)}::jsonb`;
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export interface PublicFilters {
  q?: string | undefined;
  organisationId?: string | undefined;
  /** A.2 exercise level code. */
  level?: string | undefined;
  theme?: string | undefined;
  itemType?: string | undefined;
  divisionPrefix?: string | undefined;
  ids?: string[] | undefined;
}

export interface ItemDenorm {
  name: string;
  namePinyin: string;
  nameInitials: string;
  basicCode: string;
  itemType: string;
  exerciseLevel: string;
  themes: string[];
}

/** The version columns, prefixed `v_`, for reading an item and a version in one row. */
const VERSION_COLUMNS = [
  'v.id as v_id',
  'v.item_id as v_item_id',
  'v.version_no as v_version_no',
  'v.status as v_status',
  'v.elements as v_elements',
  'v.form as v_form',
  'v.issues as v_issues',
  'v.review_comment as v_review_comment',
  'v.created_by as v_created_by',
  'v.submitted_by as v_submitted_by',
  'v.submitted_at as v_submitted_at',
  'v.reviewed_by as v_reviewed_by',
  'v.published_at as v_published_at',
  'v.created_at as v_created_at',
  'v.updated_at as v_updated_at',
  'v.lock_version as v_lock_version',
] as const;

export class CatalogRepository {
  /**
   * The in-process cache of itemForApplication answers (shared by every repository over this
   * database handle). Every item/version write below empties it; commands also empty it after
   * commit (commands/deps.ts forgetItemsOnCommit).
   */
  readonly applicationCache: ItemForApplicationCache;

  constructor(private readonly db: Db) {
    this.applicationCache = itemCacheFor(db);
  }

  private q(tx?: Tx): Kysely<CatalogTables> {
    return (tx ?? this.db) as Kysely<CatalogTables>;
  }

  async getItem(id: string, tx?: Tx): Promise<ItemRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('catalog.implementation_item').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toItem(r) : null;
  }

  /**
   * A PUBLISHED item with its version in force, in one statement (join on published_version_id);
   * null for unknown, draft, suspended and cancelled items and for items without a published version.
   */
  async getPublishedItemWithVersion(id: string, tx?: Tx): Promise<{ item: ItemRow; version: VersionRow } | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx)
      .selectFrom('catalog.implementation_item as i')
      .innerJoin('catalog.item_version as v', 'v.id', 'i.published_version_id')
      .selectAll('i')
      .select(VERSION_COLUMNS)
      .where('i.id', '=', id)
      .where('i.status', '=', 'published')
      .executeTakeFirst();
    if (!r) return null;
    return {
      item: toItem(r),
      version: toVersion({
        id: r.v_id,
        item_id: r.v_item_id,
        version_no: r.v_version_no,
        status: r.v_status,
        elements: r.v_elements,
        form: r.v_form,
        issues: r.v_issues,
        review_comment: r.v_review_comment,
        created_by: r.v_created_by,
        submitted_by: r.v_submitted_by,
        submitted_at: r.v_submitted_at,
        reviewed_by: r.v_reviewed_by,
        published_at: r.v_published_at,
        created_at: r.v_created_at,
        updated_at: r.v_updated_at,
        lock_version: r.v_lock_version,
      }),
    };
  }

  async getItemForUpdate(tx: Tx, id: string): Promise<ItemRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('catalog.implementation_item').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return r ? toItem(r) : null;
  }

  async getItemByCode(code: string, tx?: Tx): Promise<ItemRow | null> {
    const r = await this.q(tx).selectFrom('catalog.implementation_item').selectAll().where('implementation_code', '=', code).executeTakeFirst();
    return r ? toItem(r) : null;
  }

  async insertItem(
    tx: Tx,
    v: ItemDenorm & { implementationCode: string; organisationId: string; organisationName: string; jurisdictionCode: string; createdBy: string },
  ): Promise<ItemRow> {
    this.applicationCache.invalidate();
    const r = await this.q(tx)
      .insertInto('catalog.implementation_item')
      .values({
        implementation_code: v.implementationCode,
        basic_code: v.basicCode,
        organisation_id: v.organisationId,
        organisation_name: v.organisationName,
        jurisdiction_code: v.jurisdictionCode,
        name: v.name,
        name_pinyin: v.namePinyin,
        name_initials: v.nameInitials,
        item_type: v.itemType,
        exercise_level: v.exerciseLevel,
        themes: json<string[]>(v.themes),
        published_version_id: null,
        published_at: null,
        created_by: v.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toItem(r);
  }

  /** Item row changes happen under the row lock taken by getItemForUpdate; version bumps for API clients. */
  async updateItem(tx: Tx, id: string, patch: Partial<ItemDenorm> & { status?: ItemStatus; publishedVersionId?: string | null; publishedAt?: Date | null }): Promise<ItemRow> {
    this.applicationCache.invalidate();
    const r = await this.q(tx)
      .updateTable('catalog.implementation_item')
      .set((eb) => ({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.namePinyin !== undefined ? { name_pinyin: patch.namePinyin } : {}),
        ...(patch.nameInitials !== undefined ? { name_initials: patch.nameInitials } : {}),
        ...(patch.basicCode !== undefined ? { basic_code: patch.basicCode } : {}),
        ...(patch.itemType !== undefined ? { item_type: patch.itemType } : {}),
        ...(patch.exerciseLevel !== undefined ? { exercise_level: patch.exerciseLevel } : {}),
        ...(patch.themes !== undefined ? { themes: json<string[]>(patch.themes) } : {}),
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.publishedVersionId !== undefined ? { published_version_id: patch.publishedVersionId } : {}),
        ...(patch.publishedAt !== undefined ? { published_at: patch.publishedAt } : {}),
        updated_at: new Date(),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toItem(r);
  }

  async getVersion(id: string, tx?: Tx): Promise<VersionRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('catalog.item_version').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toVersion(r) : null;
  }

  async listVersions(itemId: string, tx?: Tx): Promise<VersionRow[]> {
    const rows = await this.q(tx).selectFrom('catalog.item_version').selectAll().where('item_id', '=', itemId).orderBy('version_no', 'desc').execute();
    return rows.map(toVersion);
  }

  /** The version being worked on (draft or in review), if any. */
  async openVersion(itemId: string, tx?: Tx): Promise<VersionRow | null> {
    const r = await this.q(tx).selectFrom('catalog.item_version').selectAll().where('item_id', '=', itemId).where('status', 'in', ['draft', 'in_review']).executeTakeFirst();
    return r ? toVersion(r) : null;
  }

  async maxVersionNo(tx: Tx, itemId: string): Promise<number> {
    const r = await this.q(tx).selectFrom('catalog.item_version').select((eb) => eb.fn.max<number>('version_no').as('n')).where('item_id', '=', itemId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async insertVersion(tx: Tx, v: { itemId: string; versionNo: number; elements: ItemElements; form: FormDefinition; issues: QualityIssue[]; createdBy: string }): Promise<VersionRow> {
    this.applicationCache.invalidate();
    const r = await this.q(tx)
      .insertInto('catalog.item_version')
      .values({
        item_id: v.itemId,
        version_no: v.versionNo,
        elements: json<ItemElements>(v.elements),
        form: json<FormDefinition>(v.form),
        issues: json<QualityIssue[]>(v.issues),
        created_by: v.createdBy,
        submitted_by: null,
        submitted_at: null,
        reviewed_by: null,
        published_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toVersion(r);
  }

  /** Optimistic update: null when the lock version no longer matches. */
  async updateVersion(
    tx: Tx,
    id: string,
    lockVersion: number,
    patch: {
      status?: VersionStatus;
      elements?: ItemElements;
      form?: FormDefinition;
      issues?: QualityIssue[];
      reviewComment?: string;
      submittedBy?: string | null;
      submittedAt?: Date | null;
      reviewedBy?: string | null;
      publishedAt?: Date | null;
    },
  ): Promise<VersionRow | null> {
    this.applicationCache.invalidate();
    const r = await this.q(tx)
      .updateTable('catalog.item_version')
      .set({
        ...(patch.status !== undefined ? { status: patch.status } : {}),
        ...(patch.elements !== undefined ? { elements: json<ItemElements>(patch.elements) } : {}),
        ...(patch.form !== undefined ? { form: json<FormDefinition>(patch.form) } : {}),
        ...(patch.issues !== undefined ? { issues: json<QualityIssue[]>(patch.issues) } : {}),
        ...(patch.reviewComment !== undefined ? { review_comment: patch.reviewComment } : {}),
        ...(patch.submittedBy !== undefined ? { submitted_by: patch.submittedBy } : {}),
        ...(patch.submittedAt !== undefined ? { submitted_at: patch.submittedAt } : {}),
        ...(patch.reviewedBy !== undefined ? { reviewed_by: patch.reviewedBy } : {}),
        ...(patch.publishedAt !== undefined ? { published_at: patch.publishedAt } : {}),
        updated_at: new Date(),
        lock_version: lockVersion + 1,
      })
      .where('id', '=', id)
      .where('lock_version', '=', lockVersion)
      .returningAll()
      .executeTakeFirst();
    return r ? toVersion(r) : null;
  }

  async setVersionStatus(tx: Tx, id: string, status: VersionStatus): Promise<void> {
    this.applicationCache.invalidate();
    await this.q(tx)
      .updateTable('catalog.item_version')
      .set((eb) => ({ status, updated_at: new Date(), lock_version: eb('lock_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Staff list, scope in SQL. */
  async listInScope(
    scope: Scope,
    opts: { status?: ItemStatus | undefined; q?: string | undefined; limit: number; offset: number },
  ): Promise<{ rows: (ItemRow & { openStatus: VersionStatus | null })[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    let q = this.q().selectFrom('catalog.implementation_item as i');
    if (scope.kind === 'organisation') q = q.where('i.organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('i.jurisdiction_code', 'like', `${scope.prefix}%`);
    if (opts.status) q = q.where('i.status', '=', opts.status);
    if (opts.q) {
      const p = `%${likeEscape(opts.q)}%`;
      q = q.where((eb) => eb.or([eb('i.name', 'ilike', p), eb('i.implementation_code', 'ilike', p)]));
    }
    const [rows, count] = await Promise.all([
      q
        .selectAll('i')
        .select((eb) =>
          eb
            .selectFrom('catalog.item_version as v')
            .select('v.status')
            .whereRef('v.item_id', '=', 'i.id')
            .where('v.status', 'in', ['draft', 'in_review'])
            .limit(1)
            .as('open_status'),
        )
        .orderBy('i.updated_at', 'desc')
        .orderBy('i.id')
        .limit(opts.limit)
        .offset(opts.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((r) => ({ ...toItem(r), openStatus: r.open_status ?? null })), total: Number(count.n) };
  }

  /** Items of a scope for export (all, ordered by code). */
  async itemsInScope(scope: Scope): Promise<ItemRow[]> {
    if (scope.kind === 'none') return [];
    let q = this.q().selectFrom('catalog.implementation_item');
    if (scope.kind === 'organisation') q = q.where('organisation_id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') q = q.where('jurisdiction_code', 'like', `${scope.prefix}%`);
    return (await q.selectAll().orderBy('implementation_code').execute()).map(toItem);
  }

  /** Public finder: published items by name, pinyin, initials or code; department; level; theme; type. */
  async listPublished(f: PublicFilters, page: { limit: number; offset: number }): Promise<{ rows: ItemRow[]; total: number }> {
    let q = this.q().selectFrom('catalog.implementation_item').where('status', '=', 'published');
    const text = f.q?.trim();
    if (text) {
      const p = `%${likeEscape(text)}%`;
      const lower = `%${likeEscape(text.toLowerCase().replace(/\s+/g, ''))}%`;
      q = q.where((eb) => eb.or([eb('name', 'ilike', p), eb('name_pinyin', 'like', lower), eb('name_initials', 'like', lower), eb('implementation_code', 'ilike', p), eb('basic_code', 'ilike', p)]));
    }
    if (f.organisationId) q = q.where('organisation_id', '=', f.organisationId);
    if (f.level) q = q.where('exercise_level', '=', f.level);
    if (f.itemType) q = q.where('item_type', '=', f.itemType);
    if (f.theme) q = q.where(sql<boolean>`themes ? ${f.theme}`);
    if (f.divisionPrefix) q = q.where('jurisdiction_code', 'like', `${f.divisionPrefix}%`);
    if (f.ids) {
      if (f.ids.length === 0) return { rows: [], total: 0 };
      q = q.where('id', 'in', f.ids);
    }
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('exercise_level').orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toItem), total: Number(count.n) };
  }

  /**
   * The province catalog (基本目录) as the distinct basic codes of published items, with how
   * many implementations each has and at which levels.
   */
  async basicItems(page: { limit: number; offset: number }): Promise<{ rows: { basicCode: string; name: string; itemType: string; implementations: number; levels: string[] }[]; total: number }> {
    const base = this.q().selectFrom('catalog.implementation_item').where('status', '=', 'published');
    const [rows, count] = await Promise.all([
      base
        .select((eb) => [
          'basic_code',
          eb.fn.min<string>('name').as('name'),
          eb.fn.min<string>('item_type').as('item_type'),
          eb.fn.countAll<number>().as('n'),
          sql<string>`string_agg(DISTINCT exercise_level, ',' ORDER BY exercise_level)`.as('levels'),
        ])
        .groupBy('basic_code')
        .orderBy('basic_code')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      base.select(sql<number>`count(DISTINCT basic_code)`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((r) => ({ basicCode: r.basic_code, name: r.name, itemType: r.item_type, implementations: Number(r.n), levels: r.levels.split(',') })), total: Number(count.n) };
  }

  /** Departments that have published items (finder facet). */
  async publishedOrganisations(): Promise<{ id: string; name: string; count: number }[]> {
    const rows = await this.q()
      .selectFrom('catalog.implementation_item')
      .select(['organisation_id', 'organisation_name', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'published')
      .groupBy(['organisation_id', 'organisation_name'])
      .orderBy('organisation_name')
      .execute();
    return rows.map((r) => ({ id: r.organisation_id, name: r.organisation_name, count: Number(r.n) }));
  }

  // ---- life events ----
  async listLifeEvents(onlyPublished: boolean): Promise<LifeEventRow[]> {
    let q = this.q().selectFrom('catalog.life_event').selectAll();
    if (onlyPublished) q = q.where('status', '=', 'published');
    return (await q.orderBy('code').execute()).map(toLifeEvent);
  }

  /** Staff list: bundles defined in a jurisdiction subtree (all statuses). */
  async listLifeEventsIn(prefix: string): Promise<LifeEventRow[]> {
    return (await this.q().selectFrom('catalog.life_event').selectAll().where('jurisdiction_code', 'like', `${prefix}%`).orderBy('code').execute()).map(toLifeEvent);
  }

  async itemCodes(ids: string[]): Promise<Map<string, { code: string; name: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.q().selectFrom('catalog.implementation_item').select(['id', 'implementation_code', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, { code: r.implementation_code, name: r.name }]));
  }

  async getLifeEvent(id: string, tx?: Tx): Promise<LifeEventRow | null> {
    if (!UUID.test(id)) return null;
    const r = await this.q(tx).selectFrom('catalog.life_event').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toLifeEvent(r) : null;
  }

  async getLifeEventByCode(code: string, tx?: Tx): Promise<LifeEventRow | null> {
    const r = await this.q(tx).selectFrom('catalog.life_event').selectAll().where('code', '=', code).executeTakeFirst();
    return r ? toLifeEvent(r) : null;
  }

  async insertLifeEvent(tx: Tx, v: { code: string; name: string; description: string; audience: 'person' | 'enterprise'; jurisdictionCode: string; itemIds: string[]; createdBy: string }): Promise<LifeEventRow> {
    const r = await this.q(tx)
      .insertInto('catalog.life_event')
      .values({ code: v.code, name: v.name, description: v.description, audience: v.audience, jurisdiction_code: v.jurisdictionCode, item_ids: json<string[]>(v.itemIds), created_by: v.createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLifeEvent(r);
  }

  async updateLifeEvent(tx: Tx, id: string, version: number, v: { name: string; description: string; itemIds: string[]; status: 'draft' | 'published' | 'withdrawn' }): Promise<LifeEventRow | null> {
    const r = await this.q(tx)
      .updateTable('catalog.life_event')
      .set({ name: v.name, description: v.description, item_ids: json<string[]>(v.itemIds), status: v.status, updated_at: new Date(), version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
    return r ? toLifeEvent(r) : null;
  }
}
