/**
 * npm run eval:emotion -- --train FILE --test FILE [--json]
 * npm run eval:emotion -- --escalation eval/escalation.tsv [--json]
 *
 * With --train/--test: trains kefu's emotion engine (network over text features plus the lexicon's
 * signals) on any `text<TAB>label` file and reports accuracy and per-class F1 on the test file, next
 * to a count-based multinomial naive Bayes over jieba tokens and a linear classifier over TF-IDF
 * character 1-3-grams trained on the same files in the same run.
 *
 * --hold-out REGEX measures how the engines hold up on a kind of shop they were not trained on:
 * training drops every text matching REGEX, and the test reports the matching texts (unseen kind)
 * and the others (seen kinds) separately. --train-limit N keeps every k-th training text (faster).
 *
 * With --escalation: the shipped models on messages labelled `text<TAB>escalate(0|1)<TAB>kind`:
 * precision and recall of "hand over at once", decided as the dialogue engine decides a
 * conversation's first message: a scenario that hands over itself (human_agent, complaint), or the
 * escalation policy over the emotion detector (models/emotion + knowledge/emotion.yaml), which holds
 * back anger or anxiety below 0.9 on a message the bot can act on.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { emotionFeatures, loadEmotionDetector, trainEmotionModel } from "../src/nlp/emotion/detector.js";
import { lexiconSignals, readEmotionLexicon } from "../src/nlp/emotion/lexicon.js";
import { classificationReport, quantile, type ClassificationReport } from "../src/nlp/eval/metrics.js";
import { IntentModel } from "../src/nlp/intent/model.js";
import { decideEscalation } from "../src/dialogue/escalation.js";
import { scenarios } from "../src/dialogue/scenarios/index.js";
import { FEATURE_CLOCK, readLabelledTsv } from "../src/nlp/intent/dataset.js";
import { vectorize } from "../src/nlp/intent/features.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { trainCharLinear, trainNaiveBayes, type Classifier } from "./lib/baselines.js";

const { values } = parseArgs({
  options: {
    train: { type: "string" },
    test: { type: "string" },
    escalation: { type: "string" },
    knowledge: { type: "string", default: "knowledge" },
    models: { type: "string", default: "models" },
    json: { type: "boolean", default: false },
    errors: { type: "string", default: "0" },
    "hold-out": { type: "string" },
    "train-limit": { type: "string" },
  },
});

const backend = await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords(values.knowledge!)));
const lexicon = await readEmotionLexicon(values.knowledge!);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

if (values.escalation) await escalation(values.escalation);
else if (values.train && values.test) await trainAndTest(values.train, values.test);
else {
  console.error("give --train FILE --test FILE, or --escalation FILE");
  process.exit(2);
}

async function trainAndTest(trainFile: string, testFile: string) {
  const holdOut = values["hold-out"] ? new RegExp(values["hold-out"], "u") : null;
  let train = await readLabelledTsv(trainFile);
  if (holdOut) train = train.filter((t) => !holdOut.test(t.text));
  const limit = Number(values["train-limit"] ?? 0);
  if (limit && train.length > limit) {
    const step = train.length / limit;
    train = Array.from({ length: limit }, (_, i) => train[Math.floor(i * step)]!);
  }
  const test = await readLabelledTsv(testFile);
  const large = train.length > 10_000;
  let started = performance.now();
  // Long reviews by the ten thousand: rarer features are dropped and fewer epochs suffice.
  const model = await trainEmotionModel(analyzer, lexicon, train, large ? { hidden: 32, epochs: 6, minFeatureCount: 3, dropout: 0.3, learningRate: 0.01 } : undefined);
  const kefu: Classifier = {
    name: "kefu (network over text features + emotion lexicon)",
    trainSeconds: (performance.now() - started) / 1000,
    predict(text) {
      const a = analyzer.analyze(text, FEATURE_CLOCK);
      return model.rank(vectorize(emotionFeatures(a, lexiconSignals(lexicon, text, a.normalized)), model.index, model.vocabulary.idf))[0]!.name;
    },
  };
  started = performance.now();
  const engines = [kefu, trainNaiveBayes(analyzer, train), await trainCharLinear(analyzer, train)];
  const rows: { name: string; trainSeconds: number; report: ClassificationReport; unseen?: ClassificationReport }[] = [];
  for (const engine of engines) {
    const predicted: string[] = [];
    for (const { text } of test) predicted.push(await engine.predict(text));
    const report = (keep: (text: string) => boolean) => {
      const idx = test.map((t, i) => (keep(t.text) ? i : -1)).filter((i) => i >= 0);
      return classificationReport(idx.map((i) => test[i]!.label), idx.map((i) => predicted[i]!));
    };
    rows.push({
      name: engine.name,
      trainSeconds: Math.round(engine.trainSeconds * 10) / 10,
      // With a held-out kind, the main report is the kinds seen in training; `unseen` the held-out one.
      report: holdOut ? report((t) => !holdOut.test(t)) : report(() => true),
      ...(holdOut ? { unseen: report((t) => holdOut.test(t)) } : {}),
    });
  }
  const [ours, ...baselines] = rows;
  const result = {
    train: trainFile,
    test: testFile,
    backend,
    n: test.length,
    accuracy: ours!.report.accuracy,
    macroF1: ours!.report.macroF1,
    perLabel: ours!.report.perLabel,
    trainSeconds: ours!.trainSeconds,
    ...(ours!.unseen ? { unseen: { n: ours!.unseen.n, accuracy: ours!.unseen.accuracy, perLabel: ours!.unseen.perLabel } } : {}),
    baselines: Object.fromEntries(
      baselines.map((b) => [
        b.name,
        { accuracy: b.report.accuracy, macroF1: b.report.macroF1, perLabel: b.report.perLabel, trainSeconds: b.trainSeconds, ...(b.unseen ? { unseen: { accuracy: b.unseen.accuracy, perLabel: b.unseen.perLabel } } : {}) },
      ]),
    ),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`train ${train.length}, test ${test.length} (${trainFile} -> ${testFile}), TensorFlow.js ${backend}`);
    const labels = Object.keys(ours!.report.perLabel);
    if (holdOut) console.log(`held out of training: texts matching /${holdOut.source}/ (${ours!.unseen!.n} test texts); "seen" is the other ${ours!.report.n}`);
    const cells = (r: ClassificationReport) => `${pct(r.accuracy)} | ${labels.map((l) => pct(r.perLabel[l]?.f1 ?? 0)).join(" | ")}`;
    console.log(`| engine | accuracy | ${labels.map((l) => `F1 ${l}`).join(" | ")} |${holdOut ? ` unseen accuracy | ${labels.map((l) => `unseen F1 ${l}`).join(" | ")} |` : ""} train s |`);
    for (const r of rows) console.log(`| ${r.name} | ${cells(r.report)} |${r.unseen ? ` ${cells(r.unseen)} |` : ""} ${r.trainSeconds} |`);
  }
}

async function escalation(file: string) {
  const detector = await loadEmotionDetector(values.models!, lexicon);
  if (!detector) throw new Error(`no emotion model in ${values.models}/emotion: run npm run train:emotion`);
  const intents = await IntentModel.load(join(values.models!, "intent"));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const byKind = new Map<string, { n: number; right: number }>();
  const mistakes: string[] = [];
  const lines = (await readFile(file, "utf8")).split(/\r?\n/).filter((l) => l.trim());
  const times: number[] = [];
  // Warm-up, so the figure is the steady state a running server sees.
  for (const line of lines.slice(0, 50)) detector.detect(analyzer.analyze(line.split("\t")[0]!, FEATURE_CLOCK));
  for (const line of lines) {
    const [text, gold, kind = "-"] = line.split("\t");
    if (!text || (gold !== "0" && gold !== "1")) throw new Error(`${file}: expected text<TAB>0|1<TAB>kind: ${line}`);
    const analysis = analyzer.analyze(text, FEATURE_CLOCK);
    const t0 = performance.now();
    const emotion = detector.detect(analysis);
    times.push(performance.now() - t0);
    const { intent: read } = intents.classify(intents.vectorize(analysis));
    const intent = read.name;
    const spec = scenarios.find((f) => f.intent === intent);
    const solvable = !!spec && read.confidence >= 0.5;
    const escalate = spec?.handsOver === true || decideEscalation({ emotion, recent: [{ text, at: null, label: emotion.label, score: emotion.score }], vip: false, channel: "web", solvable }) !== null;
    const want = gold === "1";
    if (escalate && want) tp++;
    if (escalate && !want) fp++;
    if (!escalate && want) fn++;
    const k = byKind.get(kind) ?? { n: 0, right: 0 };
    k.n++;
    if (escalate === want) k.right++;
    else mistakes.push(`${want ? "missed" : "false alarm"} [${kind}] ${text} → ${emotion.label} ${emotion.score}${emotion.reason ? ` (${emotion.reason})` : ""}, ${intent}`);
    byKind.set(kind, k);
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  times.sort((a, b) => a - b);
  const result = { file, n: lines.length, precision, recall, emotionP99Ms: quantile(times, 0.99), f1: (2 * precision * recall) / Math.max(1e-9, precision + recall), byKind: Object.fromEntries(byKind) };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${lines.length} messages: escalation precision ${pct(precision)}, recall ${pct(recall)}; emotion detection p99 ${result.emotionP99Ms.toFixed(3)} ms (after the shared analysis)`);
    for (const [kind, k] of byKind) console.log(`  ${kind.padEnd(16)} ${k.right}/${k.n} decided right`);
    for (const m of mistakes.slice(0, Number(values.errors))) console.log(`  ${m}`);
  }
}
