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
}

/**
 * How much of the score comes from the dense match; the rest from the lexical one. Chosen on
 * eval/kb-queries-*.tsv: top-1 61.3% at 0.5, 66.1% at 0.7, 64.9% at 0.85, 65.2% dense alone; with
 * the relative-BM25 lexical half, 74.1% at 0.5 against 76.8% at 0.7.
 */
const DENSE_WEIGHT = 0.7;

export interface KnowledgeThresholds {
  /** At or above: answer with the top entry. */
  answer: number;
  /** At or above (and below `answer`): suggest the top entries as 您是不是想问. */
  suggest: number;
}

/**
 * Calibrated with the encoder on the held-out queries and on the intent data's out_of_scope,
 * chitchat and greeting texts, erring towards not answering: unrelated texts reach 0.80 in 2.7% of
 * cases and 0.73 in about 10%, so answers need 0.80 and suggestions 0.73.
 */
export const DEFAULT_THRESHOLDS: KnowledgeThresholds = { answer: 0.8, suggest: 0.73 };

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
  private readonly index: LexicalIndex;
  private readonly dense: DenseIndex | null;
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
    private readonly vectorCache: Map<string, Float32Array> = new Map(),
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
    this.index = new LexicalIndex(docs);
    this.dense = encoder ? new DenseIndex(encoder.dim, docs.length) : null;
    if (this.dense && encoder) {
      docs.forEach((d, i) => {
        const text = d.key.split("\u0000")[1]!;
        let v = vectorCache.get(text);
        if (!v) {
          v = encoder.embed(this.analyze(text));
          vectorCache.set(text, v);
        }
        this.dense!.add(i, v);
      });
    }
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
    // Per entry: the best relative BM25 and the best dense similarity over its questions.
    const found = new Map<string, { lexical: number; dense: number; matched: string; best: number }>();
    const note = (doc: number, kind: "lexical" | "dense", value: number) => {
      const [id, matched] = this.index.docs[doc]!.key.split("\u0000") as [string, string];
      if (!isLive(this.byId.get(id)!, day)) return;
      const f = found.get(id) ?? { lexical: 0, dense: 0, matched, best: -1 };
      if (value > f[kind]) f[kind] = value;
      if (value > f.best) Object.assign(f, { best: value, matched });
      found.set(id, f);
    };
    // One analysis of the query serves both halves.
    const analysis = this.analyze(text);
    for (const hit of this.index.search(this.terms(analysis), 50)) note(hit.doc, "lexical", hit.relative);
    if (this.dense && this.encoder) for (const hit of this.dense.search(this.encoder.embed(analysis), 50)) note(hit.doc, "dense", hit.similarity);
    const weight = this.dense ? DENSE_WEIGHT : 0;
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
