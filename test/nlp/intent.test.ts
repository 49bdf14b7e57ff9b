import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initTensorFlow } from "../../src/ml/tf.js";
import { TextAnalyzer } from "../../src/nlp/analyzer.js";
import { toExamples } from "../../src/nlp/intent/dataset.js";
import { DEFAULT_FEATURES, vectorize } from "../../src/nlp/intent/features.js";
import { IntentModel } from "../../src/nlp/intent/model.js";
import { IntentModelStore } from "../../src/nlp/intent/store.js";
import { trainIntentModel } from "../../src/nlp/intent/train.js";
import { demoLexicon, readKnowledgeWords } from "../../src/nlp/lexicon.js";
import { NluPipeline } from "../../src/nlp/pipeline.js";

const REQUIRED = [
  "greeting", "farewell", "order_status", "logistics", "shipping_time", "cancel_order", "modify_address",
  "return_refund", "refund_progress", "exchange", "invoice", "product_info", "stock", "product_usage",
  "size_advice", "promotion", "payment", "account", "repair_warranty", "delivery_problem", "complaint",
  "human_agent", "chitchat", "out_of_scope",
];
const NOW = new Date("2026-11-20T12:00:00+08:00");

let analyzer: TextAnalyzer;
let pipeline: NluPipeline;
beforeAll(async () => {
  await initTensorFlow("auto");
  analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));
  pipeline = new NluPipeline(analyzer, await IntentModelStore.open("models/intent"));
});

describe("the committed intent model", () => {
  it("knows exactly the required intents", () => {
    expect([...pipeline.intents.model.labels].sort()).toEqual([...REQUIRED].sort());
  });

  it("records its training-data hash, date and cross-validated metrics", () => {
    const m = pipeline.intents.model.manifest;
    expect(m.trainingDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(m.createdAt)).not.toBeNaN();
    expect(m.metrics?.cvMacroF1).toBeGreaterThan(0.9);
  });

  // Sentences written for this test, not taken from training/.
  it.each([
    ["帮我看看我买的东西快递走到哪里了", "logistics"],
    ["衣服不合身 我想退掉", "return_refund"],
    ["别跟我扯了 我要找人工", "human_agent"],
    ["公司报销要开个专票", "invoice"],
    ["拍下了但是想取消掉这个订单", "cancel_order"],
    ["我一米六五 一百斤 连衣裙拿哪个码", "size_advice"],
    ["退的钱啥时候能回到我卡上", "refund_progress"],
    ["你们家有没有满减活动", "promotion"],
  ])("%s -> %s", (text, intent) => {
    expect(pipeline.parse(text, NOW).intent.name).toBe(intent);
  });

  it.each(["世界杯冠军是哪个国家", "帮我写一首关于春天的诗", "今晚的足球比赛谁会赢"])(
    "calls clearly unrelated text out_of_scope: %s",
    (text) => {
      const result = pipeline.parse(text, NOW);
      expect(result.intent.name).toBe("out_of_scope");
      expect(result.ranking).toHaveLength(5);
    },
  );

  it.each([
    ["bang wo quxiao wo de dingdan", "cancel_order"],
    ["申请的退宽到账没有啊", "refund_progress"],
  ])("understands pinyin and homophone typos: %s -> %s", (text, intent) => {
    expect(pipeline.parse(text, NOW).intent.name).toBe(intent);
  });

  it("classifies Traditional and Simplified spellings identically", () => {
    const a = pipeline.parse("訂單狀態幫我查一下", NOW);
    const b = pipeline.parse("订单状态帮我查一下", NOW);
    expect(a.normalized).toBe(b.normalized);
    expect(a.ranking).toEqual(b.ranking);
    expect(a.intent.name).toBe("order_status");
  });
});

describe("training", () => {
  const tiny = [
    ...["快递到哪了", "物流怎么不动了", "包裹到哪里了", "查下快递", "物流信息", "快递几天了还没到"].map((text) => ({ text, label: "logistics" })),
    ...["我要退货", "怎么退货", "不想要了退掉", "申请退货退款", "可以退吗", "退货流程"].map((text) => ({ text, label: "return_refund" })),
    ...["你好", "在吗", "有人吗", "hello", "哈喽", "您好"].map((text) => ({ text, label: "greeting" })),
    ...["开发票", "发票怎么开", "要专票", "电子发票", "发票抬头", "补开发票"].map((text) => ({ text, label: "invoice" })),
  ];
  const options = { hidden: 16, epochs: 15, batchSize: 8, learningRate: 0.02, minFeatureCount: 1, dropout: 0.1 };

  it("is deterministic for a seed, learns its data, and differs for another seed", async () => {
    const examples = toExamples(analyzer, tiny, DEFAULT_FEATURES);
    const a = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 1 });
    const b = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 1 });
    const c = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 2 });
    expect(Buffer.from(a.weights.w1.buffer).equals(Buffer.from(b.weights.w1.buffer))).toBe(true);
    expect(Buffer.from(a.weights.w1.buffer).equals(Buffer.from(c.weights.w1.buffer))).toBe(false);
    // Ranked directly: a tiny model is not calibrated for the out_of_scope thresholds.
    const correct = examples.filter((e) => a.rank(vectorize(e.features, a.index, a.vocabulary.idf))[0]!.name === e.label).length;
    expect(correct / tiny.length).toBeGreaterThanOrEqual(0.9);
  });

  it("averages an ensemble's networks, each the network its seed alone would give", async () => {
    const examples = toExamples(analyzer, tiny, DEFAULT_FEATURES);
    const pair = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 3, members: 2 });
    const three = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 3, members: 1 });
    const four = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 4, members: 1 });
    expect(pair.members).toHaveLength(2);
    expect(pair.manifest.members).toBe(2);
    expect(Buffer.from(pair.members[1]!.w1.buffer).equals(Buffer.from(four.weights.w1.buffer))).toBe(true);
    const x = pair.vectorize(analyzer.analyze("物流到哪了", NOW));
    const byName = (m: IntentModel) => Object.fromEntries(m.rank(x).map((s) => [s.name, s.confidence]));
    const [p, a, b] = [byName(pair), byName(three), byName(four)];
    for (const label of pair.labels) expect(p[label]).toBeCloseTo((a[label]! + b[label]!) / 2, 6);

    const dir = await mkdtemp(join(tmpdir(), "kefu-ensemble-"));
    await pair.save(dir);
    const loaded = await IntentModel.load(dir);
    expect(loaded.members).toHaveLength(2);
    expect(loaded.rank(x)).toEqual(pair.rank(x));
  });

  it("saves and loads a model that ranks identically, and the store swaps in a retrained one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kefu-intent-"));
    const examples = toExamples(analyzer, tiny, DEFAULT_FEATURES);
    const first = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 1 });
    await first.save(dir);
    const store = await IntentModelStore.open(dir);
    const before = new NluPipeline(analyzer, store).parse("快递到哪了", NOW).ranking;
    expect(before).toEqual(new NluPipeline(analyzer, new IntentModelStore(first, null)).parse("快递到哪了", NOW).ranking);

    const second = await trainIntentModel(examples, DEFAULT_FEATURES, { ...options, seed: 9 });
    await second.save(dir);
    expect(await store.reload()).toMatchObject({ reloaded: true });
    expect(store.model.manifest.weightsSha256).not.toBe(first.manifest.weightsSha256 ?? "unsaved");

    // A half-written retrain must not replace a working model.
    await writeFile(join(dir, "weights.bin"), Buffer.alloc(12));
    const failed = await store.reload();
    expect(failed.reloaded).toBe(false);
    expect(failed.error).toBeTruthy();
    expect(new NluPipeline(analyzer, store).parse("快递到哪了", NOW).ranking.length).toBeGreaterThan(0);
    await expect(IntentModel.load(dir)).rejects.toThrow();
  });
});
