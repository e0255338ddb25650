import { tokenize } from './classifier/tokenize.ts';
import type { KbEntry } from './kb.repository.ts';

export interface KbMatch {
  entry: KbEntry;
  score: number;
}

/**
 * The knowledge-base entries that answer a question, best first: share of the entry's keywords
 * found in the text, plus half the token overlap (Jaccard) with the entry's question. A score of
 * 0.6 or more answers a consultation at once (即时办结); lower scores are shown to handlers as hints.
 */
export function matchKnowledge(text: string, entries: readonly KbEntry[], limit = 5): KbMatch[] {
  const lower = text.toLowerCase();
  const tokens = new Set(tokenize(text));
  const out: KbMatch[] = [];
  for (const entry of entries) {
    const kw = entry.keywords.filter((k) => k.trim());
    const kwShare = kw.length ? kw.filter((k) => lower.includes(k.toLowerCase())).length / kw.length : 0;
    const q = new Set(tokenize(entry.question));
    let inter = 0;
    for (const t of q) if (tokens.has(t)) inter++;
    const union = q.size + tokens.size - inter;
    const jaccard = union ? inter / union : 0;
    const score = kwShare + 0.5 * jaccard;
    if (score > 0.15) out.push({ entry, score });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit);
}

export const INSTANT_ANSWER_SCORE = 0.6;
