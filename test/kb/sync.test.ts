/**
 * Two services over one PostgreSQL: a knowledge edit made through one is answered by the other within
 * a moment (the edit is announced with NOTIFY and the other reloads). Runs when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../src/db/client.js";
import type { RoutingCore } from "../../src/routing/index.js";
import type { LanguageServices } from "../../src/services.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { adminHeaders, buildTestApp, buildTestLanguage, buildTestRouting } from "../helpers/app.js";
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";
import { json, say, startConversation } from "../helpers/routing.js";

describe.skipIf(!TEST_DATABASE_URL)("knowledge edits across processes on PostgreSQL", () => {
  const schema = uniqueSchema();
  const sides: { database: Database; language: LanguageServices; core: RoutingCore; app: Awaited<ReturnType<typeof buildTestApp>> }[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const database = await openDatabase({ kind: "postgres", url: TEST_DATABASE_URL!, schema, poolMax: 4 });
      await database.migrate();
      if (i === 0) await seedDemoShop(database.db);
      const language = await buildTestLanguage(database);
      const core = await buildTestRouting(database, {}, undefined, language.knowledge);
      sides.push({ database, language, core, app: await buildTestApp(database, language, undefined, core) });
    }
  });
  afterAll(async () => {
    for (const s of sides) {
      await s.core.close();
      s.language.close();
      await s.database.close();
    }
    await dropSchema(TEST_DATABASE_URL!, schema);
  });

  it("answers on the second service what was added on the first", async () => {
    const [a, b] = sides as [(typeof sides)[number], (typeof sides)[number]];
    const question = "店里的吉祥物是什么";
    const before = await say(b.app, await startConversation(b.app), question);
    expect(JSON.stringify(before.replies)).not.toContain("小满熊");
    const created = await a.app.request(
      "/v1/admin/kb/entries",
      json("POST", { id: "shop-mascot", question, similar: ["小满优选的吉祥物叫啥", "你们吉祥物叫啥"], answer: "我们的吉祥物叫小满熊，是一只爱吃水果的小熊。", category: "service" }, adminHeaders),
    );
    expect(created.status).toBe(201);
    let after = "";
    for (let i = 0; i < 40 && !after.includes("小满熊"); i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = JSON.stringify((await say(b.app, await startConversation(b.app), question)).replies);
    }
    expect(after).toContain("小满熊");
  });
});
