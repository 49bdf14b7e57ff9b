/**
 * npm run train:emotion [-- --data training/emotion.tsv] [--out models/emotion] [--folds 5]
 *
 * Trains the emotion model on labelled shopper messages (`text<TAB>label`, labels anger, anxiety,
 * disappointment, neutral, positive) with the lexicon in knowledge/emotion.yaml, after printing a
 * k-fold cross-validation of the same recipe, and writes it next to the intent model.
 */
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { trainEmotionModel } from "../src/nlp/emotion/detector.js";
import { readEmotionLexicon } from "../src/nlp/emotion/lexicon.js";
import { classificationReport } from "../src/nlp/eval/metrics.js";
import { FEATURE_CLOCK, readLabelledTsv } from "../src/nlp/intent/dataset.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { mulberry32, shuffleInPlace } from "../src/shared/random.js";
import { EmotionDetector } from "../src/nlp/emotion/detector.js";

const { values } = parseArgs({
  options: {
    data: { type: "string", default: "training/emotion.tsv" },
    knowledge: { type: "string", default: "knowledge" },
    out: { type: "string", default: "models/emotion" },
    folds: { type: "string", default: "5" },
  },
});
const backend = await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords(values.knowledge!)));
const lexicon = await readEmotionLexicon(values.knowledge!);
const data = await readLabelledTsv(values.data!);
console.log(`${data.length} messages, TensorFlow.js backend: ${backend}`);

const folds = Number(values.folds);
if (folds > 1) {
  const order = shuffleInPlace([...data.keys()], mulberry32(42));
  const gold: string[] = [];
  const predicted: string[] = [];
  const scores: number[] = [];
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, i) => i % folds === f).map((i) => data[i]!);
    const train = order.filter((_, i) => i % folds !== f).map((i) => data[i]!);
    const detector = new EmotionDetector(await trainEmotionModel(analyzer, lexicon, train), lexicon);
    for (const { text, label } of test) {
      const emotion = detector.detect(analyzer.analyze(text, FEATURE_CLOCK));
      gold.push(label);
      predicted.push(emotion.label);
      scores.push(emotion.score);
    }
  }
  const report = classificationReport(gold, predicted);
  console.log(`${folds}-fold cross-validation: accuracy ${(report.accuracy * 100).toFixed(1)}%, macro-F1 ${(report.macroF1 * 100).toFixed(1)}%`);
  for (const [label, m] of Object.entries(report.perLabel)) console.log(`  ${label.padEnd(15)} F1 ${(m.f1 * 100).toFixed(1)}%`);
  // How the escalation thresholds would do on these cross-validated scores (the shipped ones are
  // chosen from this table, never from the held-out escalation set).
  for (const label of ["anger", "anxiety"]) {
    const row = [0.4, 0.5, 0.6, 0.7, 0.8].map((t) => {
      const flagged = predicted.map((p, i) => p === label && scores[i]! >= t);
      const tp = flagged.filter((f, i) => f && gold[i] === label).length;
      const precision = tp / Math.max(1, flagged.filter(Boolean).length);
      const recall = tp / Math.max(1, gold.filter((g) => g === label).length);
      return `≥${t}: P ${(precision * 100).toFixed(0)}% R ${(recall * 100).toFixed(0)}%`;
    });
    console.log(`  ${label} at score ${row.join(", ")}`);
  }
}

const model = await trainEmotionModel(analyzer, lexicon, data);
await model.save(values.out!);
console.log(`wrote ${values.out}: ${model.vocabulary.features.length} features, trained in ${model.manifest.trainSeconds} s`);
