/**
 * npm run eval:dialogue -- [--dir eval/conversations] [--filter TEXT] [--verbose]
 *
 * Plays every conversation story against the real NLU model and dialogue engine over a freshly
 * re-seeded embedded demo shop, and prints the pass rate per scenario and each failure.
 * Exits 1 when a story fails.
 */
import { parseArgs } from "node:util";
import { initTensorFlow } from "../src/ml/tf.js";
import { createLogger } from "../src/shared/logger.js";
import { seedDemoShop } from "../src/shop/demo/seed.js";
import { openDemoApp } from "./lib/demo-app.js";
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
const { database, app, close } = await openDemoApp({ log, identitySecret: IDENTITY_SECRET, name: "eval" });

const results: StoryResult[] = [];
const started = performance.now();
for (const story of stories) {
  await seedDemoShop(database.db, { reset: true });
  const result = await runStory(app, database, story, IDENTITY_SECRET);
  results.push(result);
  if (values.verbose || !result.ok) console.log(`${result.ok ? "PASS" : "FAIL"}  ${story.scenario}: ${story.name}`);
  for (const f of result.failures) console.log(`      ${f}`);
}
await close();

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
