/** Writes the demo shop into the database in one transaction. */
import { count, sql } from "drizzle-orm";
import type { Db, Tx } from "../../db/client.js";
import * as t from "../../db/schema.js";
import { buildDemoShop } from "./generate.js";

export interface SeedCounts {
  customers: number;
  products: number;
  variants: number;
  orders: number;
  orderItems: number;
  shipments: number;
  shipmentEvents: number;
  refunds: number;
  promotions: number;
  cartItems: number;
}

/** True when the database holds no customers and no products. */
export async function isShopEmpty(db: Db): Promise<boolean> {
  const [c] = await db.select({ n: count() }).from(t.customers);
  const [p] = await db.select({ n: count() }).from(t.products);
  return (c?.n ?? 0) === 0 && (p?.n ?? 0) === 0;
}

/**
 * Loads the demo shop. Refuses to touch a database that already has shop data unless
 * `reset` is set, in which case shop data AND conversations are wiped first.
 */
export async function seedDemoShop(db: Db, options: { reset?: boolean } = {}): Promise<SeedCounts> {
  const rows = buildDemoShop();
  if (!options.reset && !(await isShopEmpty(db))) {
    throw new Error("the database already holds shop data; run the seed with --reset to replace it (this also deletes conversations)");
  }
  await db.transaction(async (tx) => {
    if (options.reset) {
      await tx.execute(
        sql`truncate table conversation_events, messages, conversations, service_cases, invoices, cart_items, promotions, refunds, shipment_events, shipments, order_items, orders, product_variants, products, customers restart identity cascade`,
      );
    }
    await insertChunked(tx, t.customers, rows.customers);
    await insertChunked(tx, t.products, rows.products);
    await insertChunked(tx, t.productVariants, rows.variants);
    await insertChunked(tx, t.orders, rows.orders);
    await insertChunked(tx, t.orderItems, rows.orderItems);
    await insertChunked(tx, t.shipments, rows.shipments);
    await insertChunked(tx, t.shipmentEvents, rows.shipmentEvents);
    await insertChunked(tx, t.refunds, rows.refunds);
    await insertChunked(tx, t.promotions, rows.promotions);
    await insertChunked(tx, t.cartItems, rows.cartItems);
    // Explicit ids were inserted into serial columns: move their sequences past them.
    for (const table of ["order_items", "shipments", "shipment_events"]) {
      await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`));
    }
  });
  return {
    customers: rows.customers.length,
    products: rows.products.length,
    variants: rows.variants.length,
    orders: rows.orders.length,
    orderItems: rows.orderItems.length,
    shipments: rows.shipments.length,
    shipmentEvents: rows.shipmentEvents.length,
    refunds: rows.refunds.length,
    promotions: rows.promotions.length,
    cartItems: rows.cartItems.length,
  };
}

async function insertChunked<T extends Parameters<Tx["insert"]>[0]>(tx: Tx, table: T, values: T["$inferInsert"][], size = 200) {
  for (let i = 0; i < values.length; i += size) {
    await tx.insert(table).values(values.slice(i, i + size));
  }
}
