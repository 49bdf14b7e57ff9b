/**
 * Scripted shopper journeys for the benchmarks: [customer or null (anonymous), messages], across the
 * scenarios, knowledge questions, follow-ups, cancels and a hand-over. Payloads start with "/".
 */
export const JOURNEYS: [string | null, string[]][] = [
  ["c-1007", ["你好", "我的快递到哪了", "什么时候能到啊", "谢谢"]],
  ["c-1001", ["我要退货", "第二个", "尺码不合适", "算了"]],
  ["c-1003", ["AF-333多少瓦", "有没有绿色的", "怎么用啊"]],
  ["c-1005", ["有什么优惠活动吗", "帮我开个发票", "第一个", "个人"]],
  ["c-1002", ["我想换个尺码", "算了", "173 65kg 卫衣穿什么码"]],
  [null, ["查一下物流", "2026111877967622", "6610", "转人工"]],
  ["c-1004", ["衣服破了个洞", "不要了", "订单状态", "第三个"]],
  ["c-1006", ["新疆能发货吗 多久到", "我要取消订单", "先不取消"]],
];
