/** Sentence vectors for clustering: the knowledge encoder behind a small interface, mixing, and neighbour smoothing. */
import hnswlib from "hnswlib-node";
import type { KnowledgeEncoder } from "../kb/retriever.js";
import type { TextAnalyzer } from "../nlp/analyzer.js";
import { FEATURE_CLOCK } from "../nlp/intent/dataset.js";
import { unit } from "./lsa.js";

/** Turns texts into unit-length vectors of one dimension; called in batches. */
export type Embedder = (texts: readonly string[]) => Float32Array[] | Promise<Float32Array[]>;

/** The knowledge base's sentence vectors as an Embedder (a fixed clock, so relative dates never change a vector). */
export function knowledgeEmbedder(analyzer: TextAnalyzer, encoder: KnowledgeEncoder): Embedder {
  return (texts) => texts.map((t) => encoder.embed(analyzer.analyze(t, FEATURE_CLOCK)));
}

/** Dot product; the cosine for unit vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Concatenates two unit vectors so that the cosine of the result is `weight`·cos(a) + (1 − weight)·cos(b). */
export function mix(a: Float32Array, b: Float32Array, weight: number): Float32Array {
  const out = new Float32Array(a.length + b.length);
  const wa = Math.sqrt(weight);
  const wb = Math.sqrt(1 - weight);
  for (let i = 0; i < a.length; i++) out[i] = wa * a[i]!;
  for (let i = 0; i < b.length; i++) out[a.length + i] = wb * b[i]!;
  return unit(out);
}

/** Up to `k` nearest other vectors of each vector, with their cosine; exact below 2,000 vectors, hnswlib above. */
export function nearestNeighbours(vectors: readonly Float32Array[], k: number, seed: number): { ids: number[]; sims: number[] }[] {
  const n = vectors.length;
  if (n < 2000) {
    return vectors.map((v, i) => {
      // Insertion into a sorted top-k: k is small, so this beats sorting all n.
      const ids: number[] = [];
      const sims: number[] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const sim = dot(v, vectors[j]!);
        if (ids.length === k && sim <= sims[k - 1]!) continue;
        let at = ids.length === k ? k - 1 : ids.length;
        while (at > 0 && sims[at - 1]! < sim) {
          if (at < k) [ids[at], sims[at]] = [ids[at - 1]!, sims[at - 1]!];
          at--;
        }
        ids[at] = j;
        sims[at] = sim;
      }
      return { ids, sims };
    });
  }
  const index = new hnswlib.HierarchicalNSW("ip", vectors[0]!.length);
  index.initIndex({ maxElements: n, m: 12, efConstruction: 64, randomSeed: seed });
  index.setEf(Math.max(32, k * 2));
  vectors.forEach((v, i) => index.addPoint(Array.from(v), i));
  return vectors.map((v, i) => {
    const { neighbors, distances } = index.searchKnn(Array.from(v), Math.min(k + 1, n));
    const ids: number[] = [];
    const sims: number[] = [];
    neighbors.forEach((j, r) => {
      if (j !== i && ids.length < k) {
        ids.push(j);
        sims.push(1 - distances[r]!);
      }
    });
    return { ids, sims };
  });
}

/**
 * Each vector plus the similarity-weighted mean of its `k` nearest neighbours, re-normalised.
 * Short questions share few characters with their paraphrases; borrowing from the neighbours fills
 * that in. Measured at the true k: NMI 0.757 → 0.777 on smp2020 dev (1.5 × k), 0.743 → 0.757 on
 * eval/cluster-questions.tsv; 10 or 20 neighbours were no better.
 */
export function smoothWithNeighbours(vectors: readonly Float32Array[], k: number, seed: number): Float32Array[] {
  if (k <= 0 || vectors.length < 3) return vectors.slice();
  const neighbours = nearestNeighbours(vectors, k, seed);
  return vectors.map((v, i) => {
    const out = Float32Array.from(v);
    const { ids, sims } = neighbours[i]!;
    ids.forEach((j, r) => {
      const w = Math.max(0, sims[r]!) / k;
      const u = vectors[j]!;
      for (let d = 0; d < out.length; d++) out[d]! += w * u[d]!;
    });
    return unit(out);
  });
}
