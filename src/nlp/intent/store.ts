/**
 * Holds the intent model in use and swaps in a retrained one without dropping requests:
 * the new model is loaded completely first, then the reference changes in one assignment.
 */
import { watchFile, unwatchFile } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../shared/logger.js";
import { IntentModel } from "./model.js";

export class IntentModelStore {
  private watching = false;

  constructor(
    private current: IntentModel,
    readonly dir: string | null,
    private readonly log?: Logger,
  ) {}

  static async open(dir: string, log?: Logger): Promise<IntentModelStore> {
    return new IntentModelStore(await IntentModel.load(dir), dir, log);
  }

  get model(): IntentModel {
    return this.current;
  }

  /** Loads the model directory again; keeps the current model when the new one cannot be read. */
  async reload(): Promise<{ reloaded: boolean; createdAt: string; error?: string }> {
    if (!this.dir) return { reloaded: false, createdAt: this.current.manifest.createdAt };
    try {
      const next = await IntentModel.load(this.dir);
      if (next.manifest.weightsSha256 && next.manifest.weightsSha256 === this.current.manifest.weightsSha256) {
        return { reloaded: false, createdAt: this.current.manifest.createdAt };
      }
      this.current = next;
      this.log?.info({ createdAt: next.manifest.createdAt, labels: next.labels.length }, "intent model reloaded");
      return { reloaded: true, createdAt: next.manifest.createdAt };
    } catch (err) {
      this.log?.error({ err }, "intent model reload failed; keeping the current model");
      return { reloaded: false, createdAt: this.current.manifest.createdAt, error: (err as Error).message };
    }
  }

  /** Reloads when manifest.json changes on disk (a retrain wrote a new model). */
  watch(intervalMs = 2000): void {
    if (!this.dir || this.watching) return;
    this.watching = true;
    watchFile(join(this.dir, "manifest.json"), { interval: intervalMs }, (curr, prev) => {
      if (curr.mtimeMs !== prev.mtimeMs) void this.reload();
    });
  }

  close(): void {
    if (this.dir && this.watching) unwatchFile(join(this.dir, "manifest.json"));
    this.watching = false;
  }
}
