/**
 * 猜你想问: the questions this shopper most likely has now, for the widget to show before they type.
 * Their orders come first (the parcel on its way, the order waiting for payment, the refund under
 * way), then what the page is about (the product's category, the cart), then what shoppers ask most.
 * Situations are described by questions, not entry ids, and looked up in the shop's own knowledge
 * base, so the list follows whatever the maintainers have written.
 */
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import * as t from "../db/schema.js";
import type { OrderStatus } from "../db/schema.js";
import type { KnowledgeBase } from "../kb/service.js";
import { NotFoundError } from "../shared/errors.js";
import { orderTitle } from "./format.js";
import { payload } from "./replies.js";
import { createShopView } from "./shop-view.js";
import type { DialogueState } from "./state.js";

export interface HotQuestion {
  question: string;
  /** Send this as the message payload to ask it. */
  payload: string;
  source: "order" | "page" | "popular";
  /** The knowledge entry it opens, when it is one. */
  entryId?: string;
}

/** What shoppers in an order's state usually ask, as questions for the knowledge base. */
const BY_ORDER_STATUS: Partial<Record<OrderStatus, string[]>> = {
  unpaid: ["怎么付款", "花呗可以分期吗", "订单多久不付款会自动取消"],
  paid: ["下单后多久发货", "还没发货能改地址吗"],
  shipped: ["快递一般几天能到", "物流好几天没更新怎么办"],
  delivered: ["七天无理由退货怎么退", "怎么开发票", "退货运费谁出"],
  return_requested: ["退货怎么寄回去", "退款多久到账"],
  refunding: ["退款多久到账", "退款退到哪里"],
};

/** What a product's category raises. */
const BY_CATEGORY: Record<string, string[]> = {
  fresh: ["生鲜坏了怎么赔", "生鲜能七天无理由退吗"],
  clothing: ["试穿过还能退吗", "尺码不合适可以换吗"],
  shoes: ["试穿过还能退吗", "尺码不合适可以换吗"],
  cosmetics: ["化妆品拆封了能退吗"],
  small_appliance: ["小家电保修多久"],
  phone: ["手机保修多久", "电池保修多久"],
  digital: ["数码产品保修多久"],
  home: ["七天无理由退货怎么退"],
};

/** Pages that are about buying rather than a product. */
const BY_PAGE: [RegExp, string[]][] = [
  [/cart|checkout|购物车|结算/i, ["满多少包邮", "优惠券怎么用", "支持哪些付款方式"]],
  [/order/i, ["下单后多久发货", "怎么开发票"]],
];

const short = (s: string) => ([...s].length > 14 ? `${[...s].slice(0, 13).join("")}…` : s);

/** Up to `limit` questions for the shopper in a conversation. */
export async function hotQuestions(ctx: ServiceContext, knowledge: KnowledgeBase, conversationId: string, limit = 8): Promise<HotQuestion[]> {
  const [row] = await ctx.db.select({ state: t.conversations.state }).from(t.conversations).where(eq(t.conversations.id, conversationId));
  if (!row) throw new NotFoundError(`conversation ${conversationId} does not exist`);
  const state = row.state as unknown as DialogueState;
  const shop = createShopView(ctx, () => state);
  const now = ctx.clock.now();
  const out: HotQuestion[] = [];
  const seen = new Set<string>();
  const add = (q: HotQuestion) => {
    if (seen.has(q.payload) || out.length >= limit) return;
    seen.add(q.payload);
    out.push(q);
  };
  /** A situation's question, as the knowledge entry that answers it (none when nothing does). */
  const fromKnowledge = (question: string, source: HotQuestion["source"]) => {
    const [hit] = knowledge.search(question, now, 1);
    if (hit && hit.score >= knowledge.thresholds.suggest) add({ question: hit.question, payload: payload("kb", { id: hit.id }), source, entryId: hit.id });
  };

  const orders = state.customerId || state.verifiedOrders.length ? await shop.orders() : [];
  const focus = state.context.orderId ? orders.filter((o) => o.id === state.context.orderId) : [];
  const recent = [...focus, ...orders.filter((o) => o.id !== state.context.orderId)].slice(0, 5);
  for (const o of recent) {
    const title = short(orderTitle(o));
    if (o.status === "shipped") add({ question: `${title}到哪了`, payload: payload("logistics", { order: o.id }), source: "order" });
    if (o.status === "paid") add({ question: `${title}什么时候发货`, payload: payload("shipping_time", { order: o.id }), source: "order" });
    if (o.status === "unpaid") add({ question: `${title}还没付款，怎么付`, payload: payload("payment", { order: o.id }), source: "order" });
    if (o.status === "return_requested" || o.status === "refunding") add({ question: `${title}的退款到哪一步了`, payload: payload("refund_progress", { order: o.id }), source: "order" });
  }
  for (const status of new Set(recent.map((o) => o.status))) for (const q of BY_ORDER_STATUS[status] ?? []) fromKnowledge(q, "order");

  const product = state.context.productId ? await shop.product(state.context.productId) : null;
  if (product) {
    const p = { product: product.id };
    if (product.sizeChart?.length) add({ question: "我该穿哪个码", payload: payload("size_advice", p), source: "page" });
    add({ question: "这款还有货吗", payload: payload("stock", p), source: "page" });
    if (product.usageNotes) add({ question: "这个怎么用", payload: payload("product_usage", p), source: "page" });
    for (const q of BY_CATEGORY[product.category] ?? []) fromKnowledge(q, "page");
  }
  const page = state.context.page ?? "";
  for (const [pattern, questions] of BY_PAGE) if (pattern.test(page)) for (const q of questions) fromKnowledge(q, "page");

  for (const id of await knowledge.popular(ctx)) {
    const entry = knowledge.entry(id);
    if (entry) add({ question: entry.question, payload: payload("kb", { id }), source: "popular", entryId: id });
  }
  return out;
}
