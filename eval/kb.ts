/**
 * npm run eval:kb -- [--kb knowledge/faq] [--words knowledge] [--queries FILE ...] [--unrelated FILE ...] [--answer X --suggest Y] [--json] [--errors N]
 * npm run eval:kb -- --pairs FILE [--json]
 *
 * Knowledge retrieval on held-out paraphrases (`query<TAB>entry id`, none of them in the knowledge
 * files): top-1, top-3, MRR, latency, and what the answer/suggest thresholds would do, to them and to
 * texts that are no knowledge question (--unrelated, by default the intent data's out_of_scope,
 * chitchat and greeting files).
 *
 * With --pairs, the same retrieval over a public question-pair set (`text1<TAB>text2<TAB>label`):
 * the text1 of every positive pair is indexed as an entry, each text2 is a query, and a hit is its
 * own pair's text1. Plain BM25 over jieba tokens (no synonyms, no character pairs, no stop words)
 * runs on the same index in the same run.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { loadKnowledgeDir } from "../src/kb/entries.js";
import { loadKnowledgeEncoder } from "../src/kb/encoder.js";
import { LexicalIndex } from "../src/kb/lexical.js";
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
    pairs: { type: "string" },
    unrelated: { type: "string", multiple: true },
  },
});

interface Ranked {
  top1: number;
  top3: number;
  mrr: number;
}

/** top-1, top-3 and MRR of `rank` (0-based, -1 when missing) over the queries. */
function score<T>(items: readonly T[], rank: (item: T) => number): Ranked {
  let top1 = 0;
  let top3 = 0;
  let rr = 0;
  for (const item of items) {
    const r = rank(item);
    if (r === 0) top1++;
    if (r >= 0 && r < 3) top3++;
    if (r >= 0) rr += 1 / (r + 1);
  }
  const n = items.length || 1;
  return { top1: top1 / n, top3: top3 / n, mrr: rr / n };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

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
if (values.pairs) {
  await evaluatePairs(values.pairs);
  process.exit(0);
}

/** Retrieval over a public pair set, next to plain BM25. */
async function evaluatePairs(file: string) {
  const ids = new Map<string, string>();
  const queries: { query: string; id: string }[] = [];
  for (const line of (await readFile(file, "utf8")).split(/\r?\n/)) {
    const [text1, text2, label] = line.split("\t");
    if (!text1?.trim() || !text2?.trim() || label?.trim() !== "1") continue;
    if (!ids.has(text1)) ids.set(text1, `q-${ids.size}`);
    queries.push({ query: text2, id: ids.get(text1)! });
  }
  const entries = [...ids].map(([question, id]) => ({ id, question, similar: [], answer: "-", category: "pairs", tags: [], enabled: true }));
  const now = new Date();
  const started = performance.now();
  const hybrid = new KnowledgeRetriever(entries, analyzer, words.synonyms, thresholds, new Map(), encoder ?? undefined);
  const buildMs = performance.now() - started;
  const ours = score(queries, (q) => hybrid.search(q.query, now, 10).findIndex((h) => h.id === q.id));
  const lexicalOnly = new KnowledgeRetriever(entries, analyzer, words.synonyms, thresholds);
  const lexical = score(queries, (q) => lexicalOnly.search(q.query, now, 10).findIndex((h) => h.id === q.id));
  // Plain BM25: jieba tokens as they come, lower-cased, punctuation dropped.
  const tokens = (text: string) =>
    analyzer
      .analyze(text, now)
      .tokens.map((t) => t.text.toLowerCase())
      .filter((t) => /[\p{L}\p{N}]/u.test(t));
  const bm25Index = new LexicalIndex(entries.map((e) => ({ key: e.id, terms: tokens(e.question) })));
  const bm25 = score(queries, (q) => bm25Index.search(tokens(q.query), 10).findIndex((h) => bm25Index.docs[h.doc]!.key === q.id));
  const result = {
    file,
    indexed: entries.length,
    queries: queries.length,
    retriever: encoder ? "hybrid (lexical + dense encoder)" : "lexical",
    encoderCoverage: hybrid.coverage,
    ...ours,
    lexical,
    bm25,
    buildMs: Math.round(buildMs),
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(`${file}: ${result.indexed} texts indexed (text1 of positive pairs), ${result.queries} queries (text2)`);
    console.log(`the encoder knows ${pct(result.encoderCoverage)} of the indexed texts' words`);
    console.log(`kefu ${result.retriever}: top-1 ${pct(ours.top1)}  top-3 ${pct(ours.top3)}  MRR ${ours.mrr.toFixed(3)}`);
    console.log(`kefu lexical only:       top-1 ${pct(lexical.top1)}  top-3 ${pct(lexical.top3)}  MRR ${lexical.mrr.toFixed(3)}`);
    console.log(`plain BM25 (jieba):      top-1 ${pct(bm25.top1)}  top-3 ${pct(bm25.top3)}  MRR ${bm25.mrr.toFixed(3)}`);
  }
}

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
// Texts that are not knowledge questions (the intent data's out_of_scope, chitchat and greetings):
// how many the thresholds would answer or suggest for, and the scores that would let 3% and 10% through.
const unrelatedFiles = values.unrelated ?? ["out_of_scope", "chitchat", "greeting"].map((name) => `training/intents/${name}.tsv`);
const unrelatedScores: number[] = [];
for (const file of unrelatedFiles) {
  for (const line of (await readFile(file, "utf8")).split(/\r?\n/)) {
    const text = line.split("\t")[0]?.trim();
    if (text && !text.startsWith("#")) unrelatedScores.push(retriever.search(text, now, 1)[0]?.score ?? 0);
  }
}
unrelatedScores.sort((a, b) => a - b);
const unrelated = {
  texts: unrelatedScores.length,
  answered: unrelatedScores.filter((s) => s >= thresholds.answer).length / (unrelatedScores.length || 1),
  suggested: unrelatedScores.filter((s) => s >= thresholds.suggest && s < thresholds.answer).length / (unrelatedScores.length || 1),
  scoreP90: quantile(unrelatedScores, 0.9),
  scoreP97: quantile(unrelatedScores, 0.97),
};
const result = {
  entries: load.entries.length,
  questions: load.entries.reduce((s, e) => s + 1 + e.similar.length, 0),
  queries: n,
  retriever: encoder ? "hybrid (lexical + dense encoder)" : "lexical",
  encoderCoverage: retriever.coverage,
  top1: top1 / n,
  top3: top3 / n,
  mrr: rr / n,
  lexical: { top1: lexTop1 / n, top3: lexTop3 / n },
  thresholds: retriever.thresholds,
  outcomes,
  unrelated,
  buildMs: Math.round(buildMs),
  searchP50Ms: quantile(times, 0.5),
  searchP99Ms: quantile(times, 0.99),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`${result.entries} entries, ${result.questions} questions; ${n} held-out queries`);
  console.log(`the encoder knows ${pct(result.encoderCoverage)} of the indexed questions' words`);
  console.log(`${result.retriever}: top-1 ${(result.top1 * 100).toFixed(1)}%  top-3 ${(result.top3 * 100).toFixed(1)}%  MRR ${result.mrr.toFixed(3)}`);
  console.log(`lexical only (same run): top-1 ${(result.lexical.top1 * 100).toFixed(1)}%  top-3 ${(result.lexical.top3 * 100).toFixed(1)}%`);
  console.log(
    `thresholds answer ≥ ${result.thresholds.answer}, suggest ≥ ${result.thresholds.suggest}: answered ${outcomes.answer} (${outcomes.answerRight} right), suggested ${outcomes.suggest} (${outcomes.suggestRight} with the right one in 3), unanswered ${outcomes.none}`,
  );
  console.log(
    `unrelated texts (${unrelated.texts}): answered ${pct(unrelated.answered)}, suggested for ${pct(unrelated.suggested)}; 90th percentile score ${unrelated.scoreP90.toFixed(3)}, 97th ${unrelated.scoreP97.toFixed(3)}`,
  );
  console.log(`index built in ${result.buildMs} ms; search p50 ${result.searchP50Ms.toFixed(3)} ms, p99 ${result.searchP99Ms.toFixed(3)} ms`);
  for (const m of misses.slice(0, Number(values.errors))) console.log(`  miss: ${m}`);
}
