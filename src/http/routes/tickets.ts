/**
 * After-sales tickets for the service team (agent token or admin key): list, open, read with its
 * history, change status/priority/assignee, comment. Shoppers see their tickets through their
 * conversation (GET /v1/conversations/:id/tickets).
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from "../../db/schema.js";
import type { Routing } from "../../routing/service.js";
import { commentTicket, getTicket, listTickets, openTicket, updateTicket } from "../../routing/tickets.js";
import type { AppEnv } from "../env.js";
import { requireStaff } from "../middleware.js";
import { pageOf } from "../schemas.js";
import { createRouter, errorContentFor, errorResponses, notFoundResponse, serialize, unauthorizedResponse } from "../openapi.js";

const security: Record<string, string[]>[] = [{ agentToken: [] }, { adminKey: [] }];
const TicketId = z.object({ id: z.string().regex(/^[A-Z]{2}\d{14}$/, "not a ticket number") });

const Ticket = z
  .object({
    id: z.string(),
    type: z.enum(TICKET_TYPES),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    subject: z.string(),
    description: z.string(),
    customerId: z.string().nullable(),
    orderId: z.string().nullable(),
    conversationId: z.string().nullable(),
    reference: z.string().nullable(),
    assigneeId: z.string().nullable(),
    assignedGroup: z.string().nullable(),
    createdBy: z.string(),
    dueAt: z.string(),
    escalations: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    statusChangedAt: z.string(),
    solvedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  })
  .passthrough()
  .openapi("Ticket");
const TicketEvent = z.object({ id: z.number().int(), kind: z.string(), author: z.string(), body: z.string(), public: z.boolean(), data: z.record(z.string(), z.unknown()), createdAt: z.string() }).passthrough();

const listRoute = createRoute({
  tags: ["tickets"],
  security,
  method: "get",
  path: "/v1/tickets",
  summary: "Tickets, most urgent and soonest due first; mine=true for my own",
  request: {
    query: z.object({
      status: z
        .string()
        .optional()
        .transform((v) => (v ? v.split(",") : undefined))
        .pipe(z.array(z.enum(TICKET_STATUSES)).optional()),
      type: z.enum(TICKET_TYPES).optional(),
      mine: z.enum(["true", "false"]).optional(),
      customerId: z.string().max(64).optional(),
      page: z.coerce.number().int().min(1).max(10_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  responses: {
    200: { description: "A page of tickets", content: { "application/json": { schema: pageOf(Ticket, "TicketPage") } } },
    ...errorResponses,
    ...unauthorizedResponse,
  },
});
const createTicketRoute = createRoute({
  tags: ["tickets"],
  security,
  method: "post",
  path: "/v1/tickets",
  summary: "Open a ticket (SLA due time by type)",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              type: z.enum(TICKET_TYPES),
              subject: z.string().trim().min(2).max(200),
              description: z.string().trim().min(1).max(4000),
              priority: z.enum(TICKET_PRIORITIES).optional(),
              customerId: z.string().min(1).max(64).optional(),
              orderId: z.string().regex(/^\d{16}$/).optional(),
              conversationId: z.string().regex(/^cv_[A-Za-z0-9_-]{16}$/).optional(),
              assigneeId: z.string().regex(/^ag_[A-Za-z0-9_-]{8}$/).optional(),
              group: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/).optional(),
            })
            .strict()
            .openapi("NewTicket"),
        },
      },
    },
  },
  responses: { 201: { description: "Opened", content: { "application/json": { schema: Ticket } } }, ...errorResponses, ...unauthorizedResponse },
});
const getRoute = createRoute({
  tags: ["tickets"],
  security,
  method: "get",
  path: "/v1/tickets/{id}",
  summary: "A ticket with every comment and change",
  request: { params: TicketId },
  responses: { 200: { description: "The ticket", content: { "application/json": { schema: z.object({ ticket: Ticket, events: z.array(TicketEvent) }) } } }, ...errorResponses, ...notFoundResponse },
});
const patchRoute = createRoute({
  tags: ["tickets"],
  security,
  method: "patch",
  path: "/v1/tickets/{id}",
  summary: "Change status (new → open → pending → solved → closed; solved may reopen), priority, assignee or group",
  request: {
    params: TicketId,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              status: z.enum(TICKET_STATUSES).optional(),
              priority: z.enum(TICKET_PRIORITIES).optional(),
              assigneeId: z.string().regex(/^ag_[A-Za-z0-9_-]{8}$/).nullable().optional(),
              group: z.string().regex(/^[a-z][a-z0-9_]{0,40}$/).nullable().optional(),
              comment: z.string().trim().min(1).max(2000).optional(),
              public: z.boolean().optional(),
            })
            .strict()
            .refine((b) => Object.keys(b).some((k) => k !== "public"), "nothing to change")
            .openapi("TicketChange"),
        },
      },
    },
  },
  responses: { 200: { description: "Changed", content: { "application/json": { schema: Ticket } } }, ...errorResponses, ...notFoundResponse, 409: errorContentFor("Not a status change the ticket may make") },
});
const commentRoute = createRoute({
  tags: ["tickets"],
  security,
  method: "post",
  path: "/v1/tickets/{id}/comments",
  summary: "Comment; a public comment is shown to the shopper in their conversation",
  request: {
    params: TicketId,
    body: { required: true, content: { "application/json": { schema: z.object({ body: z.string().trim().min(1).max(2000), public: z.boolean().default(false) }).strict() } } },
  },
  responses: { 201: { description: "Added", content: { "application/json": { schema: TicketEvent } } }, ...errorResponses, ...notFoundResponse },
});

const author = (c: Context<AppEnv>) => {
  const actor = c.get("ctx").actor;
  return actor.kind === "agent" ? `agent:${actor.agentId}` : "admin";
};

export function ticketRoutes(deps: { routing: Routing; adminKey: string }) {
  const app = createRouter();
  app.use("/v1/tickets", requireStaff(deps.adminKey));
  app.use("/v1/tickets/*", requireStaff(deps.adminKey));
  return app
    .openapi(listRoute, async (c) => {
      const q = c.req.valid("query");
      const actor = c.get("ctx").actor;
      const assigneeId = q.mine === "true" && actor.kind === "agent" ? actor.agentId : undefined;
      return c.json(serialize(await listTickets(c.get("ctx"), { status: q.status, type: q.type, assigneeId, customerId: q.customerId, page: q.page, pageSize: q.pageSize })), 200);
    })
    .openapi(createTicketRoute, async (c) => {
      const body = c.req.valid("json");
      return c.json(serialize(await openTicket(c.get("ctx"), deps.routing.tickets, { ...body, createdBy: author(c) })), 201);
    })
    .openapi(getRoute, async (c) => c.json(serialize(await getTicket(c.get("ctx"), c.req.valid("param").id)), 200))
    .openapi(patchRoute, async (c) => c.json(serialize(await updateTicket(c.get("ctx"), deps.routing.tickets, c.req.valid("param").id, author(c), c.req.valid("json"))), 200))
    .openapi(commentRoute, async (c) => c.json(serialize(await commentTicket(c.get("ctx"), deps.routing.tickets, c.req.valid("param").id, author(c), c.req.valid("json"))), 201));
}
