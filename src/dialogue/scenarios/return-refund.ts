/** 退货退款: choose order → choose item → reason → confirm → a refund record, whose number is told. */
import { OPEN_REFUND_STATUSES, requestRefund } from "../../shop/after-sales.js";
import { itemLabel, REFUND_STATUS_TEXT, yuan } from "../format.js";
import { defineForm, type ChoiceOption } from "../forms.js";
import { payload, quickReplies, text } from "../replies.js";
import { daysSinceDelivery, NO_REASON_DAYS, orderName, QUALITY_RETURN_DAYS } from "./common.js";

export const RETURN_REASONS: ChoiceOption[] = [
  { value: "no_reason", label: "七天无理由", keywords: ["无理由", "不想要", "不喜欢", "买多了", "拍错", "不需要"] },
  { value: "quality", label: "质量问题", keywords: ["质量", "坏了", "故障", "破损", "瑕疵", "开线", "起球", "不能用", "用不了", "漏"] },
  { value: "size", label: "尺码不合适", keywords: ["尺码", "太大", "太小", "偏大", "偏小", "不合身", "码数"] },
  { value: "wrong_item", label: "发错货", keywords: ["发错", "错发", "不是我买的", "颜色不对"] },
  { value: "not_as_described", label: "与描述不符", keywords: ["描述不符", "不一样", "色差", "假货", "货不对板"] },
];

const reasonLabel = (value: unknown) => RETURN_REASONS.find((r) => r.value === value)?.label ?? String(value);

export const returnRefund = defineForm({
  name: "return_refund",
  intent: "return_refund",
  title: "退货退款",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["paid", "shipped", "delivered"],
      check: (order) => {
        if (order.status === "unpaid") return `${orderName(order)}还没付款，不需要退款；不想要的话可以直接取消。`;
        if (order.status === "cancelled") return `${orderName(order)}已经取消了，付过的款会原路退回。`;
        if (order.status === "refunded") return `${orderName(order)}已经退款完成了。`;
        return null;
      },
      prompt: "您要退哪个订单里的商品？",
      none: "您目前没有可以申请退货退款的订单。",
    },
    {
      name: "item",
      kind: "item",
      prompt: "要退的是哪件商品？",
      check: (item, order) => {
        const open = order.refunds.find((r) => r.orderItemId === item.id && OPEN_REFUND_STATUSES.includes(r.status));
        return open ? `${item.name}已经有一笔退款在处理了（退款单号 ${open.id}，${REFUND_STATUS_TEXT[open.status]}），不用重复申请。` : null;
      },
    },
    {
      name: "reason",
      kind: "choice",
      prompt: "请问退货的原因是？",
      options: RETURN_REASONS,
      async validate(value, turn, slots) {
        const order = (await turn.shop.order(String(slots.order)))!;
        const days = daysSinceDelivery(order, turn.now);
        const item = order.items.find((i) => String(i.id) === String(slots.item));
        const product = item ? await turn.shop.product(item.productId) : null;
        if (value === "no_reason" || value === "size") {
          if (product && !product.noReasonReturn) return `${product.name}不支持七天无理由退货（生鲜、拆封的化妆品等），如果是质量问题可以选“质量问题”。`;
          if (days !== null && days > NO_REASON_DAYS) return `这件商品签收已经 ${days} 天，超过了七天无理由退货的期限。如果是质量问题，可以选“质量问题”。`;
        }
        if (value === "quality" && days !== null && days > QUALITY_RETURN_DAYS) {
          return `签收已经超过 ${QUALITY_RETURN_DAYS} 天，已经过了退货期限，质量问题可以在保修期内申请维修，跟我说“申请保修”就可以。`;
        }
        return null;
      },
    },
  ],
  async confirm(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const item = order.items.find((i) => String(i.id) === String(slots.item))!;
    const kind = order.shippedAt ? "退货退款" : "仅退款（还没发货）";
    return [
      quickReplies(
        [
          { label: "确认提交", payload: payload("affirm") },
          { label: "先不退了", payload: payload("deny") },
        ],
        `帮您核对一下：${itemLabel(item)} × ${item.quantity}，原因“${reasonLabel(slots.reason)}”，${kind}，退款 ${yuan(item.unitPriceFen * item.quantity)}。确认提交吗？`,
      ),
    ];
  },
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const item = order.items.find((i) => String(i.id) === String(slots.item))!;
    const kind = order.shippedAt ? "return_refund" : "refund_only";
    const refund = await requestRefund(turn.ctx, { orderId: order.id, orderItemId: item.id, reason: reasonLabel(slots.reason), kind });
    await turn.tickets?.open({
      id: refund.id,
      type: "return",
      subject: `${kind === "return_refund" ? "退货退款" : "仅退款"}：${itemLabel(item)}`,
      description: `原因：${reasonLabel(slots.reason)}；退款 ${yuan(refund.amountFen)}`,
      orderId: order.id,
    });
    const next =
      kind === "return_refund"
        ? "商家会在 24 小时内审核，通过后请在 7 天内把商品寄回，并在订单详情里填写退货运单号。收到退货后 1–3 个工作日退款。"
        : "商家审核通过后，款项会在 1–3 个工作日内原路退回。";
    const freight = slots.reason === "no_reason" || slots.reason === "size" ? "七天无理由退货的寄回运费由您承担，订单有运费险的话会自动理赔。" : "质量问题的寄回运费由我们承担，寄件时可以选择到付。";
    return {
      replies: [text(`退货申请已提交，退款单号 ${refund.id}，退款金额 ${yuan(refund.amountFen)}。${next}${kind === "return_refund" ? freight : ""}`)],
      result: { orderId: order.id, refundId: refund.id, orderItemId: item.id, reason: slots.reason },
    };
  },
});
