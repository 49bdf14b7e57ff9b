/**
 * `npm run cluster`: clusters the unanswered questions not reviewed yet in the configured database,
 * now, with a progress bar, and lists the largest clusters. The same run as the admin API's and the
 * schedule's (it goes through the job queue, so it never runs beside another).
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../config/env.js";
import { systemClock } from "../context.js";
import { openDatabase } from "../db/client.js";
import { learningEmbedder, suggestFor } from "../learning/index.js";
import { listClusters, requestClusterRun, runNextClusterJob } from "../learning/service.js";
import { initTensorFlow } from "../ml/tf.js";
import { buildLanguageServices } from "../services.js";
import { createLogger } from "../shared/logger.js";

const config = loadConfig(process.env);
const log = createLogger("warn");
const database = await openDatabase(config.database);
try {
  await database.migrate();
  await initTensorFlow(config.tfBackend, log);
  const language = await buildLanguageServices({
    db: database.db,
    log,
    clock: systemClock,
    modelsDir: config.modelsDir,
    knowledgeDir: config.knowledgeDir,
    dataDir: await mkdtemp(join(tmpdir(), "kefu-cluster-")),
    modelWatchMs: 0,
    kbThresholds: config.kbThresholds,
  });
  const ctx = { actor: { kind: "system" as const }, db: database.db, log, clock: systemClock };
  const deps = { embed: learningEmbedder(language), suggest: suggestFor(language, systemClock), knowledge: language.knowledge, intents: language.nlu.intents() };
  const queued = await requestClusterRun(ctx, "cli", "cli");
  let shown = "";
  const run = await runNextClusterJob(ctx, deps, (p) => {
    const width = 24;
    const done = p.total ? Math.round((p.done / p.total) * width) : width;
    const line = `${p.stage.padEnd(10)} [${"#".repeat(done)}${".".repeat(width - done)}] ${p.done}/${p.total}`;
    if (line === shown) return;
    shown = line;
    if (process.stdout.isTTY) process.stdout.write(`\r${line}`);
  });
  if (process.stdout.isTTY) process.stdout.write("\n");
  if (!run) console.log(`run ${queued.id} is queued behind a run in progress; it will be taken by a server's job worker`);
  else if (run.status === "failed") {
    console.error(`clustering failed: ${run.error}`);
    process.exitCode = 1;
  } else {
    console.log(`run ${run.id}: ${run.questions} questions → ${run.clusters} clusters, ${run.singletons} singletons, ${run.seconds} s`);
    const top = await listClusters(ctx, { status: "open", sort: "size", page: 1, pageSize: 15 });
    for (const c of top.items) {
      const hint = c.suggestion ? `  → ${c.suggestion.kind} ${c.suggestion.id} (${c.suggestion.score.toFixed(2)})` : "";
      console.log(`#${c.id}  ${String(c.messages).padStart(5)} msgs  ${String(c.size).padStart(4)} texts  ${c.label}  「${c.representative}」${hint}`);
    }
  }
  language.close();
} catch (err) {
  console.error(`cluster failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
