import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

describe("API documentation and health", () => {
  const t = useTestApp(testDrivers[0]!, { seed: false });

  it("/openapi.json documents every /v1 route the app serves", async () => {
    const doc = (await (await t.app.request("/openapi.json")).json()) as { openapi: string; paths: Record<string, object> };
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`)),
    );
    const served = t.app.routes
      .filter((r) => r.path.startsWith("/v1/") || r.path === "/healthz")
      .filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(0);
    for (const route of served) expect(documented, route).toContain(route);
  });

  it("/docs serves a page and its assets locally", async () => {
    const page = await t.app.request("/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/openapi.json");
    for (const asset of html.match(/\/docs\/assets\/[\w.-]+/g) ?? []) {
      expect((await t.app.request(asset)).status, asset).toBe(200);
    }
    expect((await t.app.request("/docs/assets/..%2Fpackage.json")).status).toBe(404);
  });

  it("/healthz reports the database and TensorFlow backend", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "pglite", tfBackend: "cpu", version: "test" });
  });
});
