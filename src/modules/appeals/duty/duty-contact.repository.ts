import { sql } from 'kysely';
import type { Db, Tx } from '../../../platform/db/database.ts';

/** A handling unit's duty contacts (值班手机 / 值班邮箱) for overdue notices. */
export interface DutyContact {
  organisationId: string;
  organisationName: string;
  dutyMobile: string;
  dutyEmail: string;
  /** 0 while nothing has been recorded for the unit. */
  version: number;
  updatedAt: Date | null;
}

interface Row {
  organisation_id: string;
  organisation_name: string;
  duty_mobile: string;
  duty_email: string;
  version: number;
  updated_at: Date | string;
}

const toContact = (r: Row): DutyContact => ({
  organisationId: r.organisation_id,
  organisationName: r.organisation_name,
  dutyMobile: r.duty_mobile,
  dutyEmail: r.duty_email,
  version: r.version,
  updatedAt: new Date(r.updated_at),
});

const SELECT = sql`SELECT organisation_id, organisation_name, duty_mobile, duty_email, version, updated_at FROM appeals.unit_duty_contact`;

export class DutyContactRepository {
  constructor(private readonly db: Db) {}

  async get(organisationId: string, tx?: Db | Tx): Promise<DutyContact | null> {
    const r = await sql<Row>`${SELECT} WHERE organisation_id = ${organisationId}`.execute(tx ?? this.db);
    return r.rows[0] ? toContact(r.rows[0]) : null;
  }

  /** The recorded contacts of these organisations, by organisation id. */
  async forOrganisations(ids: readonly string[], tx?: Db | Tx): Promise<Map<string, DutyContact>> {
    if (ids.length === 0) return new Map();
    const r = await sql<Row>`${SELECT} WHERE organisation_id IN (${sql.join([...ids])})`.execute(tx ?? this.db);
    return new Map(r.rows.map((x) => [x.organisation_id, toContact(x)]));
  }

  /**
   * Saves with the optimistic version: 0 records the unit's first contacts, otherwise the stored
   * version must match. Null when someone else saved first (a 409 for the caller).
   */
  async save(tx: Tx, c: { organisationId: string; organisationName: string; dutyMobile: string; dutyEmail: string; version: number; updatedBy: string | null }): Promise<DutyContact | null> {
    const r =
      c.version === 0
        ? await sql<Row>`
INSERT INTO appeals.unit_duty_contact (organisation_id, organisation_name, duty_mobile, duty_email, updated_by)
VALUES (${c.organisationId}, ${c.organisationName}, ${c.dutyMobile}, ${c.dutyEmail}, ${c.updatedBy})
ON CONFLICT (organisation_id) DO NOTHING
RETURNING organisation_id, organisation_name, duty_mobile, duty_email, version, updated_at`.execute(tx)
        : await sql<Row>`
UPDATE appeals.unit_duty_contact SET organisation_name = ${c.organisationName}, duty_mobile = ${c.dutyMobile}, duty_email = ${c.dutyEmail},
  updated_by = ${c.updatedBy}, updated_at = now(), version = version + 1
WHERE organisation_id = ${c.organisationId} AND version = ${c.version}
RETURNING organisation_id, organisation_name, duty_mobile, duty_email, version, updated_at`.execute(tx);
    return r.rows[0] ? toContact(r.rows[0]) : null;
  }
}
