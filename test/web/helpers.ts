/**
 * The browser tests' world: the whole app (NLU, dialogue, routing) over a fresh seeded PGlite with
 * the web routes mounted, listening on a free port; Chromium from Debian; screenshots per step.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { ServiceContext } from "../../src/context.js";
import type { Database } from "../../src/db/client.js";
import type { LanguageServices } from "../../src/services.js";
import { createLogger } from "../../src/shared/logger.js";
import { buildWebAssets } from "../../src/web/build.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { adminHeaders, buildTestApp, buildTestLanguage, buildTestRouting, TEST_IDENTITY_SECRET } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";
import { ManualClock } from "../helpers/routing.js";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const ARTIFACTS = join("test-artifacts", "web");

export interface WebServer {
  url: string;
  /** The server's internals, for tests that set up data or run background jobs themselves. */
  database: Database;
  language: LanguageServices;
  /** A system actor's context over the server's database and clock. */
  ctx: ServiceContext;
  /** Ends every live event stream, as a dropped connection or a server restart would. */
  dropStreams(): void;
  close(): Promise<void>;
}

/** The full app with the web routes, served on 127.0.0.1 at a free port. */
export async function startWebServer(options: { demo?: boolean } = {}): Promise<WebServer> {
  const pglite = testDrivers.find((d) => d.name === "pglite")!;
  const database = await pglite.open();
  await seedDemoShop(database.db);
  const [language, core, assets] = await Promise.all([buildTestLanguage(database), buildTestRouting(database), buildWebAssets()]);
  const clock = new ManualClock();
  const app = await buildTestApp(database, language, undefined, core, clock, { web: { assets, demoEnabled: options.demo ?? true } });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    database,
    language,
    ctx: { actor: { kind: "system" }, db: database.db, log: createLogger("silent"), clock },
    dropStreams: () => core.hub.endStreams(),
    async close() {
      core.hub.endStreams();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
      language.close();
      await database.close();
    },
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
  });
}

/** Saves a screenshot of this step as test-artifacts/web/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Saves a screenshot of the whole page, below the fold too, as test-artifacts/web/<name>.png. */
export async function fullShot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Creates an agent through the admin API (offline until they set a status). */
export async function createAgent(url: string, agent: { username: string; name: string; password: string; groups: string[] }): Promise<{ id: string }> {
  const res = await fetch(`${url}/v1/admin/agents`, {
    method: "POST",
    headers: { ...adminHeaders, "content-type": "application/json" },
    body: JSON.stringify({ ...agent, maxConcurrent: 5 }),
  });
  if (res.status !== 201) throw new Error(`creating an agent: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

/** Creates a maintainer account through the admin API (they sign in at /admin, not /agent). */
export async function createMaintainer(url: string, account: { username: string; name: string; password: string }): Promise<{ id: string }> {
  const res = await fetch(`${url}/v1/admin/agents`, {
    method: "POST",
    headers: { ...adminHeaders, "content-type": "application/json" },
    body: JSON.stringify({ ...account, role: "maintainer" }),
  });
  if (res.status !== 201) throw new Error(`creating a maintainer: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

/** An admin API call from a test (the admin key), returning status and parsed body. */
export async function adminApi<T = unknown>(url: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...adminHeaders, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * A page in a fresh browser context (Chinese locale, Beijing time), added to `contexts` for closing;
 * `errors` collects the page's uncaught errors, which a test expects to stay empty.
 */
export async function openPage(browser: Browser, contexts: BrowserContext[], viewport: { width: number; height: number }, timeoutMs: number) {
  const context = await browser.newContext({ viewport, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  contexts.push(context);
  context.setDefaultTimeout(timeoutMs);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}
