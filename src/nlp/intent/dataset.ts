/** Labelled text data: `text<TAB>label` TSV files, and turning examples into training features. */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TextAnalyzer } from "../analyzer.js";
import { featureStrings, type FeatureOptions } from "./features.js";
import type { TrainExample } from "./train.js";

export interface LabelledText {
  text: string;
  label: string;
}

/** Reads a `text<TAB>label` file; lines without a tab or with empty parts are reported, not guessed. */
export async function readLabelledTsv(path: string): Promise<LabelledText[]> {
  const content = await readFile(path, "utf8");
  const out: LabelledText[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const tab = line.lastIndexOf("\t");
    const text = tab < 0 ? "" : line.slice(0, tab).trim();
    const label = tab < 0 ? "" : line.slice(tab + 1).trim();
    if (!text || !label) throw new Error(`${path}:${i + 1}: expected "text<TAB>label"`);
    out.push({ text, label });
  });
  return out;
}

/** Every `*.tsv` under a directory, in file-name order. */
export async function readLabelledDir(dir: string): Promise<LabelledText[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".tsv")).sort();
  const all: LabelledText[] = [];
  for (const f of files) all.push(...(await readLabelledTsv(join(dir, f))));
  return all;
}

/** A stable hash of the data, recorded in the model manifest. */
export function hashData(data: LabelledText[]): string {
  const h = createHash("sha256");
  for (const { text, label } of data) h.update(`${text}\t${label}\n`);
  return h.digest("hex");
}

/** A fixed "now" for feature extraction, so relative dates never change features between runs. */
export const FEATURE_CLOCK = new Date("2026-01-01T12:00:00+08:00");

export function toExamples(analyzer: TextAnalyzer, data: LabelledText[], features: FeatureOptions): TrainExample[] {
  return data.map(({ text, label }) => {
    const a = analyzer.analyze(text, FEATURE_CLOCK);
    return { features: featureStrings(a, features), label };
  });
}
