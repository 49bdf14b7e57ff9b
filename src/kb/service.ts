/**
 * The knowledge base as the rest of the service sees it: the files loaded into the database at
 * start-up, a retriever over the live entries, and `refresh()` after an admin edit. A refresh
 * re-analyses and re-embeds only questions it has not seen (terms and vectors are cached per text),
 * so one edit does not re-process the whole base.
 */
import type { ServiceContext } from "../context.js";
import type { TextAnalyzer } from "../nlp/analyzer.js";
import { loadKnowledgeDir, type KnowledgeEntry, type KnowledgeProblem } from "./entries.js";
import { DEFAULT_THRESHOLDS, KnowledgeRetriever, type KnowledgeEncoder, type KnowledgeHit, type KnowledgeThresholds, type Retrieval } from "./retriever.js";
import { activeEntries, syncKnowledgeFiles } from "./store.js";

export interface KnowledgeBase {
  retrieve(text: string, now: Date): Retrieval;
  search(text: string, now: Date, limit?: number): KnowledgeHit[];
  entry(id: string): KnowledgeEntry | undefined;
  /** Rebuilds the retriever from the database (after an edit). */
  refresh(ctx: ServiceContext): Promise<{ entries: number; ms: number }>;
  readonly size: number;
  readonly thresholds: KnowledgeThresholds;
}

export interface KnowledgeOptions {
  faqDir: string;
  analyzer: TextAnalyzer;
  synonyms: string[][];
  thresholds?: KnowledgeThresholds;
  /** The trained question encoder; without one, retrieval is lexical only. */
  encoder?: KnowledgeEncoder | null;
}

/** Loads the files into the database, reports their problems, and builds the retriever. */
export async function openKnowledgeBase(ctx: ServiceContext, options: KnowledgeOptions): Promise<{ kb: KnowledgeBase; problems: KnowledgeProblem[] }> {
  const load = await loadKnowledgeDir(options.faqDir);
  for (const p of load.problems) ctx.log.warn({ file: p.file, line: p.line }, `knowledge file problem: ${p.message}`);
  const synced = await syncKnowledgeFiles(ctx, load);
  const kb = new LiveKnowledgeBase(options);
  const built = await kb.refresh(ctx);
  ctx.log.info({ ...synced, live: built.entries, problems: load.problems.length, dense: !!options.encoder, ms: built.ms }, "knowledge base ready");
  return { kb, problems: load.problems };
}

class LiveKnowledgeBase implements KnowledgeBase {
  private retriever: KnowledgeRetriever;
  private readonly termCache = new Map<string, string[]>();
  private readonly vectorCache = new Map<string, Float32Array>();

  constructor(private readonly options: KnowledgeOptions) {
    this.retriever = this.build([]);
  }

  get size() {
    return this.retriever.entries.length;
  }

  get thresholds() {
    return this.retriever.thresholds;
  }

  private build(entries: KnowledgeEntry[]) {
    return new KnowledgeRetriever(
      entries,
      this.options.analyzer,
      this.options.synonyms,
      this.options.thresholds ?? DEFAULT_THRESHOLDS,
      this.termCache,
      this.options.encoder ?? undefined,
      this.vectorCache,
    );
  }

  async refresh(ctx: ServiceContext) {
    const started = performance.now();
    this.retriever = this.build(await activeEntries(ctx));
    return { entries: this.retriever.entries.length, ms: Math.round(performance.now() - started) };
  }

  retrieve(text: string, now: Date) {
    return this.retriever.retrieve(text, now);
  }

  search(text: string, now: Date, limit?: number) {
    return this.retriever.search(text, now, limit);
  }

  entry(id: string) {
    return this.retriever.entry(id);
  }
}
