/**
 * npm run train [-- --quick] [--out DIR] [--cv-only]
 *
 * Trains the intent classifier on training/intents/*.tsv and writes models/intent/
 * (manifest.json, vocab.json, weights.bin). Before the final model it cross-validates the same
 * recipe (5 folds) so the manifest records honest metrics, and writes the cross-validated report
 * (per-intent precision/recall/F1, largest confusions) to evaluation.json for the maintainers'
 * console; --quick skips that, --cv-only writes evaluation.json alone and leaves the model as it is.
 * A running server picks the new model up by itself (it watches manifest.json).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { classificationReport } from "../src/nlp/eval/metrics.js";
import { crossValidate } from "../src/nlp/intent/cross-validate.js";
import { hashData, readLabelledDir, toExamples } from "../src/nlp/intent/dataset.js";
import { DEFAULT_FEATURES } from "../src/nlp/intent/features.js";
import { IntentModel } from "../src/nlp/intent/model.js";
import { SHOP_INTENT_OPTIONS, trainIntentModel, type TrainProgress } from "../src/nlp/intent/train.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    out: { type: "string", default: "models/intent" },
    data: { type: "string", default: "training/intents" },
    folds: { type: "string", default: "5" },
    "cv-only": { type: "boolean", default: false },
  },
});

function progressBar(label: string) {
  return (p: TrainProgress) => {
    const width = 24;
    const done = Math.round((p.epoch / p.epochs) * width);
    const line = `${label} [${"#".repeat(done)}${".".repeat(width - done)}] epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}  ${p.elapsedSeconds.toFixed(1)} s, ~${p.etaSeconds.toFixed(0)} s left`;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}${p.epoch === p.epochs ? "\n" : ""}`);
    else console.log(line);
  };
}

const backend = await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));
const data = await readLabelledDir(values.data);
const labels = [...new Set(data.map((d) => d.label))].sort();
console.log(`${data.length} examples, ${labels.length} intents, TensorFlow.js backend: ${backend}`);
const examples = toExamples(analyzer, data, DEFAULT_FEATURES);

let metrics: Record<string, number> | undefined;
if (!values.quick) {
  const k = Number(values.folds);
  const { gold, predicted } = await crossValidate(analyzer, data, k, {
    features: DEFAULT_FEATURES,
    train: SHOP_INTENT_OPTIONS,
    onProgress: (f) => progressBar(`cross-validation fold ${f + 1}/${k}`),
  });
  const report = classificationReport(gold, predicted, 15);
  metrics = { cvFolds: k, cvAccuracy: report.accuracy, cvMacroF1: report.macroF1 };
  console.log(`${k}-fold cross-validation: accuracy ${(report.accuracy * 100).toFixed(1)}%, macro-F1 ${(report.macroF1 * 100).toFixed(1)}%`);
  await mkdir(values.out, { recursive: true });
  const evaluation = { createdAt: new Date().toISOString(), trainingDataHash: hashData(data), folds: k, examples: data.length, ...report };
  await writeFile(join(values.out, "evaluation.json"), `${JSON.stringify(evaluation, null, 1)}\n`);
  console.log(`wrote ${join(values.out, "evaluation.json")}`);
  if (values["cv-only"]) process.exit(0);
}

const model = await trainIntentModel(examples, DEFAULT_FEATURES, SHOP_INTENT_OPTIONS, { trainingDataHash: hashData(data), onProgress: progressBar("final model") });
const final = new IntentModel({ ...model.manifest, ...(metrics ? { metrics } : {}) }, model.vocabulary, model.members);
await final.save(values.out);
console.log(`wrote ${values.out}: ${final.vocabulary.features.length} features, trained in ${final.manifest.trainSeconds} s`);
