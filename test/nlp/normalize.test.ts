import { describe, expect, it } from "vitest";
import { normalize } from "../../src/nlp/normalize.js";

describe("normalize", () => {
  it.each([
    ["訂單狀態幫我查一下", "订单状态帮我查一下"],
    ["订单状态帮我查一下", "订单状态帮我查一下"],
    ["ＡＦ－３３３怎麼用？", "af-333怎么用?"],
    ["尺碼ＸＬ有嗎", "尺码xl有吗"],
    ["发货了吗？？？", "发货了吗?"],
    ["太差了！！！！", "太差了!"],
    ["等了好久。。。。", "等了好久。"],
    ["  在嗎　　有人嗎  ", "在吗 有人吗"],
    ["Hello 客服", "hello 客服"],
    ["退款\u200b什么时候到", "退款什么时候到"],
    ["衝鋒衣 後面 乾淨", "冲锋衣 后面 干净"],
  ])("%s -> %s", (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it("keeps emoji", () => {
    expect(normalize("太慢了😡😡 👍")).toBe("太慢了😡😡 👍");
  });

  it("brings Traditional and Simplified spellings of the same question to one string", () => {
    expect(normalize("退貨運費誰出？")).toBe(normalize("退货运费谁出?"));
  });
});
