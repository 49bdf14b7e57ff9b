/**
 * Knowledge retrieval: the entries' standard and similar questions indexed lexically; a query's
 * best entries with a bounded score, and the outcome the thresholds give (answer, suggest, none).
 */
import type { TextAnalyzer } from "../nlp/analyzer.js";
import { isLive, type KnowledgeEntry } from "./entries.js";
import { LexicalIndex, termsOf, type LexicalDoc } from "./lexical.js";

export interface KnowledgeThresholds {
  /** At or above: answer with the top entry. */
  answer: number;
  /** At or above (and below `answer`): suggest the top entries as 您是不是想问. */
  suggest: number;
}

export const DEFAULT_THRESHOLDS: KnowledgeThresholds = { answer: 0.6, suggest: 0.25 };

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

/** Words that carry no meaning for matching a question. */
const STOP_WORDS = new Set(
  "的 了 吗 呢 吧 啊 呀 哦 嘛 么 啦 是 我 你 您 我们 你们 这 那 这个 那个 一下 请问 请 问 想 想问 要 能 可以 会 有 在 和 就 都 也 还 怎么 怎样 如何 什么 多少 为什么 哪 哪里 哪些 几 吗？ 一个 下 给 帮 帮我 麻烦 谢谢 好 嗯".split(" "),
);

export class KnowledgeRetriever {
  private readonly index: LexicalIndex;
  private readonly byId: Map<string, KnowledgeEntry>;
  private readonly canonical: Map<string, string>;

  constructor(
    readonly entries: readonly KnowledgeEntry[],
    private readonly analyzer: TextAnalyzer,
    synonyms: readonly string[][],
    readonly thresholds: KnowledgeThresholds = DEFAULT_THRESHOLDS,
    /** Terms per question text, kept across rebuilds so an edit only re-analyses what changed. */
    private readonly termCache: Map<string, string[]> = new Map(),
  ) {
    this.canonical = new Map();
    for (const [head, ...rest] of synonyms) for (const w of [head!, ...rest]) this.canonical.set(w.toLowerCase(), head!.toLowerCase());
    this.byId = new Map(entries.map((e) => [e.id, e]));
    const docs: LexicalDoc[] = [];
    for (const e of entries) {
      for (const q of [e.question, ...e.similar]) {
        let terms = termCache.get(q);
        if (!terms) {
          terms = this.terms(q);
          termCache.set(q, terms);
        }
        docs.push({ key: `${e.id}\u0000${q}`, terms });
      }
    }
    this.index = new LexicalIndex(docs);
  }

  entry(id: string): KnowledgeEntry | undefined {
    return this.byId.get(id);
  }

  private terms(text: string): string[] {
    const tokens = this.analyzer.analyze(text, new Date(0)).tokens.map((t) => t.text);
    return termsOf(tokens, this.canonical, STOP_WORDS);
  }

  /** The best live entries for a query, best first, one hit per entry. */
  search(text: string, now: Date, limit = 5): KnowledgeHit[] {
    const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const best = new Map<string, KnowledgeHit>();
    for (const hit of this.index.search(this.terms(text), 50)) {
      const [id, matched] = this.index.docs[hit.doc]!.key.split("\u0000") as [string, string];
      const entry = this.byId.get(id)!;
      if (!isLive(entry, day)) continue;
      const score = Math.round(hit.cosine * 10_000) / 10_000;
      const current = best.get(id);
      if (!current || score > current.score) best.set(id, { id, question: entry.question, score, matched });
    }
    return [...best.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  }

  /** Search, then the outcome by the thresholds. */
  retrieve(text: string, now: Date): Retrieval {
    const hits = this.search(text, now, 3);
    const top = hits[0]?.score ?? 0;
    const outcome = top >= this.thresholds.answer ? "answer" : top >= this.thresholds.suggest ? "suggest" : "none";
    return { outcome, hits };
  }
}
