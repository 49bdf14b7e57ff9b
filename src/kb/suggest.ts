/**
 * Input association for the chat widget: while the shopper types, up to five standard questions
 * the partial input probably leads to. Three sources, best first: questions that start with what
 * was typed (after dropping a polite opening such as 请问), questions sharing most of its
 * character pairs anywhere (typos and word order survive that), and the retriever's semantic
 * match once the input is long enough to mean something.
 */
import { normalize } from "../nlp/normalize.js";
import type { KnowledgeEntry } from "./entries.js";

export interface Suggestion {
  id: string;
  /** The entry's standard question, which is what the widget shows. */
  question: string;
  /** The standard or similar question that matched. */
  matched: string;
  source: "prefix" | "fuzzy" | "semantic";
}

/** What the suggester needs of the retriever: its best entries for a text. */
export type SemanticSearch = (text: string, limit: number) => { id: string; score: number; matched: string }[];

/** Openings that say nothing about the question; dropped from both sides before prefix matching. */
const OPENING = /^(亲|您好|你好|hi|hello|在吗|客服|请问|问一下|问下|我想问|想问|我想|我要|请|麻烦|你们|你们家|这边)+[,，\s]*/u;
/** Keeps letters, digits and Han characters; punctuation and spaces do not matter while typing. */
const NOT_WORD = /[^\p{L}\p{N}]/gu;

/** Inputs shorter than this (in characters) get prefix matches only. */
const FUZZY_MIN = 2;
const SEMANTIC_MIN = 4;
/** Share of the input's character pairs a question must contain to be a fuzzy match. */
const FUZZY_COVERAGE = 0.6;
/** The retriever's score a semantic match needs (below the suggestion threshold: typing is partial). */
const SEMANTIC_MIN_SCORE = 0.6;
/** Prefix matches scanned at most, so a one-character input stays cheap on a large base. */
const PREFIX_SCAN = 400;

/** The key text is matched on: normalised, the opening dropped, punctuation removed. */
export function suggestKey(text: string): string {
  const plain = normalize(text).replace(NOT_WORD, "");
  return plain.replace(OPENING, "") || plain;
}

function pairs(key: string): string[] {
  const chars = [...key];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

interface Phrase {
  key: string;
  text: string;
  entry: number;
  standard: boolean;
}

export class QuestionSuggester {
  /** Every question's key, sorted for binary search by prefix. */
  private readonly phrases: Phrase[];
  /** character pair -> indexes into `phrases` (each listed once). */
  private readonly byPair = new Map<string, number[]>();
  private readonly indexOf: Map<string, number>;

  /** Entry id -> how often it was asked recently, to order equal matches (most asked first). */
  popularity: ReadonlyMap<string, number> = new Map();

  constructor(private readonly entries: readonly KnowledgeEntry[]) {
    this.indexOf = new Map(entries.map((e, i) => [e.id, i]));
    const phrases: Phrase[] = [];
    entries.forEach((e, entry) => {
      for (const [i, text] of [e.question, ...e.similar].entries()) {
        const key = suggestKey(text);
        if (key) phrases.push({ key, text, entry, standard: i === 0 });
      }
    });
    phrases.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.phrases = phrases;
    phrases.forEach((p, i) => {
      for (const pair of new Set(pairs(p.key))) {
        const list = this.byPair.get(pair);
        if (list) list.push(i);
        else this.byPair.set(pair, [i]);
      }
    });
  }

  /** Up to `limit` suggestions for a partial input, best first, one per entry. */
  suggest(input: string, limit = 5, semantic?: SemanticSearch): Suggestion[] {
    const key = suggestKey(input);
    if (!key) return [];
    const length = [...key].length;
    const scored = new Map<number, { score: number; matched: string; source: Suggestion["source"] }>();
    const offer = (entry: number, score: number, matched: string, source: Suggestion["source"]) => {
      const had = scored.get(entry);
      if (!had || score > had.score) scored.set(entry, { score, matched, source });
    };

    // Prefix: 2 + a little for the standard question and for a close length.
    for (let i = this.lowerBound(key), seen = 0; i < this.phrases.length && seen < PREFIX_SCAN; i++, seen++) {
      const p = this.phrases[i]!;
      if (!p.key.startsWith(key)) break;
      offer(p.entry, 2 + (p.standard ? 0.1 : 0) + length / [...p.key].length / 10, p.text, "prefix");
    }

    // Fuzzy: 1 + the share of the input's character pairs found in the question.
    if (length >= FUZZY_MIN) {
      const wanted = [...new Set(pairs(key))];
      const hits = new Map<number, number>();
      for (const pair of wanted) for (const i of this.byPair.get(pair) ?? []) hits.set(i, (hits.get(i) ?? 0) + 1);
      for (const [i, n] of hits) {
        const coverage = n / wanted.length;
        if (coverage >= FUZZY_COVERAGE) offer(this.phrases[i]!.entry, 1 + coverage, this.phrases[i]!.text, "fuzzy");
      }
    }

    // Semantic: the retriever's score (0..1).
    if (semantic && length >= SEMANTIC_MIN) {
      for (const hit of semantic(input, limit)) {
        const entry = this.indexOf.get(hit.id);
        if (entry !== undefined && hit.score >= SEMANTIC_MIN_SCORE) offer(entry, hit.score, hit.matched, "semantic");
      }
    }

    return [...scored]
      .sort((a, b) => b[1].score - a[1].score || this.asked(b[0]) - this.asked(a[0]) || a[0] - b[0])
      .slice(0, limit)
      .map(([entry, s]) => ({ id: this.entries[entry]!.id, question: this.entries[entry]!.question, matched: s.matched, source: s.source }));
  }

  private asked(entry: number): number {
    return this.popularity.get(this.entries[entry]!.id) ?? 0;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.phrases.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.phrases[mid]!.key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
