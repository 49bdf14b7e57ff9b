/**
 * The dense half of knowledge retrieval: every standard and similar question as a vector from the
 * knowledge encoder (a network trained to tell the entries' question groups apart, see
 * training/train-kb-encoder.ts), in an hnswlib graph for approximate nearest neighbours by cosine.
 */
import hnswlib from "hnswlib-node";

export interface DenseHit {
  doc: number;
  /** Cosine similarity, 0..1 for the non-negative encoder vectors. */
  similarity: number;
}

export class DenseIndex {
  private readonly index: hnswlib.HierarchicalNSW;
  private size = 0;

  constructor(
    readonly dim: number,
    capacity: number,
  ) {
    this.index = new hnswlib.HierarchicalNSW("cosine", dim);
    this.index.initIndex({ maxElements: Math.max(16, capacity), m: 16, efConstruction: 200, randomSeed: 42 });
    this.index.setEf(64);
  }

  add(doc: number, vector: Float32Array): void {
    if (this.size >= this.index.getMaxElements()) this.index.resizeIndex(this.size * 2);
    this.index.addPoint(Array.from(vector), doc);
    this.size++;
  }

  search(vector: Float32Array, k: number): DenseHit[] {
    if (this.size === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(Array.from(vector), Math.min(k, this.size));
    return neighbors.map((doc, i) => ({ doc, similarity: 1 - distances[i]! }));
  }
}
