/** Greetings, thanks and goodbyes, and chit-chat: short, friendly, and back to what the shopper needs. */
import { defineForm, type Turn } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";

/** Picks a variant by turn so the bot does not repeat itself word for word. */
const pick = (turn: Turn, options: string[]) => options[turn.text.length % options.length]!;

export const greeting = defineForm({
  name: "greeting",
  intent: "greeting",
  title: "打招呼",
  slots: [],
  async action(turn) {
    const customer = await turn.shop.customer();
    const name = customer ? `${customer.name}，` : "";
    return {
      replies: [
        text(`${name}您好！我是小满，订单、物流、退换货、商品问题都可以问我。`),
        quickReplies([
          { label: "查订单", payload: payload("order_status") },
          { label: "查物流", payload: payload("logistics") },
          { label: "退换货", payload: payload("return_refund") },
        ]),
      ],
    };
  },
});

export const farewell = defineForm({
  name: "farewell",
  intent: "farewell",
  title: "道别",
  slots: [],
  async action(turn) {
    const line = pick(turn, ["不客气，祝您购物愉快！有问题随时来找我。", "好的，有需要随时找我，祝您生活愉快～", "不客气！还有别的问题随时戳我。"]);
    return { replies: [text(line)] };
  },
});

export const chitchat = defineForm({
  name: "chitchat",
  intent: "chitchat",
  title: "闲聊",
  slots: [],
  async action(turn) {
    const line = pick(turn, [
      "我是小满优选的智能客服小满，7×24小时在线～订单、物流、退换货、商品问题都可以问我。",
      "哈哈，被您发现了，我是机器人客服小满。有购物上的问题尽管问，我帮您查。",
      "我在呢～有什么购物上的问题，我都可以帮您看看。",
    ]);
    return { replies: [text(line)] };
  },
});
