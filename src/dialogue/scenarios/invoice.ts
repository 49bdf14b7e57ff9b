/** 开发票: an electronic invoice for a paid order, personal or company title (with tax id). */
import { requestInvoice } from "../../shop/after-sales.js";
import { yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";
import { orderName } from "./common.js";

const TAX_ID = /^[0-9A-Z]{15}$|^[0-9A-Z]{17}$|^[0-9A-Z]{18}$|^[0-9A-Z]{20}$/;

export const invoice = defineForm({
  name: "invoice",
  intent: "invoice",
  title: "开发票",
  slots: [
    {
      name: "order",
      kind: "order",
      statuses: ["paid", "shipped", "delivered"],
      check: (order) =>
        order.status === "unpaid"
          ? `${orderName(order)}还没付款，付款后才能开发票。`
          : order.status === "cancelled" || order.status === "refunded"
            ? `${orderName(order)}已${order.status === "cancelled" ? "取消" : "退款"}，不能开发票了。`
            : null,
      prompt: "要给哪个订单开发票？",
      none: "您目前没有可以开发票的订单，付款后的订单都可以申请电子发票。",
    },
    {
      name: "titleType",
      kind: "choice",
      prompt: "发票抬头开个人还是单位？",
      options: [
        { value: "personal", label: "个人", keywords: ["个人", "自己"] },
        { value: "company", label: "单位", keywords: ["单位", "公司", "企业", "报销", "专票", "税号"] },
      ],
    },
    {
      name: "title",
      kind: "text",
      when: (s) => s.titleType === "company",
      prompt: "请发一下单位全称。",
      validate: (v) => (String(v).length < 4 || String(v).length > 60 ? "单位名称请写全称，例如：杭州小满网络科技有限公司。" : null),
    },
    {
      name: "taxId",
      kind: "text",
      when: (s) => s.titleType === "company",
      prompt: "再发一下单位的纳税人识别号（税号），一般是18位数字和字母。",
      extract: (t) => /[0-9a-z]{15,20}/i.exec(t.replace(/\s/g, ""))?.[0]?.toUpperCase() ?? null,
      validate: (v) => (TAX_ID.test(String(v)) ? null : "这个税号格式不对，统一社会信用代码是18位数字和大写字母，麻烦核对一下。"),
    },
  ],
  async action(turn, slots) {
    const order = (await turn.shop.order(String(slots.order)))!;
    const customer = await turn.shop.customer();
    const company = slots.titleType === "company";
    const { invoice: inv, created } = await requestInvoice(turn.ctx, {
      orderId: order.id,
      titleType: company ? "company" : "personal",
      title: company ? String(slots.title) : (customer?.name ?? order.address.name),
      taxId: company ? String(slots.taxId) : null,
    });
    const reply = created
      ? `发票申请已提交（申请号 ${inv.id}），抬头“${inv.title}”，金额 ${yuan(inv.amountFen)}。电子发票会在 ${order.status === "delivered" ? "24 小时" : "确认收货后 24 小时"}内开出，可以在订单详情里下载。`
      : `${orderName(order)}已经申请过发票了（申请号 ${inv.id}，抬头“${inv.title}”），开出后在订单详情里下载。需要改抬头的话我帮您转人工处理。`;
    return { replies: [text(reply)], result: { orderId: order.id, invoiceId: inv.id, created } };
  },
});
