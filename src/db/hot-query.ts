/**
 * Queries on the hot path of a conversation turn, built by drizzle once instead of on every call.
 * Building a select costs this process more CPU than its round trip (`npm run bench:db`: about 0.42 ms
 * through the query builder against 0.12 ms for a prepared query), and on PostgreSQL a named
 * statement is parsed and planned once per connection instead of once per call.
 *
 * drizzle binds a prepared query to the handle it was built on. A turn runs inside a transaction,
 * a new handle each time, so the statement is built once per driver and run on the handle's own
 * connection (the pool, the pooled client of a transaction, or PGlite's transaction).
 * This leans on drizzle's internals (`_.session.client` and the prepared query's `client`); the
 * tests run every hot query on both drivers, in and out of transactions.
 */
import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client.js";

type Handle = Db | Tx;
type Values = Record<string, unknown>;

interface Prepared<R> {
  client: unknown;
  execute(values?: Values): Promise<R>;
}

interface Session {
  client: unknown;
}

/** The drizzle session under a handle, whose `client` is the driver's connection (or pool). */
export function sessionOf(handle: Handle): Session {
  const session = (handle as unknown as { _?: { session?: Session } })._?.session;
  if (!session || !("client" in session)) throw new Error("this drizzle handle has no session client (drizzle internals changed?)");
  return session;
}

/** A named input of a hot query, typed as the value it stands for so drizzle's operators accept it. */
export const placeholder = <T>(name: string) => sql.placeholder(name) as unknown as T;

/**
 * `build` makes the query with `sql.placeholder(...)` for its inputs; the returned function runs it
 * on any handle with the placeholders' values. `name` must be unique per query (it names the
 * PostgreSQL statement).
 */
export function hotQuery<R>(name: string, build: (handle: Handle) => { prepare(name: string): { execute(values?: Values): Promise<R> } }) {
  // One built query per driver: PGlite and node-postgres prepare different objects.
  const built = new Map<unknown, Prepared<R>>();
  return (handle: Handle, values: Values = {}): Promise<R> => {
    const session = sessionOf(handle);
    let prepared = built.get(session.constructor);
    if (!prepared) {
      prepared = build(handle).prepare(name) as unknown as Prepared<R>;
      if (!("client" in prepared)) throw new Error("hot-query: a prepared query has no client (drizzle internals changed?)");
      built.set(session.constructor, prepared);
    }
    const onHandle = Object.create(prepared) as Prepared<R>;
    onHandle.client = session.client;
    return onHandle.execute(values);
  };
}
