/** Orders with their items, shipments (and tracking trail) and refunds. */
import { asc, desc, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import * as t from "../db/schema.js";
import { NotFoundError } from "../shared/errors.js";

export type OrderRow = typeof t.orders.$inferSelect;
export type OrderItemRow = typeof t.orderItems.$inferSelect;
export type ShipmentRow = typeof t.shipments.$inferSelect;
export type ShipmentEventRow = typeof t.shipmentEvents.$inferSelect;
export type RefundRow = typeof t.refunds.$inferSelect;

export interface OrderDetail extends OrderRow {
  items: OrderItemRow[];
  shipments: (ShipmentRow & { events: ShipmentEventRow[] })[];
  refunds: RefundRow[];
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

async function attachDetails(ctx: ServiceContext, orders: OrderRow[]): Promise<OrderDetail[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((o) => o.id);
  const [items, shipments, refunds] = await Promise.all([
    ctx.db.select().from(t.orderItems).where(inArray(t.orderItems.orderId, ids)).orderBy(asc(t.orderItems.id)),
    ctx.db.select().from(t.shipments).where(inArray(t.shipments.orderId, ids)).orderBy(asc(t.shipments.id)),
    ctx.db.select().from(t.refunds).where(inArray(t.refunds.orderId, ids)).orderBy(asc(t.refunds.createdAt)),
  ]);
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
