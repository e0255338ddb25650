import { sql, type Generated, type Kysely } from 'kysely';
import type { Db, Tx } from '../../platform/db/database.ts';
import { ancestorCandidates, divisionPrefix, escapeLike, isDivisionCode } from './division-codes.ts';
import type { DivisionRow } from './division-source.ts';
import type { Division, DivisionLevel, DivisionMatch, DivisionSubtreeCounts } from './types.ts';

interface DivisionTable {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  prefix: string;
  valid_from: string | null;
  valid_to: string | null;
  source: string;
  updated_at: Generated<Date>;
}

interface DivisionTables {
  'jurisdictions.division': DivisionTable;
}

type DivisionSelect = Pick<DivisionTable, 'code' | 'name' | 'level' | 'parent_code' | 'prefix' | 'valid_from' | 'valid_to'>;

const COLUMNS = ['code', 'name', 'level', 'parent_code', 'prefix', 'valid_from', 'valid_to'] as const;

function toDivision(r: DivisionSelect): Division {
  return {
    code: r.code,
    name: r.name,
    level: r.level as DivisionLevel,
    parentCode: r.parent_code,
    prefix: r.prefix,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

export interface UpsertOutcome {
  inserted: number;
  updated: number;
}

/** SQL of the division tree (GB/T 2260 + NBS codes). Reads use the pool; writes take the import's transaction. */
export class DivisionRepository {
  constructor(private readonly db: Db) {}

  private q(tx?: Tx): Kysely<DivisionTables> {
    return (tx ?? this.db) as Kysely<DivisionTables>;
  }

  async get(code: string, tx?: Tx): Promise<Division | null> {
    if (!isDivisionCode(code)) return null;
    const r = await this.q(tx).selectFrom('jurisdictions.division').select(COLUMNS).where('code', '=', code).executeTakeFirst();
    return r ? toDivision(r) : null;
  }

  /** Root first, the division itself last; follows parent_code (a recursive walk of at most 5 steps). */
  async ancestors(code: string): Promise<Division[]> {
    if (!isDivisionCode(code)) return [];
    const r = await sql<DivisionSelect & { depth: number }>`
      WITH RECURSIVE up AS (
        SELECT code, name, level, parent_code, prefix, valid_from, valid_to, 0 AS depth
          FROM jurisdictions.division WHERE code = ${code}
        UNION ALL
        SELECT d.code, d.name, d.level, d.parent_code, d.prefix, d.valid_from, d.valid_to, up.depth + 1
          FROM jurisdictions.division d JOIN up ON d.code = up.parent_code
         WHERE up.depth < 6
      )
      SELECT code, name, level, parent_code, prefix, valid_from, valid_to, depth FROM up ORDER BY depth DESC`.execute(this.db);
    return r.rows.map(toDivision);
  }

  /** Current children, in code order. */
  async children(code: string): Promise<Division[]> {
    if (!isDivisionCode(code)) return [];
    const rows = await this.q()
      .selectFrom('jurisdictions.division')
      .select(COLUMNS)
      .where('parent_code', '=', code)
      .where('valid_to', 'is', null)
      .orderBy('code')
      .execute();
    return rows.map(toDivision);
  }

  async roots(): Promise<Division[]> {
    const rows = await this.q()
      .selectFrom('jurisdictions.division')
      .select(COLUMNS)
      .where('level', '=', 1)
      .where('valid_to', 'is', null)
      .orderBy('code')
      .execute();
    return rows.map(toDivision);
  }

  /** Current divisions below `code`, by level: one index range scan on prefix LIKE 'p%'. */
  async subtreeCounts(code: string): Promise<DivisionSubtreeCounts> {
    if (!isDivisionCode(code)) return { total: 0, byLevel: {} };
    const rows = await this.q()
      .selectFrom('jurisdictions.division')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .where('prefix', 'like', `${divisionPrefix(code)}%`)
      .where('code', '<>', code)
      .where('valid_to', 'is', null)
      .groupBy('level')
      .execute();
    const byLevel: Partial<Record<DivisionLevel, number>> = {};
    let total = 0;
    for (const r of rows) {
      byLevel[r.level as DivisionLevel] = Number(r.n);
      total += Number(r.n);
    }
    return { total, byLevel };
  }

  /** Current divisions whose name contains `query`, shallow levels first, with their ancestors' names. */
  async search(query: string, limit: number): Promise<DivisionMatch[]> {
    const text = query.trim();
    if (text === '') return [];
    const rows = await this.q()
      .selectFrom('jurisdictions.division')
      .select(COLUMNS)
      .where(sql<boolean>`name LIKE ${`%${escapeLike(text)}%`}`)
      .where('valid_to', 'is', null)
      .orderBy('level')
      .orderBy('code')
      .limit(limit)
      .execute();
    const hits = rows.map(toDivision);
    const wanted = [...new Set(hits.flatMap((d) => ancestorCandidates(d.code)))];
    const known = new Map<string, { name: string; parentCode: string | null }>();
    if (wanted.length > 0) {
      const parents = await this.q()
        .selectFrom('jurisdictions.division')
        .select(['code', 'name', 'parent_code'])
        .where('code', 'in', wanted)
        .execute();
      for (const p of parents) known.set(p.code, { name: p.name, parentCode: p.parent_code });
    }
    return hits.map((d) => {
      const path: string[] = [];
      let parent = d.parentCode;
      while (parent !== null) {
        const p = known.get(parent);
        if (!p) break;
        path.unshift(p.name);
        parent = p.parentCode;
      }
      return { ...d, path };
    });
  }

  async namesOf(codes: string[]): Promise<Map<string, string>> {
    const valid = [...new Set(codes.filter(isDivisionCode))];
    if (valid.length === 0) return new Map();
    const rows = await this.q().selectFrom('jurisdictions.division').select(['code', 'name']).where('code', 'in', valid).execute();
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /**
   * Inserts new codes and updates changed ones in one statement per batch. Unchanged rows
   * are not touched (the WHERE of DO UPDATE), so a re-import writes nothing; a closed code
   * that reappears is reopened. `xmax = 0` tells an inserted row from an updated one.
   */
  async upsertBatch(tx: Tx, rows: DivisionRow[], opts: { validFrom: (row: DivisionRow) => string | null; source: string }): Promise<UpsertOutcome> {
    if (rows.length === 0) return { inserted: 0, updated: 0 };
    const result = await this.q(tx)
      .insertInto('jurisdictions.division')
      .values(
        rows.map((r) => ({
          code: r.code,
          name: r.name,
          level: r.level,
          parent_code: r.parentCode,
          prefix: r.prefix,
          valid_from: opts.validFrom(r),
          valid_to: null,
          source: opts.source,
        })),
      )
      .onConflict((oc) =>
        oc
          .column('code')
          .doUpdateSet({
            name: sql`excluded.name`,
            level: sql`excluded.level`,
            parent_code: sql`excluded.parent_code`,
            prefix: sql`excluded.prefix`,
            source: sql`excluded.source`,
            valid_from: sql`CASE WHEN division.valid_to IS NULL THEN division.valid_from ELSE excluded.valid_from END`,
            valid_to: null,
            updated_at: sql`now()`,
          })
          .where(
            sql<boolean>`(division.name, division.level, division.parent_code, division.prefix) IS DISTINCT FROM (excluded.name, excluded.level, excluded.parent_code, excluded.prefix) OR division.valid_to IS NOT NULL`,
          ),
      )
      .returning(sql<boolean>`(xmax = 0)`.as('inserted'))
      .execute();
    const inserted = result.filter((r) => r.inserted).length;
    return { inserted, updated: result.length - inserted };
  }

  /** Levels of which the province already has rows (current or closed). */
  async levelsPresent(tx: Tx, provincePrefix: string): Promise<Set<DivisionLevel>> {
    const rows = await this.q(tx)
      .selectFrom('jurisdictions.division')
      .select('level')
      .distinct()
      .where('prefix', 'like', `${provincePrefix}%`)
      .execute();
    return new Set(rows.map((r) => r.level as DivisionLevel));
  }

  /**
   * Closes (valid_to = onDate) the current codes of a province at the given levels that the
   * new edition no longer lists. Nothing is deleted: organisations and old records keep their code.
   */
  async closeMissing(tx: Tx, opts: { provincePrefix: string; levels: DivisionLevel[]; keep: string[]; onDate: string }): Promise<number> {
    const r = await sql`
      UPDATE jurisdictions.division SET valid_to = ${opts.onDate}::date, updated_at = now()
       WHERE prefix LIKE ${`${opts.provincePrefix}%`}
         AND level = ANY(${opts.levels}::smallint[])
         AND valid_to IS NULL
         AND NOT (code = ANY(${opts.keep}::text[]))
         AND (valid_from IS NULL OR valid_from < ${opts.onDate}::date)`.execute(tx);
    return Number(r.numAffectedRows ?? 0);
  }

  /** Fresh planner statistics after a bulk import, so prefix scans are planned with real row counts. */
  async analyze(tx: Tx): Promise<void> {
    await sql`ANALYZE jurisdictions.division`.execute(tx);
  }
}
