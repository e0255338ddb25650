import type { ItemForApplication } from './types.ts';

/** How long an answer may be served from memory: the staleness bound for catalog writes made by OTHER processes. */
export const ITEM_CACHE_TTL_MS = 2000;
/** When full, the cache is emptied (simple and bounded; the published catalog is a few thousand items). */
export const ITEM_CACHE_MAX_ENTRIES = 5000;

interface Entry {
  value: Readonly<ItemForApplication> | null;
  expiresAt: number;
}

/**
 * A small in-process cache of `itemForApplication` answers (the published version in force, or
 * null for unknown / unpublished / suspended / cancelled items), keyed by implementation item id.
 *
 * - Entries live at most `ttlMs`, counted from the moment the database read STARTED.
 * - `invalidate()` empties it; the catalog calls it on every item/version write (repository) and
 *   again after the commit of every catalog command (UnitOfWork.afterCommit), so this process
 *   never serves an answer older than its own last committed catalog change.
 * - A read that was in flight when an invalidation happened is returned to its caller but not
 *   stored (generation check), so a pre-commit read cannot re-fill the cache with the old answer.
 * - Concurrent misses for one id share one database read.
 * - Values are deeply frozen: callers share them and must not mutate them.
 */
export class ItemForApplicationCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Readonly<ItemForApplication> | null>>();
  private generation = 0;

  constructor(
    readonly ttlMs = ITEM_CACHE_TTL_MS,
    readonly maxEntries = ITEM_CACHE_MAX_ENTRIES,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async read(id: string, load: () => Promise<ItemForApplication | null>): Promise<Readonly<ItemForApplication> | null> {
    const startedAt = this.now();
    const hit = this.entries.get(id);
    if (hit) {
      if (hit.expiresAt > startedAt) return hit.value;
      this.entries.delete(id);
    }
    const pending = this.inFlight.get(id);
    if (pending) return pending;
    const generation = this.generation;
    const p = load().then((value) => {
      const frozen = value ? deepFreeze(value) : null;
      if (generation === this.generation) {
        if (this.entries.size >= this.maxEntries) this.entries.clear();
        this.entries.set(id, { value: frozen, expiresAt: startedAt + this.ttlMs });
      }
      return frozen;
    });
    this.inFlight.set(id, p);
    const forget = () => {
      if (this.inFlight.get(id) === p) this.inFlight.delete(id);
    };
    p.then(forget, forget);
    return p;
  }

  /** Forget everything (any item or version may have changed). */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
    this.inFlight.clear();
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

const byDatabase = new WeakMap<object, ItemForApplicationCache>();

/**
 * The one cache per database handle in this process, shared by every CatalogRepository and
 * CatalogService over that handle (the module's own, the routes', a test's), so a write through
 * any of them invalidates what all of them serve.
 */
export function itemCacheFor(db: object): ItemForApplicationCache {
  let cache = byDatabase.get(db);
  if (!cache) {
    cache = new ItemForApplicationCache();
    byDatabase.set(db, cache);
  }
  return cache;
}
