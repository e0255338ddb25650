import type { UnitOfWork } from '../unit-of-work.ts';

/**
 * The one search box's narrow interface (DESIGN.md "Search"): modules put documents in,
 * the portal queries. The built-in engine (BM25 over jieba-segmented text) sits behind
 * it; a deployment that outgrows one machine can put OpenSearch behind the same shape.
 *
 * Writes happen inside the business transaction (the document row is the source of
 * truth, so an index rebuilt at boot or on another node sees exactly the committed
 * state); the in-memory index catches up right after the commit.
 */
export interface IndexedDocument {
  /** Unique across the installation: `${kind}:${id}`, e.g. `publication:2f6c…`. */
  key: string;
  /** Facet: 'publication' | 'service-item' | 'qa' | 'notice' | 'appeal' | … */
  kind: string;
  title: string;
  /** Plain text (markup stripped by the caller). */
  body: string;
  /** Where the result links to (a public page). */
  url: string;
  /** Shown and used by "sort by date". */
  publishedAt: Date | null;
  /** The jurisdiction the document belongs to (a jurisdictions.division code). */
  divisionCode: string;
  organisationId: string | null;
  organisationName: string | null;
  /** Facets the disclosure and catalog modules fill (category code, genre, validity). */
  category?: string | null;
  genre?: string | null;
  validity?: 'valid' | 'invalid' | 'repealed' | null;
  /** Match-only extra terms: pinyin, initials, item codes, document numbers. */
  keywords?: string[];
}

export interface SearchFilters {
  /** Subtree prefix (platform/auth/scope.ts subtreePrefix) of the jurisdiction to search in. */
  divisionPrefix?: string;
  kinds?: string[];
  organisationId?: string;
  category?: string;
  genre?: string;
  validity?: 'valid' | 'invalid' | 'repealed';
  year?: number;
}

export interface SearchRequest {
  text: string;
  filters?: SearchFilters;
  sort?: 'relevance' | 'date';
  offset?: number;
  limit?: number;
}

export interface SearchResultHit {
  key: string;
  kind: string;
  title: string;
  /** Title and snippet with matches wrapped in \u0001 … \u0002; the view escapes, then turns them into <mark>. */
  titleHighlighted: string;
  snippetHighlighted: string;
  url: string;
  publishedAt: Date | null;
  organisationName: string | null;
  divisionCode: string;
  score: number;
}

export interface SearchResponse {
  total: number;
  hits: SearchResultHit[];
  /** Counts per facet value over all matches (not only this page). */
  facets: { kind: Record<string, number>; organisation: Record<string, number>; category: Record<string, number>; genre: Record<string, number>; year: Record<string, number>; validity: Record<string, number> };
  /** "Did you mean" when the query matched little and a close, frequent term exists. */
  suggestion: string | null;
  tookMs: number;
  /** Display names for facet keys that are ids (organisation id → name). */
  facetLabels?: { organisation: Record<string, string> };
  /**
   * 'empty': nothing to search for (blank or only punctuation); 'truncated': the query was cut
   * to 200 characters; 'loading': the index is still loading after a start, results may be incomplete.
   */
  notice?: 'empty' | 'truncated' | 'loading' | null;
}

/**
 * What a module's manifest tells the search box (ModuleManifest.search): the kinds of
 * document it puts in (labels for the facet), and how to feed every current document
 * again (`zhengwu search reindex`, or after an index schema change).
 */
export interface SearchSource {
  kinds: { kind: string; label: string; labelEn: string }[];
  /** Puts every document the module currently publishes (idempotent); returns how many. */
  reindex?: () => Promise<number>;
}

/** What modules use: put/remove in the business transaction. */
export interface SearchIndexWriter {
  put(uow: UnitOfWork, doc: IndexedDocument): Promise<void>;
  remove(uow: UnitOfWork, key: string): Promise<void>;
}

/** What the portal (and the API) use. */
export interface SearchService extends SearchIndexWriter {
  query(request: SearchRequest): Promise<SearchResponse>;
}
