/**
 * Group commit: requests that arrive while a batch is being written wait and go together into
 * the next batch — one transaction and a handful of multi-row statements for many requests
 * instead of a dozen round trips and a commit each. An idle system writes a lone request at
 * once (no timer, no added latency); a busy one batches by itself, up to `maxBatch`.
 *
 * `flush` answers every request of its batch, one outcome each, in order. When it throws, every
 * request of the batch fails with that error (the caller's flush usually catches and retries
 * the requests one by one instead, so one bad request cannot fail its neighbours).
 */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

/** A promise's outcome as a value. */
export async function settle<O>(p: Promise<O>): Promise<Outcome<O>> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

export interface GroupCommitOptions {
  /** Most requests in one batch (default 64). */
  maxBatch?: number;
  /** Batches written at the same time (default 2: one fills while another commits). */
  maxConcurrent?: number;
  /**
   * Batches in their first stage at the same time (default: maxConcurrent, i.e. no stages). A
   * batch leaves its first stage when its flush calls `ready()` (e.g. its reads and checks are
   * done and only its write is left); with 1, the next batch starts then, and not before. So each
   * batch takes the requests that arrived during the previous one's first stage, and its first
   * stage overlaps the previous one's write — a two-stage pipeline whose batches keep their size,
   * where free slots alone start a batch of one as soon as any slot frees.
   */
  maxStarting?: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  readonly #flush: (items: I[], ready: () => void) => Promise<Outcome<O>[]>;
  readonly #maxBatch: number;
  readonly #maxConcurrent: number;
  readonly #maxStarting: number;
  #queue: Waiting<I, O>[] = [];
  #running = 0;
  #starting = 0;
  /** Batches written so far and the requests in them (for tests and the bench). */
  readonly stats = { batches: 0, requests: 0, largest: 0 };

  constructor(flush: (items: I[], ready: () => void) => Promise<Outcome<O>[]>, opts: GroupCommitOptions = {}) {
    this.#flush = flush;
    this.#maxBatch = opts.maxBatch ?? 64;
    this.#maxConcurrent = opts.maxConcurrent ?? 2;
    this.#maxStarting = opts.maxStarting ?? this.#maxConcurrent;
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1) throw new Error(`maxBatch must be a positive integer, got ${this.#maxBatch}`);
    if (!Number.isInteger(this.#maxConcurrent) || this.#maxConcurrent < 1) throw new Error(`maxConcurrent must be a positive integer, got ${this.#maxConcurrent}`);
    if (!Number.isInteger(this.#maxStarting) || this.#maxStarting < 1) throw new Error(`maxStarting must be a positive integer, got ${this.#maxStarting}`);
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#running < this.#maxConcurrent && this.#starting < this.#maxStarting && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#running += 1;
      this.#starting += 1;
      this.stats.batches += 1;
      this.stats.requests += batch.length;
      this.stats.largest = Math.max(this.stats.largest, batch.length);
      let started = true;
      const ready = () => {
        if (!started) return;
        started = false;
        this.#starting -= 1;
        this.#pump();
      };
      void this.#write(batch, ready).finally(() => {
        this.#running -= 1;
        ready();
        this.#pump();
      });
    }
  }

  async #write(batch: Waiting<I, O>[], ready: () => void): Promise<void> {
    let outcomes: Outcome<O>[];
    try {
      outcomes = await this.#flush(
        batch.map((w) => w.item),
        ready,
      );
      if (outcomes.length !== batch.length) throw new Error(`group commit: flush answered ${outcomes.length} of ${batch.length} requests`);
    } catch (error) {
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if (o.ok) w.resolve(o.value);
      else w.reject(o.error);
    });
  }
}
