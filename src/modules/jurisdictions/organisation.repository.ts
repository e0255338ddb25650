import { sql, type Generated, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Scope } from '../../platform/auth/scope.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { divisionPrefix, escapeLike, isDivisionCode } from './division-codes.ts';
import type { Organisation, OrganisationFilters, OrganisationType, UsccStatus } from './types.ts';

interface OrganisationTable {
  id: Generated<string>;
  name: string;
  short_name: string | null;
  jurisdiction_code: string;
  uscc: string | null;
  uscc_status: UsccStatus | null;
  uscc_note: string | null;
  type: string;
  parent_id: string | null;
  sort_order: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}

interface OrganisationTypeTable {
  code: string;
  label: string;
  label_en: string;
  uscc_category: string | null;
  sort_order: number;
}

interface Tables {
  'jurisdictions.organisation': OrganisationTable;
  'jurisdictions.organisation_type': OrganisationTypeTable;
  'jurisdictions.division': { code: string; name: string };
}

/** The stored fields of an organisation (what commands write). */
export interface OrganisationFields {
  name: string;
  shortName: string | null;
  jurisdictionCode: string;
  uscc: string | null;
  usccStatus: UsccStatus | null;
  usccNote: string | null;
  type: string;
  parentId: string | null;
  sortOrder: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

type Joined = Tables & {
  o: OrganisationTable;
  d: { code: string; name: string };
  t: OrganisationTypeTable;
  p: OrganisationTable;
};

interface JoinedRow {
  id: string;
  name: string;
  short_name: string | null;
  jurisdiction_code: string;
  jurisdiction_name: string;
  uscc: string | null;
  uscc_status: UsccStatus | null;
  uscc_note: string | null;
  type: string;
  type_label: string;
  parent_id: string | null;
  parent_name: string | null;
  sort_order: number;
  created_at: Date;
  updated_at: Date;
  version: number;
}

function toOrganisation(r: JoinedRow): Organisation {
  return {
    id: r.id,
    name: r.name,
    shortName: r.short_name,
    jurisdictionCode: r.jurisdiction_code,
    jurisdictionName: r.jurisdiction_name,
    uscc: r.uscc,
    usccStatus: r.uscc_status,
    usccNote: r.uscc_note,
    type: r.type,
    typeLabel: r.type_label,
    parentId: r.parent_id,
    parentName: r.parent_name,
    sortOrder: r.sort_order,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

/** SQL of organisations; lists take a Scope and turn it into WHERE (STYLE.md §6). */
export class OrganisationRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<Joined> {
    return (tx ?? this.db) as Kysely<Joined>;
  }

  private joined(tx?: Tx) {
    return this.q(tx)
      .selectFrom('jurisdictions.organisation as o')
      .innerJoin('jurisdictions.division as d', 'd.code', 'o.jurisdiction_code')
      .innerJoin('jurisdictions.organisation_type as t', 't.code', 'o.type')
      .leftJoin('jurisdictions.organisation as p', 'p.id', 'o.parent_id');
  }

  private selectJoined<QB extends SelectQueryBuilder<Joined, 'o' | 'd' | 't' | 'p', object>>(qb: QB) {
    return qb.select([
      'o.id',
      'o.name',
      'o.short_name',
      'o.jurisdiction_code',
      'd.name as jurisdiction_name',
      'o.uscc',
      'o.uscc_status',
      'o.uscc_note',
      'o.type',
      't.label as type_label',
      'o.parent_id',
      'p.name as parent_name',
      'o.sort_order',
      'o.created_at',
      'o.updated_at',
      'o.version',
    ]);
  }

  async getById(id: string, tx?: Tx): Promise<Organisation | null> {
    if (!isUuid(id)) return null;
    const r = await this.selectJoined(this.joined(tx)).where('o.id', '=', id).executeTakeFirst();
    return r ? toOrganisation(r) : null;
  }

  async getByIds(ids: string[]): Promise<Organisation[]> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (valid.length === 0) return [];
    const rows = await this.selectJoined(this.joined()).where('o.id', 'in', valid).execute();
    return rows.map((r) => toOrganisation(r as JoinedRow));
  }

  async findByNameInJurisdiction(name: string, jurisdictionCode: string, tx?: Tx): Promise<{ id: string } | null> {
    const r = await this.q(tx)
      .selectFrom('jurisdictions.organisation')
      .select('id')
      .where('name', '=', name)
      .where('jurisdiction_code', '=', jurisdictionCode)
      .executeTakeFirst();
    return r ?? null;
  }

  async findByUscc(uscc: string, tx?: Tx): Promise<{ id: string; name: string } | null> {
    const r = await this.q(tx).selectFrom('jurisdictions.organisation').select(['id', 'name']).where('uscc', '=', uscc).executeTakeFirst();
    return r ?? null;
  }

  /** Ids of the organisation and every organisation above it (to refuse a cycle in parent_id). */
  async selfAndAncestorIds(id: string, tx: Tx): Promise<string[]> {
    if (!isUuid(id)) return [];
    const r = await sql<{ id: string }>`
      WITH RECURSIVE up AS (
        SELECT id, parent_id, 0 AS depth FROM jurisdictions.organisation WHERE id = ${id}
        UNION ALL
        SELECT o.id, o.parent_id, up.depth + 1 FROM jurisdictions.organisation o JOIN up ON o.id = up.parent_id
         WHERE up.depth < 50
      )
      SELECT id FROM up`.execute(tx);
    return r.rows.map((x) => x.id);
  }

  async types(tx?: Tx): Promise<OrganisationType[]> {
    const rows = await this.q(tx).selectFrom('jurisdictions.organisation_type').selectAll().orderBy('sort_order').execute();
    return rows.map((r) => ({ code: r.code, label: r.label, labelEn: r.label_en, usccCategory: r.uscc_category }));
  }

  async insert(tx: Tx, f: OrganisationFields): Promise<string> {
    const r = await this.q(tx)
      .insertInto('jurisdictions.organisation')
      .values({
        name: f.name,
        short_name: f.shortName,
        jurisdiction_code: f.jurisdictionCode,
        uscc: f.uscc,
        uscc_status: f.usccStatus,
        uscc_note: f.usccNote,
        type: f.type,
        parent_id: f.parentId,
        sort_order: f.sortOrder,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  /** Optimistic update: false when the row's version is no longer `version`. */
  async update(tx: Tx, id: string, version: number, f: OrganisationFields): Promise<boolean> {
    const r = await this.q(tx)
      .updateTable('jurisdictions.organisation')
      .set({
        name: f.name,
        short_name: f.shortName,
        jurisdiction_code: f.jurisdictionCode,
        uscc: f.uscc,
        uscc_status: f.usccStatus,
        uscc_note: f.usccNote,
        type: f.type,
        parent_id: f.parentId,
        sort_order: f.sortOrder,
        updated_at: sql`now()`,
        version: sql`version + 1`,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The list an actor may see: the scope is part of the WHERE, never a filter afterwards. */
  async list(scope: Scope, filters: OrganisationFilters, page: { limit: number; offset: number }): Promise<{ rows: Organisation[]; total: number }> {
    if (scope.kind === 'none') return { rows: [], total: 0 };
    if (scope.kind === 'organisation' && !isUuid(scope.organisationId)) return { rows: [], total: 0 };
    let qb = this.joined();
    if (scope.kind === 'organisation') qb = qb.where('o.id', '=', scope.organisationId);
    if (scope.kind === 'jurisdiction') qb = qb.where('o.jurisdiction_code', 'like', `${scope.prefix}%`);
    if (filters.jurisdictionCode) {
      if (!isDivisionCode(filters.jurisdictionCode)) return { rows: [], total: 0 };
      qb = qb.where('o.jurisdiction_code', 'like', `${divisionPrefix(filters.jurisdictionCode)}%`);
    }
    const text = filters.q?.trim();
    if (text) {
      const pattern = `%${escapeLike(text)}%`;
      qb = qb.where((eb) => eb.or([eb('o.name', 'like', pattern), eb('o.short_name', 'like', pattern)]));
    }
    if (filters.type) qb = qb.where('o.type', '=', filters.type);
    const [rows, count] = await Promise.all([
      this.selectJoined(qb)
        .orderBy('o.jurisdiction_code')
        .orderBy('o.sort_order')
        .orderBy('o.name')
        .orderBy('o.id')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      qb.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map((r) => toOrganisation(r as JoinedRow)), total: Number(count.n) };
  }
}
