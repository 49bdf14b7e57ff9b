/** Cross-cutting middleware: request ids and logs, the per-request service context, admin auth. */
import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Actor, Clock } from "../context.js";
import type { Db } from "../db/client.js";
import { safeEqual } from "../identity/customer-token.js";
import { authenticateAgent } from "../routing/agents.js";
import { recordAudit } from "../audit.js";
import type { Logger } from "../shared/logger.js";
import type { AppEnv } from "./env.js";
import { errorResponse } from "./errors.js";

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (the caller's X-Request-Id when well-formed), a child logger,
 * a system-actor service context, and one access-log line when it completes.
 */
export function requestContext(deps: { db: Db; log: Logger; clock: Clock }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    const log = deps.log.child({ requestId });
    c.set("requestId", requestId);
    c.set("log", log);
    c.set("ctx", { actor: { kind: "system" }, db: deps.db, log, clock: deps.clock });
    c.header("X-Request-Id", requestId);
    const started = performance.now();
    await next();
    log.info(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 },
      "request",
    );
  };
}

/** Sets the actor of this request's service context. */
export function setActor(c: { get: (k: "ctx") => AppEnv["Variables"]["ctx"]; set: (k: "ctx", v: AppEnv["Variables"]["ctx"]) => void }, actor: Actor) {
  c.set("ctx", { ...c.get("ctx"), actor });
}

/**
 * Requires `Authorization: Bearer <admin key>` (compared in constant time). Under `maintainerPrefixes`
 * (knowledge and clusters) a maintainer's token is accepted too; an agent's never is.
 */
export function requireAdmin(adminKey: string, options: { maintainerPrefixes?: readonly string[] } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) return errorResponse(c, "unauthorized", "admin routes need 'Authorization: Bearer <admin key>'");
    if (safeEqual(token, adminKey)) {
      setActor(c, { kind: "admin" });
      return next();
    }
    if (token.startsWith("kat_") && options.maintainerPrefixes?.some((p) => c.req.path.startsWith(p))) {
      const account = await authenticateAgent(c.get("ctx"), token);
      if (account.role === "maintainer") {
        setActor(c, { kind: "maintainer", agentId: account.id });
        return next();
      }
    }
    return errorResponse(c, "unauthorized", "the admin key is not valid");
  };
}

/** The bearer token of a request (or `access_token` in the query, for EventSource, which cannot set headers). */
export function bearerToken(c: { req: { header(name: string): string | undefined; query(name: string): string | undefined } }, allowQuery = false): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "");
  if (match) return match[1]!.trim();
  return allowQuery ? (c.req.query("access_token") ?? null) : null;
}

/** Requires an agent's token (from POST /v1/agents/login); the admin key is not one. `anyRole` lets a maintainer's through too. */
export function requireAgent(options: { allowQueryToken?: boolean; anyRole?: boolean } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c, options.allowQueryToken);
    if (!token) return errorResponse(c, "unauthorized", "agent routes need 'Authorization: Bearer <agent token>' from POST /v1/agents/login");
    const agent = await authenticateAgent(c.get("ctx"), token);
    if (agent.role !== "agent" && !options.anyRole) return errorResponse(c, "unauthorized", "this account is not an agent's");
    setActor(c, agent.role === "agent" ? { kind: "agent", agentId: agent.id } : { kind: "maintainer", agentId: agent.id });
    await next();
  };
}

/** Requires an agent's token or the admin key (tickets are worked on by both). */
export function requireStaff(adminKey: string): MiddlewareHandler<AppEnv> {
  const agent = requireAgent();
  return async (c, next) => {
    const token = bearerToken(c);
    if (token && safeEqual(token, adminKey)) {
      setActor(c, { kind: "admin" });
      return next();
    }
    return agent(c, next);
  };
}

/**
 * Refuses NUL characters anywhere in a request (path, query, JSON body): no field of ours can hold
 * one, and PostgreSQL refuses them in text, which would otherwise surface as a 500.
 */
export function refuseNul(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    let bad = /%00/.test(url) || url.includes("\0");
    if (!bad && c.req.method !== "GET" && c.req.method !== "HEAD" && (c.req.header("content-type") ?? "").includes("json")) {
      const body = await c.req.text();
      bad = body.includes("\\u0000") || body.includes("\0");
    }
    if (bad) return errorResponse(c, "validation_failed", "the request contains a NUL character, which no field accepts");
    await next();
  };
}

/** Writes every accepted change (a non-GET request answered below 400) to the audit log. */
export function auditChanges(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const raw = (c.req.header("content-type") ?? "").includes("json") ? await c.req.text().catch(() => "") : "";
    await next();
    if (c.res.status >= 400) return;
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const ctx = c.get("ctx");
    await recordAudit(ctx, { action: `${c.req.method} ${c.req.routePath}`, target: c.req.path, status: c.res.status, details: body, requestId: c.get("requestId") }).catch((err: unknown) =>
      ctx.log.error({ err }, "could not write the audit log"),
    );
  };
}
