/**
 * The composition root: builds every dependency once from the config, starts the HTTP
 * server, and shuts everything down in order.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { Config } from "./config/env.js";
import { systemClock } from "./context.js";
import { openDatabase, type Database } from "./db/client.js";
import { createApp } from "./http/app.js";
import { buildLanguageServices } from "./services.js";
import { initTensorFlow } from "./ml/tf.js";
import { openRouting } from "./routing/index.js";
import { openLearning } from "./learning/index.js";
import { buildWebAssets } from "./web/build.js";
import { answerStranded } from "./dialogue/conversations.js";
import type { Logger } from "./shared/logger.js";
import { isShopEmpty, seedDemoShop } from "./shop/demo/seed.js";

export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export interface RunningServer {
  url: string;
  database: Database;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const started = performance.now();
  // A broken bundle fails before the database opens.
  const webAssets = await buildWebAssets();
  const database = await openDatabase(config.database);
  try {
    await database.migrate();
    if (database.kind === "pglite" && config.seedOnEmpty && (await isShopEmpty(database.db))) {
      const counts = await seedDemoShop(database.db);
      log.info({ counts }, "empty embedded database: demo shop loaded");
    }
  } catch (err) {
    await database.close();
    throw err;
  }
  const tfBackend = await initTensorFlow(config.tfBackend, log);
  const language = await buildLanguageServices({
    db: database.db,
    log,
    clock: systemClock,
    modelsDir: config.modelsDir,
    knowledgeDir: config.knowledgeDir,
    dataDir: config.dataDir,
    modelWatchMs: config.modelWatchMs,
    kbThresholds: config.kbThresholds,
    escalation: config.escalation,
    serviceModes: config.serviceModes,
  }).catch(async (err: unknown) => {
    await database.close();
    throw err;
  });

  const core = await openRouting({
    database,
    log,
    clock: systemClock,
    knowledgeDir: config.knowledgeDir,
    config: config.routing,
    serviceModes: config.serviceModes,
    knowledge: language.knowledge,
  }).catch(async (err: unknown) => {
    language.close();
    await database.close();
    throw err;
  });

  const learning = openLearning({
    db: database.db,
    log,
    clock: systemClock,
    language,
    modelsDir: config.modelsDir,
    trainingDir: "training/intents",
    config: config.learning,
  });

  const app = createApp({
    database,
    log,
    clock: systemClock,
    adminKey: config.adminKey,
    identitySecret: config.identitySecret,
    tfBackend,
    version: VERSION,
    nlu: language.nlu,
    knowledge: language.knowledge,
    dialogue: language.dialogue,
    routing: core.routing,
    hub: core.hub,
    canned: core.canned,
    agentSessionHours: config.routing.sessionHours,
    learning: learning.deps,
    limits: config.limits,
    corsOrigins: config.corsOrigins,
    web: { assets: webAssets, demoEnabled: config.env !== "production" },
  });

  // Messages stored by a process that was killed before it answered them are answered here.
  const conversationDeps = { engine: language.dialogue, parse: (text: string, now: Date) => language.nlu.pipeline.parse(text, now), identitySecret: config.identitySecret, routing: core.routing };
  const systemCtx = { actor: { kind: "system" as const }, db: database.db, log, clock: systemClock };
  let recovering = false;
  const recovery = setInterval(() => {
    if (recovering) return;
    recovering = true;
    void answerStranded(systemCtx, conversationDeps, config.strandedAfterMs)
      .catch((err: unknown) => log.warn({ err }, "looking for stranded messages failed"))
      .finally(() => (recovering = false));
  }, Math.max(1_000, config.strandedAfterMs));
  recovery.unref();

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s as Server));
    s.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, db: database.kind, tfBackend, ms: Math.round(performance.now() - started) }, "kefu is listening");

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams never finish by themselves: end them so the server can close.
        core.hub.endStreams();
        server.closeIdleConnections();
      });
      clearTimeout(timer);
      clearInterval(recovery);
      await core.close();
      await learning.close();
      language.close();
      await database.close();
      log.info("kefu stopped");
    })());

  return { url, database, close };
}
