import { count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import * as t from "../../src/db/schema.js";
import { buildDemoShop } from "../../src/shop/demo/generate.js";
import { isShopEmpty, seedDemoShop } from "../../src/shop/demo/seed.js";
import { testDrivers } from "../helpers/db.js";

describe("demo shop generator", () => {
  const rows = buildDemoShop();

  it("is deterministic: the same seed gives identical data", () => {
    expect(JSON.stringify(buildDemoShop())).toBe(JSON.stringify(rows));
  });

  it("differs for another seed", () => {
    expect(JSON.stringify(buildDemoShop(7))).not.toBe(JSON.stringify(rows));
  });

  it("has at least 40 products across every category, with the AF-333 air fryer", () => {
    expect(rows.products.length).toBeGreaterThanOrEqual(40);
    const categories = new Set(rows.products.map((p) => p.category));
    for (const c of ["small_appliance", "phone", "clothing", "shoes", "fresh", "cosmetics"]) expect(categories).toContain(c);
    expect(rows.products.find((p) => p.modelCodes.includes("AF-333"))?.name).toContain("空气炸锅");
  });

  it("gives clothing and shoes a size chart that covers their variant sizes", () => {
    for (const p of rows.products.filter((p) => p.category === "clothing" || p.category === "shoes")) {
      expect(p.sizeChart?.length, p.id).toBeGreaterThan(0);
      const chartSizes = new Set(p.sizeChart!.map((r) => r.size));
      for (const v of rows.variants.filter((v) => v.productId === p.id)) expect(chartSizes.has(v.size!), `${p.id} ${v.size}`).toBe(true);
    }
  });

  it("gives every product the names shoppers use for it", () => {
    for (const p of rows.products) expect(p.aliases.length, p.id).toBeGreaterThan(0);
  });

  it("has unique model codes and SKUs", () => {
    const codes = rows.products.flatMap((p) => p.modelCodes.map((c) => c.toUpperCase()));
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(rows.variants.map((v) => v.sku)).size).toBe(rows.variants.length);
  });

  it("has at least 5 customers including a VIP, and 80+ orders covering every status", () => {
    expect(rows.customers.length).toBeGreaterThanOrEqual(5);
    expect(rows.customers.some((c) => c.vipLevel > 0)).toBe(true);
    expect(rows.orders.length).toBeGreaterThanOrEqual(80);
    expect(new Set(rows.orders.map((o) => o.status))).toEqual(new Set(t.ORDER_STATUSES));
  });

  it("keeps orders consistent with their status", () => {
    for (const o of rows.orders) {
      const shipments = rows.shipments.filter((s) => s.orderId === o.id);
      const refunds = rows.refunds.filter((r) => r.orderId === o.id);
      const items = rows.orderItems.filter((i) => i.orderId === o.id);
      expect(items.length, o.id).toBeGreaterThan(0);
      expect(o.itemsFen).toBe(items.reduce((s, i) => s + i.quantity * i.unitPriceFen, 0));
      expect(o.totalFen).toBe(o.itemsFen + o.shippingFen - o.discountFen);
      expect(o.id).toMatch(/^\d{16}$/);
      if (o.status === "unpaid") expect(o.paidAt).toBeNull();
      if (o.status === "paid") expect(shipments).toHaveLength(0);
      if (o.status === "shipped") {
        expect(shipments).toHaveLength(1);
        expect(shipments[0]!.deliveredAt).toBeNull();
      }
      if (o.status === "delivered") expect(shipments[0]?.status).toBe("delivered");
      if (["return_requested", "refunding", "refunded"].includes(o.status)) expect(refunds).toHaveLength(1);
      else expect(refunds).toHaveLength(0);
    }
  });

  it("gives every shipment a time-ordered tracking trail", () => {
    for (const s of rows.shipments) {
      const events = rows.shipmentEvents.filter((e) => e.shipmentId === s.id);
      expect(events.length, s.trackingNumber).toBeGreaterThanOrEqual(2);
      const times = events.map((e) => e.at.getTime());
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      if (s.status === "delivered") expect(events.at(-1)!.description).toContain("签收");
    }
  });

  it("has a customer with exactly one open order, for context filling", () => {
    const open = rows.orders.filter((o) => o.customerId === "c-1007" && ["unpaid", "paid", "shipped"].includes(o.status));
    expect(open).toHaveLength(1);
  });
});

describe.each(testDrivers)("seeding $name", (driver) => {
  let database: Database;
  const expected = buildDemoShop();
  beforeAll(async () => {
    database = await driver.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("loads every row of the demo shop into an empty database", async () => {
    expect(await isShopEmpty(database.db)).toBe(true);
    const counts = await seedDemoShop(database.db);
    expect(counts.orders).toBe(expected.orders.length);
    const [orders] = await database.db.select({ n: count() }).from(t.orders);
    const [events] = await database.db.select({ n: count() }).from(t.shipmentEvents);
    const [refunds] = await database.db.select({ n: count() }).from(t.refunds);
    const [variants] = await database.db.select({ n: count() }).from(t.productVariants);
    expect(orders?.n).toBe(expected.orders.length);
    expect(events?.n).toBe(expected.shipmentEvents.length);
    expect(refunds?.n).toBe(expected.refunds.length);
    expect(variants?.n).toBe(expected.variants.length);
    expect(await isShopEmpty(database.db)).toBe(false);
  });

  it("stores the same data the generator built (jsonb and timestamps round-trip)", async () => {
    const first = expected.orders[0]!;
    const [row] = await database.db.select().from(t.orders).where(eq(t.orders.id, first.id));
    expect(row?.address).toEqual(first.address);
    expect(row?.createdAt.getTime()).toBe(first.createdAt.getTime());
    const [af] = await database.db.select().from(t.products).where(eq(t.products.id, "p-af333"));
    expect(af?.modelCodes).toEqual(["AF-333"]);
    const withChart = await database.db.select().from(t.products).where(isNotNull(t.products.sizeChart));
    expect(withChart.length).toBe(expected.products.filter((p) => p.sizeChart).length);
  });

  it("refuses to seed over existing shop data without reset", async () => {
    await expect(seedDemoShop(database.db)).rejects.toThrow(/--reset/);
  });

  it("replaces everything with reset, and new serial ids do not collide", async () => {
    await database.db.insert(t.conversations).values({ id: "conv-before-reset", channel: "web" });
    await seedDemoShop(database.db, { reset: true });
    const [conversations] = await database.db.select({ n: count() }).from(t.conversations);
    expect(conversations?.n).toBe(0);
    const [orders] = await database.db.select({ n: count() }).from(t.orders);
    expect(orders?.n).toBe(expected.orders.length);
    const [inserted] = await database.db
      .insert(t.shipmentEvents)
      .values({ shipmentId: 1, at: new Date(), location: "测试", description: "新事件" })
      .returning({ id: t.shipmentEvents.id });
    expect(inserted!.id).toBe(expected.shipmentEvents.length + 1);
  });
});
