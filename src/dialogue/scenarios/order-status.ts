/** 订单状态: where an order stands, as a card with one sentence that says what happens next. */
import { orderCard, when, yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";
import type { OrderDetail } from "../../shop/orders.js";
import { orderName, payDeadline, shipDeadline } from "./common.js";

function nextStep(order: OrderDetail): string {
  switch (order.status) {
    case "unpaid":
      return `${orderName(order)}还没有付款，应付 ${yuan(order.totalFen)}，请在 ${when(payDeadline(order))} 前完成支付，超时订单会自动关闭。`;
    case "paid": {
      const by = shipDeadline(order);
      return `${orderName(order)}已付款，仓库正在备货${by ? `，预计 ${when(by)} 前发出` : ""}。`;
    }
    case "shipped": {
      const last = order.shipments.at(-1)?.events.at(-1);
      return `${orderName(order)}已发货，正在运输中${last ? `，最新动态：${last.description}（${when(last.at)}）` : ""}。`;
    }
    case "delivered":
      return `${orderName(order)}已于 ${order.deliveredAt ? when(order.deliveredAt) : "近日"} 签收。如果商品有任何问题，随时告诉我。`;
    case "return_requested":
      return `${orderName(order)}的退货申请已提交，正在等待商家审核。`;
    case "refunding":
      return `${orderName(order)}正在退款中，款项会原路退回。`;
    case "refunded":
      return `${orderName(order)}已经退款完成。`;
    case "cancelled":
      return `${orderName(order)}已取消${order.cancelledAt ? `（${when(order.cancelledAt)}）` : ""}。`;
  }
}

export const orderStatus = defineForm({
  name: "order_status",
  intent: "order_status",
  whileWaiting: true,
  title: "查询订单",
  slots: [{ name: "order", kind: "order", prompt: "您想查询哪个订单呢？点一下就好：", none: "您的账户里还没有订单哦。", preferOpen: true }],
  async action(turn, slots) {
    const order = (await turn.shop.orderDetail(String(slots.order)))!;
    return { replies: [text(nextStep(order)), { type: "order_card", order: orderCard(order) }], result: { orderId: order.id, status: order.status } };
  },
});
