/**
 * Agents: created by an administrator, logging in with a password (scrypt) for a bearer token that
 * is only good for the agent routes. Only a SHA-256 of each token is stored, so a copy of the
 * database does not let anyone log in; logging out revokes the token.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import * as t from "../db/schema.js";
import { ConflictError, NotFoundError, UnauthorizedError, ValidationError } from "../shared/errors.js";

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** OWASP's scrypt minimum (N=2^17, r=8, p=1) costs 128 MiB and ~0.3 s a login here; 2^15 keeps the memory at 32 MiB. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keylen: 32 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await scrypt(password, Buffer.from(salt, "base64"), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/** A stored hash to compare against when the username is unknown, so both cases take the same time. */
let decoyHash: Promise<string> | null = null;

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export type AgentRow = typeof t.agents.$inferSelect;

export interface AgentProfile {
  id: string;
  username: string;
  name: string;
  groups: string[];
  maxConcurrent: number;
  status: t.AgentStatus;
  region: string | null;
  channels: string[];
  role: "agent" | "maintainer";
  disabled: boolean;
}

export const toProfile = (a: AgentRow): AgentProfile => ({
  id: a.id,
  username: a.username,
  name: a.name,
  groups: a.groups,
  maxConcurrent: a.maxConcurrent,
  status: a.status,
  region: a.region,
  channels: a.channels,
  role: a.role,
  disabled: a.disabled,
});

export interface NewAgent {
  username: string;
  name: string;
  password: string;
  groups?: string[];
  maxConcurrent?: number;
  region?: string | null;
  channels?: t.Channel[];
  /** A maintainer reviews clusters and edits knowledge instead of taking conversations. */
  role?: "agent" | "maintainer";
}

export async function createAgent(ctx: ServiceContext, input: NewAgent): Promise<AgentProfile> {
  const id = `ag_${randomBytes(6).toString("base64url")}`;
  const passwordHash = await hashPassword(input.password);
  const rows = await ctx.db
    .insert(t.agents)
    .values({
      id,
      username: input.username,
      name: input.name,
      passwordHash,
      groups: input.groups ?? [],
      maxConcurrent: input.maxConcurrent ?? 5,
      region: input.region ?? null,
      channels: input.channels ?? [],
      role: input.role ?? "agent",
      createdAt: ctx.clock.now(),
      updatedAt: ctx.clock.now(),
    })
    .onConflictDoNothing({ target: t.agents.username })
    .returning();
  if (!rows[0]) throw new ConflictError(`username ${input.username} is taken`);
  ctx.log.info({ agentId: id, username: input.username }, "agent created");
  return toProfile(rows[0]);
}

export type AgentChanges = Partial<Omit<NewAgent, "username">> & { disabled?: boolean };

/** Changes an agent's profile, password or capacity; a disabled agent's sessions end. */
export async function updateAgent(ctx: ServiceContext, id: string, changes: AgentChanges): Promise<AgentProfile> {
  const { password, ...rest } = changes;
  const set: Partial<typeof t.agents.$inferInsert> = { ...rest, updatedAt: ctx.clock.now() };
  if (password !== undefined) set.passwordHash = await hashPassword(password);
  if (changes.disabled) set.status = "offline";
  const [row] = await ctx.db.update(t.agents).set(set).where(eq(t.agents.id, id)).returning();
  if (!row) throw new NotFoundError(`agent ${id} does not exist`);
  if (changes.disabled || password !== undefined) {
    await ctx.db.update(t.agentSessions).set({ revokedAt: ctx.clock.now() }).where(and(eq(t.agentSessions.agentId, id), isNull(t.agentSessions.revokedAt)));
  }
  return toProfile(row);
}

export async function listAgents(ctx: ServiceContext): Promise<AgentProfile[]> {
  return (await ctx.db.select().from(t.agents).orderBy(asc(t.agents.username))).map(toProfile);
}

export async function getAgent(ctx: ServiceContext, id: string): Promise<AgentRow> {
  const [row] = await ctx.db.select().from(t.agents).where(eq(t.agents.id, id));
  if (!row) throw new NotFoundError(`agent ${id} does not exist`);
  return row;
}

/** Username and password to a token valid for `sessionHours`; one message for every failure. */
export async function login(ctx: ServiceContext, input: { username: string; password: string }, sessionHours: number) {
  const [agent] = await ctx.db.select().from(t.agents).where(eq(t.agents.username, input.username));
  decoyHash ??= hashPassword(randomBytes(12).toString("hex"));
  const ok = await verifyPassword(input.password, agent?.passwordHash ?? (await decoyHash));
  if (!agent || !ok || agent.disabled) throw new UnauthorizedError("username or password is wrong");
  const token = `kat_${randomBytes(32).toString("base64url")}`;
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + sessionHours * 3_600_000);
  await ctx.db.insert(t.agentSessions).values({ tokenHash: tokenHash(token), agentId: agent.id, createdAt: now, expiresAt });
  await ctx.db.update(t.agents).set({ lastSeenAt: now }).where(eq(t.agents.id, agent.id));
  ctx.log.info({ agentId: agent.id }, "agent logged in");
  return { token, expiresAt, agent: toProfile(agent) };
}

/** The agent behind a bearer token, or UnauthorizedError; refreshes the agent's last-seen time. */
export async function authenticateAgent(ctx: ServiceContext, token: string): Promise<AgentRow> {
  if (!token.startsWith("kat_")) throw new UnauthorizedError("not an agent token");
  const now = ctx.clock.now();
  const [row] = await ctx.db
    .select({ agent: t.agents })
    .from(t.agentSessions)
    .innerJoin(t.agents, eq(t.agents.id, t.agentSessions.agentId))
    .where(and(eq(t.agentSessions.tokenHash, tokenHash(token)), isNull(t.agentSessions.revokedAt), gt(t.agentSessions.expiresAt, now)));
  if (!row || row.agent.disabled) throw new UnauthorizedError("the agent token is not valid or has expired");
  // One write per request would be costly; the presence check only needs it to within a few seconds.
  if (!row.agent.lastSeenAt || now.getTime() - row.agent.lastSeenAt.getTime() > 5_000) {
    await ctx.db.update(t.agents).set({ lastSeenAt: now }).where(eq(t.agents.id, row.agent.id));
  }
  return row.agent;
}

export async function logout(ctx: ServiceContext, token: string): Promise<void> {
  await ctx.db.update(t.agentSessions).set({ revokedAt: ctx.clock.now() }).where(eq(t.agentSessions.tokenHash, tokenHash(token)));
}

/** Sets a customer's dedicated agent (专属客服), or clears it with null. */
export async function setDedicatedAgent(ctx: ServiceContext, customerId: string, agentId: string | null) {
  if (agentId) await getAgent(ctx, agentId).catch(() => {
    throw new ValidationError(`agent ${agentId} does not exist`);
  });
  const [row] = await ctx.db.update(t.customers).set({ dedicatedAgentId: agentId }).where(eq(t.customers.id, customerId)).returning({ id: t.customers.id });
  if (!row) throw new NotFoundError(`customer ${customerId} does not exist`);
  return { customerId, dedicatedAgentId: agentId };
}

/** Marks agents seen now (the event stream's heartbeat). */
export async function touchAgents(ctx: ServiceContext, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.db.update(t.agents).set({ lastSeenAt: ctx.clock.now() }).where(inArray(t.agents.id, [...ids]));
}
