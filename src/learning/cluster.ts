/**
 * Groups the questions the bot could not answer, so a maintainer reviews each meaning once.
 *
 * Pipeline: dedupe (normalised text without punctuation) → sentence vectors (the knowledge encoder,
 * mixed with character LSA fitted on these questions) → each vector smoothed with its nearest
 * neighbours → bisecting k-means: ml-kmeans splits a cluster in two until every cluster is tight
 * (mean cosine to its centroid at least `splitCohesion`), then the leaves are joined again while the
 * union keeps a mean cosine of `cohesion`, so k follows from the data instead of being given →
 * members far from their centroid, and clusters left with one question, become singletons.
 * Above `sampleSize` distinct questions the splitting runs on a sample and every question is then
 * assigned to its nearest centroid; the questions no centroid takes are clustered again, so groups
 * too small to show up in the sample are not lost.
 */
import hnswlib from "hnswlib-node";
import { kmeans } from "ml-kmeans";
import { mulberry32 } from "../shared/random.js";
import { dedupeQuestions, type DistinctQuestion, type UnansweredQuestion } from "./dedupe.js";
import { keywords, labelOf } from "./keywords.js";
import { lsaVectors, unit } from "./lsa.js";
import { dot, mix, nearestNeighbours, smoothWithNeighbours, type Embedder } from "./vectors.js";

export type { DistinctQuestion, UnansweredQuestion } from "./dedupe.js";
export { dedupeKey, dedupeQuestions } from "./dedupe.js";
export { knowledgeEmbedder, type Embedder } from "./vectors.js";

/** Stages in order; "assign" (sampled rounds only) is timed in `seconds` but reported as part of "split". */
export type ClusterStage = "dedupe" | "embed" | "lexical" | "neighbours" | "split" | "assign" | "summarize";

export interface ClusterProgress {
  stage: ClusterStage;
  done: number;
  total: number;
}

/** The nearest existing knowledge entry or intent for a cluster's representative question. */
export interface Suggestion {
  kind: "knowledge" | "intent";
  id: string;
  score: number;
}

export type Suggest = (representative: string) => Suggestion | null | Promise<Suggestion | null>;

export interface ClusterOptions {
  embed: Embedder;
  /** The clock for the trend windows (default: the current time). */
  now?: Date;
  suggest?: Suggest;
  onProgress?: (progress: ClusterProgress) => void;
  seed?: number;
  /**
   * Every cluster's mean cosine to its centroid is at least this: bisecting splits until a cluster
   * reaches `splitCohesion`, then leaves are joined while the joined cluster stays above `cohesion`.
   */
  cohesion?: number;
  splitCohesion?: number;
  /** A member whose cosine to its cluster's centroid is below this becomes a singleton. */
  outlier?: number;
  /** Share of the similarity that comes from the embedder; the rest from the lexical vectors. */
  embedWeight?: number;
  /** Dimensions of the character LSA vectors; 0 clusters on the embedder's vectors alone. */
  lexicalDim?: number;
  /** Nearest neighbours each vector is smoothed with; 0 turns smoothing off. */
  neighbours?: number;
  /** Distinct questions the splitting runs on at most; the rest are assigned to the centroids found. */
  sampleSize?: number;
  /** Members listed per cluster. */
  maxMembers?: number;
  /** Length of one trend window in hours. */
  windowHours?: number;
  /**
   * The median nearest-neighbour cosine of the sets the thresholds were tuned on. Below 2,000
   * distinct questions, when the questions' own median is lower (a few dozen questions fit the
   * character LSA poorly and sit further apart), every threshold moves down by the difference;
   * 0 turns this off.
   */
  referenceSimilarity?: number;
}

/**
 * Chosen on eval/cluster-questions.tsv and smp2020 dev (NMI / ARI): split 0.95, join 0.86, outlier
 * 0.75 gave 0.803 / 0.528 and 0.798 / 0.522; splitting at 0.90 without joining 0.798 / 0.463 and
 * 0.787 / 0.442; joining at 0.88 0.798 / 0.505 and 0.794 / 0.500; outlier 0.8 0.804 / 0.501 and
 * 0.802 / 0.502 with twice the singletons; embedder weight 0 (characters only) 0.805 / 0.476 and
 * 0.800 / 0.464, 0.4 0.789 / 0.500 and 0.789 / 0.557; 10 neighbours 0.790 / 0.472 and 0.790 / 0.502.
 */
export const DEFAULT_CLUSTER_OPTIONS = {
  seed: 42,
  cohesion: 0.86,
  splitCohesion: 0.95,
  outlier: 0.75,
  embedWeight: 0.25,
  lexicalDim: 50,
  neighbours: 5,
  sampleSize: 8000,
  maxMembers: 20,
  windowHours: 24,
  referenceSimilarity: 0.9,
} satisfies Omit<ClusterOptions, "embed" | "now" | "suggest" | "onProgress">;

type Options = typeof DEFAULT_CLUSTER_OPTIONS;

export interface ClusterMember {
  text: string;
  count: number;
  /** Cosine to the cluster's centroid. */
  similarity: number;
  ids: (string | number)[];
}

/** Messages in the last window before `now` against the window before it. */
export interface Trend {
  recent: number;
  previous: number;
  /** recent / previous − 1; null when the earlier window had none. */
  growth: number | null;
}

export interface QuestionCluster {
  label: string;
  keywords: string[];
  /** The member closest to the centroid. */
  representative: string;
  /** Distinct questions. */
  size: number;
  /** Messages, duplicates included. */
  messages: number;
  firstSeen?: Date;
  lastSeen?: Date;
  trend: Trend;
  /** Mean cosine of the members to the centroid. */
  cohesion: number;
  /** The most frequent members first (the most central among equals), at most `maxMembers`. */
  members: ClusterMember[];
  /** Record ids of every member. */
  ids: (string | number)[];
  suggestion: Suggestion | null;
}

export interface ClusterResult {
  /** Largest first (by messages). */
  clusters: QuestionCluster[];
  /** Questions that belong to no cluster, most frequent first. */
  singletons: DistinctQuestion[];
  questions: number;
  distinct: number;
  /** Seconds spent per stage. */
  seconds: Partial<Record<ClusterStage, number>>;
}

/** Clusters unanswered questions; see the module comment for the steps and ClusterOptions for the knobs. */
export async function clusterQuestions(questions: readonly UnansweredQuestion[], options: ClusterOptions): Promise<ClusterResult> {
  const o: Options = { ...DEFAULT_CLUSTER_OPTIONS, ...definedOnly(options) };
  const now = options.now ?? new Date();
  const report = options.onProgress ?? (() => {});
  const seconds: ClusterResult["seconds"] = {};
  const timed = async <T>(stage: ClusterStage, run: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await run();
    seconds[stage] = (seconds[stage] ?? 0) + (performance.now() - started) / 1000;
    return result;
  };

  const distinct = await timed("dedupe", () => {
    report({ stage: "dedupe", done: 0, total: questions.length });
    const d = dedupeQuestions(questions, { now, windowMs: o.windowHours * 3_600_000 });
    report({ stage: "dedupe", done: questions.length, total: questions.length });
    return d;
  });
  const embedded = await timed("embed", () => embedAll(distinct, options.embed, report));
  // Every stage reports its start and end, even when switched off, so a progress bar has the same steps each run.
  const vectors = await timed("lexical", () => {
    report({ stage: "lexical", done: 0, total: distinct.length });
    const mixed =
      o.lexicalDim <= 0 || distinct.length < 3
        ? embedded
        : lsaVectors(
            distinct.map((d) => d.key),
            { dim: o.lexicalDim, seed: o.seed },
          ).map((lexical, i) => mix(embedded[i]!, lexical, o.embedWeight));
    report({ stage: "lexical", done: distinct.length, total: distinct.length });
    return mixed;
  });
  const points = await timed("neighbours", () => {
    report({ stage: "neighbours", done: 0, total: distinct.length });
    const smoothed = smoothWithNeighbours(vectors, o.neighbours, o.seed);
    report({ stage: "neighbours", done: distinct.length, total: distinct.length });
    return smoothed;
  });
  const found = findGroups(points, adapted(points, o), report);
  seconds.split = found.splitSeconds;
  seconds.assign = found.assignSeconds;
  const groups = found.groups;

  const clustered = new Set<number>();
  const clusters = await timed("summarize", async () => {
    const out: QuestionCluster[] = [];
    for (const [n, g] of groups.entries()) {
      report({ stage: "summarize", done: n, total: groups.length });
      for (const i of g.members) clustered.add(i);
      out.push(await summarize(g, points, distinct, o.maxMembers, options.suggest));
    }
    report({ stage: "summarize", done: groups.length, total: groups.length });
    return out.sort((a, b) => b.messages - a.messages || b.size - a.size || a.label.localeCompare(b.label));
  });
  const singletons = distinct.filter((_, i) => !clustered.has(i)).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return { clusters, singletons, questions: questions.length, distinct: distinct.length, seconds };
}

/** Questions up to this many get thresholds adapted to their own spread (an exact neighbour search is cheap there). */
const ADAPT_BELOW = 2000;

/**
 * The thresholds moved down by how much closer the tuning sets' neighbours were than these
 * questions' (see `referenceSimilarity`). Measured on subsets of 3–8 groups of
 * eval/cluster-questions.tsv (39–108 questions): mean NMI 0.573 without, 0.648 with a reference of
 * 0.9; the whole set (median 0.898) is unchanged.
 */
function adapted(points: readonly Float32Array[], o: Options): Options {
  if (!o.referenceSimilarity || points.length < 3 || points.length >= ADAPT_BELOW) return o;
  const nearest = nearestNeighbours(points, 1, o.seed).map((n) => n.sims[0] ?? 0).sort((a, b) => a - b);
  const shift = Math.min(0, nearest[Math.floor(nearest.length / 2)]! - o.referenceSimilarity);
  return shift === 0 ? o : { ...o, splitCohesion: o.splitCohesion + shift, cohesion: o.cohesion + shift, outlier: o.outlier + shift };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const EMBED_BATCH = 512;

async function embedAll(distinct: readonly DistinctQuestion[], embed: Embedder, report: (p: ClusterProgress) => void): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < distinct.length; start += EMBED_BATCH) {
    report({ stage: "embed", done: start, total: distinct.length });
    const batch = distinct.slice(start, start + EMBED_BATCH);
    const vectors = await embed(batch.map((d) => d.text));
    if (vectors.length !== batch.length) throw new Error(`embedder returned ${vectors.length} vectors for ${batch.length} texts`);
    for (const v of vectors) {
      if (out.length && v.length !== out[0]!.length) throw new Error("embedder returned vectors of different dimensions");
      out.push(unit(Float32Array.from(v)));
    }
  }
  report({ stage: "embed", done: distinct.length, total: distinct.length });
  return out;
}

interface Group {
  members: number[];
  centroid: Float32Array;
}

/** Unit-length mean of the points; its length before normalising is the mean cosine to it (the cohesion). */
function centroidOf(points: readonly Float32Array[], members: readonly number[]): { centroid: Float32Array; cohesion: number } {
  const sum = new Float32Array(points[members[0]!]!.length);
  for (const i of members) {
    const p = points[i]!;
    for (let d = 0; d < sum.length; d++) sum[d]! += p[d]!;
  }
  let norm = 0;
  for (let d = 0; d < sum.length; d++) norm += sum[d]! * sum[d]!;
  norm = Math.sqrt(norm);
  return { centroid: unit(sum), cohesion: norm / members.length };
}

/**
 * Clusters of two or more points, every member within `outlier` of its centroid. Rounds: split a
 * sample, assign the pending points to its centroids, keep the groups, and go again with the points
 * no group kept while a sample left some out.
 */
function findGroups(
  points: readonly Float32Array[],
  o: Options,
  report: (p: ClusterProgress) => void,
): { groups: Group[]; splitSeconds: number; assignSeconds: number } {
  const random = mulberry32(o.seed);
  const groups: Group[] = [];
  let splitSeconds = 0;
  let assignSeconds = 0;
  // ml-kmeans takes plain arrays; converting once keeps the splits from copying the same points again and again.
  const rows = points.map((p) => Array.from(p));
  let pending = points.map((_, i) => i);
  let settled = 0;
  for (let round = 0; pending.length >= 2; round++) {
    const sampled = pending.length > o.sampleSize;
    let started = performance.now();
    const sample = sampled ? sampleOf(pending, o.sampleSize, random) : pending;
    const leaves = mergeCohesive(
      points,
      bisect(points, rows, sample, o.splitCohesion, (done) =>
        report({ stage: "split", done: settled + Math.round((done / sample.length) * pending.length), total: points.length }),
      ),
      o.cohesion,
    );
    splitSeconds += (performance.now() - started) / 1000;
    started = performance.now();
    const assigned = sampled ? assignToNearest(points, pending, leaves, o.seed) : leaves.map((l) => l.members);
    const leftovers: number[] = [];
    for (const members of assigned) {
      const kept = members.length ? keepCohesive(points, members, o.outlier) : null;
      if (kept && kept.group.members.length >= 2) groups.push(kept.group);
      leftovers.push(...(kept ? kept.outliers : members));
      if (kept && kept.group.members.length < 2) leftovers.push(...kept.group.members);
    }
    assignSeconds += (performance.now() - started) / 1000;
    settled += pending.length - leftovers.length;
    // Without a sample every point had its chance; with one, stop once a round finds next to nothing new.
    if (!sampled || leftovers.length > 0.95 * pending.length) break;
    pending = leftovers;
  }
  report({ stage: "split", done: points.length, total: points.length });
  return { groups, splitSeconds, assignSeconds };
}

function sampleOf(items: readonly number[], size: number, random: () => number): number[] {
  const copy = items.slice();
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, size).sort((a, b) => a - b);
}

/** Bisecting k-means: split with ml-kmeans (k = 2) until each cluster reaches `splitCohesion` or is a single point. */
function bisect(points: readonly Float32Array[], rows: readonly number[][], members: number[], splitCohesion: number, progress: (done: number) => void): Group[] {
  const leaves: Group[] = [];
  const queue: number[][] = [members];
  let done = 0;
  while (queue.length) {
    const current = queue.pop()!;
    const { centroid, cohesion } = centroidOf(points, current);
    const halves = current.length >= 2 && cohesion < splitCohesion ? splitInTwo(points, rows, current, centroid) : null;
    if (!halves) {
      leaves.push({ members: current, centroid });
      done += current.length;
      if (leaves.length % 64 === 0) progress(done);
      continue;
    }
    queue.push(...halves);
  }
  progress(done);
  return leaves;
}

/**
 * Joins leaves while the joined cluster is still cohesive, the most cohesive join first. Bisecting
 * splits greedily, so one meaning can end up in two branches; this brings such halves back together.
 * Candidates are each leaf's nearest centroids, which keeps it near-linear in the number of leaves.
 */
function mergeCohesive(points: readonly Float32Array[], leaves: Group[], cohesion: number): Group[] {
  if (leaves.length < 2) return leaves;
  const dim = leaves[0]!.centroid.length;
  // Unnormalised sums: the cohesion of a union is |sum_a + sum_b| / (n_a + n_b).
  const sums = leaves.map((l) => {
    const s = new Float64Array(dim);
    for (const i of l.members) for (let d = 0; d < dim; d++) s[d]! += points[i]![d]!;
    return s;
  });
  const alive = leaves.map((l) => l.members.slice());
  const joined = (a: number, b: number) => {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += (sums[a]![d]! + sums[b]![d]!) ** 2;
    return Math.sqrt(norm) / (alive[a]!.length + alive[b]!.length);
  };
  const centroids = leaves.map((l) => l.centroid);
  const candidates: [number, number, number][] = [];
  const neighbours = nearestNeighbours(centroids, MERGE_CANDIDATES, 0).map((n) => n.ids);
  neighbours.forEach((ns, a) => {
    for (const b of ns) if (a < b || !neighbours[b]!.includes(a)) candidates.push([a, b, joined(a, b)]);
  });
  // A union of unions is re-checked against the current sums, so the invariant (cohesion ≥ threshold) holds at the end.
  const owner = leaves.map((_, i) => i);
  const find = (i: number): number => (owner[i] === i ? i : (owner[i] = find(owner[i]!)));
  candidates.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
  for (const [x, y, score] of candidates) {
    if (score < cohesion) break;
    const a = find(x);
    const b = find(y);
    if (a === b || joined(a, b) < cohesion) continue;
    owner[b] = a;
    for (let d = 0; d < dim; d++) sums[a]![d]! += sums[b]![d]!;
    alive[a]!.push(...alive[b]!);
    alive[b] = [];
  }
  return alive.flatMap((members) => (members.length ? [{ members, centroid: centroidOf(points, members).centroid }] : []));
}

const MERGE_CANDIDATES = 8;

/**
 * Two halves by ml-kmeans, started from a far-apart pair: the member farthest from the centroid and
 * the member farthest from that one. Deterministic, and it spares ml-kmeans' k-means++ set-up, which
 * copies the whole cluster into a matrix at every split.
 */
function splitInTwo(points: readonly Float32Array[], rows: readonly number[][], members: readonly number[], centroid: Float32Array): [number[], number[]] | null {
  const farthestFrom = (v: Float32Array) => {
    let best = members[0]!;
    let bestSim = Infinity;
    for (const i of members) {
      const sim = dot(points[i]!, v);
      if (sim < bestSim) [best, bestSim] = [i, sim];
    }
    return best;
  };
  const a = farthestFrom(centroid);
  const b = farthestFrom(points[a]!);
  if (a === b) return null;
  const { clusters } = kmeans(
    members.map((i) => rows[i]!),
    2,
    { initialization: [rows[a]!.slice(), rows[b]!.slice()], tolerance: 1e-4, maxIterations: 20 },
  );
  const halves: [number[], number[]] = [[], []];
  clusters.forEach((c, k) => halves[c as 0 | 1].push(members[k]!));
  // Identical points cannot be split: keep them together rather than loop.
  return halves[0].length && halves[1].length ? halves : null;
}

/** Each point's nearest leaf centroid (hnswlib over the centroids, exact enough at this size). */
function assignToNearest(points: readonly Float32Array[], pending: readonly number[], leaves: readonly Group[], seed: number): number[][] {
  const index = new hnswlib.HierarchicalNSW("ip", leaves[0]!.centroid.length);
  index.initIndex({ maxElements: leaves.length, m: 16, efConstruction: 100, randomSeed: seed });
  index.setEf(64);
  leaves.forEach((l, i) => index.addPoint(Array.from(l.centroid), i));
  const out = leaves.map(() => [] as number[]);
  for (const i of pending) out[index.searchKnn(Array.from(points[i]!), 1).neighbors[0]!]!.push(i);
  return out;
}

/** The group with its far members taken out (and its centroid recomputed without them). */
function keepCohesive(points: readonly Float32Array[], members: number[], outlier: number): { group: Group; outliers: number[] } {
  let { centroid } = centroidOf(points, members);
  const kept = members.filter((i) => dot(points[i]!, centroid) >= outlier);
  const outliers = members.filter((i) => dot(points[i]!, centroid) < outlier);
  if (kept.length && outliers.length) centroid = centroidOf(points, kept).centroid;
  return { group: { members: kept, centroid }, outliers };
}

async function summarize(
  group: Group,
  points: readonly Float32Array[],
  distinct: readonly DistinctQuestion[],
  maxMembers: number,
  suggest?: Suggest,
): Promise<QuestionCluster> {
  const scored = group.members.map((i) => ({ q: distinct[i]!, similarity: dot(points[i]!, group.centroid) }));
  const central = scored.slice().sort((a, b) => b.similarity - a.similarity || a.q.key.localeCompare(b.q.key));
  const words = keywords(central.map((m) => m.q.normalized));
  const representative = central[0]!.q.text;
  let messages = 0;
  let recent = 0;
  let previous = 0;
  let firstSeen: Date | undefined;
  let lastSeen: Date | undefined;
  for (const { q } of scored) {
    messages += q.count;
    recent += q.recent;
    previous += q.previous;
    if (q.firstSeen && (!firstSeen || q.firstSeen < firstSeen)) firstSeen = q.firstSeen;
    if (q.lastSeen && (!lastSeen || q.lastSeen > lastSeen)) lastSeen = q.lastSeen;
  }
  const members = scored
    .sort((a, b) => b.q.count - a.q.count || b.similarity - a.similarity || a.q.key.localeCompare(b.q.key))
    .slice(0, maxMembers)
    .map(({ q, similarity }) => ({ text: q.text, count: q.count, similarity, ids: q.ids }));
  return {
    label: labelOf(words, representative),
    keywords: words,
    representative,
    size: group.members.length,
    messages,
    firstSeen,
    lastSeen,
    trend: { recent, previous, growth: previous ? recent / previous - 1 : null },
    cohesion: scored.reduce((s, m) => s + m.similarity, 0) / scored.length,
    members,
    ids: scored.flatMap((m) => m.q.ids),
    suggestion: suggest ? await suggest(representative) : null,
  };
}

/**
 * Describes a group a maintainer made by hand (a split, a move, a merge) the way a clustering run
 * describes its clusters: label, representative, counts, trend, members, suggestion. Every question
 * given belongs to the group; nothing is set aside.
 */
export async function describeGroup(
  questions: readonly UnansweredQuestion[],
  options: Pick<ClusterOptions, "embed" | "now" | "suggest" | "maxMembers" | "windowHours">,
): Promise<QuestionCluster | null> {
  const now = options.now ?? new Date();
  const distinct = dedupeQuestions(questions, { now, windowMs: (options.windowHours ?? DEFAULT_CLUSTER_OPTIONS.windowHours) * 3_600_000 });
  if (distinct.length === 0) return null;
  const points = await embedAll(distinct, options.embed, () => {});
  const members = distinct.map((_, i) => i);
  return summarize({ members, centroid: centroidOf(points, members).centroid }, points, distinct, options.maxMembers ?? DEFAULT_CLUSTER_OPTIONS.maxMembers, options.suggest);
}
