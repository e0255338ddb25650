import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import type { IndexedDocument, SearchRequest, SearchResponse, SearchService } from './contract.ts';
import { SearchDocumentStore, type StoredDocument } from './document-store.ts';
import { SearchIndex, type IndexStats } from './search-index.ts';

const LOAD_PAGE = 5000;
/** How long a query waits for the boot load before answering from the part already loaded. */
const LOAD_WAIT_MS = 3000;
const POLL_MS = 500;
/** A seq skipped while tailing is re-read this long (a transaction that took it may still commit). */
const GAP_TTL_MS = 60_000;
const MAX_GAPS = 10_000;
/** At boot, rows changed this recently are read again after the load. */
const RECENT_WINDOW_MS = 120_000;

export interface SearchServiceStatus {
  /** The boot load from search.document has finished. */
  loaded: boolean;
  highSeq: number;
  stats: IndexStats;
}

/**
 * The platform's search service: writes go to search.document in the caller's transaction;
 * the in-memory index loads the table at boot (in the background) and then tails it by
 * change sequence — woken right after our own commits (UnitOfWork.afterCommit) and polled
 * every 500 ms for other processes' writes.
 */
export class IndexedSearchService implements SearchService {
  readonly store: SearchDocumentStore;
  private index = new SearchIndex();
  private highSeq = 0;
  private readonly gaps = new Map<number, number>();
  private loaded = false;
  private loading: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    db: Db,
    private readonly logger?: Logger,
  ) {
    this.store = new SearchDocumentStore(db);
  }

  async put(uow: UnitOfWork, doc: IndexedDocument): Promise<void> {
    validateDocument(doc);
    await this.store.upsert(uow.tx, doc);
    uow.afterCommit(() => this.poke());
  }

  async remove(uow: UnitOfWork, key: string): Promise<void> {
    await this.store.markDeleted(uow.tx, key);
    uow.afterCommit(() => this.poke());
  }

  async query(request: SearchRequest): Promise<SearchResponse> {
    const started = performance.now();
    // a large index loads for a while after a start: wait a little, then answer from what is loaded
    if (!this.loaded) await Promise.race([this.ensureLoaded(), new Promise((r) => setTimeout(r, LOAD_WAIT_MS).unref())]);
    // read-your-writes in this process: a commit poked us, catch up before answering
    // (a catch-up already running was started after that commit: waiting for it is enough)
    if (this.loaded && (this.dirty || this.syncing)) await this.sync();
    const { parsed, ...res } = this.index.search(request.text, {
      ...(request.filters ? { filters: request.filters } : {}),
      ...(request.sort ? { sort: request.sort } : {}),
      ...(request.offset !== undefined ? { offset: request.offset } : {}),
      ...(request.limit !== undefined ? { limit: request.limit } : {}),
    });
    const notice = parsed.tokens.length === 0 ? 'empty' : !this.loaded ? 'loading' : parsed.truncated ? 'truncated' : null;
    return { ...res, notice, tookMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /** Starts the background load and the tail poll. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.ensureLoaded().catch((err: unknown) => this.logger?.error({ err }, 'search index load failed'));
    const tick = () => {
      if (this.stopped) return;
      this.sync()
        .catch((err: unknown) => this.logger?.warn({ err }, 'search index catch-up failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, POLL_MS).unref();
        });
    };
    this.timer = setTimeout(tick, POLL_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.loading?.catch(() => undefined);
    await this.syncing?.catch(() => undefined);
  }

  /** Wakes the tailer (called after our own commits). */
  poke(): void {
    this.dirty = true;
    if (!this.stopped) void this.sync().catch((err: unknown) => this.logger?.warn({ err }, 'search index catch-up failed'));
  }

  status(): SearchServiceStatus {
    return { loaded: this.loaded, highSeq: this.highSeq, stats: this.index.stats() };
  }

  /** Throws the index away and loads it again from search.document (returns the document count). */
  async rebuild(): Promise<number> {
    await this.syncing?.catch(() => undefined);
    await this.loading?.catch(() => undefined);
    this.index = new SearchIndex();
    this.highSeq = 0;
    this.gaps.clear();
    this.loaded = false;
    this.loading = null;
    await this.ensureLoaded();
    return this.index.size;
  }

  /** For tests and benchmarks: the index itself. */
  get searchIndex(): SearchIndex {
    return this.index;
  }

  /** Applies every committed change up to now. */
  async sync(): Promise<void> {
    if (!this.loaded) return this.ensureLoaded();
    while (this.syncing) {
      // one catch-up at a time; a poke during it needs another pass for its rows
      await this.syncing.catch(() => undefined);
      if (!this.dirty) return;
    }
    this.dirty = false;
    this.syncing = this.catchUp().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private ensureLoaded(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    if (!this.loading) {
      this.loading = this.load().catch((err: unknown) => {
        this.loading = null;
        throw err;
      });
    }
    return this.loading;
  }

  private async load(): Promise<void> {
    const startedAt = Date.now();
    const index = this.index;
    const startSeq = await this.store.maxSeq();
    let after = 0;
    for (;;) {
      const page = await this.store.loadPage(after, LOAD_PAGE);
      for (const doc of page) this.apply(doc);
      if (page.length < LOAD_PAGE) break;
      after = (page[page.length - 1] as StoredDocument).seq;
      // let requests run between pages
      await new Promise((r) => setImmediate(r));
    }
    // Rows a transaction wrote before the load began but committed after its page was read:
    // re-read what changed recently (then tailing goes on from startSeq, with gap tracking).
    for (const doc of await this.store.changedSince(new Date(startedAt - RECENT_WINDOW_MS))) this.apply(doc);
    this.highSeq = startSeq;
    this.loaded = true;
    this.dirty = true;
    this.logger?.info({ documents: index.size, ms: Date.now() - startedAt }, 'search index loaded');
  }

  private async catchUp(): Promise<void> {
    const now = Date.now();
    for (const [seq, at] of this.gaps) if (now - at > GAP_TTL_MS) this.gaps.delete(seq);
    for (;;) {
      const rows = await this.store.changesSince(this.highSeq, [...this.gaps.keys()], LOAD_PAGE);
      let expect = this.highSeq + 1;
      for (const row of rows) {
        if (this.gaps.delete(row.seq)) {
          this.apply(row);
          continue;
        }
        for (let s = expect; s < row.seq && this.gaps.size < MAX_GAPS; s++) this.gaps.set(s, now);
        expect = row.seq + 1;
        if (row.seq > this.highSeq) this.highSeq = row.seq;
        this.apply(row);
      }
      if (rows.length < LOAD_PAGE) break;
    }
  }

  private apply(row: StoredDocument): void {
    const current = this.index.seqOf(row.key);
    if (current >= row.seq && current !== 0) return;
    if (row.deleted) this.index.remove(row.key);
    else this.index.put(row, row.seq);
  }
}

function validateDocument(doc: IndexedDocument): void {
  const problems: string[] = [];
  if (!doc.key || !doc.key.includes(':')) problems.push('key must be `${kind}:${id}`');
  if (!doc.kind) problems.push('kind is required');
  if (typeof doc.title !== 'string' || doc.title.trim() === '') problems.push('title is required');
  if (typeof doc.body !== 'string') problems.push('body must be a string');
  if (!doc.url || !doc.url.startsWith('/')) problems.push('url must be a site path starting with /');
  if (!doc.divisionCode) problems.push('divisionCode is required');
  if (problems.length > 0) throw new Error(`search document ${doc.key}: ${problems.join('; ')}`);
}
