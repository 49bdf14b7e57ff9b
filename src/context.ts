/**
 * The explicit context every service function takes: who is acting, the database
 * (or the transaction in progress), the logger and the clock.
 */
import type { Db } from "./db/client.js";
import type { Logger } from "./shared/logger.js";

export type Actor =
  | { kind: "system" }
  | { kind: "admin" }
  | { kind: "shopper"; customerId: string | null }
  | { kind: "agent"; agentId: string }
  | { kind: "maintainer"; agentId: string };

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock for tests, evals and demos: starts at `start` and moves `stepMs` on each time it is read,
 * so a scripted conversation takes time the way a real one does (a pinned clock would make every
 * scripted shopper look like one sending messages all in the same instant).
 */
export function steppingClock(start: Date, stepMs: number): Clock {
  let reads = 0;
  return { now: () => new Date(start.getTime() + stepMs * reads++) };
}

export interface ServiceContext {
  actor: Actor;
  db: Db;
  log: Logger;
  clock: Clock;
}
