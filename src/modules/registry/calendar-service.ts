import type { RequestContext } from '../../platform/auth/actor.ts';
import type { PermissionRegistry } from '../../platform/auth/permissions.ts';
import {
  type ArrangementStatus,
  type CalendarEntry,
  type CivilDay,
  civilDayAt,
  formatCivilDate,
  nationalCalendarEntries,
  nationalLoadedYears,
  parseCivilDate,
  WorkCalendar,
} from '../../platform/calendar/index.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { Result } from '../../platform/errors.ts';
import type { Transactor } from '../../platform/unit-of-work.ts';
import type { CalendarEntryRow, CalendarRepository, CalendarYearRow } from './calendar.repository.ts';
import { addCalendarEntry, type CalendarCommandDeps } from './commands/add-calendar-entry.ts';
import { markCalendarYearLoaded } from './commands/mark-calendar-year-loaded.ts';
import { calendarChain, NATIONAL, parseCalendarJurisdiction } from './jurisdiction-chain.ts';

export interface DueDate {
  /** `national` or the 6-digit code whose calendar was used. */
  jurisdictionCode: string;
  from: string;
  n: number;
  dueOn: string;
  /** A day the count crossed lies in a year whose arrangement is not loaded (DOMAIN.md §1.1.2). */
  provisional: boolean;
}

/** Per-jurisdiction working-day calendars (DOMAIN.md §1.1.2). */
export interface CalendarService {
  /**
   * The WorkCalendar of a jurisdiction: the national arrangements (chinese-days plus loaded
   * notices) with the overrides of its province, prefecture and county, in that order. A
   * township or village code gets its county's calendar. Pass `tx` when calling inside a
   * transaction (the embedded database has one connection). Throws RangeError for a bad code.
   */
  calendarFor(jurisdictionCode: string, tx?: Db | Tx): Promise<WorkCalendar>;
  /** Admin check: are this year's and next year's arrangements loaded for the jurisdiction? */
  arrangementStatus(jurisdictionCode: string, today?: CivilDay): Promise<ArrangementStatus>;
  /** The n-th working day after `from` (the start day is not counted, 《民法典》 Art. 201). */
  dueDate(jurisdictionCode: string, from: string, n: number): Promise<DueDate>;
  listEntries(jurisdictionCode: string, opts: { limit: number; offset: number }): Promise<{ rows: CalendarEntryRow[]; total: number }>;
  listYears(jurisdictionCode: string): Promise<CalendarYearRow[]>;
  addEntry(ctx: RequestContext, input: Record<string, unknown>): Promise<Result<CalendarEntryRow, 'forbidden' | 'invalid' | 'duplicate'>>;
  markYearLoaded(ctx: RequestContext, input: Record<string, unknown>): Promise<Result<CalendarYearRow, 'forbidden' | 'invalid' | 'duplicate'>>;
  /** Drops the cache; the next look-up reads the overrides again. */
  invalidate(): void;
}

interface Snapshot {
  entries: ReadonlyMap<string, readonly CalendarEntry[]>;
  years: ReadonlyMap<string, ReadonlySet<number>>;
}

/** Other processes' changes are picked up after this long (changes in this process: at once). */
const SNAPSHOT_TTL_MS = 5 * 60_000;

export function todayInShanghai(): CivilDay {
  return civilDayAt(new Date());
}

/**
 * The calendars are built from a snapshot of all overrides (a few hundred rows) and cached per
 * distinct chain of jurisdictions that have overrides, so the cache holds at most one calendar
 * per such chain however many codes are asked for (the due-date API is public).
 */
export class CalendarServiceImpl implements CalendarService {
  #snapshot: { data: Promise<Snapshot>; at: number } | undefined;
  readonly #calendars = new Map<string, WorkCalendar>();
  #generation = 0;
  readonly #deps: CalendarCommandDeps;

  constructor(
    private readonly repository: CalendarRepository,
    private readonly transactor: Transactor,
    permissions: PermissionRegistry,
  ) {
    this.#deps = { calendars: repository, permissions, calendarFor: (code, tx) => this.calendarFor(code, tx) };
  }

  invalidate(): void {
    this.#snapshot = undefined;
    this.#calendars.clear();
    this.#generation++;
  }

  async calendarFor(jurisdictionCode: string, tx?: Db | Tx): Promise<WorkCalendar> {
    const parsed = parseCalendarJurisdiction(jurisdictionCode);
    if (!parsed.ok) throw new RangeError(`not a calendar jurisdiction: ${jurisdictionCode} (${parsed.message})`);
    if (this.#snapshot && Date.now() - this.#snapshot.at > SNAPSHOT_TTL_MS) this.invalidate();
    const generation = this.#generation;
    const snapshot = await this.#load(tx);
    const chain = calendarChain(parsed.code).filter((c) => snapshot.entries.has(c) || snapshot.years.has(c));
    const key = chain.join('>');
    let calendar = this.#calendars.get(key);
    if (!calendar) {
      calendar = buildCalendar(chain, snapshot);
      // A change committed while we were reading must not leave a stale calendar in the cache.
      if (generation === this.#generation) this.#calendars.set(key, calendar);
    }
    return calendar;
  }

  async arrangementStatus(jurisdictionCode: string, today: CivilDay = todayInShanghai()): Promise<ArrangementStatus> {
    return (await this.calendarFor(jurisdictionCode)).arrangementStatus(today);
  }

  async dueDate(jurisdictionCode: string, from: string, n: number): Promise<DueDate> {
    const parsed = parseCalendarJurisdiction(jurisdictionCode);
    if (!parsed.ok) throw new RangeError(parsed.message);
    const calendar = await this.calendarFor(parsed.code);
    const result = calendar.addWorkingDays(parseCivilDate(from), n);
    return { jurisdictionCode: parsed.code, from, n, dueOn: formatCivilDate(result.date), provisional: result.provisional };
  }

  listEntries(jurisdictionCode: string, opts: { limit: number; offset: number }) {
    return this.repository.listEntries(jurisdictionCode, opts);
  }

  listYears(jurisdictionCode: string) {
    return this.repository.listYears(jurisdictionCode);
  }

  async addEntry(ctx: RequestContext, input: Record<string, unknown>) {
    try {
      return await this.transactor.run(ctx, (uow) => addCalendarEntry(this.#deps, uow, input));
    } finally {
      this.invalidate(); // after commit (or rollback): readers rebuild from committed data
    }
  }

  async markYearLoaded(ctx: RequestContext, input: Record<string, unknown>) {
    try {
      return await this.transactor.run(ctx, (uow) => markCalendarYearLoaded(this.#deps, uow, input));
    } finally {
      this.invalidate();
    }
  }

  #load(tx?: Db | Tx): Promise<Snapshot> {
    if (!this.#snapshot) {
      const data = this.repository.loadAll(tx).then(toSnapshot);
      const entry = { data, at: Date.now() };
      this.#snapshot = entry;
      data.catch(() => {
        if (this.#snapshot === entry) this.#snapshot = undefined;
      });
    }
    return this.#snapshot.data;
  }
}

function toSnapshot(rows: { entries: CalendarEntryRow[]; years: CalendarYearRow[] }): Snapshot {
  const entries = new Map<string, CalendarEntry[]>();
  for (const e of rows.entries) {
    const list = entries.get(e.jurisdictionCode) ?? [];
    list.push({ date: e.date, kind: e.kind, name: e.name, source: e.source });
    entries.set(e.jurisdictionCode, list);
  }
  const years = new Map<string, Set<number>>();
  for (const y of rows.years) {
    const set = years.get(y.jurisdictionCode) ?? new Set<number>();
    set.add(y.year);
    years.set(y.jurisdictionCode, set);
  }
  return { entries, years };
}

/**
 * National data first, then each level's overrides replacing entries on the same dates.
 * Loaded years: those of the national arrangement (chinese-days plus notices loaded here). A
 * jurisdiction that records yearly arrangements of its own (calendar_year rows, e.g. a region
 * whose local festival dates move every year) is, from its first recorded year on, loaded only
 * for the years it has recorded. A local record never makes a year final without the national one.
 */
function buildCalendar(chain: readonly string[], snapshot: Snapshot): WorkCalendar {
  const byDate = new Map<string, CalendarEntry>();
  for (const e of nationalCalendarEntries()) byDate.set(e.date, e);
  for (const code of chain) for (const e of snapshot.entries.get(code) ?? []) byDate.set(e.date, e);

  let loaded = new Set([...nationalLoadedYears(), ...(snapshot.years.get(NATIONAL) ?? [])]);
  for (const code of chain) {
    const own = snapshot.years.get(code);
    if (code === NATIONAL || !own) continue;
    const first = Math.min(...own);
    loaded = new Set([...loaded].filter((y) => y < first || own.has(y)));
  }
  return new WorkCalendar({ entries: [...byDate.values()], loadedYears: loaded });
}
