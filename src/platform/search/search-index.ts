import { pinyin } from 'pinyin-pro';
import { SHANGHAI_OFFSET_MS } from '../calendar/civil-date.ts';
import type { IndexedDocument, SearchFilters, SearchResponse, SearchResultHit } from './contract.ts';
import { highlightText, snippetOf } from './highlight.ts';
import { parseQuery, type ParsedQuery, type QueryGroup } from './query-parser.ts';
import { indexTokens, normalizeText, queryTokens } from './segmenter.ts';

/**
 * The in-process inverted index behind the one search box (docs/decisions/0005): BM25 over
 * jieba search-mode tokens, postings in typed arrays (doc id + weighted term frequency),
 * score accumulation over the query's postings, a bounded heap for the top k, facet counts
 * over every match. Single-threaded JavaScript, so a query never sees a half-applied change.
 *
 * Documents are never changed in place: a new version gets a new doc id and the old one is
 * marked dead (skipped by queries, dropped on the next rebuild).
 */

const K1 = 1.2;
const B = 0.75;
/** Title and match-only keywords count this many times a body occurrence. */
const TITLE_WEIGHT = 4;
const KEYWORD_WEIGHT = 3;
/** Bodies are kept for snippets up to this many characters. */
const STORED_BODY = 3000;
/** The best this many candidates get the title-phrase second stage (pages within it are consistent). */
const RERANK_WINDOW = 50;
const EXACT_TITLE_BOOST = 1.6;
const PHRASE_TITLE_BOOST = 1.25;
/** Below this many complete matches, partial matches are added. */
const FEW_RESULTS = 10;
/** Deepest result a query may page to. */
export const MAX_WINDOW = 1000;

/** Years at or above this count as this - 1 in the facet (a typed array indexed by year). */
const MAX_YEAR = 2200;

/** Interns facet values to small integers (id 0 = none). */
class ValueDict {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [''];
  id(value: string | null | undefined): number {
    if (value === null || value === undefined || value === '') return 0;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
  lookup(value: string | null | undefined): number {
    if (value === null || value === undefined || value === '') return 0;
    return this.ids.get(value) ?? -1;
  }
}

interface StoredFields {
  key: string;
  kind: string;
  title: string;
  body: string;
  url: string;
  publishedAt: Date | null;
  organisationName: string | null;
  divisionCode: string;
  seq: number;
}

export interface IndexStats {
  documents: number;
  deadSlots: number;
  terms: number;
  postings: number;
  /** Bytes held by the typed arrays and stored strings (an estimate). */
  approxBytes: number;
}


export class SearchIndex {
  // -- terms and postings --
  private readonly termIds = new Map<string, number>();
  private readonly termText: string[] = [];
  private postDocs: Int32Array[] = [];
  private postTfs: Uint16Array[] = [];
  private postLen = new Int32Array(1024);
  private df = new Int32Array(1024);
  private postingCount = 0;

  // -- documents (struct of arrays) --
  private cap = 0;
  private slots = 0;
  private live = 0;
  private totalLen = 0;
  private docLen = new Float32Array(0);
  private alive = new Uint8Array(0);
  private dateMs = new Float64Array(0);
  private yearOf = new Uint16Array(0);
  private kindOf = new Int32Array(0);
  private divOf = new Int32Array(0);
  private orgOf = new Int32Array(0);
  private catOf = new Int32Array(0);
  private genreOf = new Int32Array(0);
  private validityOf = new Int32Array(0);
  private stored: (StoredFields | null)[] = [];
  /** Each document's distinct term ids (termPool[termStart[d] .. +termCount[d]]), to keep df exact on removal. */
  private termPool = new Int32Array(1 << 16);
  private termPoolLen = 0;
  private termStart = new Float64Array(0);
  private termCount = new Int32Array(0);
  private readonly byKey = new Map<string, number>();

  private readonly kinds = new ValueDict();
  private readonly divisions = new ValueDict();
  private readonly orgs = new ValueDict();
  private readonly orgNames = new Map<string, string>();
  private readonly categories = new ValueDict();
  private readonly genres = new ValueDict();
  private readonly validities = new ValueDict();

  // -- query scratch space (reused; reset through `touched`) --
  private acc = new Float32Array(0);
  private cnt = new Uint8Array(0);
  private part = new Float32Array(0);
  private touched = new Int32Array(0);

  // -- "did you mean" vocabulary (built lazily) --
  private suggestVocabSize = -1;
  private byPinyin = new Map<string, number>();
  private byDeletion = new Map<string, number[]>();

  get size(): number {
    return this.live;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The change sequence number of the indexed version of `key` (0 when absent). */
  seqOf(key: string): number {
    const d = this.byKey.get(key);
    return d === undefined ? 0 : (this.stored[d]?.seq ?? 0);
  }

  stats(): IndexStats {
    let strings = 0;
    for (const s of this.stored) if (s) strings += 2 * (s.title.length + s.body.length + s.url.length + s.key.length) + 200;
    for (const t of this.termText) strings += 2 * t.length + 60;
    let postingBytes = 0;
    for (let t = 0; t < this.termText.length; t++) postingBytes += (this.postDocs[t]?.byteLength ?? 0) + (this.postTfs[t]?.byteLength ?? 0) + 120;
    const docBytes = this.cap * (4 + 1 + 8 + 2 + 4 * 6 + 4 + 1 + 4 + 4 + 8 + 4) + this.termPool.byteLength;
    return { documents: this.live, deadSlots: this.slots - this.live, terms: this.termText.length, postings: this.postingCount, approxBytes: strings + postingBytes + docBytes };
  }

  /** Adds or replaces a document (`tokens`: its title and body already cut by indexTokens). */
  put(doc: IndexedDocument, seq = 0, tokens?: { title: string[]; body: string[] }): void {
    this.remove(doc.key);
    const d = this.newSlot();
    const tf = new Map<string, number>();
    let len = 0;
    const addTokens = (tokens: string[], weight: number) => {
      for (const t of tokens) {
        tf.set(t, (tf.get(t) ?? 0) + weight);
        len += weight;
      }
    };
    addTokens(tokens ? tokens.title : indexTokens(doc.title), TITLE_WEIGHT);
    addTokens(tokens ? tokens.body : indexTokens(doc.body), 1);
    const keywords = [...(doc.keywords ?? []), ...(doc.kind === 'service-item' ? pinyinKeywords(doc.title) : [])];
    for (const k of keywords) {
      const whole = normalizeText(k).replace(/\s+/gu, '');
      const parts = indexTokens(k);
      addTokens(parts.includes(whole) || whole === '' ? parts : [whole, ...parts], KEYWORD_WEIGHT);
    }
    if (this.termPoolLen + tf.size > this.termPool.length) this.termPool = grow(this.termPool, this.termPoolLen + tf.size);
    this.termStart[d] = this.termPoolLen;
    this.termCount[d] = tf.size;
    for (const [term, f] of tf) {
      const t = this.termId(term);
      this.addPosting(t, d, f);
      this.termPool[this.termPoolLen++] = t;
    }

    const ms = doc.publishedAt ? doc.publishedAt.getTime() : Number.NaN;
    this.docLen[d] = Math.max(1, len);
    this.alive[d] = 1;
    this.dateMs[d] = ms;
    this.yearOf[d] = Number.isNaN(ms) ? 0 : new Date(ms + SHANGHAI_OFFSET_MS).getUTCFullYear();
    this.kindOf[d] = this.kinds.id(doc.kind);
    this.divOf[d] = this.divisions.id(doc.divisionCode);
    this.orgOf[d] = this.orgs.id(doc.organisationId);
    if (doc.organisationId && doc.organisationName) this.orgNames.set(doc.organisationId, doc.organisationName);
    this.catOf[d] = this.categories.id(doc.category);
    this.genreOf[d] = this.genres.id(doc.genre);
    this.validityOf[d] = this.validities.id(doc.validity);
    this.stored[d] = {
      key: doc.key,
      kind: doc.kind,
      title: doc.title,
      body: doc.body.length > STORED_BODY ? doc.body.slice(0, STORED_BODY) : doc.body,
      url: doc.url,
      publishedAt: doc.publishedAt,
      organisationName: doc.organisationName,
      divisionCode: doc.divisionCode,
      seq,
    };
    this.byKey.set(doc.key, d);
    this.live += 1;
    this.totalLen += this.docLen[d] ?? 0;
  }

  remove(key: string): boolean {
    const d = this.byKey.get(key);
    if (d === undefined) return false;
    this.byKey.delete(key);
    this.alive[d] = 0;
    const start = this.termStart[d] as number;
    const end = start + (this.termCount[d] as number);
    for (let i = start; i < end; i++) {
      const t = this.termPool[i] as number;
      this.df[t] = (this.df[t] as number) - 1;
    }
    this.stored[d] = null;
    this.live -= 1;
    this.totalLen -= this.docLen[d] ?? 0;
    return true;
  }

  /** Answers a query synchronously (the service adds timing and catching up). */
  search(text: string, opts: { filters?: SearchFilters; sort?: 'relevance' | 'date'; offset?: number; limit?: number } = {}): Omit<SearchResponse, 'tookMs'> & { parsed: ParsedQuery } {
    const limit = clampInt(opts.limit, 1, 100, 20);
    const offset = clampInt(opts.offset, 0, MAX_WINDOW - limit, 0);
    const parsed = parseQuery(text, (t) => this.termIds.get(t));
    const empty = emptyResponse(parsed);
    if (parsed.groups.length === 0) {
      return { ...empty, suggestion: parsed.tokens.length > 0 ? this.suggest(parsed) : null };
    }
    const g = parsed.groups.length;
    const phrase = parsed.text.replace(/\s+/gu, '');
    let res = this.run(parsed.groups, g, opts.filters ?? {}, opts.sort ?? 'relevance', offset, limit, phrase);
    if (res.total < FEW_RESULTS && g > 1) {
      // Few documents have every word (people type questions: 开公司怎么办营业执照): also accept
      // documents missing some words; the score is scaled by the share of words matched, so
      // the complete matches stay on top.
      res = this.run(parsed.groups, g <= 3 ? g - 1 : Math.ceil(g * 0.6), opts.filters ?? {}, opts.sort ?? 'relevance', offset, limit, phrase);
    }
    const hitTerms = highlightTerms(parsed);
    const hits: SearchResultHit[] = res.docs.map(({ d, score }) => {
      const s = this.stored[d] as StoredFields;
      return {
        key: s.key,
        kind: s.kind,
        title: s.title,
        titleHighlighted: highlightText(s.title, hitTerms),
        snippetHighlighted: snippetOf(s.body, hitTerms),
        url: s.url,
        publishedAt: s.publishedAt,
        organisationName: s.organisationName,
        divisionCode: s.divisionCode,
        score: Math.round(score * 1000) / 1000,
      };
    });
    const suggestion = res.total < 3 || parsed.missing.length > 0 ? this.suggest(parsed) : null;
    return { total: res.total, hits, facets: res.facets, facetLabels: res.facetLabels, suggestion, parsed };
  }

  // ---------------------------------------------------------------------------------

  private run(groups: QueryGroup[], required: number, filters: SearchFilters, sort: 'relevance' | 'date', offset: number, limit: number, phrase: string) {
    const n = Math.max(1, this.live);
    const avgdl = this.live > 0 ? this.totalLen / this.live : 1;
    const strict = required === groups.length;
    const ordered = [...groups].sort((a, b) => this.groupCost(a) - this.groupCost(b));
    const idfOf = (alt: QueryGroup['alternatives'][number]) => {
      const df = this.df[alt.termId] ?? 0;
      return Math.log(1 + (n - df + 0.5) / (df + 0.5)) * alt.weight;
    };
    // one word without synonyms (the common case): score, filter and count in one pass
    const single = ordered.length === 1 && (ordered[0] as QueryGroup).alternatives.length === 1 ? (ordered[0] as QueryGroup).alternatives[0] : undefined;
    let nTouched = 0;
    if (!single) {
      for (let gi = 0; gi < ordered.length; gi++) {
        for (const alt of (ordered[gi] as QueryGroup).alternatives) nTouched = this.scorePostings(alt.termId, idfOf(alt), gi, strict, avgdl, nTouched);
      }
    }

    // filters: the division subtree always applies; the others are facets (each facet's own
    // filter is left out of its counts, so the facet still shows the other choices)
    let kindMask: Uint8Array | null = null;
    if (filters.kinds && filters.kinds.length > 0) {
      kindMask = new Uint8Array(this.kinds.values.length);
      for (const k of filters.kinds) {
        const id = this.kinds.lookup(k);
        if (id >= 0) kindMask[id] = 1;
      }
    }
    const want: CollectFilters = {
      division: this.divisionMask(filters.divisionPrefix),
      kind: kindMask,
      organisation: filters.organisationId ? this.orgs.lookup(filters.organisationId) : -2,
      category: filters.category ? this.categories.lookup(filters.category) : -2,
      genre: filters.genre ? this.genres.lookup(filters.genre) : -2,
      year: filters.year ?? -2,
      validity: filters.validity ? this.validities.lookup(filters.validity) : -2,
    };
    // facet counts in typed arrays indexed by the interned value id (year: by the year itself)
    const counts: FacetCounts = {
      kind: new Int32Array(this.kinds.values.length),
      organisation: new Int32Array(this.orgs.values.length),
      category: new Int32Array(this.categories.values.length),
      genre: new Int32Array(this.genres.values.length),
      year: new Int32Array(MAX_YEAR),
      validity: new Int32Array(this.validities.values.length),
    };
    const k = offset + limit;
    const heap = new TopK(sort === 'relevance' ? Math.max(k, RERANK_WINDOW) : k);
    const total = single
      ? this.collectSingle(single.termId, idfOf(single), avgdl, want, counts, heap, sort === 'date')
      : this.collect(nTouched, required, strict ? 0 : groups.length, want, counts, heap, sort === 'date');
    const kindCount = counts.kind;
    const orgCount = counts.organisation;
    const catCount = counts.category;
    const genreCount = counts.genre;
    const yearCount = counts.year;
    const validityCount = counts.validity;
    const toRecord = (counts: Int32Array, dict: ValueDict | null): Record<string, number> => {
      const entries: [string, number][] = [];
      for (let v = 1; v < counts.length; v++) if ((counts[v] as number) > 0) entries.push([dict ? (dict.values[v] as string) : String(v), counts[v] as number]);
      entries.sort((a, b) => b[1] - a[1]);
      return Object.fromEntries(entries);
    };
    let ranked = heap.sorted().map((e) => ({ d: e.d, score: e.score }));
    if (sort === 'relevance' && phrase.length > 1) {
      // second stage over the best candidates: the query as one phrase in the title (the
      // name of an item, a document's title) lifts a document above scattered matches
      for (const e of ranked) {
        const title = normalizeText((this.stored[e.d] as StoredFields).title).replace(/\s+/gu, '');
        if (title === phrase) e.score *= EXACT_TITLE_BOOST;
        else if (title.includes(phrase)) e.score *= PHRASE_TITLE_BOOST;
      }
      ranked = ranked.sort((a, b) => b.score - a.score || a.d - b.d);
    }
    const docs = ranked.slice(offset, offset + limit);
    const organisation = toRecord(orgCount, this.orgs);
    const orgLabels: Record<string, string> = {};
    for (const id of Object.keys(organisation)) orgLabels[id] = this.orgNames.get(id) ?? id;
    return {
      total,
      docs,
      facets: {
        kind: toRecord(kindCount, this.kinds),
        organisation,
        category: toRecord(catCount, this.categories),
        genre: toRecord(genreCount, this.genres),
        year: toRecord(yearCount, null),
        validity: toRecord(validityCount, this.validities),
      },
      facetLabels: { organisation: orgLabels },
    };
  }

  /** Per document: which query groups it matched (a query has at most 16 groups). */
  private groupBits = new Uint32Array(0);

  /** BM25 of one term's postings, accumulated per document (the hot loop: keep it small). */
  private scorePostings(t: number, idf: number, gi: number, strict: boolean, avgdl: number, nTouched: number): number {
    const { acc, cnt, part, alive, docLen, touched } = this;
    const bitsOf = this.groupBits;
    const docs = this.postDocs[t] as Int32Array;
    const tfs = this.postTfs[t] as Uint16Array;
    const len = this.postLen[t] as number;
    const c1 = K1 * (1 - B);
    const c2 = (K1 * B) / avgdl;
    const bit = 1 << gi;
    const prevMask = bit - 1;
    let nt = nTouched;
    for (let i = 0; i < len; i++) {
      const d = docs[i] as number;
      if (alive[d] === 0) continue;
      const bits = bitsOf[d] as number;
      // strict: a document missing an earlier (rarer) group can no longer match
      if (strict && (bits & prevMask) !== prevMask) continue;
      const f = tfs[i] as number;
      const s = (idf * f * (K1 + 1)) / (f + c1 + c2 * (docLen[d] as number));
      if ((bits & bit) !== 0) {
        // matched this group already through another alternative: keep the better one
        const prev = part[d] as number;
        if (s > prev) {
          acc[d] = (acc[d] as number) + s - prev;
          part[d] = s;
        }
        continue;
      }
      if (bits === 0) touched[nt++] = d;
      bitsOf[d] = bits | bit;
      cnt[d] = (cnt[d] as number) + 1;
      acc[d] = (acc[d] as number) + s;
      part[d] = s;
    }
    return nt;
  }

  /**
   * Over every touched document: clears the scratch arrays, applies the filters, counts the
   * facets, offers the matches to the heap; returns the number of matches. `partialOf` is the
   * group count when partial matches are scored by the share of groups they matched, else 0.
   */
  private collect(nTouched: number, required: number, partialOf: number, want: CollectFilters, counts: FacetCounts, heap: TopK, byDate: boolean): number {
    const { acc, cnt, touched, dateMs } = this;
    const bitsOf = this.groupBits;
    let total = 0;
    for (let i = 0; i < nTouched; i++) {
      const d = touched[i] as number;
      const c = cnt[d] as number;
      const score = partialOf === 0 ? (acc[d] as number) : ((acc[d] as number) * c) / partialOf;
      acc[d] = 0;
      cnt[d] = 0;
      bitsOf[d] = 0;
      if (c < required) continue;
      if (!this.countFacets(d, want, counts)) continue;
      total += 1;
      if (byDate) {
        const date = dateMs[d] as number;
        heap.offer(d, date === date ? date : -1e15, score);
      } else heap.offer(d, score, score);
    }
    return total;
  }

  /**
   * Applies the filters to document d and counts it in the facets: a document failing one
   * facet filter still counts in that facet (so the facet shows the other choices); failing
   * two, it counts nowhere. True when d passes every filter (a hit).
   */
  private countFacets(d: number, want: CollectFilters, counts: FacetCounts): boolean {
    const { kindOf, orgOf, catOf, genreOf, yearOf, validityOf } = this;
    const kindMask = want.kind;
    const { organisation: wantOrg, category: wantCat, genre: wantGenre, year: wantYear, validity: wantValidity } = want;
    const { kind: kindCount, organisation: orgCount, category: catCount, genre: genreCount, year: yearCount, validity: validityCount } = counts;
    if (want.division !== null && want.division[this.divOf[d] as number] !== 1) return false;
    const kind = kindOf[d] as number;
    const org = orgOf[d] as number;
    const cat = catOf[d] as number;
    const genre = genreOf[d] as number;
    const year = Math.min(yearOf[d] as number, MAX_YEAR - 1);
    const validity = validityOf[d] as number;
    // which facet filters fail: a document failing one still counts in that facet (so
    // the facet shows the other choices); failing two, it counts nowhere
    let fails = 0;
    let failed = 0;
    if (kindMask !== null && kindMask[kind] !== 1) {
      fails += 1;
      failed = 1;
    }
    if (wantOrg !== -2 && org !== wantOrg) {
      fails += 1;
      failed = 2;
    }
    if (wantCat !== -2 && cat !== wantCat) {
      fails += 1;
      failed = 3;
    }
    if (wantGenre !== -2 && genre !== wantGenre) {
      fails += 1;
      failed = 4;
    }
    if (wantYear !== -2 && year !== wantYear) {
      fails += 1;
      failed = 5;
    }
    if (wantValidity !== -2 && validity !== wantValidity) {
      fails += 1;
      failed = 6;
    }
    if (fails > 1) return false;
    if (fails === 1) {
      if (failed === 1) kindCount[kind] = (kindCount[kind] as number) + 1;
      else if (failed === 2) orgCount[org] = (orgCount[org] as number) + 1;
      else if (failed === 3) catCount[cat] = (catCount[cat] as number) + 1;
      else if (failed === 4) genreCount[genre] = (genreCount[genre] as number) + 1;
      else if (failed === 5) yearCount[year] = (yearCount[year] as number) + 1;
      else validityCount[validity] = (validityCount[validity] as number) + 1;
      return false;
    }
    kindCount[kind] = (kindCount[kind] as number) + 1;
    orgCount[org] = (orgCount[org] as number) + 1;
    catCount[cat] = (catCount[cat] as number) + 1;
    genreCount[genre] = (genreCount[genre] as number) + 1;
    yearCount[year] = (yearCount[year] as number) + 1;
    validityCount[validity] = (validityCount[validity] as number) + 1;
    return true;
  }

  /** `collect` for a one-word query: scores straight from the postings (no accumulation). */
  private collectSingle(t: number, idf: number, avgdl: number, want: CollectFilters, counts: FacetCounts, heap: TopK, byDate: boolean): number {
    const { alive, docLen, dateMs } = this;
    const docs = this.postDocs[t] as Int32Array;
    const tfs = this.postTfs[t] as Uint16Array;
    const len = this.postLen[t] as number;
    const c1 = K1 * (1 - B);
    const c2 = (K1 * B) / avgdl;
    let total = 0;
    for (let i = 0; i < len; i++) {
      const d = docs[i] as number;
      if (alive[d] === 0) continue;
      if (!this.countFacets(d, want, counts)) continue;
      total += 1;
      const f = tfs[i] as number;
      const score = (idf * f * (K1 + 1)) / (f + c1 + c2 * (docLen[d] as number));
      if (byDate) {
        const date = dateMs[d] as number;
        heap.offer(d, date === date ? date : -1e15, score);
      } else heap.offer(d, score, score);
    }
    return total;
  }

  private groupCost(g: QueryGroup): number {
    let c = 0;
    for (const a of g.alternatives) c += this.postLen[a.termId] ?? 0;
    return c;
  }

  private divisionMask(prefix: string | undefined): Uint8Array | null {
    if (!prefix) return null;
    const mask = new Uint8Array(this.divisions.values.length);
    for (let i = 1; i < this.divisions.values.length; i++) if ((this.divisions.values[i] as string).startsWith(prefix)) mask[i] = 1;
    return mask;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termText.length;
      this.termText.push(term);
      this.termIds.set(term, id);
      this.postDocs.push(new Int32Array(4));
      this.postTfs.push(new Uint16Array(4));
      if (id >= this.postLen.length) {
        this.postLen = grow(this.postLen, id + 1);
        this.df = grow(this.df, id + 1);
      }
    }
    return id;
  }

  private addPosting(t: number, d: number, tf: number): void {
    let docs = this.postDocs[t] as Int32Array;
    let tfs = this.postTfs[t] as Uint16Array;
    const len = this.postLen[t] as number;
    if (len === docs.length) {
      docs = grow(docs, len + 1);
      tfs = grow(tfs, len + 1);
      this.postDocs[t] = docs;
      this.postTfs[t] = tfs;
    }
    docs[len] = d;
    tfs[len] = Math.min(65535, tf);
    this.postLen[t] = len + 1;
    this.df[t] = (this.df[t] as number) + 1;
    this.postingCount += 1;
  }

  private newSlot(): number {
    if (this.slots === this.cap) {
      const cap = Math.max(1024, this.cap * 2);
      this.docLen = grow(this.docLen, cap);
      this.alive = grow(this.alive, cap);
      this.dateMs = grow(this.dateMs, cap);
      this.yearOf = grow(this.yearOf, cap);
      this.kindOf = grow(this.kindOf, cap);
      this.divOf = grow(this.divOf, cap);
      this.orgOf = grow(this.orgOf, cap);
      this.catOf = grow(this.catOf, cap);
      this.genreOf = grow(this.genreOf, cap);
      this.validityOf = grow(this.validityOf, cap);
      this.acc = grow(this.acc, cap);
      this.cnt = grow(this.cnt, cap);
      this.part = grow(this.part, cap);
      this.groupBits = grow(this.groupBits, cap);
      this.touched = grow(this.touched, cap);
      this.termStart = grow(this.termStart, cap);
      this.termCount = grow(this.termCount, cap);
      this.cap = cap;
    }
    const d = this.slots;
    this.slots += 1;
    this.stored.push(null);
    return d;
  }

  // -- did you mean ---------------------------------------------------------------

  /**
   * A close, frequent spelling of a query word that matched little: a homophone (same
   * pinyin, the usual slip of a pinyin keyboard), a word one character away, or the
   * Chinese word whose pinyin the user typed.
   */
  private suggest(parsed: ParsedQuery): string | null {
    this.buildSuggestVocabulary();
    // the whole query as one word first: 营业执造 is cut into 营业 / 执造, but is one slip of 营业执照
    const whole = parsed.text.replace(/\s+/gu, '');
    if (isCjk(whole) && whole.length >= 2 && whole.length <= 6 && parsed.tokens.length > 1) {
      const id = this.termIds.get(whole);
      if (id === undefined || (this.df[id] ?? 0) < 5) {
        const cand = this.byPinyin.get(pinyinKey(whole)) ?? this.closestByDeletion(whole);
        if (cand !== undefined && cand !== id) return this.termText[cand] as string;
      }
    }
    let changed = false;
    const words = parsed.tokens.map((tok) => {
      const id = this.termIds.get(tok);
      const ownDf = id === undefined ? 0 : (this.df[id] ?? 0);
      if (ownDf >= 5) return tok;
      let best = -1;
      let bestDf = Math.max(ownDf * 3, 1);
      const consider = (cand: number | undefined) => {
        if (cand === undefined || cand === id) return;
        const df = this.df[cand] ?? 0;
        if (df > bestDf) {
          best = cand;
          bestDf = df;
        }
      };
      if (/^[a-z]+$/u.test(tok)) consider(this.byPinyin.get(tok));
      else if (isCjk(tok)) {
        consider(this.byPinyin.get(pinyinKey(tok)));
        if (best < 0) consider(this.closestByDeletion(tok));
      }
      if (best < 0) return tok;
      changed = true;
      return this.termText[best] as string;
    });
    if (!changed) return null;
    let suggestion = parsed.text;
    parsed.tokens.forEach((tok, i) => {
      if (words[i] !== tok) suggestion = suggestion.replace(tok, words[i] as string);
    });
    return suggestion === parsed.text ? words.join(' ') : suggestion;
  }

  private closestByDeletion(word: string): number | undefined {
    let best: number | undefined;
    let bestDf = 1;
    for (const v of [word, ...deletionVariants(word)]) {
      for (const cand of this.byDeletion.get(v) ?? []) {
        const df = this.df[cand] ?? 0;
        if (df > bestDf && this.termText[cand] !== word) {
          best = cand;
          bestDf = df;
        }
      }
    }
    return best;
  }

  private buildSuggestVocabulary(): void {
    if (this.suggestVocabSize >= 0 && this.termText.length < this.suggestVocabSize * 1.1 + 100) return;
    const byPinyin = new Map<string, number>();
    const byDeletion = new Map<string, number[]>();
    for (let t = 0; t < this.termText.length; t++) {
      const df = this.df[t] ?? 0;
      if (df < 2) continue;
      const term = this.termText[t] as string;
      if (!isCjk(term) || term.length < 2 || term.length > 6) continue;
      const key = pinyinKey(term);
      const prev = byPinyin.get(key);
      if (prev === undefined || (this.df[prev] ?? 0) < df) byPinyin.set(key, t);
      for (const v of [term, ...deletionVariants(term)]) {
        const list = byDeletion.get(v);
        if (list) {
          if (list.length < 8) list.push(t);
        } else byDeletion.set(v, [t]);
      }
    }
    this.byPinyin = byPinyin;
    this.byDeletion = byDeletion;
    this.suggestVocabSize = this.termText.length;
  }
}

// ---------------------------------------------------------------------------------

function emptyResponse(parsed: ParsedQuery): Omit<SearchResponse, 'tookMs'> & { parsed: ParsedQuery } {
  return {
    total: 0,
    hits: [],
    facets: { kind: {}, organisation: {}, category: {}, genre: {}, year: {}, validity: {} },
    facetLabels: { organisation: {} },
    suggestion: null,
    parsed,
  };
}

function highlightTerms(parsed: ParsedQuery): string[] {
  const terms = new Set<string>();
  for (const g of parsed.groups) for (const a of g.alternatives) terms.add(a.text);
  return [...terms];
}

const CJK = /^[\u3400-\u9fff\uf900-\ufaff]+$/u;
function isCjk(s: string): boolean {
  return CJK.test(s);
}

function pinyinKey(s: string): string {
  return pinyin(s, { toneType: 'none', type: 'array' }).join('');
}

function deletionVariants(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** Pinyin, initials and per-word pinyin of a service item's name (营业执照 → yingyezhizhao, yyzz). */
export function pinyinKeywords(title: string): string[] {
  const words = queryTokens(title).filter(isCjk);
  const chinese = words.join('');
  if (chinese === '') return [];
  // every run of consecutive words: 营业执照办理 → yingyezhizhao, yyzz, yingyezhizhaobanli, yyzzbl, banli, bl
  const full = words.slice(0, 8).map((w) => pinyin(w, { toneType: 'none', type: 'array' }));
  const out = new Set<string>();
  for (let i = 0; i < full.length; i++) {
    for (let j = i + 1; j <= full.length; j++) {
      const syllables = full.slice(i, j).flat();
      out.add(syllables.join(''));
      if (syllables.length >= 2) out.add(syllables.map((p) => p[0] ?? '').join(''));
    }
  }
  return [...out];
}

function clampInt(v: number | undefined, min: number, max: number, dflt: number): number {
  if (v === undefined || !Number.isFinite(v)) return dflt;
  return Math.min(Math.max(Math.trunc(v), min), Math.max(min, max));
}

interface CollectFilters {
  division: Uint8Array | null;
  kind: Uint8Array | null;
  /** Interned ids; -2 = no filter, -1 = a value no document has. */
  organisation: number;
  category: number;
  genre: number;
  year: number;
  validity: number;
}

interface FacetCounts {
  kind: Int32Array;
  organisation: Int32Array;
  category: Int32Array;
  genre: Int32Array;
  year: Int32Array;
  validity: Int32Array;
}

type Typed = Int32Array | Uint16Array | Uint8Array | Float32Array | Float64Array | Uint32Array;
function grow<T extends Typed>(a: T, atLeast: number): T {
  const size = Math.max(atLeast, a.length * 2, 4);
  const C = a.constructor as new (n: number) => T;
  const b = new C(size);
  b.set(a);
  return b;
}

/** A bounded min-heap (typed arrays) keeping the k best (key, then score) documents; on a full tie the first offered stays. */
class TopK {
  private readonly d: Int32Array;
  private readonly key: Float64Array;
  private readonly score: Float64Array;
  private n = 0;
  constructor(private readonly k: number) {
    this.d = new Int32Array(k);
    this.key = new Float64Array(k);
    this.score = new Float64Array(k);
  }

  offer(d: number, key: number, score: number): void {
    if (this.n < this.k) {
      let i = this.n++;
      // sift up
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(key, score, p)) break;
        this.d[i] = this.d[p] as number;
        this.key[i] = this.key[p] as number;
        this.score[i] = this.score[p] as number;
        i = p;
      }
      this.d[i] = d;
      this.key[i] = key;
      this.score[i] = score;
      return;
    }
    const rk = this.key[0] as number;
    if (key < rk || (key === rk && score <= (this.score[0] as number))) return;
    // replace the root and sift down
    let i = 0;
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let m = l;
      if (r < n && this.lessAt(r, l)) m = r;
      if (!this.worseAt(m, key, score)) break;
      this.d[i] = this.d[m] as number;
      this.key[i] = this.key[m] as number;
      this.score[i] = this.score[m] as number;
      i = m;
    }
    this.d[i] = d;
    this.key[i] = key;
    this.score[i] = score;
  }

  sorted(): { d: number; key: number; score: number }[] {
    const out: { d: number; key: number; score: number }[] = [];
    for (let i = 0; i < this.n; i++) out.push({ d: this.d[i] as number, key: this.key[i] as number, score: this.score[i] as number });
    return out.sort((a, b) => b.key - a.key || b.score - a.score || a.d - b.d);
  }

  /** Is (key, score) worse than the entry at i? */
  private worse(key: number, score: number, i: number): boolean {
    const k = this.key[i] as number;
    return key < k || (key === k && score < (this.score[i] as number));
  }

  /** Is the entry at i worse than (key, score)? */
  private worseAt(i: number, key: number, score: number): boolean {
    const k = this.key[i] as number;
    return k < key || (k === key && (this.score[i] as number) < score);
  }

  private lessAt(i: number, j: number): boolean {
    return this.worseAt(i, this.key[j] as number, this.score[j] as number);
  }
}
