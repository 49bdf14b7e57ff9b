/** A restart loses nothing: rows written before a stop are there after it, on both drivers. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/env.js";
import { openDatabase } from "../../src/db/client.js";
import * as t from "../../src/db/schema.js";
import { startServer } from "../../src/server.js";
import { createLogger } from "../../src/shared/logger.js";
import { buildDemoShop } from "../../src/shop/demo/generate.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";
import { spawnServer } from "../helpers/server.js";

const demo = buildDemoShop();
const silent = createLogger("silent");
const tempDirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), "kefu-test-"));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function writeConversation(db: Awaited<ReturnType<typeof openDatabase>>["db"], id: string) {
  await db.insert(t.conversations).values({ id, channel: "web", customerId: "c-1001" });
  await db.insert(t.messages).values([
    { conversationId: id, seq: 1, role: "user", body: { text: "我的快递到哪了" } },
    { conversationId: id, seq: 2, role: "bot", body: { replies: [{ type: "text", text: "您好，我来帮您查询。" }] } },
  ]);
}

describe("embedded database across restarts", () => {
  it("seeds an empty data directory once, and keeps every row after a restart", async () => {
    const dataDir = await tempDir();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" });

    const first = await startServer(config, silent);
    const [orders] = await first.database.db.select({ n: count() }).from(t.orders);
    expect(orders?.n).toBe(demo.orders.length);
    await writeConversation(first.database.db, "conv-restart");
    const health = await fetch(`${first.url}/healthz`);
    expect(((await health.json()) as { db: string }).db).toBe("pglite");
    await first.close();

    const second = await startServer(config, silent);
    try {
      const [again] = await second.database.db.select({ n: count() }).from(t.orders);
      expect(again?.n).toBe(demo.orders.length); // not seeded twice
      const messages = await second.database.db.select().from(t.messages).where(eq(t.messages.conversationId, "conv-restart"));
      expect(messages.map((m) => m.body)).toEqual([
        { text: "我的快递到哪了" },
        { replies: [{ type: "text", text: "您好，我来帮您查询。" }] },
      ]);
    } finally {
      await second.close();
    }
  });

  it("stops on SIGTERM with exit code 0 and leaves a data directory that reopens with its rows", async () => {
    const dataDir = await tempDir();
    const server = await spawnServer({ DATA_DIR: dataDir });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain("kefu stopped");

    const reopened = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "pglite") });
    try {
      const [orders] = await reopened.db.select({ n: count() }).from(t.orders);
      expect(orders?.n).toBe(demo.orders.length);
    } finally {
      await reopened.close();
    }
  });
});

describe.runIf(TEST_DATABASE_URL)("PostgreSQL across restarts", () => {
  it("migrates on start, never seeds a server database by itself, and keeps rows after a restart", async () => {
    const schema = uniqueSchema();
    const config = loadConfig({ DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, PORT: "0", LOG_LEVEL: "silent" });
    try {
      const first = await startServer(config, silent);
      const [customers] = await first.database.db.select({ n: count() }).from(t.customers);
      expect(customers?.n).toBe(0);
      await seedDemoShop(first.database.db);
      await writeConversation(first.database.db, "conv-pg-restart");
      expect(((await (await fetch(`${first.url}/healthz`)).json()) as { db: string }).db).toBe("postgres");
      await first.close();

      const second = await startServer(config, silent);
      try {
        const [messages] = await second.database.db
          .select({ n: count() })
          .from(t.messages)
          .where(eq(t.messages.conversationId, "conv-pg-restart"));
        expect(messages?.n).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      await dropSchema(TEST_DATABASE_URL!, schema);
    }
  });
});
