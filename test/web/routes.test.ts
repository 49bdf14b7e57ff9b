/** The web routes without a browser: the widget script, its size, the demo pages and their escaping. */
import { gunzipSync, gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { steppingClock } from "../../src/context.js";
import type { Database } from "../../src/db/client.js";
import * as t from "../../src/db/schema.js";
import type { AppEnv } from "../../src/http/env.js";
import { handleError } from "../../src/http/errors.js";
import { requestContext } from "../../src/http/middleware.js";
import { webRoutes } from "../../src/http/routes/web.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { createLogger } from "../../src/shared/logger.js";
import { DEMO_NOW } from "../../src/shop/demo/generate.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { buildWebAssets, type WebAssets } from "../../src/web/build.js";
import { TEST_IDENTITY_SECRET } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const WIDGET_BUDGET_GZIP = 50 * 1024;

/** Only what the web routes need: the request context (database, clock) and the error handler. */
function webApp(database: Database, assets: WebAssets, demo: boolean) {
  const app = new Hono<AppEnv>();
  app.use("*", requestContext({ db: database.db, log: createLogger("silent"), clock: steppingClock(DEMO_NOW, 1000) }));
  app.route("/", webRoutes({ assets, demo: { enabled: demo, identitySecret: TEST_IDENTITY_SECRET } }));
  app.onError(handleError);
  return app;
}

let assets: WebAssets;
beforeAll(async () => {
  assets = await buildWebAssets();
});

describe("the widget bundle", () => {
  it(`stays under ${WIDGET_BUDGET_GZIP / 1024} KB gzipped`, () => {
    const gzipped = gzipSync(assets["/widget.js"].body, { level: 9 }).length;
    expect(gzipped).toBeLessThan(WIDGET_BUDGET_GZIP);
    expect(assets["/widget.js"].gzip.length).toBeLessThan(WIDGET_BUDGET_GZIP);
  });

  it("never builds DOM from HTML strings", () => {
    for (const path of ["/widget.js", "/agent.js"] as const) {
      expect(assets[path].body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });

  it("is one IIFE for ES2020 browsers, with no server code in it", () => {
    const js = assets["/widget.js"].body;
    expect(js.startsWith("(()=>{") || js.startsWith('"use strict";(()=>{')).toBe(true);
    expect(js).not.toMatch(/drizzle|node:|require\(/);
  });
});

describe.each(testDrivers)("web routes on $name", (driver) => {
  let database: Database;
  let app: ReturnType<typeof webApp>;
  let off: ReturnType<typeof webApp>;

  beforeAll(async () => {
    database = await driver.open();
    await seedDemoShop(database.db);
    app = webApp(database, assets, true);
    off = webApp(database, assets, false);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("serves /widget.js as JavaScript with an ETag, gzipped when asked, 304 when unchanged", async () => {
    const res = await app.request("/widget.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    expect(await res.text()).toBe(assets["/widget.js"].body);

    const gz = await app.request("/widget.js", { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("vary")).toBe("accept-encoding");
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8")).toBe(assets["/widget.js"].body);

    const again = await app.request("/widget.js", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("serves the workbench page, its script and styles", async () => {
    const page = await app.request("/agent");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/agent.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/agent.css">');
    expect((await app.request("/agent.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await app.request("/agent.css")).headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("embeds the widget on the demo shop with the chosen customer's signed token", async () => {
    const res = await app.request("/?customer=c-1002");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain(`data-customer-id="c-1002" data-customer-token="${signCustomerId(TEST_IDENTITY_SECRET, "c-1002")}"`);
    expect(html).toContain('<option value="c-1002" selected>');
    expect(html).toMatch(/href="\/products\/[a-z0-9-]+\?customer=c-1002"/);
    // Someone not in the shop is an anonymous visitor.
    const stranger = await (await app.request("/?customer=c-9999")).text();
    expect(stranger).not.toContain("data-customer-token");
  });

  it("gives the widget the product on a product page, and answers an unknown product with 404", async () => {
    const html = await (await app.request("/products/p-af333")).text();
    expect(html).toContain('data-product-id="p-af333"');
    expect(html).toContain('data-page="/products/p-af333"');
    expect((await app.request("/products/p-nothing")).status).toBe(404);
    expect((await app.request("/products/..%2Fadmin")).status).toBe(404);
  });

  it("escapes product names on the demo pages", async () => {
    const evil = `<img src=x onerror="alert('x')">&`;
    const [before] = await database.db.select({ name: t.products.name }).from(t.products).where(eq(t.products.id, "p-af333"));
    await database.db.update(t.products).set({ name: evil }).where(eq(t.products.id, "p-af333"));
    try {
      for (const path of ["/", "/products/p-af333"]) {
        const html = await (await app.request(path)).text();
        expect(html).not.toContain("<img src=x");
        expect(html).toContain("&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;");
      }
    } finally {
      await database.db.update(t.products).set({ name: before!.name }).where(eq(t.products.id, "p-af333"));
    }
  });

  it("signs nothing when the demo is off: / tells how to embed the widget", async () => {
    const res = await off.request("/?customer=c-1002");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("/widget.js");
    expect(html).toContain("data-customer-token=&quot;hex(HMAC-SHA256(KEFU_IDENTITY_SECRET");
    expect(html).not.toContain(signCustomerId(TEST_IDENTITY_SECRET, "c-1002"));
    expect(html).not.toContain("<script src=");
    expect((await off.request("/products/p-af333")).status).toBe(404);
    expect((await off.request("/widget.js")).status).toBe(200);
  });
});
