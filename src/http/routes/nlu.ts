/** POST /v1/nlu/parse: what the bot understands of a message. POST /v1/admin/nlu/reload: pick up changes. */
import { createRoute, z } from "@hono/zod-openapi";
import type { NluService } from "../../nlp/service.js";
import { EMOTION_LABELS } from "../../nlp/emotion/lexicon.js";
import { ENTITY_TYPES } from "../../nlp/types.js";
import { adminErrorResponses, createRouter, errorResponses } from "../openapi.js";

const MAX_TEXT = 2000;

const ParseRequest = z
  .object({
    text: z
      .string()
      .max(MAX_TEXT, `text must be at most ${MAX_TEXT} characters`)
      .refine((t) => t.trim().length > 0, "text must not be empty")
      .openapi({ example: "訂單2026111877967622到哪了？" }),
  })
  .openapi("ParseRequest");

/** The emotion as the API shows it. */
export const EmotionSchema = z
  .object({
    label: z.enum(EMOTION_LABELS),
    score: z.number().openapi({ description: "intensity 0..1" }),
    escalate: z.boolean().openapi({ description: "whether this message alone calls for a human at once" }),
    reason: z.enum(["anger", "anxiety", "insult", "threat", "safety"]).optional(),
    evidence: z.string().optional().openapi({ description: "the lexicon words behind an insult, threat or safety reason" }),
    cued: z.boolean().optional().openapi({ description: "the emotion lexicon saw the label too (its words, ！！！, capitals), not the model alone" }),
  })
  .openapi("Emotion");

const Score = z.object({ name: z.string(), confidence: z.number() });

const ParseResponse = z
  .object({
    text: z.string(),
    normalized: z.string().openapi({ example: "订单2026111877967622到哪了?" }),
    tokens: z.array(z.string()),
    intent: Score.openapi({ description: "out_of_scope when the model is unsure; the ranking still shows its guesses" }),
    ranking: z.array(Score).max(5),
    entities: z.array(
      z.object({
        type: z.enum(ENTITY_TYPES),
        value: z.union([z.string(), z.number()]),
        text: z.string(),
        start: z.number().int(),
        end: z.number().int(),
      }),
    ),
    emotion: EmotionSchema.optional().openapi({ description: "absent when no emotion model is installed" }),
  })
  .openapi("ParseResult");

const parseRoute = createRoute({
  method: "post",
  path: "/v1/nlu/parse",
  tags: ["nlu"],
  summary: "Normalise, segment, extract entities and classify the intent of one message",
  request: { body: { required: true, content: { "application/json": { schema: ParseRequest } } } },
  responses: {
    200: { description: "What the bot understood", content: { "application/json": { schema: ParseResponse } } },
    ...errorResponses,
  },
});

const reloadRoute = createRoute({
  method: "post",
  path: "/v1/admin/nlu/reload",
  tags: ["admin"],
  summary: "Regenerate the segmentation dictionary from products and knowledge, and load a retrained model",
  security: [{ adminKey: [] }],
  responses: {
    200: {
      description: "What was reloaded",
      content: {
        "application/json": {
          schema: z.object({
            dictionaryWords: z.number().int(),
            model: z.object({ reloaded: z.boolean(), createdAt: z.string(), error: z.string().optional() }),
          }),
        },
      },
    },
    ...adminErrorResponses,
  },
});

const evaluationRoute = createRoute({
  method: "get",
  path: "/v1/admin/nlu/evaluation",
  tags: ["admin"],
  summary: "The serving intent model's cross-validated figures: accuracy, macro-F1, per-intent precision/recall/F1, largest confusions",
  security: [{ adminKey: [] }, { agentToken: [] }],
  responses: {
    200: {
      description: "The evaluation (report is null when the model was trained without one)",
      content: {
        "application/json": {
          schema: z.object({
            model: z.object({ createdAt: z.string(), metrics: z.record(z.string(), z.number()) }),
            report: z
              .object({
                accuracy: z.number(),
                macroF1: z.number(),
                perLabel: z.record(z.string(), z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number().int() })),
                confusions: z.array(z.object({ gold: z.string(), predicted: z.string(), count: z.number().int() })),
              })
              .passthrough()
              .nullable(),
          }),
        },
      },
    },
    ...adminErrorResponses,
  },
});

export function nluRoutes(deps: { nlu: NluService }) {
  return createRouter()
    .openapi(evaluationRoute, async (c) => c.json((await deps.nlu.evaluation()) as never, 200))
    .openapi(parseRoute, (c) => c.json(deps.nlu.pipeline.parse(c.req.valid("json").text, c.get("ctx").clock.now()), 200))
    .openapi(reloadRoute, async (c) => c.json(await deps.nlu.reload(), 200));
}
