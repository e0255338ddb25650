/**
 * Similar and duplicate tickets on intake: MinHash signatures of character bigrams with
 * locality-sensitive hashing (LSH, 8 bands × 2 rows), bucketed per county. A query looks only at
 * tickets sharing a band bucket in the same county, then estimates Jaccard similarity from the
 * signatures — O(candidates), not O(tickets), so a million past tickets stay within milliseconds.
 *
 * Memory: typed arrays only (≈ 130 bytes per ticket), no object per ticket.
 */

const HASHES = 16;
const BANDS = 8;
const ROWS = HASHES / BANDS;
/** Entries examined per band bucket on a query (the newest): bounds a query to BANDS × this. */
const MAX_PER_BAND = 48;

// Fixed odd multipliers / offsets for the HASHES hash functions (deterministic across processes).
const A = Uint32Array.from({ length: HASHES }, (_, i) => (Math.imul(0x9e3779b1, i + 1) | 1) >>> 0);
const B = Uint32Array.from({ length: HASHES }, (_, i) => Math.imul(0x85ebca6b, i + 7) >>> 0);

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Han characters, letters and digits only; case folded. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/[^\p{Script=Han}a-z0-9]/gu, '');
}

/** MinHash signature of the text's character bigrams (unigrams for one-character texts). */
export function signature(text: string, out = new Uint32Array(HASHES)): Uint32Array {
  const s = normalise(text);
  out.fill(0xffffffff);
  const n = s.length;
  if (n === 0) return out;
  const grams = n === 1 ? 1 : n - 1;
  for (let i = 0; i < grams; i++) {
    const g = n === 1 ? s.charCodeAt(0) : (s.charCodeAt(i) << 16) | s.charCodeAt(i + 1);
    const base = mix(g);
    for (let k = 0; k < HASHES; k++) {
      const h = mix((Math.imul(A[k]!, base) + B[k]!) >>> 0);
      if (h < out[k]!) out[k] = h;
    }
  }
  return out;
}

export function estimatedJaccard(a: Uint32Array, aOff: number, b: Uint32Array, bOff: number): number {
  let same = 0;
  for (let k = 0; k < HASHES; k++) if (a[aOff + k] === b[bOff + k]) same++;
  return same / HASHES;
}

export interface SimilarDoc {
  id: string;
  number: string;
  score: number;
  createdAt: number;
}

export interface IndexedTicket {
  id: string;
  number: string;
  /** Any division code; tickets are compared within the same county (first 6 digits). */
  divisionCode: string;
  createdAt: number;
  text: string;
}

export class SimilarityIndex {
  #ids: string[] = [];
  #numbers: string[] = [];
  #county: Int32Array;
  #created: Float64Array;
  #sig: Uint32Array;
  readonly #countyIds = new Map<string, number>();
  readonly #byId = new Map<string, number>();
  // LSH buckets: open hashing with chains stored in typed arrays.
  #head: Int32Array;
  #next: Int32Array;
  #entryDoc: Int32Array;
  #entries = 0;
  #mask: number;
  /** Visit stamps per ticket (a generation counter instead of a Set per query). */
  #seen: Uint32Array;
  #generation = 0;

  constructor(expected = 1024) {
    const cap = Math.max(16, expected);
    this.#county = new Int32Array(cap);
    this.#created = new Float64Array(cap);
    this.#sig = new Uint32Array(cap * HASHES);
    let buckets = 1;
    while (buckets < cap * BANDS) buckets <<= 1;
    this.#head = new Int32Array(buckets).fill(-1);
    this.#mask = buckets - 1;
    this.#next = new Int32Array(cap * BANDS);
    this.#entryDoc = new Int32Array(cap * BANDS);
    this.#seen = new Uint32Array(cap);
  }

  get size(): number {
    return this.#ids.length;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  #countyOf(code: string): number {
    const county = code.slice(0, 6);
    let c = this.#countyIds.get(county);
    if (c === undefined) {
      c = this.#countyIds.size;
      this.#countyIds.set(county, c);
    }
    return c;
  }

  #bandKey(sig: Uint32Array, off: number, band: number, county: number): number {
    let h = mix((band * 0x27d4eb2d) ^ county);
    for (let r = 0; r < ROWS; r++) h = mix(h ^ sig[off + band * ROWS + r]!);
    return h & this.#mask;
  }

  #grow(): void {
    const cap = this.#county.length * 2;
    const county = new Int32Array(cap);
    county.set(this.#county);
    this.#county = county;
    const created = new Float64Array(cap);
    created.set(this.#created);
    this.#created = created;
    const sig = new Uint32Array(cap * HASHES);
    sig.set(this.#sig);
    this.#sig = sig;
    this.#seen = new Uint32Array(cap);
    this.#generation = 0;
    // Rehash the buckets into a table twice the size.
    let buckets = this.#head.length * 2;
    while (buckets < cap * BANDS) buckets <<= 1;
    this.#head = new Int32Array(buckets).fill(-1);
    this.#mask = buckets - 1;
    this.#next = new Int32Array(cap * BANDS);
    this.#entryDoc = new Int32Array(cap * BANDS);
    this.#entries = 0;
    for (let d = 0; d < this.#ids.length; d++) this.#link(d);
  }

  #link(d: number): void {
    for (let band = 0; band < BANDS; band++) {
      const key = this.#bandKey(this.#sig, d * HASHES, band, this.#county[d]!);
      const e = this.#entries++;
      this.#entryDoc[e] = d;
      this.#next[e] = this.#head[key]!;
      this.#head[key] = e;
    }
  }

  add(t: IndexedTicket): void {
    if (this.#byId.has(t.id)) return;
    if (this.#ids.length >= this.#county.length) this.#grow();
    const d = this.#ids.length;
    this.#ids.push(t.id);
    this.#numbers.push(t.number);
    this.#byId.set(t.id, d);
    this.#county[d] = this.#countyOf(t.divisionCode);
    this.#created[d] = t.createdAt;
    this.#sig.set(signature(t.text), d * HASHES);
    this.#link(d);
  }

  /**
   * Earlier tickets of the same county similar to the text, best first. Of each band bucket only
   * the newest `maxPerBand` entries are examined (chains are newest first): a county with
   * thousands of near-identical tickets (a burst of calls about one water cut) costs at most
   * BANDS × maxPerBand comparisons, and the hits are the newest of the burst — the ones a
   * dispatcher merges with.
   */
  query(text: string, divisionCode: string, opts: { since?: number; minScore?: number; limit?: number; excludeId?: string; maxPerBand?: number } = {}): SimilarDoc[] {
    const county = this.#countyIds.get(divisionCode.slice(0, 6));
    if (county === undefined) return [];
    const sig = signature(text);
    const minScore = opts.minScore ?? 0.3;
    const since = opts.since ?? -Infinity;
    const limit = opts.limit ?? 5;
    const maxPerBand = opts.maxPerBand ?? MAX_PER_BAND;
    this.#generation = (this.#generation + 1) >>> 0;
    if (this.#generation === 0) {
      this.#seen.fill(0);
      this.#generation = 1;
    }
    const gen = this.#generation;
    const seen = this.#seen;
    // The best `limit` hits, kept sorted (score desc, newer first) by insertion.
    const top: SimilarDoc[] = [];
    // The typed arrays in locals: the loop below is the hot path of every intake.
    const [next, entryDoc, counties, created, sigs] = [this.#next, this.#entryDoc, this.#county, this.#created, this.#sig];
    for (let band = 0; band < BANDS; band++) {
      let budget = maxPerBand;
      for (let e: number = this.#head[this.#bandKey(sig, 0, band, county)]!; e !== -1 && budget > 0; e = next[e]!) {
        budget--;
        const d: number = entryDoc[e]!;
        if (seen[d] === gen) continue;
        seen[d] = gen;
        if (counties[d] !== county || created[d]! < since) continue;
        const score = estimatedJaccard(sig, 0, sigs, d * HASHES);
        if (score < minScore) continue;
        const worst = top[top.length - 1];
        if (top.length === limit && worst && (score < worst.score || (score === worst.score && created[d]! <= worst.createdAt))) continue;
        if (this.#ids[d] === opts.excludeId) continue;
        const hit = { id: this.#ids[d]!, number: this.#numbers[d]!, score, createdAt: created[d]! };
        let i = top.length;
        while (i > 0 && (top[i - 1]!.score < score || (top[i - 1]!.score === score && top[i - 1]!.createdAt < hit.createdAt))) i--;
        top.splice(i, 0, hit);
        if (top.length > limit) top.pop();
      }
    }
    return top;
  }
}
