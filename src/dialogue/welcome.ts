/** The first message: by name when the shopper is known, about the product on the page, with likely questions as buttons. */
import { orderTitle } from "./format.js";
import type { ShopView } from "./forms.js";
import { payload, quickReplies, text, type QuickReplyOption, type Reply } from "./replies.js";
import type { ConversationContext } from "./state.js";

const MAX_OPTIONS = 5;
/** Built once: making an Intl formatter costs more than the rest of the welcome. */
const beijingHour = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "numeric", hourCycle: "h23" });

export async function welcome(shop: ShopView, context: ConversationContext, now: Date, openTickets = 0): Promise<Reply[]> {
  const customer = await shop.customer();
  const hour = Number(beijingHour.format(now));
  const hello = hour < 11 ? "早上好" : hour < 13 ? "中午好" : hour < 18 ? "下午好" : "晚上好";
  const options: QuickReplyOption[] = [];
  const lines: string[] = [customer ? `${customer.name}，${hello}！我是小满优选的智能客服小满。` : `${hello}！我是小满优选的智能客服小满。`];

  const product = context.productId ? await shop.product(context.productId) : null;
  if (product) {
    lines.push(`看到您在看「${product.name}」，尺码、库存、参数、使用方法都可以问我。`);
    const p = { product: product.id };
    if (product.sizeChart?.length) options.push({ label: "帮我推荐尺码", payload: payload("size_advice", p) });
    options.push({ label: "有没有货", payload: payload("stock", p) }, { label: "看看参数", payload: payload("product_info", p) });
    if (product.usageNotes) options.push({ label: "怎么使用", payload: payload("product_usage", p) });
  }

  if (customer) {
    const orders = await shop.orders();
    const focus = context.orderId ? orders.find((o) => o.id === context.orderId) : undefined;
    const shipping = orders.filter((o) => o.status === "shipped");
    const waiting = orders.filter((o) => o.status === "paid");
    const unpaid = orders.filter((o) => o.status === "unpaid");
    const refunding = orders.filter((o) => ["return_requested", "refunding"].includes(o.status));
    if (focus) options.unshift({ label: `查看这个订单`, payload: payload("order_status", { order: focus.id }) });
    for (const o of shipping.slice(0, 2)) options.push({ label: `查物流：${short(orderTitle(o))}`, payload: payload("logistics", { order: o.id }) });
    if (waiting[0]) options.push({ label: `什么时候发货：${short(orderTitle(waiting[0]))}`, payload: payload("shipping_time", { order: waiting[0].id }) });
    if (unpaid[0]) options.push({ label: "待付款订单", payload: payload("payment", { order: unpaid[0].id }) });
    if (refunding[0]) options.push({ label: "退款进度", payload: payload("refund_progress", { order: refunding[0].id }) });
    if (openTickets > 0) options.push({ label: "售后工单进度", payload: payload("ticket_status") });
    if (shipping.length) lines.push(`您有 ${shipping.length} 个订单正在路上，点下面就能看物流。`);
  }
  if (options.length < 3) {
    options.push({ label: "查订单", payload: payload("order_status") }, { label: "退换货", payload: payload("return_refund") });
  }
  options.push({ label: "转人工客服", payload: payload("human") });
  return [text(lines.join("")), quickReplies(dedupe(options).slice(0, MAX_OPTIONS).concat(options.at(-1)!).filter(unique()), "您可能想问：")];
}

const short = (s: string) => ([...s].length > 14 ? `${[...s].slice(0, 13).join("")}…` : s);

function dedupe(options: QuickReplyOption[]): QuickReplyOption[] {
  return options.filter(unique());
}

function unique() {
  const seen = new Set<string>();
  return (o: QuickReplyOption) => (seen.has(o.payload) ? false : (seen.add(o.payload), true));
}
