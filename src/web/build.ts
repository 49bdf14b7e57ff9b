/**
 * The front ends are bundled in memory when the server starts (esbuild, well under a second), so
 * there is no build step and nothing generated is committed. Each asset is kept as text and
 * gzipped, with a content hash for its ETag.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { ADMIN_CSS } from "./admin/styles.js";
import { AGENT_CSS } from "./agent/styles.js";
import { SHOP_CSS } from "./pages/styles.js";

export interface WebAsset {
  body: string;
  gzip: Uint8Array<ArrayBuffer>;
  /** A strong ETag from the content hash, quoted. */
  etag: string;
  contentType: string;
}

/** Every asset by the path it is served at. */
export interface WebAssets {
  "/widget.js": WebAsset;
  "/agent.js": WebAsset;
  "/agent.css": WebAsset;
  "/admin.js": WebAsset;
  "/admin.css": WebAsset;
  "/shop.css": WebAsset;
}

export type AssetPath = keyof WebAssets;

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

const ENTRIES = {
  widget: fileURLToPath(new URL("./widget/main.ts", import.meta.url)),
  agent: fileURLToPath(new URL("./agent/main.ts", import.meta.url)),
  admin: fileURLToPath(new URL("./admin/main.ts", import.meta.url)),
};

/** Bundles the widget, the workbench and the maintainer console, and minifies the page styles. */
export async function buildWebAssets(): Promise<WebAssets> {
  const result = await build({
    entryPoints: ENTRIES,
    bundle: true,
    write: false,
    minify: true,
    format: "iife",
    target: "es2020",
    platform: "browser",
    outdir: "/kefu-web",
    charset: "utf8",
    legalComments: "none",
    logLevel: "silent",
  });
  const output = (name: keyof typeof ENTRIES) => {
    const file = result.outputFiles.find((f) => f.path.endsWith(`/${name}.js`));
    if (!file) throw new Error(`esbuild produced no ${name}.js`);
    return file.text;
  };
  const css = async (source: string) => (await transform(source, { loader: "css", minify: true })).code;
  return {
    "/widget.js": asset(output("widget"), JS),
    "/agent.js": asset(output("agent"), JS),
    "/agent.css": asset(await css(AGENT_CSS), CSS),
    "/admin.js": asset(output("admin"), JS),
    "/admin.css": asset(await css(ADMIN_CSS), CSS),
    "/shop.css": asset(await css(SHOP_CSS), CSS),
  };
}

function asset(body: string, contentType: string): WebAsset {
  const hash = createHash("sha256").update(body).digest("base64url").slice(0, 22);
  return { body, gzip: new Uint8Array(gzipSync(body, { level: 9 })), etag: `"${hash}"`, contentType };
}
