/**
 * npm run eval:intent -- [--train FILE --test FILE] [--folds K] [--baselines] [--json]
 *
 * Trains a fresh kefu intent model and reports accuracy, macro-F1, per-label P/R/F1, the largest
 * confusions, training time and classify latency. With --train/--test it works on any
 * `text<TAB>label` files (e.g. ../shared/datasets/smp2020); without, it cross-validates on training/intents.
 * --data DIR cross-validates another folder of TSV files; --errors N prints some misclassified texts;
 * --tune grid-searches the out_of_scope thresholds on the cross-validated rankings. --baselines adds NLP.js, naive Bayes and a TF-IDF linear model trained on the same data in the same run.
 * Recipe overrides: --epochs --hidden --lr --dropout --label-smoothing --min-count --batch --members --seed
 * (cross-validation on our intents starts from SHOP_INTENT_OPTIONS, other files from the generic defaults).
 */
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { classificationReport, quantile, type ClassificationReport } from "../src/nlp/eval/metrics.js";
import { FEATURE_CLOCK, readLabelledDir, readLabelledTsv, toExamples, type LabelledText } from "../src/nlp/intent/dataset.js";
import { DEFAULT_FEATURES } from "../src/nlp/intent/features.js";
import { crossValidate } from "../src/nlp/intent/cross-validate.js";
import { decideIntent, OUT_OF_SCOPE, type IntentModel } from "../src/nlp/intent/model.js";
import { DEFAULT_TRAIN_OPTIONS, SHOP_INTENT_OPTIONS, trainIntentModel, type TrainOptions } from "../src/nlp/intent/train.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { trainCharLinear, trainNaiveBayes, trainNaturalBayes, trainNlpJs, type Classifier } from "./lib/baselines.js";

const { values } = parseArgs({
  options: {
    train: { type: "string" },
    test: { type: "string" },
    folds: { type: "string", default: "5" },
    data: { type: "string", default: "training/intents" },
    errors: { type: "string", default: "0" },
    tune: { type: "boolean", default: false },
    baselines: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    hidden: { type: "string" },
    epochs: { type: "string" },
    lr: { type: "string" },
    dropout: { type: "string" },
    "min-count": { type: "string" },
    batch: { type: "string" },
    members: { type: "string" },
    seed: { type: "string" },
    "label-smoothing": { type: "string" },
    "min-confidence": { type: "string" },
    "min-margin": { type: "string" },
  },
});
if (!!values.train !== !!values.test) {
  console.error("give both --train and --test, or neither (k-fold cross-validation on training/intents)");
  process.exit(2);
}
// Cross-validation on the shop's intent folders uses the shop's recipe (as `npm run train` does); other files the generic one.
const crossValidating = !values.train;
const overrides: Partial<TrainOptions> = crossValidating ? { ...SHOP_INTENT_OPTIONS } : {};
if (values.hidden) overrides.hidden = Number(values.hidden);
if (values.epochs) overrides.epochs = Number(values.epochs);
if (values.lr) overrides.learningRate = Number(values.lr);
if (values.dropout) overrides.dropout = Number(values.dropout);
if (values["min-count"]) overrides.minFeatureCount = Number(values["min-count"]);
if (values.batch) overrides.batchSize = Number(values.batch);
if (values.members) overrides.members = Number(values.members);
if (values.seed) overrides.seed = Number(values.seed);
if (values["label-smoothing"]) overrides.labelSmoothing = Number(values["label-smoothing"]);
if (values["min-confidence"]) overrides.minConfidence = Number(values["min-confidence"]);
if (values["min-margin"]) overrides.minMargin = Number(values["min-margin"]);

const log = (...args: unknown[]) => {
  if (!values.json) console.log(...args);
  else console.error(...args);
};

const backend = await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));

interface Run {
  name: string;
  report: ClassificationReport;
  trainSeconds: number;
  latencyMs?: { p50: number; p99: number };
}

/** kefu's own model; the out_of_scope thresholds apply only when the label set has out_of_scope. */
async function trainKefu(train: LabelledText[]) {
  const started = performance.now();
  const model = await trainIntentModel(toExamples(analyzer, train, DEFAULT_FEATURES), DEFAULT_FEATURES, overrides);
  const trainSeconds = (performance.now() - started) / 1000;
  const thresholds = model.labels.includes(OUT_OF_SCOPE);
  const predict = (text: string) => {
    const a = analyzer.analyze(text, FEATURE_CLOCK);
    const x = model.vectorize(a);
    return thresholds ? model.classify(x).intent.name : model.rank(x)[0]!.name;
  };
  return { model, predict, trainSeconds };
}

/** Per-message latency of the whole parse (normalise, segment, entities, classify), after warm-up. */
function measureLatency(texts: string[], model: IntentModel): { p50: number; p99: number } {
  const parse = (text: string) => {
    const a = analyzer.analyze(text, new Date());
    return model.classify(model.vectorize(a));
  };
  for (const t of texts.slice(0, 200)) parse(t);
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const t of texts) {
      const s = performance.now();
      parse(t);
      times.push(performance.now() - s);
    }
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function evaluate(classifier: Pick<Classifier, "predict">, test: LabelledText[]) {
  const predicted: string[] = [];
  for (const { text } of test) predicted.push(await classifier.predict(text));
  return predicted;
}

const runs: Run[] = [];
let mode: string;

if (values.train && values.test) {
  mode = `train ${values.train}, test ${values.test}`;
  const train = await readLabelledTsv(values.train);
  const test = await readLabelledTsv(values.test);
  log(`${mode}: ${train.length} training and ${test.length} test examples, ${new Set(train.map((e) => e.label)).size} labels, TF backend ${backend}`);
  const kefu = await trainKefu(train);
  runs.push({
    name: "kefu",
    report: classificationReport(test.map((e) => e.label), await evaluate(kefu, test)),
    trainSeconds: kefu.trainSeconds,
    latencyMs: measureLatency(test.map((e) => e.text), kefu.model),
  });
  if (values.baselines) {
    const peers: (() => Promise<Classifier> | Classifier)[] = [
      () => trainCharLinear(analyzer, train),
      () => trainNaturalBayes(analyzer, train),
      () => trainNaiveBayes(analyzer, train),
      () => trainNlpJs(train),
    ];
    for (const make of peers) {
      const peer = await make();
      log(`  trained ${peer.name} in ${peer.trainSeconds.toFixed(1)} s`);
      runs.push({ name: peer.name, report: classificationReport(test.map((e) => e.label), await evaluate(peer, test)), trainSeconds: peer.trainSeconds });
    }
  }
} else {
  const data = await readLabelledDir(values.data);
  const k = Number(values.folds);
  mode = `${k}-fold cross-validation on ${values.data}`;
  log(`${mode}: ${data.length} examples, ${new Set(data.map((e) => e.label)).size} labels, TF backend ${backend}`);
  const cv = await crossValidate(analyzer, data, k, {
    features: DEFAULT_FEATURES,
    train: overrides,
    onFold: (f, seconds) => log(`  fold ${f + 1}/${k}: trained in ${seconds.toFixed(1)} s`),
  });
  const { gold, predicted, texts, rankings } = cv;
  const trainSeconds = cv.foldSeconds.reduce((a, b) => a + b, 0);
  if (values.tune) {
    // Grid-search the out_of_scope thresholds on the cross-validated rankings.
    const results: { minConfidence: number; minMargin: number; macroF1: number; accuracy: number }[] = [];
    for (const minConfidence of [0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]) {
      for (const minMargin of [0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2]) {
        const decided = rankings.map((r) => decideIntent(r, minConfidence, minMargin).name);
        const rep = classificationReport(gold, decided);
        results.push({ minConfidence, minMargin, macroF1: rep.macroF1, accuracy: rep.accuracy });
      }
    }
    results.sort((a, b) => b.macroF1 - a.macroF1);
    log("\nout_of_scope thresholds by cross-validated macro-F1 (best 8):");
    for (const r of results.slice(0, 8)) log(`  minConfidence ${r.minConfidence}, minMargin ${r.minMargin}: macro-F1 ${(r.macroF1 * 100).toFixed(1)}%, accuracy ${(r.accuracy * 100).toFixed(1)}%`);
  }
  const shown = Number(values.errors);
  if (shown > 0) {
    log(`\nmisclassified examples (first ${shown}): text | gold -> predicted`);
    texts.forEach((t, i) => {
      if (gold[i] !== predicted[i] && i % Math.max(1, Math.floor(texts.length / shown / 4)) === 0) log(`  ${t} | ${gold[i]} -> ${predicted[i]}`);
    });
  }
  runs.push({
    name: "kefu",
    report: classificationReport(gold, predicted),
    trainSeconds: trainSeconds / k,
    latencyMs: measureLatency(data.map((e) => e.text), cv.lastModel),
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
log(`\n${mode}`);
log("| engine | accuracy | macro-F1 | train s |");
log("|---|---|---|---|");
for (const r of runs) log(`| ${r.name} | ${pct(r.report.accuracy)} | ${pct(r.report.macroF1)} | ${r.trainSeconds.toFixed(1)} |`);
const main = runs[0]!;
log(`\nkefu parse+classify latency: p50 ${main.latencyMs!.p50.toFixed(3)} ms, p99 ${main.latencyMs!.p99.toFixed(3)} ms`);
log("\nper label (kefu): precision / recall / F1 (support)");
for (const [label, m] of Object.entries(main.report.perLabel)) {
  log(`  ${label.padEnd(28)} ${m.precision.toFixed(2)} / ${m.recall.toFixed(2)} / ${m.f1.toFixed(2)} (${m.support})`);
}
log("\nlargest confusions (gold -> predicted: count)");
for (const c of main.report.confusions) log(`  ${c.gold} -> ${c.predicted}: ${c.count}`);

if (values.json) {
  console.log(
    JSON.stringify({
      mode,
      tfBackend: backend,
      accuracy: main.report.accuracy,
      macroF1: main.report.macroF1,
      perLabel: main.report.perLabel,
      confusions: main.report.confusions,
      trainSeconds: main.trainSeconds,
      latencyMs: main.latencyMs,
      options: { ...DEFAULT_TRAIN_OPTIONS, ...overrides },
      baselines: Object.fromEntries(
        runs.slice(1).map((r) => [r.name, { accuracy: r.report.accuracy, macroF1: r.report.macroF1, trainSeconds: r.trainSeconds }]),
      ),
    }),
  );
}
