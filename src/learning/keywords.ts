/**
 * Cluster labels from jieba's TF-IDF keyword extraction. jieba's dictionary is process-wide and is
 * loaded with the shop's words by the TextAnalyzer's Segmenter (src/nlp/segment.ts); this module only
 * reads it, so labels use the same words as the rest of the NLU. Without an analyzer, nodejieba loads
 * its default dictionary on first use.
 */
import nodejieba from "nodejieba";

/** Texts beyond this many add little to the keyword weights and only cost time. */
const MAX_TEXTS = 200;

/** The `topN` keywords of a group of texts, strongest first: words present in several texts outweigh one text's rare word. */
export function keywords(texts: readonly string[], topN = 3): string[] {
  const sample = texts.slice(0, MAX_TEXTS);
  // Extract per text and add the weights up: one long text cannot then dominate the label.
  const weights = new Map<string, number>();
  for (const text of sample) {
    for (const { word, weight } of nodejieba.extract(text, 5)) {
      if (!/[\p{L}\p{N}]/u.test(word)) continue;
      weights.set(word, (weights.get(word) ?? 0) + weight);
    }
  }
  return [...weights]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, topN)
    .map(([word]) => word);
}

/** A short label: the top keywords joined with " / " (or the fallback when no keyword stands out). */
export function labelOf(words: readonly string[], fallback: string): string {
  return words.length ? words.join(" / ") : fallback;
}
