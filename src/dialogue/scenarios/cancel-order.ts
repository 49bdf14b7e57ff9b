/** 取消订单: only before shipping, after the shopper confirms; a paid order is refunded in full. */
import { cancelOrder } from "../../shop/orders.js";
import { yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { orderName, shippedOn } from "./common.js";

export const cancelOrderForm = defineForm({
  name: "cancel_order",
  intent: "cancel_order",
  title: "取消订单",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["unpaid", "paid"],
      check: (order) => {
        if (order.status === "shipped")
          return `${orderName(order)}已于 ${shippedOn(order)} 发货，没办法直接取消了。您可以拒收快递，包裹退回仓库后会自动退款；也可以签收后申请退货。`;
        if (order.status === "delivered") return `${orderName(order)}已经签收了，不能取消；如果不想要了，可以申请退货退款。`;
        if (order.status === "cancelled") return `${orderName(order)}已经是取消状态了，不需要再操作。`;
        if (order.status !== "unpaid" && order.status !== "paid") return `${orderName(order)}正在售后流程中，不能取消。`;
        return null;
      },
      prompt: "您要取消哪个订单？",
      none: "您目前没有可以取消的订单。已经发货的订单不能直接取消，可以拒收或签收后申请退货。",
    },
  ],
  async confirm(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const money = order.status === "paid" ? `，实付 ${yuan(order.totalFen)} 会原路退回` : "";
    return [
      quickReplies(
        [
          { label: "确认取消", payload: payload("affirm") },
          { label: "先不取消", payload: payload("deny") },
        ],
        `确认要取消${orderName(order)}吗${money}？取消后不能恢复。`,
      ),
    ];
  },
  async action(turn, slots) {
    const orderId = String(slots.order);
    const refund = await cancelOrder(turn.ctx, orderId, "买家取消订单");
    const reply = refund
      ? `订单 ${orderId} 已取消，退款单号 ${refund.id}，${yuan(refund.amountFen)} 会在 1–3 个工作日内原路退回，请留意到账通知。`
      : `订单 ${orderId} 已取消。这个订单还没有付款，不会产生任何费用。`;
    return { replies: [text(reply)], result: { orderId, refundId: refund?.id ?? null } };
  },
});
