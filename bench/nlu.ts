/**
 * npm run bench:nlu [-- --rounds N] [--json]
 *
 * In-process latency of the whole parse (normalise, segment, entities, intent) with the committed
 * model, after a warm-up, over every training message plus long ones; prints p50/p99 and messages/s.
 */
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { quantile } from "../src/nlp/eval/metrics.js";
import { readLabelledDir } from "../src/nlp/intent/dataset.js";
import { IntentModelStore } from "../src/nlp/intent/store.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { NluPipeline } from "../src/nlp/pipeline.js";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "5" }, json: { type: "boolean", default: false } } });
await initTensorFlow("auto");
const pipeline = new NluPipeline(
  await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge"))),
  await IntentModelStore.open("models/intent"),
);
const texts = (await readLabelledDir("training/intents")).map((e) => e.text);
// Long messages too: shoppers paste whole stories (up to the 2,000-character limit).
for (let i = 0; i < 20; i++) texts.push(texts.slice(i * 40, i * 40 + 40).join("，").slice(0, 2000));

const now = new Date();
for (const t of texts) pipeline.parse(t, now); // warm-up
const times: number[] = [];
const started = performance.now();
for (let r = 0; r < Number(values.rounds); r++) {
  for (const t of texts) {
    const s = performance.now();
    pipeline.parse(t, now);
    times.push(performance.now() - s);
  }
}
const seconds = (performance.now() - started) / 1000;
const result = {
  messages: times.length,
  p50Ms: quantile(times, 0.5),
  p99Ms: quantile(times, 0.99),
  maxMs: Math.max(...times),
  messagesPerSecond: times.length / seconds,
};
console.log(
  `parse over ${result.messages} messages (one core): p50 ${result.p50Ms.toFixed(3)} ms, p99 ${result.p99Ms.toFixed(3)} ms, max ${result.maxMs.toFixed(2)} ms, ${Math.round(result.messagesPerSecond)} messages/s`,
);
if (values.json) console.log(JSON.stringify(result));
