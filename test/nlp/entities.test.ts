import { beforeAll, describe, expect, it } from "vitest";
import { TextAnalyzer } from "../../src/nlp/analyzer.js";
import { demoLexicon, readKnowledgeWords } from "../../src/nlp/lexicon.js";
import type { Entity } from "../../src/nlp/types.js";

// Friday 2026-11-20, noon in Beijing.
const NOW = new Date("2026-11-20T12:00:00+08:00");
let analyzer: TextAnalyzer;
beforeAll(async () => {
  analyzer = await TextAnalyzer.create(demoLexicon(await readKnowledgeWords("knowledge")));
});

const entitiesOf = (text: string) => analyzer.analyze(text, NOW).entities;
const pick = (text: string, type: Entity["type"]) => entitiesOf(text).filter((e) => e.type === type).map((e) => e.value);

describe("segmentation keeps dictionary words whole", () => {
  it.each([
    ["我买的空气炸锅不会用", "空气炸锅"],
    ["AF-333怎么清洗", "af-333"],
    ["七天无理由可以退吗", "七天无理由"],
    ["X20 Pro有几种颜色", "x20 pro"],
    ["扫地机器人充不进电", "扫地机器人"],
    ["运费险怎么理赔", "运费险"],
  ])("%s keeps %s", (text, word) => {
    expect(analyzer.analyze(text, NOW).tokens.map((t) => t.text)).toContain(word);
  });

  it("gives offsets into the normalised text", () => {
    const { normalized, tokens } = analyzer.analyze("我要退貨 ＡＦ－３３３", NOW);
    for (const t of tokens) expect(normalized.slice(t.start, t.end)).toBe(t.text);
  });
});

describe("entities", () => {
  it.each<[string, Entity["type"], (string | number)[]]>([
    ["订单2026111877967622到哪了", "order_number", ["2026111877967622"]],
    ["我的手机号13816605288", "phone", ["13816605288"]],
    ["电话 138-1660-5288", "phone", ["13816605288"]],
    ["快递单号SF1234567890123查一下", "tracking_number", ["SF1234567890123"]],
    ["运单 773456789012345", "tracking_number", ["773456789012345"]],
    ["af333功率多大", "model_code", ["AF-333"]],
    ["BT E7 耳机没声音", "model_code", ["BT-E7"]],
    ["xxx-333不会用", "model_code", ["XXX-333"]],
    ["我买了佛冷 不会用 型号af-333", "product", ["p-af333"]],
    ["空气炸锅怎么用", "product", ["p-af333"]],
    ["扫地机器仁不动了", "product", ["p-sr60"]],
    ["L码还有吗", "size", ["L"]],
    ["m还是l", "size", ["M", "L"]],
    ["平时穿39码", "size", ["39"]],
    ["我170 65kg穿什么码", "height", [170]],
    ["我170 65kg穿什么码", "weight", [65]],
    ["身高一米七五 体重130斤", "height", [175]],
    ["身高一米七五 体重130斤", "weight", [65]],
    ["1.68m 52公斤", "height", [168]],
    ["退我299元", "money", [299]],
    ["￥49.9的那个", "money", [49.9]],
    ["买了三百块的东西", "money", [300]],
    ["买两件", "quantity", [2]],
    ["下了3单", "quantity", [3]],
    ["昨天下的单", "date", ["2026-11-19"]],
    ["上周五买的", "date", ["2026-11-13"]],
    ["11月3号下单的", "date", ["2026-11-03"]],
    ["十一月三日", "date", ["2026-11-03"]],
    ["2026-10-01买的", "date", ["2026-10-01"]],
    ["3天前下的单", "date", ["2026-11-17"]],
    ["有黑色的吗", "color", ["黑色"]],
    ["曜石黑有货吗", "color", ["曜石黑"]],
    ["要白的", "color", ["白色"]],
  ])("%s -> %s %j", (text, type, expected) => {
    expect(pick(text, type)).toEqual(expected);
  });

  it.each<[string, Entity["type"]]>([
    ["我要退货", "order_number"],
    ["订单号12345", "order_number"],
    ["2026111877967622", "phone"],
    ["1.75m", "size"],
    ["5l的锅", "size"],
    ["赣南脐橙5斤装", "weight"],
    ["一下就坏了", "quantity"],
    ["白鞋脏了怎么洗", "color"],
    ["今天天气真好", "order_number"],
    ["65kg", "height"],
    ["这个怎么用", "product"],
    ["订单2026111877967622", "tracking_number"],
    ["65kg 170cm", "model_code"],
    ["spf50的防晒", "model_code"],
    ["买了3件", "money"],
    ["七天无理由退货", "date"],
    ["鞋子要39号的", "date"],
    ["sm卡怎么装", "size"],
    ["mm你好", "size"],
    ["m家的东西不错", "size"],
  ])("%s has no %s", (text, type) => {
    expect(pick(text, type)).toEqual([]);
  });

  it("reports text, start and end that point at the entity in the normalised text", () => {
    const { normalized, entities } = analyzer.analyze("訂單２０２６１１１８７７９６７６２２　到哪了", NOW);
    const order = entities.find((e) => e.type === "order_number")!;
    expect(order.value).toBe("2026111877967622");
    expect(normalized.slice(order.start, order.end)).toBe(order.text);
  });

  it("does not read an order number's digits as a phone or tracking number", () => {
    expect(entitiesOf("2026111877967622").map((e) => e.type)).toEqual(["order_number"]);
  });
});
