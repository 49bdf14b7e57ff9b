/**
 * The knowledge encoder: a network trained (with the intent classifier's code) to tell the knowledge
 * entries apart from their standard and similar questions; its hidden layer turns any question into a
 * vector in which paraphrases of one entry lie close. Entries added later are embedded with it too,
 * so an edit needs no retraining; retrain (`npm run train:kb`) when many entries changed.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { TextAnalyzer } from "../nlp/analyzer.js";
import { hashData, toExamples, type LabelledText } from "../nlp/intent/dataset.js";
import { DEFAULT_FEATURES } from "../nlp/intent/features.js";
import { IntentModel } from "../nlp/intent/model.js";
import { trainIntentModel, type TrainOptions, type TrainProgress } from "../nlp/intent/train.js";
import type { KnowledgeEntry } from "./entries.js";
import type { KnowledgeEncoder } from "./retriever.js";

/** Chosen on eval/kb-queries-*.tsv: top-1 66% (hidden 64) against 67% with 128 units at three times the size. */
/** One network: `embed` reads the first network's hidden layer only. */
export const ENCODER_OPTIONS: Partial<TrainOptions> = { hidden: 64, epochs: 30, minFeatureCount: 1, dropout: 0.2, learningRate: 0.01, members: 1 };

export function encoderData(entries: readonly KnowledgeEntry[]): LabelledText[] {
  return entries.flatMap((e) => [e.question, ...e.similar].map((text) => ({ text, label: e.id })));
}

export async function trainKnowledgeEncoder(
  entries: readonly KnowledgeEntry[],
  analyzer: TextAnalyzer,
  onProgress?: (p: TrainProgress) => void,
): Promise<IntentModel> {
  const data = encoderData(entries);
  return trainIntentModel(toExamples(analyzer, data, DEFAULT_FEATURES), DEFAULT_FEATURES, ENCODER_OPTIONS, { trainingDataHash: hashData(data), onProgress });
}

export function asEncoder(model: IntentModel): KnowledgeEncoder {
  return {
    dim: model.manifest.hidden,
    embed: (analysis) => model.embed(model.vectorize(analysis)),
    known: (analysis) => {
      const words = analysis.tokens.filter((t) => t.kind !== "number" && /[\p{L}]/u.test(t.text));
      return words.length ? words.filter((t) => model.index.has(`w:${t.text}`)).length / words.length : 1;
    },
  };
}

/** The committed encoder in `modelsDir/kb-encoder`, or null when there is none (lexical retrieval only). */
export async function loadKnowledgeEncoder(modelsDir: string): Promise<KnowledgeEncoder | null> {
  const dir = join(modelsDir, "kb-encoder");
  const exists = await access(join(dir, "manifest.json")).then(
    () => true,
    () => false,
  );
  return exists ? asEncoder(await IntentModel.load(dir)) : null;
}
