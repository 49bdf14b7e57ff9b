/**
 * npm run bench:http [-- --seconds 60] [--connections 50] [--processes 1] [--rate R] [--pg-url URL] [--profile DIR] [--json]
 *
 * The service over HTTP as shops run it: `npm start` processes on a real PostgreSQL (a fresh schema
 * with the demo shop, dropped afterwards), behind a round-robin front when there are several, and
 * autocannon playing whole shopper conversations: start a conversation, then its 3–4 messages, over
 * the journeys in eval/lib/journeys.ts (scenarios, knowledge questions, cancels, a hand-over).
 * Reports turns/s (messages answered), requests/s, latency p50/p99 over all requests, errors, and
 * each server's peak RSS, and where the machine's CPU went per turn: the servers, this process (the load
 * generator, and the round-robin front when there is one) and PostgreSQL's processes. Rate limits are
 * off for the run (one address sends everything).
 *
 * A soak: `--seconds 600 --rate R` holds R requests/s (half the measured maximum, say) and samples
 * each server's RSS every 10 s, reporting its growth from the end of the first minute (warm-up) to the end.
 *
 * --profile DIR runs the servers under `node --cpu-prof` and leaves their .cpuprofile files in DIR
 * (open them in Chrome DevTools), to see where a turn's CPU goes.
 */
import { readdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { openDatabase } from "../src/db/client.js";
import { signCustomerId } from "../src/identity/customer-token.js";
import { seedDemoShop } from "../src/shop/demo/seed.js";
import { JOURNEYS } from "../eval/lib/journeys.js";
import { roundRobin, spawnServer, type ServerProcess } from "../eval/lib/server.js";
import pg from "pg";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    connections: { type: "string", default: "50" },
    rate: { type: "string" },
    processes: { type: "string", default: "1" },
    "pg-url": { type: "string", default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
    profile: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const SECRET = "bench-http-identity-secret";
const url = values["pg-url"];
const schema = `kefu_bench_http_${process.pid}`;
const processes = Number(values.processes);

/** Resident memory of a process now (VmRSS) or at its peak (VmHWM), in MB. */
async function rssMb(pid: number, field: "VmRSS" | "VmHWM"): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024);
}
const peakRss = (pid: number) => rssMb(pid, "VmHWM");

/** A process's /proc stat line, or "" once it is gone. */
const procStat = (pid: number | string) => readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");

/** CPU seconds (user + system) in a stat line. Linux reports them in ticks of 1/100 s. */
function statCpuSeconds(stat: string): number {
  // The command name is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields.length > 13 ? (Number(fields[11]) + Number(fields[12])) / 100 : 0;
}

const cpuSeconds = async (pid: number) => statCpuSeconds(await procStat(pid));

/** CPU seconds of every PostgreSQL server process on this machine (the postmaster and its backends). */
async function postgresCpuSeconds(): Promise<number> {
  let total = 0;
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await procStat(entry);
    if (stat.includes("(postgres)")) total += statCpuSeconds(stat);
  }
  return total;
}

const database = await openDatabase({ kind: "postgres", url, schema, poolMax: 4 });
const servers: ServerProcess[] = [];
let front: Server | null = null;
try {
  await database.migrate();
  await seedDemoShop(database.db);
  await database.close();
  const env = {
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
    DATABASE_POOL_MAX: "10",
    KEFU_IDENTITY_SECRET: SECRET,
    KEFU_MODEL_WATCH_MS: "0",
    KEFU_RATE_LIMIT_CLIENT: "0",
    KEFU_RATE_LIMIT_CONVERSATION: "0",
    KEFU_CLUSTER_EVERY_MIN: "0",
    DATA_DIR: `/tmp/kefu-bench-http-${process.pid}`,
  };
  for (let i = 0; i < processes; i++) servers.push(await spawnServer(env, undefined, values.profile ? ["--cpu-prof", `--cpu-prof-dir=${values.profile}`] : []));
  // Quiet logs during the run: every request would otherwise be a log line to parse.
  front = processes > 1 ? await roundRobin(servers.map((s) => s.url)) : null;
  const base = front ? `http://127.0.0.1:${(front.address() as AddressInfo).port}` : servers[0]!.url;

  let turns = 0;
  let handoffs = 0;
  const steps = Math.max(...JOURNEYS.map(([, m]) => m.length));
  type Context = { journey: number; id?: string; started?: boolean };
  let journeyCounter = 0;
  const requests: autocannon.Request[] = [
    {
      method: "POST",
      path: "/v1/conversations",
      headers: { "content-type": "application/json" },
      setupRequest: (req, ctx) => {
        const context = ctx as Context;
        context.journey = journeyCounter++ % JOURNEYS.length;
        const [customer] = JOURNEYS[context.journey]!;
        return { ...req, body: JSON.stringify(customer ? { customerId: customer, customerToken: signCustomerId(SECRET, customer) } : {}) };
      },
      onResponse: (status, body, ctx) => {
        const context = ctx as Context;
        context.id = status === 201 ? (JSON.parse(body) as { id: string }).id : undefined;
      },
    },
    ...Array.from({ length: steps }, (_, step): autocannon.Request => ({
      method: "POST",
      headers: { "content-type": "application/json" },
      setupRequest: (req, ctx) => {
        const context = ctx as Context;
        const messages = JOURNEYS[context.journey]![1];
        // Shorter journeys end with a thank-you, so every conversation has the same number of turns.
        const text = messages[step] ?? "好的，谢谢";
        return { ...req, path: `/v1/conversations/${context.id ?? "cv_0000000000000000"}/messages`, body: JSON.stringify(text.startsWith("/") ? { payload: text } : { text }) };
      },
      onResponse: (status, body) => {
        if (status !== 200) return;
        turns++;
        if (body.includes('"handoff"')) handoffs++;
      },
    })),
  ];

  // Warm-up: the first requests load lazy code paths and fill caches.
  await autocannon({ url: base, connections: 4, duration: 5, requests });
  turns = 0;
  handoffs = 0;
  const samples: { at: number; rss: number[] }[] = [];
  const startedAt = Date.now();
  const cpuAtStart = { servers: await Promise.all(servers.map((x) => cpuSeconds(x.child.pid!))), self: process.cpuUsage(), postgres: await postgresCpuSeconds() };
  const sampler = setInterval(() => {
    void Promise.all(servers.map((s) => rssMb(s.child.pid!, "VmRSS"))).then((rss) => samples.push({ at: (Date.now() - startedAt) / 1000, rss }));
  }, 10_000);
  const result = await autocannon({
    url: base,
    connections: Number(values.connections),
    duration: Number(values.seconds),
    requests,
    ...(values.rate ? { overallRate: Number(values.rate) } : {}),
  });
  clearInterval(sampler);
  const seconds = Number(values.seconds);
  const selfCpu = process.cpuUsage(cpuAtStart.self);
  const serverCpu = (await Promise.all(servers.map((x) => cpuSeconds(x.child.pid!)))).reduce((sum, c, i) => sum + c - cpuAtStart.servers[i]!, 0);
  const postgresCpu = (await postgresCpuSeconds()) - cpuAtStart.postgres;
  const perTurnMs = (cpu: number) => (turns ? Math.round((cpu / turns) * 1000 * 100) / 100 : null);
  const cpuMsPerTurn = {
    servers: perTurnMs(serverCpu),
    loadGenerator: perTurnMs((selfCpu.user + selfCpu.system) / 1e6),
    postgres: perTurnMs(postgresCpu),
  };
  // Growth is measured from the end of the first minute (warm-up), so only runs longer than that report it.
  const afterWarmUp = samples.find((x) => x.at >= 60);
  const last = samples.at(-1);
  const growth = afterWarmUp && last && afterWarmUp !== last ? last.rss.map((r, i) => Math.round(((r - afterWarmUp.rss[i]!) / afterWarmUp.rss[i]!) * 1000) / 10) : null;
  const rss = await Promise.all(servers.map((s) => peakRss(s.child.pid!)));
  const summary = {
    processes,
    connections: Number(values.connections),
    seconds,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    turnsPerSecond: Math.round(turns / seconds),
    handoffs,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
    peakRssMb: rss,
    rate: values.rate ? Number(values.rate) : null,
    rssAfterWarmUpMb: afterWarmUp?.rss ?? null,
    rssAtEndMb: last?.rss ?? null,
    rssGrowthPercent: growth,
    cpuMsPerTurn,
  };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(`${processes} process(es) on PostgreSQL, ${summary.connections} connections, ${seconds} s (journeys: ${JOURNEYS.length}, ${steps} turns each after the start)`);
    console.log("| processes | turns/s | requests/s | p50 ms | p99 ms | max ms | errors | peak RSS MB |");
    console.log(`| ${processes} | ${summary.turnsPerSecond} | ${summary.requestsPerSecond} | ${summary.latencyP50Ms} | ${summary.latencyP99Ms} | ${summary.latencyMaxMs} | ${summary.errors} | ${rss.join(", ")} |`);
    console.log(
      `CPU per turn: servers ${cpuMsPerTurn.servers} ms, load generator${front ? " and front" : ""} ${cpuMsPerTurn.loadGenerator} ms, PostgreSQL ${cpuMsPerTurn.postgres} ms`,
    );
    if (growth) console.log(`RSS after the first minute ${summary.rssAfterWarmUpMb!.join(", ")} MB, at the end ${summary.rssAtEndMb!.join(", ")} MB: growth ${growth.join(", ")} %`);
  }
} finally {
  front?.close();
  await Promise.all(servers.map((s) => s.stop()));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema if exists "${schema}" cascade`);
  await client.end();
}
