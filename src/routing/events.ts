/**
 * Live events for the agent workbench and the widget. An event is written to `realtime_events`
 * inside the transaction that caused it and announced with `pg_notify`, which PostgreSQL delivers
 * only when that transaction commits, to every process listening (PGlite does the same in one
 * process). Streams resume from the table after a reconnect (Last-Event-ID), so nothing is lost.
 */
import { and, asc, eq, gt, isNull, lt, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "../db/client.js";
import * as t from "../db/schema.js";
import type { Logger } from "../shared/logger.js";

export const REALTIME_TYPES = [
  /** To an agent: a conversation is offered and waits for accept. */
  "conversation_offered",
  /** To an agent: an offer was withdrawn (timeout, the shopper left, re-routed). */
  "offer_withdrawn",
  /** To the shopper: an agent took the conversation. */
  "agent_joined",
  /** To the shopper: a message from the agent. */
  "agent_message",
  /** To the agent: a message from the shopper. */
  "customer_message",
  /** To the shopper: the place in the queue and the estimated wait. */
  "queue_position",
  /** To the shopper (and the agent): the agent was replaced (transfer, offline). */
  "agent_left",
  /** To both: the conversation ended; the shopper may rate it. */
  "closed",
  /** To the agent: a conversation of theirs changed (transfer in, note). */
  "conversation_updated",
  /** To the shopper: their ticket's status changed. */
  "ticket_updated",
  /** To an agent: their own status changed (by a timeout or an admin). */
  "status_changed",
  /** To every process (no conversation, no agent): the knowledge base was edited. */
  "knowledge_changed",
] as const;
export type RealtimeType = (typeof REALTIME_TYPES)[number];

export interface RealtimeEvent {
  id: number;
  conversationId: string | null;
  agentId: string | null;
  type: RealtimeType;
  data: Record<string, unknown>;
  at: string;
}

export interface NewRealtimeEvent {
  conversationId?: string | null;
  agentId?: string | null;
  type: RealtimeType;
  data: Record<string, unknown>;
}

/** NOTIFY payloads are limited to 8000 bytes; larger events are read from the table by id. */
const INLINE_LIMIT = 7_000;

/** Writes events in the caller's transaction and announces them on `channel` at commit. */
export async function publish(tx: Tx | Db, channel: string, events: readonly NewRealtimeEvent[], now: Date): Promise<void> {
  for (const e of events) {
    const [row] = await tx
      .insert(t.realtimeEvents)
      .values({ conversationId: e.conversationId ?? null, agentId: e.agentId ?? null, type: e.type, data: e.data, createdAt: now })
      .returning({ id: t.realtimeEvents.id });
    const event: RealtimeEvent = { id: row!.id, conversationId: e.conversationId ?? null, agentId: e.agentId ?? null, type: e.type, data: e.data, at: now.toISOString() };
    const full = JSON.stringify(event);
    const note = Buffer.byteLength(full) <= INLINE_LIMIT ? full : JSON.stringify({ ...event, data: null, large: true });
    await tx.execute(sql`select pg_notify(${channel}, ${note})`);
  }
}

/**
 * A stream's audience. An event addressed to an agent (agentId set) is theirs alone, even when it
 * names the conversation it is about; the shopper's stream gets the conversation's events that are
 * addressed to no agent.
 */
export type StreamFilter = { conversationId: string } | { agentId: string };

const matches = (filter: StreamFilter, e: Pick<RealtimeEvent, "conversationId" | "agentId">) =>
  "conversationId" in filter ? e.conversationId === filter.conversationId && e.agentId === null : e.agentId === filter.agentId;

const where = (filter: StreamFilter): SQL =>
  "conversationId" in filter
    ? and(eq(t.realtimeEvents.conversationId, filter.conversationId), isNull(t.realtimeEvents.agentId))!
    : eq(t.realtimeEvents.agentId, filter.agentId);

const toEvent = (r: typeof t.realtimeEvents.$inferSelect): RealtimeEvent => ({
  id: r.id,
  conversationId: r.conversationId,
  agentId: r.agentId,
  type: r.type as RealtimeType,
  data: r.data,
  at: r.createdAt.toISOString(),
});

interface Subscriber {
  filter: StreamFilter;
  deliver(event: RealtimeEvent): void;
  end(): void;
}

/**
 * One LISTEN per process, fanned out to the streams open in it. `subscribe` hands a stream the
 * stored events after its Last-Event-ID first, then live ones, each id once.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly broadcastHandlers: ((event: RealtimeEvent) => void)[] = [];
  private stop: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Db,
    private readonly database: { listen(onMessage: (payload: string) => void): Promise<() => Promise<void>> },
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.stop ??= await this.database.listen((payload) => this.onNotify(payload));
  }

  /** Calls `handle` with every event addressed to no conversation and no agent (news for every process). */
  onBroadcast(handle: (event: RealtimeEvent) => void): void {
    this.broadcastHandlers.push(handle);
  }

  /** Ends every open stream (at shutdown, so the server does not wait for them). */
  endStreams(): void {
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
  }

  async close(): Promise<void> {
    const stop = this.stop;
    this.stop = null;
    this.endStreams();
    await stop?.();
  }

  get streams(): number {
    return this.subscribers.size;
  }

  private onNotify(payload: string): void {
    let event: RealtimeEvent & { large?: boolean };
    try {
      event = JSON.parse(payload) as RealtimeEvent & { large?: boolean };
    } catch {
      return;
    }
    if (event.conversationId === null && event.agentId === null) {
      for (const handle of this.broadcastHandlers) handle(event);
      return;
    }
    const targets = [...this.subscribers].filter((s) => matches(s.filter, event));
    if (targets.length === 0) return;
    if (!event.large) {
      for (const s of targets) s.deliver(event);
      return;
    }
    void this.db
      .select()
      .from(t.realtimeEvents)
      .where(eq(t.realtimeEvents.id, event.id))
      .then(([row]) => {
        if (row) for (const s of targets) s.deliver(toEvent(row));
      })
      .catch((err: unknown) => this.log.warn({ err, eventId: event.id }, "could not read a large live event"));
  }

  /** Stored events for a stream after `afterId`, oldest first (at most `limit`). */
  async since(filter: StreamFilter, afterId: number, limit = 500): Promise<RealtimeEvent[]> {
    const rows = await this.db
      .select()
      .from(t.realtimeEvents)
      .where(and(where(filter), gt(t.realtimeEvents.id, afterId)))
      .orderBy(asc(t.realtimeEvents.id))
      .limit(limit);
    return rows.map(toEvent);
  }

  /**
   * Streams events for `filter` to `send`: the stored ones after `afterId` (a reconnect), then live
   * ones. Events may arrive out of id order (transactions commit in any order), so ids already sent
   * are remembered rather than compared with the last one. Returns the unsubscribe function.
   */
  async subscribe(filter: StreamFilter, afterId: number | null, send: (event: RealtimeEvent) => void, end: () => void = () => {}): Promise<() => void> {
    const sent = new Set<number>();
    let replaying = true;
    const buffered: RealtimeEvent[] = [];
    const once = (e: RealtimeEvent) => {
      if (sent.has(e.id)) return;
      sent.add(e.id);
      send(e);
    };
    const subscriber: Subscriber = { filter, deliver: (e) => (replaying ? buffered.push(e) : once(e)), end };
    this.subscribers.add(subscriber);
    if (afterId !== null) for (const e of await this.since(filter, afterId)) once(e);
    replaying = false;
    for (const e of buffered) once(e);
    return () => {
      this.subscribers.delete(subscriber);
    };
  }
}

/** Drops live events older than `before` (they are only kept for reconnects). */
export async function purgeRealtimeEvents(db: Db, before: Date): Promise<void> {
  await db.delete(t.realtimeEvents).where(lt(t.realtimeEvents.createdAt, before));
}
