import { normalizeText, queryTokens, synonymsOf, tokenParts } from './segmenter.ts';

/**
 * Turns what a user typed into query groups. There are no operators: quotes, `&`, `|`,
 * `!`, `:*`, `<->` and other tsquery or Lucene syntax are punctuation and dropped, so any
 * input is safe. Each group is one word of the query with its alternatives (the word
 * itself, its synonyms at a lower weight); a document must match every group (or, when
 * none does, all but one).
 */
export const MAX_QUERY_CHARS = 200;
export const MAX_GROUPS = 16;
const SYNONYM_WEIGHT = 0.85;

export interface QueryAlternative {
  text: string;
  termId: number;
  weight: number;
}

export interface QueryGroup {
  /** The query word this group stands for. */
  word: string;
  alternatives: QueryAlternative[];
}

export interface ParsedQuery {
  /** The text that was searched for (normalised, cut to MAX_QUERY_CHARS). */
  text: string;
  /** Query words after segmentation and stop words. */
  tokens: string[];
  groups: QueryGroup[];
  /** Words no document contains (left out of the match; "did you mean" looks at them). */
  missing: string[];
  truncated: boolean;
}

export function cleanQueryText(raw: unknown): { text: string; truncated: boolean } {
  const text = normalizeText(typeof raw === 'string' ? raw : '')
    .replace(/\s+/gu, ' ')
    .trim();
  if (text.length <= MAX_QUERY_CHARS) return { text, truncated: false };
  return { text: text.slice(0, MAX_QUERY_CHARS), truncated: true };
}

export function parseQuery(raw: unknown, lookup: (term: string) => number | undefined): ParsedQuery {
  const { text, truncated } = cleanQueryText(raw);
  let tokens = queryTokens(text).slice(0, MAX_GROUPS * 2);
  // "ying ye zhi zhao" → "yingyezhizhao" when that is an indexed pinyin keyword
  if (tokens.length > 1 && tokens.every((t) => /^[a-z]+$/u.test(t))) {
    const joined = tokens.join('');
    if (lookup(joined) !== undefined) tokens = [joined];
  }
  const groups: QueryGroup[] = [];
  const missing: string[] = [];
  for (const word of tokens) {
    if (groups.length >= MAX_GROUPS) break;
    const alternatives: QueryAlternative[] = [];
    const own = lookup(word);
    if (own !== undefined) alternatives.push({ text: word, termId: own, weight: 1 });
    for (const syn of synonymsOf(word)) {
      const id = lookup(syn);
      if (id !== undefined) alternatives.push({ text: syn, termId: id, weight: SYNONYM_WEIGHT });
    }
    if (alternatives.length > 0) {
      groups.push({ word, alternatives });
      continue;
    }
    // a word the index never saw whole (an HMM-made compound): match its parts instead
    const parts = tokenParts(word)
      .map((p) => ({ p, id: lookup(p) }))
      .filter((x): x is { p: string; id: number } => x.id !== undefined);
    if (parts.length === 0) {
      missing.push(word);
      continue;
    }
    for (const { p, id } of parts) {
      if (groups.length < MAX_GROUPS && !groups.some((g) => g.word === p)) groups.push({ word: p, alternatives: [{ text: p, termId: id, weight: 1 }] });
    }
  }
  return { text, tokens, groups, missing, truncated };
}
