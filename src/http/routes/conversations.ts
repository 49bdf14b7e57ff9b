/**
 * The conversation API: start a conversation, send messages (text or a clicked button's payload),
 * read the transcript with every turn's trace, close it. The conversation id is unguessable and
 * acts as the shopper's key to it; order data is only shown as the dialogue's rules allow.
 */
import { createRoute, z } from "@hono/zod-openapi";
import {
  closeConversation,
  getTranscript,
  giveFeedback,
  postMessage,
  startConversation,
  type ConversationDeps,
} from "../../dialogue/conversations.js";
import { Reply } from "../../dialogue/replies.js";
import { openTicketsOf, TICKET_STATUS_ZH, TICKET_TYPE_ZH } from "../../routing/tickets.js";
import { rateConversation } from "../../routing/workbench.js";
import { CHANNELS, CONVERSATION_MODES, MESSAGE_ROLES } from "../../db/schema.js";
import { ENTITY_TYPES } from "../../nlp/types.js";
import { EmotionSchema } from "./nlu.js";
import { createRouter, errorContentFor, errorResponses, notFoundResponse, serialize, unauthorizedResponse } from "../openapi.js";

const MAX_TEXT = 2000;

const StartRequest = z
  .object({
    customerId: z.string().min(1).max(64).optional().openapi({ example: "c-1001" }),
    customerToken: z.string().max(128).optional().openapi({ description: "hex(HMAC-SHA256(KEFU_IDENTITY_SECRET, customerId)) from the shop's backend" }),
    channel: z.enum(CHANNELS).optional().openapi({ description: "default web" }),
    context: z
      .object({
        page: z.string().max(500).optional().openapi({ example: "/products/p-af333" }),
        productId: z.string().min(1).max(64).optional().openapi({ example: "p-af333" }),
        orderId: z.string().regex(/^\d{16}$/, "orderId is the 16-digit order number").optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi("StartConversation");

const State = z
  .object({
    mode: z.enum(CONVERSATION_MODES),
    form: z.string().optional().openapi({ description: "the scenario being filled, e.g. return_refund" }),
    slots: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })
  .openapi("ConversationState");

const Entity = z.object({
  type: z.enum(ENTITY_TYPES),
  value: z.union([z.string(), z.number()]),
  text: z.string(),
  start: z.number().int(),
  end: z.number().int(),
});

const Nlu = z
  .object({
    text: z.string(),
    normalized: z.string(),
    tokens: z.array(z.string()),
    intent: z.object({ name: z.string(), confidence: z.number() }),
    ranking: z.array(z.object({ name: z.string(), confidence: z.number() })),
    entities: z.array(Entity),
    emotion: EmotionSchema.optional(),
  })
  .openapi("TurnNlu");

const ClientMessageId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "clientMessageId: 8-64 of A-Z a-z 0-9 _ -")
  .optional()
  .openapi({ description: "your id for this message: sending it again (after a lost answer) returns the same answer instead of a second message" });

const MessageRequest = z
  .union([
    z
      .object({
        text: z
          .string()
          .max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`)
          .refine((t) => t.trim().length > 0, "text must not be empty"),
        clientMessageId: ClientMessageId,
      })
      .strict(),
    z.object({ payload: z.string().min(2).max(600).openapi({ example: '/select{"order":"2026111877967622"}' }), clientMessageId: ClientMessageId }).strict(),
  ])
  .openapi("ConversationMessage", { description: "Either the shopper's text or the payload of a clicked button or card" });

const ConversationId = z.object({ id: z.string().regex(/^cv_[A-Za-z0-9_-]{16}$/, "not a conversation id").openapi({ example: "cv_3q2-7rJkYb0aTQ1x" }) });

const Trace = z.object({
  intent: z.string(),
  confidence: z.number(),
  entities: z.array(Entity),
  form: z.string().nullable(),
  slots: z.record(z.string(), z.union([z.string(), z.number()])),
  action: z.string().nullable().openapi({ description: "the scenario whose action ran this turn" }),
  events: z.array(z.string()),
  knowledge: z.object({ entryId: z.string(), score: z.number() }).optional().openapi({ description: "the knowledge entry that answered" }),
});

const Transcript = z
  .object({
    id: z.string(),
    customerId: z.string().nullable(),
    channel: z.enum(CHANNELS),
    context: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    closedAt: z.string().nullable(),
    state: State,
    handoff: z.object({ reason: z.string(), summary: z.string() }).nullable(),
    agent: z.object({ id: z.string(), name: z.string() }).nullable().openapi({ description: "the human agent offered or serving the conversation" }),
    queue: z
      .object({ position: z.number().int(), estimatedWaitSeconds: z.number().int().nullable(), group: z.string().nullable() })
      .nullable()
      .openapi({ description: "while waiting for a person: the place in the queue (0: an agent is being connected)" }),
    rating: z.object({ score: z.number().int(), comment: z.string().nullable() }).nullable().openapi({ description: "the shopper's rating, once given" }),
    messages: z.array(
      z.object({
        seq: z.number().int(),
        role: z.enum(MESSAGE_ROLES),
        at: z.string(),
        text: z.string().optional(),
        payload: z.string().optional(),
        replies: z.array(Reply).optional(),
        replyTo: z.number().int().optional(),
        trace: Trace.optional(),
        emotion: z.object({ label: z.string(), score: z.number() }).optional().openapi({ description: "the emotion read in a shopper message (on the bot turn that answered it)" }),
        agentName: z.string().optional(),
      }),
    ),
  })
  .openapi("Transcript");

const conflictResponse = { 409: errorContentFor("The conversation is closed") } as const;

const startRoute = createRoute({
  method: "post",
  path: "/v1/conversations",
  tags: ["conversations"],
  summary: "Start a conversation: the welcome message and the questions this shopper most likely has",
  request: { body: { required: true, content: { "application/json": { schema: StartRequest } } } },
  responses: {
    201: {
      description: "Started",
      content: { "application/json": { schema: z.object({ id: z.string(), replies: z.array(Reply), state: State }) } },
    },
    ...errorResponses,
    ...unauthorizedResponse,
  },
});

const messageRoute = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/messages",
  tags: ["conversations"],
  summary: "Send the shopper's message; answered in order, after it is stored",
  request: { params: ConversationId, body: { required: true, content: { "application/json": { schema: MessageRequest } } } },
  responses: {
    200: {
      description: "The bot's replies (empty while a human agent has the conversation)",
      content: {
        "application/json": {
          schema: z.object({
            messageId: z.number().int().nullable().openapi({ description: "seq of the bot's answer, for POST …/feedback" }),
            knowledge: z.object({ entryId: z.string() }).nullable().optional().openapi({ description: "the knowledge entry that answered, if one did" }),
            replies: z.array(Reply),
            nlu: Nlu.nullable(),
            state: State,
          }),
        },
      },
    },
    ...errorResponses,
    ...notFoundResponse,
    ...conflictResponse,
  },
});

const transcriptRoute = createRoute({
  method: "get",
  path: "/v1/conversations/{id}",
  tags: ["conversations"],
  summary: "The transcript, with each turn's trace: intent, confidence, entities, form, slots and the action that ran",
  request: { params: ConversationId },
  responses: {
    200: { description: "Transcript", content: { "application/json": { schema: Transcript } } },
    ...errorResponses,
    ...notFoundResponse,
  },
});

const closeRoute = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/close",
  tags: ["conversations"],
  summary: "End the conversation; later messages are refused with 409",
  request: { params: ConversationId },
  responses: {
    200: { description: "Closed", content: { "application/json": { schema: z.object({ state: State }) } } },
    ...errorResponses,
    ...notFoundResponse,
  },
});

const feedbackRoute = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/feedback",
  tags: ["conversations"],
  summary: "Was a knowledge answer helpful? An unhelpful one records the question as unanswered",
  request: {
    params: ConversationId,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z
            .object({
              messageId: z.number().int().min(1).openapi({ description: "seq of the bot message that answered from the knowledge base" }),
              helpful: z.boolean(),
            })
            .strict()
            .openapi("Feedback"),
        },
      },
    },
  },
  responses: {
    200: { description: "Recorded", content: { "application/json": { schema: z.object({ entryId: z.string() }) } } },
    ...errorResponses,
    ...notFoundResponse,
  },
});

const ratingRoute = createRoute({
  method: "post",
  path: "/v1/conversations/{id}/rating",
  tags: ["conversations"],
  summary: "The shopper rates a closed conversation 1–5, with an optional comment (rating again replaces it)",
  request: {
    params: ConversationId,
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(500).optional() }).strict().openapi("Rating") } },
    },
  },
  responses: {
    200: { description: "Recorded", content: { "application/json": { schema: z.object({ score: z.number().int(), agentId: z.string().nullable() }) } } },
    ...errorResponses,
    ...notFoundResponse,
    409: errorContentFor("The conversation is not closed yet"),
  },
});

const ticketsRoute = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/tickets",
  tags: ["conversations"],
  summary: "The verified shopper's tickets that are not closed, with their status",
  request: { params: ConversationId },
  responses: {
    200: {
      description: "Tickets",
      content: {
        "application/json": {
          schema: z.object({
            items: z.array(z.object({ id: z.string(), type: z.string(), typeText: z.string(), status: z.string(), statusText: z.string(), subject: z.string(), updatedAt: z.string() })),
          }),
        },
      },
    },
    ...errorResponses,
    ...notFoundResponse,
  },
});

export function conversationRoutes(deps: ConversationDeps) {
  return createRouter()
    .openapi(startRoute, async (c) => {
      const { id, replies, state } = await startConversation(c.get("ctx"), deps, c.req.valid("json"));
      return c.json({ id, replies, state }, 201);
    })
    .openapi(messageRoute, async (c) => {
      const result = await postMessage(c.get("ctx"), deps, c.req.valid("param").id, c.req.valid("json"));
      return c.json(result, 200);
    })
    .openapi(transcriptRoute, async (c) => {
      const ctx = c.get("ctx");
      const transcript = await getTranscript(ctx, c.req.valid("param").id);
      return c.json(serialize({ ...transcript, ...(await deps.routing.humanSide(ctx.db, transcript.id)) }), 200);
    })
    .openapi(closeRoute, async (c) => c.json({ state: await closeConversation(c.get("ctx"), deps, c.req.valid("param").id) }, 200))
    .openapi(ratingRoute, async (c) => c.json(await rateConversation(c.get("ctx"), c.req.valid("param").id, c.req.valid("json")), 200))
    .openapi(ticketsRoute, async (c) => {
      const ctx = c.get("ctx");
      const transcript = await getTranscript(ctx, c.req.valid("param").id);
      const items = transcript.customerId ? await openTicketsOf(ctx, transcript.customerId) : [];
      return c.json(
        {
          items: items.map((k) => ({ id: k.id, type: k.type, typeText: TICKET_TYPE_ZH[k.type], status: k.status, statusText: TICKET_STATUS_ZH[k.status], subject: k.subject, updatedAt: k.updatedAt.toISOString() })),
        },
        200,
      );
    })
    .openapi(feedbackRoute, async (c) => c.json(await giveFeedback(c.get("ctx"), c.req.valid("param").id, c.req.valid("json")), 200));
}
