/** 工单进度: where the shopper's after-sales tickets stand (started from the welcome's button or a payload). */
import { when } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";

export const ticketStatus = defineForm({
  name: "ticket_status",
  // No intent model class: shoppers reach it through the button the welcome shows when they have tickets.
  intent: "ticket_status",
  whileWaiting: true,
  title: "查询工单进度",
  slots: [],
  async action(turn) {
    if (!turn.state.customerId) return { replies: [text("登录后才能查看您的售后工单。登录商城后从“我的订单”进入客服就可以。")] };
    const tickets = (await turn.tickets?.mine()) ?? [];
    if (tickets.length === 0) return { replies: [text("您目前没有处理中的售后工单。")], result: { tickets: [] } };
    const lines = tickets.slice(0, 5).map((k) => `${k.typeText}工单 ${k.id}：${k.statusText}（${k.subject}，${when(k.updatedAt)}更新）`);
    return {
      replies: [
        text(`您的售后工单：\n${lines.join("\n")}\n有新进展时我会在这里通知您。`),
        quickReplies([{ label: "想催一下进度", payload: payload("human") }]),
      ],
      result: { tickets: tickets.map((k) => k.id) },
    };
  },
});
