/** Emotion: the lexicon's reading (negation, degree, hard signals) and the shipped detector's decisions. */
import { beforeAll, describe, expect, it } from "vitest";
import { TextAnalyzer } from "../../src/nlp/analyzer.js";
import { loadEmotionDetector, type EmotionDetector } from "../../src/nlp/emotion/detector.js";
import { EmotionLexicon, lexiconSignals, readEmotionLexicon } from "../../src/nlp/emotion/lexicon.js";
import { demoLexicon, readKnowledgeWords } from "../../src/nlp/lexicon.js";

const lexicon = EmotionLexicon.parse({
  degree: [{ word: "非常", weight: 1.6 }, { word: "有点", weight: 0.5 }],
  negation: ["不", "没有"],
  words: { anger: [{ word: "生气", weight: 0.6 }], anxiety: [{ word: "着急", weight: 0.5 }], disappointment: [{ word: "失望", weight: 0.6 }], positive: [{ word: "满意", weight: 0.6 }] },
  insults: ["骗子"],
  complaintThreats: ["12315"],
  safety: ["拉肚子"],
});

describe("lexiconSignals", () => {
  it.each([
    ["我很生气", "anger", 0.6],
    ["我非常生气", "anger", 0.96],
    ["我不生气，问一下", "anger", 0.12],
    ["有点失望", "disappointment", 0.3],
    ["不太满意", "disappointment", 0.6],
    ["挺满意的", "positive", 0.6],
  ] as const)("%s -> %s %d", (text, label, score) => {
    expect(lexiconSignals(lexicon, text).scores[label]).toBeCloseTo(score, 2);
  });

  it("finds insults, threats, safety incidents and bursts", () => {
    const s = lexiconSignals(lexicon, "你们就是骗子！！！吃了拉肚子，我要打12315");
    expect(s).toMatchObject({ insult: "骗子", threat: "12315", safety: "拉肚子", burst: true });
    expect(s.features).toEqual(expect.arrayContaining(["emo:insult", "emo:threat", "emo:safety", "emo:burst"]));
    expect(lexiconSignals(lexicon, "WHERE IS MY ORDER").burst).toBe(true);
    expect(lexiconSignals(lexicon, "请问订单到哪了?")).toMatchObject({ insult: null, threat: null, safety: null, burst: false });
  });

  it("rejects a lexicon file with a bad field, naming it", () => {
    expect(() => EmotionLexicon.parse({ words: { anger: [{ word: "气", weight: 9 }] } })).toThrow(/weight|9|less/i);
  });
});

describe("the shipped emotion detector", () => {
  let detector: EmotionDetector;
  let analyzer: TextAnalyzer;
  beforeAll(async () => {
    analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));
    detector = (await loadEmotionDetector("models", await readEmotionLexicon("knowledge")))!;
    expect(detector).not.toBeNull();
  });
  const detect = (text: string) => detector.detect(analyzer.analyze(text, new Date()));

  it.each([
    ["菜一点都不新鲜，水果都坏了", "anger"],
    ["你们这什么垃圾服务，等了半个月还不发货！！！", "anger"],
    ["再不处理我就打12315投诉你们", "threat"],
    ["孩子吃了你们的饼干上吐下泻，现在在医院", "safety"],
  ])("escalates %s", (text, reason) => {
    const e = detect(text);
    expect(e.escalate).toBe(true);
    if (reason !== "anger") expect(e.reason).toBe(reason);
    else expect(["anger", "insult", "safety"]).toContain(e.reason);
  });

  it.each(["有点失望，不过能换货就行", "颜色和图片有点不一样，能换吗", "我的快递到哪了", "坏了能保修吗", "谢谢亲，态度很好"])("does not escalate %s", (text) => {
    expect(detect(text).escalate).toBe(false);
  });

  it("labels and scores within range", () => {
    const e = detect("谢谢亲，态度很好");
    expect(e.label).toBe("positive");
    expect(e.score).toBeGreaterThan(0);
    expect(e.score).toBeLessThanOrEqual(1);
  });
});

describe("readEmotionLexicon", () => {
  it("names the file and field of a broken lexicon", async () => {
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "kefu-emotion-"));
    await writeFile(join(dir, "emotion.yaml"), "words:\n  anger: [{word: 气死, weight: 5}]\n");
    await expect(readEmotionLexicon(dir)).rejects.toThrow(/emotion\.yaml: words\.anger\.0\.weight/);
    const empty = await mkdtemp(join(tmpdir(), "kefu-emotion-"));
    expect((await readEmotionLexicon(empty)).words.anger).toEqual([]);
  });
});
