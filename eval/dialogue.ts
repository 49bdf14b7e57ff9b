/**
 * npm run eval:dialogue -- [--dir eval/conversations] [--filter TEXT] [--verbose]
 *
 * Plays every conversation story against the real NLU model and dialogue engine over a freshly
 * re-seeded embedded demo shop, and prints the pass rate per scenario and each failure.
 * Exits 1 when a story fails.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/db/client.js";
import { createApp } from "../src/http/app.js";
import { initTensorFlow } from "../src/ml/tf.js";
import { buildLanguageServices } from "../src/services.js";
import { createLogger } from "../src/shared/logger.js";
import { DEMO_NOW } from "../src/shop/demo/generate.js";
import { seedDemoShop } from "../src/shop/demo/seed.js";
import { loadStories, runStory, type StoryResult } from "./lib/stories.js";

const { values } = parseArgs({
  options: {
    dir: { type: "string", default: "eval/conversations" },
    filter: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

const IDENTITY_SECRET = "eval-identity-secret";
const log = createLogger("silent");
const stories = (await loadStories(values.dir)).filter((s) => !values.filter || `${s.scenario} ${s.name}`.includes(values.filter));
await initTensorFlow("auto", log);
const database = await openDatabase({ kind: "pglite", dataDir: null });
await database.migrate();
await seedDemoShop(database.db);
const language = await buildLanguageServices({ db: database.db, log, clock: { now: () => DEMO_NOW }, modelsDir: "models", knowledgeDir: "knowledge", dataDir: await mkdtemp(join(tmpdir(), "kefu-")), modelWatchMs: 0 });
const app = createApp({
  database,
  log,
  clock: { now: () => DEMO_NOW },
  adminKey: "eval-admin-key",
  identitySecret: IDENTITY_SECRET,
  tfBackend: "n/a",
  version: "eval",
  nlu: language.nlu,
  knowledge: language.knowledge,
  dialogue: language.dialogue,
});

const results: StoryResult[] = [];
const started = performance.now();
for (const story of stories) {
  await seedDemoShop(database.db, { reset: true });
  const result = await runStory(app, database, story, IDENTITY_SECRET);
  results.push(result);
  if (values.verbose || !result.ok) console.log(`${result.ok ? "PASS" : "FAIL"}  ${story.scenario}: ${story.name}`);
  for (const f of result.failures) console.log(`      ${f}`);
}
language.close();
await database.close();

const byScenario = new Map<string, { passed: number; total: number }>();
for (const r of results) {
  const row = byScenario.get(r.story.scenario) ?? { passed: 0, total: 0 };
  row.total += 1;
  row.passed += r.ok ? 1 : 0;
  byScenario.set(r.story.scenario, row);
}
console.log("\nscenario                 passed / stories");
for (const [name, row] of [...byScenario].sort()) console.log(`${name.padEnd(24)} ${String(row.passed).padStart(3)} / ${row.total}`);
const passed = results.filter((r) => r.ok).length;
console.log(
  `\n${passed} / ${results.length} stories passed (${((100 * passed) / Math.max(1, results.length)).toFixed(1)}%), ${byScenario.size} scenarios, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
process.exitCode = passed === results.length ? 0 : 1;
