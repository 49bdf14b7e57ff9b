/**
 * The web front ends: the widget script shops embed, the demo shop (only when the demo is on, since
 * it signs customer tokens for whoever asks), the agent workbench and the maintainer console. Hidden
 * from the OpenAPI document: these are pages and scripts, not API.
 */
import { Hono, type Context } from "hono";
import { signCustomerId } from "../../identity/customer-token.js";
import { listCustomers, type CustomerSummary } from "../../shop/customers.js";
import { getProduct, listProducts, type ProductDetail } from "../../shop/products.js";
import { NotFoundError } from "../../shared/errors.js";
import type { AssetPath, WebAssets } from "../../web/build.js";
import { adminPage } from "../../web/pages/admin.js";
import { agentPage } from "../../web/pages/agent.js";
import { embedPage, notFoundPage, productPage, shopPage, type DemoCustomer, type ShopProduct, type Visitor } from "../../web/pages/shop.js";
import type { AppEnv } from "../env.js";
import { errorResponse } from "../errors.js";

export interface WebRouteDeps {
  assets: WebAssets;
  demo: {
    /** Serve the demo shop with its customer selector (never in production: it signs tokens). */
    enabled: boolean;
    identitySecret: string;
  };
}

/** Pages load scripts, styles and data from this origin only; nothing frames them. */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  // The demo pages carry signed customer tokens: never cache them.
  "cache-control": "no-store",
};

const PRODUCT_ID = /^[a-z0-9-]{1,64}$/;
const PER_CATEGORY = 2;

export function webRoutes(deps: WebRouteDeps) {
  const asset = (path: AssetPath) => (c: Context<AppEnv>) => {
    const a = deps.assets[path];
    const headers = { "content-type": a.contentType, etag: a.etag, "cache-control": "no-cache", vary: "accept-encoding", "x-content-type-options": "nosniff" };
    const match = (c.req.header("if-none-match") ?? "").split(",").some((t) => t.trim().replace(/^W\//, "") === a.etag);
    if (match) return c.body(null, 304, headers);
    if (/\bgzip\b/.test(c.req.header("accept-encoding") ?? "")) return c.body(a.gzip, 200, { ...headers, "content-encoding": "gzip" });
    return c.body(a.body, 200, headers);
  };

  const visitor = (id: string | undefined, customers: CustomerSummary[]): Visitor => {
    const customer = customers.find((x) => x.id === id);
    return customer ? { customer: demoCustomer(customer), token: signCustomerId(deps.demo.identitySecret, customer.id) } : { customer: null, token: null };
  };

  return new Hono<AppEnv>()
    .get("/widget.js", asset("/widget.js"))
    .get("/agent.js", asset("/agent.js"))
    .get("/agent.css", asset("/agent.css"))
    .get("/shop.css", asset("/shop.css"))
    .get("/agent", (c) => c.html(agentPage(), 200, PAGE_HEADERS))
    .get("/admin.js", asset("/admin.js"))
    .get("/admin.css", asset("/admin.css"))
    .get("/admin", (c) => c.html(adminPage(), 200, PAGE_HEADERS))
    .get("/", async (c) => {
      if (!deps.demo.enabled) return c.html(embedPage(new URL(c.req.url).origin), 200, PAGE_HEADERS);
      const ctx = c.get("ctx");
      const customers = await listCustomers(ctx);
      const catalogue = await listProducts(ctx, { page: 1, pageSize: 200 });
      return c.html(shopPage(showcase(catalogue.items), customers.map(demoCustomer), visitor(c.req.query("customer"), customers)), 200, PAGE_HEADERS);
    })
    .get("/products/:id", async (c) => {
      if (!deps.demo.enabled) return errorResponse(c, "not_found", "the demo shop is not enabled");
      const id = c.req.param("id");
      const ctx = c.get("ctx");
      const customers = await listCustomers(ctx);
      const who = visitor(c.req.query("customer"), customers);
      let product: ProductDetail;
      try {
        if (!PRODUCT_ID.test(id)) throw new NotFoundError(`no product ${id}`);
        product = await getProduct(ctx, id);
      } catch (err) {
        if (err instanceof NotFoundError) return c.html(notFoundPage(), 404, PAGE_HEADERS);
        throw err;
      }
      return c.html(productPage(shopProduct(product), customers.map(demoCustomer), who), 200, PAGE_HEADERS);
    });
}

const demoCustomer = (c: CustomerSummary): DemoCustomer => ({ id: c.id, name: c.name, vipLevel: c.vipLevel, city: c.city });

const shopProduct = (p: ProductDetail): ShopProduct => ({
  id: p.id,
  name: p.name,
  brand: p.brand,
  category: p.category,
  priceFen: p.priceFen,
  imageUrl: p.imageUrl,
  stock: p.stock,
  specs: p.specs,
  usageNotes: p.usageNotes,
  variants: p.variants.map((v) => ({ sku: v.sku, color: v.color, size: v.size, stock: v.stock })),
});

/** A few products of every category, in the catalogue's order. */
function showcase(products: ProductDetail[]): ShopProduct[] {
  const taken = new Map<string, number>();
  return products
    .filter((p) => {
      const n = taken.get(p.category) ?? 0;
      taken.set(p.category, n + 1);
      return n < PER_CATEGORY;
    })
    .map(shopProduct);
}
