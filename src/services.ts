/**
 * The language services every entry point needs, built in order over one database: the NLU (from
 * the catalogue, the knowledge words and the trained model), the knowledge base (files loaded into
 * the database) and the dialogue engine over both. Used by the server, the tests, evals and benches.
 */
import { join } from "node:path";
import type { Clock } from "./context.js";
import type { Db } from "./db/client.js";
import { DialogueEngine } from "./dialogue/engine.js";
import { DEFAULT_ESCALATION_POLICY } from "./dialogue/escalation.js";
import type { Channel } from "./db/schema.js";
import { scenarios } from "./dialogue/scenarios/index.js";
import { loadKnowledgeEncoder } from "./kb/encoder.js";
import type { KnowledgeEncoder } from "./kb/retriever.js";
import { openKnowledgeBase, type KnowledgeBase } from "./kb/service.js";
import type { KnowledgeThresholds } from "./kb/retriever.js";
import { readKnowledgeWords } from "./nlp/lexicon.js";
import { createNluService, type NluService } from "./nlp/service.js";
import type { Logger } from "./shared/logger.js";
import type { ServiceMode } from "./shared/service-modes.js";

export interface LanguageServices {
  nlu: NluService;
  knowledge: KnowledgeBase;
  /** The knowledge base's sentence vectors (also used to cluster unanswered questions), or null without a trained encoder. */
  encoder: KnowledgeEncoder | null;
  dialogue: DialogueEngine;
  close(): void;
}

export interface LanguageOptions {
  db: Db;
  log: Logger;
  clock: Clock;
  modelsDir: string;
  knowledgeDir: string;
  /** Where the generated segmentation dictionary is written. */
  dataDir: string;
  modelWatchMs: number;
  kbThresholds?: KnowledgeThresholds;
  /** Emotion intensities and repeats for handing over unasked (defaults otherwise). */
  escalation?: { anger: number; anxiety: number; repeats: number };
  /** How each channel is served (robot_first where not given); human_first channels hand VIPs over at once. */
  serviceModes?: Partial<Record<Channel, ServiceMode>>;
}

export async function buildLanguageServices(options: LanguageOptions): Promise<LanguageServices> {
  const nlu = await createNluService({
    db: options.db,
    modelsDir: options.modelsDir,
    knowledgeDir: options.knowledgeDir,
    dataDir: options.dataDir,
    log: options.log,
    watchMs: options.modelWatchMs,
    emotionThresholds: options.escalation ? { anger: options.escalation.anger, anxiety: options.escalation.anxiety } : undefined,
  });
  try {
    const encoder = await loadKnowledgeEncoder(options.modelsDir);
    const { kb: knowledge } = await openKnowledgeBase(
      { actor: { kind: "system" }, db: options.db, log: options.log, clock: options.clock },
      {
        faqDir: join(options.knowledgeDir, "faq"),
        analyzer: nlu.pipeline.analyzer,
        synonyms: (await readKnowledgeWords(options.knowledgeDir)).synonyms,
        thresholds: options.kbThresholds,
        encoder,
      },
    );
    const modes = options.serviceModes ?? {};
    const policy = {
      ...DEFAULT_ESCALATION_POLICY,
      ...(options.escalation ? { repeats: options.escalation.repeats } : {}),
      humanFirstChannels: (Object.keys(modes) as Channel[]).filter((c) => modes[c] === "human_first"),
    };
    return { nlu, knowledge, encoder, dialogue: new DialogueEngine(scenarios, knowledge, policy, modes), close: () => nlu.close() };
  } catch (err) {
    nlu.close();
    throw err;
  }
}
