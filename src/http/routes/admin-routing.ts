/**
 * The service team's setup and numbers, for administrators: agents (create, change, disable, set a
 * status), customers' dedicated agents, the live queue, how a conversation was routed, and the stats.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { asc, inArray } from "drizzle-orm";
import { AGENT_STATUSES, CHANNELS, HANDOFF_STATUSES } from "../../db/schema.js";
import * as t from "../../db/schema.js";
import { createAgent, listAgents, setDedicatedAgent, toProfile, updateAgent } from "../../routing/agents.js";
import type { Routing } from "../../routing/service.js";
import { serviceStats } from "../../routing/stats.js";
import { listAudit } from "../../audit.js";
import { ValidationError } from "../../shared/errors.js";
import { adminErrorResponses, createRouter, errorContentFor, notFoundResponse, serialize } from "../openapi.js";
import { AgentProfile } from "./agents.js";

const security = [{ adminKey: [] }];

const groupId = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, "groups are lower_snake_case ids");
const AgentFields = {
  name: z.string().trim().min(1).max(40),
  password: z.string().min(8, "password must have at least 8 characters").max(200),
  groups: z.array(groupId).max(20),
  maxConcurrent: z.number().int().min(1).max(50),
  region: z.string().min(1).max(20).nullable(),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length),
};
const NewAgent = z
  .object({
    username: z.string().regex(/^[a-z0-9._-]{2,40}$/, "username: 2-40 of a-z 0-9 . _ -"),
    role: z.enum(["agent", "maintainer"]).optional().openapi({ description: "maintainer: reviews clusters and edits knowledge, takes no conversations" }),
    ...AgentFields, groups: AgentFields.groups.optional(), maxConcurrent: AgentFields.maxConcurrent.optional(), region: AgentFields.region.optional(), channels: AgentFields.channels.optional() })
  .strict()
  .openapi("NewAgent");
const AgentPatch = z
  .object({
    name: AgentFields.name.optional(),
    password: AgentFields.password.optional(),
    groups: AgentFields.groups.optional(),
    maxConcurrent: AgentFields.maxConcurrent.optional(),
    region: AgentFields.region.optional(),
    channels: AgentFields.channels.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .openapi("AgentPatch");
const AgentId = z.object({ id: z.string().regex(/^ag_[A-Za-z0-9_-]{8}$/, "not an agent id") });

const listRoute = createRoute({
  tags: ["routing"],
  security, method: "get", path: "/v1/admin/agents", summary: "All agents", responses: { 200: { description: "Agents", content: { "application/json": { schema: z.object({ items: z.array(AgentProfile) }) } } }, ...adminErrorResponses } });
const createAgentRoute = createRoute({
  tags: ["routing"],
  security,
  method: "post",
  path: "/v1/admin/agents",
  summary: "Create an agent (the password is stored as a scrypt hash)",
  request: { body: { required: true, content: { "application/json": { schema: NewAgent } } } },
  responses: { 201: { description: "Created", content: { "application/json": { schema: AgentProfile } } }, ...adminErrorResponses, 409: errorContentFor("The username is taken") },
});
const patchRoute = createRoute({
  tags: ["routing"],
  security,
  method: "patch",
  path: "/v1/admin/agents/{id}",
  summary: "Change an agent; a new password or disabling ends their sessions",
  request: { params: AgentId, body: { required: true, content: { "application/json": { schema: AgentPatch } } } },
  responses: { 200: { description: "Changed", content: { "application/json": { schema: AgentProfile } } }, ...adminErrorResponses, ...notFoundResponse },
});
const statusRoute = createRoute({
  tags: ["routing"],
  security,
  method: "put",
  path: "/v1/admin/agents/{id}/status",
  summary: "Set an agent's status (offline hands their conversations to others)",
  request: { params: AgentId, body: { required: true, content: { "application/json": { schema: z.object({ status: z.enum(AGENT_STATUSES) }).strict() } } } },
  responses: { 200: { description: "Changed", content: { "application/json": { schema: AgentProfile } } }, ...adminErrorResponses, ...notFoundResponse },
});
const dedicatedRoute = createRoute({
  tags: ["routing"],
  security,
  method: "put",
  path: "/v1/admin/customers/{id}/dedicated-agent",
  summary: "Give a customer a dedicated agent (专属客服), or none with null",
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    body: { required: true, content: { "application/json": { schema: z.object({ agentId: z.string().regex(/^ag_[A-Za-z0-9_-]{8}$/).nullable() }).strict() } } },
  },
  responses: { 200: { description: "Set", content: { "application/json": { schema: z.object({ customerId: z.string(), dedicatedAgentId: z.string().nullable() }) } } }, ...adminErrorResponses, ...notFoundResponse },
});
const queueRoute = createRoute({
  tags: ["routing"],
  security,
  method: "get",
  path: "/v1/admin/queue",
  summary: "Hand-overs waiting or offered now, in queue order",
  responses: {
    200: {
      description: "The queue",
      content: {
        "application/json": {
          schema: z.object({
            items: z.array(
              z.object({
                conversationId: z.string(),
                status: z.enum(HANDOFF_STATUSES),
                reason: z.string(),
                vipLevel: z.number().int(),
                priority: z.number().int(),
                group: z.string().nullable(),
                agentId: z.string().nullable(),
                why: z.string().nullable(),
                requestedAt: z.string(),
                waitingSeconds: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    ...adminErrorResponses,
  },
});
const explainRoute = createRoute({
  tags: ["routing"],
  security,
  method: "get",
  path: "/v1/admin/conversations/{id}/routing",
  summary: "How a conversation was routed: each hand-over and every assignment with the rule that decided and why",
  request: { params: z.object({ id: z.string().regex(/^cv_[A-Za-z0-9_-]{16}$/) }) },
  responses: { 200: { description: "Routing history", content: { "application/json": { schema: z.object({}).passthrough() } } }, ...adminErrorResponses },
});
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, "a date (YYYY-MM-DD) or an ISO time");
const statsRoute = createRoute({
  tags: ["routing"],
  security,
  method: "get",
  path: "/v1/admin/stats",
  summary: "Conversations, bot-resolved and transfer rates, transfer reasons, wait (average, p90), first response, CSAT per agent, unanswered, tickets",
  request: { query: z.object({ from: day, to: day }) },
  responses: { 200: { description: "Stats", content: { "application/json": { schema: z.object({}).passthrough().openapi("ServiceStats") } } }, ...adminErrorResponses },
});

const auditRoute = createRoute({
  tags: ["routing"],
  security,
  method: "get",
  path: "/v1/admin/audit",
  summary: "The audit log: every change made through the admin and staff API, newest first (who, route, target, body without secrets)",
  request: { query: z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: { 200: { description: "A page of the log", content: { "application/json": { schema: z.object({}).passthrough() } } }, ...adminErrorResponses },
});

/** A day is China-time midnight (the shop's day); a full ISO time is taken as it is. */
const parseWhen = (v: string) => new Date(v.length === 10 ? `${v}T00:00:00+08:00` : v);

export function adminRoutingRoutes(deps: { routing: Routing }) {
  return createRouter()
    .openapi(listRoute, async (c) => c.json({ items: await listAgents(c.get("ctx")) }, 200))
    .openapi(createAgentRoute, async (c) => c.json(await createAgent(c.get("ctx"), c.req.valid("json")), 201))
    .openapi(patchRoute, async (c) => {
      const ctx = c.get("ctx");
      const changes = c.req.valid("json");
      const agent = await updateAgent(ctx, c.req.valid("param").id, changes);
      // A disabled agent's conversations go to someone else.
      if (changes.disabled) return c.json(toProfile(await deps.routing.setAgentStatus(ctx, agent.id, "offline", "admin")), 200);
      return c.json(agent, 200);
    })
    .openapi(statusRoute, async (c) => c.json(toProfile(await deps.routing.setAgentStatus(c.get("ctx"), c.req.valid("param").id, c.req.valid("json").status, "admin")), 200))
    .openapi(dedicatedRoute, async (c) => c.json(await setDedicatedAgent(c.get("ctx"), c.req.valid("param").id, c.req.valid("json").agentId), 200))
    .openapi(queueRoute, async (c) => {
      const ctx = c.get("ctx");
      const now = ctx.clock.now();
      const rows = await ctx.db.select().from(t.handoffs).where(inArray(t.handoffs.status, ["waiting", "offered"])).orderBy(asc(t.handoffs.status), asc(t.handoffs.requestedAt));
      const items = rows
        .sort((a, b) => (a.status === b.status ? b.priority - a.priority || a.requestedAt.getTime() - b.requestedAt.getTime() || a.id - b.id : a.status === "offered" ? -1 : 1))
        .map((h) => ({
          conversationId: h.conversationId,
          status: h.status,
          reason: h.reason,
          vipLevel: h.vipLevel,
          priority: h.priority,
          group: h.queueGroup,
          agentId: h.agentId,
          why: h.why,
          requestedAt: h.requestedAt.toISOString(),
          waitingSeconds: Math.round((now.getTime() - h.requestedAt.getTime()) / 1000),
        }));
      return c.json({ items }, 200);
    })
    .openapi(explainRoute, async (c) => {
      const ctx = c.get("ctx");
      const id = c.req.valid("param").id;
      const handoffs = await ctx.db.select().from(t.handoffs).where(inArray(t.handoffs.conversationId, [id])).orderBy(asc(t.handoffs.id));
      return c.json(serialize({ handoffs, assignments: await deps.routing.assignmentsOf(ctx.db, id) }), 200);
    })
    .openapi(auditRoute, async (c) => {
      const q = c.req.valid("query");
      return c.json(serialize(await listAudit(c.get("ctx"), q.page, q.pageSize)), 200);
    })
    .openapi(statsRoute, async (c) => {
      const { from, to } = c.req.valid("query");
      const range = { from: parseWhen(from), to: parseWhen(to) };
      if (Number.isNaN(range.from.getTime()) || Number.isNaN(range.to.getTime())) throw new ValidationError("from and to must be valid dates");
      // `to` as a day means the whole of that day.
      if (to.length === 10) range.to = new Date(range.to.getTime() + 86_400_000);
      if (range.to <= range.from) throw new ValidationError("to must be after from");
      return c.json(await serviceStats(c.get("ctx"), range), 200);
    });
}
