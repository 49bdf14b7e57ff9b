/** 收货问题: damaged, missing or wrong items, or a parcel marked delivered but not received; opens a case and offers a human. */
import { openServiceCase } from "../../shop/after-sales.js";
import type { CaseKind } from "../../db/schema.js";
import { itemLabel } from "../format.js";
import { defineForm } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { orderName } from "./common.js";

const PROBLEMS: { value: CaseKind | "not_received"; label: string; keywords: string[] }[] = [
  { value: "damaged", label: "商品破损", keywords: ["破", "碎", "坏", "压扁", "变形", "漏", "烂", "裂", "划痕", "凹"] },
  { value: "missing_item", label: "少件/漏发", keywords: ["少", "漏发", "缺", "没有收到全", "只收到", "少了"] },
  { value: "wrong_item", label: "发错货", keywords: ["发错", "错了", "不是我买的", "不对", "错发"] },
  { value: "not_received", label: "显示签收但没收到", keywords: ["没收到", "没有收到", "未收到", "显示签收", "被签收", "丢了", "找不到"] },
];

export const deliveryProblem = defineForm({
  name: "delivery_problem",
  intent: "delivery_problem",
  title: "处理收货问题",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["shipped", "delivered"],
      check: (order) => (order.status === "unpaid" || order.status === "paid" ? `${orderName(order)}还没有发货。` : null),
      prompt: "是哪个订单的包裹有问题？",
      none: "您目前没有运输中或已签收的订单。如果是别的问题，可以转人工客服。",
    },
    { name: "problem", kind: "choice", prompt: "遇到的是哪种情况？", options: PROBLEMS },
    { name: "item", kind: "item", when: (s) => s.problem !== "not_received", prompt: "是哪件商品有问题？" },
    {
      name: "description",
      kind: "text",
      prompt: "麻烦简单描述一下情况（比如破损的位置、少了什么），我记录下来交给售后同事。",
      validate: (v) => (String(v).length > 300 ? "描述请控制在300字以内。" : null),
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const item = order.items.find((i) => String(i.id) === String(slots.item));
    const problem = PROBLEMS.find((p) => p.value === slots.problem)!;
    const kind: CaseKind = problem.value === "not_received" ? "missing_item" : problem.value;
    const record = await openServiceCase(turn.ctx, {
      kind,
      customerId: turn.state.customerId,
      orderId: order.id,
      orderItemId: item?.id ?? null,
      description: `${problem.label}：${String(slots.description)}`,
      details: { problem: problem.value, item: item ? itemLabel(item) : null },
      conversationId: turn.conversationId,
    });
    await turn.tickets?.open({ id: record.id, type: "delivery", subject: `${problem.label}：订单 ${order.id}`, description: record.description, orderId: order.id });
    const photo = problem.value === "not_received" ? "我们会先联系快递核实签收情况。" : "方便的话请在订单详情的售后记录里上传几张照片（外包装和商品），处理会更快。";
    return {
      replies: [
        text(`非常抱歉给您带来麻烦！已经为您登记售后，记录号 ${record.id}。${photo}售后同事会在 24 小时内联系您，补发或退款都可以。`),
        quickReplies([{ label: "现在联系人工客服", payload: payload("human") }], "想马上和人工客服沟通的话，点这里："),
      ],
      result: { caseId: record.id, kind, orderId: order.id },
    };
  },
});
