/** Builds the HTTP app over a test database, with a silent logger and a fixed clock. */
import { steppingClock } from "../../src/context.js";
import { mkdtemp } from "node:fs/promises";
import { afterAll, beforeAll } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DialogueEngine } from "../../src/dialogue/engine.js";
import { createApp, type AppDeps } from "../../src/http/app.js";
import { buildLanguageServices, type LanguageServices } from "../../src/services.js";
import type { Database } from "../../src/db/client.js";
import type { NluService } from "../../src/nlp/service.js";
import { createLogger } from "../../src/shared/logger.js";
import { DEMO_NOW } from "../../src/shop/demo/generate.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import type { TestDriver } from "./db.js";
import type { Clock } from "../../src/context.js";
import type { Channel } from "../../src/db/schema.js";
import { openRouting, type RoutingConfig, type RoutingCore } from "../../src/routing/index.js";
import type { ServiceMode } from "../../src/shared/service-modes.js";
import { learningEmbedder, suggestFor } from "../../src/learning/index.js";
import type { LearningDeps } from "../../src/learning/service.js";

export const TEST_ADMIN_KEY = "test-admin-key-0123456789";
export const TEST_IDENTITY_SECRET = "test-identity-secret-0123456789";

const silent = createLogger("silent");

/** The demo shop's "now", moving 5 s per read so scripted turns are about ten seconds apart. */
const testClock = () => steppingClock(DEMO_NOW, 5_000);

/** NLU, knowledge base and dialogue over this database, the repository's knowledge and committed model. */
export async function buildTestLanguage(database: Database, serviceModes?: Partial<Record<Channel, ServiceMode>>): Promise<LanguageServices> {
  return buildLanguageServices({
    serviceModes,
    db: database.db,
    log: silent,
    clock: testClock(),
    modelsDir: "models",
    knowledgeDir: "knowledge",
    dataDir: await mkdtemp(join(tmpdir(), "kefu-nlu-")),
    modelWatchMs: 0,
  });
}

/** The NLU alone (for NLU tests). */
export async function buildTestNlu(database: Database): Promise<NluService> {
  return (await buildTestLanguage(database)).nlu;
}

/** The routing core over a test database: no ticker (tests call `routing.tick`), a 30 s accept timeout. */
export async function buildTestRouting(
  database: Database,
  config: Partial<RoutingConfig> = {},
  serviceModes?: Partial<Record<Channel, ServiceMode>>,
  knowledge?: LanguageServices["knowledge"],
): Promise<RoutingCore> {
  return openRouting({ database, log: silent, clock: testClock(), knowledgeDir: "knowledge", config: { tickMs: 0, ...config }, serviceModes, knowledge });
}

/**
 * The app over a database. `language` may be shared between apps over databases with the same
 * catalogue; `dialogue` replaces the engine (to test failures); `core` the routing core.
 */
export async function buildTestApp(
  database: Database,
  language?: LanguageServices,
  dialogue?: DialogueEngine,
  core?: RoutingCore,
  clock: Clock = testClock(),
  extra: Pick<AppDeps, "limits" | "web" | "corsOrigins"> = {},
) {
  const services = language ?? (await buildTestLanguage(database));
  const routing = core ?? (await buildTestRouting(database));
  return createApp({
    database,
    log: silent,
    clock,
    adminKey: TEST_ADMIN_KEY,
    identitySecret: TEST_IDENTITY_SECRET,
    tfBackend: "cpu",
    version: "test",
    nlu: services.nlu,
    knowledge: services.knowledge,
    dialogue: dialogue ?? services.dialogue,
    routing: routing.routing,
    hub: routing.hub,
    canned: routing.canned,
    agentSessionHours: 12,
    learning: testLearningDeps(services),
    ...extra,
  });
}

/** The learning loop's dependencies over the test language services (no ticker; tests run jobs themselves). */
export function testLearningDeps(language: LanguageServices): LearningDeps {
  return { embed: learningEmbedder(language), suggest: suggestFor(language, testClock()), knowledge: language.knowledge, intents: language.nlu.intents() };
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
