/**
 * The knowledge entries in the database: loaded from the files at start-up, edited through the
 * admin API, every change kept as a version with who and when.
 */
import { createHash } from "node:crypto";
import { and, asc, count, desc, eq, gte, ilike, or, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import type { Tx } from "../db/client.js";
import * as t from "../db/schema.js";
import { ConflictError, NotFoundError } from "../shared/errors.js";
import { KnowledgeEntry, type KnowledgeLoad } from "./entries.js";

export interface StoredEntry {
  entry: KnowledgeEntry;
  version: number;
  deleted: boolean;
  updatedBy: string;
  updatedAt: Date;
  sourceFile: string | null;
}

const hashOf = (entry: KnowledgeEntry) => createHash("sha256").update(JSON.stringify(entry)).digest("hex");

/** Drops undefined fields so stored JSON and hashes are stable. */
function clean(entry: KnowledgeEntry): KnowledgeEntry {
  return JSON.parse(JSON.stringify(entry)) as KnowledgeEntry;
}

function toStored(row: typeof t.kbEntries.$inferSelect): StoredEntry {
  return {
    entry: row.data as unknown as KnowledgeEntry,
    version: row.version,
    deleted: row.deleted,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
    sourceFile: row.sourceFile,
  };
}

async function writeVersion(tx: Tx, at: Date, entryId: string, version: number, action: "create" | "update" | "delete" | "load", data: KnowledgeEntry, by: string) {
  await tx.insert(t.kbEntryVersions).values({ entryId, version, action, data: data as unknown as Record<string, unknown>, changedBy: by, changedAt: at });
}

/** Arbitrary constant key of the advisory lock that serialises loading the files. */
const KNOWLEDGE_SYNC_LOCK = 4_711_2027;

/**
 * Loads the files into the database. An entry whose file text changed since it was last loaded is
 * replaced (a new version by "files"); an unchanged one keeps any edit made through the admin API.
 */
export async function syncKnowledgeFiles(ctx: ServiceContext, load: KnowledgeLoad): Promise<{ created: number; updated: number; unchanged: number }> {
  const counts = { created: 0, updated: 0, unchanged: 0 };
  await ctx.db.transaction(async (tx) => {
    // Several processes starting at once over one database load the same files: one at a time.
    await tx.execute(sql`select pg_advisory_xact_lock(${KNOWLEDGE_SYNC_LOCK})`);
    const rows = await tx.select().from(t.kbEntries);
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const { file, ...raw } of load.entries) {
      const entry = clean(raw);
      const hash = hashOf(entry);
      const row = byId.get(entry.id);
      if (row && row.sourceHash === hash) {
        counts.unchanged++;
        continue;
      }
      const version = (row?.version ?? 0) + 1;
      const values = { data: entry as unknown as Record<string, unknown>, version, sourceHash: hash, sourceFile: file, deleted: false, updatedBy: "files", updatedAt: ctx.clock.now() };
      if (row) await tx.update(t.kbEntries).set(values).where(eq(t.kbEntries.id, entry.id));
      else await tx.insert(t.kbEntries).values({ id: entry.id, ...values });
      await writeVersion(tx, values.updatedAt, entry.id, version, "load", entry, "files");
      counts[row ? "updated" : "created"]++;
    }
  });
  return counts;
}

/** Entry ids by how often the bot answered with them since `since`, most first. */
export async function mostAsked(ctx: ServiceContext, since: Date, limit: number): Promise<{ id: string; count: number }[]> {
  const id = sql<string>`${t.conversationEvents.data}->>'entryId'`;
  const rows = await ctx.db
    .select({ id, count: count() })
    .from(t.conversationEvents)
    .where(and(eq(t.conversationEvents.type, "KnowledgeAnswered"), gte(t.conversationEvents.createdAt, since)))
    .groupBy(id)
    .orderBy(desc(count()), asc(id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, count: Number(r.count) }));
}

/** Every entry not deleted (enabled or not; retrieval checks enabled and validUntil itself). */
export async function activeEntries(ctx: ServiceContext): Promise<KnowledgeEntry[]> {
  const rows = await ctx.db.select({ data: t.kbEntries.data }).from(t.kbEntries).where(eq(t.kbEntries.deleted, false)).orderBy(asc(t.kbEntries.id));
  return rows.map((r) => r.data as unknown as KnowledgeEntry);
}

export interface EntryQuery {
  page: number;
  pageSize: number;
  q?: string;
  category?: string;
}

export async function listEntries(ctx: ServiceContext, query: EntryQuery) {
  const filters: SQL[] = [eq(t.kbEntries.deleted, false)];
  if (query.category) filters.push(sql`${t.kbEntries.data}->>'category' = ${query.category}`);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(or(ilike(t.kbEntries.id, pattern), sql`${t.kbEntries.data}::text ilike ${pattern}`)!);
  }
  const where = and(...filters);
  const [total] = await ctx.db.select({ n: count() }).from(t.kbEntries).where(where);
  const rows = await ctx.db
    .select()
    .from(t.kbEntries)
    .where(where)
    .orderBy(asc(t.kbEntries.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: rows.map(toStored), total: total?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function getEntry(ctx: ServiceContext, id: string): Promise<StoredEntry> {
  const [row] = await ctx.db.select().from(t.kbEntries).where(eq(t.kbEntries.id, id));
  if (!row || row.deleted) throw new NotFoundError(`knowledge entry ${id} does not exist`);
  return toStored(row);
}

export async function entryVersions(ctx: ServiceContext, id: string) {
  await getEntry(ctx, id);
  return ctx.db
    .select({ version: t.kbEntryVersions.version, action: t.kbEntryVersions.action, changedBy: t.kbEntryVersions.changedBy, changedAt: t.kbEntryVersions.changedAt, data: t.kbEntryVersions.data })
    .from(t.kbEntryVersions)
    .where(eq(t.kbEntryVersions.entryId, id))
    .orderBy(asc(t.kbEntryVersions.version));
}

export async function createEntry(ctx: ServiceContext, entry: KnowledgeEntry, by: string): Promise<StoredEntry> {
  const data = clean(KnowledgeEntry.parse(entry) as KnowledgeEntry);
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(t.kbEntries).where(eq(t.kbEntries.id, data.id)).for("update");
    if (existing && !existing.deleted) throw new ConflictError(`knowledge entry ${data.id} already exists`);
    const version = (existing?.version ?? 0) + 1;
    const values = { data: data as unknown as Record<string, unknown>, version, deleted: false, updatedBy: by, updatedAt: ctx.clock.now(), sourceFile: existing?.sourceFile ?? null };
    const [row] = existing
      ? await tx.update(t.kbEntries).set(values).where(eq(t.kbEntries.id, data.id)).returning()
      : await tx.insert(t.kbEntries).values({ id: data.id, ...values }).returning();
    await writeVersion(tx, values.updatedAt, data.id, version, "create", data, by);
    return toStored(row!);
  });
}

/** Replaces an entry; with `expectedVersion`, refuses (409) when someone else changed it meanwhile. */
export async function updateEntry(ctx: ServiceContext, id: string, entry: Omit<KnowledgeEntry, "id">, by: string, expectedVersion?: number): Promise<StoredEntry> {
  const data = clean(KnowledgeEntry.parse({ ...entry, id }) as KnowledgeEntry);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(t.kbEntries).where(eq(t.kbEntries.id, id)).for("update");
    if (!row || row.deleted) throw new NotFoundError(`knowledge entry ${id} does not exist`);
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw new ConflictError(`knowledge entry ${id} is at version ${row.version}, not ${expectedVersion}; reload it and apply the change again`);
    }
    const version = row.version + 1;
    const at = ctx.clock.now();
    const [updated] = await tx
      .update(t.kbEntries)
      .set({ data: data as unknown as Record<string, unknown>, version, updatedBy: by, updatedAt: at })
      .where(eq(t.kbEntries.id, id))
      .returning();
    await writeVersion(tx, at, id, version, "update", data, by);
    return toStored(updated!);
  });
}

/** Deletes an entry (kept as a version, so it can be restored by creating it again). */
export async function deleteEntry(ctx: ServiceContext, id: string, by: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(t.kbEntries).where(eq(t.kbEntries.id, id)).for("update");
    if (!row || row.deleted) throw new NotFoundError(`knowledge entry ${id} does not exist`);
    const version = row.version + 1;
    const at = ctx.clock.now();
    await tx.update(t.kbEntries).set({ deleted: true, version, updatedBy: by, updatedAt: at }).where(eq(t.kbEntries.id, id));
    await writeVersion(tx, at, id, version, "delete", row.data as unknown as KnowledgeEntry, by);
  });
}

/** Entries grouped by the file they belong in (their source file, else <category>.yaml), for export. */
export async function entriesByFile(ctx: ServiceContext): Promise<Map<string, KnowledgeEntry[]>> {
  const rows = await ctx.db.select().from(t.kbEntries).where(eq(t.kbEntries.deleted, false)).orderBy(asc(t.kbEntries.id));
  const files = new Map<string, KnowledgeEntry[]>();
  for (const row of rows) {
    const entry = row.data as unknown as KnowledgeEntry;
    const file = row.sourceFile ?? `${entry.category.replace(/_/g, "-")}.yaml`;
    files.set(file, [...(files.get(file) ?? []), entry]);
  }
  return files;
}
