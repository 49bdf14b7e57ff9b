/** Builds the HTTP app over a test database, with a silent logger and a fixed clock. */
import { mkdtemp } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DialogueEngine } from "../../src/dialogue/engine.js";
import { scenarios } from "../../src/dialogue/scenarios/index.js";
import { createApp } from "../../src/http/app.js";
import type { Database } from "../../src/db/client.js";
import { createNluService, type NluService } from "../../src/nlp/service.js";
import { createLogger } from "../../src/shared/logger.js";
import { DEMO_NOW } from "../../src/shop/demo/generate.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import type { TestDriver } from "./db.js";

export const TEST_ADMIN_KEY = "test-admin-key-0123456789";
export const TEST_IDENTITY_SECRET = "test-identity-secret-0123456789";

const silent = createLogger("silent");

/** The NLU over this database's catalogue, the repository's knowledge terms and committed model. */
export async function buildTestNlu(database: Database): Promise<NluService> {
  return createNluService({
    db: database.db,
    modelsDir: "models",
    knowledgeDir: "knowledge",
    dataDir: await mkdtemp(join(tmpdir(), "kefu-nlu-")),
    log: silent,
    watchMs: 0,
  });
}

export async function buildTestApp(database: Database, nlu?: NluService, dialogue = new DialogueEngine(scenarios)) {
  return createApp({
    database,
    log: silent,
    clock: { now: () => DEMO_NOW },
    adminKey: TEST_ADMIN_KEY,
    identitySecret: TEST_IDENTITY_SECRET,
    tfBackend: "cpu",
    version: "test",
    nlu: nlu ?? (await buildTestNlu(database)),
    dialogue,
  });
}

export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_KEY}` };

/**
 * Registers beforeAll/afterAll hooks that open a fresh database on `driver`, optionally load the
 * demo shop, and build the app over it; read `.app` and `.database` inside tests.
 */
export function useTestApp(driver: TestDriver, options: { seed?: boolean } = { seed: true }) {
  const state = {} as { database: Database; app: Awaited<ReturnType<typeof buildTestApp>> };
  beforeAll(async () => {
    state.database = await driver.open();
    if (options.seed) await seedDemoShop(state.database.db);
    state.app = await buildTestApp(state.database);
  });
  afterAll(async () => {
    await state.database?.close();
  });
  return state;
}
