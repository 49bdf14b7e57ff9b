/**
 * The audit log: every change accepted through the admin and staff API (knowledge, agents, customers'
 * dedicated agents, cluster reviews, tickets), with who made it, the route, the target and the body
 * without secrets. Written after the change succeeded; reading it is an admin's.
 */
import { count, desc } from "drizzle-orm";
import type { Actor, ServiceContext } from "./context.js";
import { auditLog } from "./db/schema.js";

const SECRET_FIELDS = new Set(["password", "passwordHash", "token", "customerToken"]);

/** The body with secret fields replaced, at any depth. */
export function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? "[redacted]" : withoutSecrets(v)]));
  }
  return value;
}

export const actorName = (actor: Actor): string =>
  actor.kind === "agent" || actor.kind === "maintainer" ? `${actor.kind}:${actor.agentId}` : actor.kind === "shopper" ? `shopper:${actor.customerId ?? "anonymous"}` : actor.kind;

export async function recordAudit(ctx: ServiceContext, entry: { action: string; target: string; status: number; details: unknown; requestId?: string }): Promise<void> {
  const details = withoutSecrets(entry.details);
  await ctx.db.insert(auditLog).values({
    at: ctx.clock.now(),
    actor: actorName(ctx.actor),
    action: entry.action,
    target: entry.target.slice(0, 500),
    status: entry.status,
    details: details && typeof details === "object" && !Array.isArray(details) ? (details as Record<string, unknown>) : { body: details ?? null },
    requestId: entry.requestId ?? null,
  });
}

export async function listAudit(ctx: ServiceContext, page: number, pageSize: number) {
  const [total] = await ctx.db.select({ n: count() }).from(auditLog);
  const items = await ctx.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(pageSize).offset((page - 1) * pageSize);
  return { items, total: total?.n ?? 0, page, pageSize };
}
