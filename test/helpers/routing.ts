/**
 * A routing test stack over a seeded database: the app with a clock the test moves, the routing
 * core without its ticker (tests tick it), and helpers to create agents, hand conversations over and
 * read the live event streams.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import type { Clock, ServiceContext } from "../../src/context.js";
import type { Database } from "../../src/db/client.js";
import type { Channel } from "../../src/db/schema.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import type { RoutingConfig, RoutingCore } from "../../src/routing/index.js";
import { createLogger } from "../../src/shared/logger.js";
import type { ServiceMode } from "../../src/shared/service-modes.js";
import { DEMO_NOW } from "../../src/shop/demo/generate.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import type { LanguageServices } from "../../src/services.js";
import { adminHeaders, buildTestApp, buildTestLanguage, buildTestRouting, TEST_IDENTITY_SECRET } from "./app.js";
import type { TestDriver } from "./db.js";

export class ManualClock implements Clock {
  private t = DEMO_NOW.getTime();
  now(): Date {
    return new Date(this.t);
  }
  advance(seconds: number): void {
    this.t += seconds * 1000;
  }
}

export const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

type App = Awaited<ReturnType<typeof buildTestApp>>;

export interface RoutingStack {
  database: Database;
  language: LanguageServices;
  core: RoutingCore;
  app: App;
  clock: ManualClock;
  ctx: ServiceContext;
}

/** Builds the stack in beforeAll (a fresh seeded database) and closes it in afterAll. */
export function useRoutingStack(driver: TestDriver, options: { config?: Partial<RoutingConfig>; serviceModes?: Partial<Record<Channel, ServiceMode>> } = {}) {
  const s = {} as RoutingStack;
  beforeAll(async () => {
    s.database = await driver.open();
    await seedDemoShop(s.database.db);
    s.clock = new ManualClock();
    s.language = await buildTestLanguage(s.database, options.serviceModes);
    s.core = await buildTestRouting(s.database, options.config, options.serviceModes);
    s.app = await buildTestApp(s.database, s.language, undefined, s.core, s.clock);
    s.ctx = { actor: { kind: "system" }, db: s.database.db, log: createLogger("silent"), clock: s.clock };
  });
  afterAll(async () => {
    await s.core?.close();
    s.language?.close();
    await s.database?.close();
  });
  return s;
}

let agentCounter = 0;

export interface TestAgent {
  id: string;
  name: string;
  token: string;
  headers: Record<string, string>;
}

/** Creates an agent through the admin API, logs them in and (unless told otherwise) sets them online. */
export async function newAgent(app: App, options: { groups?: string[]; maxConcurrent?: number; region?: string; channels?: Channel[]; online?: boolean } = {}): Promise<TestAgent> {
  const username = `agent${++agentCounter}-${process.pid}`;
  const created = await app.request(
    "/v1/admin/agents",
    json("POST", { username, name: `客服${agentCounter}`, password: "secret-password", groups: options.groups ?? [], maxConcurrent: options.maxConcurrent ?? 3, region: options.region ?? null, channels: options.channels ?? [] }, adminHeaders),
  );
  if (created.status !== 201) throw new Error(`creating an agent: ${created.status} ${await created.text()}`);
  const profile = (await created.json()) as { id: string; name: string };
  const login = (await (await app.request("/v1/agents/login", json("POST", { username, password: "secret-password" }))).json()) as { token: string };
  const agent = { id: profile.id, name: profile.name, token: login.token, headers: { authorization: `Bearer ${login.token}` } };
  if (options.online !== false) await setStatus(app, agent, "online");
  return agent;
}

export async function setStatus(app: App, agent: TestAgent, status: string): Promise<void> {
  const res = await app.request("/v1/agents/me/status", json("PUT", { status }, agent.headers));
  if (res.status !== 200) throw new Error(`status: ${res.status} ${await res.text()}`);
}

/** Starts a conversation (as a signed-in customer when given) and returns its id. */
export async function startConversation(app: App, options: { customerId?: string; channel?: Channel; page?: string } = {}): Promise<string> {
  const body = {
    ...(options.customerId ? { customerId: options.customerId, customerToken: signCustomerId(TEST_IDENTITY_SECRET, options.customerId) } : {}),
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.page ? { context: { page: options.page } } : {}),
  };
  const res = await app.request("/v1/conversations", json("POST", body));
  return ((await res.json()) as { id: string }).id;
}

export interface Turn {
  replies: { type: string; text?: string; queue?: { position: number; estimatedWaitSeconds: number | null } }[];
  state: { mode: string };
}

export async function say(app: App, id: string, text: string): Promise<Turn> {
  const res = await app.request(`/v1/conversations/${id}/messages`, json("POST", { text }));
  if (res.status !== 200) throw new Error(`message: ${res.status} ${await res.text()}`);
  return (await res.json()) as Turn;
}

/** A conversation handed over with 转人工; returns its id and the hand-over reply. */
export async function handOver(app: App, options: Parameters<typeof startConversation>[1] & { text?: string } = {}) {
  const id = await startConversation(app, options);
  const turn = await say(app, id, options.text ?? "转人工");
  return { id, turn, handoff: turn.replies.find((r) => r.type === "handoff") };
}

export async function agentList(app: App, agent: TestAgent) {
  const res = await app.request("/v1/agents/me/conversations", { headers: agent.headers });
  return ((await res.json()) as { items: { conversationId: string; status: string; rule: string | null; why: string | null; unread: number; unansweredSeconds: number; waitingSeconds: number }[] }).items;
}

export interface SseEvent {
  id: string | null;
  event: string;
  data: { id: number; type: string; data: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * Reads a Server-Sent Events response: `next(type)` waits for the next event of that type (others
 * are kept in `seen`), failing after `timeoutMs`.
 */
export async function openStream(app: App, path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  if (res.status !== 200) throw new Error(`stream ${path}: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: SseEvent[] = [];
  let buffer = "";
  let cursor = 0;
  const pump = async (deadline: number): Promise<boolean> => {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), Math.max(0, deadline - Date.now())));
    const chunk = await Promise.race([reader.read(), timeout]);
    if (!chunk || chunk.done) return false;
    buffer += decoder.decode(chunk.value, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of frame.split("\n")) {
        if (line.startsWith(":")) continue;
        const i = line.indexOf(":");
        if (i > 0) fields[line.slice(0, i)] = (fields[line.slice(0, i)] ?? "") + line.slice(i + 1).trimStart();
      }
      if (fields.event && fields.data) seen.push({ id: fields.id ?? null, event: fields.event, data: JSON.parse(fields.data) });
    }
    return true;
  };
  return {
    seen,
    async next(type: string, timeoutMs = 3000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = seen.findIndex((e, k) => k >= cursor && e.event === type);
        if (i >= 0) {
          cursor = i + 1;
          return seen[i]!;
        }
        if (Date.now() > deadline || !(await pump(deadline))) throw new Error(`no ${type} event on ${path} within ${timeoutMs} ms; saw ${seen.map((e) => e.event).join(", ")}`);
      }
    },
    /** Waits a little and returns every event that came (to check that something did not). */
    async drain(ms = 300): Promise<SseEvent[]> {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline && (await pump(deadline)));
      return seen.slice(cursor);
    },
    async close(): Promise<void> {
      await reader.cancel().catch(() => {});
    },
  };
}

/** Starts a test from a quiet service: every agent offline, nobody waiting or being served. */
export async function quiet(s: RoutingStack): Promise<void> {
  await s.database.db.execute(sql`update agents set status = 'offline'`);
  await s.database.db.execute(sql`update handoffs set status = 'abandoned', ended_at = now() where status in ('waiting', 'offered', 'active')`);
}
