/**
 * npm run bench:nlu [-- --rounds N] [--json]
 *
 * In-process latency of the whole parse (normalise, segment, entities, intent, emotion) with the
 * committed models, after a warm-up, over every training message plus long ones; prints p50/p99 and
 * messages/s, and the same parse without the emotion detector, timed on the same messages in turn,
 * so the emotion stage's cost is the difference. Then NLP.js (the established JavaScript NLU, trained
 * on the same training data) classifies the same messages in the same run, for comparison; --no-nlpjs
 * skips it.
 */
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { quantile } from "../src/nlp/eval/metrics.js";
import { readLabelledDir } from "../src/nlp/intent/dataset.js";
import { IntentModelStore } from "../src/nlp/intent/store.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { NluPipeline } from "../src/nlp/pipeline.js";
import { loadEmotionDetector } from "../src/nlp/emotion/detector.js";
import { readEmotionLexicon } from "../src/nlp/emotion/lexicon.js";
import { trainNlpJs } from "../eval/lib/baselines.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, json: { type: "boolean", default: false }, "no-nlpjs": { type: "boolean", default: false } } });
await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));
const intents = await IntentModelStore.open("models/intent");
const emotions = await loadEmotionDetector("models", await readEmotionLexicon("knowledge"));
const pipeline = new NluPipeline(analyzer, intents, emotions);
const withoutEmotion = new NluPipeline(analyzer, intents);
const training = await readLabelledDir("training/intents");
const texts = training.map((e) => e.text);
// Long messages too: shoppers paste whole stories (up to the 2,000-character limit).
for (let i = 0; i < 20; i++) texts.push(texts.slice(i * 40, i * 40 + 40).join("，").slice(0, 2000));

const now = new Date();
for (const t of texts) pipeline.parse(t, now); // warm-up
const times: number[] = [];
const plain: number[] = [];
let spent = 0;
for (let r = 0; r < Number(values.rounds); r++) {
  for (const t of texts) {
    let s = performance.now();
    pipeline.parse(t, now);
    const took = performance.now() - s;
    times.push(took);
    spent += took;
    s = performance.now();
    withoutEmotion.parse(t, now);
    plain.push(performance.now() - s);
  }
}
const seconds = spent / 1000;
times.sort((a, b) => a - b);
plain.sort((a, b) => a - b);
const result = {
  messages: times.length,
  p50Ms: quantile(times, 0.5),
  p99Ms: quantile(times, 0.99),
  maxMs: Math.max(...times),
  messagesPerSecond: times.length / seconds,
  emotion: !!emotions,
  withoutEmotion: { p50Ms: quantile(plain, 0.5), p99Ms: quantile(plain, 0.99) },
};
console.log(
  `parse over ${result.messages} messages (one core): p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms, max ${result.maxMs.toFixed(2)} ms, ${Math.round(result.messagesPerSecond)} messages/s`,
);
console.log(`the same parse without emotion detection: p50 ${result.withoutEmotion.p50Ms.toFixed(3)} ms, p99 ${result.withoutEmotion.p99Ms.toFixed(3)} ms`);

let nlpjs: { p50Ms: number; p99Ms: number; messagesPerSecond: number; trainSeconds: number } | null = null;
if (!values["no-nlpjs"]) {
  const peer = await trainNlpJs(training);
  for (const t of texts.slice(0, 500)) await peer.predict(t); // warm-up
  const peerTimes: number[] = [];
  let peerSpent = 0;
  for (const t of texts) {
    const s = performance.now();
    await peer.predict(t);
    const took = performance.now() - s;
    peerTimes.push(took);
    peerSpent += took;
  }
  peerTimes.sort((a, b) => a - b);
  nlpjs = { p50Ms: quantile(peerTimes, 0.5), p99Ms: quantile(peerTimes, 0.99), messagesPerSecond: peerTimes.length / (peerSpent / 1000), trainSeconds: peer.trainSeconds };
  console.log(
    `NLP.js 4 on the same ${peerTimes.length} messages (intent only; trained in ${nlpjs.trainSeconds.toFixed(1)} s): p50 ${nlpjs.p50Ms.toFixed(3)} ms, p99 ${nlpjs.p99Ms.toFixed(3)} ms, ${Math.round(nlpjs.messagesPerSecond)} messages/s`,
  );
}
if (values.json) console.log(JSON.stringify({ ...result, nlpjs }));
