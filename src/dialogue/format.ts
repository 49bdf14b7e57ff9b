/** How the bot writes money, dates, statuses and masked personal data in its replies. */
import type { OrderStatus, PostalAddress, RefundStatus } from "../db/schema.js";
import type { OrderBrief, OrderDetail } from "../shop/orders.js";
import type { ProductDetail } from "../shop/products.js";
import { maskPhone } from "../shared/logger.js";
import { payload, type OrderCard, type OrderSummary, type ProductCard } from "./replies.js";

/** 129900 → "¥1299", 129950 → "¥1299.50" */
export function yuan(fen: number): string {
  const value = fen / 100;
  return `¥${Number.isInteger(value) ? value : value.toFixed(2)}`;
}

const dateParts = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  month: "numeric",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

/** "11月18日 14:30" in China time. */
export function when(date: Date): string {
  const parts = Object.fromEntries(dateParts.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
}

/** "11月18日" in China time; "2028年8月18日" when the year is not the current one (`now`). */
export function day(date: Date, now?: Date): string {
  const md = when(date).split(" ")[0]!;
  if (!now) return md;
  const year = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCFullYear();
  return year(date) === year(now) ? md : `${year(date)}年${md}`;
}

export const ORDER_STATUS_TEXT: Record<OrderStatus, string> = {
  unpaid: "待付款",
  paid: "待发货",
  shipped: "运输中",
  delivered: "已签收",
  return_requested: "退货申请中",
  refunding: "退款中",
  refunded: "已退款",
  cancelled: "已取消",
};

export const REFUND_STATUS_TEXT: Record<RefundStatus, string> = {
  requested: "等待商家审核",
  approved: "商家已同意，请寄回商品",
  returning: "退货寄回中",
  refunding: "退款处理中",
  refunded: "退款已到账",
  rejected: "商家已拒绝",
  cancelled: "已撤销",
};

export const SHIPMENT_STATUS_TEXT: Record<string, string> = {
  in_transit: "运输中",
  out_for_delivery: "派送中",
  delivered: "已签收",
  returned: "已退回",
};

/** 张伟 → 张*; 欧阳娜娜 → 欧阳**  */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  const keep = chars.length >= 4 ? 2 : 1;
  return chars.slice(0, keep).join("") + "*".repeat(chars.length - keep);
}

/** Province, city and district are kept; the street detail is hidden after its first 4 characters. */
export function maskAddress(address: PostalAddress): string {
  const detail = [...address.detail];
  const shown = detail.slice(0, Math.min(4, detail.length)).join("") + (detail.length > 4 ? "****" : "");
  return `${maskName(address.name)} ${maskPhone(address.phone)} ${address.province} ${address.city} ${address.district} ${shown}`;
}

/** "小满 AF-333 可视空气炸锅 5.5L" or "... 等3件" */
export function orderTitle(order: Pick<OrderBrief, "items">): string {
  const first = order.items[0];
  if (!first) return "（无商品）";
  const count = order.items.reduce((n, i) => n + i.quantity, 0);
  return order.items.length > 1 || count > 1 ? `${first.name} 等${count}件` : first.name;
}

/** "小满 AF-333 可视空气炸锅 5.5L（黑色/L）" */
export function itemLabel(item: { name: string; color: string | null; size: string | null }): string {
  const variant = [item.color, item.size].filter(Boolean).join("/");
  return variant ? `${item.name}（${variant}）` : item.name;
}

export function orderSummary(order: OrderBrief): OrderSummary {
  return {
    id: order.id,
    status: order.status,
    statusText: ORDER_STATUS_TEXT[order.status],
    createdAt: order.createdAt.toISOString(),
    totalFen: order.totalFen,
    title: orderTitle(order),
    items: order.items.map((i) => ({
      id: i.id,
      productId: i.productId,
      name: i.name,
      color: i.color,
      size: i.size,
      quantity: i.quantity,
      unitPriceFen: i.unitPriceFen,
    })),
    payload: payload("select", { order: order.id }),
  };
}

const PAYMENT_TEXT: Record<string, string> = { alipay: "支付宝", wechat_pay: "微信支付", bank_card: "银行卡", huabei: "花呗" };

export function orderCard(order: OrderDetail): OrderCard {
  const shipment = order.shipments.at(-1);
  return {
    ...orderSummary(order),
    paymentMethod: order.paymentMethod ? (PAYMENT_TEXT[order.paymentMethod] ?? order.paymentMethod) : null,
    address: maskAddress(order.address),
    paidAt: order.paidAt?.toISOString() ?? null,
    shippedAt: order.shippedAt?.toISOString() ?? null,
    deliveredAt: order.deliveredAt?.toISOString() ?? null,
    carrier: shipment?.carrier ?? null,
    trackingNumber: shipment?.trackingNumber ?? null,
    refunds: order.refunds.map((r) => ({ id: r.id, status: r.status, statusText: REFUND_STATUS_TEXT[r.status], amountFen: r.amountFen })),
  };
}

export function productCard(product: ProductDetail): ProductCard {
  return {
    id: product.id,
    name: product.name,
    brand: product.brand,
    priceFen: product.priceFen,
    stock: product.stock,
    imageUrl: product.imageUrl,
    buyUrl: `/products/${product.id}`,
    specs: product.specs,
    variants: product.variants.map((v) => ({ sku: v.sku, color: v.color, size: v.size, stock: v.stock })),
  };
}
