/** The Hono app: middleware, one sub-app per resource, the OpenAPI document and error rendering. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Clock } from "../context.js";
import type { Database } from "../db/client.js";
import type { DialogueEngine } from "../dialogue/engine.js";
import type { KnowledgeBase } from "../kb/service.js";
import type { NluService } from "../nlp/service.js";
import type { CannedReply } from "../routing/config.js";
import type { EventHub } from "../routing/events.js";
import type { Routing } from "../routing/service.js";
import type { Logger } from "../shared/logger.js";
import type { AppEnv } from "./env.js";
import { describeZodError, errorResponse, handleError } from "./errors.js";
import { auditChanges, refuseNul, requestContext, requireAdmin } from "./middleware.js";
import { clientAddress, rateLimit, TokenBuckets } from "./rate-limit.js";
import { knowledgeRoutes } from "./routes/kb.js";
import { adminKnowledgeRoutes } from "./routes/admin-kb.js";
import { adminShopRoutes } from "./routes/admin-shop.js";
import { docsRoutes } from "./routes/docs.js";
import { healthRoutes } from "./routes/health.js";
import { mediaRoutes } from "./routes/media.js";
import { conversationRoutes } from "./routes/conversations.js";
import { nluRoutes } from "./routes/nlu.js";
import { identityRoutes } from "./routes/identity.js";
import { agentRoutes } from "./routes/agents.js";
import { adminRoutingRoutes } from "./routes/admin-routing.js";
import { eventRoutes } from "./routes/events.js";
import { ticketRoutes } from "./routes/tickets.js";
import { adminClusterRoutes } from "./routes/admin-clusters.js";
import type { WebAssets } from "../web/build.js";
import { webRoutes } from "./routes/web.js";
import type { LearningDeps } from "../learning/service.js";

export const MAX_BODY_BYTES = 16 * 1024;
/**
 * Admin routes a maintainer's token opens too: the knowledge base, the clusters to review, the
 * model's evaluation and the service numbers (the console's dashboard); never customers or agents.
 */
const MAINTAINER_PREFIXES = ["/v1/admin/kb/", "/v1/admin/clusters", "/v1/admin/retrains", "/v1/admin/nlu/evaluation", "/v1/admin/stats"];

export interface AppDeps {
  database: Pick<Database, "kind" | "db" | "ping">;
  log: Logger;
  clock: Clock;
  adminKey: string;
  identitySecret: string;
  tfBackend: string;
  version: string;
  nlu: NluService;
  knowledge: KnowledgeBase;
  dialogue: DialogueEngine;
  routing: Routing;
  /** Live events of this process (LISTEN/NOTIFY fan-out to the SSE streams). */
  hub: EventHub;
  canned: readonly CannedReply[];
  agentSessionHours: number;
  learning: LearningDeps;
  /** The front ends, bundled once at start-up (buildWebAssets); the demo shop only outside production. */
  web?: { assets: WebAssets; demoEnabled: boolean };
  /** Origins of shop pages that may call the shopper routes from a browser ("*" for any); none: same origin only. */
  corsOrigins?: readonly string[];
  /** Requests per minute per client address on /v1, and messages per minute per conversation; 0 turns one off. */
  limits?: { perClientPerMinute: number; perConversationPerMinute: number; trustProxy: boolean };
}

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const { message, details } = describeZodError(result.error, result.target);
        return errorResponse(c, "validation_failed", message, details);
      }
    },
  });

  app.use("*", requestContext({ db: deps.database.db, log: deps.log, clock: deps.clock }));
  app.use(
    "*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c, "payload_too_large", `request body is larger than ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.use("/v1/*", refuseNul());
  if (deps.corsOrigins?.length) {
    // The widget runs on the shop's pages: the shopper's routes answer other origins. No cookies are
    // involved (the conversation id and the signed customer token are the keys), so no credentials.
    const origins = deps.corsOrigins;
    const shopper = cors({ origin: origins.includes("*") ? "*" : [...origins], allowMethods: ["GET", "POST"], allowHeaders: ["content-type", "last-event-id"], maxAge: 600 });
    for (const path of ["/v1/conversations", "/v1/conversations/*", "/v1/kb/*", "/v1/identity/*"]) app.use(path, shopper);
  }
  const limits = deps.limits;
  if (limits?.perClientPerMinute) {
    app.use("/v1/*", rateLimit(new TokenBuckets(limits.perClientPerMinute, 60_000), (c) => clientAddress(c, limits.trustProxy), "requests from this address"));
  }
  if (limits?.perConversationPerMinute) {
    const buckets = new TokenBuckets(limits.perConversationPerMinute, 60_000);
    app.use("/v1/conversations/*", rateLimit(buckets, (c) => (c.req.method === "POST" ? (/^\/v1\/conversations\/([^/]+)\/messages$/.exec(c.req.path)?.[1] ?? null) : null), "messages in this conversation"));
  }
  app.use("/v1/admin/*", requireAdmin(deps.adminKey, { maintainerPrefixes: MAINTAINER_PREFIXES }));
  app.use("/v1/admin/*", auditChanges());
  app.use("/v1/tickets/*", auditChanges());
  app.use("/v1/tickets", auditChanges());

  app.route("/", healthRoutes({ dbKind: deps.database.kind, ping: deps.database.ping, tfBackend: deps.tfBackend, version: deps.version }));
  app.route("/", identityRoutes({ identitySecret: deps.identitySecret }));
  app.route("/", adminShopRoutes());
  app.route("/", nluRoutes({ nlu: deps.nlu }));
  app.route("/", adminKnowledgeRoutes({ knowledge: deps.knowledge }));
  app.route("/", knowledgeRoutes({ knowledge: deps.knowledge }));
  app.route(
    "/",
    conversationRoutes({
      engine: deps.dialogue,
      parse: (text, now) => deps.nlu.pipeline.parse(text, now),
      identitySecret: deps.identitySecret,
      routing: deps.routing,
    }),
  );
  app.route("/", agentRoutes({ routing: deps.routing, knowledge: deps.knowledge, canned: deps.canned, sessionHours: deps.agentSessionHours }));
  app.route("/", eventRoutes({ hub: deps.hub, trustProxy: deps.limits?.trustProxy }));
  app.route("/", adminRoutingRoutes({ routing: deps.routing }));
  app.route("/", ticketRoutes({ routing: deps.routing, adminKey: deps.adminKey }));
  app.route("/", adminClusterRoutes({ learning: deps.learning }));
  app.route("/", mediaRoutes());
  app.route("/", docsRoutes());
  if (deps.web) app.route("/", webRoutes({ assets: deps.web.assets, demo: { enabled: deps.web.demoEnabled, identitySecret: deps.identitySecret } }));

  app.openAPIRegistry.registerComponent("securitySchemes", "adminKey", {
    type: "http",
    scheme: "bearer",
    description: "KEFU_ADMIN_KEY",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "agentToken", {
    type: "http",
    scheme: "bearer",
    description: "the token from POST /v1/agents/login",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "kefu API",
      version: deps.version,
      description: "Customer-service bot for Chinese online shops. Errors always answer {error: {code, message, requestId}}.",
    },
  });

  app.notFound((c) => errorResponse(c, "not_found", `no route for ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}

export type App = ReturnType<typeof createApp>;
