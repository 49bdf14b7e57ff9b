/**
 * npm run bench:dialogue [-- --turns N] [--pg-url URL | --no-pg] [--no-pglite] [--json]
 *
 * Conversation turn latency, in-process: each turn is a full POST /v1/conversations/:id/messages
 * through the Hono app (validation, storing the message, NLU, dialogue, shop queries and writes,
 * storing the answer), on embedded PGlite and on PostgreSQL (a fresh schema, dropped afterwards).
 * Conversations are scripted shopper journeys across the demo customers, replayed until N turns.
 * On PostgreSQL it also counts the statements sent per turn, by statement (the first words of its
 * text, or its name when it is a named one): each is a round trip, and CPU on both sides.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import type { DatabaseOptions } from "../src/db/client.js";
import { openDemoApp } from "../eval/lib/demo-app.js";
import { signCustomerId } from "../src/identity/customer-token.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { quantile } from "../src/nlp/eval/metrics.js";
import { createLogger } from "../src/shared/logger.js";
import { JOURNEYS } from "../eval/lib/journeys.js";

const { values } = parseArgs({
  options: {
    turns: { type: "string", default: "1500" },
    "pg-url": { type: "string", default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
    "no-pg": { type: "boolean", default: false },
    "no-pglite": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});

const SECRET = "bench-identity-secret";

/** Statements sent to PostgreSQL, counted at the driver, by their first words (to show what a turn costs). */
const statements = new Map<string, number>();
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string; name?: string };
  const text = typeof first === "string" ? first : (first?.text ?? "");
  const key = (typeof first === "object" && first?.name) || text.replace(/\s+/g, " ").trim().slice(0, 60);
  statements.set(key, (statements.get(key) ?? 0) + 1);
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;
const log = createLogger("silent");


interface Result {
  driver: string;
  turns: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  perSecond: number;
  /** This process's CPU (user + system) per timed turn, and the system part of it. */
  cpuMsPerTurn: number;
  sysMsPerTurn: number;
  /** Statements sent to PostgreSQL per turn (0 on PGlite), and which. */
  statementsPerTurn: number;
  statements: Record<string, number>;
}

async function bench(name: string, options: DatabaseOptions, turns: number): Promise<Result> {
  const { app, close } = await openDemoApp({ database: options, log, identitySecret: SECRET, name: "bench" });
  try {
    const post = (path: string, body: unknown) =>
      app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

    const times: number[] = [];
    const run = async (count: number, record: boolean) => {
      let done = 0;
      for (let j = 0; done < count; j++) {
        const [customer, messages] = JOURNEYS[j % JOURNEYS.length]!;
        const started = await post("/v1/conversations", customer ? { customerId: customer, customerToken: signCustomerId(SECRET, customer) } : {});
        const { id } = (await started.json()) as { id: string };
        for (const text of messages) {
          if (done >= count) break;
          const t0 = performance.now();
          const res = await post(`/v1/conversations/${id}/messages`, text.startsWith("/") ? { payload: text } : { text });
          await res.arrayBuffer();
          const ms = performance.now() - t0;
          if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status} for "${text}"`);
          if (record) times.push(ms);
          done++;
        }
      }
    };
    await run(200, false); // warm-up: JIT, caches, connection pool
    statements.clear();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await run(turns, true);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const sent = [...statements.values()].reduce((a, b) => a + b, 0);
    const sorted = [...times].sort((a, b) => a - b);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      driver: name,
      turns: times.length,
      p50: r2(quantile(sorted, 0.5)),
      p90: r2(quantile(sorted, 0.9)),
      p99: r2(quantile(sorted, 0.99)),
      max: r2(sorted.at(-1)!),
      perSecond: Math.round(times.length / seconds),
      cpuMsPerTurn: r2((cpu.user + cpu.system) / 1000 / times.length),
      sysMsPerTurn: r2(cpu.system / 1000 / times.length),
      statementsPerTurn: r2(sent / times.length),
      statements: Object.fromEntries([...statements].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, r2(n / times.length)])),
    };
  } finally {
    await close();
  }
}

await initTensorFlow("auto", log);
const turns = Number(values.turns);
const results: Result[] = [];
if (!values["no-pglite"]) results.push(await bench("pglite (in memory)", { kind: "pglite", dataDir: null }, turns));
if (!values["no-pg"]) {
  const schema = `kefu_bench_${process.pid}`;
  try {
    results.push(await bench("postgresql", { kind: "postgres", url: values["pg-url"]!, schema, poolMax: 4 }, turns));
  } finally {
    const client = new pg.Client({ connectionString: values["pg-url"] });
    await client.connect().then(
      () => client.query(`drop schema if exists "${schema}" cascade`).finally(() => client.end()),
      (err: unknown) => console.error(`postgresql unavailable: ${String(err)}`),
    );
  }
}

if (values.json) console.log(JSON.stringify(results, null, 2));
else {
  console.log("driver                 turns   p50 ms  p90 ms  p99 ms  max ms  turns/s  cpu ms/turn (sys)");
  for (const r of results) {
    console.log(
      `${r.driver.padEnd(22)} ${String(r.turns).padStart(5)} ${r.p50.toFixed(2).padStart(8)} ${r.p90.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${r.max.toFixed(2).padStart(7)} ${String(r.perSecond).padStart(8)}  ${r.cpuMsPerTurn.toFixed(2).padStart(6)} (${r.sysMsPerTurn.toFixed(2)})`,
    );
  }
  console.log("target: p99 ≤ 15 ms on PostgreSQL");
  for (const r of results.filter((x) => x.statementsPerTurn)) {
    console.log(`\n${r.driver}: ${r.statementsPerTurn} statements per turn`);
    for (const [statement, n] of Object.entries(r.statements)) console.log(`  ${n.toFixed(2).padStart(5)}  ${statement}`);
  }
}
