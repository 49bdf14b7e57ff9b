/** Short in-form answers: yes/no, never mind, which one, phone digits. */
import { describe, expect, it } from "vitest";
import { normalize } from "../../src/nlp/normalize.js";
import { isCancel, isCorrection, ordinal, phoneDigits, yesNo } from "../../src/dialogue/understand.js";

describe("yesNo", () => {
  it.each([
    ["是的", true],
    ["好的，确认", true],
    ["嗯嗯", true],
    ["ＯＫ", true],
    ["确定取消", true],
    ["可以的", true],
    ["不是", false],
    ["不用了", false],
    ["先别", false],
    ["no", false],
    ["我的快递到哪了", null],
    ["", null],
  ])("%s → %s", (text, expected) => {
    expect(yesNo(normalize(text))).toBe(expected);
  });
});

describe("isCancel", () => {
  it.each(["算了", "算了算了", "不要了！", "那就不用了", "还是算了吧", "不退了", "没事了", "算了，我先自己重启试试", "找到了，不用了", "呃 还是先不换了吧"])("%s cancels", (text) => {
    expect(isCancel(normalize(text))).toBe(true);
  });
  it.each(["取消订单", "我不要这个颜色了，换黑色", "算了下运费好像不对", "不要告诉我没货"])("%s does not", (text) => {
    expect(isCancel(normalize(text))).toBe(false);
  });
});

describe("ordinal", () => {
  it.each([
    ["第二个", 5, 1],
    ["第2单", 5, 1],
    ["第一個", 5, 0],
    ["3", 5, 2],
    ["最近那单", 5, 0],
    ["最新的", 5, 0],
    ["最后一个", 5, 4],
    ["第六个", 5, null],
    ["第二个", 0, null],
    ["我要退货", 5, null],
  ])("%s of %i → %s", (text, count, expected) => {
    expect(ordinal(normalize(text), count)).toBe(expected);
  });
});

describe("phoneDigits and corrections", () => {
  it.each([
    ["6610", "6610"],
    ["后四位是 6610", "6610"],
    ["６６１０", "6610"],
    ["2026111877967622", null],
    ["我买了4件", null],
  ])("%s → %s", (text, expected) => {
    expect(phoneDigits(normalize(text))).toBe(expected);
  });

  it.each([
    ["不对，是黑色的", true],
    ["改成XL", true],
    ["黑色的", false],
  ])("%s is a correction: %s", (text, expected) => {
    expect(isCorrection(normalize(text))).toBe(expected);
  });
});
