/**
 * The learning loop as a process runs it: the sentence vectors and suggestions from the language
 * services, and a ticker that queues scheduled clustering runs and works the queued runs and
 * retrains (one at a time across all processes; the claims are single statements).
 */
import type { Clock, ServiceContext } from "../context.js";
import type { Db } from "../db/client.js";
import type { LanguageServices } from "../services.js";
import type { Logger } from "../shared/logger.js";
import { knowledgeEmbedder, type Embedder, type Suggest } from "./cluster.js";
import { childProcessRetrainer, runNextRetrain, type Retrainer } from "./retrain.js";
import { runNextClusterJob, scheduleClusterRun, type LearningDeps } from "./service.js";

export interface LearningConfig {
  /** Queue a clustering run this often (minutes); 0: only on request. */
  clusterEveryMinutes: number;
  /** How often this process looks for queued work (ms); 0: never (tests run jobs themselves). */
  tickMs: number;
}

export interface LearningCore {
  deps: LearningDeps;
  retrainer: Retrainer;
  close(): Promise<void>;
}

/** Intents that are not a shop question: a cluster that reads like them is suggested a knowledge entry instead. */
const NOT_A_SUGGESTION = new Set(["out_of_scope", "chitchat", "greeting", "farewell"]);

/**
 * The nearest existing answer for a cluster: a knowledge entry when one is close enough to be offered
 * to shoppers, else the intent the model reads with some confidence, else the nearest entry anyway.
 */
export function suggestFor(language: Pick<LanguageServices, "knowledge" | "nlu">, clock: Clock): Suggest {
  return (text) => {
    const now = clock.now();
    const hit = language.knowledge.search(text, now, 1)[0];
    if (hit && hit.score >= language.knowledge.thresholds.suggest) return { kind: "knowledge", id: hit.id, score: hit.score };
    const { intent } = language.nlu.pipeline.parse(text, now);
    if (!NOT_A_SUGGESTION.has(intent.name) && intent.confidence >= 0.5) return { kind: "intent", id: intent.name, score: intent.confidence };
    return hit ? { kind: "knowledge", id: hit.id, score: hit.score } : null;
  };
}

/** The embedder clustering uses: the knowledge encoder over the NLU's analysis. */
export function learningEmbedder(language: Pick<LanguageServices, "encoder" | "nlu">): Embedder {
  if (!language.encoder) throw new Error("clustering needs the knowledge encoder (models/kb-encoder); run npm run train:kb");
  return knowledgeEmbedder(language.nlu.pipeline.analyzer, language.encoder);
}

export function openLearning(options: {
  db: Db;
  log: Logger;
  clock: Clock;
  language: LanguageServices;
  modelsDir: string;
  trainingDir: string;
  config: LearningConfig;
  retrainer?: Retrainer;
}): LearningCore {
  const deps: LearningDeps = {
    embed: learningEmbedder(options.language),
    suggest: suggestFor(options.language, options.clock),
    knowledge: options.language.knowledge,
    intents: options.language.nlu.intents(),
  };
  const retrainer = options.retrainer ?? childProcessRetrainer({ trainingDir: options.trainingDir, modelsDir: options.modelsDir });
  const ctx: ServiceContext = { actor: { kind: "system" }, db: options.db, log: options.log, clock: options.clock };
  let running: Promise<unknown> | null = null;
  const tick = async () => {
    if (options.config.clusterEveryMinutes > 0) await scheduleClusterRun(ctx, options.config.clusterEveryMinutes);
    await runNextClusterJob(ctx, deps);
    await runNextRetrain(ctx, retrainer);
  };
  const timer =
    options.config.tickMs > 0
      ? setInterval(() => {
          running ??= tick()
            .catch((err: unknown) => options.log.warn({ err }, "learning tick failed (will retry)"))
            .finally(() => (running = null));
        }, options.config.tickMs)
      : null;
  timer?.unref();
  return {
    deps,
    retrainer,
    async close() {
      if (timer) clearInterval(timer);
      // A clustering run finishes in seconds; a retrain takes minutes in its own process and is
      // marked failed by the next process that finds it stale, so shutdown does not wait for it.
      await Promise.race([running, new Promise((r) => setTimeout(r, 5_000).unref())]);
    },
  };
}
