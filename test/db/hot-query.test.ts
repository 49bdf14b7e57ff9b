import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { hotQuery, placeholder } from "../../src/db/hot-query.js";
import { decodeRow, rawQuery, readOnly, WriteRefused } from "../../src/db/raw-query.js";
import * as t from "../../src/db/schema.js";
import { lockConversation } from "../../src/dialogue/store.js";
import { findOrderBrief, listCustomerOrderBriefs } from "../../src/shop/orders.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { testDrivers } from "../helpers/db.js";

const messagesOf = hotQuery("test_hot_messages_of", (db) =>
  db.select().from(t.messages).where(eq(t.messages.conversationId, placeholder<string>("id"))).orderBy(asc(t.messages.seq)),
);

const rawMessagesOf = rawQuery<Record<string, unknown> & { json: Record<string, unknown> }>(
  "test_raw_messages_of",
  "select m.*, row_to_json(m) as json from messages m where conversation_id = $1 order by seq",
);

describe.each(testDrivers)("hot queries on $name", (driver) => {
  // Two databases on one driver: a statement built once must still read each one's own rows.
  let shop: Database;
  let other: Database;
  beforeAll(async () => {
    shop = await driver.open();
    other = await driver.open();
    await seedDemoShop(shop.db);
    for (const [database, text] of [
      [shop, "在吗"],
      [other, "你好"],
    ] as const) {
      await database.db.insert(t.conversations).values({ id: "cv_hot", channel: "web" });
      await database.db.insert(t.messages).values({ conversationId: "cv_hot", seq: 1, role: "user", body: { text } });
    }
  });
  afterAll(async () => {
    await shop?.close();
    await other?.close();
  });

  it("reads each database's own rows, with drizzle's row mapping", async () => {
    const [mine] = await messagesOf(shop.db, { id: "cv_hot" });
    const [theirs] = await messagesOf(other.db, { id: "cv_hot" });
    expect(mine!.body).toEqual({ text: "在吗" });
    expect(theirs!.body).toEqual({ text: "你好" });
    expect(mine!.conversationId).toBe("cv_hot");
    expect(mine!.createdAt).toBeInstanceOf(Date);
    expect(await messagesOf(shop.db, { id: "cv_none" })).toEqual([]);
  });

  it("runs inside a transaction on that transaction's connection", async () => {
    await shop.db
      .transaction(async (tx) => {
        const locked = await lockConversation(tx, "cv_hot");
        expect(locked!.id).toBe("cv_hot");
        await tx.insert(t.messages).values({ conversationId: "cv_hot", seq: 2, role: "bot", body: { replies: [] } });
        // Its own uncommitted row is visible to it...
        expect((await messagesOf(tx, { id: "cv_hot" })).map((m) => m.seq)).toEqual([1, 2]);
        // ...and, on PostgreSQL, not to the pool's other connections.
        if (driver.name === "postgres") expect((await messagesOf(shop.db, { id: "cv_hot" })).map((m) => m.seq)).toEqual([1]);
        throw new Error("roll back");
      })
      .catch((err: Error) => expect(err.message).toBe("roll back"));
    expect((await messagesOf(shop.db, { id: "cv_hot" })).map((m) => m.seq)).toEqual([1]);
    await expect(shop.db.transaction((tx) => lockConversation(tx, "cv_none"))).rejects.toThrow(/does not exist/);
  });

  it("runs raw statements on each database and transaction, decoded as drizzle selects", async () => {
    const built = await shop.db.select().from(t.messages).where(eq(t.messages.conversationId, "cv_hot"));
    const raw = await rawMessagesOf(shop.db, ["cv_hot"]);
    // Straight from the driver and through JSON (timestamps as text), the same row as drizzle's.
    expect(raw.map((r) => decodeRow(t.messages, r))).toEqual(built);
    expect(raw.map((r) => decodeRow(t.messages, r.json))).toEqual(built);
    expect(decodeRow(t.messages, raw[0]!.json).createdAt).toBeInstanceOf(Date);
    expect((await rawMessagesOf(other.db, ["cv_hot"])).map((r) => (r.body as { text: string }).text)).toEqual(["你好"]);
    await shop.db
      .transaction(async (tx) => {
        await tx.insert(t.messages).values({ conversationId: "cv_hot", seq: 2, role: "bot", body: { replies: [] } });
        expect((await rawMessagesOf(tx, ["cv_hot"])).map((r) => r.seq)).toEqual([1, 2]);
        if (driver.name === "postgres") expect((await rawMessagesOf(shop.db, ["cv_hot"])).map((r) => r.seq)).toEqual([1]);
        throw new Error("roll back");
      })
      .catch((err: Error) => expect(err.message).toBe("roll back"));
    expect((await rawMessagesOf(shop.db, ["cv_hot"])).map((r) => r.seq)).toEqual([1]);
  });

  it("reads through a read-only handle and refuses anything that may write, before sending it", async () => {
    const db = readOnly(shop.db);
    expect((await db.select().from(t.messages).where(eq(t.messages.conversationId, "cv_hot"))).map((m) => m.seq)).toEqual([1]);
    expect((await messagesOf(db, { id: "cv_hot" })).map((m) => m.seq)).toEqual([1]);
    expect(await listCustomerOrderBriefs({ db } as Parameters<typeof listCustomerOrderBriefs>[0], "c-1001")).not.toEqual([]);
    expect(() => db.insert(t.messages)).toThrow(WriteRefused);
    expect(() => db.update(t.messages)).toThrow(WriteRefused);
    expect(() => db.delete(t.messages)).toThrow(WriteRefused);
    expect(() => db.execute(sql`select 1`)).toThrow(WriteRefused);
    expect(() => db.transaction(async () => {})).toThrow(WriteRefused);
    await expect(rawMessagesOf(db, ["cv_hot"])).rejects.toThrow(WriteRefused);
    expect(await rawMessagesOf(shop.db, ["cv_hot"])).toHaveLength(1);
  });

  it("lists a customer's orders, and reads one, exactly as the query builder does", async () => {
    const customerId = "c-1001";
    const orders = await shop.db.select().from(t.orders).where(eq(t.orders.customerId, customerId)).orderBy(desc(t.orders.createdAt));
    const ids = orders.map((o) => o.id);
    const items = await shop.db.select().from(t.orderItems).where(inArray(t.orderItems.orderId, ids)).orderBy(asc(t.orderItems.id));
    const refunds = await shop.db.select().from(t.refunds).where(inArray(t.refunds.orderId, ids)).orderBy(asc(t.refunds.createdAt));
    expect(orders.length).toBeGreaterThan(1);
    expect(items.length).toBeGreaterThanOrEqual(orders.length);
    expect(refunds.length).toBeGreaterThan(0);
    const expected = orders.map((o) => ({ ...o, items: items.filter((i) => i.orderId === o.id), refunds: refunds.filter((r) => r.orderId === o.id) }));
    const ctx = { db: shop.db } as Parameters<typeof listCustomerOrderBriefs>[0];
    expect(await listCustomerOrderBriefs(ctx, customerId)).toEqual(expected);
    expect(await shop.db.transaction((tx) => listCustomerOrderBriefs({ ...ctx, db: tx }, customerId))).toEqual(expected);
    expect(await listCustomerOrderBriefs(ctx, "c-none")).toEqual([]);
    for (const order of expected) expect(await findOrderBrief(ctx, order.id)).toEqual(order);
    expect(await findOrderBrief(ctx, "0000000000000000")).toBeNull();
  });
});
