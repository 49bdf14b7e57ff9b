/** Rate limits: 429 with Retry-After per client address and per conversation, refilled over time. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppDeps } from "../../src/http/app.js";
import { TokenBuckets } from "../../src/http/rate-limit.js";
import type { Database } from "../../src/db/client.js";
import type { LanguageServices } from "../../src/services.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { buildTestApp, buildTestLanguage } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

describe("token buckets", () => {
  it("allows the limit at once, then one more each 1/limit of the window", () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 60_000, () => now);
    expect([buckets.take("a"), buckets.take("a"), buckets.take("a")]).toEqual([0, 0, 0]);
    expect(buckets.take("a")).toBe(20);
    expect(buckets.take("b")).toBe(0);
    now += 19_000;
    expect(buckets.take("a")).toBeGreaterThan(0);
    now += 1_000;
    expect(buckets.take("a")).toBe(0);
  });
});

describe.each(testDrivers.slice(0, 1))("limits through the app on $name", (driver) => {
  let database: Database;
  let language: LanguageServices;
  beforeAll(async () => {
    database = await driver.open();
    await seedDemoShop(database.db);
    language = await buildTestLanguage(database);
  });
  afterAll(async () => {
    language?.close();
    await database?.close();
  });
  const createAppWithLimits = (limits: NonNullable<AppDeps["limits"]>) => buildTestApp(database, language, undefined, undefined, undefined, { limits });
  const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("answers 429 with Retry-After once a conversation sends too many messages, and keeps the others going", async () => {
    const app = await createAppWithLimits({ perClientPerMinute: 0, perConversationPerMinute: 3, trustProxy: false });
    const id = ((await (await app.request("/v1/conversations", post({}))).json()) as { id: string }).id;
    for (let i = 0; i < 3; i++) expect((await app.request(`/v1/conversations/${id}/messages`, post({ text: "你好" }))).status).toBe(200);
    const limited = await app.request(`/v1/conversations/${id}/messages`, post({ text: "你好" }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const other = ((await (await app.request("/v1/conversations", post({}))).json()) as { id: string }).id;
    expect((await app.request(`/v1/conversations/${other}/messages`, post({ text: "你好" }))).status).toBe(200);
  });

  it("limits one client address across routes, trusting X-Forwarded-For only when told", async () => {
    const trusting = await createAppWithLimits({ perClientPerMinute: 2, perConversationPerMinute: 0, trustProxy: true });
    const from = (ip: string) => ({ headers: { "x-forwarded-for": `${ip}, 10.0.0.1` } });
    expect((await trusting.request("/v1/kb/suggest?q=退货", from("1.1.1.1"))).status).toBe(200);
    expect((await trusting.request("/v1/kb/suggest?q=退货", from("1.1.1.1"))).status).toBe(200);
    expect((await trusting.request("/v1/kb/suggest?q=退货", from("1.1.1.1"))).status).toBe(429);
    expect((await trusting.request("/v1/kb/suggest?q=退货", from("2.2.2.2"))).status).toBe(200);
    // Health checks are not limited.
    for (let i = 0; i < 3; i++) expect((await trusting.request("/healthz")).status).toBe(200);
    const plain = await createAppWithLimits({ perClientPerMinute: 2, perConversationPerMinute: 0, trustProxy: false });
    for (const ip of ["3.3.3.3", "4.4.4.4"]) expect((await plain.request("/v1/kb/suggest?q=退货", from(ip))).status).toBe(200);
    expect((await plain.request("/v1/kb/suggest?q=退货", from("5.5.5.5"))).status).toBe(429);
  });
});

describe.each(testDrivers.slice(0, 1))("CORS for the widget on the shop's pages on $name", (driver) => {
  let database: Database;
  let language: LanguageServices;
  beforeAll(async () => {
    database = await driver.open();
    await seedDemoShop(database.db);
    language = await buildTestLanguage(database);
  });
  afterAll(async () => {
    language?.close();
    await database?.close();
  });

  it("answers the configured shop origin on the shopper's routes, and nobody else's on the admin routes", async () => {
    const app = await buildTestApp(database, language, undefined, undefined, undefined, { corsOrigins: ["https://shop.example.com"] });
    const pre = await app.request("/v1/conversations", { method: "OPTIONS", headers: { origin: "https://shop.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    const started = await app.request("/v1/conversations", { method: "POST", headers: { origin: "https://shop.example.com", "content-type": "application/json" }, body: "{}" });
    expect(started.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    const other = await app.request("/v1/kb/suggest?q=退货", { headers: { origin: "https://evil.example.com" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const admin = await app.request("/v1/admin/customers", { headers: { origin: "https://shop.example.com" } });
    expect(admin.headers.get("access-control-allow-origin")).toBeNull();
  });
});
