/**
 * Sparse features for the intent classifier: character 1–3-grams (digits folded to 0),
 * jieba words and word bigrams, the types of entities found, synonym-group concepts, and pinyin
 * syllable uni/bigrams. TF-IDF weighted, L2-normalised.
 */
import type { Analysis } from "../analyzer.js";

export interface FeatureOptions {
  charNgrams: [number, number];
  words: boolean;
  wordBigrams: boolean;
  entityTypes: boolean;
  /** Canonical words of synonym groups (knowledge/synonyms.yaml). */
  concepts?: boolean;
  /** Pinyin syllable unigrams and bigrams (homophone typos, messages typed in pinyin). */
  pinyin?: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  charNgrams: [1, 3],
  words: true,
  wordBigrams: true,
  entityTypes: true,
  concepts: true,
  pinyin: true,
};

export type FeatureInput = Pick<Analysis, "normalized" | "tokens" | "entities" | "concepts" | "pinyin">;

/** The raw feature strings of one analysed message (with repeats; counts matter). */
export function featureStrings(analysis: FeatureInput, options: FeatureOptions): string[] {
  const { normalized, tokens, entities } = analysis;
  const out: string[] = [];
  const folded = normalized
    .replace(/\d/g, "0")
    .replace(/0{4,}/g, "0000")
    .replace(/[\s,，。、;；:："'“”‘’()（）[\]【】<>《》]+/g, " ")
    .trim();
  const chars = [...` ${folded} `];
  const [minN, maxN] = options.charNgrams;
  for (let n = minN; n <= maxN; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n).join("");
      if (gram.trim()) out.push(`c:${gram}`);
    }
  }
  if (options.words || options.wordBigrams) {
    const words = tokens.map((t) => (t.kind === "number" ? `#${Math.min(t.text.replace(/\D/g, "").length, 5)}` : t.text));
    if (options.words) for (const w of words) out.push(`w:${w}`);
    if (options.wordBigrams) for (let i = 0; i + 1 < words.length; i++) out.push(`b:${words[i]}|${words[i + 1]}`);
  }
  if (options.entityTypes) for (const e of entities) out.push(`e:${e.type}`);
  if (options.concepts) for (const k of analysis.concepts) out.push(`k:${k}`);
  if (options.pinyin) {
    const syl = analysis.pinyin;
    for (let i = 0; i < syl.length; i++) {
      if (syl[i] === "|") continue;
      out.push(`y:${syl[i]}`);
      if (i + 1 < syl.length && syl[i + 1] !== "|") out.push(`y2:${syl[i]}_${syl[i + 1]}`);
    }
  }
  return out;
}

/** Feature vocabulary with inverse document frequencies. */
export interface Vocabulary {
  features: string[];
  idf: number[];
}

export function buildVocabulary(docs: string[][], minCount = 1): Vocabulary {
  const df = new Map<string, number>();
  for (const doc of docs) for (const f of new Set(doc)) df.set(f, (df.get(f) ?? 0) + 1);
  const features = [...df.entries()]
    .filter(([, n]) => n >= minCount)
    .map(([f]) => f)
    .sort();
  const idf = features.map((f) => Math.log((1 + docs.length) / (1 + df.get(f)!)) + 1);
  return { features, idf };
}

export interface SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

/** Maps feature strings to a sublinear-TF-IDF, L2-normalised sparse vector; unknown features are dropped. */
export function vectorize(doc: string[], index: Map<string, number>, idf: ArrayLike<number>): SparseVector {
  const counts = new Map<number, number>();
  for (const f of doc) {
    const id = index.get(f);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = new Int32Array(counts.size);
  const values = new Float32Array(counts.size);
  let k = 0;
  let norm = 0;
  for (const [id, c] of counts) {
    const v = (1 + Math.log(c)) * idf[id]!;
    ids[k] = id;
    values[k] = v;
    norm += v * v;
    k++;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i]! /= norm;
  return { ids, values };
}
