/**
 * What an agent's workbench reads and sends, beyond routing itself: the conversation with the
 * bot's context, the shopper's orders, suggested answers from the knowledge base, canned replies,
 * the cards an agent may send, and the shopper's satisfaction rating afterwards.
 */
import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import * as t from "../db/schema.js";
import { getTranscript } from "../dialogue/conversations.js";
import { orderCard, productCard } from "../dialogue/format.js";
import { text, type Reply } from "../dialogue/replies.js";
import type { KnowledgeBase } from "../kb/service.js";
import { findOrder, listCustomerOrders } from "../shop/orders.js";
import { getProduct } from "../shop/products.js";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.js";
import type { CannedReply } from "./config.js";
import type { Routing } from "./service.js";
import { openTicketsOf, TICKET_STATUS_ZH, TICKET_TYPE_ZH } from "./tickets.js";

/** Everything the agent needs on one screen, without asking the shopper again. */
export async function conversationForAgent(ctx: ServiceContext, routing: Routing, agentId: string, conversationId: string) {
  await routing.assertAgentMay(ctx.db, agentId, conversationId);
  const transcript = await getTranscript(ctx, conversationId);
  const handoff = await routing.handoffOf(ctx.db, conversationId);
  const assignments = await routing.assignmentsOf(ctx.db, conversationId);
  const [customer] = transcript.customerId
    ? await ctx.db.select().from(t.customers).where(eq(t.customers.id, transcript.customerId))
    : [];
  const orders = customer ? (await listCustomerOrders(ctx, customer.id)).slice(0, 20).map(orderCard) : [];
  const tickets = customer ? await openTicketsOf(ctx, customer.id) : [];
  return {
    transcript,
    handoff: handoff && {
      status: handoff.status,
      reason: handoff.reason,
      summary: handoff.summary,
      rule: handoff.rule,
      why: handoff.why,
      transferNote: handoff.transferNote,
      requestedAt: handoff.requestedAt,
      acceptedAt: handoff.acceptedAt,
    },
    assignments: assignments.map((a) => ({ agentId: a.agentId, rule: a.rule, why: a.why, offeredAt: a.offeredAt, acceptedAt: a.acceptedAt, endedAt: a.endedAt, outcome: a.outcome })),
    customer: customer ? { id: customer.id, name: customer.name, vipLevel: customer.vipLevel, region: customer.region, city: customer.city } : null,
    orders,
    tickets: tickets.map((k) => ({ id: k.id, type: k.type, typeText: TICKET_TYPE_ZH[k.type], status: k.status, statusText: TICKET_STATUS_ZH[k.status], subject: k.subject, dueAt: k.dueAt })),
  };
}

/** The shopper's last message, and the knowledge answers that fit it, for the agent to send with one click. */
export async function suggestAnswers(ctx: ServiceContext, routing: Routing, knowledge: KnowledgeBase, agentId: string, conversationId: string) {
  await routing.assertAgentMay(ctx.db, agentId, conversationId);
  const [last] = await ctx.db
    .select({ body: t.messages.body })
    .from(t.messages)
    .where(and(eq(t.messages.conversationId, conversationId), eq(t.messages.role, "user")))
    .orderBy(desc(t.messages.seq))
    .limit(1);
  const question = (last?.body as { text?: string } | undefined)?.text ?? null;
  if (!question) return { question, suggestions: [] };
  const hits = knowledge.search(question, ctx.clock.now(), 3);
  return {
    question,
    suggestions: hits.flatMap((h) => {
      const entry = knowledge.entry(h.id);
      return entry ? [{ entryId: entry.id, question: entry.question, answer: entry.answer, score: Math.round(h.score * 1000) / 1000 }] : [];
    }),
  };
}

export type AgentMessage = { text: string } | { productId: string } | { orderId: string } | { cannedId: string };

/** Builds the replies an agent sends: text, a canned reply (with the shopper's name), a product card, or one of the shopper's orders. */
export async function agentReplies(ctx: ServiceContext, canned: readonly CannedReply[], conversationId: string, input: AgentMessage): Promise<Reply[]> {
  if ("text" in input) return [text(input.text)];
  if ("cannedId" in input) {
    const reply = canned.find((c) => c.id === input.cannedId);
    if (!reply) throw new ValidationError(`no canned reply ${input.cannedId}`);
    const [row] = await ctx.db
      .select({ name: t.customers.name })
      .from(t.conversations)
      .leftJoin(t.customers, eq(t.customers.id, t.conversations.customerId))
      .where(eq(t.conversations.id, conversationId));
    return [text(reply.text.replaceAll("{name}", row?.name ? `，${row.name}` : ""))];
  }
  if ("productId" in input) {
    const product = await getProduct(ctx, input.productId).catch(() => {
      throw new ValidationError(`product ${input.productId} does not exist`);
    });
    return [{ type: "product_card", product: productCard(product) }];
  }
  const [conversation] = await ctx.db.select({ customerId: t.conversations.customerId }).from(t.conversations).where(eq(t.conversations.id, conversationId));
  const order = await findOrder(ctx, input.orderId);
  // The same rule as for the bot: only the shopper's own orders are shown to them.
  if (!order || !conversation?.customerId || order.customerId !== conversation.customerId) throw new ValidationError(`order ${input.orderId} is not this shopper's`);
  return [{ type: "order_card", order: orderCard(order) }];
}

/** The shopper rates a closed conversation 1–5 (rating again replaces it); the agent who served it gets the score. */
export async function rateConversation(ctx: ServiceContext, conversationId: string, input: { score: number; comment?: string }) {
  const [conversation] = await ctx.db.select({ mode: t.conversations.mode }).from(t.conversations).where(eq(t.conversations.id, conversationId));
  if (!conversation) throw new NotFoundError(`conversation ${conversationId} does not exist`);
  if (conversation.mode !== "closed") throw new ConflictError("a conversation can be rated once it is closed");
  const [served] = await ctx.db
    .select({ agentId: t.handoffs.agentId })
    .from(t.handoffs)
    .where(and(eq(t.handoffs.conversationId, conversationId), isNotNull(t.handoffs.acceptedAt)))
    .orderBy(desc(t.handoffs.id))
    .limit(1);
  const values = { conversationId, agentId: served?.agentId ?? null, score: input.score, comment: input.comment ?? null, createdAt: ctx.clock.now() };
  await ctx.db.insert(t.ratings).values(values).onConflictDoUpdate({ target: t.ratings.conversationId, set: { score: values.score, comment: values.comment, createdAt: values.createdAt } });
  return { score: input.score, agentId: values.agentId };
}

/** Where an agent may transfer a conversation: the groups (with how many of their agents are online) and the other agents. */
export async function transferTargets(ctx: ServiceContext, routing: Routing, agentId: string) {
  const agents = await ctx.db
    .select({ id: t.agents.id, name: t.agents.name, status: t.agents.status, groups: t.agents.groups })
    .from(t.agents)
    .where(and(eq(t.agents.role, "agent"), eq(t.agents.disabled, false)));
  const others = agents.filter((a) => a.id !== agentId);
  const named = new Map(routing.options.rules.groups.map((g) => [g.id, g.name]));
  const ids = [...new Set([...named.keys(), ...agents.flatMap((a) => a.groups)])].sort();
  return {
    groups: ids.map((id) => ({ id, name: named.get(id) ?? id, online: agents.filter((a) => a.groups.includes(id) && a.status === "online").length })),
    agents: others.map((a) => ({ id: a.id, name: a.name, status: a.status, groups: a.groups })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}
