/** 投诉: records the complaint with its order and hands the conversation to a human at once. */
import { openServiceCase } from "../../shop/after-sales.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";

export const complaint = defineForm({
  name: "complaint",
  intent: "complaint",
  title: "投诉",
  handsOver: true,
  slots: [],
  async action(turn) {
    const customer = await turn.shop.customer();
    const orderId = turn.state.focusOrder;
    const record = await openServiceCase(turn.ctx, {
      kind: "complaint",
      customerId: customer?.id ?? null,
      orderId,
      description: turn.text.slice(0, 300),
      conversationId: turn.conversationId,
    });
    await turn.tickets?.open({ id: record.id, type: "complaint", subject: `投诉${orderId ? `：订单 ${orderId}` : ""}`, description: record.description, orderId });
    const who = customer ? `${customer.name}（${customer.vipLevel ? `VIP${customer.vipLevel}` : "普通会员"}）` : "未登录访客";
    return {
      replies: [text(`非常抱歉让您有不好的体验，您的意见我已经记录下来（投诉编号 ${record.id}），马上请专人来处理。`)],
      result: { caseId: record.id, orderId },
      handoff: { reason: "complaint", summary: `${who}投诉${orderId ? `，订单 ${orderId}` : ""}：“${turn.text.slice(0, 80)}”` },
    };
  },
});
