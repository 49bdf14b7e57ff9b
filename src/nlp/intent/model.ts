/**
 * The intent model at serving time: one or more one-hidden-layer networks over the same sparse TF-IDF
 * features (an ensemble of members trained from different seeds, their probabilities averaged),
 * trained with TensorFlow.js (train.ts) and evaluated here in plain JavaScript, touching only the
 * weight rows of the features a message has (a few dozen), so one message costs microseconds.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { IntentScore } from "../types.js";
import { featureStrings, vectorize, type FeatureInput, type FeatureOptions, type SparseVector, type Vocabulary } from "./features.js";

export const OUT_OF_SCOPE = "out_of_scope";

/** The top intent of a ranking, or out_of_scope when its confidence or its margin over the runner-up is too low. */
export function decideIntent(ranking: IntentScore[], minConfidence: number, minMargin: number): IntentScore {
  const [top, second] = [ranking[0]!, ranking[1]];
  const unsure = top.confidence < minConfidence || (second !== undefined && top.confidence - second.confidence < minMargin);
  return unsure ? { name: OUT_OF_SCOPE, confidence: top.confidence } : top;
}

export interface IntentManifest {
  format: "kefu-intent/1";
  createdAt: string;
  labels: string[];
  features: FeatureOptions;
  hidden: number;
  /** Below this top probability, or this margin over the second, the answer is out_of_scope. */
  minConfidence: number;
  minMargin: number;
  trainingDataHash: string;
  examples: number;
  trainSeconds: number;
  epochs: number;
  seed: number;
  /** Networks in the ensemble (absent in models written before ensembles: 1); weights.bin holds them one after another. */
  members?: number;
  /** Cross-validated figures, when the training run computed them. */
  metrics?: Record<string, number>;
  weightsSha256?: string;
}

export interface IntentWeights {
  /** [vocab, hidden] row-major, or [vocab, labels] when hidden = 0 */
  w1: Float32Array;
  b1: Float32Array;
  /** [hidden, labels]; empty when hidden = 0 */
  w2: Float32Array;
  b2: Float32Array;
}

export class IntentModel {
  readonly index: Map<string, number>;

  constructor(
    readonly manifest: IntentManifest,
    readonly vocabulary: Vocabulary,
    readonly members: readonly IntentWeights[],
  ) {
    if (members.length === 0) throw new Error("an intent model needs at least one network");
    this.index = new Map(vocabulary.features.map((f, i) => [f, i]));
  }

  /** The first network's weights (the one `embed` uses). */
  get weights(): IntentWeights {
    return this.members[0]!;
  }

  get labels() {
    return this.manifest.labels;
  }

  /** The model's input for an analysed message. */
  vectorize(analysis: FeatureInput): SparseVector {
    return vectorize(featureStrings(analysis, this.manifest.features), this.index, this.vocabulary.idf);
  }

  /**
   * The first network's hidden-layer activations, scaled to unit length: a sentence vector in which
   * texts of the same label lie close together (used as the knowledge base's dense encoder).
   */
  embed(x: SparseVector): Float32Array {
    const hidden = this.manifest.hidden;
    if (hidden === 0) throw new Error("a linear model has no hidden layer to embed with");
    const { w1, b1 } = this.weights;
    const h = new Float32Array(hidden);
    h.set(b1);
    for (let k = 0; k < x.ids.length; k++) {
      const row = x.ids[k]! * hidden;
      const v = x.values[k]!;
      for (let j = 0; j < hidden; j++) h[j]! += v * w1[row + j]!;
    }
    let norm = 0;
    for (let j = 0; j < hidden; j++) {
      if (h[j]! < 0) h[j] = 0;
      norm += h[j]! * h[j]!;
    }
    norm = Math.sqrt(norm) || 1;
    for (let j = 0; j < hidden; j++) h[j]! /= norm;
    return h;
  }

  /** Probabilities for every label, highest first (averaged over the ensemble's networks). */
  rank(x: SparseVector): IntentScore[] {
    const labels = this.manifest.labels;
    const probabilities = new Float64Array(labels.length);
    for (const weights of this.members) {
      const p = memberProbabilities(x, weights, this.manifest.hidden, labels.length);
      for (let c = 0; c < p.length; c++) probabilities[c]! += p[c]! / this.members.length;
    }
    return labels.map((name, i) => ({ name, confidence: probabilities[i]! })).sort((a, b) => b.confidence - a.confidence);
  }

  /** The decided intent: the top label, or out_of_scope when unsure; with the ranking. */
  classify(x: SparseVector): { intent: IntentScore; ranking: IntentScore[] } {
    const ranking = this.rank(x);
    return { intent: decideIntent(ranking, this.manifest.minConfidence, this.manifest.minMargin), ranking };
  }

  /** Writes manifest.json, vocab.json and weights.bin into dir (atomically per file). */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const parts = this.members.flatMap(({ w1, b1, w2, b2 }) => [w1, b1, w2, b2]);
    const buffer = Buffer.alloc(parts.reduce((n, part) => n + part.byteLength, 0));
    let offset = 0;
    for (const part of parts) {
      Buffer.from(part.buffer, part.byteOffset, part.byteLength).copy(buffer, offset);
      offset += part.byteLength;
    }
    const manifest: IntentManifest = { ...this.manifest, members: this.members.length, weightsSha256: createHash("sha256").update(buffer).digest("hex") };
    await writeAtomic(join(dir, "weights.bin"), buffer);
    await writeAtomic(join(dir, "vocab.json"), JSON.stringify(this.vocabulary));
    // The manifest goes last: a reader that sees the new manifest finds the new weights.
    await writeAtomic(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  }

  static async load(dir: string): Promise<IntentModel> {
    const manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as IntentManifest;
    if (manifest.format !== "kefu-intent/1") throw new Error(`${dir}: unknown model format ${String(manifest.format)}`);
    const vocabulary = JSON.parse(await readFile(join(dir, "vocab.json"), "utf8")) as Vocabulary;
    const bytes = await readFile(join(dir, "weights.bin"));
    if (manifest.weightsSha256 && createHash("sha256").update(bytes).digest("hex") !== manifest.weightsSha256) {
      throw new Error(`${dir}: weights.bin does not match its manifest (a retrain in progress?)`);
    }
    const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const V = vocabulary.features.length;
    const C = manifest.labels.length;
    const H = manifest.hidden;
    const sizes = H === 0 ? [V * C, C, 0, 0] : [V * H, H, H * C, C];
    const count = manifest.members ?? 1;
    if (!Number.isInteger(count) || count < 1 || sizes.reduce((a, b) => a + b, 0) * count !== floats.length) {
      throw new Error(`${dir}: weights.bin has the wrong size`);
    }
    let offset = 0;
    const members: IntentWeights[] = [];
    for (let m = 0; m < count; m++) {
      const [w1, b1, w2, b2] = sizes.map((n) => {
        const part = floats.subarray(offset, offset + n);
        offset += n;
        return part;
      }) as [Float32Array, Float32Array, Float32Array, Float32Array];
      members.push({ w1, b1, w2, b2 });
    }
    return new IntentModel(manifest, vocabulary, members);
  }
}

/** One network's softmax over the labels. */
function memberProbabilities(x: SparseVector, weights: IntentWeights, hidden: number, C: number): Float64Array {
  const { w1, b1, w2, b2 } = weights;
  let logits: Float64Array;
  if (hidden === 0) {
    logits = Float64Array.from(b1);
    for (let k = 0; k < x.ids.length; k++) {
      const row = x.ids[k]! * C;
      const v = x.values[k]!;
      for (let j = 0; j < C; j++) logits[j]! += v * w1[row + j]!;
    }
  } else {
    const h = Float64Array.from(b1);
    for (let k = 0; k < x.ids.length; k++) {
      const row = x.ids[k]! * hidden;
      const v = x.values[k]!;
      for (let j = 0; j < hidden; j++) h[j]! += v * w1[row + j]!;
    }
    logits = Float64Array.from(b2);
    for (let j = 0; j < hidden; j++) {
      const a = h[j]! > 0 ? h[j]! : 0;
      if (a === 0) continue;
      const row = j * C;
      for (let c = 0; c < C; c++) logits[c]! += a * w2[row + c]!;
    }
  }
  let max = -Infinity;
  for (const l of logits) if (l > max) max = l;
  let sum = 0;
  for (let c = 0; c < C; c++) {
    logits[c] = Math.exp(logits[c]! - max);
    sum += logits[c]!;
  }
  for (let c = 0; c < C; c++) logits[c]! /= sum;
  return logits;
}

async function writeAtomic(path: string, data: string | Buffer) {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
