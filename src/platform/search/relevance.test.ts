import { describe, expect, it } from 'vitest';
import { SearchIndex } from './search-index.ts';
import { ndcgAt, relevanceCorpus } from './testdata/corpus.ts';

/**
 * Relevance on a labelled set (docs/search.md, "Relevance"): ≥ 50 realistic queries — item
 * names, the way people ask for them (社保卡丢了怎么补办), place + item, pinyin initials, the
 * plan's topics — over a corpus of the 2012 e-government plan's sections, service items with
 * their guides, notices and Q&A about them, and unrelated notices as distractors.
 */
const NDCG_FLOOR = 0.8;

describe('relevance (nDCG@10 on the labelled set)', () => {
  const { docs, queries } = relevanceCorpus();
  const index = new SearchIndex();
  for (const d of docs) index.put(d);

  it('has a realistic corpus and at least 50 labelled queries', () => {
    expect(docs.length).toBeGreaterThan(250);
    expect(queries.length).toBeGreaterThanOrEqual(50);
  });

  it(`reaches mean nDCG@10 ≥ ${NDCG_FLOOR}`, () => {
    const scores = queries.map((q) => ({ q: q.query, ndcg: ndcgAt(10, index.search(q.query, { limit: 10 }).hits.map((h) => h.key), q.relevant) }));
    const mean = scores.reduce((s, x) => s + x.ndcg, 0) / scores.length;
    const worst = [...scores].sort((a, b) => a.ndcg - b.ndcg).slice(0, 8);
    console.log(`nDCG@10 over ${scores.length} queries: ${mean.toFixed(3)}; weakest: ${worst.map((w) => `${w.q}=${w.ndcg.toFixed(2)}`).join(', ')}`);
    expect(mean).toBeGreaterThanOrEqual(NDCG_FLOOR);
  });
});
