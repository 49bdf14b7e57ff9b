/**
 * The widget's knowledge helpers: GET /v1/kb/suggest (questions for what the shopper is typing) and
 * GET /v1/kb/hot (猜你想问 for a conversation). Neither needs a key: suggestions only show standard
 * questions, and the conversation id is the shopper's key to their own conversation.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { hotQuestions } from "../../dialogue/hot.js";
import type { KnowledgeBase } from "../../kb/service.js";
import { createRouter, errorResponses, notFoundResponse } from "../openapi.js";

const suggestRoute = createRoute({
  method: "get",
  path: "/v1/kb/suggest",
  tags: ["knowledge"],
  summary: "Up to 5 standard questions for a partial input (prefix, fuzzy and semantic), for input association",
  request: {
    query: z.object({
      q: z.string().max(100, "q must be at most 100 characters").openapi({ example: "退货运" }),
      limit: z.coerce.number().int().min(1).max(10).default(5),
    }),
  },
  responses: {
    200: {
      description: "Suggestions, best first; empty for an empty input",
      content: {
        "application/json": {
          schema: z
            .object({
              items: z.array(
                z.object({
                  id: z.string(),
                  question: z.string().openapi({ description: "the entry's standard question, to show" }),
                  matched: z.string().openapi({ description: "the standard or similar question that matched" }),
                  source: z.enum(["prefix", "fuzzy", "semantic"]),
                }),
              ),
            })
            .openapi("Suggestions"),
        },
      },
    },
    ...errorResponses,
  },
});

const hotRoute = createRoute({
  method: "get",
  path: "/v1/kb/hot",
  tags: ["knowledge"],
  summary: "猜你想问: questions likely for this shopper now (their orders, the page, then the most asked)",
  request: {
    query: z.object({
      conversationId: z.string().min(1).max(64).openapi({ example: "cv_x2f…" }),
      limit: z.coerce.number().int().min(1).max(10).default(8),
    }),
  },
  responses: {
    200: {
      description: "Questions, most relevant first; send `payload` as a message to ask one",
      content: {
        "application/json": {
          schema: z
            .object({
              items: z.array(
                z.object({
                  question: z.string(),
                  payload: z.string().openapi({ example: '/kb{"id":"returns-seven-day-policy"}' }),
                  source: z.enum(["order", "page", "popular"]),
                  entryId: z.string().optional(),
                }),
              ),
            })
            .openapi("HotQuestions"),
        },
      },
    },
    ...errorResponses,
    ...notFoundResponse,
  },
});

export function knowledgeRoutes(deps: { knowledge: KnowledgeBase }) {
  return createRouter()
    .openapi(suggestRoute, (c) => {
      const { q, limit } = c.req.valid("query");
      return c.json({ items: deps.knowledge.suggest(q, c.get("ctx").clock.now(), limit) }, 200);
    })
    .openapi(hotRoute, async (c) => {
      const { conversationId, limit } = c.req.valid("query");
      return c.json({ items: await hotQuestions(c.get("ctx"), deps.knowledge, conversationId, limit) }, 200);
    });
}
