/** 付款: an unpaid order's amount and deadline; otherwise the ways to pay. */
import { when, yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";
import { orderName, payDeadline } from "./common.js";

const PAY_METHODS = "支持支付宝、微信支付、银行卡（储蓄卡和信用卡）和花呗分期，满 600 元可以用花呗 3 期免息。";

export const payment = defineForm({
  name: "payment",
  intent: "payment",
  title: "付款",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["unpaid"],
      check: (order) => (order.status !== "unpaid" ? `${orderName(order)}${order.status === "cancelled" ? "已经取消了" : "已经付过款了"}，不用再付。` : null),
      prompt: "您要付款的是哪个订单？",
      none: `您目前没有待付款的订单。${PAY_METHODS}`,
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const deadline = payDeadline(order);
    if (turn.now > deadline) {
      return { replies: [text(`${orderName(order)}已经超过付款时间，系统会自动关闭，商品还需要的话重新下单就可以。`)], result: { orderId: order.id, expired: true } };
    }
    return {
      replies: [
        text(`${orderName(order)}应付 ${yuan(order.totalFen)}，请在 ${when(deadline)} 前付款：在“我的订单”里点“去支付”就可以。${PAY_METHODS}付款遇到问题的话，把提示截图发给人工客服帮您看。`),
      ],
      result: { orderId: order.id, totalFen: order.totalFen },
    };
  },
});
