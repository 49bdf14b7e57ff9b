/**
 * The NLU as the rest of the service sees it: built once at start-up from the shop's catalogue,
 * the knowledge terms and the trained model; rebuilt when the catalogue or the model changes.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../db/client.js";
import type { Logger } from "../shared/logger.js";
import { TextAnalyzer } from "./analyzer.js";
import { loadEmotionDetector, type EmotionThresholds } from "./emotion/detector.js";
import { EMPTY_LEXICON, readEmotionLexicon } from "./emotion/lexicon.js";
import { IntentModelStore } from "./intent/store.js";
import { loadShopLexicon, readKnowledgeWords } from "./lexicon.js";
import { NluPipeline } from "./pipeline.js";
import { dictionaryWords } from "./segment.js";

export interface NluOptions {
  db: Db;
  modelsDir: string;
  knowledgeDir: string;
  dataDir: string;
  log: Logger;
  watchMs: number;
  emotionThresholds?: EmotionThresholds;
}

export interface NluService {
  pipeline: NluPipeline;
  /** The intent labels of the model in service. */
  intents(): readonly string[];
  /**
   * The serving intent model: its date and cross-validated figures, and the per-intent report with
   * the largest confusions from its training run (evaluation.json), or null when that file is missing.
   */
  evaluation(): Promise<{ model: { createdAt: string; metrics: Record<string, number> }; report: Record<string, unknown> | null }>;
  /** Re-reads products and knowledge terms (regenerating the user dictionary) and the model from disk. */
  reload(): Promise<{ dictionaryWords: number; model: { reloaded: boolean; createdAt: string; error?: string } }>;
  close(): void;
}

export async function createNluService(options: NluOptions): Promise<NluService> {
  const dictPath = join(options.dataDir, "nlp", "userdict.txt");
  const readLexicon = async () =>
    loadShopLexicon(options.db, await readKnowledgeWords(options.knowledgeDir));
  let lexicon = await readLexicon();
  const analyzer = await TextAnalyzer.create(lexicon, dictPath);
  const intents = await IntentModelStore.open(join(options.modelsDir, "intent"), options.log);
  if (options.watchMs > 0) intents.watch(options.watchMs);
  // A broken lexicon file must not take the service down: it is reported, and the model runs without it.
  const emotionLexicon = await readEmotionLexicon(options.knowledgeDir).catch((err: Error) => {
    options.log.error({ err }, "emotion lexicon not loaded; fix the file and restart");
    return EMPTY_LEXICON;
  });
  const emotions = await loadEmotionDetector(options.modelsDir, emotionLexicon, options.emotionThresholds);
  if (!emotions) options.log.warn("no emotion model in models/emotion: messages are not checked for anger or anxiety (npm run train:emotion)");
  const pipeline = new NluPipeline(analyzer, intents, emotions);
  options.log.info(
    { products: lexicon.products.length, terms: lexicon.terms.length, intents: intents.model.labels.length, model: intents.model.manifest.createdAt },
    "NLU ready",
  );
  return {
    pipeline,
    intents: () => intents.model.labels,
    async evaluation() {
      const manifest = intents.model.manifest as { createdAt: string; metrics?: Record<string, number> };
      const text = await readFile(join(options.modelsDir, "intent", "evaluation.json"), "utf8").catch(() => null);
      return { model: { createdAt: manifest.createdAt, metrics: manifest.metrics ?? {} }, report: text ? (JSON.parse(text) as Record<string, unknown>) : null };
    },
    async reload() {
      lexicon = await readLexicon();
      await analyzer.updateLexicon(lexicon, dictPath);
      const model = await intents.reload();
      return { dictionaryWords: dictionaryWords(lexicon).length, model };
    },
    close: () => intents.close(),
  };
}
