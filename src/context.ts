/**
 * The explicit context every service function takes: who is acting, the database
 * (or the transaction in progress), the logger and the clock.
 */
import type { Db } from "./db/client.js";
import type { Logger } from "./shared/logger.js";

export type Actor =
  | { kind: "system" }
  | { kind: "admin" }
  | { kind: "shopper"; customerId: string | null };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ServiceContext {
  actor: Actor;
  db: Db;
  log: Logger;
  clock: Clock;
}
