import { sql } from 'kysely';
import type { Db, Tx } from '../../../platform/db/database.ts';

/** A category of the dispatch catalogue with what uses it (administration view). */
export interface AdminCategory {
  code: string;
  name: string;
  parentCode: string | null;
  sortOrder: number;
  active: boolean;
  version: number;
  children: number;
  rules: number;
  tickets: number;
  kbEntries: number;
}

export interface AdminRule {
  categoryCode: string;
  categoryName: string;
  divisionCode: string;
  organisationId: string;
  organisationName: string;
  coOrgIds: string[];
  coOrgNames: string[];
  version: number;
}

export interface AdminCentre {
  id: string;
  name: string;
  kind: 'hotline' | 'petition';
  divisionCode: string;
  organisationId: string;
  organisationName: string;
  hotline: string;
  dutyMobile: string;
  dutyEmail: string;
  version: number;
}

interface RawCategory {
  code: string;
  name: string;
  parent_code: string | null;
  sort_order: number;
  active: boolean;
  version: number;
  children: number;
  rules: number;
  tickets: number;
  kb_entries: number;
}
interface RawRule {
  category_code: string;
  category_name: string;
  division_code: string;
  organisation_id: string;
  organisation_name: string;
  co_org_ids: string[];
  co_org_names: string[];
  version: number;
}
interface RawCentre {
  id: string;
  name: string;
  kind: 'hotline' | 'petition';
  division_code: string;
  organisation_id: string;
  organisation_name: string;
  hotline: string;
  duty_mobile: string;
  duty_email: string;
  version: number;
}

const toCategory = (r: RawCategory): AdminCategory => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  sortOrder: r.sort_order,
  active: r.active,
  version: r.version,
  children: Number(r.children),
  rules: Number(r.rules),
  tickets: Number(r.tickets),
  kbEntries: Number(r.kb_entries),
});
const toRule = (r: RawRule): AdminRule => ({
  categoryCode: r.category_code,
  categoryName: r.category_name,
  divisionCode: r.division_code,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  coOrgIds: r.co_org_ids,
  coOrgNames: r.co_org_names,
  version: r.version,
});
const toCentre = (r: RawCentre): AdminCentre => ({
  id: r.id,
  name: r.name || r.organisation_name,
  kind: r.kind,
  divisionCode: r.division_code,
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  hotline: r.hotline,
  dutyMobile: r.duty_mobile,
  dutyEmail: r.duty_email,
  version: r.version,
});

/** A text[] literal for a parameter (ids and names carry no quotes or backslashes after validation). */
export const textArray = (xs: string[]) => `{${xs.map((x) => `"${x.replace(/["\\]/g, '')}"`).join(',')}}`;

const CATEGORY_SELECT = sql`
SELECT c.code, c.name, c.parent_code, c.sort_order, c.active, c.version,
  (SELECT count(*) FROM appeals.category k WHERE k.parent_code = c.code)::int AS children,
  (SELECT count(*) FROM appeals.dispatch_rule r WHERE r.category_code = c.code)::int AS rules,
  (SELECT count(*) FROM appeals.ticket t WHERE t.category_code = c.code)::int AS tickets,
  (SELECT count(*) FROM appeals.kb_entry e WHERE e.category_code = c.code)::int AS kb_entries
FROM appeals.category c`;

const RULE_SELECT = sql`
SELECT r.category_code, c.name AS category_name, r.division_code, r.organisation_id, r.organisation_name, r.co_org_ids, r.co_org_names, r.version
FROM appeals.dispatch_rule r JOIN appeals.category c ON c.code = r.category_code`;

const CENTRE_SELECT = sql`SELECT id::text AS id, name, kind, division_code, organisation_id, organisation_name, hotline, duty_mobile, duty_email, version FROM appeals.centre`;

/** Administration of the dispatch catalogue (派单目录) and the centres: plain SQL over the module's own tables. */
export class CatalogueAdminRepository {
  constructor(private readonly db: Db) {}

  async categories(tx?: Db | Tx): Promise<AdminCategory[]> {
    const r = await sql<RawCategory>`${CATEGORY_SELECT} ORDER BY c.sort_order, c.code`.execute(tx ?? this.db);
    return r.rows.map(toCategory);
  }

  async category(code: string, tx?: Db | Tx): Promise<AdminCategory | null> {
    const r = await sql<RawCategory>`${CATEGORY_SELECT} WHERE c.code = ${code}`.execute(tx ?? this.db);
    return r.rows[0] ? toCategory(r.rows[0]) : null;
  }

  /** Locks the category row (a concurrent child insert or rule waits for a disable, and vice versa). */
  async lockCategory(tx: Tx, code: string): Promise<void> {
    await sql`SELECT code FROM appeals.category WHERE code = ${code} FOR UPDATE`.execute(tx);
  }

  async insertCategory(tx: Tx, c: { code: string; name: string; parentCode: string | null }): Promise<void> {
    await sql`INSERT INTO appeals.category (code, name, parent_code, sort_order, active)
      VALUES (${c.code}, ${c.name}, ${c.parentCode}, coalesce((SELECT max(sort_order) + 1 FROM appeals.category), 0), true)`.execute(tx);
  }

  async updateCategory(tx: Tx, code: string, version: number, patch: { name?: string; active?: boolean }): Promise<boolean> {
    const r = await sql`UPDATE appeals.category SET name = coalesce(${patch.name ?? null}, name), active = coalesce(${patch.active ?? null}::boolean, active), version = version + 1
      WHERE code = ${code} AND version = ${version} RETURNING code`.execute(tx);
    return r.rows.length === 1;
  }

  async rules(f: { prefix?: string | undefined; categoryCode?: string | undefined; limit: number; offset: number }): Promise<{ rows: AdminRule[]; total: number }> {
    const conds = [sql`true`];
    if (f.prefix) conds.push(sql`r.division_code LIKE ${`${f.prefix}%`}`);
    if (f.categoryCode) conds.push(sql`r.category_code = ${f.categoryCode}`);
    const where = sql.join(conds, sql` AND `);
    const [rows, count] = await Promise.all([
      sql<RawRule>`${RULE_SELECT} WHERE ${where} ORDER BY c.sort_order, r.category_code, r.division_code LIMIT ${f.limit} OFFSET ${f.offset}`.execute(this.db),
      sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.dispatch_rule r WHERE ${where}`.execute(this.db),
    ]);
    return { rows: rows.rows.map(toRule), total: Number(count.rows[0]?.n ?? 0) };
  }

  async rule(categoryCode: string, divisionCode: string, tx?: Db | Tx): Promise<AdminRule | null> {
    const r = await sql<RawRule>`${RULE_SELECT} WHERE r.category_code = ${categoryCode} AND r.division_code = ${divisionCode}`.execute(tx ?? this.db);
    return r.rows[0] ? toRule(r.rows[0]) : null;
  }

  /** Inserts a rule; false when the category × division already has one. */
  async insertRule(tx: Tx, r: Omit<AdminRule, 'version' | 'categoryName'>): Promise<boolean> {
    const res = await sql`INSERT INTO appeals.dispatch_rule (category_code, division_code, organisation_id, organisation_name, co_org_ids, co_org_names)
      VALUES (${r.categoryCode}, ${r.divisionCode}, ${r.organisationId}, ${r.organisationName}, ${textArray(r.coOrgIds)}::text[], ${textArray(r.coOrgNames)}::text[])
      ON CONFLICT (category_code, division_code) DO NOTHING RETURNING category_code`.execute(tx);
    return res.rows.length === 1;
  }

  async updateRule(tx: Tx, r: Omit<AdminRule, 'categoryName'>): Promise<boolean> {
    const res = await sql`UPDATE appeals.dispatch_rule SET organisation_id = ${r.organisationId}, organisation_name = ${r.organisationName},
      co_org_ids = ${textArray(r.coOrgIds)}::text[], co_org_names = ${textArray(r.coOrgNames)}::text[], version = version + 1
      WHERE category_code = ${r.categoryCode} AND division_code = ${r.divisionCode} AND version = ${r.version} RETURNING category_code`.execute(tx);
    return res.rows.length === 1;
  }

  async deleteRule(tx: Tx, categoryCode: string, divisionCode: string, version: number): Promise<boolean> {
    const res = await sql`DELETE FROM appeals.dispatch_rule WHERE category_code = ${categoryCode} AND division_code = ${divisionCode} AND version = ${version} RETURNING category_code`.execute(tx);
    return res.rows.length === 1;
  }

  async centres(f: { limit: number; offset: number }): Promise<{ rows: AdminCentre[]; total: number }> {
    const [rows, count] = await Promise.all([
      sql<RawCentre>`${CENTRE_SELECT} ORDER BY division_code, kind, organisation_name LIMIT ${f.limit} OFFSET ${f.offset}`.execute(this.db),
      sql<{ n: number }>`SELECT count(*)::int AS n FROM appeals.centre`.execute(this.db),
    ]);
    return { rows: rows.rows.map(toCentre), total: Number(count.rows[0]?.n ?? 0) };
  }

  async centre(id: string, tx?: Db | Tx): Promise<AdminCentre | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const r = await sql<RawCentre>`${CENTRE_SELECT} WHERE id = ${id}::uuid`.execute(tx ?? this.db);
    return r.rows[0] ? toCentre(r.rows[0]) : null;
  }

  /** Another centre of this kind for the same division, or for the same organisation (each must be unique). */
  async centreClash(tx: Tx, c: { id: string | null; kind: string; divisionCode: string; organisationId: string }): Promise<'division' | 'organisation' | null> {
    const r = await sql<{ division_code: string; organisation_id: string }>`SELECT division_code, organisation_id FROM appeals.centre
      WHERE kind = ${c.kind} AND (division_code = ${c.divisionCode} OR organisation_id = ${c.organisationId}) AND (${c.id}::uuid IS NULL OR id <> ${c.id}::uuid)`.execute(tx);
    if (r.rows.some((x) => x.organisation_id === c.organisationId)) return 'organisation';
    if (r.rows.some((x) => x.division_code === c.divisionCode)) return 'division';
    return null;
  }

  async insertCentre(tx: Tx, c: Omit<AdminCentre, 'id' | 'version'>): Promise<string> {
    const r = await sql<{ id: string }>`INSERT INTO appeals.centre (organisation_id, kind, division_code, organisation_name, name, hotline, duty_mobile, duty_email)
      VALUES (${c.organisationId}, ${c.kind}, ${c.divisionCode}, ${c.organisationName}, ${c.name}, ${c.hotline}, ${c.dutyMobile}, ${c.dutyEmail}) RETURNING id::text AS id`.execute(tx);
    return r.rows[0]!.id;
  }

  async updateCentre(tx: Tx, c: AdminCentre): Promise<boolean> {
    const r = await sql`UPDATE appeals.centre SET organisation_id = ${c.organisationId}, kind = ${c.kind}, division_code = ${c.divisionCode}, organisation_name = ${c.organisationName},
      name = ${c.name}, hotline = ${c.hotline}, duty_mobile = ${c.dutyMobile}, duty_email = ${c.dutyEmail}, version = version + 1
      WHERE id = ${c.id}::uuid AND version = ${c.version} RETURNING id`.execute(tx);
    return r.rows.length === 1;
  }
}
