/**
 * npm run bench:kb [-- --entries 10000 --similar 5 --queries 2000] [--json]
 *
 * Knowledge retrieval at scale: a base of `entries` entries with `similar` similar questions each
 * (10,000 and 50,000 by default), built from the demo shop's own questions: every synthetic entry
 * is one of the knowledge or intent questions about one catalogue product and a model code of its
 * own, so entries share most of their words the way a large shop's base does. Prints the time to
 * build the index (analysis, encoder, hnswlib graph, BM25 postings, suggestion index), then the
 * latency of retrieval and of input suggestions.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadKnowledgeDir, type KnowledgeEntry } from "../src/kb/entries.js";
import { loadKnowledgeEncoder } from "../src/kb/encoder.js";
import { KnowledgeRetriever } from "../src/kb/retriever.js";
import { QuestionSuggester } from "../src/kb/suggest.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { quantile } from "../src/nlp/eval/metrics.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { catalog } from "../src/shop/demo/catalog.js";

const { values } = parseArgs({
  options: {
    entries: { type: "string", default: "10000" },
    similar: { type: "string", default: "5" },
    queries: { type: "string", default: "2000" },
    json: { type: "boolean", default: false },
  },
});
const ENTRIES = Number(values.entries);
const SIMILAR = Number(values.similar);
const QUERIES = Number(values.queries);

/** A small deterministic generator, so every run builds the same base. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = random(7);
const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;

const backend = await initTensorFlow("auto");
const words = await readKnowledgeWords("knowledge");
const analyzer = await TextAnalyzer.create(demoLexicon(words));
const encoder = await loadKnowledgeEncoder("models");
const faq = (await loadKnowledgeDir("knowledge/faq")).entries;
const intentTexts: string[] = [];
for (const file of (await readdir("training/intents")).filter((f) => f.endsWith(".tsv"))) {
  for (const line of (await readFile(join("training/intents", file), "utf8")).split("\n")) if (line.trim()) intentTexts.push(line.split("\t")[0]!);
}
const products = catalog.map((p) => p.name.split(" ").slice(0, 2).join(" "));

const entries: KnowledgeEntry[] = [];
for (let i = 0; i < ENTRIES; i++) {
  const base = pick(faq);
  const subject = `${pick(products)} ${String.fromCharCode(65 + (i % 26))}${i}`;
  const phrasings = [...base.similar, ...Array.from({ length: 3 }, () => pick(intentTexts))];
  entries.push({
    id: `bench-${i}`,
    question: `${subject} ${base.question}`,
    similar: Array.from({ length: SIMILAR }, (_, j) => `${j % 2 ? subject.split(" ")[1] : subject}${pick(phrasings)}`),
    answer: base.answer,
    category: base.category,
    tags: [],
    enabled: true,
  });
}
const questions = entries.reduce((n, e) => n + 1 + e.similar.length, 0);

let started = performance.now();
const retriever = new KnowledgeRetriever(entries, analyzer, words.synonyms, undefined, new Map(), encoder ?? undefined);
const retrieverMs = performance.now() - started;
started = performance.now();
const suggester = new QuestionSuggester(entries);
const suggesterMs = performance.now() - started;

// Queries: the held-out paraphrases, half of them about one of the synthetic entries' products.
const heldOut: string[] = [];
for (const file of (await readdir("eval")).filter((f) => /^kb-queries.*\.tsv$/.test(f))) {
  for (const line of (await readFile(join("eval", file), "utf8")).split("\n")) if (line.trim()) heldOut.push(line.split("\t")[0]!);
}
const queries = Array.from({ length: QUERIES }, (_, i) => (i % 2 ? `${pick(products)}${pick(heldOut)}` : pick(heldOut)));
const now = new Date();
for (const q of queries.slice(0, 50)) retriever.retrieve(q, now); // warm-up
const search: number[] = [];
for (const q of queries) {
  const t0 = performance.now();
  retriever.retrieve(q, now);
  search.push(performance.now() - t0);
}
// Suggestions: what a shopper has typed so far, 1 to 8 characters of a query.
const typed = queries.map((q) => [...q].slice(0, 1 + Math.floor(rand() * 8)).join(""));
const semantic = (text: string, limit: number) => retriever.search(text, now, limit);
const suggest: number[] = [];
for (const q of typed) {
  const t0 = performance.now();
  suggester.suggest(q, 5, semantic);
  suggest.push(performance.now() - t0);
}
search.sort((a, b) => a - b);
suggest.sort((a, b) => a - b);

const result = {
  entries: ENTRIES,
  questions,
  dense: !!encoder,
  backend,
  buildSeconds: Math.round(retrieverMs + suggesterMs) / 1000,
  suggestIndexSeconds: Math.round(suggesterMs) / 1000,
  queries: QUERIES,
  retrieveP50Ms: quantile(search, 0.5),
  retrieveP99Ms: quantile(search, 0.99),
  suggestP50Ms: quantile(suggest, 0.5),
  suggestP99Ms: quantile(suggest, 0.99),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`${ENTRIES} entries, ${questions} questions (${encoder ? "hybrid: BM25 + encoder in hnswlib" : "lexical only"}; TensorFlow.js ${backend})`);
  console.log(`index built in ${result.buildSeconds.toFixed(1)} s (suggestion index ${result.suggestIndexSeconds.toFixed(1)} s)`);
  console.log(`retrieve: p50 ${result.retrieveP50Ms.toFixed(2)} ms, p99 ${result.retrieveP99Ms.toFixed(2)} ms over ${QUERIES} queries`);
  console.log(`suggest:  p50 ${result.suggestP50Ms.toFixed(2)} ms, p99 ${result.suggestP99Ms.toFixed(2)} ms over ${QUERIES} partial inputs`);
}
