/**
 * The agent workbench API: log in, set a status, list my conversations (unread first), accept,
 * read the conversation with the bot's context and the shopper's orders, get suggested answers and
 * canned replies, send text and cards, transfer, close with a summary. Agent token only.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { Reply } from "../../dialogue/replies.js";
import type { KnowledgeBase } from "../../kb/service.js";
import { getAgent, login, logout, toProfile } from "../../routing/agents.js";
import type { CannedReply } from "../../routing/config.js";
import type { Routing } from "../../routing/service.js";
import { agentReplies, conversationForAgent, suggestAnswers, transferTargets } from "../../routing/workbench.js";
import { AGENT_STATUSES, CHANNELS, HANDOFF_STATUSES } from "../../db/schema.js";
import { ForbiddenError } from "../../shared/errors.js";
import type { AppEnv } from "../env.js";
import { bearerToken, requireAgent } from "../middleware.js";
import { createRouter, errorContentFor, errorResponses, notFoundResponse, serialize, unauthorizedResponse } from "../openapi.js";

const security = [{ agentToken: [] }];
/** Per route, not per path prefix: the event stream under /v1/agents/me also takes the token from the query. */
const agentOnly = requireAgent();
const forbidden = { 403: errorContentFor("Not one of your conversations"), 409: errorContentFor("The conversation is not in a state for this") } as const;

export const AgentProfile = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    groups: z.array(z.string()),
    maxConcurrent: z.number().int(),
    status: z.enum(AGENT_STATUSES),
    region: z.string().nullable(),
    channels: z.array(z.string()),
    role: z.enum(["agent", "maintainer"]),
    disabled: z.boolean(),
  })
  .openapi("Agent");

const ConversationId = z.object({ id: z.string().regex(/^cv_[A-Za-z0-9_-]{16}$/, "not a conversation id") });

const ListItem = z
  .object({
    conversationId: z.string(),
    status: z.enum(HANDOFF_STATUSES),
    channel: z.enum(CHANNELS),
    customer: z.object({ id: z.string(), name: z.string(), vipLevel: z.number().int() }).nullable(),
    reason: z.string(),
    summary: z.string(),
    rule: z.string().nullable().openapi({ description: "the routing rule that gave it to you" }),
    why: z.string().nullable(),
    transferNote: z.string().nullable(),
    lastText: z.string().nullable(),
    unread: z.number().int(),
    unansweredSeconds: z.number().int().openapi({ description: "since the oldest shopper message you have not answered" }),
    waitingSeconds: z.number().int().openapi({ description: "since the hand-over" }),
    offerExpiresAt: z.string().nullable().openapi({ description: "accept before this, or it goes to someone else" }),
  })
  .openapi("AgentConversation");

const SendBody = z
  .union([
    z.object({ text: z.string().trim().min(1, "text must not be empty").max(2000) }).strict(),
    z.object({ cannedId: z.string().min(1).max(40) }).strict(),
    z.object({ productId: z.string().min(1).max(64) }).strict(),
    z.object({ orderId: z.string().regex(/^\d{16}$/, "orderId is the 16-digit order number") }).strict(),
  ])
  .openapi("AgentMessage", { description: "Text, a canned reply, a product card or one of the shopper's orders as a card" });

const TransferBody = z
  .object({
    agentId: z.string().min(1).max(40).optional(),
    group: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/).optional(),
    note: z.string().trim().min(1, "a note for the next agent is required").max(500),
  })
  .strict()
  .refine((b) => !!b.agentId !== !!b.group, "give agentId or group (one of them)")
  .openapi("Transfer");


const loginRoute = createRoute({
  method: "post",
  path: "/v1/agents/login",
  tags: ["agents"],
  summary: "Log in with the credentials an admin created; the token is only good for agent routes",
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict().openapi("AgentLogin") } },
    },
  },
  responses: {
    200: { description: "Logged in", content: { "application/json": { schema: z.object({ token: z.string(), expiresAt: z.string(), agent: AgentProfile }) } } },
    ...errorResponses,
    ...unauthorizedResponse,
  },
});

const logoutRoute = createRoute({
  tags: ["agents"],
  security,
  // Agents and maintainers log in at the same place and log out here.
  middleware: [requireAgent({ anyRole: true })] as const,
  method: "post",
  path: "/v1/agents/logout",
  summary: "End this token's session (agents and maintainers)",
  responses: { 204: { description: "Logged out" }, ...unauthorizedResponse },
});
const meRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "get",
  path: "/v1/agents/me",
  summary: "My profile and status",
  responses: { 200: { description: "Me", content: { "application/json": { schema: AgentProfile } } }, ...unauthorizedResponse },
});
const statusRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "put",
  path: "/v1/agents/me/status",
  summary: "online takes conversations from the queue; busy and away take no new ones; offline hands mine back",
  request: { body: { required: true, content: { "application/json": { schema: z.object({ status: z.enum(AGENT_STATUSES) }).strict() } } } },
  responses: { 200: { description: "Changed", content: { "application/json": { schema: AgentProfile } } }, ...errorResponses, ...unauthorizedResponse },
});
const listRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "get",
  path: "/v1/agents/me/conversations",
  summary: "My offered and active conversations: most unread first, then the longest unanswered, then the longest waiting",
  responses: { 200: { description: "Mine", content: { "application/json": { schema: z.object({ items: z.array(ListItem) }) } } }, ...unauthorizedResponse },
});
const viewRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "get",
  path: "/v1/agents/me/conversations/{id}",
  summary: "The conversation: transcript with each turn's intent, emotion and slots, why it was handed over, the shopper's orders and tickets",
  request: { params: ConversationId },
  responses: {
    200: { description: "The conversation", content: { "application/json": { schema: z.object({}).passthrough().openapi("AgentConversationView") } } },
    ...errorResponses,
    ...unauthorizedResponse,
    ...notFoundResponse,
    ...forbidden,
  },
});
const acceptRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "post",
  path: "/v1/agents/me/conversations/{id}/accept",
  summary: "Accept a conversation offered to me",
  request: { params: ConversationId },
  responses: { 200: { description: "Accepted", content: { "application/json": { schema: z.object({ status: z.enum(HANDOFF_STATUSES) }) } } }, ...errorResponses, ...unauthorizedResponse, ...notFoundResponse, ...forbidden },
});
const sendRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "post",
  path: "/v1/agents/me/conversations/{id}/messages",
  summary: "Send the shopper text, a canned reply, a product card or an order card",
  request: { params: ConversationId, body: { required: true, content: { "application/json": { schema: SendBody } } } },
  responses: {
    201: { description: "Sent", content: { "application/json": { schema: z.object({ seq: z.number().int(), at: z.string(), replies: z.array(Reply) }) } } },
    ...errorResponses,
    ...unauthorizedResponse,
    ...notFoundResponse,
    ...forbidden,
  },
});
const readRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "post",
  path: "/v1/agents/me/conversations/{id}/read",
  summary: "Mark the conversation read (unread count back to 0)",
  request: { params: ConversationId },
  responses: { 204: { description: "Read" }, ...errorResponses, ...unauthorizedResponse, ...forbidden },
});
const suggestRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "get",
  path: "/v1/agents/me/conversations/{id}/suggestions",
  summary: "Knowledge answers for the shopper's last message, to send with one click",
  request: { params: ConversationId },
  responses: {
    200: {
      description: "Suggestions",
      content: {
        "application/json": {
          schema: z.object({ question: z.string().nullable(), suggestions: z.array(z.object({ entryId: z.string(), question: z.string(), answer: z.string(), score: z.number() })) }),
        },
      },
    },
    ...errorResponses,
    ...unauthorizedResponse,
    ...forbidden,
  },
});
const transferRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "post",
  path: "/v1/agents/me/conversations/{id}/transfer",
  summary: "Hand the conversation to another agent or a group, with a note",
  request: { params: ConversationId, body: { required: true, content: { "application/json": { schema: TransferBody } } } },
  responses: {
    200: {
      description: "Transferred (offered to someone, or waiting for them)",
      content: { "application/json": { schema: z.object({ status: z.enum(HANDOFF_STATUSES), agentId: z.string().nullable(), position: z.number().int() }) } },
    },
    ...errorResponses,
    ...unauthorizedResponse,
    ...notFoundResponse,
    ...forbidden,
  },
});
const closeRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "post",
  path: "/v1/agents/me/conversations/{id}/close",
  summary: "Close with a summary; the shopper is asked to rate the service",
  request: { params: ConversationId, body: { required: true, content: { "application/json": { schema: z.object({ summary: z.string().trim().min(1, "summary must not be empty").max(1000) }).strict() } } } },
  responses: { 200: { description: "Closed", content: { "application/json": { schema: z.object({ closedAt: z.string() }) } } }, ...errorResponses, ...unauthorizedResponse, ...notFoundResponse, ...forbidden },
});
const targetsRoute = createRoute({
  method: "get",
  path: "/v1/agents/transfer-targets",
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  summary: "Groups (with their agents online) and other agents a conversation can be transferred to",
  responses: {
    200: {
      description: "Targets",
      content: {
        "application/json": {
          schema: z.object({
            groups: z.array(z.object({ id: z.string(), name: z.string(), online: z.number().int() })),
            agents: z.array(z.object({ id: z.string(), name: z.string(), status: z.enum(AGENT_STATUSES), groups: z.array(z.string()) })),
          }),
        },
      },
    },
    ...unauthorizedResponse,
  },
});

const cannedRoute = createRoute({
  tags: ["agents"],
  security,
  middleware: [agentOnly] as const,
  method: "get",
  path: "/v1/agents/canned-replies",
  summary: "Canned replies ({name} becomes the shopper's name when sent)",
  responses: {
    200: { description: "Canned replies", content: { "application/json": { schema: z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), text: z.string() })) }) } } },
    ...unauthorizedResponse,
  },
});

export interface AgentRouteDeps {
  routing: Routing;
  knowledge: KnowledgeBase;
  canned: readonly CannedReply[];
  sessionHours: number;
}

const me = (c: Context<AppEnv>) => {
  const actor = c.get("ctx").actor;
  if (actor.kind !== "agent") throw new ForbiddenError("agent routes need an agent token");
  return actor.agentId;
};

export function agentRoutes(deps: AgentRouteDeps) {
  const app = createRouter();
  return app
    .openapi(loginRoute, async (c) => c.json(serialize(await login(c.get("ctx"), c.req.valid("json"), deps.sessionHours)), 200))
    .openapi(logoutRoute, async (c) => {
      await logout(c.get("ctx"), bearerToken(c)!);
      return c.body(null, 204);
    })
    .openapi(meRoute, async (c) => c.json(toProfile(await getAgent(c.get("ctx"), me(c))), 200))
    .openapi(statusRoute, async (c) => c.json(toProfile(await deps.routing.setAgentStatus(c.get("ctx"), me(c), c.req.valid("json").status)), 200))
    .openapi(listRoute, async (c) => c.json(serialize({ items: await deps.routing.listForAgent(c.get("ctx"), me(c)) }), 200))
    .openapi(viewRoute, async (c) => c.json(serialize(await conversationForAgent(c.get("ctx"), deps.routing, me(c), c.req.valid("param").id)), 200))
    .openapi(acceptRoute, async (c) => {
      const { handoff } = await deps.routing.accept(c.get("ctx"), me(c), c.req.valid("param").id);
      return c.json({ status: handoff.status }, 200);
    })
    .openapi(sendRoute, async (c) => {
      const id = c.req.valid("param").id;
      const ctx = c.get("ctx");
      await deps.routing.assertAgentMay(ctx.db, me(c), id);
      const replies = await agentReplies(ctx, deps.canned, id, c.req.valid("json"));
      const sent = await deps.routing.sendAgentMessage(ctx, me(c), id, replies);
      return c.json(serialize({ ...sent, replies }), 201);
    })
    .openapi(readRoute, async (c) => {
      await deps.routing.markRead(c.get("ctx"), me(c), c.req.valid("param").id);
      return c.body(null, 204);
    })
    .openapi(suggestRoute, async (c) => c.json(await suggestAnswers(c.get("ctx"), deps.routing, deps.knowledge, me(c), c.req.valid("param").id), 200))
    .openapi(transferRoute, async (c) => {
      const body = c.req.valid("json");
      const { handoff, queue } = await deps.routing.transfer(c.get("ctx"), me(c), c.req.valid("param").id, { agentId: body.agentId, group: body.group, note: body.note });
      return c.json({ status: handoff.status, agentId: handoff.agentId, position: queue.position }, 200);
    })
    .openapi(closeRoute, async (c) => c.json(serialize(await deps.routing.closeByAgent(c.get("ctx"), me(c), c.req.valid("param").id, c.req.valid("json").summary)), 200))
    .openapi(cannedRoute, async (c) => c.json({ items: deps.canned.map((r) => ({ ...r })) }, 200))
    .openapi(targetsRoute, async (c) => c.json(await transferTargets(c.get("ctx"), deps.routing, me(c)), 200));
}
