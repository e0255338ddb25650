/**
 * @deprecated The old per-module search interface: a module answered the portal's search
 * box from its own tables. New code puts documents into the one index instead
 * (`platform.search.put(uow, doc)`, ModuleManifest.search = SearchSource, docs/search.md).
 * Still honoured by the portal (shown beside the ranked results) until the last module
 * using it (jurisdictions: regions by name) moves over; then this file goes.
 */
export interface SearchQuery {
  /** The user's words, trimmed, ≤ 100 characters. */
  text: string;
  /** Terms split on whitespace and punctuation; no operators. */
  terms: string[];
  limit: number;
}

export interface SearchHit {
  title: string;
  url: string;
  snippet: string;
  date: Date | null;
  source: string;
}

export interface SearchProvider {
  /** Facet key, e.g. 'notice'. */
  kind: string;
  /** Facet label shown to users, e.g. '通知公告'. */
  label: string;
  search(query: SearchQuery): Promise<SearchHit[]>;
}

const MAX_QUERY = 100;

/** Normalises user input into a query; never throws on odd input (punctuation, operators, huge strings). */
export function parseSearchQuery(raw: unknown, limit = 20): SearchQuery {
  const text = (typeof raw === 'string' ? raw : '').normalize('NFKC').trim().slice(0, MAX_QUERY);
  const terms = [...new Set(text.split(/[\s\p{P}\p{S}]+/u).filter((t) => t.length > 0))].slice(0, 8);
  return { text, terms, limit };
}

/** A snippet of `body` around the first term, plain text (escaped by the view). */
export function snippetAround(body: string, terms: string[], width = 80): string {
  const flat = body.replace(/\s+/g, ' ');
  const lower = flat.toLowerCase();
  let at = -1;
  for (const t of terms) {
    at = lower.indexOf(t.toLowerCase());
    if (at >= 0) break;
  }
  const start = Math.max(0, at - width / 4);
  const piece = flat.slice(start, start + width);
  return `${start > 0 ? '…' : ''}${piece}${start + width < flat.length ? '…' : ''}`;
}
