/** Clustering unanswered questions: dedupe, groups and singletons, labels, trend, progress, suggestions, metrics. */
import { describe, expect, it } from "vitest";
import { clusterQuestions, dedupeQuestions, type ClusterProgress, type Embedder, type UnansweredQuestion } from "../../src/learning/cluster.js";
import { ari, nmi } from "../../src/learning/metrics.js";

/** A cheap deterministic embedder: characters hashed into 1,024 buckets, unit length. */
const hashedCharacters: Embedder = (texts) =>
  texts.map((t) => {
    const v = new Float32Array(1024);
    for (const ch of t) v[(ch.codePointAt(0)! * 2_654_435_761) % 1024]! += 1;
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  });

/**
 * The clustering on the test embedder's vectors alone. The default thresholds are calibrated for the
 * encoder + LSA space at a few hundred questions (see eval/cluster.ts); in this space each fixture
 * group has a cohesion of 0.69–0.80 and the union of any two groups below 0.59, so 0.65 separates them.
 */
// Thresholds stated for this space, so they are not adapted to its spread (referenceSimilarity 0).
const space = { embed: hashedCharacters, lexicalDim: 0, neighbours: 0, cohesion: 0.65, outlier: 0.35, referenceSimilarity: 0 };

const groups: Record<string, string[]> = {
  engraving: ["能不能刻字", "杯子上可以刻字吗", "刻字要加钱吗", "可以帮我刻个名字吗", "刻字多久能发货", "能激光刻字吗"],
  store: ["有没有实体店", "线下实体店在哪里", "北京有实体店吗", "实体店地址发一下", "你们开实体店了吗", "想去实体店看看"],
  live: ["今晚几点直播", "直播几点开始", "下一场直播什么时候", "每周几有直播", "明天有直播吗", "直播时间表在哪看"],
  tradeIn: ["以旧换新怎么弄", "旧手机以旧换新能抵多少", "以旧换新要什么条件", "以旧换新有补贴吗", "冰箱能以旧换新吗", "怎么参加以旧换新"],
};
const oneOffs = ["你们老板贵姓", "企鹅喜欢吃什么鱼"];
const now = new Date("2026-11-20T12:00:00Z");
const fixture: UnansweredQuestion[] = [...Object.values(groups).flat(), ...oneOffs].map((text, id) => ({ text, id, lastSeen: now }));
const groupOf = new Map(Object.entries(groups).flatMap(([g, texts]) => texts.map((t) => [t, g] as const)));

describe("dedupe", () => {
  it("collapses spellings that differ only in punctuation, spaces, width or script, keeping counts, ids and times", () => {
    const t = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const distinct = dedupeQuestions(
      [
        { id: 1, text: "能不能刻字？", lastSeen: t(30) },
        { id: 2, text: "能不能刻字", lastSeen: t(2) },
        { id: 3, text: "能不能 刻字！！", lastSeen: t(1) },
        { id: 4, text: "能不能刻字", count: 3, firstSeen: t(50), lastSeen: t(40) },
        { id: 5, text: "有沒有實體店", lastSeen: t(5) },
        { id: 6, text: "有没有实体店。", lastSeen: t(6) },
        { id: 7, text: "？？？" },
      ],
      { now, windowMs: 24 * 3_600_000 },
    );
    expect(distinct).toHaveLength(2);
    const engrave = distinct.find((d) => d.key === "能不能刻字")!;
    // Last 24 h: ids 2 and 3; the 24 h before: id 1 and the three messages id 4 aggregates (counted at its lastSeen).
    expect(engrave).toMatchObject({ count: 6, ids: [1, 2, 3, 4], text: "能不能刻字", recent: 2, previous: 4 });
    expect(engrave.firstSeen).toEqual(t(50));
    expect(engrave.lastSeen).toEqual(t(1));
    expect(distinct.find((d) => d.key === "有没有实体店")).toMatchObject({ count: 2, ids: [5, 6] });
  });
});

describe("clusterQuestions", () => {
  it("finds the fixture's groups without being told how many there are, and leaves the one-offs alone", async () => {
    const result = await clusterQuestions(fixture, { ...space, now });
    const found = result.clusters.map((c) => c.ids.map((id) => fixture[id as number]!.text).sort());
    const expected = Object.values(groups).map((texts) => texts.slice().sort());
    expect(found.sort()).toEqual(expected.sort());
    expect(result.singletons.map((s) => s.text).sort()).toEqual(oneOffs.slice().sort());
    expect(result).toMatchObject({ questions: fixture.length, distinct: fixture.length });
  });

  it("keeps a question unlike the rest a singleton even among many copies of one group", async () => {
    const many = [...groups.engraving!, ...groups.engraving!.map((t) => `${t}呀`), "企鹅喜欢吃什么鱼"].map((text, id) => ({ text, id }));
    const result = await clusterQuestions(many, { ...space, now });
    expect(result.clusters).toHaveLength(1);
    expect(result.singletons.map((s) => s.text)).toEqual(["企鹅喜欢吃什么鱼"]);
  });

  it("labels a cluster with its keywords and picks a member as representative", async () => {
    const { clusters } = await clusterQuestions(fixture, { ...space, now });
    const engraving = clusters.find((c) => groupOf.get(c.representative) === "engraving")!;
    expect(engraving.keywords).toContain("刻字");
    expect(engraving.label.split(" / ")).toEqual(engraving.keywords);
    const tradeIn = clusters.find((c) => groupOf.get(c.representative) === "tradeIn")!;
    expect(tradeIn.keywords[0]).toBe("以旧换新");
  });

  it("counts messages, lists the most frequent members first and computes the trend against the given clock", async () => {
    const h = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const records: UnansweredQuestion[] = [
      ...groups.live!.map((text, i) => ({ text, id: `l${i}`, lastSeen: h(30) })),
      { text: "直播几点开始", id: "x1", lastSeen: h(1) },
      { text: "直播几点开始？", id: "x2", lastSeen: h(2) },
      { text: "直播几点开始", id: "x3", lastSeen: h(3), firstSeen: h(100) },
      ...groups.store!.map((text, i) => ({ text, id: `s${i}`, lastSeen: h(1) })),
    ];
    const { clusters } = await clusterQuestions(records, { ...space, now, maxMembers: 3 });
    const live = clusters.find((c) => c.ids.includes("x1"))!;
    expect(live).toMatchObject({ size: 6, messages: 9, trend: { recent: 3, previous: 6, growth: -0.5 } });
    expect(live.members).toHaveLength(3);
    expect(live.members[0]).toMatchObject({ text: "直播几点开始", count: 4 });
    expect(live.firstSeen).toEqual(h(100));
    expect(live.lastSeen).toEqual(h(1));
    expect(clusters[0]).toBe(live); // most messages first
    // Against a clock two days later, every message is older than both windows.
    const later = await clusterQuestions(records, { ...space, now: h(-72) });
    expect(later.clusters.every((c) => c.trend.recent === 0 && c.trend.previous === 0 && c.trend.growth === null)).toBe(true);
  });

  it("reports progress through every stage and asks for a suggestion per cluster", async () => {
    const progress: ClusterProgress[] = [];
    const asked: string[] = [];
    const { clusters } = await clusterQuestions(fixture, {
      ...space,
      now,
      onProgress: (p) => progress.push(p),
      suggest: (text) => {
        asked.push(text);
        return text.includes("刻字") ? { kind: "knowledge", id: "returns-custom", score: 0.8 } : null;
      },
    });
    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(["dedupe", "embed", "lexical", "neighbours", "split", "summarize"]);
    expect(progress.every((p) => p.done <= p.total)).toBe(true);
    for (const stage of stages) expect(progress.filter((p) => p.stage === stage).at(-1)).toMatchObject({ done: expect.any(Number) });
    expect(progress.at(-1)).toEqual({ stage: "summarize", done: clusters.length, total: clusters.length });
    expect(asked.sort()).toEqual(clusters.map((c) => c.representative).sort());
    expect(clusters.find((c) => c.representative.includes("刻字"))!.suggestion).toEqual({ kind: "knowledge", id: "returns-custom", score: 0.8 });
    expect(clusters.filter((c) => !c.representative.includes("刻字")).every((c) => c.suggestion === null)).toBe(true);
  });

  it("gives the same clusters for the same input", async () => {
    const a = await clusterQuestions(fixture, { ...space, now });
    const b = await clusterQuestions(fixture, { ...space, now });
    expect(b.clusters.map((c) => c.ids)).toEqual(a.clusters.map((c) => c.ids));
  });
});

describe("partition metrics", () => {
  it("score identical partitions 1 whatever the names, and a known case", () => {
    expect(nmi(["a", "a", "b", "b"], ["x", "x", "y", "y"])).toBeCloseTo(1);
    expect(ari(["a", "a", "b", "b"], ["x", "x", "y", "y"])).toBeCloseTo(1);
    // scikit-learn: normalized_mutual_info_score / adjusted_rand_score([0,0,1,1], [0,0,1,2]) = 0.8 / 0.5714…
    expect(nmi(["a", "a", "b", "b"], ["x", "x", "y", "z"])).toBeCloseTo(0.8, 4);
    expect(ari(["a", "a", "b", "b"], ["x", "x", "y", "z"])).toBeCloseTo(4 / 7, 4);
  });
});
