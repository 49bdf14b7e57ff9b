import { describe, expect, it } from "vitest";
import { buildDemoShop } from "../../src/shop/demo/generate.js";
import { adminHeaders, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const demo = buildDemoShop();

describe.each(testDrivers)("admin API on $name", (driver) => {
  const t = useTestApp(driver);

  const get = (path: string, headers: Record<string, string> = adminHeaders) => t.app.request(path, { headers });

  describe("security", () => {
    it.each([
      ["no header", {}],
      ["wrong key", { authorization: "Bearer not-the-key" }],
      ["wrong scheme", { authorization: "Basic dGVzdA==" }],
    ])("refuses %s with 401", async (_, headers) => {
      for (const path of ["/v1/admin/customers", "/v1/admin/products", "/v1/admin/customers/c-1001/orders"]) {
        const res = await get(path, headers as Record<string, string>);
        expect(res.status, path).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
      }
    });
  });

  it("lists customers with masked phones", async () => {
    const res = await get("/v1/admin/customers");
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; phone: string; vipLevel: number }[] };
    expect(items.map((c) => c.id)).toEqual(demo.customers.map((c) => c.id).sort());
    for (const c of items) expect(c.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const raw = JSON.stringify(items);
    for (const c of demo.customers) expect(raw).not.toContain(c.phone);
  });

  it("lists a customer's orders newest first with items, shipments, events and refunds", async () => {
    const res = await get("/v1/admin/customers/c-1001/orders");
    expect(res.status).toBe(200);
    type Order = {
      id: string;
      status: string;
      createdAt: string;
      items: unknown[];
      shipments: { events: { description: string }[] }[];
      refunds: { status: string }[];
    };
    const { items } = (await res.json()) as { items: Order[] };
    const expected = demo.orders.filter((o) => o.customerId === "c-1001");
    expect(items).toHaveLength(expected.length);
    const times = items.map((o) => Date.parse(o.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const shipped = items.find((o) => o.status === "shipped")!;
    expect(shipped.shipments[0]!.events.length).toBeGreaterThanOrEqual(2);
    const refunding = items.find((o) => o.status === "refunding")!;
    expect(refunding.refunds[0]!.status).toBe("refunding");
    expect(items.every((o) => o.items.length > 0)).toBe(true);
  });

  it("pages products with variants, stock and usage notes", async () => {
    const first = (await (await get("/v1/admin/products?page=1&pageSize=10")).json()) as {
      items: { id: string; stock: number; variants: { stock: number }[]; usageNotes: string }[];
      total: number;
    };
    const second = (await (await get("/v1/admin/products?page=2&pageSize=10")).json()) as typeof first;
    expect(first.total).toBe(demo.products.length);
    expect(first.items).toHaveLength(10);
    expect(new Set([...first.items, ...second.items].map((p) => p.id)).size).toBe(20);
    for (const p of first.items) {
      expect(p.stock).toBe(p.variants.reduce((s, v) => s + v.stock, 0));
      expect(p.usageNotes.length).toBeGreaterThan(10);
    }
  });

  it("filters products by model code and category", async () => {
    const byCode = (await (await get("/v1/admin/products?q=af-333")).json()) as { items: { id: string }[]; total: number };
    expect(byCode.items.map((p) => p.id)).toEqual(["p-af333"]);
    const shoes = (await (await get("/v1/admin/products?category=shoes&pageSize=100")).json()) as { items: { category: string }[] };
    expect(shoes.items.length).toBe(demo.products.filter((p) => p.category === "shoes").length);
    const wildcard = (await (await get("/v1/admin/products?q=%25")).json()) as { total: number };
    expect(wildcard.total).toBe(0);
  });
});
