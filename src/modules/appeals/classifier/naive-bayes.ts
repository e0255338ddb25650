/**
 * Multinomial naive Bayes over jieba tokens (Laplace smoothing): the category of a ticket from its
 * text. Trained from past tickets whose category the dispatcher confirmed; retrained by a job.
 */
export interface Prediction {
  label: string;
  /** Posterior probability (softmax of the log scores). */
  p: number;
}

export class NaiveBayes {
  readonly #vocab = new Map<string, number>();
  readonly #labels: string[] = [];
  readonly #labelIndex = new Map<string, number>();
  /** counts[label][token] */
  #counts: Float64Array[] = [];
  #tokenTotals: number[] = [];
  #docCounts: number[] = [];
  #docs = 0;

  get size(): number {
    return this.#docs;
  }

  get labels(): readonly string[] {
    return this.#labels;
  }

  add(tokens: readonly string[], label: string): void {
    let li = this.#labelIndex.get(label);
    if (li === undefined) {
      li = this.#labels.length;
      this.#labels.push(label);
      this.#labelIndex.set(label, li);
      this.#counts.push(new Float64Array(Math.max(64, this.#vocab.size * 2)));
      this.#tokenTotals.push(0);
      this.#docCounts.push(0);
    }
    for (const t of tokens) {
      let ti = this.#vocab.get(t);
      if (ti === undefined) {
        ti = this.#vocab.size;
        this.#vocab.set(t, ti);
      }
      let row = this.#counts[li]!;
      if (ti >= row.length) {
        const grown = new Float64Array(Math.max(ti + 1, row.length * 2));
        grown.set(row);
        this.#counts[li] = grown;
        row = grown;
      }
      row[ti] = row[ti]! + 1;
      this.#tokenTotals[li] = this.#tokenTotals[li]! + 1;
    }
    this.#docCounts[li] = this.#docCounts[li]! + 1;
    this.#docs += 1;
  }

  /** Labels by probability, best first (at most k). */
  predict(tokens: readonly string[], k = 3): Prediction[] {
    if (this.#labels.length === 0) return [];
    const v = this.#vocab.size;
    const known = tokens.map((t) => this.#vocab.get(t)).filter((x): x is number => x !== undefined);
    const scores = this.#labels.map((_, li) => {
      const row = this.#counts[li]!;
      const denom = Math.log(this.#tokenTotals[li]! + v);
      let s = Math.log(this.#docCounts[li]! / this.#docs);
      for (const ti of known) s += Math.log((ti < row.length ? row[ti]! : 0) + 1) - denom;
      return s;
    });
    const max = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    return exp
      .map((e, li) => ({ label: this.#labels[li]!, p: e / sum }))
      .sort((a, b) => b.p - a.p)
      .slice(0, k);
  }
}
