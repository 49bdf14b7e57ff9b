/**
 * Promotions and the shopping cart: which running promotions apply to a cart or an order, and
 * what they save. Rule of the shop: at most one store-wide 满减 applies; category offers stack with it.
 */
import { and, asc, eq, gt, lte } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import * as t from "../db/schema.js";

export type PromotionRow = typeof t.promotions.$inferSelect;

export interface PricedLine {
  productId: string;
  name: string;
  category: string;
  unitPriceFen: number;
  quantity: number;
}

export interface PromotionOutcome {
  promotion: PromotionRow;
  /** What the qualifying lines cost. */
  qualifyingFen: number;
  savingFen: number;
  /** For a 满减 not reached yet: how much more to spend; 0 when it applies. */
  shortByFen: number;
  /** The customer's VIP level is too low for it. */
  vipTooLow: boolean;
}

export interface PromotionPlan {
  outcomes: PromotionOutcome[];
  /** The promotions that apply together, by the shop's stacking rule. */
  best: PromotionOutcome[];
  totalFen: number;
  savingFen: number;
}

export async function activePromotions(ctx: ServiceContext, now: Date): Promise<PromotionRow[]> {
  return ctx.db
    .select()
    .from(t.promotions)
    .where(and(lte(t.promotions.startsAt, now), gt(t.promotions.endsAt, now)))
    .orderBy(asc(t.promotions.id));
}

/** The customer's cart, priced at today's prices. */
export async function cartLines(ctx: ServiceContext, customerId: string): Promise<PricedLine[]> {
  const rows = await ctx.db
    .select({
      productId: t.products.id,
      name: t.products.name,
      category: t.products.category,
      unitPriceFen: t.products.priceFen,
      quantity: t.cartItems.quantity,
    })
    .from(t.cartItems)
    .innerJoin(t.productVariants, eq(t.productVariants.sku, t.cartItems.sku))
    .innerJoin(t.products, eq(t.products.id, t.productVariants.productId))
    .where(eq(t.cartItems.customerId, customerId))
    .orderBy(asc(t.cartItems.addedAt));
  return rows;
}

/** An order's lines with their product categories, at the prices paid. */
export async function orderLines(ctx: ServiceContext, orderId: string): Promise<PricedLine[]> {
  return ctx.db
    .select({
      productId: t.orderItems.productId,
      name: t.orderItems.name,
      category: t.products.category,
      unitPriceFen: t.orderItems.unitPriceFen,
      quantity: t.orderItems.quantity,
    })
    .from(t.orderItems)
    .innerJoin(t.products, eq(t.products.id, t.orderItems.productId))
    .where(eq(t.orderItems.orderId, orderId))
    .orderBy(asc(t.orderItems.id));
}

/** Pure: what each promotion does for these lines, and the best combination. */
export function planPromotions(lines: PricedLine[], promotions: PromotionRow[], vipLevel: number): PromotionPlan {
  const totalFen = lines.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
  const outcomes: PromotionOutcome[] = [];
  for (const promotion of promotions) {
    const qualifying = lines.filter((l) => !promotion.category || l.category === promotion.category);
    if (qualifying.length === 0) continue;
    const qualifyingFen = qualifying.reduce((s, l) => s + l.unitPriceFen * l.quantity, 0);
    const vipTooLow = vipLevel < promotion.minVipLevel;
    let savingFen = 0;
    let shortByFen = 0;
    if (promotion.kind === "threshold") {
      shortByFen = Math.max(0, promotion.minSpendFen - qualifyingFen);
      if (shortByFen === 0) savingFen = promotion.discountFen;
    } else {
      savingFen = Math.round((qualifyingFen * promotion.percentOff) / 100);
    }
    if (vipTooLow) savingFen = 0;
    outcomes.push({ promotion, qualifyingFen, savingFen, shortByFen, vipTooLow });
  }
  const applicable = outcomes.filter((o) => o.savingFen > 0);
  const storeWide = applicable.filter((o) => !o.promotion.category).sort((a, b) => b.savingFen - a.savingFen)[0];
  const best = [...(storeWide ? [storeWide] : []), ...applicable.filter((o) => o.promotion.category)];
  return { outcomes, best, totalFen, savingFen: best.reduce((s, o) => s + o.savingFen, 0) };
}
