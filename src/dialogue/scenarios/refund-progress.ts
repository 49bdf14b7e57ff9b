/** 退款进度: every refund of an order, where it stands and what comes next. */
import type { RefundRow } from "../../shop/orders.js";
import { REFUND_STATUS_TEXT, when, yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";
import { orderName } from "./common.js";

function nextFor(refund: RefundRow): string {
  switch (refund.status) {
    case "requested":
      return "商家会在 24 小时内审核";
    case "approved":
      return "请在 7 天内寄回商品，并在订单详情里填写退货运单号";
    case "returning":
      return `退货${refund.returnTrackingNumber ? `（运单号 ${refund.returnTrackingNumber}）` : ""}寄回中，仓库签收后 1–3 个工作日退款`;
    case "refunding":
      return "款项正在原路退回，一般 1–3 个工作日到账，信用卡和花呗可能稍慢";
    case "refunded":
      return refund.refundedAt ? `已于 ${when(refund.refundedAt)} 原路退回，请查看支付账户` : "已原路退回";
    case "rejected":
      return "如对结果有异议，可以转人工客服申诉";
    case "cancelled":
      return "这笔申请已撤销";
  }
}

export const refundProgress = defineForm({
  name: "refund_progress",
  intent: "refund_progress",
  whileWaiting: true,
  title: "查询退款进度",
  slots: [
    {
      name: "order",
      kind: "order",
      check: (order) => (order.refunds.length === 0 ? `${orderName(order)}没有退款记录。如果想申请退款，告诉我“我要退货”就可以。` : null),
      prompt: "您想查哪个订单的退款？",
      none: "您的订单目前都没有退款记录。",
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const lines = order.refunds.map((r) => {
      const item = order.items.find((i) => i.id === r.orderItemId);
      return `退款单 ${r.id}${item ? `（${item.name}）` : ""}：${yuan(r.amountFen)}，${REFUND_STATUS_TEXT[r.status]}，${nextFor(r)}。`;
    });
    return { replies: [text(`${orderName(order)}的退款情况：\n${lines.join("\n")}`)], result: { orderId: order.id, refunds: order.refunds.map((r) => r.id) } };
  },
});
