/** 保修维修: whether an item is still under warranty; opens a repair case when it is. */
import { openServiceCase } from "../../shop/after-sales.js";
import { day, itemLabel } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";

const DAY = 24 * 3_600_000;

export const repairWarranty = defineForm({
  name: "repair_warranty",
  intent: "repair_warranty",
  title: "申请保修",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["delivered"],
      check: (order) => (order.status !== "delivered" ? "签收后的订单才能申请保修。" : null),
      prompt: "需要保修的商品在哪个订单里？",
      none: "您目前没有已签收的订单，签收后的商品才能申请保修。",
    },
    {
      name: "item",
      kind: "item",
      prompt: "是哪件商品需要保修？",
      async validate(value, turn, slots) {
        const order = await turn.shop.order(String(slots.order));
        const item = order?.items.find((i) => String(i.id) === String(value));
        const product = item ? await turn.shop.product(item.productId) : null;
        if (!product || product.warrantyMonths > 0) return null;
        return {
          reason: `${item!.name}不在保修范围内。如果是刚收到就有质量问题，可以申请退换货；也可以让人工客服帮您看看怎么处理。`,
          end: true,
          replies: [quickReplies([{ label: "转人工客服", payload: payload("human") }])],
        };
      },
    },
    {
      name: "description",
      kind: "text",
      prompt: "请简单描述一下故障现象，例如：开机没反应、充不进电。",
      validate: (v) => (String(v).length > 300 ? "描述请控制在300字以内。" : null),
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const item = order.items.find((i) => String(i.id) === String(slots.item))!;
    const product = await turn.shop.product(item.productId);
    const months = product?.warrantyMonths ?? 0;
    if (months === 0) {
      return {
        replies: [text(`${item.name}不在保修范围内，如果是刚收到就有问题，可以申请退换货。`), quickReplies([{ label: "转人工客服", payload: payload("human") }])],
        result: { orderId: order.id, inWarranty: false },
      };
    }
    const until = new Date(order.deliveredAt!.getTime() + months * 30.4 * DAY);
    if (turn.now > until) {
      return {
        replies: [
          text(`${itemLabel(item)}的保修期（${months}个月）已于 ${day(until, turn.now)} 到期，可以付费维修，人工客服会给您报价。`),
          quickReplies([{ label: "联系人工客服", payload: payload("human") }]),
        ],
        result: { orderId: order.id, inWarranty: false },
      };
    }
    const record = await openServiceCase(turn.ctx, {
      kind: "repair",
      customerId: turn.state.customerId,
      orderId: order.id,
      orderItemId: item.id,
      description: String(slots.description),
      details: { warrantyUntil: until.toISOString() },
      conversationId: turn.conversationId,
    });
    await turn.tickets?.open({ id: record.id, type: "repair", subject: `保修：${itemLabel(item)}`, description: record.description, orderId: order.id });
    return {
      replies: [
        text(`${itemLabel(item)}在保修期内（到 ${day(until, turn.now)}），已经为您登记保修，维修单号 ${record.id}。售后同事会在 24 小时内联系您安排上门取件，维修免费，来回运费也由我们承担。`),
      ],
      result: { orderId: order.id, caseId: record.id, inWarranty: true },
    };
  },
});
