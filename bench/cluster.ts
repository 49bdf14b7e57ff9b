/**
 * npx tsx bench/cluster.ts [--n 10000,100000] [--json]
 *
 * Clustering at scale. Each run builds n unanswered questions from the project's own texts (the
 * knowledge questions, the intent examples and eval/cluster-questions.tsv): a few texts are asked
 * very often and most rarely (Zipf), many come with a greeting, a particle, a product name, a typo,
 * Traditional characters or extra punctuation, and each gets a time in the last seven days. Prints the
 * seconds of each stage, the total and the peak resident memory.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as OpenCC from "opencc-js";
import { loadKnowledgeDir } from "../src/kb/entries.js";
import { loadKnowledgeEncoder } from "../src/kb/encoder.js";
import { clusterQuestions, knowledgeEmbedder, type UnansweredQuestion } from "../src/learning/cluster.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { mulberry32 } from "../src/shared/random.js";
import { catalog } from "../src/shop/demo/catalog.js";

const { values } = parseArgs({
  options: {
    n: { type: "string", default: "10000,100000" },
    json: { type: "boolean", default: false },
  },
});
const sizes = values.n!.split(",").map(Number);

const backend = await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));
const encoder = await loadKnowledgeEncoder("models");
if (!encoder) throw new Error("no knowledge encoder in models/kb-encoder (npm run train:kb)");

const base: string[] = [];
for (const e of (await loadKnowledgeDir("knowledge/faq")).entries) base.push(e.question, ...e.similar);
for (const file of (await readdir("training/intents")).filter((f) => f.endsWith(".tsv"))) {
  for (const line of (await readFile(join("training/intents", file), "utf8")).split("\n")) if (line.trim()) base.push(line.split("\t")[0]!);
}
for (const line of (await readFile("eval/cluster-questions.tsv", "utf8")).split("\n")) if (line.trim()) base.push(line.split("\t")[0]!);

const toTraditional = OpenCC.Converter({ from: "cn", to: "tw" });
const products = catalog.map((p) => p.name.split(" ")[0]!);
const openers = ["亲", "你好", "在吗", "请问", "客服", "hello", "麻烦问下", "我想问一下"];
const closers = ["呢", "啊", "呀", "？", "?", "。", "！！", "谢谢", "急", "～"];

/** n questions over `days` days before `now`, the same for the same n. */
function questions(n: number, now: Date): UnansweredQuestion[] {
  const random = mulberry32(n);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  // Zipf over the base texts: rank r is asked about 1/r as often.
  const harmonic = base.reduce((s, _, r) => s + 1 / (r + 1), 0);
  const order = base.map((_, i) => i).sort(() => random() - 0.5);
  const zipf = () => {
    let x = random() * harmonic;
    for (let r = 0; r < order.length; r++) if ((x -= 1 / (r + 1)) <= 0) return base[order[r]!]!;
    return base[order.at(-1)!]!;
  };
  const out: UnansweredQuestion[] = [];
  for (let id = 0; id < n; id++) {
    let text = random() < 0.5 ? zipf() : pick(base);
    if (random() < 0.3) text = pick(openers) + (random() < 0.5 ? "，" : " ") + text;
    if (random() < 0.3) text += pick(closers);
    if (random() < 0.15) text = pick(products) + " " + text;
    if (random() < 0.1) text = toTraditional(text);
    if (random() < 0.05 && text.length > 3) {
      const at = 1 + Math.floor(random() * (text.length - 2));
      text = random() < 0.5 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + text[at] + text.slice(at);
    }
    const at = new Date(now.getTime() - random() * 7 * 86_400_000);
    out.push({ id, text, firstSeen: at, lastSeen: at });
  }
  return out;
}

const now = new Date("2026-11-20T12:00:00+08:00");
const embed = knowledgeEmbedder(analyzer, encoder);
const results = [];
for (const n of sizes) {
  const input = questions(n, now);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  let lastStage = "";
  const result = await clusterQuestions(input, {
    embed,
    now,
    onProgress: ({ stage }) => {
      if (stage !== lastStage && !values.json) process.stderr.write(`  ${stage}…\n`);
      lastStage = stage;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const row = {
    n,
    distinct: result.distinct,
    clusters: result.clusters.length,
    singletons: result.singletons.length,
    stages: Object.fromEntries(Object.entries(result.seconds).map(([k, v]) => [k, Number(v.toFixed(2))])),
    seconds: Number(seconds.toFixed(2)),
    peakRssMb: Math.round(peak / 2 ** 20),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  results.push(row);
  if (!values.json) {
    console.log(
      `${n} questions (${row.distinct} distinct) → ${row.clusters} clusters, ${row.singletons} singletons in ${row.seconds} s; peak RSS ${row.peakRssMb} MB (maxRSS so far ${row.maxRssMb} MB), TF.js ${backend}`,
    );
    console.log(`  stages (s): ${Object.entries(row.stages).map(([k, v]) => `${k} ${v}`).join(", ")}`);
    const top = result.clusters.slice(0, 5).map((c) => `${c.label} (${c.size}/${c.messages}, 24 h ${c.trend.recent} vs ${c.trend.previous})`);
    console.log(`  largest: ${top.join("; ")}`);
  }
}
if (values.json) console.log(JSON.stringify(results));
