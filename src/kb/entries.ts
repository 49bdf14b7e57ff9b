/**
 * Knowledge entries as maintainers write them in knowledge/faq/*.yaml: one standard question,
 * similar questions, an answer (with optional buttons or a link), category, tags, validity.
 * Reading a folder never throws for a bad file: each problem names its file and line, and the
 * good entries of every file are still used.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { z } from "zod";

const payloadPattern = /^\/[a-z_]{1,40}(\{.{0,400}\})?$/;

export const KnowledgeEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "id must be kebab-case (letters, digits, hyphens)").max(80),
    question: z.string().trim().min(2, "question is too short").max(200),
    similar: z.array(z.string().trim().min(2).max(200)).max(200).default([]),
    answer: z.string().trim().min(2, "answer is too short").max(2000),
    quickReplies: z
      .array(z.object({ label: z.string().min(1).max(30), payload: z.string().regex(payloadPattern, "payload must look like /name or /name{...}") }).strict())
      .max(6)
      .optional(),
    link: z.string().url().optional(),
    category: z.string().regex(/^[a-z_]+$/, "category must be lower_snake_case"),
    tags: z.array(z.string().min(1).max(30)).max(20).default([]),
    enabled: z.boolean().default(true),
    validUntil: z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "validUntil must be YYYY-MM-DD"), z.date()]).optional(),
  })
  .strict();

export type KnowledgeEntry = Omit<z.infer<typeof KnowledgeEntry>, "validUntil"> & { validUntil?: string };

export interface KnowledgeProblem {
  file: string;
  line: number;
  message: string;
}

export interface KnowledgeLoad {
  entries: (KnowledgeEntry & { file: string })[];
  problems: KnowledgeProblem[];
}

const toDay = (v: string | Date | undefined) => (v instanceof Date ? v.toISOString().slice(0, 10) : v);

/** Reads every *.yaml file of a folder (sorted), validating each entry on its own. */
export async function loadKnowledgeDir(dir: string): Promise<KnowledgeLoad> {
  const files = (await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? [] : Promise.reject(err))))
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort();
  const out: KnowledgeLoad = { entries: [], problems: [] };
  const seen = new Map<string, string>();
  for (const file of files) {
    const one = parseKnowledgeFile(file, await readFile(join(dir, file), "utf8"));
    out.problems.push(...one.problems);
    for (const entry of one.entries) {
      const earlier = seen.get(entry.id);
      if (earlier) {
        out.problems.push({ file, line: entry.line, message: `id ${entry.id} is already used in ${earlier}` });
        continue;
      }
      seen.set(entry.id, `${file}:${entry.line}`);
      const { line: _line, ...rest } = entry;
      out.entries.push({ ...rest, file });
    }
  }
  return out;
}

/** Parses one file's text; exported for tests and the admin import. */
export function parseKnowledgeFile(file: string, text: string): { entries: (KnowledgeEntry & { line: number })[]; problems: KnowledgeProblem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
  const problems: KnowledgeProblem[] = doc.errors.map((e) => ({ file, line: lineOf(e.pos[0]), message: e.message.split("\n")[0]! }));
  if (problems.length > 0) return { entries: [], problems };
  const root = doc.contents;
  if (root === null) return { entries: [], problems: [] };
  if (!isSeq(root)) return { entries: [], problems: [{ file, line: lineOf(root.range?.[0]), message: "the file must be a list of entries" }] };

  const entries: (KnowledgeEntry & { line: number })[] = [];
  for (const item of root.items as Node[]) {
    const line = lineOf(item.range?.[0]);
    const parsed = KnowledgeEntry.safeParse(item.toJSON());
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ file, line: lineOfPath(item, issue.path, lineOf) ?? line, message: `${issue.path.join(".") || "entry"}: ${issue.message}` });
      }
      continue;
    }
    entries.push({ ...parsed.data, validUntil: toDay(parsed.data.validUntil), line });
  }
  return { entries, problems };
}

/** The line of the YAML node at `path` inside `node`, when it exists. */
function lineOfPath(node: Node, path: PropertyKey[], lineOf: (offset: number | undefined) => number): number | null {
  let current: unknown = node;
  for (const key of path) {
    if (isMap(current)) current = current.get(key as string, true);
    else if (isSeq(current)) current = current.get(key as number, true);
    else return null;
    if (!current) return null;
  }
  const range = (current as Node).range;
  return range ? lineOf(range[0]) : null;
}

/** Whether an entry may be used on `day` (YYYY-MM-DD, China time). */
export function isLive(entry: Pick<KnowledgeEntry, "enabled" | "validUntil">, day: string): boolean {
  return entry.enabled && (!entry.validUntil || entry.validUntil >= day);
}
