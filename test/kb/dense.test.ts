/** The dense half of knowledge retrieval: the hnswlib index and the committed question encoder. */
import { beforeAll, describe, expect, it } from "vitest";
import { DenseIndex } from "../../src/kb/dense.js";
import { loadKnowledgeEncoder } from "../../src/kb/encoder.js";
import { loadKnowledgeDir } from "../../src/kb/entries.js";
import { KnowledgeRetriever, type KnowledgeEncoder } from "../../src/kb/retriever.js";
import { initTensorFlow } from "../../src/ml/tf.js";
import { TextAnalyzer } from "../../src/nlp/analyzer.js";
import { demoLexicon, readKnowledgeWords } from "../../src/nlp/lexicon.js";

const unit = (xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs.map((x) => x / n));
};

describe("dense index", () => {
  it("finds the nearest vectors by cosine, growing past its first capacity", () => {
    const index = new DenseIndex(3, 2);
    index.add(0, unit([1, 0, 0]));
    index.add(1, unit([0, 1, 0]));
    index.add(2, unit([1, 1, 0]));
    const hits = index.search(unit([0.9, 0.1, 0]), 2);
    expect(hits.map((h) => h.doc)).toEqual([0, 2]);
    expect(hits[0]!.similarity).toBeGreaterThan(0.99);
  });
});

describe("knowledge encoder and hybrid retrieval", () => {
  let encoder: KnowledgeEncoder;
  let retriever: KnowledgeRetriever;
  let analyzer: TextAnalyzer;
  const embed = (text: string) => encoder.embed(analyzer.analyze(text, new Date()));
  beforeAll(async () => {
    await initTensorFlow("cpu");
    const words = await readKnowledgeWords("knowledge");
    analyzer = await TextAnalyzer.create(demoLexicon(words));
    encoder = (await loadKnowledgeEncoder("models"))!;
    const { entries } = await loadKnowledgeDir("knowledge/faq");
    retriever = new KnowledgeRetriever(entries, analyzer, words.synonyms, undefined, new Map(), encoder);
  });

  it("is committed and gives unit vectors", () => {
    expect(encoder).toBeTruthy();
    const v = embed("买多少钱包邮");
    expect(v).toHaveLength(encoder.dim);
    expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  });

  it("puts paraphrases of one entry closer than questions of another", () => {
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    const a = embed("满多少免运费");
    expect(cos(a, embed("凑够多少钱可以包邮"))).toBeGreaterThan(cos(a, embed("积分什么时候过期")));
  });

  it("retrieves the right entry for paraphrases no file contains", () => {
    const now = new Date("2026-11-20T12:00:00+08:00");
    expect(retriever.search("凑够多少钱可以包邮呀", now)[0]!.id).toMatch(/^shipping-free/);
    expect(retriever.search("會員積分哪天作廢", now)[0]!.id).toMatch(/^membership-points/);
  });

  it("knows nearly all of the shop base's words, and leaves the ranking to BM25 over a base it does not know", () => {
    expect(retriever.coverage).toBeGreaterThan(0.9);
    // Questions from far outside the shop (what LCQMC-like general bases hold): too few known words.
    const general = ["哪种鸟类飞得最高", "世界上最长的河流是哪条", "怎样才能把吉他弹好", "为什么天空是蓝色的", "黑洞是怎么形成的", "蜗牛睡觉的时候会做梦吗"];
    const entries = general.map((question, i) => ({ id: `g-${i}`, question, similar: [], answer: "-", category: "general", tags: [], enabled: true }));
    const noSynonyms: string[][] = [];
    const hybrid = new KnowledgeRetriever(entries, analyzer, noSynonyms, undefined, new Map(), encoder);
    const lexical = new KnowledgeRetriever(entries, analyzer, noSynonyms);
    expect(hybrid.coverage).toBeLessThan(0.6);
    const now = new Date("2026-11-20T12:00:00+08:00");
    for (const query of ["天空为啥是蓝的", "吉他怎么弹得好"]) expect(hybrid.search(query, now)).toEqual(lexical.search(query, now));
  });
});
