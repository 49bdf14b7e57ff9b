/**
 * Opens the database: embedded PGlite (default, persisted on disk or in memory)
 * or PostgreSQL through a pg pool, behind one drizzle type.
 */
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** The drizzle handle every service uses, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export type DatabaseOptions =
  | { kind: "pglite"; dataDir: string | null }
  | { kind: "postgres"; url: string; schema: string; poolMax: number };

export interface Database {
  kind: "pglite" | "postgres";
  db: Db;
  /** Applies pending migrations; safe to call from several processes at once on PostgreSQL. */
  migrate(): Promise<void>;
  /** Round-trips a trivial query; throws when the database is unreachable. */
  ping(): Promise<void>;
  /**
   * The NOTIFY channel of this database and schema: everything sent on it with `pg_notify` inside
   * a transaction reaches every listening process once the transaction commits.
   */
  readonly notifyChannel: string;
  /** Calls `onMessage` with every payload sent on `notifyChannel`; resolves to a stop function. */
  listen(onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Per schema, so test runs (one schema each) and shops sharing a server never hear each other. */
const channelFor = (schema: string) => `kefu_events_${schema}`.slice(0, 63);

const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));
/** Arbitrary constant key for the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 4_711_2026;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === "pglite" ? openPglite(options.dataDir) : openPostgres(options);
}

async function openPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const client = dataDir ? await PGlite.create({ dataDir }) : await PGlite.create();
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  let closed = false;
  return {
    kind: "pglite",
    db,
    async migrate() {
      await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping() {
      await client.query("select 1");
    },
    notifyChannel: channelFor("public"),
    async listen(onMessage) {
      const stop = await client.listen(channelFor("public"), onMessage);
      return async () => {
        if (!closed) await stop();
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}

async function openPostgres(options: { url: string; schema: string; poolMax: number }): Promise<Database> {
  const searchPath = options.schema === "public" ? "public" : `${options.schema},public`;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    connectionTimeoutMillis: 5_000,
    options: `-c search_path=${searchPath}`,
  });
  // An idle client that loses its server must not crash the process; the next query reports the error.
  pool.on("error", () => {});
  const db = drizzlePg({ client: pool, schema }) as unknown as Db;
  let closed = false;
  return {
    kind: "postgres",
    db,
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query(`create schema if not exists "${options.schema}"`);
        await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
          await migrateIntoSchema(drizzlePg({ client, schema }), options.schema);
        } finally {
          await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    notifyChannel: channelFor(options.schema),
    listen: (onMessage) => listenPostgres(options.url, channelFor(options.schema), onMessage),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/**
 * drizzle-kit writes foreign keys as "public"."table"; to run the same migrations in another
 * schema (one per test run, or one per shop) the qualifier is rewritten before they are applied.
 * The hashes that record applied migrations are computed from the files and stay the same.
 */
async function migrateIntoSchema(db: object, target: string) {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  if (target !== "public") {
    for (const m of migrations) m.sql = m.sql.map((statement) => statement.replaceAll('"public".', `"${target}".`));
  }
  // The same call drizzle's own node-postgres migrator makes.
  const internals = db as unknown as {
    dialect: { migrate(m: typeof migrations, session: unknown, config: { migrationsSchema: string }): Promise<void> };
    session: unknown;
  };
  await internals.dialect.migrate(migrations, internals.session, { migrationsSchema: target });
}

/**
 * LISTEN on a connection of its own, reconnecting (every second) when the server goes away, so a
 * PostgreSQL restart does not silence a process for good. Notifications sent while disconnected
 * are lost; the streams that rely on them also read the stored events on reconnect.
 */
async function listenPostgres(url: string, channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | null = null;
  const connect = async (first = false): Promise<void> => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    c.on("notification", (n) => {
      if (n.channel === channel && n.payload !== undefined) onMessage(n.payload);
    });
    const reconnect = () => {
      if (stopped || client !== c) return;
      client = null;
      void c.end().catch(() => {});
      retry = setTimeout(() => void connect().catch(() => {}), 1_000);
    };
    c.on("error", reconnect);
    c.on("end", reconnect);
    client = c;
    try {
      await c.connect();
      await c.query(`listen "${channel}"`);
    } catch (err) {
      // The first connection must work (the caller learns why not); later ones are retried.
      if (first) {
        stopped = true;
        await c.end().catch(() => {});
        throw err;
      }
      reconnect();
    }
  };
  await connect(true);
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}
