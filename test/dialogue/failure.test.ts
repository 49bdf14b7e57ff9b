/** A turn whose handling throws is rolled back and answered with an apology; nothing is lost. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { DialogueEngine } from "../../src/dialogue/engine.js";
import { defineForm } from "../../src/dialogue/forms.js";
import { scenarios } from "../../src/dialogue/scenarios/index.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { buildTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const broken = defineForm({
  name: "greeting",
  intent: "greeting",
  title: "打招呼",
  slots: [],
  async action() {
    throw new Error("the greeting service is down");
  },
});

describe.each(testDrivers)("a failing turn on $name", (driver) => {
  let database: Database;
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  beforeAll(async () => {
    database = await driver.open();
    await seedDemoShop(database.db);
    app = await buildTestApp(database, undefined, new DialogueEngine([broken, ...scenarios.filter((s) => s.name !== "greeting")]));
  });
  afterAll(async () => {
    await database?.close();
  });

  it("apologises, keeps the message, and answers the next one normally", async () => {
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const { id } = (await (await post("/v1/conversations", {})).json()) as { id: string };
    const failed = await post(`/v1/conversations/${id}/messages`, { text: "你好呀" });
    expect(failed.status).toBe(200);
    expect(JSON.stringify(await failed.json())).toContain("开了个小差");
    const next = await post(`/v1/conversations/${id}/messages`, { text: "有什么优惠活动吗" });
    expect(((await next.json()) as { replies: { type: string }[] }).replies.length).toBeGreaterThan(0);
    const transcript = (await (await app.request(`/v1/conversations/${id}`)).json()) as { messages: { role: string; text?: string; replyTo?: number }[] };
    expect(transcript.messages.filter((m) => m.role === "user").map((m) => m.text)).toEqual(["你好呀", "有什么优惠活动吗"]);
    expect(transcript.messages.filter((m) => m.replyTo !== undefined).map((m) => m.replyTo)).toEqual([2, 4]);
  });
});
