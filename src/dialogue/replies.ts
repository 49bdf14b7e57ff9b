/**
 * What the bot sends back: every reply type, typed once here as zod schemas. The HTTP layer
 * documents them from these schemas; the dialogue engine builds them with the helpers below.
 */
import { z } from "zod";

export const QuickReplyOption = z.object({
  label: z.string(),
  /** Sent back as `{payload}` when the shopper clicks, e.g. `/logistics{"order":"2026111877967622"}`. */
  payload: z.string(),
});
export type QuickReplyOption = z.infer<typeof QuickReplyOption>;

export const OrderSummary = z.object({
  id: z.string(),
  status: z.string(),
  /** The status as a shopper reads it: 待发货, 运输中 ... */
  statusText: z.string(),
  createdAt: z.string(),
  totalFen: z.number().int(),
  /** e.g. "小满 AF-333 可视空气炸锅 5.5L 等2件" */
  title: z.string(),
  items: z.array(
    z.object({
      id: z.number().int(),
      productId: z.string(),
      name: z.string(),
      color: z.string().nullable(),
      size: z.string().nullable(),
      quantity: z.number().int(),
      unitPriceFen: z.number().int(),
    }),
  ),
  /** Payload that picks this order in an order_list. */
  payload: z.string(),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const OrderCard = OrderSummary.extend({
  paymentMethod: z.string().nullable(),
  /** Masked: 张* 138****5288 上海 上海市 浦东新区 张杨路**** */
  address: z.string(),
  paidAt: z.string().nullable(),
  shippedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  refunds: z.array(z.object({ id: z.string(), status: z.string(), statusText: z.string(), amountFen: z.number().int() })),
});
export type OrderCard = z.infer<typeof OrderCard>;

export const ProductCard = z.object({
  id: z.string(),
  name: z.string(),
  brand: z.string(),
  priceFen: z.number().int(),
  /** Total stock over all variants. */
  stock: z.number().int(),
  imageUrl: z.string(),
  buyUrl: z.string(),
  specs: z.record(z.string(), z.string()),
  variants: z.array(z.object({ sku: z.string(), color: z.string().nullable(), size: z.string().nullable(), stock: z.number().int() })),
});
export type ProductCard = z.infer<typeof ProductCard>;

export const LogisticsEvent = z.object({ at: z.string(), location: z.string(), description: z.string() });

export const Reply = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("quick_replies"), text: z.string().optional(), options: z.array(QuickReplyOption).min(1) }),
  z.object({ type: z.literal("order_list"), text: z.string(), orders: z.array(OrderSummary) }),
  z.object({ type: z.literal("order_card"), order: OrderCard }),
  z.object({ type: z.literal("product_card"), product: ProductCard }),
  z.object({
    type: z.literal("logistics"),
    orderId: z.string(),
    carrier: z.string(),
    trackingNumber: z.string(),
    status: z.string(),
    statusText: z.string(),
    /** Newest first. */
    events: z.array(LogisticsEvent),
  }),
  z.object({
    type: z.literal("handoff"),
    text: z.string(),
    /** Why the bot hands over: requested, complaint, delivery_problem, unhandled, verification ... */
    reason: z.string(),
    /** What the agent sees first: the shopper's goal and what the bot already knows. */
    summary: z.string(),
    /** Where the shopper stands: position 0 while an agent is being connected. */
    queue: z
      .object({ position: z.number().int(), estimatedWaitSeconds: z.number().int().nullable(), group: z.string().nullable() })
      .optional(),
  }),
]);
export type Reply = z.infer<typeof Reply>;
export type ReplyType = Reply["type"];

export const REPLY_TYPES = ["text", "quick_replies", "order_list", "order_card", "product_card", "logistics", "handoff"] as const;

export const text = (value: string): Reply => ({ type: "text", text: value });

export const quickReplies = (options: QuickReplyOption[], prompt?: string): Reply =>
  prompt === undefined ? { type: "quick_replies", options } : { type: "quick_replies", text: prompt, options };

/** A payload a button sends back: `/name` or `/name{"key":"value"}`. */
export function payload(name: string, args?: Record<string, string | number>): string {
  return args && Object.keys(args).length ? `/${name}${JSON.stringify(args)}` : `/${name}`;
}

/** Parses a button payload; null when it is not one of ours. */
export function parsePayload(raw: string): { name: string; args: Record<string, string> } | null {
  const m = /^\/([a-z_]{1,40})(\{.{0,500}\})?$/.exec(raw.trim());
  if (!m) return null;
  if (!m[2]) return { name: m[1]!, args: {} };
  try {
    const parsed: unknown = JSON.parse(m[2]);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return null;
    const args: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== "string" && typeof v !== "number") return null;
      args[k] = String(v);
    }
    return { name: m[1]!, args };
  } catch {
    return null;
  }
}

/** A reply as plain text (for logs, transcripts shown as text, tests); `payloads` adds button payloads. */
export function plainText(reply: Reply, options: { payloads?: boolean } = {}): string {
  switch (reply.type) {
    case "text":
      return reply.text;
    case "quick_replies":
      return `${reply.text ?? ""} [${reply.options.map((o) => (options.payloads ? `${o.label} = ${o.payload}` : o.label)).join(" | ")}]`;
    case "order_list":
      return `${reply.text} <${reply.orders.map((o) => `${o.id} ${o.statusText} ${o.title}`).join(" ; ")}>`;
    case "order_card":
      return `{order ${reply.order.id} ${reply.order.title} ${reply.order.statusText} ${reply.order.address}}`;
    case "product_card":
      return `{product ${reply.product.id} ${reply.product.name} stock ${reply.product.stock}}`;
    case "logistics":
      return `{logistics ${reply.carrier} ${reply.trackingNumber} ${reply.events.map((e) => e.description).join(" / ")}}`;
    case "handoff":
      return `{handoff ${reply.reason}: ${reply.summary}} ${reply.text}`;
  }
}
