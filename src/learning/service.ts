/**
 * The learning loop over the database: clustering runs as jobs (any process may take a queued run;
 * progress is stored as it goes), the clusters maintainers review, and what each review action does
 * to the knowledge base (live at once), the intent training examples and the questions themselves.
 * Reviewed and rejected questions are never clustered again.
 */
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { queryRows, type Tx } from "../db/client.js";
import * as t from "../db/schema.js";
import type { KnowledgeEntry } from "../kb/entries.js";
import type { KnowledgeBase } from "../kb/service.js";
import { createEntry, getEntry, updateEntry } from "../kb/store.js";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.js";
import { clusterQuestions, dedupeKey, describeGroup, type ClusterProgress, type Embedder, type QuestionCluster, type Suggest, type UnansweredQuestion } from "./cluster.js";
import { requestRetrain } from "./retrain.js";

export interface LearningDeps {
  embed: Embedder;
  suggest?: Suggest;
  knowledge: KnowledgeBase;
  /** The intent labels a cluster may be mapped to. */
  intents: readonly string[];
}

export type ClusterRow = typeof t.questionClusters.$inferSelect;
export type RunRow = typeof t.clusterRuns.$inferSelect;

/** A run that has said nothing for this long is taken as dead (its process stopped). */
const STALE_RUN_MS = 30 * 60_000;
const PROGRESS_EVERY_MS = 500;

/** Queues a clustering run (unless one is already queued) and returns it. */
export async function requestClusterRun(ctx: ServiceContext, trigger: RunRow["trigger"], by: string): Promise<RunRow> {
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${RUN_QUEUE_LOCK})`);
    const [queued] = await tx.select().from(t.clusterRuns).where(eq(t.clusterRuns.status, "queued")).limit(1);
    if (queued) return queued;
    const [row] = await tx.insert(t.clusterRuns).values({ status: "queued", trigger, requestedBy: by, requestedAt: ctx.clock.now() }).returning();
    return row!;
  });
}

/** Arbitrary constant key of the advisory lock that keeps the queue to one queued run. */
const RUN_QUEUE_LOCK = 4_711_2028;

/** Queues a scheduled run when the last one was requested more than `everyMinutes` ago. */
export async function scheduleClusterRun(ctx: ServiceContext, everyMinutes: number): Promise<RunRow | null> {
  const [last] = await ctx.db.select().from(t.clusterRuns).orderBy(desc(t.clusterRuns.requestedAt)).limit(1);
  if (last && ctx.clock.now().getTime() - last.requestedAt.getTime() < everyMinutes * 60_000) return null;
  return requestClusterRun(ctx, "schedule", "schedule");
}

export async function getClusterRun(ctx: ServiceContext, id: number): Promise<RunRow> {
  const [row] = await ctx.db.select().from(t.clusterRuns).where(eq(t.clusterRuns.id, id));
  if (!row) throw new NotFoundError(`clustering run ${id} does not exist`);
  return row;
}

export async function listClusterRuns(ctx: ServiceContext, limit = 20): Promise<RunRow[]> {
  return ctx.db.select().from(t.clusterRuns).orderBy(desc(t.clusterRuns.id)).limit(limit);
}

/**
 * Takes the oldest queued run, unless another is running, and runs it to the end. Returns the run,
 * or null when there was nothing to do. Safe to call from every process: the claim is one statement.
 */
export async function runNextClusterJob(ctx: ServiceContext, deps: LearningDeps, onProgress?: (p: ClusterProgress) => void): Promise<RunRow | null> {
  const now = ctx.clock.now();
  await ctx.db
    .update(t.clusterRuns)
    .set({ status: "failed", error: "the process running it stopped", finishedAt: now })
    .where(and(eq(t.clusterRuns.status, "running"), sql`coalesce(${t.clusterRuns.startedAt}, ${t.clusterRuns.requestedAt}) < ${new Date(now.getTime() - STALE_RUN_MS)}`));
  const [claimed] = await queryRows<{ id: number }>(
    ctx.db,
    sql`update cluster_runs set status = 'running', started_at = ${now}
        where id = (select id from cluster_runs where status = 'queued' order by requested_at, id for update skip locked limit 1)
          and not exists (select 1 from cluster_runs where status = 'running')
        returning id`,
  );
  if (!claimed) return null;
  return executeRun(ctx, deps, claimed.id, onProgress);
}

/** Runs a claimed clustering job and records the outcome (or the error). */
async function executeRun(ctx: ServiceContext, deps: LearningDeps, runId: number, onProgress?: (p: ClusterProgress) => void): Promise<RunRow> {
  const started = performance.now();
  let lastWrite = 0;
  try {
    const rejected = new Set((await ctx.db.select({ key: t.rejectedQuestions.key }).from(t.rejectedQuestions)).map((r) => r.key));
    const rows = await ctx.db
      .select({ id: t.unansweredQuestions.id, text: t.unansweredQuestions.text, normalized: t.unansweredQuestions.normalized, createdAt: t.unansweredQuestions.createdAt })
      .from(t.unansweredQuestions)
      .where(isNull(t.unansweredQuestions.reviewedAt));
    const questions: UnansweredQuestion[] = rows
      .filter((r) => r.text.trim() && !rejected.has(dedupeKey(r.normalized)))
      .map((r) => ({ id: r.id, text: r.text, normalized: r.normalized, firstSeen: r.createdAt, lastSeen: r.createdAt }));
    const result = await clusterQuestions(questions, {
      embed: deps.embed,
      suggest: deps.suggest,
      now: ctx.clock.now(),
      onProgress: (p) => {
        onProgress?.(p);
        const at = performance.now();
        if (at - lastWrite < PROGRESS_EVERY_MS) return;
        lastWrite = at;
        void ctx.db.update(t.clusterRuns).set({ progress: p }).where(eq(t.clusterRuns.id, runId)).catch(() => {});
      },
    });
    await ctx.db.transaction(async (tx) => {
      // The open clusters of earlier runs are replaced; reviewed ones stay as the record of what was done.
      await tx.execute(sql`update unanswered_questions set cluster_id = null where reviewed_at is null`);
      await tx.delete(t.questionClusters).where(eq(t.questionClusters.status, "open"));
      for (const c of result.clusters) await insertCluster(tx, runId, c);
    });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const [done] = await ctx.db
      .update(t.clusterRuns)
      .set({ status: "done", finishedAt: ctx.clock.now(), questions: result.questions, clusters: result.clusters.length, singletons: result.singletons.length, seconds, progress: null })
      .where(eq(t.clusterRuns.id, runId))
      .returning();
    ctx.log.info({ runId, questions: result.questions, clusters: result.clusters.length, singletons: result.singletons.length, seconds }, "clustering run done");
    return done!;
  } catch (err) {
    ctx.log.error({ err, runId }, "clustering run failed");
    const [failed] = await ctx.db
      .update(t.clusterRuns)
      .set({ status: "failed", finishedAt: ctx.clock.now(), error: err instanceof Error ? err.message : String(err) })
      .where(eq(t.clusterRuns.id, runId))
      .returning();
    return failed!;
  }
}

async function insertCluster(tx: Tx, runId: number | null, c: QuestionCluster, status: t.ClusterStatus = "open"): Promise<ClusterRow> {
  const [row] = await tx
    .insert(t.questionClusters)
    .values({ runId, status, ...clusterFields(c) })
    .returning();
  const ids = c.ids.map(Number);
  if (ids.length) await tx.update(t.unansweredQuestions).set({ clusterId: row!.id }).where(inArray(t.unansweredQuestions.id, ids));
  return row!;
}

const clusterFields = (c: QuestionCluster) => ({
  label: c.label,
  keywords: c.keywords,
  representative: c.representative,
  size: c.size,
  messages: c.messages,
  firstSeen: c.firstSeen ?? null,
  lastSeen: c.lastSeen ?? null,
  trend: c.trend,
  cohesion: Math.round(c.cohesion * 1000) / 1000,
  members: c.members.map((m) => ({ text: m.text, count: m.count, similarity: Math.round(m.similarity * 1000) / 1000 })),
  suggestion: c.suggestion ? { ...c.suggestion, score: Math.round(c.suggestion.score * 1000) / 1000 } : null,
});

export interface ClusterQuery {
  status: t.ClusterStatus;
  sort: "size" | "trend" | "recent";
  page: number;
  pageSize: number;
}

/** Clusters, the largest (messages), fastest growing or most recently seen first. */
export async function listClusters(ctx: ServiceContext, q: ClusterQuery) {
  const where = eq(t.questionClusters.status, q.status);
  const [total] = await ctx.db.select({ n: count() }).from(t.questionClusters).where(where);
  const order =
    q.sort === "trend"
      ? [desc(sql`(${t.questionClusters.trend}->>'recent')::int - (${t.questionClusters.trend}->>'previous')::int`), desc(t.questionClusters.messages)]
      : q.sort === "recent"
        ? [desc(t.questionClusters.lastSeen)]
        : [desc(t.questionClusters.messages), desc(t.questionClusters.size)];
  const items = await ctx.db
    .select()
    .from(t.questionClusters)
    .where(where)
    .orderBy(...order, asc(t.questionClusters.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items, total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

/** A cluster with every question in it (by distinct text, with the record ids a split or move names). */
export async function getCluster(ctx: ServiceContext, id: number) {
  const [cluster] = await ctx.db.select().from(t.questionClusters).where(eq(t.questionClusters.id, id));
  if (!cluster) throw new NotFoundError(`cluster ${id} does not exist (a newer clustering run may have replaced it)`);
  const rows = await ctx.db
    .select({ id: t.unansweredQuestions.id, text: t.unansweredQuestions.text, normalized: t.unansweredQuestions.normalized, createdAt: t.unansweredQuestions.createdAt })
    .from(t.unansweredQuestions)
    .where(eq(t.unansweredQuestions.clusterId, id))
    .orderBy(asc(t.unansweredQuestions.id));
  const byKey = new Map<string, { text: string; count: number; ids: number[]; lastSeen: Date }>();
  for (const r of rows) {
    const key = dedupeKey(r.normalized);
    const q = byKey.get(key) ?? { text: r.text, count: 0, ids: [], lastSeen: r.createdAt };
    q.count++;
    q.ids.push(r.id);
    if (r.createdAt > q.lastSeen) q.lastSeen = r.createdAt;
    byKey.set(key, q);
  }
  return { cluster, questions: [...byKey.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)) };
}

/** Locks an open cluster for a review action. */
async function openCluster(tx: Tx, id: number): Promise<ClusterRow> {
  const [row] = await tx.select().from(t.questionClusters).where(eq(t.questionClusters.id, id)).for("update");
  if (!row) throw new NotFoundError(`cluster ${id} does not exist (a newer clustering run may have replaced it)`);
  if (row.status !== "open") throw new ConflictError(`cluster ${id} is ${row.status} already`);
  return row;
}

async function questionsOf(tx: Tx, clusterId: number) {
  return tx
    .select({ id: t.unansweredQuestions.id, text: t.unansweredQuestions.text, normalized: t.unansweredQuestions.normalized, createdAt: t.unansweredQuestions.createdAt })
    .from(t.unansweredQuestions)
    .where(eq(t.unansweredQuestions.clusterId, clusterId));
}

/**
 * Closes a cluster with what was done, and marks its questions (and later records of the same texts)
 * reviewed so no run clusters them again.
 */
async function resolve(tx: Tx, ctx: ServiceContext, cluster: ClusterRow, status: "resolved" | "rejected" | "merged", resolution: Record<string, unknown>, by: string, reviewStatus?: "entry" | "attached" | "intent" | "rejected") {
  const now = ctx.clock.now();
  await tx.update(t.questionClusters).set({ status, resolution: { ...resolution, by }, reviewedBy: by, reviewedAt: now }).where(eq(t.questionClusters.id, cluster.id));
  if (!reviewStatus) return;
  await tx.update(t.unansweredQuestions).set({ reviewedAt: now, reviewStatus }).where(eq(t.unansweredQuestions.clusterId, cluster.id));
  // The same questions asked again since the run (not in any cluster yet) are settled by this too.
  await tx.execute(sql`
    update unanswered_questions set reviewed_at = ${now}, review_status = ${reviewStatus}
    where reviewed_at is null and normalized in (select normalized from unanswered_questions where cluster_id = ${cluster.id})`);
}

/** The distinct member texts usable as similar questions (knowledge entries take 2–200 characters). */
const similarTexts = (rows: { text: string; normalized: string }[], exclude: string[]) => {
  const seen = new Set(exclude.map((e) => dedupeKey(e)));
  const out: string[] = [];
  for (const r of rows) {
    const text = r.text.trim();
    const key = dedupeKey(r.normalized);
    if (seen.has(key) || [...text].length < 2 || [...text].length > 200) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
};

export interface NewEntryFromCluster {
  id: string;
  answer: string;
  category: string;
  question?: string;
  tags?: string[];
  quickReplies?: KnowledgeEntry["quickReplies"];
  link?: string;
}

/**
 * A new knowledge entry from a cluster: the representative (or the maintainer's wording) as the
 * standard question, every member as a similar question, the maintainer's answer. Live at once.
 */
export async function createEntryFromCluster(ctx: ServiceContext, deps: LearningDeps, clusterId: number, input: NewEntryFromCluster, by: string) {
  const entry = await ctx.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, clusterId);
    const question = input.question ?? cluster.representative;
    const similar = similarTexts(await questionsOf(tx, clusterId), [question]).slice(0, 200);
    const stored = await createEntry(
      { ...ctx, db: tx },
      { id: input.id, question, similar, answer: input.answer, category: input.category, tags: input.tags ?? [], enabled: true, ...(input.quickReplies ? { quickReplies: input.quickReplies } : {}), ...(input.link ? { link: input.link } : {}) },
      by,
    );
    await resolve(tx, ctx, cluster, "resolved", { action: "entry", entryId: stored.entry.id }, by, "entry");
    return stored;
  });
  await deps.knowledge.refresh(ctx);
  return entry;
}

/** Adds a cluster's questions to an existing entry's similar questions. Live at once. */
export async function attachClusterToEntry(ctx: ServiceContext, deps: LearningDeps, clusterId: number, entryId: string, by: string) {
  const entry = await ctx.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, clusterId);
    const txCtx = { ...ctx, db: tx };
    const current = await getEntry(txCtx, entryId).catch((err: unknown) => {
      throw err instanceof NotFoundError ? new ValidationError(`knowledge entry ${entryId} does not exist`) : err;
    });
    const added = similarTexts(await questionsOf(tx, clusterId), [current.entry.question, ...current.entry.similar]);
    const { id: _id, ...rest } = current.entry;
    const similar = [...current.entry.similar, ...added].slice(0, 200);
    const stored = await updateEntry(txCtx, entryId, { ...rest, similar }, by, current.version);
    await resolve(tx, ctx, cluster, "resolved", { action: "attach", entryId, added: added.length }, by, "attached");
    return stored;
  });
  await deps.knowledge.refresh(ctx);
  return entry;
}

/** Maps a cluster's questions to an intent as training examples, and queues a guarded retrain. */
export async function mapClusterToIntent(ctx: ServiceContext, deps: LearningDeps, clusterId: number, intent: string, by: string) {
  if (!deps.intents.includes(intent)) throw new ValidationError(`intent must be one of ${deps.intents.join(", ")}`);
  const examples = await ctx.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, clusterId);
    const texts = similarTexts(await questionsOf(tx, clusterId), []);
    if (texts.length) await tx.insert(t.intentExamples).values(texts.map((text) => ({ text, intent, clusterId, addedBy: by, createdAt: ctx.clock.now() })));
    await resolve(tx, ctx, cluster, "resolved", { action: "intent", intent, examples: texts.length }, by, "intent");
    return texts.length;
  });
  const retrain = await requestRetrain(ctx, by);
  return { examples, retrain };
}

/** Rejects a cluster: it and its questions are never shown again. */
export async function rejectCluster(ctx: ServiceContext, clusterId: number, by: string) {
  await ctx.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, clusterId);
    const keys = [...new Set((await questionsOf(tx, clusterId)).map((q) => dedupeKey(q.normalized)).filter(Boolean))];
    if (keys.length) await tx.insert(t.rejectedQuestions).values(keys.map((key) => ({ key, clusterId, rejectedBy: by, createdAt: ctx.clock.now() }))).onConflictDoNothing();
    await resolve(tx, ctx, cluster, "rejected", { action: "reject" }, by, "rejected");
  });
}

/** Recomputes a cluster's description from the questions now in it; an emptied cluster is removed. */
async function redescribe(tx: Tx, ctx: ServiceContext, deps: LearningDeps, clusterId: number): Promise<ClusterRow | null> {
  const rows = await questionsOf(tx, clusterId);
  const described = await describeGroup(
    rows.map((r) => ({ id: r.id, text: r.text, normalized: r.normalized, firstSeen: r.createdAt, lastSeen: r.createdAt })),
    { embed: deps.embed, suggest: deps.suggest, now: ctx.clock.now() },
  );
  if (!described) {
    await tx.delete(t.questionClusters).where(eq(t.questionClusters.id, clusterId));
    return null;
  }
  const [row] = await tx.update(t.questionClusters).set(clusterFields(described)).where(eq(t.questionClusters.id, clusterId)).returning();
  return row!;
}

/** Record ids that belong to the cluster, or a validation error naming the first that does not. */
async function ownQuestions(tx: Tx, clusterId: number, questionIds: readonly number[]): Promise<number[]> {
  const own = new Set((await questionsOf(tx, clusterId)).map((q) => q.id));
  const stray = questionIds.find((id) => !own.has(id));
  if (stray !== undefined) throw new ValidationError(`question ${stray} is not in cluster ${clusterId}`);
  return [...new Set(questionIds)];
}

/** Splits the given questions off into a new cluster; both are described again. */
export async function splitCluster(ctx: ServiceContext, deps: LearningDeps, clusterId: number, questionIds: readonly number[]) {
  return ctx.db.transaction(async (tx) => {
    const cluster = await openCluster(tx, clusterId);
    const ids = await ownQuestions(tx, clusterId, questionIds);
    if (ids.length === (await questionsOf(tx, clusterId)).length) throw new ValidationError("a split must leave some questions in the cluster");
    const [created] = await tx.insert(t.questionClusters).values({ ...clusterFieldsOf(cluster), runId: cluster.runId, status: "open" }).returning();
    await tx.update(t.unansweredQuestions).set({ clusterId: created!.id }).where(inArray(t.unansweredQuestions.id, ids));
    return { cluster: await redescribe(tx, ctx, deps, clusterId), split: await redescribe(tx, ctx, deps, created!.id) };
  });
}

/** Moves questions from one open cluster to another; both are described again. */
export async function moveQuestions(ctx: ServiceContext, deps: LearningDeps, fromId: number, toId: number, questionIds: readonly number[]) {
  if (fromId === toId) throw new ValidationError("the questions are in that cluster already");
  return ctx.db.transaction(async (tx) => {
    // Lock both in id order, so two moves between the same clusters cannot deadlock.
    for (const id of [fromId, toId].sort((a, b) => a - b)) await openCluster(tx, id);
    const ids = await ownQuestions(tx, fromId, questionIds);
    await tx.update(t.unansweredQuestions).set({ clusterId: toId }).where(inArray(t.unansweredQuestions.id, ids));
    return { from: await redescribe(tx, ctx, deps, fromId), to: await redescribe(tx, ctx, deps, toId) };
  });
}

/** Merges clusters into the first one given. */
export async function mergeClusters(ctx: ServiceContext, deps: LearningDeps, ids: readonly number[], by: string) {
  const unique = [...new Set(ids)];
  if (unique.length < 2) throw new ValidationError("merging needs at least two clusters");
  return ctx.db.transaction(async (tx) => {
    const locked = new Map<number, ClusterRow>();
    for (const id of [...unique].sort((a, b) => a - b)) locked.set(id, await openCluster(tx, id));
    const [into, ...rest] = unique;
    for (const id of rest) {
      await tx.update(t.unansweredQuestions).set({ clusterId: into }).where(eq(t.unansweredQuestions.clusterId, id));
      await resolve(tx, ctx, locked.get(id)!, "merged", { action: "merge", into }, by);
    }
    return redescribe(tx, ctx, deps, into!);
  });
}

const clusterFieldsOf = (c: ClusterRow) => ({
  label: c.label,
  keywords: c.keywords,
  representative: c.representative,
  size: c.size,
  messages: c.messages,
  firstSeen: c.firstSeen,
  lastSeen: c.lastSeen,
  trend: c.trend,
  cohesion: c.cohesion,
  members: c.members,
  suggestion: c.suggestion,
});
