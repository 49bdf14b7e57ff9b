/** Orders with their items, shipments (and tracking trail) and refunds. */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { randomInt } from "node:crypto";
import type { ServiceContext } from "../context.js";
import { decodeRow, rawQuery } from "../db/raw-query.js";
import * as t from "../db/schema.js";
import type { PostalAddress } from "../db/schema.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";

export type OrderRow = typeof t.orders.$inferSelect;
export type OrderItemRow = typeof t.orderItems.$inferSelect;
export type ShipmentRow = typeof t.shipments.$inferSelect;
export type ShipmentEventRow = typeof t.shipmentEvents.$inferSelect;
export type RefundRow = typeof t.refunds.$inferSelect;

/** An order with its items and refunds: enough to list, pick and check it. */
export interface OrderBrief extends OrderRow {
  items: OrderItemRow[];
  refunds: RefundRow[];
}

/** An order with everything: items, refunds and shipments with their tracking trail. */
export interface OrderDetail extends OrderBrief {
  shipments: (ShipmentRow & { events: ShipmentEventRow[] })[];
}

/** A customer's orders, newest first, each with items, shipments and refunds. */
export async function listCustomerOrders(ctx: ServiceContext, customerId: string): Promise<OrderDetail[]> {
  const [customer] = await ctx.db.select({ id: t.customers.id }).from(t.customers).where(eq(t.customers.id, customerId));
  if (!customer) throw new NotFoundError(`customer ${customerId} does not exist`);
  const orders = await ctx.db
    .select()
    .from(t.orders)
    .where(eq(t.orders.customerId, customerId))
    .orderBy(desc(t.orders.createdAt));
  return attachDetails(ctx, orders);
}

/** One order with its details, or null when it does not exist. */
export async function findOrder(ctx: ServiceContext, orderId: string): Promise<OrderDetail | null> {
  const rows = await ctx.db.select().from(t.orders).where(eq(t.orders.id, orderId));
  const [detail] = await attachDetails(ctx, rows);
  return detail ?? null;
}

/** One order with items and refunds (no tracking), or null when it does not exist. */
export async function findOrderBrief(ctx: ServiceContext, orderId: string): Promise<OrderBrief | null> {
  const [row] = await orderBriefById(ctx.db, [orderId]);
  return row ? decodeBrief(row) : null;
}

/** Statuses in which the shop has not handed the parcel to a carrier yet. */
export const NOT_SHIPPED: readonly t.OrderStatus[] = ["unpaid", "paid"];

/**
 * Cancels an order that has not shipped: puts the stock back and, when it was paid, opens a full
 * refund to the original payment method. Returns the refund, if any.
 */
export async function cancelOrder(ctx: ServiceContext, orderId: string, reason: string): Promise<RefundRow | null> {
  return ctx.db.transaction(async (tx) => {
    const [order] = await tx.select().from(t.orders).where(eq(t.orders.id, orderId)).for("update");
    if (!order) throw new NotFoundError(`order ${orderId} does not exist`);
    if (!NOT_SHIPPED.includes(order.status)) throw new ConflictError(`order ${orderId} is ${order.status} and can no longer be cancelled`);
    const now = ctx.clock.now();
    await tx.update(t.orders).set({ status: "cancelled", cancelledAt: now, updatedAt: now }).where(eq(t.orders.id, orderId));
    const items = await tx.select().from(t.orderItems).where(eq(t.orderItems.orderId, orderId));
    for (const item of items) {
      await tx
        .update(t.productVariants)
        .set({ stock: sql`${t.productVariants.stock} + ${item.quantity}` })
        .where(eq(t.productVariants.sku, item.sku));
    }
    if (order.status !== "paid") return null;
    const [refund] = await tx
      .insert(t.refunds)
      .values({
        id: newRefundId(orderId),
        orderId,
        orderItemId: null,
        kind: "refund_only",
        status: "refunding",
        reason,
        amountFen: order.totalFen,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return refund!;
  });
}

/** Replaces the delivery address of an order that has not shipped. */
export async function changeOrderAddress(ctx: ServiceContext, orderId: string, address: PostalAddress): Promise<void> {
  const now = ctx.clock.now();
  const updated = await ctx.db
    .update(t.orders)
    .set({ address, updatedAt: now })
    .where(and(eq(t.orders.id, orderId), inArray(t.orders.status, [...NOT_SHIPPED])))
    .returning({ id: t.orders.id });
  if (updated.length === 0) throw new ConflictError(`order ${orderId} does not exist or has already shipped`);
}

/** Refund numbers: R + the order's first 8 digits + 6 random digits, like the shop's own. */
export function newRefundId(orderId: string): string {
  return `R${orderId.slice(0, 8)}${randomDigits(6)}`;
}

export function randomDigits(n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/** A customer's orders, newest first, with items and refunds (no tracking: cheaper for lists). */
export async function listCustomerOrderBriefs(ctx: ServiceContext, customerId: string): Promise<OrderBrief[]> {
  // Read on nearly every turn of a known shopper, so in one prepared statement.
  return (await orderBriefsOfCustomer(ctx.db, [customerId])).map(decodeBrief);
}

/** Orders as one row each, with their items and refunds aggregated as JSON: one statement per read. */
type JsonRow = Record<string, unknown>;
type BriefRow = JsonRow & { items: JsonRow[]; refunds: JsonRow[] };
const BRIEF_COLUMNS = `o.*,
  coalesce((select json_agg(row_to_json(i) order by i.id) from order_items i where i.order_id = o.id), '[]'::json) as items,
  coalesce((select json_agg(row_to_json(r) order by r.created_at) from refunds r where r.order_id = o.id), '[]'::json) as refunds`;
const orderBriefsOfCustomer = rawQuery<BriefRow>(
  "kefu_order_briefs_of_customer",
  `select ${BRIEF_COLUMNS} from orders o where o.customer_id = $1 order by o.created_at desc`,
  { readOnly: true },
);
const orderBriefById = rawQuery<BriefRow>("kefu_order_brief_by_id", `select ${BRIEF_COLUMNS} from orders o where o.id = $1`, { readOnly: true });

function decodeBrief({ items, refunds, ...order }: BriefRow): OrderBrief {
  return {
    ...decodeRow(t.orders, order),
    items: items.map((i) => decodeRow(t.orderItems, i)),
    refunds: refunds.map((r) => decodeRow(t.refunds, r)),
  };
}

async function attachDetails(ctx: ServiceContext, orders: OrderRow[]): Promise<OrderDetail[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  // Sequential on purpose: inside a transaction there is one connection, and pg queues anyway.
  const items = await ctx.db.select().from(t.orderItems).where(inArray(t.orderItems.orderId, ids)).orderBy(asc(t.orderItems.id));
  const shipments = await ctx.db.select().from(t.shipments).where(inArray(t.shipments.orderId, ids)).orderBy(asc(t.shipments.id));
  const refunds = await ctx.db.select().from(t.refunds).where(inArray(t.refunds.orderId, ids)).orderBy(asc(t.refunds.createdAt));
  const events = shipments.length
    ? await ctx.db
        .select()
        .from(t.shipmentEvents)
        .where(
          inArray(
            t.shipmentEvents.shipmentId,
            shipments.map((s) => s.id),
          ),
        )
        .orderBy(asc(t.shipmentEvents.at), asc(t.shipmentEvents.id))
    : [];
  return orders.map((order) => ({
    ...order,
    items: items.filter((i) => i.orderId === order.id),
    shipments: shipments
      .filter((s) => s.orderId === order.id)
      .map((s) => ({ ...s, events: events.filter((e) => e.shipmentId === s.id) })),
    refunds: refunds.filter((r) => r.orderId === order.id),
  }));
}
