/**
 * Hand-written SQL on the hottest path of a turn (storing a message, locking the conversation with
 * its pending messages, writing the answer), sent straight to the driver: on PostgreSQL as a named
 * statement (parsed and planned once per connection), on PGlite as a parameterised query. Nothing is
 * built per call, which drizzle's `sql` and query builder do (`npm run bench:db`).
 *
 * Rows come back as the driver gives them, keyed by column name; `decodeRow` turns a row (or a
 * `row_to_json` object) into the shape drizzle's select gives for a table.
 */
import { getTableColumns, type Table } from "drizzle-orm";
import { NodePgSession } from "drizzle-orm/node-postgres";
import type { Db, Tx } from "./client.js";
import { sessionOf } from "./hot-query.js";

type Handle = Db | Tx;

interface PgQueryable {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}
interface PgliteQueryable {
  query(text: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** Thrown by a `readOnly` handle on anything that may write. */
export class WriteRefused extends Error {
  constructor(what: string) {
    super(`this database handle is read-only: ${what} refused`);
  }
}

const READ_ONLY = Symbol("read-only handle");
const WRITES = new Set(["insert", "update", "delete", "execute", "transaction", "refreshMaterializedView"]);

/**
 * The database as code may use it when it must not write (a conversation turn answered without a
 * transaction): drizzle selects, prepared hot queries and raw statements marked `readOnly` pass;
 * inserts, updates, deletes, raw `execute`, transactions and other raw statements throw WriteRefused
 * before anything is sent.
 */
export function readOnly(db: Db): Db {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property === READ_ONLY) return true;
      if (typeof property === "string" && WRITES.has(property)) {
        return () => {
          throw new WriteRefused(property);
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/**
 * A statement with `$1…$n` parameters; the returned function runs it on any handle (the database,
 * or a transaction: then on the transaction's connection). Pass jsonb values as JSON text with a
 * `::jsonb` cast, so both drivers send them alike. `name` must be unique per statement. Only
 * statements marked `readOnly` run on a `readOnly` handle.
 */
export function rawQuery<R = Record<string, unknown>>(name: string, text: string, options: { readOnly?: boolean } = {}) {
  return async (handle: Handle, params: unknown[]): Promise<R[]> => {
    if (!options.readOnly && (handle as unknown as Record<symbol, unknown>)[READ_ONLY]) throw new WriteRefused(`statement ${name}`);
    const session = sessionOf(handle);
    const client = session.client;
    const result =
      (session as unknown) instanceof NodePgSession
        ? await (client as PgQueryable).query({ name, text, values: params })
        : await (client as PgliteQueryable).query(text, params);
    return result.rows as R[];
  };
}

/**
 * A row keyed by column names (a driver row, or an object from `row_to_json`) in the shape drizzle
 * selects: property names, timestamps as Dates (JSON carries them as strings) and bigints in number
 * mode as numbers (pg gives them as strings).
 */
export function decodeRow<T extends Table>(table: T, row: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = row[column.name] ?? null;
    if (value === null) out[key] = null;
    else if (column.dataType === "date" && !(value instanceof Date)) out[key] = new Date(value as string);
    else if (column.dataType === "number" && typeof value === "string") out[key] = Number(value);
    else out[key] = value;
  }
  return out as T["$inferSelect"];
}
