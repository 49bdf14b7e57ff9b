/**
 * The knowledge base as the rest of the service sees it: the files loaded into the database at
 * start-up, a retriever over the live entries, and `refresh()` after an admin edit. A refresh
 * re-analyses and re-embeds only questions it has not seen (terms and vectors are cached per text),
 * so one edit does not re-process the whole base.
 */
import type { ServiceContext } from "../context.js";
import type { TextAnalyzer } from "../nlp/analyzer.js";
import { isLive, loadKnowledgeDir, type KnowledgeEntry, type KnowledgeProblem } from "./entries.js";
import { DEFAULT_THRESHOLDS, KnowledgeRetriever, type KnowledgeEncoder, type KnowledgeHit, type KnowledgeThresholds, type Retrieval } from "./retriever.js";
import { activeEntries, mostAsked, syncKnowledgeFiles } from "./store.js";
import { QuestionSuggester, type Suggestion } from "./suggest.js";

/** The tag maintainers give entries to show among 猜你想问 before there is any history. */
export const HOT_TAG = "热门";
const POPULAR_DAYS = 30;
const POPULAR_TTL_MS = 5 * 60_000;
const POPULAR_SIZE = 20;

export interface KnowledgeBase {
  retrieve(text: string, now: Date): Retrieval;
  search(text: string, now: Date, limit?: number): KnowledgeHit[];
  entry(id: string): KnowledgeEntry | undefined;
  /** Up to `limit` standard questions for a partial input (the widget's input association). */
  suggest(input: string, now: Date, limit?: number): Suggestion[];
  /**
   * Live entry ids, most asked first: what the bot answered most in the last 30 days, then the
   * entries maintainers tagged 热门. Counted at most every five minutes.
   */
  popular(ctx: ServiceContext): Promise<string[]>;
  /** Rebuilds the retriever from the database after an edit here, and tells the other processes. */
  refresh(ctx: ServiceContext): Promise<{ entries: number; ms: number }>;
  /** Rebuilds the retriever from the database (another process changed it). */
  reload(ctx: ServiceContext): Promise<{ entries: number; ms: number }>;
  /** Who to tell after `refresh` (the composition root wires the other processes). */
  announceChanges(announce: (ctx: ServiceContext) => Promise<void>): void;
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
  const built = await kb.reload(ctx);
  ctx.log.info({ ...synced, live: built.entries, problems: load.problems.length, dense: !!options.encoder, ms: built.ms }, "knowledge base ready");
  return { kb, problems: load.problems };
}

class LiveKnowledgeBase implements KnowledgeBase {
  private retriever: KnowledgeRetriever;
  private suggester = new QuestionSuggester([]);
  private asked: { at: number; ids: string[] } | null = null;
  private readonly termCache = new Map<string, string[]>();
  private readonly vectorCache = new Map<string, { vector: Float32Array; known: number }>();

  constructor(private readonly options: KnowledgeOptions) {
    this.retriever = this.build([]);
    this.suggester = this.suggesterFor(this.retriever);
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

  private suggesterFor(retriever: KnowledgeRetriever) {
    const suggester = new QuestionSuggester(retriever.entries.filter((e) => e.enabled));
    suggester.popularity = this.suggester.popularity;
    return suggester;
  }

  private announce: ((ctx: ServiceContext) => Promise<void>) | null = null;

  announceChanges(announce: (ctx: ServiceContext) => Promise<void>) {
    this.announce = announce;
  }

  async refresh(ctx: ServiceContext) {
    const built = await this.reload(ctx);
    await this.announce?.(ctx);
    return built;
  }

  async reload(ctx: ServiceContext) {
    const started = performance.now();
    this.retriever = this.build(await activeEntries(ctx));
    this.suggester = this.suggesterFor(this.retriever);
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

  suggest(input: string, now: Date, limit = 5) {
    const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const retriever = this.retriever;
    const semantic = (text: string, n: number) => retriever.search(text, now, n);
    return this.suggester.suggest(input, limit + 3, semantic).filter((s) => isLive(this.retriever.entry(s.id)!, day)).slice(0, limit);
  }

  async popular(ctx: ServiceContext) {
    const now = ctx.clock.now();
    if (!this.asked || now.getTime() - this.asked.at > POPULAR_TTL_MS) {
      const since = new Date(now.getTime() - POPULAR_DAYS * 86_400_000);
      const counts = await mostAsked(ctx, since, POPULAR_SIZE);
      this.asked = { at: now.getTime(), ids: counts.map((c) => c.id) };
      this.suggester.popularity = new Map(counts.map((c) => [c.id, c.count]));
    }
    const day = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const tagged = this.retriever.entries.filter((e) => e.tags.includes(HOT_TAG)).map((e) => e.id);
    return [...new Set([...this.asked.ids, ...tagged])].filter((id) => {
      const e = this.retriever.entry(id);
      return e && isLive(e, day);
    });
  }
}
