/**
 * Stratified k-fold cross-validation of the intent recipe: used by `npm run train` (metrics for the
 * manifest) and `npm run eval:intent` (reports, threshold tuning).
 */
import type { TextAnalyzer } from "../analyzer.js";
import { stratifiedFolds } from "../eval/metrics.js";
import type { IntentScore } from "../types.js";
import { FEATURE_CLOCK, toExamples, type LabelledText } from "./dataset.js";
import type { FeatureOptions } from "./features.js";
import { OUT_OF_SCOPE, type IntentModel } from "./model.js";
import { trainIntentModel, type TrainOptions, type TrainProgress } from "./train.js";

export interface CrossValidation {
  /** Per held-out example, in fold order. */
  texts: string[];
  gold: string[];
  /** The decided intent: with the out_of_scope thresholds when the label set has out_of_scope, else the top label. */
  predicted: string[];
  rankings: IntentScore[][];
  foldSeconds: number[];
  /** The last fold's model (for latency measurements). */
  lastModel: IntentModel;
}

export async function crossValidate(
  analyzer: TextAnalyzer,
  data: LabelledText[],
  k: number,
  options: {
    features: FeatureOptions;
    train?: Partial<TrainOptions>;
    onProgress?: (fold: number) => (p: TrainProgress) => void;
    onFold?: (fold: number, seconds: number) => void;
  },
): Promise<CrossValidation> {
  const examples = toExamples(analyzer, data, options.features);
  const folds = stratifiedFolds(
    data.map((d) => d.label),
    k,
  );
  const result: Omit<CrossValidation, "lastModel"> = { texts: [], gold: [], predicted: [], rankings: [], foldSeconds: [] };
  let lastModel: IntentModel | null = null;
  for (let f = 0; f < k; f++) {
    const started = performance.now();
    const model = await trainIntentModel(
      examples.filter((_, i) => folds[i] !== f),
      options.features,
      options.train ?? {},
      { onProgress: options.onProgress?.(f) },
    );
    const seconds = (performance.now() - started) / 1000;
    const thresholds = model.labels.includes(OUT_OF_SCOPE);
    data.forEach((d, i) => {
      if (folds[i] !== f) return;
      const x = model.vectorize(analyzer.analyze(d.text, FEATURE_CLOCK));
      const { intent, ranking } = model.classify(x);
      result.texts.push(d.text);
      result.gold.push(d.label);
      result.rankings.push(ranking);
      result.predicted.push(thresholds ? intent.name : ranking[0]!.name);
    });
    result.foldSeconds.push(seconds);
    options.onFold?.(f, seconds);
    lastModel = model;
  }
  return { ...result, lastModel: lastModel! };
}
