/**
 * The routing core as a process runs it: the rules and setup from the shop's files and the config,
 * the event hub listening on the database, and the ticker that applies what time decides.
 */
import type { Clock, ServiceContext } from "../context.js";
import type { Database } from "../db/client.js";
import type { Channel } from "../db/schema.js";
import type { Logger } from "../shared/logger.js";
import type { ServiceMode } from "../shared/service-modes.js";
import { readCannedReplies, readRoutingSetup, type CannedReply } from "./config.js";
import { randomBytes } from "node:crypto";
import type { KnowledgeBase } from "../kb/service.js";
import { EventHub, publish } from "./events.js";
import { RULES, type RuleName } from "./rules.js";
import { Routing } from "./service.js";

export interface RoutingConfig {
  order: readonly RuleName[];
  returningDays: number;
  acceptTimeoutSeconds: number;
  presenceSeconds: number;
  /** 0: no ticker (tests call `routing.tick` themselves). */
  tickMs: number;
}

export const DEFAULT_ROUTING_CONFIG: RoutingConfig = { order: RULES, returningDays: 7, acceptTimeoutSeconds: 30, presenceSeconds: 120, tickMs: 1_000 };

export interface RoutingCore {
  routing: Routing;
  hub: EventHub;
  canned: CannedReply[];
  close(): Promise<void>;
}

export async function openRouting(options: {
  database: Pick<Database, "db" | "notifyChannel" | "listen">;
  log: Logger;
  clock: Clock;
  knowledgeDir: string;
  config?: Partial<RoutingConfig>;
  serviceModes?: Partial<Record<Channel, ServiceMode>>;
  /** Kept in step with the other processes: an edit in one is reloaded in all. */
  knowledge?: Pick<KnowledgeBase, "announceChanges" | "reload">;
}): Promise<RoutingCore> {
  const config = { ...DEFAULT_ROUTING_CONFIG, ...options.config };
  const setup = await readRoutingSetup(options.knowledgeDir);
  const canned = await readCannedReplies(options.knowledgeDir);
  const routing = new Routing({
    rules: { ...setup.rules, order: config.order, returningDays: config.returningDays },
    setup,
    channel: options.database.notifyChannel,
    acceptTimeoutSeconds: config.acceptTimeoutSeconds,
    presenceSeconds: config.presenceSeconds,
    serviceModes: { web: "robot_first", app: "robot_first", wechat: "robot_first", api: "robot_first", ...options.serviceModes },
  });
  const hub = new EventHub(options.database.db, options.database, options.log);
  await hub.start();
  const ctx: ServiceContext = { actor: { kind: "system" }, db: options.database.db, log: options.log, clock: options.clock };
  const knowledge = options.knowledge;
  if (knowledge) {
    const origin = `${process.pid}-${randomBytes(4).toString("hex")}`;
    knowledge.announceChanges((c) => publish(c.db, options.database.notifyChannel, [{ type: "knowledge_changed", data: { origin } }], c.clock.now()));
    hub.onBroadcast((e) => {
      if (e.type !== "knowledge_changed" || e.data.origin === origin) return;
      void knowledge.reload(ctx).catch((err: unknown) => options.log.warn({ err }, "reloading the knowledge base after another process's edit failed"));
    });
  }
  let running = false;
  let failing = false;
  const timer =
    config.tickMs > 0
      ? setInterval(() => {
          if (running) return;
          running = true;
          routing
            .tick(ctx)
            .then(() => {
              if (failing) options.log.info("routing tick works again");
              failing = false;
            })
            .catch((err: unknown) => {
              // Once per outage, not once a second.
              if (!failing) options.log.warn({ err }, "routing tick failed (will retry)");
              failing = true;
            })
            .finally(() => {
              running = false;
            });
        }, config.tickMs)
      : null;
  timer?.unref();
  return {
    routing,
    hub,
    canned,
    async close() {
      if (timer) clearInterval(timer);
      // Let a tick in progress finish before the database goes away.
      for (let i = 0; running && i < 100; i++) await new Promise((r) => setTimeout(r, 20));
      await hub.close();
    },
  };
}
