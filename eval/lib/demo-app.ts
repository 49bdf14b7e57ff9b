/**
 * The service in-process over a seeded demo shop, with the committed models and knowledge: what the
 * dialogue eval, the dialogue benchmark and the chat CLI run against. The clock is pinned to DEMO_NOW.
 */
import { steppingClock } from "../../src/context.js";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database, type DatabaseOptions } from "../../src/db/client.js";
import { createApp, type App } from "../../src/http/app.js";
import { buildLanguageServices, type LanguageServices } from "../../src/services.js";
import type { Logger } from "../../src/shared/logger.js";
import { DEMO_NOW } from "../../src/shop/demo/generate.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { openRouting, type RoutingCore } from "../../src/routing/index.js";
import { learningEmbedder, suggestFor } from "../../src/learning/index.js";

export interface DemoApp {
  database: Database;
  language: LanguageServices;
  core: RoutingCore;
  app: App;
  close(): Promise<void>;
}

/** Each clock read moves time on by this much: a scripted turn takes about ten seconds. */
const CLOCK_STEP_MS = 5_000;

export async function openDemoApp(options: { database?: DatabaseOptions; log: Logger; identitySecret: string; name: string }): Promise<DemoApp> {
  const database = await openDatabase(options.database ?? { kind: "pglite", dataDir: null });
  try {
    await database.migrate();
    await seedDemoShop(database.db);
    const clock = steppingClock(DEMO_NOW, CLOCK_STEP_MS);
    const language = await buildLanguageServices({
      db: database.db,
      log: options.log,
      clock,
      modelsDir: "models",
      knowledgeDir: "knowledge",
      dataDir: await mkdtemp(join(tmpdir(), `kefu-${options.name}-`)),
      modelWatchMs: 0,
    });
    const core = await openRouting({ database, log: options.log, clock, knowledgeDir: "knowledge", config: { tickMs: 0 } });
    const app = createApp({
      database,
      log: options.log,
      clock,
      adminKey: `${options.name}-admin-key`,
      identitySecret: options.identitySecret,
      tfBackend: "n/a",
      version: options.name,
      nlu: language.nlu,
      knowledge: language.knowledge,
      dialogue: language.dialogue,
      routing: core.routing,
      hub: core.hub,
      canned: core.canned,
      agentSessionHours: 12,
      learning: { embed: learningEmbedder(language), suggest: suggestFor(language, clock), knowledge: language.knowledge, intents: language.nlu.intents() },
    });
    return {
      database,
      language,
      core,
      app,
      async close() {
        await core.close();
        language.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
