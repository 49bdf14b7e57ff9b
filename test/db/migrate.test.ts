import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "../../src/db/client.js";
import { testDrivers } from "../helpers/db.js";

const EXPECTED_TABLES = [
  "conversations",
  "customers",
  "messages",
  "order_items",
  "orders",
  "product_variants",
  "products",
  "refunds",
  "shipment_events",
  "shipments",
];

describe.each(testDrivers)("migrations on $name", (driver) => {
  let database: Database;
  beforeAll(async () => {
    database = await driver.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("creates every table in the connection's schema", async () => {
    const rows = await queryRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
    );
    const names = rows.map((r) => r.table_name);
    for (const table of EXPECTED_TABLES) expect(names).toContain(table);
  });

  it("is idempotent: migrating again changes nothing and does not fail", async () => {
    await database.migrate();
    const tableCount = sql`select count(*)::int as n from information_schema.tables where table_schema = current_schema()`;
    const [before] = await queryRows<{ n: number }>(database.db, tableCount);
    await database.migrate();
    const [after] = await queryRows<{ n: number }>(database.db, tableCount);
    expect(before!.n).toBeGreaterThanOrEqual(10);
    expect(after!.n).toBe(before!.n);
  });

  it("enforces one message per sequence number in a conversation", async () => {
    await database.db.execute(sql`insert into conversations (id, channel) values ('conv-uniq', 'web')`);
    await database.db.execute(sql`insert into messages (conversation_id, seq, role, body) values ('conv-uniq', 1, 'user', '{"text":"你好"}')`);
    await expect(
      database.db.execute(sql`insert into messages (conversation_id, seq, role, body) values ('conv-uniq', 1, 'user', '{"text":"again"}')`),
    ).rejects.toThrow();
  });
});
