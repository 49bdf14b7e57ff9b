/** 换货: another size or colour of a delivered item, only when that variant is in stock. */
import { openServiceCase } from "../../shop/after-sales.js";
import type { ProductDetail } from "../../shop/products.js";
import { itemLabel } from "../format.js";
import { defineForm, type Slots, type Turn } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { availableValues } from "../slots.js";
import { daysSinceDelivery, NO_REASON_DAYS, QUALITY_RETURN_DAYS } from "./common.js";

async function itemAndProduct(turn: Turn, slots: Slots) {
  const order = (await turn.shop.order(String(slots.order)))!;
  const item = order.items.find((i) => String(i.id) === String(slots.item))!;
  const product = (await turn.shop.product(item.productId))!;
  return { order, item, product };
}

/** The variant the shopper wants: the item's own colour/size with the one they change. */
function target(product: ProductDetail, item: { color: string | null; size: string | null }, slots: Slots) {
  const color = typeof slots.color === "string" ? slots.color : item.color;
  const size = typeof slots.size === "string" ? slots.size : item.size;
  return product.variants.find((v) => v.color === color && v.size === size) ?? null;
}

async function checkTarget(turn: Turn, slots: Slots, change: Slots): Promise<string | null> {
  const { item, product } = await itemAndProduct(turn, slots);
  const wanted = { ...slots, ...change };
  const variant = target(product, item, wanted);
  const label = [wanted.color ?? item.color, wanted.size ?? item.size].filter(Boolean).join("/");
  if (!variant) return `这款没有${label}的款式。`;
  if (variant.sku === item.sku) return `您买的就是${label}，想换成哪个${"size" in change ? "尺码" : "颜色"}呢？`;
  if (variant.stock <= 0) {
    const kind = "size" in change ? "size" : "color";
    const others = availableValues(product, kind, item).filter((v) => v !== change[kind]);
    return `${label}现在没货了，有货的${kind === "size" ? "尺码" : "颜色"}是：${others.join("、") || "暂无"}。`;
  }
  return null;
}

export const exchange = defineForm({
  name: "exchange",
  intent: "exchange",
  title: "换货",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["delivered"],
      check: (order, turn) => {
        if (order.status === "shipped") return "订单还在路上，签收后如果尺码或颜色不合适，再来找我换货。";
        if (order.status !== "delivered") return "这个订单目前不能换货，签收后的订单才可以申请。";
        const days = daysSinceDelivery(order, turn.now) ?? 0;
        return days > QUALITY_RETURN_DAYS ? `这个订单签收已经 ${days} 天，超过了 ${QUALITY_RETURN_DAYS} 天的换货期限。` : null;
      },
      prompt: "要换货的是哪个订单？",
      none: "您目前没有可以换货的订单，签收后 15 天内的订单可以申请换货。",
    },
    {
      name: "item",
      kind: "item",
      prompt: "要换的是哪件商品？",
      check: (item) => (!item.color && !item.size ? `${item.name}只有一个款式，没有别的颜色或尺码可换；有质量问题的话可以申请退货或保修。` : null),
    },
    {
      name: "change",
      kind: "choice",
      prompt: "想换尺码还是换颜色？",
      options: [
        { value: "size", label: "换尺码", keywords: ["尺码", "码", "大一号", "小一号", "偏大", "偏小", "太大", "太小"] },
        { value: "color", label: "换颜色", keywords: ["颜色", "色"] },
      ],
    },
    {
      name: "size",
      kind: "size",
      when: (s) => s.change === "size",
      prompt: "想换成什么尺码？",
      validate: (value, turn, slots) => checkTarget(turn, slots, { size: value }),
    },
    {
      name: "color",
      kind: "color",
      when: (s) => s.change === "color",
      prompt: "想换成什么颜色？",
      validate: (value, turn, slots) => checkTarget(turn, slots, { color: value }),
    },
  ],
  async confirm(turn, slots) {
    const { item } = await itemAndProduct(turn, slots);
    const to = itemLabel({ name: item.name, color: (slots.color as string) ?? item.color, size: (slots.size as string) ?? item.size });
    return [
      quickReplies(
        [
          { label: "确认换货", payload: payload("affirm") },
          { label: "先不换了", payload: payload("deny") },
        ],
        `帮您把 ${itemLabel(item)} 换成 ${to}，确认吗？`,
      ),
    ];
  },
  async action(turn, slots) {
    const { order, item, product } = await itemAndProduct(turn, slots);
    const variant = target(product, item, slots)!;
    const days = daysSinceDelivery(order, turn.now) ?? 0;
    const record = await openServiceCase(turn.ctx, {
      kind: "exchange",
      customerId: turn.state.customerId,
      orderId: order.id,
      orderItemId: item.id,
      description: `换货：${itemLabel(item)} → ${itemLabel({ name: item.name, color: variant.color, size: variant.size })}`,
      details: { fromSku: item.sku, toSku: variant.sku },
      conversationId: turn.conversationId,
    });
    await turn.tickets?.open({ id: record.id, type: "exchange", subject: record.description, description: record.description, orderId: order.id });
    const freight = days <= NO_REASON_DAYS ? "换货的来回运费由我们承担。" : "";
    return {
      replies: [
        text(
          `换货申请已提交，换货单号 ${record.id}。请在 7 天内把原商品寄回（吊牌和包装保持完好），仓库收到后会把 ${itemLabel({ name: item.name, color: variant.color, size: variant.size })} 发给您。${freight}`,
        ),
      ],
      result: { caseId: record.id, fromSku: item.sku, toSku: variant.sku },
    };
  },
});
