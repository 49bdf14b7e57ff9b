/**
 * npm run train:kb [-- --kb knowledge/faq] [--out models/kb-encoder]
 *
 * Trains the knowledge encoder on the entries' standard and similar questions (label = entry id)
 * and writes it next to the intent model. The server embeds every question with it at start-up.
 */
import { parseArgs } from "node:util";
import { loadKnowledgeDir } from "../src/kb/entries.js";
import { trainKnowledgeEncoder } from "../src/kb/encoder.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";

const { values } = parseArgs({
  options: { kb: { type: "string", default: "knowledge/faq" }, words: { type: "string", default: "knowledge" }, out: { type: "string", default: "models/kb-encoder" } },
});
const backend = await initTensorFlow("auto");
const load = await loadKnowledgeDir(values.kb!);
for (const p of load.problems) console.error(`${p.file}:${p.line}: ${p.message}`);
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords(values.words!)));
console.log(`${load.entries.length} entries, ${load.entries.reduce((n, e) => n + 1 + e.similar.length, 0)} questions, TensorFlow.js backend: ${backend}`);
const model = await trainKnowledgeEncoder(load.entries, analyzer, (p) => {
  if (process.stdout.isTTY) process.stdout.write(`\repoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(4)}`);
});
await model.save(values.out!);
console.log(`\nwrote ${values.out}: ${model.vocabulary.features.length} features, ${model.manifest.hidden} dimensions, trained in ${model.manifest.trainSeconds} s`);
