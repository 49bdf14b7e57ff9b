/** Product pictures: the demo shop has no photographs, so each product gets a drawn SVG card. */
import { Hono } from "hono";
import { getProduct } from "../../shop/products.js";
import type { AppEnv } from "../env.js";
import { errorResponse } from "../errors.js";

const CATEGORY_COLOURS: Record<string, string> = {
  small_appliance: "#f97316",
  phone: "#2563eb",
  digital: "#7c3aed",
  clothing: "#db2777",
  shoes: "#0891b2",
  fresh: "#16a34a",
  cosmetics: "#e11d48",
  home: "#ca8a04",
};

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!);

export function mediaRoutes() {
  return new Hono<AppEnv>().get("/media/products/:file", async (c) => {
    const match = /^([a-z0-9-]{1,64})\.svg$/.exec(c.req.param("file"));
    if (!match) return errorResponse(c, "not_found", "no such product image");
    const product = await getProduct(c.get("ctx"), match[1]!);
    const colour = CATEGORY_COLOURS[product.category] ?? "#64748b";
    const title = product.name.length > 14 ? `${product.name.slice(0, 13)}…` : product.name;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img" aria-label="${escapeXml(product.name)}">
<rect width="400" height="400" rx="24" fill="${colour}"/>
<text x="200" y="170" font-size="84" text-anchor="middle" fill="#fff" font-family="sans-serif">${escapeXml(product.brand.slice(0, 2))}</text>
<text x="200" y="260" font-size="26" text-anchor="middle" fill="#fff" font-family="sans-serif">${escapeXml(title)}</text>
<text x="200" y="310" font-size="22" text-anchor="middle" fill="#ffffffcc" font-family="sans-serif">${escapeXml(product.modelCodes[0] ?? "")}</text>
</svg>`;
    return c.body(svg, 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "public, max-age=3600" });
  });
}
