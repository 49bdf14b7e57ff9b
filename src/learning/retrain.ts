/**
 * Guarded retraining of the intent model after maintainers mapped questions to intents: a job trains
 * a candidate on the training files plus the mapped examples, cross-validated the way `npm run train`
 * does, and the candidate replaces the serving model only if its macro-F1 is not lower than the
 * current model's. The outcome is recorded either way. Training itself sits behind `Retrainer`, so
 * the guard can be tested without minutes of training.
 */
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { queryRows } from "../db/client.js";
import * as t from "../db/schema.js";

export type RetrainRow = typeof t.retrainJobs.$inferSelect;

export interface Candidate {
  /** Cross-validated macro-F1 of the candidate recipe on the new data. */
  macroF1: number;
  /** Puts the candidate in place of the serving model (the server's watcher loads it). */
  install(): Promise<void>;
  /** Removes what training left behind. */
  discard(): Promise<void>;
}

export interface Retrainer {
  /** Macro-F1 the serving model was cross-validated at, or null when it has no figure. */
  currentMacroF1(): Promise<number | null>;
  /** Trains a candidate on the training files plus `extra` examples. */
  train(extra: readonly { text: string; intent: string }[]): Promise<Candidate>;
}

/** A retrain running this long has lost its process (a real one takes minutes). */
const STALE_RETRAIN_MS = 2 * 3_600_000;

/** Queues a retrain unless one is waiting already. */
export async function requestRetrain(ctx: ServiceContext, by: string): Promise<RetrainRow> {
  const [queued] = await ctx.db.select().from(t.retrainJobs).where(eq(t.retrainJobs.status, "queued")).limit(1);
  if (queued) return queued;
  const [row] = await ctx.db.insert(t.retrainJobs).values({ status: "queued", requestedBy: by, requestedAt: ctx.clock.now() }).returning();
  return row!;
}

export async function listRetrains(ctx: ServiceContext, limit = 20): Promise<RetrainRow[]> {
  return ctx.db.select().from(t.retrainJobs).orderBy(sql`${t.retrainJobs.id} desc`).limit(limit);
}

/**
 * Takes a queued retrain (unless one is running), trains, and swaps the model in only when it is
 * not worse. Returns the finished job, or null when there was nothing to do.
 */
export async function runNextRetrain(ctx: ServiceContext, retrainer: Retrainer): Promise<RetrainRow | null> {
  await ctx.db
    .update(t.retrainJobs)
    .set({ status: "failed", message: "the process running it stopped", finishedAt: ctx.clock.now() })
    .where(sql`${t.retrainJobs.status} = 'running' and ${t.retrainJobs.startedAt} < ${new Date(ctx.clock.now().getTime() - STALE_RETRAIN_MS)}`);
  const [claimed] = await queryRows<{ id: number }>(
    ctx.db,
    sql`update retrain_jobs set status = 'running', started_at = ${ctx.clock.now()}
        where id = (select id from retrain_jobs where status = 'queued' order by id for update skip locked limit 1)
          and not exists (select 1 from retrain_jobs where status = 'running')
        returning id`,
  );
  if (!claimed) return null;
  const finish = async (set: Partial<typeof t.retrainJobs.$inferInsert>) =>
    (await ctx.db.update(t.retrainJobs).set({ ...set, finishedAt: ctx.clock.now() }).where(eq(t.retrainJobs.id, claimed.id)).returning())[0]!;
  try {
    const extra = await ctx.db.select({ text: t.intentExamples.text, intent: t.intentExamples.intent }).from(t.intentExamples);
    const current = await retrainer.currentMacroF1();
    const candidate = await retrainer.train(extra);
    const better = current === null || candidate.macroF1 >= current;
    if (better) await candidate.install();
    else await candidate.discard();
    const pct = (v: number | null) => (v === null ? "none" : `${(v * 100).toFixed(1)}%`);
    const message = better
      ? `new model in service: macro-F1 ${pct(candidate.macroF1)} (was ${pct(current)})`
      : `kept the current model: the new one reached macro-F1 ${pct(candidate.macroF1)}, below ${pct(current)}`;
    ctx.log.info({ retrainId: claimed.id, current, candidate: candidate.macroF1, swapped: better }, "intent retrain");
    return finish({ status: better ? "swapped" : "refused", examples: extra.length, currentMacroF1: current, newMacroF1: candidate.macroF1, message });
  } catch (err) {
    ctx.log.error({ err, retrainId: claimed.id }, "intent retrain failed");
    return finish({ status: "failed", message: err instanceof Error ? err.message : String(err) });
  }
}

/**
 * The real trainer: `training/train-intent.ts` in a child process (so serving goes on), on a copy of
 * `training/intents` with the mapped examples added, written to a temporary folder; installing copies
 * the files into `modelsDir/intent`, the manifest last, so the watcher never sees half a model.
 */
export function childProcessRetrainer(options: { trainingDir: string; modelsDir: string; log?: (line: string) => void }): Retrainer {
  const target = join(options.modelsDir, "intent");
  return {
    async currentMacroF1() {
      const manifest = JSON.parse(await readFile(join(target, "manifest.json"), "utf8")) as { metrics?: { cvMacroF1?: number } };
      return manifest.metrics?.cvMacroF1 ?? null;
    },
    async train(extra) {
      const work = await mkdtemp(join(tmpdir(), "kefu-retrain-"));
      const data = join(work, "intents");
      const out = join(work, "model");
      await mkdir(data);
      for (const file of (await readdir(options.trainingDir)).filter((f) => f.endsWith(".tsv"))) await copyFile(join(options.trainingDir, file), join(data, file));
      const byIntent = new Map<string, string[]>();
      for (const e of extra) byIntent.set(e.intent, [...(byIntent.get(e.intent) ?? []), e.text.replace(/[\t\n]/g, " ")]);
      for (const [intent, texts] of byIntent) await writeFile(join(data, `${intent}.tsv`), `${texts.map((x) => `${x}\t${intent}`).join("\n")}\n`, { flag: "a" });
      await new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "training/train-intent.ts", "--data", data, "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
        let tail = "";
        const keep = (d: Buffer) => {
          tail = (tail + d.toString()).slice(-2000);
          options.log?.(d.toString().trimEnd());
        };
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        child.once("error", reject);
        child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`training exited with ${code}: ${tail}`))));
      });
      const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8")) as { metrics?: { cvMacroF1?: number } };
      const macroF1 = manifest.metrics?.cvMacroF1;
      if (macroF1 === undefined) throw new Error("the trained model has no cross-validated macro-F1");
      return {
        macroF1,
        async install() {
          const files = (await readdir(out)).filter((f) => f !== "manifest.json");
          for (const f of files) await copyFile(join(out, f), join(target, f));
          await copyFile(join(out, "manifest.json"), join(target, "manifest.json"));
          await rm(work, { recursive: true, force: true });
        },
        discard: () => rm(work, { recursive: true, force: true }),
      };
    },
  };
}
