/**
 * The routing core: hand-overs wait in a queue, are offered to an agent by the rules (rules.ts), are
 * accepted, transferred and closed. Every step runs in one transaction that locks, in this order,
 * the conversation, its hand-over and then the chosen agent, so across any number of processes no
 * conversation is given twice and an agent's load (counted under the agent's row lock) never passes
 * their capacity. Live events go out through `publish` (LISTEN/NOTIFY), conversation events through
 * the dialogue store, so the transcript and the state say what routing did.
 *
 * Hand-over status changes follow one table (TRANSITIONS); `tick` runs in every process and does
 * what time decides: offers not accepted in time, agents gone silent, queue moves, ticket automation.
 */
import { and, asc, desc, eq, inArray, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { queryRows, type Db, type Tx } from "../db/client.js";
import * as t from "../db/schema.js";
import { botWhileWaiting, type ServiceMode } from "../shared/service-modes.js";
import { text, type Reply } from "../dialogue/replies.js";
import { appendEvents, appendMessage, lockConversation, stateOf, type ConversationRow } from "../dialogue/store.js";
import type { DialogueEvent } from "../dialogue/state.js";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../shared/errors.js";
import type { RoutingSetup } from "./config.js";
import { publish, purgeRealtimeEvents, type NewRealtimeEvent } from "./events.js";
import { runTicketAutomation, type TicketDeps } from "./tickets.js";
import { decideRoute, queueOrder, type AgentSnapshot, type RouteDecision, type RoutingRules } from "./rules.js";

export type HandoffRow = typeof t.handoffs.$inferSelect;

/** The only status changes a hand-over may make. */
const TRANSITIONS: Record<t.HandoffStatus, readonly t.HandoffStatus[]> = {
  waiting: ["offered", "waiting", "abandoned", "closed"],
  offered: ["active", "waiting", "offered", "abandoned", "closed"],
  active: ["waiting", "offered", "closed"],
  closed: [],
  abandoned: [],
};

const OPEN: t.HandoffStatus[] = ["waiting", "offered", "active"];

export interface RoutingOptions {
  rules: RoutingRules;
  /** Ticket SLAs and automation (knowledge/routing.yaml). */
  setup: Pick<RoutingSetup, "ticketSlaHours" | "automation">;
  /** NOTIFY channel of the database (Database.notifyChannel). */
  channel: string;
  acceptTimeoutSeconds: number;
  presenceSeconds: number;
  serviceModes: Record<t.Channel, ServiceMode>;
  /** Average handling time assumed before there is history, for the wait estimate. */
  defaultHandleSeconds?: number;
}

export interface QueueInfo {
  /** 0 when an agent is being connected; otherwise the place in the queue (1 = next). */
  position: number;
  /** Seconds, or null when no agent who could take it is online. */
  estimatedWaitSeconds: number | null;
  /** The group the conversation waits for, by name. */
  group: string | null;
}

export interface HandoffRequest {
  conversation: ConversationRow;
  reason: string;
  summary: string;
  intent: string | null;
  lastText: string | null;
  /** The seq of the shopper message that led to it. */
  startSeq: number;
}

/** Ties conversations to events of the hand-over, in the turn's or the action's transaction. */
interface Step {
  events: DialogueEvent[];
  live: NewRealtimeEvent[];
}

const LIVE_RETENTION_MS = 7 * 86_400_000;

export class Routing {
  private lastPurge = 0;

  /** What tickets need: the SLAs and automation, and the channel for telling the shopper. */
  readonly tickets: TicketDeps;

  constructor(readonly options: RoutingOptions) {
    this.tickets = { setup: options.setup, channel: options.channel };
  }

  modeOf(channel: t.Channel): ServiceMode {
    return this.options.serviceModes[channel] ?? "robot_first";
  }

  /**
   * Called inside the bot turn that handed over (the conversation row is locked): stores the
   * hand-over, offers it to an agent if one can take it, and returns the events for the turn and
   * what to tell the shopper.
   */
  async requestHandoff(tx: Tx, ctx: ServiceContext, input: HandoffRequest): Promise<{ events: DialogueEvent[]; queue: QueueInfo }> {
    const now = ctx.clock.now();
    const conversation = input.conversation;
    const existing = await this.openHandoff(tx, conversation.id);
    if (existing) return { events: [], queue: await this.queueInfo(tx, existing) };
    const customer = conversation.customerId ? await this.customer(tx, conversation.customerId) : null;
    const [handoff] = await tx
      .insert(t.handoffs)
      .values({
        conversationId: conversation.id,
        customerId: conversation.customerId,
        channel: conversation.channel,
        status: "waiting",
        reason: input.reason,
        summary: input.summary,
        intent: input.intent,
        lastText: input.lastText?.slice(0, 500) ?? null,
        page: (conversation.context as { page?: string }).page ?? null,
        vipLevel: customer?.vipLevel ?? 0,
        requestedAt: now,
        startSeq: input.startSeq,
      })
      .returning();
    const step: Step = { events: [], live: [] };
    const routed = await this.route(tx, ctx, handoff!, conversation, [], step);
    await publish(tx, this.options.channel, step.live, now);
    ctx.log.info({ conversationId: conversation.id, reason: input.reason, agentId: routed.agentId, rule: routed.rule }, "hand-over requested");
    return { events: step.events, queue: await this.queueInfo(tx, routed) };
  }

  /** The agent accepts a conversation offered to them. */
  async accept(ctx: ServiceContext, agentId: string, conversationId: string) {
    return this.withHandoff(ctx, conversationId, async (tx, row, h, now) => {
      if (h.agentId !== agentId) throw new ForbiddenError(`conversation ${conversationId} is not offered to you`);
      if (h.status === "active") return { handoff: h, row };
      if (h.status !== "offered") throw new ConflictError(`conversation ${conversationId} is ${h.status}, not offered`);
      const agent = await this.agentName(tx, agentId);
      const next = await this.setStatus(tx, h, "active", { acceptedAt: now, agentReadSeq: h.agentReadSeq });
      await tx
        .update(t.assignments)
        .set({ acceptedAt: now, outcome: "accepted" })
        .where(and(eq(t.assignments.handoffId, h.id), eq(t.assignments.agentId, agentId), sql`${t.assignments.endedAt} is null`));
      let updated = await appendEvents(tx, row, [{ type: "AgentJoined", agentId, agentName: agent }], now);
      const notice = text(`人工客服${agent}已接入，接下来由我为您服务。刚才的对话我都看到了，您不用重复。`);
      const { row: after, message } = await appendMessage(tx, updated, "system", { replies: [notice] }, now);
      updated = after;
      await publish(tx, this.options.channel, [{ conversationId, type: "agent_joined", data: { agentName: agent, seq: message.seq, replies: [notice] } }], now);
      return { handoff: next, row: updated };
    });
  }

  /** An agent's message (text, product card, order card) to the shopper of an active conversation. */
  async sendAgentMessage(ctx: ServiceContext, agentId: string, conversationId: string, replies: Reply[]) {
    return this.withHandoff(ctx, conversationId, async (tx, row, h, now) => {
      if (h.agentId !== agentId || h.status !== "active") throw new ForbiddenError(`conversation ${conversationId} is not an active conversation of yours`);
      const agentName = await this.agentName(tx, agentId);
      const { message } = await appendMessage(tx, row, "agent", { replies, agentId, agentName }, now);
      await tx
        .update(t.handoffs)
        .set({ firstResponseAt: h.firstResponseAt ?? now, agentReadSeq: message.seq })
        .where(eq(t.handoffs.id, h.id));
      await publish(tx, this.options.channel, [{ conversationId, type: "agent_message", data: { seq: message.seq, agentName, replies } }], now);
      return { seq: message.seq, at: message.at };
    });
  }

  /** Marks everything up to the newest message read by the agent. */
  async markRead(ctx: ServiceContext, agentId: string, conversationId: string): Promise<void> {
    const [h] = await ctx.db.select().from(t.handoffs).where(and(eq(t.handoffs.conversationId, conversationId), inArray(t.handoffs.status, OPEN)));
    if (!h || h.agentId !== agentId) throw new ForbiddenError(`conversation ${conversationId} is not one of yours`);
    await ctx.db.execute(sql`update handoffs set agent_read_seq = (select last_seq from conversations where id = ${conversationId}) where id = ${h.id}`);
  }

  /** Hands an offered or active conversation to another agent or group, with a note for them. */
  async transfer(ctx: ServiceContext, agentId: string | null, conversationId: string, target: { agentId?: string; group?: string; note: string }) {
    if (!target.agentId && !target.group) throw new ValidationError("transfer needs agentId or group");
    if (target.group && !this.options.rules.groups.some((g) => g.id === target.group) && !(await this.groupHasAgents(ctx.db, target.group))) {
      throw new ValidationError(`group ${target.group} has no agents`);
    }
    if (target.agentId === agentId) throw new ValidationError("cannot transfer a conversation to yourself");
    if (target.agentId) {
      const [a] = await ctx.db.select({ id: t.agents.id }).from(t.agents).where(eq(t.agents.id, target.agentId));
      if (!a) throw new ValidationError(`agent ${target.agentId} does not exist`);
    }
    return this.withHandoff(ctx, conversationId, async (tx, row, h, now) => {
      if (agentId !== null && h.agentId !== agentId) throw new ForbiddenError(`conversation ${conversationId} is not one of yours`);
      if (h.status === "waiting" && agentId !== null) throw new ConflictError(`conversation ${conversationId} is waiting in the queue`);
      const from = h.agentId;
      const step: Step = { events: [], live: [] };
      if (from) {
        await this.endAssignment(tx, h, "transferred", now);
        step.events.push({ type: "ConversationTransferred", fromAgentId: from, toGroup: target.group ?? null, toAgentId: target.agentId ?? null, note: target.note });
        step.live.push({ conversationId, type: "agent_left", data: { text: "正在为您转接更合适的客服，请稍等，之前的对话记录会一并转过去。" } });
      }
      const waiting = await this.setStatus(tx, h, "waiting", {
        agentId: null,
        targetGroup: target.group ?? null,
        targetAgentId: target.agentId ?? null,
        transferNote: target.note,
      });
      const routed = await this.route(tx, ctx, waiting, row, from ? [from] : [], step);
      const updated = await appendEvents(tx, row, step.events, now);
      await publish(tx, this.options.channel, step.live, now);
      return { handoff: routed, queue: await this.queueInfo(tx, routed), row: updated };
    });
  }

  /** The agent ends the conversation with a summary; the shopper is asked to rate it. */
  async closeByAgent(ctx: ServiceContext, agentId: string, conversationId: string, summary: string) {
    const result = await this.withHandoff(ctx, conversationId, async (tx, row, h, now) => {
      if (h.agentId !== agentId || h.status !== "active") throw new ForbiddenError(`conversation ${conversationId} is not an active conversation of yours`);
      await this.finish(tx, h, "closed", now, summary);
      const notice = text("本次服务已结束，感谢您的耐心。您可以给这次服务打个分（1-5 分），帮助我们做得更好。");
      const { row: after } = await appendMessage(tx, row, "system", { replies: [notice] }, now);
      await appendEvents(tx, after, [{ type: "ConversationClosed", by: "agent", summary }], now);
      await publish(tx, this.options.channel, [{ conversationId, type: "closed", data: { by: "agent", rateable: true, replies: [notice] } }], now);
      return { closedAt: now };
    });
    await this.drain(ctx);
    return result;
  }

  /**
   * Inside the transaction that closes a conversation for the shopper or an admin (row locked):
   * a waiting or offered hand-over is abandoned (the shopper left the queue), an active one closed.
   */
  async onConversationClosed(tx: Tx, ctx: ServiceContext, conversationId: string, by: "shopper" | "admin"): Promise<void> {
    const h = await this.openHandoff(tx, conversationId, true);
    if (!h) return;
    const now = ctx.clock.now();
    const live: NewRealtimeEvent[] = [];
    if (h.agentId) live.push({ agentId: h.agentId, conversationId, type: h.status === "offered" ? "offer_withdrawn" : "closed", data: { conversationId, by } });
    await this.finish(tx, h, h.status === "active" ? "closed" : "abandoned", now, null);
    await publish(tx, this.options.channel, [...live, { conversationId, type: "closed", data: { by, rateable: h.status === "active" } }], now);
  }

  /**
   * Changes an agent's status. Going online takes conversations from the queue; busy or away
   * withdraws offers (the agent keeps what they accepted); offline also re-routes the active ones.
   */
  async setAgentStatus(ctx: ServiceContext, agentId: string, status: t.AgentStatus, cause: "agent" | "admin" | "timeout" | "presence" = "agent") {
    const now = ctx.clock.now();
    const [agent] = await ctx.db.update(t.agents).set({ status, updatedAt: now, ...(status !== "offline" && cause === "agent" ? { lastSeenAt: now } : {}) }).where(eq(t.agents.id, agentId)).returning();
    if (!agent) throw new NotFoundError(`agent ${agentId} does not exist`);
    if (cause !== "agent") await publish(ctx.db, this.options.channel, [{ agentId, type: "status_changed", data: { status, cause } }], now);
    ctx.log.info({ agentId, status, cause }, "agent status");
    if (status !== "online") {
      const release: t.HandoffStatus[] = status === "offline" ? ["offered", "active"] : ["offered"];
      const mine = await ctx.db
        .select({ conversationId: t.handoffs.conversationId })
        .from(t.handoffs)
        .where(and(eq(t.handoffs.agentId, agentId), inArray(t.handoffs.status, release)));
      for (const { conversationId } of mine) await this.release(ctx, conversationId, agentId, status === "offline" ? "offline" : cause === "timeout" ? "timeout" : "away");
    }
    await this.drain(ctx);
    return agent;
  }

  /** Takes a conversation away from an agent (offline, or an offer not taken) and routes it again. */
  private async release(ctx: ServiceContext, conversationId: string, agentId: string, reason: "offline" | "timeout" | "away"): Promise<void> {
    await this.withHandoff(ctx, conversationId, async (tx, row, h, now) => {
      if (h.agentId !== agentId || (h.status !== "offered" && h.status !== "active")) return;
      const wasActive = h.status === "active";
      await this.endAssignment(tx, h, reason, now);
      const step: Step = { events: [{ type: "AgentReleased", agentId, reason }], live: [{ agentId, conversationId, type: "offer_withdrawn", data: { conversationId, reason } }] };
      if (wasActive) step.live.push({ conversationId, type: "agent_left", data: { text: "刚才的客服暂时离开了，正在为您转接其他客服，对话记录会一并转过去。" } });
      const waiting = await this.setStatus(tx, h, "waiting", { agentId: null });
      await this.route(tx, ctx, waiting, row, [agentId], step);
      await appendEvents(tx, row, step.events, now);
      await publish(tx, this.options.channel, step.live, now);
    }).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
  }

  /**
   * What time decides, run by every process each tick: offers not accepted in time go to someone
   * else (the agent is set away), silent agents go offline, the queue is served, positions are told.
   */
  async tick(ctx: ServiceContext): Promise<void> {
    const now = ctx.clock.now();
    const expired = await ctx.db
      .select({ conversationId: t.handoffs.conversationId, agentId: t.handoffs.agentId })
      .from(t.handoffs)
      .where(and(eq(t.handoffs.status, "offered"), lt(t.handoffs.offeredAt, new Date(now.getTime() - this.options.acceptTimeoutSeconds * 1000))));
    const timedOut = new Set<string>();
    for (const e of expired) {
      if (!e.agentId) continue;
      timedOut.add(e.agentId);
    }
    // The agent who let an offer expire is probably away from the desk: stop offering them more.
    for (const agentId of timedOut) {
      await ctx.db.update(t.agents).set({ status: "away", updatedAt: now }).where(and(eq(t.agents.id, agentId), eq(t.agents.status, "online")));
      await publish(ctx.db, this.options.channel, [{ agentId, type: "status_changed", data: { status: "away", cause: "timeout" } }], now);
    }
    for (const e of expired) if (e.agentId) await this.release(ctx, e.conversationId, e.agentId, "timeout");
    if (this.options.presenceSeconds > 0) {
      const silent = await ctx.db
        .select({ id: t.agents.id })
        .from(t.agents)
        .where(and(ne(t.agents.status, "offline"), isNotNull(t.agents.lastSeenAt), lt(t.agents.lastSeenAt, new Date(now.getTime() - this.options.presenceSeconds * 1000))));
      for (const a of silent) await this.setAgentStatus(ctx, a.id, "offline", "presence");
    }
    await this.drain(ctx);
    await runTicketAutomation(ctx, this.tickets);
    if (now.getTime() - this.lastPurge > 3_600_000) {
      this.lastPurge = now.getTime();
      await purgeRealtimeEvents(ctx.db, new Date(now.getTime() - LIVE_RETENTION_MS));
    }
  }

  /**
   * Offers waiting conversations to agents with room, in queue order, then tells every waiting
   * shopper whose place changed. Conversations another process is handling are skipped.
   */
  async drain(ctx: ServiceContext): Promise<void> {
    const room = await queryRows<{ free: number }>(
      ctx.db,
      sql`select coalesce(sum(greatest(a.max_concurrent - coalesce(l.n, 0), 0)), 0)::int as free
          from agents a left join (select agent_id, count(*)::int as n from handoffs where status in ('offered', 'active') group by agent_id) l on l.agent_id = a.id
          where a.status = 'online' and not a.disabled and a.role = 'agent'`,
    );
    if ((room[0]?.free ?? 0) > 0) {
      const waiting = await ctx.db
        .select({ conversationId: t.handoffs.conversationId })
        .from(t.handoffs)
        .where(eq(t.handoffs.status, "waiting"))
        .orderBy(...this.queueSort())
        .limit(50);
      for (const { conversationId } of waiting) {
        await this.withHandoff(
          ctx,
          conversationId,
          async (tx, row, h, now) => {
            if (h.status !== "waiting") return;
            const step: Step = { events: [], live: [] };
            await this.route(tx, ctx, h, row, [], step);
            await appendEvents(tx, row, step.events, now);
            await publish(tx, this.options.channel, step.live, now);
          },
          { skipLocked: true },
        ).catch((err: unknown) => {
          if (!(err instanceof NotFoundError)) throw err;
        });
      }
    }
    await this.tellPositions(ctx);
  }

  private queueSort() {
    return queueOrder(this.options.rules) === "priority"
      ? [desc(t.handoffs.priority), asc(t.handoffs.requestedAt), asc(t.handoffs.id)]
      : [asc(t.handoffs.requestedAt), asc(t.handoffs.id)];
  }

  /** Sends queue_position to the waiting shoppers whose place differs from the one they were told. */
  private async tellPositions(ctx: ServiceContext): Promise<void> {
    const order = queueOrder(this.options.rules) === "priority" ? "priority desc, requested_at, id" : "requested_at, id";
    const rows = await queryRows<{ id: number; conversation_id: string; channel: t.Channel; position: number; told_position: number | null; queue_group: string | null }>(
      ctx.db,
      sql`select id, conversation_id, channel, told_position, queue_group,
                 row_number() over (partition by coalesce(queue_group, '') order by ${sql.raw(order)})::int as position
          from handoffs where status = 'waiting'`,
    );
    const changed = rows.filter((r) => r.position !== r.told_position);
    if (changed.length === 0) return;
    const estimate = await this.estimator(ctx.db);
    const now = ctx.clock.now();
    for (const r of changed) {
      // Only if still waiting with the old value: another process may have told it meanwhile.
      const updated = await ctx.db
        .update(t.handoffs)
        .set({ toldPosition: r.position })
        .where(and(eq(t.handoffs.id, r.id), eq(t.handoffs.status, "waiting"), r.told_position === null ? sql`told_position is null` : eq(t.handoffs.toldPosition, r.told_position)))
        .returning({ id: t.handoffs.id });
      if (updated.length === 0) continue;
      const wait = estimate(r.position, r.queue_group);
      const say = queueText(r.position, wait, botWhileWaiting(this.modeOf(r.channel)));
      await publish(ctx.db, this.options.channel, [{ conversationId: r.conversation_id, type: "queue_position", data: { position: r.position, estimatedWaitSeconds: wait, text: say } }], now);
    }
  }

  /**
   * Position and wait estimate of a hand-over, for the reply that tells the shopper; `remember`
   * records the position as told, so the next queue_position event only comes when it changes.
   */
  async queueInfo(db: Tx | Db, h: HandoffRow, options: { remember?: boolean } = { remember: true }): Promise<QueueInfo> {
    const group = h.queueGroup ? (this.options.rules.groups.find((g) => g.id === h.queueGroup)?.name ?? h.queueGroup) : null;
    if (h.status !== "waiting") return { position: 0, estimatedWaitSeconds: 0, group };
    const order = queueOrder(this.options.rules) === "priority";
    const [ahead] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from handoffs
          where status = 'waiting' and coalesce(queue_group, '') = ${h.queueGroup ?? ""} and id <> ${h.id}
            and ${order ? sql`(priority > ${h.priority} or (priority = ${h.priority} and (requested_at, id) < (${h.requestedAt}, ${h.id})))` : sql`(requested_at, id) < (${h.requestedAt}, ${h.id})`}`,
    );
    const position = (ahead?.n ?? 0) + 1;
    if (options.remember) await db.update(t.handoffs).set({ toldPosition: position }).where(eq(t.handoffs.id, h.id));
    return { position, estimatedWaitSeconds: (await this.estimator(db))(position, h.queueGroup), group };
  }

  /**
   * Wait estimate from the average handling time of the last 50 conversations agents closed and
   * the capacity of the online agents (of the group the conversation waits for).
   */
  private async estimator(db: Tx | Db): Promise<(position: number, group: string | null) => number | null> {
    const [handled] = await queryRows<{ avg: number | null }>(
      db,
      sql`select avg(extract(epoch from ended_at - accepted_at))::float as avg from
            (select ended_at, accepted_at from handoffs where status = 'closed' and accepted_at is not null and ended_at is not null order by ended_at desc limit 50) recent`,
    );
    const agents = await db
      .select({ groups: t.agents.groups, maxConcurrent: t.agents.maxConcurrent })
      .from(t.agents)
      .where(and(eq(t.agents.status, "online"), eq(t.agents.disabled, false), eq(t.agents.role, "agent")));
    const handle = handled?.avg ?? this.options.defaultHandleSeconds ?? 180;
    return (position, group) => {
      const capacity = agents.filter((a) => !group || a.groups.includes(group)).reduce((n, a) => n + a.maxConcurrent, 0);
      if (capacity === 0) return null;
      // `position` slots must free up; with every slot busy one frees every handle/capacity seconds.
      return Math.round((position * handle) / capacity);
    };
  }

  /** The agent's open conversations, by unread count, then the oldest unanswered message, then waiting time. */
  async listForAgent(ctx: ServiceContext, agentId: string) {
    const now = ctx.clock.now();
    const rows = await queryRows<{
      conversation_id: string;
      status: t.HandoffStatus;
      reason: string;
      summary: string;
      rule: string | null;
      why: string | null;
      requested_at: Date;
      offered_at: Date | null;
      accepted_at: Date | null;
      transfer_note: string | null;
      channel: t.Channel;
      customer_id: string | null;
      customer_name: string | null;
      vip_level: number;
      unread: number;
      unanswered_since: Date | null;
      last_text: string | null;
    }>(
      ctx.db,
      sql`select h.conversation_id, h.status, h.reason, h.summary, h.rule, h.why, h.requested_at, h.offered_at, h.accepted_at, h.transfer_note,
                 h.channel, h.customer_id, c.name as customer_name, h.vip_level,
                 (select count(*)::int from messages m where m.conversation_id = h.conversation_id and m.role = 'user' and m.seq > greatest(h.agent_read_seq, h.start_seq - 1)) as unread,
                 (select min(m.created_at) from messages m where m.conversation_id = h.conversation_id and m.role = 'user' and m.seq >= h.start_seq
                    and m.seq > coalesce((select max(a.seq) from messages a where a.conversation_id = h.conversation_id and a.role = 'agent'), 0)) as unanswered_since,
                 (select m.body->>'text' from messages m where m.conversation_id = h.conversation_id and m.role = 'user' order by m.seq desc limit 1) as last_text
          from handoffs h left join customers c on c.id = h.customer_id
          where h.agent_id = ${agentId} and h.status in ('offered', 'active')`,
    );
    const seconds = (d: Date | null) => (d ? Math.max(0, Math.round((now.getTime() - new Date(d).getTime()) / 1000)) : 0);
    return rows
      .map((r) => ({
        conversationId: r.conversation_id,
        status: r.status,
        channel: r.channel,
        customer: r.customer_id ? { id: r.customer_id, name: r.customer_name ?? "", vipLevel: r.vip_level } : null,
        reason: r.reason,
        summary: r.summary,
        rule: r.rule,
        why: r.why,
        transferNote: r.transfer_note,
        lastText: r.last_text,
        unread: r.unread,
        unansweredSeconds: seconds(r.unanswered_since),
        waitingSeconds: seconds(r.requested_at),
        offerExpiresAt: r.status === "offered" && r.offered_at ? new Date(new Date(r.offered_at).getTime() + this.options.acceptTimeoutSeconds * 1000) : null,
      }))
      .sort((a, b) => b.unread - a.unread || b.unansweredSeconds - a.unansweredSeconds || b.waitingSeconds - a.waitingSeconds || a.conversationId.localeCompare(b.conversationId));
  }

  /** Whether the agent may read the conversation: it is, or was, given to them. */
  async assertAgentMay(db: Db, agentId: string, conversationId: string): Promise<void> {
    const [own] = await db
      .select({ id: t.assignments.id })
      .from(t.assignments)
      .where(and(eq(t.assignments.conversationId, conversationId), eq(t.assignments.agentId, agentId)))
      .limit(1);
    if (!own) throw new ForbiddenError(`conversation ${conversationId} was never given to you`);
  }

  /** Where a conversation stands with the people behind the bot: its place in the queue (if waiting) and its rating. */
  async humanSide(db: Db, conversationId: string): Promise<{ queue: QueueInfo | null; rating: { score: number; comment: string | null } | null }> {
    const [open] = await db.select().from(t.handoffs).where(and(eq(t.handoffs.conversationId, conversationId), inArray(t.handoffs.status, OPEN)));
    const [rating] = await db.select({ score: t.ratings.score, comment: t.ratings.comment }).from(t.ratings).where(eq(t.ratings.conversationId, conversationId));
    return { queue: open ? await this.queueInfo(db, open, { remember: false }) : null, rating: rating ?? null };
  }

  /** The hand-over of a conversation (open, or else the latest). */
  async handoffOf(db: Db, conversationId: string): Promise<HandoffRow | null> {
    const [row] = await db.select().from(t.handoffs).where(eq(t.handoffs.conversationId, conversationId)).orderBy(desc(t.handoffs.id)).limit(1);
    return row ?? null;
  }

  /** The assignments of a conversation: who got it, by which rule and why, and how it ended. */
  async assignmentsOf(db: Db, conversationId: string) {
    return db.select().from(t.assignments).where(eq(t.assignments.conversationId, conversationId)).orderBy(asc(t.assignments.id));
  }

  // --- internals ---------------------------------------------------------------------------------

  /** Runs `work` with the conversation and its open hand-over locked, in that order. */
  private async withHandoff<T>(
    ctx: ServiceContext,
    conversationId: string,
    work: (tx: Tx, row: ConversationRow, h: HandoffRow, now: Date) => Promise<T>,
    options: { skipLocked?: boolean } = {},
  ): Promise<T> {
    return ctx.db.transaction(async (tx) => {
      const row = await lockConversation(tx, conversationId, options);
      if (!row) throw new NotFoundError(`conversation ${conversationId} is busy`);
      const h = await this.openHandoff(tx, conversationId, true);
      if (!h) throw new NotFoundError(`conversation ${conversationId} is not with a human`);
      return work(tx, row, h, ctx.clock.now());
    });
  }

  /** The open hand-over of a conversation, if any (in the caller's transaction). */
  async openHandoffOf(tx: Tx, conversationId: string): Promise<HandoffRow | null> {
    return this.openHandoff(tx, conversationId);
  }

  private async openHandoff(tx: Tx, conversationId: string, lock = false): Promise<HandoffRow | null> {
    const query = tx.select().from(t.handoffs).where(and(eq(t.handoffs.conversationId, conversationId), inArray(t.handoffs.status, OPEN)));
    const [row] = await (lock ? query.for("update") : query);
    return row ?? null;
  }

  private async setStatus(tx: Tx, h: HandoffRow, status: t.HandoffStatus, set: Partial<typeof t.handoffs.$inferInsert> = {}): Promise<HandoffRow> {
    if (!TRANSITIONS[h.status].includes(status)) throw new ConflictError(`a ${h.status} hand-over cannot become ${status}`);
    const [row] = await tx.update(t.handoffs).set({ ...set, status }).where(eq(t.handoffs.id, h.id)).returning();
    return row!;
  }

  private async endAssignment(tx: Tx, h: HandoffRow, outcome: NonNullable<(typeof t.assignments.$inferSelect)["outcome"]>, now: Date): Promise<void> {
    if (!h.agentId) return;
    await tx
      .update(t.assignments)
      .set({ endedAt: now, outcome })
      .where(and(eq(t.assignments.handoffId, h.id), eq(t.assignments.agentId, h.agentId), sql`${t.assignments.endedAt} is null`));
  }

  /** Ends a hand-over; an agent who served the customer becomes their last agent (熟客). */
  private async finish(tx: Tx, h: HandoffRow, status: "closed" | "abandoned", now: Date, summary: string | null): Promise<void> {
    await this.endAssignment(tx, h, status === "closed" ? "closed" : "abandoned", now);
    await this.setStatus(tx, h, status, { endedAt: now, closeSummary: summary });
    if (status === "closed" && h.agentId && h.acceptedAt && h.customerId) {
      await tx.update(t.customers).set({ lastAgentId: h.agentId, lastServedAt: now }).where(eq(t.customers.id, h.customerId));
    }
  }

  private async customer(db: Tx | Db, id: string) {
    const [c] = await db
      .select({ vipLevel: t.customers.vipLevel, region: t.customers.region, dedicatedAgentId: t.customers.dedicatedAgentId, lastAgentId: t.customers.lastAgentId, lastServedAt: t.customers.lastServedAt })
      .from(t.customers)
      .where(eq(t.customers.id, id));
    return c ?? null;
  }

  private async agentName(db: Tx | Db, id: string): Promise<string> {
    const [a] = await db.select({ name: t.agents.name }).from(t.agents).where(eq(t.agents.id, id));
    return a?.name ?? id;
  }

  private async groupHasAgents(db: Db, group: string): Promise<boolean> {
    const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from agents where groups ? ${group}`);
    return (rows[0]?.n ?? 0) > 0;
  }

  /** Every enabled agent with their load now and when they were last given a conversation. */
  private async snapshots(tx: Tx): Promise<AgentSnapshot[]> {
    const rows = await queryRows<{ id: string; name: string; status: t.AgentStatus; groups: string[]; max_concurrent: number; load: number; region: string | null; channels: string[]; last_assigned_at: Date | null }>(
      tx,
      sql`select a.id, a.name, a.status, a.groups, a.max_concurrent, a.region, a.channels,
                 (select count(*)::int from handoffs h where h.agent_id = a.id and h.status in ('offered', 'active')) as load,
                 (select max(s.offered_at) from assignments s where s.agent_id = a.id) as last_assigned_at
          from agents a where not a.disabled and a.status = 'online' and a.role = 'agent'`,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      groups: r.groups,
      maxConcurrent: r.max_concurrent,
      load: r.load,
      region: r.region,
      channels: r.channels,
      lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
    }));
  }

  /**
   * Decides and, when an agent is chosen, offers the hand-over to them under their row lock. The
   * load is counted again under that lock: if another process filled the agent meanwhile (or holds
   * the lock on a later try), the decision is made again without them.
   */
  private async route(tx: Tx, ctx: ServiceContext, h: HandoffRow, conversation: ConversationRow, exclude: string[], step: Step): Promise<HandoffRow> {
    const now = ctx.clock.now();
    const customer = h.customerId ? await this.customer(tx, h.customerId) : null;
    const agents = await this.snapshots(tx);
    const request = {
      channel: h.channel,
      customer: customer ? { ...customer, lastServedAt: customer.lastServedAt ? new Date(customer.lastServedAt) : null } : null,
      intent: h.intent,
      reason: h.reason,
      lastText: h.lastText,
      page: h.page,
      conversationStartedAt: conversation.createdAt,
      now,
      targetGroup: h.targetGroup,
      targetAgentId: h.targetAgentId,
      exclude,
    };
    let decision: RouteDecision = decideRoute(request, agents, this.options.rules);
    for (let attempt = 0; decision.agentId && attempt < 8; attempt++) {
      const agentId = decision.agentId;
      // Only the first agent tried is waited for: a transaction never waits for a second agent's
      // lock while holding one, so two of them cannot deadlock. One skipped here is tried again by
      // the next drain of the queue.
      const query = tx.select().from(t.agents).where(eq(t.agents.id, agentId));
      const [locked] = await (attempt === 0 ? query.for("update") : query.for("update", { skipLocked: true }));
      const [load] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from handoffs where agent_id = ${agentId} and status in ('offered', 'active')`);
      const loadBefore = load?.n ?? 0;
      if (locked && locked.status === "online" && !locked.disabled && locked.role === "agent" && loadBefore < locked.maxConcurrent) {
        const offered = await this.setStatus(tx, h, "offered", {
          agentId,
          offeredAt: now,
          rule: decision.rule,
          why: decision.why,
          queueGroup: decision.group,
          priority: decision.priority,
          toldPosition: 0,
        });
        await tx.insert(t.assignments).values({ handoffId: h.id, conversationId: h.conversationId, agentId, rule: decision.rule, why: decision.why, loadBefore, offeredAt: now });
        step.events.push({ type: "AgentAssigned", agentId, agentName: locked.name, rule: decision.rule, why: decision.why });
        step.live.push({
          agentId,
          conversationId: h.conversationId,
          type: "conversation_offered",
          data: {
            conversationId: h.conversationId,
            reason: h.reason,
            summary: h.summary,
            rule: decision.rule,
            why: decision.why,
            trail: decision.trail,
            transferNote: h.transferNote,
            customer: stateOf(conversation).customerId,
            expiresAt: new Date(now.getTime() + this.options.acceptTimeoutSeconds * 1000).toISOString(),
          },
        });
        return offered;
      }
      // Filled by another process since the snapshot: decide again without them.
      const stale = agents.find((a) => a.id === agentId);
      if (stale) stale.load = stale.maxConcurrent;
      decision = decideRoute(request, agents, this.options.rules);
    }
    if (decision.agentId) decision = { ...decision, agentId: null, rule: "queue", why: "客服都在忙，排队等待" };
    return this.setStatus(tx, h, "waiting", { agentId: null, rule: decision.rule, why: decision.why, queueGroup: decision.group, priority: decision.priority, offeredAt: null });
  }
}

/** What a waiting shopper reads about their place in the queue. */
export function queueText(position: number, waitSeconds: number | null, botAnswers: boolean): string {
  if (position <= 0) return "正在为您接通人工客服，请稍候。";
  const meanwhile = botAnswers ? "等待期间，查订单、查物流这类问题也可以先问我。" : "";
  if (waitSeconds === null) return `现在人工客服暂时都不在线，您排在第 ${position} 位，客服一上线就会接待您。${meanwhile}`;
  const minutes = Math.max(1, Math.round(waitSeconds / 60));
  const place = position === 1 ? "您是下一位" : `您前面还有 ${position - 1} 位`;
  return `${place}，预计等待约 ${minutes} 分钟。${meanwhile}`;
}
