/**
 * Maintainers edit the knowledge base: list and search, read with its history, create, replace,
 * delete. Every change is versioned (who: the admin, named by the optional X-Kefu-User header) and
 * live for the next message.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { KnowledgeEntry } from "../../kb/entries.js";
import type { KnowledgeBase } from "../../kb/service.js";
import { createEntry, deleteEntry, entryVersions, getEntry, listEntries, updateEntry, type StoredEntry } from "../../kb/store.js";
import type { AppEnv } from "../env.js";
import { adminErrorResponses, createRouter, errorContentFor, notFoundResponse, serialize } from "../openapi.js";

const security = [{ adminKey: [] }];
const Stored = z
  .object({ entry: KnowledgeEntry, version: z.number().int(), updatedBy: z.string(), updatedAt: z.string(), sourceFile: z.string().nullable() })
  .openapi("StoredKnowledgeEntry");
const IdParam = z.object({ id: z.string().min(1).max(80).openapi({ example: "shipping-free-threshold" }) });
const conflict = { 409: errorContentFor("The id exists already, or the entry changed since the version given") } as const;

const view = (s: StoredEntry) => serialize({ entry: s.entry, version: s.version, updatedBy: s.updatedBy, updatedAt: s.updatedAt, sourceFile: s.sourceFile });
const who = (c: Context<AppEnv>) => {
  const actor = c.get("ctx").actor;
  if (actor.kind === "maintainer") return `maintainer:${actor.agentId}`;
  const name = c.req.header("x-kefu-user")?.trim();
  return name && /^[\p{L}\p{N}._@ -]{1,40}$/u.test(name) ? `admin:${name}` : "admin";
};

const listRoute = createRoute({
  method: "get",
  path: "/v1/admin/kb/entries",
  tags: ["knowledge"],
  summary: "Knowledge entries, paged; q searches ids, questions and answers",
  security,
  request: {
    query: z.object({
      page: z.coerce.number().int().min(1).max(10_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(50),
      q: z.string().max(100).optional(),
      category: z.string().max(40).optional(),
    }),
  },
  responses: {
    200: {
      description: "A page of entries",
      content: { "application/json": { schema: z.object({ items: z.array(Stored), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }) } },
    },
    ...adminErrorResponses,
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/v1/admin/kb/entries/{id}",
  tags: ["knowledge"],
  summary: "One entry with every earlier version",
  security,
  request: { params: IdParam },
  responses: {
    200: {
      description: "The entry and its history",
      content: {
        "application/json": {
          schema: Stored.extend({
            versions: z.array(z.object({ version: z.number().int(), action: z.string(), changedBy: z.string(), changedAt: z.string(), data: z.record(z.string(), z.unknown()) })),
          }),
        },
      },
    },
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});

const createEntryRoute = createRoute({
  method: "post",
  path: "/v1/admin/kb/entries",
  tags: ["knowledge"],
  summary: "Create an entry; live for the next message",
  security,
  request: { body: { required: true, content: { "application/json": { schema: KnowledgeEntry } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: Stored } } },
    ...adminErrorResponses,
    ...conflict,
  },
});

const updateRoute = createRoute({
  method: "put",
  path: "/v1/admin/kb/entries/{id}",
  tags: ["knowledge"],
  summary: "Replace an entry; with ?version=N, refused when it changed since version N",
  security,
  request: {
    params: IdParam,
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    body: { required: true, content: { "application/json": { schema: KnowledgeEntry.omit({ id: true }) } } },
  },
  responses: {
    200: { description: "Replaced", content: { "application/json": { schema: Stored } } },
    ...adminErrorResponses,
    ...notFoundResponse,
    ...conflict,
  },
});

const deleteRoute = createRoute({
  method: "delete",
  path: "/v1/admin/kb/entries/{id}",
  tags: ["knowledge"],
  summary: "Delete an entry (its versions are kept)",
  security,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...adminErrorResponses, ...notFoundResponse },
});

export function adminKnowledgeRoutes(deps: { knowledge: KnowledgeBase }) {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const page = await listEntries(c.get("ctx"), c.req.valid("query"));
      return c.json({ ...page, items: page.items.map(view) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const ctx = c.get("ctx");
      const { id } = c.req.valid("param");
      const stored = await getEntry(ctx, id);
      return c.json({ ...view(stored), versions: serialize(await entryVersions(ctx, id)) }, 200);
    })
    .openapi(createEntryRoute, async (c) => {
      const ctx = c.get("ctx");
      const stored = await createEntry(ctx, c.req.valid("json") as KnowledgeEntry, who(c));
      await deps.knowledge.refresh(ctx);
      return c.json(view(stored), 201);
    })
    .openapi(updateRoute, async (c) => {
      const ctx = c.get("ctx");
      const stored = await updateEntry(ctx, c.req.valid("param").id, c.req.valid("json") as Omit<KnowledgeEntry, "id">, who(c), c.req.valid("query").version);
      await deps.knowledge.refresh(ctx);
      return c.json(view(stored), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const ctx = c.get("ctx");
      await deleteEntry(ctx, c.req.valid("param").id, who(c));
      await deps.knowledge.refresh(ctx);
      return c.body(null, 204);
    });
}
