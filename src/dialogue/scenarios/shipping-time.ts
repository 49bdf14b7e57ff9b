/** 什么时候发货: the ship-by time of a paid order, with an apology and a push when it is late. */
import { when } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { isRemote, orderName, payDeadline, shipDeadline, SHIP_WITHIN_HOURS } from "./common.js";

export const shippingTime = defineForm({
  name: "shipping_time",
  intent: "shipping_time",
  whileWaiting: true,
  title: "查询发货时间",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["unpaid", "paid", "shipped"],
      preferOpen: true,
      check: (order) =>
        order.status === "delivered"
          ? `${orderName(order)}已经签收了。`
          : order.status === "cancelled"
            ? `${orderName(order)}已经取消了，不会发货。`
            : !["unpaid", "paid", "shipped"].includes(order.status)
              ? `${orderName(order)}正在售后流程中，不会再发货。`
              : null,
      prompt: "您问的是哪个订单呢？",
      none: `现货商品付款后 ${SHIP_WITHIN_HOURS} 小时内发货，预售商品以商品页写的时间为准。您目前没有待发货的订单。`,
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.orderDetail(String(slots.order)))!;
    if (order.status === "shipped") {
      const latest = order.shipments.at(-1)?.events.at(-1);
      return {
        replies: [
          text(`${orderName(order)}已经发货了（${order.shippedAt ? when(order.shippedAt) : "近日"}发出）${latest ? `，最新动态：${latest.description}（${when(latest.at)}）` : ""}。`),
          quickReplies([{ label: "查看完整物流", payload: payload("logistics", { order: order.id }) }]),
        ],
        result: { orderId: order.id, shipped: true },
      };
    }
    if (order.status === "unpaid") {
      return {
        replies: [text(`${orderName(order)}还没有付款，请在 ${when(payDeadline(order))} 前付款，付款后 ${SHIP_WITHIN_HOURS} 小时内发货。`)],
        result: { orderId: order.id, paid: false },
      };
    }
    const by = shipDeadline(order)!;
    const remote = isRemote(order) ? "您的地址属于偏远地区，发出后运输时间会比其他地区多 2–4 天。" : "";
    if (turn.now > by) {
      return {
        replies: [
          text(`非常抱歉，${orderName(order)}已经超过承诺的 ${when(by)} 还没发出。我已经帮您备注加急，仓库会优先处理。${remote}`),
          quickReplies([{ label: "联系人工客服催发货", payload: payload("human") }]),
        ],
        result: { orderId: order.id, late: true },
      };
    }
    return {
      replies: [text(`${orderName(order)}已付款，仓库正在备货，会在 ${when(by)} 前发出，发货后可以随时找我查物流。${remote}`)],
      result: { orderId: order.id, shipBy: by.toISOString() },
    };
  },
});
