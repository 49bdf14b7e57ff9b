/** Knowledge entries in the database: loading the files, keeping edits, exporting back to YAML. */
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { loadKnowledgeDir, parseKnowledgeFile, type KnowledgeLoad } from "../../src/kb/entries.js";
import { entriesByFile, getEntry, syncKnowledgeFiles, updateEntry } from "../../src/kb/store.js";
import { createLogger } from "../../src/shared/logger.js";
import { testDrivers } from "../helpers/db.js";

describe.each(testDrivers)("knowledge store on $name", (driver) => {
  let database: Database;
  let load: KnowledgeLoad;
  const ctx = () => ({ actor: { kind: "system" as const }, db: database.db, log: createLogger("silent"), clock: { now: () => new Date("2026-11-20T12:00:00+08:00") } });
  beforeAll(async () => {
    database = await driver.open();
    load = await loadKnowledgeDir("knowledge/faq");
  });
  afterAll(async () => {
    await database?.close();
  });

  it("the repository's knowledge files are valid: at least 150 entries, 4+ similar questions each", () => {
    expect(load.problems).toEqual([]);
    expect(load.entries.length).toBeGreaterThanOrEqual(150);
    expect(load.entries.filter((e) => e.similar.length < 4).map((e) => e.id)).toEqual([]);
  });

  it("loads the files once; an unchanged file keeps an admin edit, a changed file replaces it", async () => {
    expect(await syncKnowledgeFiles(ctx(), load)).toMatchObject({ created: load.entries.length, updated: 0 });
    const first = load.entries[0]!;
    const { id, file: _file, ...rest } = first;
    await updateEntry(ctx(), id, { ...rest, answer: "管理员改过的答案。" }, "admin");
    expect(await syncKnowledgeFiles(ctx(), load)).toMatchObject({ created: 0, updated: 0, unchanged: load.entries.length });
    expect((await getEntry(ctx(), id)).entry.answer).toBe("管理员改过的答案。");

    const changedFile: KnowledgeLoad = { ...load, entries: load.entries.map((e) => (e.id === id ? { ...e, answer: "文件里的新答案。" } : e)) };
    expect(await syncKnowledgeFiles(ctx(), changedFile)).toMatchObject({ updated: 1 });
    expect((await getEntry(ctx(), id)).entry).toMatchObject({ answer: "文件里的新答案。" });
    expect((await getEntry(ctx(), id)).version).toBe(3);
  });

  it("exports back to YAML that reads as the same entries", async () => {
    const files = await entriesByFile(ctx());
    const again = [...files].flatMap(([file, entries]) => parseKnowledgeFile(file, stringify(entries)).entries);
    expect(again).toHaveLength(load.entries.length);
    const original = new Map(load.entries.map(({ file: _f, ...e }) => [e.id, e]));
    for (const { line: _line, ...entry } of again) {
      if (entry.answer === "文件里的新答案。") continue;
      expect(JSON.parse(JSON.stringify(entry))).toEqual(JSON.parse(JSON.stringify(original.get(entry.id))));
    }
    expect([...files.keys()].sort()).toEqual([...new Set(load.entries.map((e) => e.file))].sort());
  });
});
