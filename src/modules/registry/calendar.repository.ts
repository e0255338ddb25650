import type { Generated, Kysely, Selectable } from 'kysely';
import type { CalendarEntryKind } from '../../platform/calendar/index.ts';
import type { Db, Tx } from '../../platform/db/database.ts';

interface CalendarEntryTable {
  id: Generated<string>;
  jurisdiction_code: string;
  /** `date` column: 'YYYY-MM-DD' (the pg DATE parser keeps civil dates as strings). */
  date: string;
  kind: CalendarEntryKind;
  name: string;
  source: string;
  created_by: string;
  created_at: Generated<Date>;
}

interface CalendarYearTable {
  jurisdiction_code: string;
  year: number;
  source: string;
  loaded_by: string;
  loaded_at: Generated<Date>;
}

interface CalendarTables {
  'registry.calendar_entry': CalendarEntryTable;
  'registry.calendar_year': CalendarYearTable;
}

export interface CalendarEntryRow {
  id: string;
  /** `national` or a 6-digit division code. */
  jurisdictionCode: string;
  date: string;
  kind: CalendarEntryKind;
  name: string;
  source: string;
  createdBy: string;
  createdAt: Date;
}

export interface CalendarYearRow {
  jurisdictionCode: string;
  year: number;
  source: string;
  loadedBy: string;
  loadedAt: Date;
}

function toEntry(r: Selectable<CalendarEntryTable>): CalendarEntryRow {
  return {
    id: r.id,
    jurisdictionCode: r.jurisdiction_code,
    date: r.date,
    kind: r.kind,
    name: r.name,
    source: r.source,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function toYear(r: Selectable<CalendarYearTable>): CalendarYearRow {
  return { jurisdictionCode: r.jurisdiction_code, year: r.year, source: r.source, loadedBy: r.loaded_by, loadedAt: r.loaded_at };
}

export class CalendarRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Db | Tx): Kysely<CalendarTables> {
    return (tx ?? this.db) as Kysely<CalendarTables>;
  }

  /** Every override and loaded year: a few hundred rows, read once into the calendar cache. */
  async loadAll(tx?: Db | Tx): Promise<{ entries: CalendarEntryRow[]; years: CalendarYearRow[] }> {
    const [entries, years] = await Promise.all([
      this.q(tx).selectFrom('registry.calendar_entry').selectAll().orderBy('date').orderBy('jurisdiction_code').execute(),
      this.q(tx).selectFrom('registry.calendar_year').selectAll().orderBy('year').orderBy('jurisdiction_code').execute(),
    ]);
    return { entries: entries.map(toEntry), years: years.map(toYear) };
  }

  async listEntries(jurisdictionCode: string, opts: { limit: number; offset: number }): Promise<{ rows: CalendarEntryRow[]; total: number }> {
    const q = this.q().selectFrom('registry.calendar_entry').where('jurisdiction_code', '=', jurisdictionCode);
    const [rows, count] = await Promise.all([
      q.selectAll().orderBy('date', 'desc').limit(opts.limit).offset(opts.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows.map(toEntry), total: Number(count.n) };
  }

  async listYears(jurisdictionCode: string): Promise<CalendarYearRow[]> {
    const rows = await this.q().selectFrom('registry.calendar_year').selectAll().where('jurisdiction_code', '=', jurisdictionCode).orderBy('year', 'desc').execute();
    return rows.map(toYear);
  }

  async getEntryOn(tx: Tx, jurisdictionCode: string, date: string): Promise<CalendarEntryRow | null> {
    const r = await this.q(tx)
      .selectFrom('registry.calendar_entry')
      .selectAll()
      .where('jurisdiction_code', '=', jurisdictionCode)
      .where('date', '=', date)
      .executeTakeFirst();
    return r ? toEntry(r) : null;
  }

  /** Null when the jurisdiction already has an entry on that date (also under a concurrent insert). */
  async insertEntry(
    tx: Tx,
    v: { jurisdictionCode: string; date: string; kind: CalendarEntryKind; name: string; source: string; createdBy: string },
  ): Promise<CalendarEntryRow | null> {
    const r = await this.q(tx)
      .insertInto('registry.calendar_entry')
      .values({ jurisdiction_code: v.jurisdictionCode, date: v.date, kind: v.kind, name: v.name, source: v.source, created_by: v.createdBy })
      .onConflict((oc) => oc.columns(['jurisdiction_code', 'date']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toEntry(r) : null;
  }

  async countEntriesInYear(tx: Tx, jurisdictionCode: string, year: number): Promise<number> {
    const r = await this.q(tx)
      .selectFrom('registry.calendar_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('jurisdiction_code', '=', jurisdictionCode)
      .where('date', '>=', `${year}-01-01`)
      .where('date', '<=', `${year}-12-31`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Null when the year is already recorded as loaded for the jurisdiction. */
  async insertYear(tx: Tx, v: { jurisdictionCode: string; year: number; source: string; loadedBy: string }): Promise<CalendarYearRow | null> {
    const r = await this.q(tx)
      .insertInto('registry.calendar_year')
      .values({ jurisdiction_code: v.jurisdictionCode, year: v.year, source: v.source, loaded_by: v.loadedBy })
      .onConflict((oc) => oc.columns(['jurisdiction_code', 'year']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return r ? toYear(r) : null;
  }
}
