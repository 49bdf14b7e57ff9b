/** After-sales records the bot opens: return/refund requests, exchanges, delivery problems, repairs, complaints, invoices. */
import { and, eq, inArray } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import * as t from "../db/schema.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";
import { newRefundId, randomDigits, type RefundRow } from "./orders.js";

/** Refunds still being worked on: a second request for the same item is refused. */
export const OPEN_REFUND_STATUSES: readonly t.RefundStatus[] = ["requested", "approved", "returning", "refunding"];

export interface RefundRequest {
  orderId: string;
  orderItemId: number;
  reason: string;
  /** Shipped goods come back (return_refund); unshipped ones are refunded only. */
  kind: "refund_only" | "return_refund";
}

/** Opens a refund for one order line and marks the order return_requested. */
export async function requestRefund(ctx: ServiceContext, input: RefundRequest): Promise<RefundRow> {
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx.select().from(t.orderItems).where(and(eq(t.orderItems.id, input.orderItemId), eq(t.orderItems.orderId, input.orderId)));
    if (!item) throw new NotFoundError(`order ${input.orderId} has no item ${input.orderItemId}`);
    const open = await tx
      .select({ id: t.refunds.id })
      .from(t.refunds)
      .where(and(eq(t.refunds.orderItemId, item.id), inArray(t.refunds.status, [...OPEN_REFUND_STATUSES])));
    if (open.length > 0) throw new ConflictError(`item ${item.id} already has refund ${open[0]!.id} in progress`);
    const now = ctx.clock.now();
    const [refund] = await tx
      .insert(t.refunds)
      .values({
        id: newRefundId(input.orderId),
        orderId: input.orderId,
        orderItemId: item.id,
        kind: input.kind,
        status: "requested",
        reason: input.reason,
        amountFen: item.unitPriceFen * item.quantity,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.update(t.orders).set({ status: "return_requested", updatedAt: now }).where(eq(t.orders.id, input.orderId));
    return refund!;
  });
}

export type ServiceCaseRow = typeof t.serviceCases.$inferSelect;

export interface NewServiceCase {
  kind: t.CaseKind;
  customerId: string | null;
  orderId: string | null;
  orderItemId?: number | null;
  description: string;
  details?: Record<string, unknown>;
  conversationId?: string | null;
}

const CASE_PREFIX: Record<t.CaseKind, string> = {
  damaged: "AS",
  missing_item: "AS",
  wrong_item: "AS",
  exchange: "EX",
  repair: "RP",
  complaint: "CP",
};

/** Opens an after-sales case for the shop's staff; its number is told to the shopper. */
export async function openServiceCase(ctx: ServiceContext, input: NewServiceCase): Promise<ServiceCaseRow> {
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .insert(t.serviceCases)
    .values({
      id: `${CASE_PREFIX[input.kind]}${dateDigits(now)}${randomDigits(6)}`,
      kind: input.kind,
      customerId: input.customerId,
      orderId: input.orderId,
      orderItemId: input.orderItemId ?? null,
      status: "open",
      description: input.description,
      details: input.details ?? {},
      conversationId: input.conversationId ?? null,
      createdAt: now,
    })
    .returning();
  return row!;
}

export async function listOrderCases(ctx: ServiceContext, orderId: string): Promise<ServiceCaseRow[]> {
  return ctx.db.select().from(t.serviceCases).where(eq(t.serviceCases.orderId, orderId));
}

export type InvoiceRow = typeof t.invoices.$inferSelect;

/** Requests an electronic invoice for an order; one per order (a second request returns the first). */
export async function requestInvoice(
  ctx: ServiceContext,
  input: { orderId: string; titleType: t.InvoiceTitleType; title: string; taxId: string | null },
): Promise<{ invoice: InvoiceRow; created: boolean }> {
  const [existing] = await ctx.db.select().from(t.invoices).where(eq(t.invoices.orderId, input.orderId));
  if (existing) return { invoice: existing, created: false };
  const [order] = await ctx.db.select({ totalFen: t.orders.totalFen }).from(t.orders).where(eq(t.orders.id, input.orderId));
  if (!order) throw new NotFoundError(`order ${input.orderId} does not exist`);
  const now = ctx.clock.now();
  const [invoice] = await ctx.db
    .insert(t.invoices)
    .values({
      id: `INV${dateDigits(now)}${randomDigits(6)}`,
      orderId: input.orderId,
      titleType: input.titleType,
      title: input.title,
      taxId: input.taxId,
      amountFen: order.totalFen,
      status: "requested",
      createdAt: now,
    })
    .returning();
  return { invoice: invoice!, created: true };
}

/** 20261120 in China time. */
function dateDigits(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, "");
}
