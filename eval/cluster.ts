/**
 * npm run eval:cluster -- --data FILE [--json] [--show N] [--cohesion X --split-cohesion X --outlier Y --embed-weight W --lexical-dim D --neighbours K]
 *
 * Clusters a labelled file (`text<TAB>label`, no header) as if its texts were unanswered questions,
 * and compares the clusters with the labels: NMI (arithmetic normalisation) and ARI, counting every
 * singleton as a cluster of its own. In the same run, a baseline is given the true number of labels:
 * TF-IDF over characters, LSA (the same 50-dimensional vectors kefu uses) and ml-kmeans with that k.
 * With --json the last line is {nmi, ari, clusters, singletons, seconds, baseline}.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { kmeans } from "ml-kmeans";
import { loadKnowledgeEncoder } from "../src/kb/encoder.js";
import { clusterQuestions, dedupeKey, knowledgeEmbedder, type ClusterOptions } from "../src/learning/cluster.js";
import { lsaVectors } from "../src/learning/lsa.js";
import { ari, nmi } from "../src/learning/metrics.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { TextAnalyzer } from "../src/nlp/analyzer.js";
import { demoLexicon, readKnowledgeWords } from "../src/nlp/lexicon.js";
import { normalize } from "../src/nlp/normalize.js";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    json: { type: "boolean", default: false },
    show: { type: "string", default: "0" },
    models: { type: "string", default: "models" },
    words: { type: "string", default: "knowledge" },
    cohesion: { type: "string" },
    "split-cohesion": { type: "string" },
    outlier: { type: "string" },
    "embed-weight": { type: "string" },
    "lexical-dim": { type: "string" },
    neighbours: { type: "string" },
    "no-baseline": { type: "boolean", default: false },
  },
});
if (!values.data) throw new Error("usage: eval/cluster.ts --data FILE [--json]");
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

const rows: { text: string; label: string }[] = [];
for (const line of (await readFile(values.data, "utf8")).split(/\r?\n/)) {
  const [text, label] = line.split("\t");
  if (text?.trim() && label?.trim()) rows.push({ text: text.trim(), label: label.trim() });
}
const gold = rows.map((r) => r.label);
const trueK = new Set(gold).size;

await initTensorFlow("auto");
const analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords(values.words!)));
const encoder = await loadKnowledgeEncoder(values.models!);
if (!encoder) throw new Error(`no knowledge encoder in ${values.models}/kb-encoder (npm run train:kb)`);

const options: ClusterOptions = {
  embed: knowledgeEmbedder(analyzer, encoder),
  now: new Date("2026-01-01T00:00:00Z"),
  cohesion: num(values.cohesion),
  splitCohesion: num(values["split-cohesion"]),
  outlier: num(values.outlier),
  embedWeight: num(values["embed-weight"]),
  lexicalDim: num(values["lexical-dim"]),
  neighbours: num(values.neighbours),
};
const started = performance.now();
const result = await clusterQuestions(
  rows.map((r, i) => ({ text: r.text, id: i })),
  options,
);
const seconds = (performance.now() - started) / 1000;

// Every row gets its cluster's number, or its own name when it is a singleton.
const predicted = rows.map((_, i) => `single-${i}`);
result.clusters.forEach((c, n) => c.ids.forEach((id) => (predicted[id as number] = `cluster-${n}`)));
result.singletons.forEach((s) => s.ids.forEach((id) => (predicted[id as number] = `single-${s.key}`)));
const ours = { nmi: nmi(gold, predicted), ari: ari(gold, predicted), clusters: result.clusters.length, singletons: result.singletons.length, seconds };

let baseline: { nmi: number; ari: number; k: number; seconds: number } | undefined;
if (!values["no-baseline"]) {
  const t = performance.now();
  const vectors = lsaVectors(rows.map((r) => dedupeKey(normalize(r.text))));
  const { clusters } = kmeans(
    vectors.map((v) => Array.from(v)),
    trueK,
    { seed: 42, initialization: "kmeans++" },
  );
  const labels = clusters.map(String);
  baseline = { nmi: nmi(gold, labels), ari: ari(gold, labels), k: trueK, seconds: (performance.now() - t) / 1000 };
}

const show = Number(values.show);
if (show > 0) {
  for (const c of result.clusters.slice(0, show)) {
    const byLabel = new Map<string, number>();
    for (const id of c.ids) byLabel.set(gold[id as number]!, (byLabel.get(gold[id as number]!) ?? 0) + 1);
    const mix = [...byLabel].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l}:${n}`).join(" ");
    console.log(`[${c.size}] ${c.label}  «${c.representative}»  cohesion ${c.cohesion.toFixed(2)}  ${mix}`);
  }
  console.log(`singletons: ${result.singletons.map((s) => `${s.text} (${gold[s.ids[0] as number]})`).join("; ")}`);
}

const pct = (x: number) => x.toFixed(3);
console.log(`${values.data}: ${rows.length} texts, ${trueK} labels (each singleton counts as a cluster of its own)`);
console.log(
  `kefu (k chosen): NMI ${pct(ours.nmi)}  ARI ${pct(ours.ari)}  clusters ${ours.clusters}  singletons ${ours.singletons}  ${seconds.toFixed(2)} s`,
);
if (baseline) {
  console.log(
    `baseline (char TF-IDF + LSA 50 + ml-kmeans, true k = ${baseline.k}): NMI ${pct(baseline.nmi)}  ARI ${pct(baseline.ari)}  ${baseline.seconds.toFixed(2)} s`,
  );
}
if (values.json) console.log(JSON.stringify({ ...ours, baseline }));
