/**
 * The lexical half of knowledge retrieval: BM25 over terms (jieba words mapped to their synonym
 * group's canonical word, plus character bigrams, which survive typos and segmentation
 * differences), and TF-IDF cosine between a query and a candidate as a bounded confidence.
 */

export interface LexicalDoc {
  /** What the doc belongs to (a knowledge entry id). */
  key: string;
  terms: string[];
}

export interface LexicalHit {
  /** Index of the doc. */
  doc: number;
  bm25: number;
  cosine: number;
}

const K1 = 1.2;
const B = 0.75;

/**
 * Terms of an analysed text: canonical words (stop words dropped), and character bigrams of the
 * Han text with stop words removed, across word boundaries (凑到几块钱才免邮 still shares 免邮 with
 * 满多少免邮 when jieba cuts them differently).
 */
export function termsOf(tokens: readonly string[], canonical: ReadonlyMap<string, string>, stopWords: ReadonlySet<string>): string[] {
  const terms: string[] = [];
  let run: string[] = [];
  const flush = () => {
    for (let i = 0; i + 1 < run.length; i++) terms.push(`c:${run[i]}${run[i + 1]}`);
    run = [];
  };
  for (const raw of tokens) {
    const token = raw.toLowerCase();
    if (!/[\p{L}\p{N}]/u.test(token)) {
      flush();
      continue;
    }
    if (stopWords.has(token)) continue;
    const word = canonical.get(token) ?? token;
    terms.push(`w:${word}`);
    if (/^\p{Script=Han}+$/u.test(word)) run.push(...word);
    else flush();
  }
  flush();
  return terms;
}

export class LexicalIndex {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly norms: number[] = [];
  private avgLength = 0;

  constructor(readonly docs: readonly LexicalDoc[]) {
    let total = 0;
    docs.forEach((d, i) => {
      const counts = countTerms(d.terms);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term) ?? [];
        list.push({ doc: i, tf });
        this.postings.set(term, list);
      }
      this.lengths.push(d.terms.length);
      total += d.terms.length;
    });
    this.avgLength = docs.length ? total / docs.length : 0;
    // TF-IDF norms per doc, for the cosine.
    const sq = new Float64Array(docs.length);
    for (const [term, list] of this.postings) {
      const idf = this.idf(term);
      for (const p of list) sq[p.doc]! += (p.tf * idf) ** 2;
    }
    for (let i = 0; i < docs.length; i++) this.norms.push(Math.sqrt(sq[i]!));
  }

  /** Smoothed inverse document frequency (never negative). */
  idf(term: string): number {
    const n = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5));
  }

  /** The `limit` docs with the highest BM25 for the query terms, each with its TF-IDF cosine. */
  search(queryTerms: string[], limit: number): LexicalHit[] {
    const query = countTerms(queryTerms);
    const bm25 = new Map<number, number>();
    const dot = new Map<number, number>();
    let queryNorm = 0;
    for (const [term, qtf] of query) {
      const list = this.postings.get(term);
      const idf = this.idf(term);
      queryNorm += (qtf * idf) ** 2;
      if (!list) continue;
      for (const { doc, tf } of list) {
        const length = this.lengths[doc]!;
        const score = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / this.avgLength));
        bm25.set(doc, (bm25.get(doc) ?? 0) + qtf * score);
        dot.set(doc, (dot.get(doc) ?? 0) + qtf * idf * tf * idf);
      }
    }
    queryNorm = Math.sqrt(queryNorm);
    return [...bm25]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([doc, score]) => ({ doc, bm25: score, cosine: queryNorm && this.norms[doc] ? dot.get(doc)! / (queryNorm * this.norms[doc]!) : 0 }));
  }
}

function countTerms(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
