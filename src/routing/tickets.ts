/**
 * After-sales tickets (工单): returns, delivery problems and complaints the bot records, and tickets
 * agents open themselves. A ticket moves new → open → pending → solved → closed (reopening goes back
 * to open), has an assignee or group, comments, and an SLA due time by type. Automation rules from
 * knowledge/routing.yaml run on every routing tick (escalate a ticket pending 48 h ...), each once per
 * status. Status changes and public comments are told to the shopper in their conversation.
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import type { Tx } from "../db/client.js";
import { hotQuery, placeholder } from "../db/hot-query.js";
import * as t from "../db/schema.js";
import { text } from "../dialogue/replies.js";
import { appendMessage, lockConversation } from "../dialogue/store.js";
import { randomDigits } from "../shop/orders.js";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.js";
import type { AutomationRule, RoutingSetup } from "./config.js";
import { publish } from "./events.js";

export type TicketRow = typeof t.tickets.$inferSelect;
export type TicketEventRow = typeof t.ticketEvents.$inferSelect;

/** The status changes a ticket may make. */
const TRANSITIONS: Record<t.TicketStatus, readonly t.TicketStatus[]> = {
  new: ["open", "pending", "solved", "closed"],
  open: ["pending", "solved", "closed"],
  pending: ["open", "solved", "closed"],
  solved: ["open", "closed"],
  closed: [],
};

export const TICKET_STATUS_ZH: Record<t.TicketStatus, string> = { new: "已受理", open: "处理中", pending: "等待回复", solved: "已解决", closed: "已关闭" };
export const TICKET_TYPE_ZH: Record<t.TicketType, string> = { return: "退货退款", delivery: "收货问题", complaint: "投诉", repair: "维修", exchange: "换货", other: "其他" };
const PRIORITY_UP: Record<t.TicketPriority, t.TicketPriority> = { low: "normal", normal: "high", high: "urgent", urgent: "urgent" };

export interface NewTicket {
  /** The shopper's record number when the ticket is about one (a refund or after-sales case), so they have one number. */
  id?: string;
  type: t.TicketType;
  subject: string;
  description: string;
  customerId?: string | null;
  orderId?: string | null;
  conversationId?: string | null;
  reference?: string | null;
  priority?: t.TicketPriority;
  assigneeId?: string | null;
  group?: string | null;
  /** bot, agent:<id> or admin. */
  createdBy: string;
}

export interface TicketDeps {
  setup: Pick<RoutingSetup, "ticketSlaHours" | "automation">;
  /** NOTIFY channel for the shopper's live updates. */
  channel: string;
}

const dateDigits = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, "");

/** Opens a ticket with its SLA due time; works inside the caller's transaction (ctx.db). */
export async function openTicket(ctx: ServiceContext, deps: TicketDeps, input: NewTicket): Promise<TicketRow> {
  const now = ctx.clock.now();
  const dueAt = new Date(now.getTime() + deps.setup.ticketSlaHours[input.type] * 3_600_000);
  const [row] = await ctx.db
    .insert(t.tickets)
    .values({
      id: input.id ?? `TK${dateDigits(now)}${randomDigits(6)}`,
      type: input.type,
      status: "new",
      priority: input.priority ?? (input.type === "complaint" ? "high" : "normal"),
      subject: input.subject.slice(0, 200),
      description: input.description.slice(0, 4000),
      customerId: input.customerId ?? null,
      orderId: input.orderId ?? null,
      conversationId: input.conversationId ?? null,
      reference: input.reference ?? null,
      assigneeId: input.assigneeId ?? null,
      assignedGroup: input.group ?? null,
      createdBy: input.createdBy,
      dueAt,
      createdAt: now,
      updatedAt: now,
      statusChangedAt: now,
    })
    .returning();
  await ctx.db.insert(t.ticketEvents).values({ ticketId: row!.id, kind: "created", author: input.createdBy, body: input.subject, public: true, createdAt: now });
  ctx.log.info({ ticketId: row!.id, type: input.type, createdBy: input.createdBy }, "ticket opened");
  return row!;
}

export interface TicketChange {
  status?: t.TicketStatus;
  priority?: t.TicketPriority;
  assigneeId?: string | null;
  group?: string | null;
  /** A comment to add with the change. */
  comment?: string;
  /** The comment is for the shopper too. */
  public?: boolean;
}

/** Changes a ticket's status, priority or assignee, recording each change with its author. */
export async function updateTicket(ctx: ServiceContext, deps: TicketDeps, id: string, author: string, change: TicketChange): Promise<TicketRow> {
  return ctx.db.transaction(async (tx) => applyChange(tx, ctx, deps, id, author, change, "manual"));
}

async function applyChange(tx: Tx, ctx: ServiceContext, deps: TicketDeps, id: string, author: string, change: TicketChange, how: "manual" | "automation"): Promise<TicketRow> {
  const [ticket] = await tx.select().from(t.tickets).where(eq(t.tickets.id, id)).for("update");
  if (!ticket) throw new NotFoundError(`ticket ${id} does not exist`);
  if (change.assigneeId) {
    const [agent] = await tx.select({ id: t.agents.id }).from(t.agents).where(eq(t.agents.id, change.assigneeId));
    if (!agent) throw new ValidationError(`agent ${change.assigneeId} does not exist`);
  }
  const now = ctx.clock.now();
  const set: Partial<typeof t.tickets.$inferInsert> = { updatedAt: now };
  const events: (typeof t.ticketEvents.$inferInsert)[] = [];
  const kind = how === "automation" ? "automation" : undefined;
  if (change.status && change.status !== ticket.status) {
    if (!TRANSITIONS[ticket.status].includes(change.status)) throw new ConflictError(`a ${ticket.status} ticket cannot become ${change.status}`);
    Object.assign(set, { status: change.status, statusChangedAt: now, automation: {} });
    if (change.status === "solved") set.solvedAt = now;
    if (change.status === "closed") set.closedAt = now;
    if (change.status === "open" && ticket.status === "solved") set.solvedAt = null;
    events.push({ ticketId: id, kind: kind ?? "status", author, body: `${TICKET_STATUS_ZH[ticket.status]} → ${TICKET_STATUS_ZH[change.status]}`, public: true, data: { from: ticket.status, to: change.status }, createdAt: now });
  }
  if (change.priority && change.priority !== ticket.priority) {
    set.priority = change.priority;
    events.push({ ticketId: id, kind: kind ?? "priority", author, body: `优先级 ${ticket.priority} → ${change.priority}`, data: { from: ticket.priority, to: change.priority }, createdAt: now });
  }
  if (change.assigneeId !== undefined && change.assigneeId !== ticket.assigneeId) {
    set.assigneeId = change.assigneeId;
    events.push({ ticketId: id, kind: kind ?? "assigned", author, body: change.assigneeId ? `指派给 ${change.assigneeId}` : "取消指派", data: { assigneeId: change.assigneeId }, createdAt: now });
  }
  if (change.group !== undefined && change.group !== ticket.assignedGroup) {
    set.assignedGroup = change.group;
    events.push({ ticketId: id, kind: kind ?? "assigned", author, body: change.group ? `转给 ${change.group}` : "取消分组", data: { group: change.group }, createdAt: now });
  }
  if (change.comment) events.push({ ticketId: id, kind: kind ?? "comment", author, body: change.comment, public: change.public ?? false, createdAt: now });
  if (events.length === 0) return ticket;
  const [updated] = await tx.update(t.tickets).set(set).where(eq(t.tickets.id, id)).returning();
  await tx.insert(t.ticketEvents).values(events);
  const told = events.filter((e) => e.public);
  if (told.length > 0) await tellShopper(tx, ctx, deps, updated!, told.map((e) => e.body!).join("；"));
  return updated!;
}

/** Writes a note into the shopper's conversation (if it is still open) and sends it live. */
async function tellShopper(tx: Tx, ctx: ServiceContext, deps: TicketDeps, ticket: TicketRow, what: string): Promise<void> {
  if (!ticket.conversationId) return;
  const now = ctx.clock.now();
  const notice = text(`您的${TICKET_TYPE_ZH[ticket.type]}工单 ${ticket.id} 有更新：${what}。当前状态：${TICKET_STATUS_ZH[ticket.status]}。`);
  const row = await lockConversation(tx, ticket.conversationId).catch(() => null);
  if (row && row.mode !== "closed") await appendMessage(tx, row, "system", { replies: [notice] }, now);
  await publish(tx, deps.channel, [{ conversationId: ticket.conversationId, type: "ticket_updated", data: { ticketId: ticket.id, status: ticket.status, statusText: TICKET_STATUS_ZH[ticket.status], replies: [notice] } }], now);
}

/** A comment by an agent or admin; public ones are shown to the shopper. */
export async function commentTicket(ctx: ServiceContext, deps: TicketDeps, id: string, author: string, input: { body: string; public: boolean }): Promise<TicketEventRow> {
  return ctx.db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(t.tickets).where(eq(t.tickets.id, id)).for("update");
    if (!ticket) throw new NotFoundError(`ticket ${id} does not exist`);
    const now = ctx.clock.now();
    const [event] = await tx.insert(t.ticketEvents).values({ ticketId: id, kind: "comment", author, body: input.body, public: input.public, createdAt: now }).returning();
    await tx.update(t.tickets).set({ updatedAt: now }).where(eq(t.tickets.id, id));
    if (input.public) await tellShopper(tx, ctx, deps, ticket, `客服留言：${input.body}`);
    return event!;
  });
}

export async function getTicket(ctx: ServiceContext, id: string): Promise<{ ticket: TicketRow; events: TicketEventRow[] }> {
  const [ticket] = await ctx.db.select().from(t.tickets).where(eq(t.tickets.id, id));
  if (!ticket) throw new NotFoundError(`ticket ${id} does not exist`);
  const events = await ctx.db.select().from(t.ticketEvents).where(eq(t.ticketEvents.ticketId, id)).orderBy(asc(t.ticketEvents.id));
  return { ticket, events };
}

export interface TicketQuery {
  status?: t.TicketStatus[];
  type?: t.TicketType;
  assigneeId?: string;
  customerId?: string;
  page: number;
  pageSize: number;
}

/** Tickets, most urgent and oldest due first. */
export async function listTickets(ctx: ServiceContext, q: TicketQuery) {
  const filters: SQL[] = [];
  if (q.status?.length) filters.push(inArray(t.tickets.status, q.status));
  if (q.type) filters.push(eq(t.tickets.type, q.type));
  if (q.assigneeId) filters.push(eq(t.tickets.assigneeId, q.assigneeId));
  if (q.customerId) filters.push(eq(t.tickets.customerId, q.customerId));
  const where = filters.length ? and(...filters) : undefined;
  const [total] = await ctx.db.select({ n: count() }).from(t.tickets).where(where);
  const rank = sql`case ${t.tickets.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;
  const items = await ctx.db
    .select()
    .from(t.tickets)
    .where(where)
    .orderBy(asc(rank), asc(t.tickets.dueAt), desc(t.tickets.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items, total: total?.n ?? 0, page: q.page, pageSize: q.pageSize };
}

/** A customer's tickets that are not closed, newest first (for the conversation). */
export async function openTicketsOf(ctx: ServiceContext, customerId: string): Promise<TicketRow[]> {
  return openTicketsOfCustomer(ctx.db, { customerId });
}

/** Read when a known shopper's conversation starts (the welcome offers 售后工单进度). */
const openTicketsOfCustomer = hotQuery("kefu_open_tickets_of_customer", (db) =>
  db
    .select()
    .from(t.tickets)
    .where(and(eq(t.tickets.customerId, placeholder<string>("customerId")), inArray(t.tickets.status, ["new", "open", "pending", "solved"])))
    .orderBy(desc(t.tickets.createdAt)),
);

/** Whether `rule` applies to `ticket` at `now` and has not run in its current status yet. */
export function automationMatches(rule: AutomationRule, ticket: Pick<TicketRow, "status" | "type" | "statusChangedAt" | "dueAt" | "automation">, now: Date): boolean {
  const w = rule.when;
  if (ticket.automation[rule.name] === ticket.statusChangedAt.toISOString()) return false;
  if (w.status && !w.status.includes(ticket.status)) return false;
  if (w.type && !w.type.includes(ticket.type)) return false;
  if (w.hoursInStatus !== undefined && now.getTime() - ticket.statusChangedAt.getTime() < w.hoursInStatus * 3_600_000) return false;
  if (w.overdue !== undefined && w.overdue !== now.getTime() > ticket.dueAt.getTime()) return false;
  return true;
}

/**
 * Runs the automation rules over the tickets that are not closed. Each rule runs at most once per
 * status of a ticket (a changed status clears the record), so a rule never fires twice in a row.
 */
export async function runTicketAutomation(ctx: ServiceContext, deps: TicketDeps): Promise<number> {
  if (deps.setup.automation.length === 0) return 0;
  const now = ctx.clock.now();
  const candidates = await ctx.db.select().from(t.tickets).where(inArray(t.tickets.status, ["new", "open", "pending", "solved"]));
  let applied = 0;
  for (const ticket of candidates) {
    for (const rule of deps.setup.automation) {
      if (!automationMatches(rule, ticket, now)) continue;
      await ctx.db.transaction(async (tx) => {
        const [current] = await tx.select().from(t.tickets).where(eq(t.tickets.id, ticket.id)).for("update", { skipLocked: true });
        if (!current || !automationMatches(rule, current, now)) return;
        const a = rule.then;
        const change: TicketChange = {
          ...(a.status ? { status: a.status } : {}),
          ...(a.priority ? { priority: a.priority } : a.escalate ? { priority: PRIORITY_UP[current.priority] } : {}),
          ...(a.group ? { group: a.group } : {}),
          comment: a.comment ?? `自动规则 ${rule.name}`,
        };
        const after = await applyChange(tx, ctx, deps, ticket.id, `automation:${rule.name}`, change, "automation");
        // Recorded against the status the ticket is in now, so a status-changing rule is not re-run.
        await tx
          .update(t.tickets)
          .set({ automation: { ...after.automation, [rule.name]: after.statusChangedAt.toISOString() }, escalations: after.escalations + (a.escalate ? 1 : 0) })
          .where(eq(t.tickets.id, ticket.id));
        applied++;
      });
      break;
    }
  }
  return applied;
}
