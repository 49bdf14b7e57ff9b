/**
 * npm run eval:kb -- [--kb knowledge/faq] [--words knowledge] [--queries FILE ...] [--answer X --suggest Y] [--json] [--errors N]
 *
 * Knowledge retrieval on held-out paraphrases (`query<TAB>entry id`, none of them in the knowledge
 * files): top-1, top-3, MRR, latency, and what the answer/suggest thresholds would do.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { loadKnowledgeDir } from "../src/kb/entries.js";
import { loadKnowledgeEncoder } from "../src/kb/encoder.js";
import { DEFAULT_THRESHOLDS, KnowledgeRetriever } from "../src/kb/retriever.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { quantile } from "../src/nlp/eval/metrics.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";

const { values } = parseArgs({
  options: {
    kb: { type: "string", default: "knowledge/faq" },
    words: { type: "string", default: "knowledge" },
    queries: { type: "string", multiple: true },
    json: { type: "boolean", default: false },
    errors: { type: "string", default: "0" },
    answer: { type: "string" },
    models: { type: "string", default: "models" },
    "no-dense": { type: "boolean", default: false },
    suggest: { type: "string" },
  },
});

async function queryFiles(): Promise<string[]> {
  if (values.queries?.length) return values.queries;
  return (await readdir("eval")).filter((f) => /^kb-queries.*\.tsv$/.test(f)).map((f) => join("eval", f));
}

await initTensorFlow("auto");
const load = await loadKnowledgeDir(values.kb!);
for (const p of load.problems) console.error(`${p.file}:${p.line}: ${p.message}`);
const words = await readKnowledgeWords(values.words!);
const analyzer = await TextAnalyzer.create(demoLexicon(words));
const thresholds = {
  answer: values.answer ? Number(values.answer) : DEFAULT_THRESHOLDS.answer,
  suggest: values.suggest ? Number(values.suggest) : DEFAULT_THRESHOLDS.suggest,
};
const encoder = values["no-dense"] ? null : await loadKnowledgeEncoder(values.models!);
const lexical = new KnowledgeRetriever(load.entries, analyzer, words.synonyms, thresholds);
const started = performance.now();
const retriever = new KnowledgeRetriever(load.entries, analyzer, words.synonyms, thresholds, new Map(), encoder ?? undefined);
const buildMs = performance.now() - started;

const pairs: { query: string; id: string; file: string }[] = [];
for (const file of await queryFiles()) {
  for (const line of (await readFile(file, "utf8")).split(/\r?\n/)) {
    if (!line.trim() || line.startsWith("#")) continue;
    const [query, id] = line.split("\t");
    if (!query || !id) throw new Error(`${file}: malformed line: ${line}`);
    if (!retriever.entry(id.trim())) throw new Error(`${file}: unknown entry id ${id}`);
    pairs.push({ query: query.trim(), id: id.trim(), file: basename(file) });
  }
}

const now = new Date();
let top1 = 0;
let top3 = 0;
let rr = 0;
const outcomes = { answer: 0, answerRight: 0, suggest: 0, suggestRight: 0, none: 0 };
const times: number[] = [];
const misses: string[] = [];
for (const { query, id } of pairs) {
  const t0 = performance.now();
  const hits = retriever.search(query, now, 10);
  times.push(performance.now() - t0);
  const rank = hits.findIndex((h) => h.id === id);
  if (rank === 0) top1++;
  if (rank >= 0 && rank < 3) top3++;
  if (rank >= 0) rr += 1 / (rank + 1);
  const { outcome } = retriever.retrieve(query, now);
  outcomes[outcome]++;
  if (outcome === "answer" && rank === 0) outcomes.answerRight++;
  if (outcome === "suggest" && rank >= 0 && rank < 3) outcomes.suggestRight++;
  if (rank !== 0) misses.push(`${query}  →  ${hits[0]?.id ?? "(nothing)"} ${hits[0]?.score ?? ""} (gold ${id}, rank ${rank < 0 ? "-" : rank + 1})`);
}
const n = pairs.length;
times.sort((a, b) => a - b);
let lexTop1 = 0;
let lexTop3 = 0;
for (const { query, id } of pairs) {
  const rank = lexical.search(query, now, 3).findIndex((h) => h.id === id);
  if (rank === 0) lexTop1++;
  if (rank >= 0) lexTop3++;
}
const result = {
  entries: load.entries.length,
  questions: load.entries.reduce((s, e) => s + 1 + e.similar.length, 0),
  queries: n,
  retriever: encoder ? "hybrid (lexical + dense encoder)" : "lexical",
  top1: top1 / n,
  top3: top3 / n,
  mrr: rr / n,
  lexical: { top1: lexTop1 / n, top3: lexTop3 / n },
  thresholds: retriever.thresholds,
  outcomes,
  buildMs: Math.round(buildMs),
  searchP50Ms: quantile(times, 0.5),
  searchP99Ms: quantile(times, 0.99),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`${result.entries} entries, ${result.questions} questions; ${n} held-out queries`);
  console.log(`${result.retriever}: top-1 ${(result.top1 * 100).toFixed(1)}%  top-3 ${(result.top3 * 100).toFixed(1)}%  MRR ${result.mrr.toFixed(3)}`);
  console.log(`lexical only (same run): top-1 ${(result.lexical.top1 * 100).toFixed(1)}%  top-3 ${(result.lexical.top3 * 100).toFixed(1)}%`);
  console.log(
    `thresholds answer ≥ ${result.thresholds.answer}, suggest ≥ ${result.thresholds.suggest}: answered ${outcomes.answer} (${outcomes.answerRight} right), suggested ${outcomes.suggest} (${outcomes.suggestRight} with the right one in 3), unanswered ${outcomes.none}`,
  );
  console.log(`index built in ${result.buildMs} ms; search p50 ${result.searchP50Ms.toFixed(3)} ms, p99 ${result.searchP99Ms.toFixed(3)} ms`);
  for (const m of misses.slice(0, Number(values.errors))) console.log(`  miss: ${m}`);
}
