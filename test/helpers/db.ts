/**
 * Test databases: every test file gets its own fresh database. Embedded PGlite (in memory) always;
 * real PostgreSQL too when TEST_DATABASE_URL is set, in a schema of its own that is dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../src/db/client.js";

export interface TestDriver {
  name: "pglite" | "postgres";
  /** Opens a fresh, migrated, empty database. */
  open(): Promise<Database>;
}

/**
 * Closing a test database also stops the listeners opened on it (the routing core's event hub),
 * so a test file that forgets the hub does not leave a LISTEN connection behind.
 */
function stoppingListeners(database: Database, close: () => Promise<void>): Database {
  const stops: (() => Promise<void>)[] = [];
  return {
    ...database,
    async listen(onMessage) {
      const stop = await database.listen(onMessage);
      stops.push(stop);
      return stop;
    },
    async close() {
      for (const stop of stops.splice(0)) await stop().catch(() => {});
      await close();
    },
  };
}

const pgliteDriver: TestDriver = {
  name: "pglite",
  async open() {
    const database = await openDatabase({ kind: "pglite", dataDir: null });
    await database.migrate();
    return stoppingListeners(database, () => database.close());
  },
};

/** A fresh schema name, unique per call, so parallel runs and files never collide. */
export function uniqueSchema(): string {
  return `kefu_t_${process.pid}_${randomBytes(4).toString("hex")}`;
}

function postgresDriver(url: string): TestDriver {
  return {
    name: "postgres",
    async open() {
      const schema = uniqueSchema();
      const database = await openDatabase({ kind: "postgres", url, schema, poolMax: 4 });
      await database.migrate();
      return stoppingListeners(database, async () => {
        await database.close();
        await dropSchema(url, schema);
      });
    },
  };
}

export async function dropSchema(url: string, schema: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** The drivers the database suite runs against in this environment. */
export const testDrivers: TestDriver[] = [pgliteDriver, ...(TEST_DATABASE_URL ? [postgresDriver(TEST_DATABASE_URL)] : [])];
