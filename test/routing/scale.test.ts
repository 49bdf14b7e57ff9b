/**
 * Two server processes over one PostgreSQL: 200 hand-overs at once, split between them, never put
 * an agent over capacity nor give a conversation twice, and an offer made by one process reaches the
 * agent's event stream held by the other (LISTEN/NOTIFY). Runs when TEST_DATABASE_URL is set.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type Database } from "../../src/db/client.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { roundRobin, spawnServer, type ServerProcess } from "../helpers/server.js";

const ADMIN = "scale-test-admin-key-0123";
const SECRET = "scale-test-identity-secret-0123";
const HANDOFFS = 200;
const CAPACITIES = [1, 2, 3, 5, 4, 2, 1, 3, 5, 4]; // 30 places for 200 conversations

const post = (body: unknown, headers: Record<string, string> = {}) => ({ method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe.skipIf(!TEST_DATABASE_URL)("two processes on one PostgreSQL", () => {
  const schema = uniqueSchema();
  let database: Database;
  const servers: ServerProcess[] = [];
  let front: Server | null = null;

  beforeAll(async () => {
    database = await openDatabase({ kind: "postgres", url: TEST_DATABASE_URL!, schema, poolMax: 4 });
    await database.migrate();
    await seedDemoShop(database.db);
    const env = {
      DATABASE_URL: TEST_DATABASE_URL!,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_MAX: "8",
      KEFU_ADMIN_KEY: ADMIN,
      KEFU_IDENTITY_SECRET: SECRET,
      KEFU_MODEL_WATCH_MS: "0",
      KEFU_ACCEPT_TIMEOUT_S: "600",
      KEFU_ROUTING_TICK_MS: "250",
      LOG_LEVEL: "warn",
      DATA_DIR: `/tmp/kefu-scale-${process.pid}`,
    };
    // LOG_LEVEL=warn hides the "listening" line the helper waits for, so keep info for start-up.
    servers.push(...(await Promise.all([spawnServer({ ...env, LOG_LEVEL: "info" }), spawnServer({ ...env, LOG_LEVEL: "info" })])));
  }, 120_000);

  afterAll(async () => {
    front?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await database?.close();
    await dropSchema(TEST_DATABASE_URL!, schema);
  });

  it("continues a conversation whichever process takes each turn, behind a round-robin front", async () => {
    front = await roundRobin(servers.map((s) => s.url));
    const base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
    // An anonymous visitor proves an order over three turns; each turn goes to the other process.
    const { id } = (await (await fetch(`${base}/v1/conversations`, post({}))).json()) as { id: string };
    type Turn = { replies: { type: string; text?: string }[]; state: { mode: string; form?: string } };
    const say = async (text: string) => (await (await fetch(`${base}/v1/conversations/${id}/messages`, post({ text }))).json()) as Turn;
    const turns = [await say("查一下物流"), await say("2026111877967622"), await say("6610")];
    expect(turns.slice(0, 2).map((t) => t.state.form)).toEqual(["logistics", "logistics"]);
    expect(turns[2]!.replies.map((r) => r.type)).toContain("logistics");
    // The proof given to one process is in the state the other reads.
    const [state] = await queryRows<{ verified: string[] }>(database.db, sql`select state->'verifiedOrders' as verified from conversations where id = ${id}`);
    expect(state!.verified).toEqual(["2026111877967622"]);
  }, 60_000);

  it("holds capacity and gives each conversation once with 200 concurrent hand-overs", async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const admin = { authorization: `Bearer ${ADMIN}` };
    const agents: { id: string; token: string; max: number }[] = [];
    for (const [i, max] of CAPACITIES.entries()) {
      const username = `scale${i}`;
      const created = await fetch(`${a.url}/v1/admin/agents`, post({ username, name: `客服${i}`, password: "secret-password", maxConcurrent: max }, admin));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const { token } = (await (await fetch(`${b.url}/v1/agents/login`, post({ username, password: "secret-password" }))).json()) as { token: string };
      agents.push({ id, token, max });
    }

    // The first agent's event stream is held by process B; conversations are handed over on both.
    const watched = agents[0]!;
    const controller = new AbortController();
    const stream = await fetch(`${b.url}/v1/agents/me/events`, { headers: { authorization: `Bearer ${watched.token}` }, signal: controller.signal });
    expect(stream.status).toBe(200);
    let streamed = "";
    const reading = (async () => {
      const reader = stream.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        streamed += new TextDecoder().decode(value);
      }
    })();

    for (const agent of agents) {
      const res = await fetch(`${(agents.indexOf(agent) % 2 ? a : b).url}/v1/agents/me/status`, { method: "PUT", headers: { "content-type": "application/json", authorization: `Bearer ${agent.token}` }, body: JSON.stringify({ status: "online" }) });
      expect(res.status).toBe(200);
    }

    const customers = ["c-1001", "c-1002", "c-1003", "c-1004", "c-1005", "c-1006", "c-1007"];
    const ids = await Promise.all(
      Array.from({ length: HANDOFFS }, async (_, i) => {
        const server = i % 2 ? a : b;
        const customerId = customers[i % customers.length]!;
        const res = await fetch(`${server.url}/v1/conversations`, post(i % 3 === 0 ? {} : { customerId, customerToken: signCustomerId(SECRET, customerId) }));
        return { id: ((await res.json()) as { id: string }).id, server: i % 2 ? b : a };
      }),
    );
    const turns = await Promise.all(ids.map(({ id, server }) => fetch(`${server.url}/v1/conversations/${id}/messages`, post({ text: "转人工" }))));
    expect(turns.map((r) => r.status).every((s) => s === 200)).toBe(true);
    // Let both tickers serve the queue.
    await new Promise((r) => setTimeout(r, 1500));

    const loads = await queryRows<{ agent_id: string; n: number }>(database.db, sql`select agent_id, count(*)::int as n from handoffs where status in ('offered', 'active') group by agent_id`);
    for (const agent of agents) expect(loads.find((l) => l.agent_id === agent.id)?.n ?? 0).toBeLessThanOrEqual(agent.max);
    const capacity = CAPACITIES.reduce((x, y) => x + y, 0);
    expect(loads.reduce((n, l) => n + l.n, 0)).toBe(capacity);

    const [counts] = await queryRows<{ handoffs: number; conversations: number; waiting: number }>(
      database.db,
      sql`select count(*)::int as handoffs, count(distinct conversation_id)::int as conversations, count(*) filter (where status = 'waiting')::int as waiting from handoffs`,
    );
    expect(counts).toEqual({ handoffs: HANDOFFS, conversations: HANDOFFS, waiting: HANDOFFS - capacity });
    // No conversation has two live assignments, and every assignment was made under capacity.
    const [twice] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from (select handoff_id from assignments where ended_at is null group by handoff_id having count(*) > 1) x`);
    expect(twice!.n).toBe(0);
    const over = await queryRows<{ id: number }>(database.db, sql`select s.id from assignments s join agents a on a.id = s.agent_id where s.load_before >= a.max_concurrent`);
    expect(over).toEqual([]);

    const offeredToWatched = await queryRows<{ conversation_id: string }>(database.db, sql`select conversation_id from handoffs where agent_id = ${watched.id}`);
    expect(offeredToWatched).toHaveLength(watched.max);
    for (let i = 0; i < 40 && !offeredToWatched.every((o) => streamed.includes(o.conversation_id)); i++) await new Promise((r) => setTimeout(r, 100));
    for (const o of offeredToWatched) expect(streamed).toContain(o.conversation_id);
    controller.abort();
    await reading;
  }, 120_000);
});
