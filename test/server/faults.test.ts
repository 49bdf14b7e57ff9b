/**
 * Faults: a server killed with SIGKILL in the middle of load loses no answered message and leaves no
 * conversation half-written (the next process answers what was stored but not answered); the same
 * for the embedded database's data directory; and a PostgreSQL that stops for a few seconds gives
 * 503s with the error shape, not hangs or 500s, and the service recovers by itself.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, queryRows, type Database } from "../../src/db/client.js";
import * as t from "../../src/db/schema.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { dropSchema, TEST_DATABASE_URL, uniqueSchema } from "../helpers/db.js";
import { spawnServer, type ServerProcess } from "../helpers/server.js";

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const MESSAGES = ["你好", "我的快递到哪了", "退货运费谁出", "有什么优惠", "AF-333多少瓦", "谢谢"];
const ENV = { KEFU_RATE_LIMIT_CLIENT: "0", KEFU_RATE_LIMIT_CONVERSATION: "0", KEFU_STRANDED_AFTER_S: "1", KEFU_CLUSTER_EVERY_MIN: "0", KEFU_MODEL_WATCH_MS: "0" };
const temp: string[] = [];

/** Resolves when the child has exited (at once if it already has). */
const exited = (server: ServerProcess) =>
  server.child.exitCode !== null || server.child.signalCode !== null ? Promise.resolve() : new Promise((r) => server.child.once("exit", r));
afterAll(async () => {
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })));
});

/** Conversations that keep talking until `stop`; every answered message is recorded. */
async function talk(server: ServerProcess, conversations: number, stop: Promise<void>) {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const answered: { conversationId: string; answerSeq: number }[] = [];
  await Promise.all(
    Array.from({ length: conversations }, async (_, i) => {
      const res = await fetch(`${server.url}/v1/conversations`, post({})).catch(() => null);
      if (!res?.ok) return;
      const { id } = (await res.json()) as { id: string };
      for (let n = 0; !stopped; n++) {
        const r = await fetch(`${server.url}/v1/conversations/${id}/messages`, post({ text: MESSAGES[(i + n) % MESSAGES.length] })).catch(() => null);
        if (!r) return;
        if (r.ok) answered.push({ conversationId: id, answerSeq: ((await r.json()) as { messageId: number }).messageId });
      }
    }),
  );
  return answered;
}

async function checkNothingLost(db: Database["db"], answered: { conversationId: string; answerSeq: number }[]) {
  expect(answered.length).toBeGreaterThan(10);
  for (const a of answered) {
    const [bot] = await db.select({ replyTo: t.messages.replyTo }).from(t.messages).where(and(eq(t.messages.conversationId, a.conversationId), eq(t.messages.seq, a.answerSeq)));
    expect(bot?.replyTo, `answer ${a.answerSeq} of ${a.conversationId}`).toBeGreaterThan(0);
    const [question] = await db.select({ role: t.messages.role }).from(t.messages).where(and(eq(t.messages.conversationId, a.conversationId), eq(t.messages.seq, bot!.replyTo!)));
    expect(question?.role).toBe("user");
  }
}

describe.skipIf(!TEST_DATABASE_URL)("a server killed under load, on PostgreSQL", () => {
  const schema = uniqueSchema();
  afterAll(async () => dropSchema(TEST_DATABASE_URL!, schema));

  it("keeps every answered message and answers what it had stored but not answered", async () => {
    const database = await openDatabase({ kind: "postgres", url: TEST_DATABASE_URL!, schema, poolMax: 4 });
    try {
      await database.migrate();
      await seedDemoShop(database.db);
      const env = { ...ENV, DATABASE_URL: TEST_DATABASE_URL!, DATABASE_SCHEMA: schema, DATA_DIR: await mkdtemp(join(tmpdir(), "kefu-kill-")) };
      temp.push(env.DATA_DIR);
      const first = await spawnServer(env);
      const killed = new Promise<void>((resolve) => setTimeout(() => {
        first.child.kill("SIGKILL");
        resolve();
      }, 2500));
      const answered = await talk(first, 16, killed);
      await exited(first);
      // One more the way the killed process would have left it: stored, not answered.
      const victim = answered[0]!.conversationId;
      await database.db.execute(sql`with bumped as (update conversations set last_seq = last_seq + 1, updated_at = now() - interval '1 minute' where id = ${victim} returning last_seq)
        insert into messages (conversation_id, seq, role, body) select ${victim}, last_seq, 'user', '{"text":"我的快递到哪了"}'::jsonb from bumped`);
      const second = await spawnServer(env);
      try {
        // The second process answers the messages the first stored but did not answer.
        const stuck = async () =>
          (await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from conversations c where exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'user' and m.seq > c.handled_seq)`))[0]!.n;
        for (let i = 0; i < 40 && (await stuck()) > 0; i++) await new Promise((r) => setTimeout(r, 250));
        expect(await stuck()).toBe(0);
        await checkNothingLost(database.db, answered);
        // Seqs stay dense: no gap and no duplicate in any conversation.
        const [gaps] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from conversations c where c.last_seq <> (select count(*) from messages m where m.conversation_id = c.id)`);
        expect(gaps!.n).toBe(0);
      } finally {
        await second.stop();
      }
    } finally {
      await database.close();
    }
  }, 120_000);
});

describe("the embedded database killed during writes", () => {
  it("opens again with every acknowledged message", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "kefu-kill-pglite-"));
    temp.push(dataDir);
    const server = await spawnServer({ ...ENV, DATA_DIR: dataDir });
    const killed = new Promise<void>((resolve) => setTimeout(() => {
      server.child.kill("SIGKILL");
      resolve();
    }, 2500));
    const answered = await talk(server, 8, killed);
    await exited(server);
    const reopened = await openDatabase({ kind: "pglite", dataDir: join(dataDir, "pglite") });
    try {
      await checkNothingLost(reopened.db, answered);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});

const PG_BIN = "/usr/lib/postgresql/15/bin";
const canRunPrivatePostgres = existsSync(`${PG_BIN}/initdb`) && process.getuid?.() === 0;

describe.skipIf(!canRunPrivatePostgres)("PostgreSQL stopped under load (a private instance on port 55432)", () => {
  const dir = join(tmpdir(), `kefu-pg-${process.pid}`);
  const asPostgres = (...args: string[]) => execFileSync("runuser", ["-u", "postgres", "--", ...args], { stdio: "pipe" });
  const pgCtl = (action: string) => asPostgres(`${PG_BIN}/pg_ctl`, "-D", dir, "-o", "-p 55432 -k /tmp -c listen_addresses=127.0.0.1", "-w", "-l", `${dir}.log`, action);
  afterAll(async () => {
    try {
      pgCtl("stop");
    } catch {
      /* already stopped */
    }
    await rm(dir, { recursive: true, force: true });
    await rm(`${dir}.log`, { force: true });
  });

  it("answers 503 while it is down and recovers by itself", async () => {
    execFileSync("mkdir", ["-p", dir]);
    execFileSync("chown", ["postgres", dir]);
    asPostgres(`${PG_BIN}/initdb`, "-D", dir, "-A", "trust", "-U", "postgres");
    pgCtl("start");
    const url = "postgres://postgres@127.0.0.1:55432/postgres";
    const database = await openDatabase({ kind: "postgres", url, schema: "public", poolMax: 2 });
    await database.migrate();
    await seedDemoShop(database.db);
    await database.close();
    const dataDir = await mkdtemp(join(tmpdir(), "kefu-pgstop-"));
    temp.push(dataDir);
    const server = await spawnServer({ ...ENV, DATABASE_URL: url, DATA_DIR: dataDir });
    try {
      const { id } = (await (await fetch(`${server.url}/v1/conversations`, post({}))).json()) as { id: string };
      expect((await fetch(`${server.url}/v1/conversations/${id}/messages`, post({ text: "你好" }))).status).toBe(200);
      pgCtl("stop");
      const statuses: number[] = [];
      const started = Date.now();
      for (let i = 0; i < 4; i++) {
        const before = Date.now();
        const res = await fetch(`${server.url}/v1/conversations/${id}/messages`, post({ text: "我的快递到哪了" }));
        statuses.push(res.status);
        expect(Date.now() - before).toBeLessThan(8_000);
        if (res.status !== 200) expect(((await res.json()) as { error: { code: string } }).error.code).toBe("service_unavailable");
      }
      expect(statuses.every((s) => s === 503)).toBe(true);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
      pgCtl("start");
      let recovered = 0;
      for (let i = 0; i < 40 && recovered !== 200; i++) {
        await new Promise((r) => setTimeout(r, 250));
        recovered = (await fetch(`${server.url}/v1/conversations/${id}/messages`, post({ text: "你好" }))).status;
      }
      expect(recovered).toBe(200);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
