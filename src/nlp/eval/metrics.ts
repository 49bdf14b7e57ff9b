/** Classification metrics: accuracy, macro-F1, per-label precision/recall/F1 and the largest confusions. */
import { mulberry32, shuffleInPlace } from "../../shared/random.js";

export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  accuracy: number;
  macroF1: number;
  perLabel: Record<string, LabelMetrics>;
  /** Most frequent (gold -> predicted) mistakes, largest first. */
  confusions: { gold: string; predicted: string; count: number }[];
  n: number;
}

export function classificationReport(gold: string[], predicted: string[], topConfusions = 10): ClassificationReport {
  if (gold.length !== predicted.length) throw new Error("gold and predicted differ in length");
  const labels = [...new Set([...gold])].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const confusion = new Map<string, number>();
  let correct = 0;
  gold.forEach((g, i) => {
    const p = predicted[i]!;
    if (g === p) {
      correct++;
      tp.set(g, (tp.get(g) ?? 0) + 1);
    } else {
      fp.set(p, (fp.get(p) ?? 0) + 1);
      fn.set(g, (fn.get(g) ?? 0) + 1);
      confusion.set(`${g}\t${p}`, (confusion.get(`${g}\t${p}`) ?? 0) + 1);
    }
  });
  const perLabel: Record<string, LabelMetrics> = {};
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const precision = t + (fp.get(label) ?? 0) === 0 ? 0 : t / (t + (fp.get(label) ?? 0));
    const recall = t + (fn.get(label) ?? 0) === 0 ? 0 : t / (t + (fn.get(label) ?? 0));
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perLabel[label] = { precision, recall, f1, support: t + (fn.get(label) ?? 0) };
  }
  const macroF1 = labels.reduce((s, l) => s + perLabel[l]!.f1, 0) / (labels.length || 1);
  const confusions = [...confusion.entries()]
    .map(([k, count]) => {
      const [g, p] = k.split("\t") as [string, string];
      return { gold: g, predicted: p, count };
    })
    .sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold))
    .slice(0, topConfusions);
  return { accuracy: gold.length ? correct / gold.length : 0, macroF1, perLabel, confusions, n: gold.length };
}

/** The q-quantile (0..1) of a list of numbers, nearest-rank. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Stratified k-fold split: fold index per example, labels spread evenly over folds. */
export function stratifiedFolds(labels: string[], k: number, seed = 7): number[] {
  const rand = mulberry32(seed);
  const fold = new Array<number>(labels.length).fill(0);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => byLabel.set(l, [...(byLabel.get(l) ?? []), i]));
  let offset = 0;
  for (const indices of [...byLabel.values()]) {
    shuffleInPlace(indices, rand).forEach((idx, n) => (fold[idx] = (n + offset) % k));
    offset += indices.length;
  }
  return fold;
}
