/**
 * The maintainers' review of unanswered questions (admin key or a maintainer's token): start a
 * clustering run and follow it, list and read clusters, and act on one: a new knowledge entry, attach
 * to an entry, map to an intent (a guarded retrain follows), split, move, merge, reject.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CLUSTER_STATUSES } from "../../db/schema.js";
import { KnowledgeEntry } from "../../kb/entries.js";
import { listRetrains } from "../../learning/retrain.js";
import {
  attachClusterToEntry,
  createEntryFromCluster,
  getCluster,
  getClusterRun,
  listClusterRuns,
  listClusters,
  mapClusterToIntent,
  mergeClusters,
  moveQuestions,
  rejectCluster,
  requestClusterRun,
  splitCluster,
  type LearningDeps,
} from "../../learning/service.js";
import type { AppEnv } from "../env.js";
import { adminErrorResponses, createRouter, errorContentFor, notFoundResponse, serialize } from "../openapi.js";
import { pageOf } from "../schemas.js";

const security: Record<string, string[]>[] = [{ adminKey: [] }, { agentToken: [] }];
const ClusterId = z.object({ id: z.coerce.number().int().min(1).openapi({ description: "cluster id" }) });
const conflict = { 409: errorContentFor("The cluster was reviewed already") } as const;

const Cluster = z
  .object({
    id: z.number().int(),
    status: z.enum(CLUSTER_STATUSES),
    label: z.string(),
    keywords: z.array(z.string()),
    representative: z.string(),
    size: z.number().int().openapi({ description: "distinct questions" }),
    messages: z.number().int().openapi({ description: "messages, duplicates included" }),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
    trend: z.object({ recent: z.number().int(), previous: z.number().int(), growth: z.number().nullable() }),
    cohesion: z.number(),
    members: z.array(z.object({ text: z.string(), count: z.number().int(), similarity: z.number() })),
    suggestion: z.object({ kind: z.enum(["knowledge", "intent"]), id: z.string(), score: z.number() }).nullable(),
    resolution: z.record(z.string(), z.unknown()).nullable(),
  })
  .passthrough()
  .openapi("QuestionCluster");
const Run = z
  .object({
    id: z.number().int(),
    status: z.enum(["queued", "running", "done", "failed"]),
    trigger: z.string(),
    progress: z.object({ stage: z.string(), done: z.number().int(), total: z.number().int() }).nullable(),
    questions: z.number().int().nullable(),
    clusters: z.number().int().nullable(),
    singletons: z.number().int().nullable(),
    seconds: z.number().nullable(),
    error: z.string().nullable(),
  })
  .passthrough()
  .openapi("ClusterRun");
const QuestionIds = z.array(z.number().int().min(1)).min(1).max(1000);

const json = <T extends z.ZodTypeAny>(schema: T) => ({ body: { required: true, content: { "application/json": { schema } } } }) as const;
const base = { tags: ["learning"], security };

const runRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/runs",
  summary: "Queue a clustering run over the unanswered questions not reviewed yet (one waits at a time)",
  responses: { 202: { description: "Queued", content: { "application/json": { schema: Run } } }, ...adminErrorResponses },
});
const runsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/admin/clusters/runs",
  summary: "Recent clustering runs",
  responses: { 200: { description: "Runs", content: { "application/json": { schema: z.object({ items: z.array(Run) }) } } }, ...adminErrorResponses },
});
const runStatusRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/admin/clusters/runs/{id}",
  summary: "A run's status and progress (stage, done, total)",
  request: { params: z.object({ id: z.coerce.number().int().min(1) }) },
  responses: { 200: { description: "The run", content: { "application/json": { schema: Run } } }, ...adminErrorResponses, ...notFoundResponse },
});
const listRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/admin/clusters",
  summary: "Clusters by size (messages), trend (growth over the last 24 h) or recency",
  request: {
    query: z.object({
      status: z.enum(CLUSTER_STATUSES).default("open"),
      sort: z.enum(["size", "trend", "recent"]).default("size"),
      page: z.coerce.number().int().min(1).max(10_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(20),
    }),
  },
  responses: { 200: { description: "A page of clusters", content: { "application/json": { schema: pageOf(Cluster, "ClusterPage") } } }, ...adminErrorResponses },
});
const getRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/admin/clusters/{id}",
  summary: "A cluster with every question in it (distinct texts with counts and record ids)",
  request: { params: ClusterId },
  responses: {
    200: {
      description: "The cluster",
      content: {
        "application/json": {
          schema: z.object({ cluster: Cluster, questions: z.array(z.object({ text: z.string(), count: z.number().int(), ids: z.array(z.number().int()), lastSeen: z.string() })) }),
        },
      },
    },
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});
const entryRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/{id}/entry",
  summary: "Make a new knowledge entry: the representative (or `question`) as standard question, every member as a similar question, your answer; live at once",
  request: {
    params: ClusterId,
    ...json(
      z
        .object({
          id: KnowledgeEntry.shape.id,
          answer: KnowledgeEntry.shape.answer,
          category: KnowledgeEntry.shape.category,
          question: KnowledgeEntry.shape.question.optional(),
          tags: z.array(z.string().min(1).max(30)).max(20).optional(),
          quickReplies: KnowledgeEntry.shape.quickReplies,
          link: KnowledgeEntry.shape.link,
        })
        .strict()
        .openapi("EntryFromCluster"),
    ),
  },
  responses: { 201: { description: "Created", content: { "application/json": { schema: z.object({ entryId: z.string(), version: z.number().int(), similar: z.number().int() }) } } }, ...adminErrorResponses, ...notFoundResponse, ...conflict },
});
const attachRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/{id}/attach",
  summary: "Add the cluster's questions to an existing entry's similar questions; live at once",
  request: { params: ClusterId, ...json(z.object({ entryId: KnowledgeEntry.shape.id }).strict()) },
  responses: { 200: { description: "Attached", content: { "application/json": { schema: z.object({ entryId: z.string(), version: z.number().int(), similar: z.number().int() }) } } }, ...adminErrorResponses, ...notFoundResponse, ...conflict },
});
const intentRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/{id}/intent",
  summary: "Map the questions to an intent as training examples; a retrain is queued and swapped in only if it is not worse",
  request: { params: ClusterId, ...json(z.object({ intent: z.string().regex(/^[a-z_]{2,40}$/) }).strict()) },
  responses: {
    202: { description: "Mapped; retrain queued", content: { "application/json": { schema: z.object({ examples: z.number().int(), retrainId: z.number().int() }) } } },
    ...adminErrorResponses,
    ...notFoundResponse,
    ...conflict,
  },
});
const splitRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/{id}/split",
  summary: "Split the given questions (record ids) off into a new cluster",
  request: { params: ClusterId, ...json(z.object({ questionIds: QuestionIds }).strict()) },
  responses: { 200: { description: "Split", content: { "application/json": { schema: z.object({ cluster: Cluster.nullable(), split: Cluster.nullable() }) } } }, ...adminErrorResponses, ...notFoundResponse, ...conflict },
});
const moveRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/{id}/move",
  summary: "Move questions (record ids) to another cluster",
  request: { params: ClusterId, ...json(z.object({ questionIds: QuestionIds, toClusterId: z.number().int().min(1) }).strict()) },
  responses: { 200: { description: "Moved", content: { "application/json": { schema: z.object({ from: Cluster.nullable(), to: Cluster.nullable() }) } } }, ...adminErrorResponses, ...notFoundResponse, ...conflict },
});
const mergeRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/merge",
  summary: "Merge clusters into the first one given",
  request: { ...json(z.object({ ids: z.array(z.number().int().min(1)).min(2).max(50) }).strict()) },
  responses: { 200: { description: "Merged", content: { "application/json": { schema: Cluster.nullable() } } }, ...adminErrorResponses, ...notFoundResponse, ...conflict },
});
const rejectRoute = createRoute({
  ...base,
  method: "post",
  path: "/v1/admin/clusters/{id}/reject",
  summary: "Reject: the cluster and its questions are never shown again",
  request: { params: ClusterId },
  responses: { 204: { description: "Rejected" }, ...adminErrorResponses, ...notFoundResponse, ...conflict },
});
const retrainsRoute = createRoute({
  ...base,
  method: "get",
  path: "/v1/admin/retrains",
  summary: "Intent retrains after mappings: status, the current and the new macro-F1, and whether the new model was swapped in",
  responses: { 200: { description: "Retrains", content: { "application/json": { schema: z.object({ items: z.array(z.object({}).passthrough()) }) } } }, ...adminErrorResponses },
});

const by = (c: Context<AppEnv>) => {
  const actor = c.get("ctx").actor;
  return actor.kind === "maintainer" ? `maintainer:${actor.agentId}` : "admin";
};

export function adminClusterRoutes(deps: { learning: LearningDeps }) {
  const d = deps.learning;
  return createRouter()
    .openapi(runRoute, async (c) => c.json(serialize(await requestClusterRun(c.get("ctx"), "api", by(c))), 202))
    .openapi(runsRoute, async (c) => c.json(serialize({ items: await listClusterRuns(c.get("ctx")) }), 200))
    .openapi(runStatusRoute, async (c) => c.json(serialize(await getClusterRun(c.get("ctx"), c.req.valid("param").id)), 200))
    .openapi(listRoute, async (c) => c.json(serialize(await listClusters(c.get("ctx"), c.req.valid("query"))), 200))
    .openapi(mergeRoute, async (c) => c.json(serialize(await mergeClusters(c.get("ctx"), d, c.req.valid("json").ids, by(c))), 200))
    .openapi(getRoute, async (c) => c.json(serialize(await getCluster(c.get("ctx"), c.req.valid("param").id)), 200))
    .openapi(entryRoute, async (c) => {
      const stored = await createEntryFromCluster(c.get("ctx"), d, c.req.valid("param").id, c.req.valid("json"), by(c));
      return c.json({ entryId: stored.entry.id, version: stored.version, similar: stored.entry.similar.length }, 201);
    })
    .openapi(attachRoute, async (c) => {
      const stored = await attachClusterToEntry(c.get("ctx"), d, c.req.valid("param").id, c.req.valid("json").entryId, by(c));
      return c.json({ entryId: stored.entry.id, version: stored.version, similar: stored.entry.similar.length }, 200);
    })
    .openapi(intentRoute, async (c) => {
      const { examples, retrain } = await mapClusterToIntent(c.get("ctx"), d, c.req.valid("param").id, c.req.valid("json").intent, by(c));
      return c.json({ examples, retrainId: retrain.id }, 202);
    })
    .openapi(splitRoute, async (c) => c.json(serialize(await splitCluster(c.get("ctx"), d, c.req.valid("param").id, c.req.valid("json").questionIds)), 200))
    .openapi(moveRoute, async (c) => {
      const body = c.req.valid("json");
      return c.json(serialize(await moveQuestions(c.get("ctx"), d, c.req.valid("param").id, body.toClusterId, body.questionIds)), 200);
    })
    .openapi(rejectRoute, async (c) => {
      await rejectCluster(c.get("ctx"), c.req.valid("param").id, by(c));
      return c.body(null, 204);
    })
    .openapi(retrainsRoute, async (c) => c.json(serialize({ items: await listRetrains(c.get("ctx")) }), 200));
}
