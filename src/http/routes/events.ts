/**
 * Live events as Server-Sent Events: the agent's stream (offers, shopper messages, transfers) and
 * the widget's stream for one conversation (agent joined, agent messages, queue position, closed).
 * Each event carries its id; a client reconnecting with Last-Event-ID gets what it missed.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { eq } from "drizzle-orm";
import * as t from "../../db/schema.js";
import { touchAgents } from "../../routing/agents.js";
import type { EventHub, RealtimeEvent, StreamFilter } from "../../routing/events.js";
import { NotFoundError, DomainError } from "../../shared/errors.js";
import type { AppEnv } from "../env.js";
import { requireAgent } from "../middleware.js";
import { clientAddress } from "../rate-limit.js";
import { createRouter, errorResponses, notFoundResponse, unauthorizedResponse } from "../openapi.js";

const KEEPALIVE_MS = 15_000;
/** Streams open at once for the same conversation or agent, and from one client address. */
export const MAX_STREAMS_PER_TARGET = 5;
export const MAX_STREAMS_PER_CLIENT = 20;

const sseResponse = { description: "text/event-stream; each event's `event` is its type, `id` its id, `data` the JSON event", content: { "text/event-stream": { schema: z.string() } } };
const LastEventId = z.object({ lastEventId: z.coerce.number().int().min(0).optional().openapi({ description: "the same as the Last-Event-ID header" }) });

const agentStream = createRoute({
  method: "get",
  path: "/v1/agents/me/events",
  tags: ["agents"],
  summary: "My live events: conversations offered to me, shopper messages, withdrawn offers, status changes",
  security: [{ agentToken: [] }],
  middleware: [requireAgent({ allowQueryToken: true })] as const,
  request: { query: LastEventId.extend({ access_token: z.string().optional().openapi({ description: "the agent token, for EventSource which cannot send headers" }) }) },
  responses: { 200: sseResponse, ...unauthorizedResponse, 429: errorResponses[400] },
});

const conversationStream = createRoute({
  method: "get",
  path: "/v1/conversations/{id}/events",
  tags: ["conversations"],
  summary: "The widget's live events: queue position, agent joined, agent messages, ticket updates, closed",
  request: { params: z.object({ id: z.string().regex(/^cv_[A-Za-z0-9_-]{16}$/, "not a conversation id") }), query: LastEventId },
  responses: { 200: sseResponse, ...errorResponses, ...notFoundResponse },
});

export function eventRoutes(deps: { hub: EventHub; trustProxy?: boolean }) {
  const open = new Map<string, number>();
  const app = createRouter();

  const stream = (c: Context<AppEnv>, key: string, filter: StreamFilter, afterId: number | null, onBeat?: () => Promise<void>) => {
    const client = `client:${clientAddress(c, deps.trustProxy ?? false)}`;
    if ((open.get(key) ?? 0) >= MAX_STREAMS_PER_TARGET) throw new DomainError("rate_limited", `at most ${MAX_STREAMS_PER_TARGET} event streams at a time for one conversation or agent`);
    if ((open.get(client) ?? 0) >= MAX_STREAMS_PER_CLIENT) throw new DomainError("rate_limited", `at most ${MAX_STREAMS_PER_CLIENT} event streams at a time from one address`);
    for (const k of [key, client]) open.set(k, (open.get(k) ?? 0) + 1);
    return streamSSE(c, async (sse) => {
      let unsubscribe: (() => void) | null = null;
      let finish = () => {};
      const done = new Promise<void>((resolve) => {
        finish = resolve;
        sse.onAbort(() => resolve());
      });
      const send = (e: RealtimeEvent) => void sse.writeSSE({ id: String(e.id), event: e.type, data: JSON.stringify(e) }).catch(() => {});
      try {
        await sse.writeSSE({ event: "ready", data: JSON.stringify({ lastEventId: afterId }), retry: 2000 });
        unsubscribe = await deps.hub.subscribe(filter, afterId, send, () => finish());
        const beat = setInterval(() => {
          void sse.write(": keepalive\n\n").catch(() => {});
          void onBeat?.().catch(() => {});
        }, KEEPALIVE_MS);
        await done;
        clearInterval(beat);
      } finally {
        unsubscribe?.();
        for (const k of [key, client]) {
          const left = (open.get(k) ?? 1) - 1;
          if (left > 0) open.set(k, left);
          else open.delete(k);
        }
      }
    });
  };

  const afterId = (c: Context<AppEnv>, query: number | undefined): number | null => {
    const header = Number(c.req.header("last-event-id"));
    if (Number.isInteger(header) && header >= 0 && c.req.header("last-event-id") !== undefined) return header;
    // A first connection gets only what happens from now on; its state came with the REST answers.
    return query ?? null;
  };

  return app
    .openapi(agentStream, async (c) => {
      const actor = c.get("ctx").actor;
      const agentId = actor.kind === "agent" ? actor.agentId : "";
      const ctx = c.get("ctx");
      return stream(c, `agent:${agentId}`, { agentId }, afterId(c, c.req.valid("query").lastEventId), () => touchAgents(ctx, [agentId])) as never;
    })
    .openapi(conversationStream, async (c) => {
      const id = c.req.valid("param").id;
      const [row] = await c.get("ctx").db.select({ id: t.conversations.id }).from(t.conversations).where(eq(t.conversations.id, id));
      if (!row) throw new NotFoundError(`conversation ${id} does not exist`);
      return stream(c, `conversation:${id}`, { conversationId: id }, afterId(c, c.req.valid("query").lastEventId)) as never;
    });
}
