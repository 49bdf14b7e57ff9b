/** Input association: prefix, fuzzy and semantic suggestions, table-driven over Chinese inputs. */
import { describe, expect, it } from "vitest";
import type { KnowledgeEntry } from "../../src/kb/entries.js";
import { QuestionSuggester, suggestKey } from "../../src/kb/suggest.js";

const entry = (id: string, question: string, similar: string[]): KnowledgeEntry => ({ id, question, similar, answer: "答案内容", category: "test", tags: [], enabled: true });

const entries = [
  entry("free-shipping", "满多少包邮？", ["你们包邮吗", "运费怎么算"]),
  entry("return-cost", "退货运费谁承担？", ["退货的运费谁出", "七天无理由退货要自己付运费吗"]),
  entry("return-how", "怎么申请退货？", ["退货流程是什么", "我要退货"]),
  entry("invoice", "怎么开发票？", ["开票在哪里申请", "能开专票吗"]),
];

describe("suggestKey", () => {
  it.each([
    ["請問退貨運費誰出？", "退货运费谁出"],
    ["  亲，怎么开发票 ", "怎么开发票"],
    ["ＶＩＰ会员", "vip会员"],
    ["请问", "请问"],
  ])("%s -> %s", (input, key) => expect(suggestKey(input)).toBe(key));
});

describe("QuestionSuggester", () => {
  const suggester = new QuestionSuggester(entries);

  it.each([
    // input, first id, source
    ["退货运", "return-cost", "prefix"],
    ["请问退货的运", "return-cost", "prefix"],
    ["開發", "invoice", "fuzzy"],
    ["运费谁承担", "return-cost", "fuzzy"],
    ["满多少包油", "free-shipping", "fuzzy"],
  ])("%s -> %s by %s", (input, id, source) => {
    const [first] = suggester.suggest(input);
    expect(first).toMatchObject({ id, source });
    expect(first!.question).toBe(entries.find((e) => e.id === id)!.question);
  });

  it("returns each entry once, at most the limit, best first", () => {
    const items = suggester.suggest("退货", 2);
    expect(items).toHaveLength(2);
    expect(new Set(items.map((i) => i.id)).size).toBe(2);
    expect(items.map((i) => i.id).sort()).toEqual(["return-cost", "return-how"]);
  });

  it("suggests nothing for empty or unrelated input", () => {
    expect(suggester.suggest("   ")).toEqual([]);
    expect(suggester.suggest("量子力学")).toEqual([]);
  });

  it("adds the semantic match only for inputs long enough to mean something", () => {
    const semantic = () => [{ id: "invoice", score: 0.8, matched: "怎么开发票？" }];
    expect(suggester.suggest("要张收据", 5, semantic)).toEqual([{ id: "invoice", question: "怎么开发票？", matched: "怎么开发票？", source: "semantic" }]);
    expect(suggester.suggest("收据", 5, semantic)).toEqual([]);
    expect(suggester.suggest("要张收据", 5, () => [{ id: "invoice", score: 0.3, matched: "x" }])).toEqual([]);
  });

  it("orders equally good matches by how often they were asked", () => {
    const two = new QuestionSuggester([entry("a", "怎么退款", []), entry("b", "怎么退货", [])]);
    expect(two.suggest("怎么退").map((s) => s.id)).toEqual(["a", "b"]);
    two.popularity = new Map([["b", 9]]);
    expect(two.suggest("怎么退").map((s) => s.id)).toEqual(["b", "a"]);
  });
});
