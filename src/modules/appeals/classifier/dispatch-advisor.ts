import { NaiveBayes, type Prediction } from './naive-bayes.ts';
import { SimilarityIndex, type IndexedTicket, type SimilarDoc } from './similarity.ts';
import { tokenize } from './tokenize.ts';

export interface RuleEntry {
  categoryCode: string;
  divisionCode: string;
  organisationId: string;
  organisationName: string;
  coOrgIds?: string[] | undefined;
  coOrgNames?: string[] | undefined;
}

export interface UnitSuggestion {
  organisationId: string;
  organisationName: string;
  categoryCode: string;
  /** Where the proposal comes from: the category the citizen chose, or the text classifier. */
  basis: 'catalogue' | 'classifier';
  /** Co-handling units the catalogue rule names (may be empty). */
  coOrganisations: { id: string; name: string }[];
  /** The division of the rule that applied (the most specific one on the chain). */
  ruleDivisionCode: string;
}

export interface DispatchSuggestion {
  categories: Prediction[];
  unit: UnitSuggestion | null;
  /** Other units for the top categories (for a one-click override). */
  alternatives: UnitSuggestion[];
  similar: SimilarDoc[];
  duplicates: SimilarDoc[];
}

/** The division and its ancestors, most specific first: 420102002 → 420102002, 420102, 420100, 420000. */
export function divisionChain(code: string): string[] {
  const out = [code];
  if (code.length > 6) out.push(code.slice(0, 6));
  const county = code.slice(0, 6);
  if (!county.endsWith('00')) out.push(`${county.slice(0, 4)}00`);
  if (!county.endsWith('0000')) out.push(`${county.slice(0, 2)}0000`);
  return [...new Set(out)];
}

/** Similarity at or above which an earlier ticket counts as a probable duplicate. */
export const DUPLICATE_SCORE = 0.6;
const SIMILAR_SCORE = 0.3;
const DUPLICATE_WINDOW_MS = 30 * 86_400_000;

/**
 * Dispatch suggestions (派单建议): the responsible unit from the dispatch catalogue (category +
 * division), the category from the text (naive Bayes over jieba tokens), similar earlier tickets and
 * probable duplicates (MinHash LSH in the same county). In memory; rebuilt by the retraining job.
 */
export class DispatchAdvisor {
  #nb = new NaiveBayes();
  #index: SimilarityIndex;
  #rules = new Map<string, Map<string, RuleEntry>>();

  constructor(expectedTickets = 1024) {
    this.#index = new SimilarityIndex(expectedTickets);
  }

  get trainedOn(): number {
    return this.#nb.size;
  }

  get indexed(): number {
    return this.#index.size;
  }

  setRules(rules: RuleEntry[]): void {
    const m = new Map<string, Map<string, RuleEntry>>();
    for (const r of rules) {
      let byDiv = m.get(r.categoryCode);
      if (!byDiv) {
        byDiv = new Map<string, RuleEntry>();
        m.set(r.categoryCode, byDiv);
      }
      byDiv.set(r.divisionCode, r);
    }
    this.#rules = m;
  }

  /** Replaces the classifier with one trained on these samples. */
  train(samples: Iterable<{ text: string; label: string }>): void {
    const nb = new NaiveBayes();
    for (const s of samples) nb.add(tokenize(s.text), s.label);
    this.#nb = nb;
  }

  /** One more confirmed example (a dispatcher's choice) without a full retrain. */
  learn(text: string, label: string): void {
    this.#nb.add(tokenize(text), label);
  }

  index(t: IndexedTicket): void {
    this.#index.add(t);
  }

  unitFor(categoryCode: string, divisionCode: string): RuleEntry | null {
    const byDiv = this.#rules.get(categoryCode);
    if (!byDiv) return null;
    for (const d of divisionChain(divisionCode)) {
      const r = byDiv.get(d);
      if (r) return r;
    }
    return null;
  }

  classify(text: string, k = 3): Prediction[] {
    return this.#nb.predict(tokenize(text), k);
  }

  suggest(input: { text: string; divisionCode: string; categoryCode?: string | null; now?: number; excludeId?: string }): DispatchSuggestion {
    const categories = this.classify(input.text, 3);
    const units: UnitSuggestion[] = [];
    const push = (code: string, basis: UnitSuggestion['basis']) => {
      const r = this.unitFor(code, input.divisionCode);
      if (r && !units.some((u) => u.organisationId === r.organisationId))
        units.push({ organisationId: r.organisationId, organisationName: r.organisationName, categoryCode: code, basis, coOrganisations: (r.coOrgIds ?? []).map((id, i) => ({ id, name: r.coOrgNames?.[i] ?? '' })), ruleDivisionCode: r.divisionCode });
    };
    if (input.categoryCode) push(input.categoryCode, 'catalogue');
    for (const c of categories) push(c.label, 'classifier');
    const now = input.now ?? Date.now();
    const similar = this.#index.query(input.text, input.divisionCode, { minScore: SIMILAR_SCORE, limit: 5, ...(input.excludeId ? { excludeId: input.excludeId } : {}) });
    const duplicates = similar.filter((s) => s.score >= DUPLICATE_SCORE && s.createdAt >= now - DUPLICATE_WINDOW_MS);
    return { categories, unit: units[0] ?? null, alternatives: units.slice(1), similar, duplicates };
  }
}
