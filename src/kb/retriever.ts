/**
 * Knowledge retrieval: the entries' standard and similar questions indexed lexically; a query's
 * best entries with a bounded score, and the outcome the thresholds give (answer, suggest, none).
 */
import type { Analysis, TextAnalyzer } from "../nlp/analyzer.js";
import { FEATURE_CLOCK } from "../nlp/intent/dataset.js";
import { isLive, type KnowledgeEntry } from "./entries.js";
import { DenseIndex } from "./dense.js";
import { LexicalIndex, termsOf, type LexicalDoc } from "./lexical.js";

/** Turns an analysed question into a unit vector (the trained knowledge encoder). */
export interface KnowledgeEncoder {
  dim: number;
  embed(analysis: Analysis): Float32Array;
  /** The share (0..1) of the text's words the encoder was trained on; 1 for a text of no words. */
  known(analysis: Analysis): number;
}

/**
 * How much of the score comes from the dense match; the rest from the lexical one (BM25 over the
 * entry's pooled questions). Chosen on eval/kb-queries-*.tsv when the pooled lexical half came in
 * (top-1 83.6% at 0.6, 83.3% at 0.5, 79.2% at 0.7 with the earlier per-question lexical half);
 * after the base grew to 20 similar questions per entry: 91.4% at 0.5, 92.0% at 0.6, 92.3% at 0.7.
 */
const DENSE_WEIGHT = 0.6;

/**
 * The dense half is only as good as the encoder's knowledge of the base's words. It gets its full
 * weight when the encoder knows COVERAGE_FULL of the indexed questions' words on average, none at
 * COVERAGE_NONE, linearly between. The shop's base is at 1.0 (the encoder is trained on it); the
 * public pair sets, which the encoder never saw, are at 0.76 (AFQMC, customer service, where the
 * dense half still helps) and 0.57 (LCQMC, general questions, where it pulled top-1 3 points below
 * BM25). The bounds were set knowing those figures: see eval/README.md.
 */
const COVERAGE_NONE = 0.6;
const COVERAGE_FULL = 0.9;

export interface KnowledgeThresholds {
  /** At or above: answer with the top entry. */
  answer: number;
  /** At or above (and below `answer`): suggest the top entries as 您是不是想问. */
  suggest: number;
}

/**
 * Calibrated with `npm run eval:kb` on the held-out queries and on the intent data's out_of_scope,
 * chitchat and greeting texts, erring towards not answering: 2.9% of those unrelated texts reach
 * 0.82 (their 97th percentile is 0.81) and 10% reach 0.67 (their 90th percentile), so answers need
 * 0.82 and suggestions 0.67.
 */
export const DEFAULT_THRESHOLDS: KnowledgeThresholds = { answer: 0.82, suggest: 0.67 };

export interface KnowledgeHit {
  id: string;
  question: string;
  /** 0..1: how close the query is to the entry's closest question. */
  score: number;
  /** The standard or similar question that matched best. */
  matched: string;
}

export interface Retrieval {
  outcome: "answer" | "suggest" | "none";
  hits: KnowledgeHit[];
}

export class KnowledgeRetriever {
  /** One doc per question (`entry id \0 question`), in the dense index's order. */
  private readonly docs: LexicalDoc[];
  /** BM25 over single questions: which question matched, when the dense half has no weight. */
  private readonly index: LexicalIndex | null = null;
  /** One doc per entry, all its questions' terms pooled: the lexical score. */
  private readonly pooled: LexicalIndex;
  /** The questions' encoder vectors, when the dense half has weight. */
  private readonly dense: DenseIndex | null = null;
  /** The share of the indexed questions' words the encoder was trained on (1 without an encoder). */
  readonly coverage: number = 1;
  /** DENSE_WEIGHT, less when the encoder knows too few of the base's words; 0 without an encoder. */
  private readonly denseWeight: number = 0;
  private readonly byId: Map<string, KnowledgeEntry>;
  private readonly canonical: Map<string, string>;

  constructor(
    readonly entries: readonly KnowledgeEntry[],
    private readonly analyzer: TextAnalyzer,
    synonyms: readonly string[][],
    readonly thresholds: KnowledgeThresholds = DEFAULT_THRESHOLDS,
    /** Terms per question text, kept across rebuilds so an edit only re-analyses what changed. */
    private readonly termCache: Map<string, string[]> = new Map(),
    private readonly encoder?: KnowledgeEncoder,
    /** Per question text: its encoder vector and the share of its words the encoder knows. */
    private readonly vectorCache: Map<string, { vector: Float32Array; known: number }> = new Map(),
  ) {
    this.canonical = new Map();
    for (const [head, ...rest] of synonyms) for (const w of [head!, ...rest]) this.canonical.set(w.toLowerCase(), head!.toLowerCase());
    this.byId = new Map(entries.map((e) => [e.id, e]));
    const docs: LexicalDoc[] = [];
    for (const e of entries) {
      for (const q of [e.question, ...e.similar]) {
        let terms = termCache.get(q);
        if (!terms) {
          terms = this.terms(this.analyze(q));
          termCache.set(q, terms);
        }
        docs.push({ key: `${e.id}\u0000${q}`, terms });
      }
    }
    this.docs = docs;
    const pooled = new Map<string, string[]>();
    for (const d of docs) {
      const id = d.key.slice(0, d.key.indexOf("\u0000"));
      const terms = pooled.get(id);
      if (terms) terms.push(...d.terms);
      else pooled.set(id, [...d.terms]);
    }
    this.pooled = new LexicalIndex([...pooled].map(([key, terms]) => ({ key, terms })));
    // Every question's vector, and the encoder's coverage of the base, decide the dense half's weight.
    let vectors: { vector: Float32Array; known: number }[] = [];
    if (encoder) {
      vectors = docs.map((d) => {
        const text = d.key.split("\u0000")[1]!;
        let v = vectorCache.get(text);
        if (!v) {
          const analysis = this.analyze(text);
          v = { vector: encoder.embed(analysis), known: encoder.known(analysis) };
          vectorCache.set(text, v);
        }
        return v;
      });
      this.coverage = docs.length ? vectors.reduce((sum, v) => sum + v.known, 0) / docs.length : 1;
      this.denseWeight = DENSE_WEIGHT * Math.min(1, Math.max(0, (this.coverage - COVERAGE_NONE) / (COVERAGE_FULL - COVERAGE_NONE)));
    }
    if (encoder && this.denseWeight > 0) {
      const dense = new DenseIndex(encoder.dim, docs.length);
      vectors.forEach((v, i) => dense.add(i, v.vector));
      this.dense = dense;
    } else this.index = new LexicalIndex(docs);
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  private analyze(text: string): Analysis {
    return this.analyzer.analyze(text, FEATURE_CLOCK);
  }

  private terms(analysis: Analysis): string[] {
    return termsOf(
      analysis.tokens.map((t) => t.text),
      this.canonical,
    );
  }

  /** The best live entries for a query, best first, one hit per entry. */
  search(text: string, now: Date, limit = 5): KnowledgeHit[] {
    const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    // Per entry: the relative BM25 of its pooled questions, and its best question by dense similarity
    // (or, without an encoder, by BM25).
    const found = new Map<string, { lexical: number; dense: number; matched: string; best: number }>();
    const entryOf = (id: string) => {
      let f = found.get(id);
      if (!f) {
        if (!isLive(this.byId.get(id)!, day)) return undefined;
        f = { lexical: 0, dense: 0, matched: this.byId.get(id)!.question, best: -1 };
        found.set(id, f);
      }
      return f;
    };
    const question = (doc: number, value: number, dense: boolean) => {
      const [id, matched] = this.docs[doc]!.key.split("\u0000") as [string, string];
      const f = entryOf(id);
      if (!f) return;
      if (dense && value > f.dense) f.dense = value;
      if (value > f.best) Object.assign(f, { best: value, matched });
    };
    // One analysis of the query serves both halves.
    const analysis = this.analyze(text);
    const terms = this.terms(analysis);
    for (const hit of this.pooled.search(terms, 50)) {
      const f = entryOf(this.pooled.docs[hit.doc]!.key);
      if (f) f.lexical = hit.relative;
    }
    if (this.index) for (const hit of this.index.search(terms, 50)) question(hit.doc, hit.relative, false);
    else for (const hit of this.dense!.search(this.encoder!.embed(analysis), 50)) question(hit.doc, hit.similarity, true);
    const weight = this.denseWeight;
    return [...found]
      .map(([id, f]) => ({
        id,
        question: this.byId.get(id)!.question,
        score: Math.round((weight * f.dense + (1 - weight) * f.lexical) * 10_000) / 10_000,
        matched: f.matched,
      }))
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  /** Search, then the outcome by the thresholds. */
  retrieve(text: string, now: Date): Retrieval {
    const hits = this.search(text, now, 3);
    const top = hits[0]?.score ?? 0;
    const outcome = top >= this.thresholds.answer ? "answer" : top >= this.thresholds.suggest ? "suggest" : "none";
    return { outcome, hits };
  }
}
