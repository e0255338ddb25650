/**
 * The narrow search interface modules register through their manifests (STYLE.md §10).
 * Today each provider answers from its own tables; the search module (one ranked index
 * across modules, issue "one search box") will implement the same shape, so the portal's
 * search page does not change when the engine does.
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
