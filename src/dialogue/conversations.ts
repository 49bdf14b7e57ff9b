/**
 * Conversations as a service: start one, answer a message, read the transcript, close it.
 * Every accepted message is committed before the bot answers it. Answers are written in seq order,
 * either under a row lock on the conversation or, for turns that only read, by one statement that
 * applies only if the conversation is unchanged, so concurrent messages (even to two server
 * processes) are answered strictly in order and a restart continues where the last one stopped.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Actor, ServiceContext } from "../context.js";
import { queryRows, type Db, type Tx } from "../db/client.js";
import { decodeRow, rawQuery, readOnly, WriteRefused } from "../db/raw-query.js";
import * as t from "../db/schema.js";
import type { ParseResult } from "../nlp/pipeline.js";
import { authenticateCustomer } from "../shop/customers.js";
import { getProduct } from "../shop/products.js";
import { ConflictError, NotFoundError, ValidationError } from "../shared/errors.js";
import type { Routing } from "../routing/service.js";
import { queueText } from "../routing/service.js";
import { openTicket, openTicketsOf, TICKET_STATUS_ZH, TICKET_TYPE_ZH } from "../routing/tickets.js";
import { publish } from "../routing/events.js";
import { botWhileWaiting } from "../shared/service-modes.js";
import type { DialogueEngine } from "./engine.js";
import type { TicketPort } from "./forms.js";
import { lockConversation as lockRow, type ConversationRow } from "./store.js";
import { parsePayload, text, type Reply } from "./replies.js";
import { createShopView } from "./shop-view.js";
import { applyEvent, initialState, replay, type ConversationContext, type DialogueEvent, type DialogueState, type SlotValue } from "./state.js";
import { welcome } from "./welcome.js";

export interface ConversationDeps {
  engine: DialogueEngine;
  parse(text: string, now: Date): ParseResult;
  identitySecret: string;
  /** Where hand-overs go: the queue, the agents, tickets. */
  routing: Routing;
}

export interface StartInput {
  customerId?: string;
  customerToken?: string;
  channel?: t.Channel;
  context?: ConversationContext;
}

export interface PublicState {
  mode: t.ConversationMode;
  form?: string;
  slots?: Record<string, SlotValue>;
}

/** What a turn left in the trace: what was understood and what the bot did about it. */
export interface TurnTrace {
  intent: string;
  confidence: number;
  entities: ParseResult["entities"];
  form: string | null;
  slots: Record<string, SlotValue>;
  action: string | null;
  events: string[];
  /** The knowledge entry that answered, for feedback. */
  knowledge?: { entryId: string; score: number };
}

export interface TurnResult {
  /** The seq of the bot's answer (for feedback on a knowledge answer), or null when nothing was written. */
  messageId: number | null;
  /** The knowledge entry that answered, when one did (the widget then asks whether it helped). */
  knowledge?: { entryId: string } | null;
  replies: Reply[];
  nlu: ParseResult | null;
  state: PublicState;
}

const newConversationId = () => `cv_${randomBytes(12).toString("base64url")}`;

export function publicState(state: DialogueState): PublicState {
  const form = state.forms.at(-1);
  return form ? { mode: state.mode, form: form.name, slots: { ...form.slots } } : { mode: state.mode };
}

/** Starts a conversation and returns its id and the welcome replies. */
export async function startConversation(ctx: ServiceContext, deps: ConversationDeps, input: StartInput) {
  if (input.customerToken && !input.customerId) throw new ValidationError("customerToken needs customerId");
  const customer = input.customerId
    ? await authenticateCustomer(ctx, deps.identitySecret, { customerId: input.customerId, customerToken: input.customerToken })
    : null;
  const context: ConversationContext = { ...input.context };
  if (context.productId) await getProduct(ctx, context.productId).catch(() => {
    throw new ValidationError(`context.productId ${context.productId} is not a product of this shop`);
  });
  const id = newConversationId();
  const channel = input.channel ?? "web";
  const started: DialogueEvent = { type: "ConversationStarted", customerId: customer?.id ?? null, channel, context };
  const state = applyEvent(initialState(), started);
  const now = ctx.clock.now();
  const tickets = customer ? (await openTicketsOf(ctx, customer.id)).filter((k) => k.status !== "solved").length : 0;
  const replies = await welcome(createShopView(ctx, () => state), context, now, tickets);
  // One statement, so atomic without a transaction of its own.
  await insertConversation(ctx.db, [id, customer?.id ?? null, channel, JSON.stringify(context), JSON.stringify(state), now, started.type, JSON.stringify(started), JSON.stringify({ replies })]);
  ctx.log.info({ conversationId: id, customer: customer?.id ?? null, channel }, "conversation started");
  return { id, replies, state: publicState(state), customer };
}

const insertConversation = rawQuery(
  "kefu_insert_conversation",
  `with conversation as (
     insert into conversations (id, customer_id, channel, mode, context, state, last_seq, handled_seq, last_event_seq, created_at, updated_at)
     values ($1, $2, $3, 'bot', $4::jsonb, $5::jsonb, 1, 0, 1, $6, $6)
   ), started as (
     insert into conversation_events (conversation_id, seq, type, data, created_at) values ($1, 1, $7, $8::jsonb, $6)
   )
   insert into messages (conversation_id, seq, role, body, created_at) values ($1, 1, 'bot', $9::jsonb, $6)`,
);

export type MessageInput = ({ text: string; payload?: undefined } | { payload: string; text?: undefined }) & {
  /** The client's id for this message: sending it again (a resend after a lost answer) does not add it twice. */
  clientMessageId?: string;
};

/** Per-process queue per conversation: saves lock waits; the row lock keeps order across processes. */
const queues = new Map<string, Promise<unknown>>();

function enqueue<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

/** Stores the shopper's message, then answers every unanswered message of the conversation in order. */
export async function postMessage(ctx: ServiceContext, deps: ConversationDeps, conversationId: string, input: MessageInput): Promise<TurnResult> {
  if (input.payload !== undefined && !parsePayload(input.payload)) {
    throw new ValidationError("payload must be one the bot sent, like /select{\"order\":\"2026111877967622\"}");
  }
  const { seq, read } = await accept(ctx, conversationId, input);
  // The conversation as the accepting statement read it serves the first turn only if nothing of this
  // process's runs before it; a turn of another process meanwhile is caught by the answer's seq check.
  const first = queues.has(conversationId) ? null : read;
  const answered = await enqueue(conversationId, () => answerPending(ctx, deps, conversationId, first));
  return answered.get(seq) ?? readAnswer(ctx, conversationId, seq);
}

const lockConversation = async (tx: Tx, id: string) => (await lockRow(tx, id))!;

/**
 * Commits the message under the next seq in one statement (the conversation row is locked by the
 * update, so concurrent messages get distinct, dense seqs); 404 for an unknown and 409 for a closed
 * conversation. The same statement reads the conversation and its pending messages, as
 * `readWithPending` would after it, for the turn that follows; that read is null when it could be
 * behind the row (see `acceptMessage`) or when the message had been stored before (a resent client id).
 */
async function accept(ctx: ServiceContext, conversationId: string, input: MessageInput): Promise<{ seq: number; read: PendingRow | null }> {
  const body = input.payload !== undefined ? { payload: input.payload } : { text: input.text };
  const clientId = input.clientMessageId ?? null;
  const sent = async () => {
    if (clientId === null) return null;
    const [row] = await ctx.db
      .select({ seq: t.messages.seq })
      .from(t.messages)
      .where(and(eq(t.messages.conversationId, conversationId), eq(t.messages.clientId, clientId)));
    return row?.seq ?? null;
  };
  const already = await sent();
  if (already !== null) return { seq: already, read: null };
  const now = ctx.clock.now();
  let accepted: AcceptedRow | undefined;
  try {
    [accepted] = await acceptMessage(ctx.db, [conversationId, now, JSON.stringify(body), clientId]);
  } catch (err) {
    // The same client id sent twice at once: the other request stored it (this statement changed nothing).
    const raced = await sent();
    if (raced !== null) return { seq: raced, read: null };
    throw err;
  }
  if (accepted) return { seq: accepted.accepted_seq, read: accepted.consistent ? accepted : null };
  const [exists] = await ctx.db.select({ id: t.conversations.id }).from(t.conversations).where(eq(t.conversations.id, conversationId));
  throw exists ? new ConflictError(`conversation ${conversationId} is closed`) : new NotFoundError(`conversation ${conversationId} does not exist`);
}

type AcceptedRow = PendingRow & { accepted_seq: number; consistent: boolean };

/**
 * Bumps the seq, stores the message, and returns the conversation as updated with its first two
 * pending user messages: those the statement's snapshot holds, plus the one it stored. The update may
 * have waited for a concurrent writer and then sees its version of the row, which the snapshot does
 * not (its messages are missing from it). Every seq is a message's, so the snapshot is as new as the
 * row exactly when its last message is the one before this: `consistent`.
 */
const acceptMessage = rawQuery<AcceptedRow>(
  "kefu_accept_message",
  `with bumped as (
     update conversations set last_seq = last_seq + 1, updated_at = $2
     where id = $1 and mode <> 'closed'
     returning *
   ), added as (
     insert into messages (conversation_id, seq, role, body, client_id, created_at)
     select $1, last_seq, 'user', $3::jsonb, $4, $2 from bumped
     returning *
   )
   select added.seq as accepted_seq,
     (select coalesce(max(seq), 0) from messages where conversation_id = $1) = b.last_seq - 1 as consistent,
     b.*,
     ${pendingOf("b", "union all select * from added")} as pending
   from added cross join bumped b`,
);

/**
 * Answers messages a process stored but did not live to answer (killed between the two steps): any
 * conversation with an unanswered message untouched for `olderThanMs`. Run by every process now and
 * then; the row lock keeps two from answering the same message. Returns how many conversations it took.
 */
export async function answerStranded(ctx: ServiceContext, deps: ConversationDeps, olderThanMs = 10_000): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - olderThanMs);
  const rows = await queryRows<{ id: string }>(
    ctx.db,
    sql`select c.id from conversations c
        where c.mode <> 'closed' and c.updated_at < ${cutoff} and c.last_seq > c.handled_seq
          and exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'user' and m.seq > c.handled_seq)
        order by c.updated_at limit 100`,
  );
  for (const { id } of rows) {
    await enqueue(id, () => answerPending(ctx, deps, id)).catch((err: unknown) => ctx.log.warn({ err, conversationId: id }, "answering a stranded message failed"));
  }
  if (rows.length) ctx.log.info({ conversations: rows.length }, "answered messages a stopped process had stored");
  return rows.length;
}

/**
 * Answers every user message not answered yet, oldest first, each in its own transaction holding
 * the conversation's row lock. Returns the answers by the seq of the message they answer.
 * A message whose handling fails gets an apology instead, so nothing is left unanswered or retried forever.
 */
async function answerPending(ctx: ServiceContext, deps: ConversationDeps, conversationId: string, first: PendingRow | null = null): Promise<Map<number, TurnResult>> {
  const answers = new Map<number, TurnResult>();
  const oldestPending = async (tx: Tx) => {
    const [locked] = await lockWithPending(tx, [conversationId]);
    if (!locked) throw new NotFoundError(`conversation ${conversationId} does not exist`);
    return decodePending(locked);
  };
  for (;;) {
    let working: number | null = null;
    let more: boolean;
    let parsed: Parsed | undefined;
    const given = first;
    first = null;
    const unlocked = await answerUnlocked(ctx, deps, conversationId, given).catch((err: unknown) => {
      ctx.log.warn({ err, conversationId }, "answering without the lock failed; answering under it");
      return null;
    });
    if (unlocked?.answered) {
      answers.set(unlocked.answered.seq, unlocked.answered.result);
      if (!unlocked.more) return answers;
      continue;
    }
    if (unlocked?.parsed) parsed = unlocked.parsed;
    try {
      more = await ctx.db.transaction(async (tx) => {
        const { row, message, more } = await oldestPending(tx);
        if (!message) return false;
        working = message.seq;
        const nlu = parsed?.seq === message.seq ? parsed.nlu : undefined;
        answers.set(message.seq, await answerOne(ctx, deps, tx, row, message, nlu));
        return more;
      });
    } catch (err) {
      if (working === null) throw err;
      // The turn's writes were rolled back; answer it with an apology so it is neither lost nor retried forever.
      ctx.log.error({ err, conversationId, seq: working }, "answering a message failed");
      more = await ctx.db.transaction(async (tx) => {
        const { row, message, more } = await oldestPending(tx);
        if (!message || message.seq !== working) return !!message;
        const state = row.state as unknown as DialogueState;
        const replies = [text("抱歉，系统刚才开了个小差，没能处理您的消息。请再发一次，或者转人工客服。")];
        const next = await writeLockedAnswer(tx, row, message.seq, replies, state, [], null, ctx.clock.now());
        answers.set(message.seq, { messageId: next.lastSeq, replies, nlu: null, state: publicState(state) });
        return more;
      });
    }
    if (!more) return answers;
  }
}

type MessageRow = typeof t.messages.$inferSelect;

type PendingRow = Record<string, unknown> & { pending: Record<string, unknown>[] };

/**
 * A conversation's row and, in the same statement, the first two user messages it has not
 * answered: the one to answer, and whether another waits. With the lock, the row is the latest
 * version (the lock waits for a writer and then rereads it), so no message answered meanwhile comes
 * back. A message committed while the lock was awaited may be missing from the statement's snapshot;
 * the request that stored it answers it next, in its own statement.
 */
const conversationWithPending = (lock: boolean) =>
  `with c as (select * from conversations where id = $1${lock ? " for update" : ""})
   select c.*, ${pendingOf("c")} as pending
   from c`;

/**
 * The first two user messages the conversation `alias` has not answered, as a JSON array, with the
 * rows of `more` (a union over messages rows) counted among them.
 */
function pendingOf(alias: string, more = ""): string {
  return `(select coalesce(json_agg(row_to_json(m) order by m.seq), '[]'::json)
      from (select * from (select * from messages
                           where conversation_id = ${alias}.id and seq > ${alias}.handled_seq and role = 'user'
                           ${more}) u
            order by seq limit 2) m)`;
}
const lockWithPending = rawQuery<PendingRow>("kefu_lock_conversation_pending", conversationWithPending(true));
const readWithPending = rawQuery<PendingRow>("kefu_read_conversation_pending", conversationWithPending(false), { readOnly: true });

function decodePending(read: PendingRow) {
  const pending = read.pending.map((m) => decodeRow(t.messages, m));
  return { row: decodeRow(t.conversations, read), message: pending[0], more: pending.length > 1 };
}

/** The NLU result of a message, kept so that answering it again under the lock does not parse it twice. */
interface Parsed {
  seq: number;
  nlu: ParseResult | null;
}

/** What the bot makes of one message: the outcome, and what is to be written for it. */
interface ComputedTurn {
  outcome: EngineOutcome;
  nlu: ParseResult | null;
  trace: TurnTrace;
  unanswered: NewUnanswered[];
}

/** Runs the engine and the hand-over logic on a message, reading and writing through `db`. */
async function computeTurn(
  ctx: ServiceContext,
  deps: ConversationDeps,
  db: Tx,
  row: ConversationRow,
  message: MessageRow,
  nlu: ParseResult | null,
  now: Date,
): Promise<ComputedTurn> {
  const state = row.state as unknown as DialogueState;
  const turnCtx: ServiceContext = { ...ctx, db, actor: shopperActor(state) };
  const body = message.body as { text?: string; payload?: string };
  const tickets: TicketPort = {
    open: (input) => openTicket(turnCtx, deps.routing.tickets, { ...input, customerId: state.customerId, conversationId: row.id, createdBy: "bot" }),
    mine: async () =>
      state.customerId
        ? (await openTicketsOf(turnCtx, state.customerId)).map((k) => ({ id: k.id, typeText: TICKET_TYPE_ZH[k.type], statusText: TICKET_STATUS_ZH[k.status], subject: k.subject, updatedAt: k.updatedAt }))
        : [],
  };
  const engineOutcome = await deps.engine.respond(
    { ctx: turnCtx, conversationId: row.id, now, tickets, openShop: (live) => createShopView(turnCtx, live) },
    state,
    { seq: message.seq, text: body.text ?? null, payload: body.payload ?? null },
    nlu,
  );
  const outcome = await withHuman(turnCtx, deps, row, state, engineOutcome, { seq: message.seq, text: body.text ?? null, nlu });
  const form = outcome.state.forms.at(-1) ?? null;
  const trace: TurnTrace = {
    intent: nlu?.intent.name ?? "payload",
    confidence: nlu?.intent.confidence ?? 1,
    entities: nlu?.entities ?? [],
    form: form?.name ?? null,
    slots: form ? { ...form.slots } : {},
    action: outcome.action,
    events: outcome.events.map((e) => e.type),
  };
  const answered = outcome.events.find((e) => e.type === "KnowledgeAnswered");
  if (answered) trace.knowledge = { entryId: answered.entryId, score: answered.score };
  const unanswered = outcome.events.flatMap((e) =>
    e.type === "Unanswered"
      ? [
          {
            conversationId: row.id,
            messageSeq: message.seq,
            text: body.text ?? body.payload ?? "",
            normalized: nlu?.normalized ?? body.text ?? "",
            reason: e.reason,
            createdAt: now,
            candidates: [...e.candidates.map((c) => ({ kind: "knowledge", ...c })), ...(nlu?.ranking.slice(0, 3).map((r) => ({ kind: "intent", id: r.name, score: r.confidence })) ?? [])],
          },
        ]
      : [],
  );
  return { outcome, nlu, trace, unanswered };
}

function turnResult(turn: ComputedTurn, row: ConversationRow, lastSeq: number): TurnResult {
  const { outcome, nlu, trace } = turn;
  return {
    messageId: lastSeq > row.lastSeq ? lastSeq : null,
    knowledge: trace.knowledge ? { entryId: trace.knowledge.entryId } : null,
    replies: outcome.replies,
    nlu,
    state: publicState(outcome.state),
  };
}

const parseMessage = (deps: ConversationDeps, message: MessageRow, now: Date) => {
  const text = (message.body as { text?: string }).text;
  return text !== undefined ? deps.parse(text, now) : null;
};

/** Answers a message under the conversation's row lock, in the transaction `tx`. */
async function answerOne(ctx: ServiceContext, deps: ConversationDeps, tx: Tx, row: ConversationRow, message: MessageRow, nlu?: ParseResult | null): Promise<TurnResult> {
  const now = ctx.clock.now();
  const turn = await computeTurn(ctx, deps, tx, row, message, nlu === undefined ? parseMessage(deps, message, now) : nlu, now);
  const next = await writeLockedAnswer(tx, row, message.seq, turn.outcome.replies, turn.outcome.state, turn.outcome.events, { nlu: turn.nlu, trace: turn.trace }, ctx.clock.now(), turn.unanswered);
  return turnResult(turn, row, next.lastSeq);
}

/**
 * Most turns only read the shop and write their answer, so they are answered without a transaction:
 * the conversation and its oldest unanswered message are read in one statement, the engine runs on a
 * database handle that refuses writes, and the answer, the events, the new state and any unanswered
 * question go in one statement that only applies if the conversation is still as it was read
 * (nothing answered, stored or appended meanwhile, by this process or another). That saves the
 * transaction's begin, lock and commit round trips.
 *
 * Returns null, or the message's NLU, when the turn must be answered under the lock instead: the
 * engine wanted to write (an action, a hand-over, a ticket, a live event to an agent), the
 * conversation changed before the answer was written, or nothing was pending (another request may
 * be answering it right now: the lock waits for that).
 */
async function answerUnlocked(
  ctx: ServiceContext,
  deps: ConversationDeps,
  conversationId: string,
  given: PendingRow | null = null,
): Promise<{ answered: { seq: number; result: TurnResult }; more: boolean; parsed?: undefined } | { answered?: undefined; parsed?: Parsed } | null> {
  const [read] = given ? [given] : await readWithPending(ctx.db, [conversationId]);
  if (!read) return null;
  const { row, message, more } = decodePending(read);
  if (!message || row.mode === "closed") return null;
  const now = ctx.clock.now();
  const nlu = parseMessage(deps, message, now);
  const parsed = { seq: message.seq, nlu };
  let turn: ComputedTurn;
  try {
    turn = await computeTurn(ctx, deps, readOnly(ctx.db) as Tx, row, message, nlu, now);
  } catch (err) {
    if (err instanceof WriteRefused) return { parsed };
    throw err;
  }
  const { replies, state, events } = turn.outcome;
  const next = await writeAnswer(ctx.db, row, message.seq, replies, state, events, { nlu: turn.nlu, trace: turn.trace }, now, turn.unanswered);
  if (!next) return { parsed };
  return { answered: { seq: message.seq, result: turnResult(turn, row, next.lastSeq) }, more };
}

const shopperActor = (state: DialogueState): Actor => ({ kind: "shopper", customerId: state.customerId });

type EngineOutcome = Awaited<ReturnType<DialogueEngine["respond"]>>;

/**
 * What the turn means for the people behind the bot, in the turn's transaction: a hand-over is
 * routed (offered to an agent or queued, and the shopper told where they stand), a request for a
 * person on a channel without any becomes a ticket, and a message while waiting or talking to an
 * agent reaches that agent live (with the queue position for the shopper when the bot said nothing).
 */
async function withHuman(
  ctx: ServiceContext,
  deps: ConversationDeps,
  row: ConversationRow,
  before: DialogueState,
  outcome: EngineOutcome,
  message: { seq: number; text: string | null; nlu: ParseResult | null },
): Promise<EngineOutcome> {
  let { replies, events, state } = outcome;
  const now = ctx.clock.now();
  const requested = events.find((e) => e.type === "HandoffRequested");
  if (requested) {
    const routed = await deps.routing.requestHandoff(ctx.db as Tx, ctx, {
      conversation: row,
      reason: requested.reason,
      summary: requested.summary,
      intent: message.nlu?.intent.name ?? null,
      lastText: message.text,
      startSeq: message.seq,
    });
    events = [...events, ...routed.events];
    state = routed.events.reduce(applyEvent, state);
    const where = routed.queue.position > 0 ? queueText(routed.queue.position, routed.queue.estimatedWaitSeconds, botWhileWaiting(deps.engine.modeOf(state.channel))) : "";
    replies = replies.map((r) => (r.type === "handoff" ? { ...r, text: where ? `${r.text}${where}` : r.text, queue: routed.queue } : r));
  }
  const ticket = events.find((e) => e.type === "TicketRequested");
  // A scenario that recorded a case this turn (a complaint) has opened its ticket already.
  const recorded = events.some((e) => e.type === "ActionExecuted" && ("caseId" in e.result || "refundId" in e.result));
  if (ticket && !recorded) {
    const opened = await openTicket(ctx, deps.routing.tickets, {
      type: "other",
      subject: "顾客要求人工（本渠道无人工客服）",
      description: `${ticket.summary}${message.text ? `\n顾客原话：${message.text.slice(0, 500)}` : ""}`,
      customerId: state.customerId,
      conversationId: row.id,
      createdBy: "bot",
    });
    replies = [...replies, text(`工单号 ${opened.id}，之后想知道进度随时问我。`)];
  }
  if (!requested && before.mode !== "bot" && state.mode !== "closed") {
    if (state.agent) {
      await publish(ctx.db, deps.routing.options.channel, [{ agentId: state.agent.id, conversationId: row.id, type: "customer_message", data: { conversationId: row.id, seq: message.seq, text: message.text, botAnswered: replies.length > 0 } }], now);
    }
    if (state.mode === "queued" && replies.length === 0) {
      const open = await deps.routing.openHandoffOf(ctx.db as Tx, row.id);
      if (open) {
        const q = await deps.routing.queueInfo(ctx.db as Tx, open);
        replies = [text(q.position > 0 ? `收到，客服接入后会第一时间看到您的消息。${queueText(q.position, q.estimatedWaitSeconds, false)}` : "收到，正在为您接通人工客服，您的消息客服都能看到，请稍候。")];
      }
    }
  }
  return { ...outcome, replies, events, state };
}

type NewUnanswered = typeof t.unansweredQuestions.$inferInsert;

/**
 * Writes a bot turn in one statement: the bot's message, the events, the new state and the questions
 * it could not answer. It applies only if the conversation still has `row`'s seqs, which is always so
 * under the row lock; a turn answered without the lock learns this way that someone wrote the
 * conversation meanwhile. Returns the row as written, or null when nothing was written.
 */
async function writeAnswer(
  db: Db | Tx,
  row: ConversationRow,
  replyTo: number,
  replies: Reply[],
  state: DialogueState,
  events: DialogueEvent[],
  extra: { nlu: ParseResult | null; trace: TurnTrace } | null,
  now: Date,
  unanswered: NewUnanswered[] = [],
): Promise<ConversationRow | null> {
  const reply = replies.length > 0 || extra;
  const lastSeq = reply ? row.lastSeq + 1 : row.lastSeq;
  const lastEventSeq = row.lastEventSeq + events.length;
  const body = { replies, ...(extra ? { nlu: extra.nlu, trace: extra.trace } : {}) };
  const closedAt = state.mode === "closed" ? now : row.closedAt;
  const written = await writeAnswerIfUnchanged(db, [
    row.id,
    lastSeq,
    replyTo,
    JSON.stringify(body),
    now,
    row.lastEventSeq,
    JSON.stringify(events),
    JSON.stringify(state),
    state.mode,
    lastEventSeq,
    closedAt,
    row.lastSeq,
    row.handledSeq,
    JSON.stringify(unanswered.map(({ createdAt: _, ...u }) => u)),
    reply ? 1 : 0,
  ]);
  if (written.length === 0) return null;
  return {
    ...row,
    state: state as unknown as Record<string, unknown>,
    mode: state.mode,
    lastSeq,
    handledSeq: replyTo,
    lastEventSeq,
    updatedAt: now,
    closedAt,
  };
}

/**
 * The update takes the row lock and checks the seqs against the latest version, so of two processes
 * answering the same message without the lock, one writes and the other finds nothing to write.
 */
const writeAnswerIfUnchanged = rawQuery(
  "kefu_write_answer",
  `with updated as (
     update conversations
     set state = $8::jsonb, mode = $9, last_seq = $2, handled_seq = $3,
         last_event_seq = $10, updated_at = $5, closed_at = $11
     where id = $1 and last_seq = $12 and handled_seq = $13 and last_event_seq = $6
     returning id
   ), answer as (
     insert into messages (conversation_id, seq, role, reply_to, body, created_at)
     select $1, $2, 'bot', $3, $4::jsonb, $5 from updated where $15::int = 1
   ), happened as (
     insert into conversation_events (conversation_id, seq, type, data, created_at)
     select $1, $6::int + e.ord::int, e.value->>'type', e.value, $5
     from updated, jsonb_array_elements($7::jsonb) with ordinality as e(value, ord)
   ), unanswered as (
     insert into unanswered_questions (conversation_id, message_seq, text, normalized, reason, candidates, created_at)
     select $1, u."messageSeq", u.text, u.normalized, u.reason, u.candidates, $5
     from updated, jsonb_to_recordset($14::jsonb) as u("messageSeq" int, text text, normalized text, reason text, candidates jsonb)
   )
   select id from updated`,
);

/** Under the row lock the conversation cannot have changed; if it did, the turn rolls back. */
async function writeLockedAnswer(...args: Parameters<typeof writeAnswer>): Promise<ConversationRow> {
  const next = await writeAnswer(...args);
  if (!next) throw new Error(`conversation ${args[1].id} changed under its row lock`);
  return next;
}

async function readAnswer(ctx: ServiceContext, conversationId: string, seq: number): Promise<TurnResult> {
  const [answer] = await ctx.db
    .select()
    .from(t.messages)
    .where(and(eq(t.messages.conversationId, conversationId), eq(t.messages.replyTo, seq)));
  const [row] = await ctx.db.select({ state: t.conversations.state }).from(t.conversations).where(eq(t.conversations.id, conversationId));
  const body = (answer?.body ?? {}) as { replies?: Reply[]; nlu?: ParseResult | null; trace?: TurnTrace };
  return {
    messageId: answer?.seq ?? null,
    knowledge: body.trace?.knowledge ? { entryId: body.trace.knowledge.entryId } : null,
    replies: body.replies ?? [],
    nlu: body.nlu ?? null,
    state: publicState(row!.state as unknown as DialogueState),
  };
}

/**
 * Ends a conversation for the shopper; later messages are refused with 409. Closing twice is
 * harmless. A shopper waiting in the queue leaves it; an agent talking to them is told.
 */
export async function closeConversation(ctx: ServiceContext, deps: Pick<ConversationDeps, "routing">, conversationId: string): Promise<PublicState> {
  const result = await enqueue(conversationId, () =>
    ctx.db.transaction(async (tx) => {
      const row = await lockConversation(tx, conversationId);
      const state = row.state as unknown as DialogueState;
      if (state.mode === "closed") return publicState(state);
      await deps.routing.onConversationClosed(tx, ctx, conversationId, "shopper");
      const event: DialogueEvent = { type: "ConversationClosed", by: "shopper" };
      const next = applyEvent(state, event);
      await tx.insert(t.conversationEvents).values({ conversationId, seq: row.lastEventSeq + 1, type: event.type, data: { ...event } });
      const now = ctx.clock.now();
      await tx
        .update(t.conversations)
        .set({ state: next as unknown as Record<string, unknown>, mode: "closed", closedAt: now, updatedAt: now, lastEventSeq: row.lastEventSeq + 1 })
        .where(eq(t.conversations.id, conversationId));
      return publicState(next);
    }),
  );
  // A place in the queue or with an agent may have come free.
  if (result.mode === "closed") await deps.routing.drain(ctx);
  return result;
}

export interface TranscriptMessage {
  seq: number;
  role: t.MessageRole;
  at: Date;
  text?: string;
  payload?: string;
  replies?: Reply[];
  replyTo?: number;
  trace?: TurnTrace;
  /** On a bot turn: the emotion read in the message it answers. */
  emotion?: { label: string; score: number };
  /** On an agent message: who wrote it. */
  agentName?: string;
}

/** The whole conversation: every message in order, bot turns with what was understood and done. */
export async function getTranscript(ctx: ServiceContext, conversationId: string) {
  const [row] = await ctx.db.select().from(t.conversations).where(eq(t.conversations.id, conversationId));
  if (!row) throw new NotFoundError(`conversation ${conversationId} does not exist`);
  const rows = await ctx.db.select().from(t.messages).where(eq(t.messages.conversationId, conversationId)).orderBy(asc(t.messages.seq));
  const messages: TranscriptMessage[] = rows.map((m) => {
    const body = m.body as { text?: string; payload?: string; replies?: Reply[]; trace?: TurnTrace; nlu?: ParseResult | null; agentName?: string };
    const emotion = body.nlu?.emotion;
    return {
      seq: m.seq,
      role: m.role,
      at: m.createdAt,
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.payload !== undefined ? { payload: body.payload } : {}),
      ...(body.replies ? { replies: body.replies } : {}),
      ...(m.replyTo !== null ? { replyTo: m.replyTo } : {}),
      ...(body.trace ? { trace: body.trace } : {}),
      ...(emotion ? { emotion: { label: emotion.label, score: emotion.score } } : {}),
      ...(body.agentName ? { agentName: body.agentName } : {}),
    };
  });
  const state = row.state as unknown as DialogueState;
  return {
    id: row.id,
    customerId: row.customerId,
    channel: row.channel,
    context: row.context,
    createdAt: row.createdAt,
    closedAt: row.closedAt,
    state: publicState(state),
    handoff: state.handoff,
    agent: state.agent ?? null,
    messages,
  };
}

/** The state rebuilt from the stored events (for audits and tests: it must equal the snapshot). */
export async function replayConversation(ctx: ServiceContext, conversationId: string): Promise<DialogueState> {
  const events = await ctx.db
    .select({ data: t.conversationEvents.data })
    .from(t.conversationEvents)
    .where(eq(t.conversationEvents.conversationId, conversationId))
    .orderBy(asc(t.conversationEvents.seq));
  return replay(events.map((e) => e.data as unknown as DialogueEvent));
}

/**
 * A shopper's verdict on a knowledge answer (the bot message with seq `messageId`). An unhelpful
 * answer records the question as unanswered, so maintainers see it. Giving feedback again replaces it.
 */
export async function giveFeedback(ctx: ServiceContext, conversationId: string, input: { messageId: number; helpful: boolean }): Promise<{ entryId: string }> {
  return ctx.db.transaction(async (tx) => {
    const [bot] = await tx
      .select()
      .from(t.messages)
      .where(and(eq(t.messages.conversationId, conversationId), eq(t.messages.seq, input.messageId)));
    if (!bot) {
      const [exists] = await tx.select({ id: t.conversations.id }).from(t.conversations).where(eq(t.conversations.id, conversationId));
      throw new NotFoundError(exists ? `conversation ${conversationId} has no message ${input.messageId}` : `conversation ${conversationId} does not exist`);
    }
    const knowledge = (bot.body as { trace?: TurnTrace }).trace?.knowledge;
    if (bot.role !== "bot" || !knowledge) throw new ValidationError(`message ${input.messageId} is not a knowledge answer`);
    await tx
      .insert(t.kbFeedback)
      .values({ conversationId, messageSeq: input.messageId, entryId: knowledge.entryId, helpful: input.helpful })
      .onConflictDoUpdate({ target: [t.kbFeedback.conversationId, t.kbFeedback.messageSeq], set: { helpful: input.helpful, createdAt: ctx.clock.now() } });
    if (!input.helpful && bot.replyTo !== null) {
      const [question] = await tx
        .select({ body: t.messages.body })
        .from(t.messages)
        .where(and(eq(t.messages.conversationId, conversationId), eq(t.messages.seq, bot.replyTo)));
      const asked = (question?.body as { text?: string } | undefined)?.text ?? "";
      const normalized = (bot.body as { nlu?: ParseResult | null }).nlu?.normalized ?? asked;
      await tx.insert(t.unansweredQuestions).values({
        conversationId,
        messageSeq: bot.replyTo,
        text: asked,
        normalized,
        reason: "unhelpful",
        createdAt: ctx.clock.now(),
        candidates: [{ kind: "knowledge", id: knowledge.entryId, score: knowledge.score }],
      });
    }
    return { entryId: knowledge.entryId };
  });
}
