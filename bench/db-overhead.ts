/**
 * npm run bench:db [-- --pg-url URL --n N]
 *
 * What one query costs this process on PostgreSQL, by the way it is issued: the same select through
 * drizzle's query builder, a drizzle prepared query, drizzle's raw `sql`, and plain pg (unnamed and
 * named statements), plus a transaction around a locking select. Prints wall time and this process's
 * CPU per query. It explains where a conversation turn's CPU goes (`npm run bench:dialogue`).
 */
import { parseArgs } from "node:util";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type pg from "pg";
import { openDatabase } from "../src/db/client.js";
import * as t from "../src/db/schema.js";

const { values } = parseArgs({
  options: {
    "pg-url": { type: "string", default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
    n: { type: "string", default: "3000" },
  },
});
const N = Number(values.n);
const schemaName = `kefu_dbbench_${process.pid}`;
const database = await openDatabase({ kind: "postgres", url: values["pg-url"]!, schema: schemaName, poolMax: 2 });
const { db } = database;
const pool = (db as unknown as { $client: pg.Pool }).$client;
try {
  await database.migrate();
  await db.insert(t.conversations).values({ id: "c1", channel: "web" });
  for (let seq = 1; seq <= 3; seq++) await db.insert(t.messages).values({ conversationId: "c1", seq, role: "user", body: { text: "你好" } });

  const rows: string[] = [];
  const time = async (name: string, query: () => Promise<unknown>) => {
    for (let i = 0; i < 300; i++) await query();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await query();
    const cpu = process.cpuUsage(cpu0);
    rows.push(`| ${name} | ${((performance.now() - t0) / N).toFixed(3)} | ${((cpu.user + cpu.system) / 1000 / N).toFixed(3)} |`);
  };
  const pendingWhere = (id: unknown, seq: unknown) => and(eq(t.messages.conversationId, id as string), gt(t.messages.seq, seq as number), eq(t.messages.role, "user"));
  const prepared = db.select().from(t.messages).where(pendingWhere(sql.placeholder("id"), sql.placeholder("seq"))).orderBy(asc(t.messages.seq)).limit(2).prepare("bench_pending");
  const text = "select * from messages where conversation_id = $1 and seq > $2 and role = 'user' order by seq limit 2";

  await time("drizzle query builder", () => db.select().from(t.messages).where(pendingWhere("c1", 0)).orderBy(asc(t.messages.seq)).limit(2));
  await time("drizzle prepared query", () => prepared.execute({ id: "c1", seq: 0 }));
  await time("drizzle raw sql", () => db.execute(sql`select * from messages where conversation_id = ${"c1"} and seq > ${0} and role = 'user' order by seq limit 2`));
  await time("pg, unnamed statement", () => pool.query(text, ["c1", 0]));
  await time("pg, named statement", () => pool.query({ name: "bench_pending_pg", text, values: ["c1", 0] }));
  await time("drizzle transaction: begin, select for update, commit", () =>
    db.transaction(async (tx) => {
      await tx.select().from(t.conversations).where(eq(t.conversations.id, "c1")).for("update");
    }),
  );
  await time("pg: begin, select for update, commit", async () => {
    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query("select * from conversations where id = $1 for update", ["c1"]);
      await client.query("commit");
    } finally {
      client.release();
    }
  });
  console.log(`${N} queries each, after 300 warm-up\n\n| issued as | wall ms | CPU ms (this process) |\n|---|---|---|\n${rows.join("\n")}`);
} finally {
  await pool.query(`drop schema if exists "${schemaName}" cascade`);
  await database.close();
}
