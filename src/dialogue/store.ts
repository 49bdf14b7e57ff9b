/**
 * Writing a conversation outside a bot turn: locking its row, appending events (the state is their
 * fold) and appending messages (agent replies, notices). The conversation service and the routing
 * core both write conversations through these, always holding the conversation's row lock first.
 */
import { eq, sql } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { hotQuery, placeholder } from "../db/hot-query.js";
import * as t from "../db/schema.js";
import { NotFoundError } from "../shared/errors.js";
import type { Reply } from "./replies.js";
import { applyEvent, type DialogueEvent, type DialogueState } from "./state.js";

export type ConversationRow = typeof t.conversations.$inferSelect;

const byId = () => eq(t.conversations.id, placeholder<string>("id"));
const lockRow = hotQuery("kefu_lock_conversation", (db) => db.select().from(t.conversations).where(byId()).for("update"));
const lockRowUnlessLocked = hotQuery("kefu_lock_conversation_skip", (db) =>
  db.select().from(t.conversations).where(byId()).for("update", { skipLocked: true }),
);

/** Locks a conversation's row for the rest of the transaction (404 when it does not exist). */
export async function lockConversation(tx: Tx, id: string, options: { skipLocked?: boolean } = {}): Promise<ConversationRow | null> {
  const [row] = await (options.skipLocked ? lockRowUnlessLocked : lockRow)(tx, { id });
  if (!row && !options.skipLocked) throw new NotFoundError(`conversation ${id} does not exist`);
  return row ?? null;
}

export const stateOf = (row: ConversationRow) => row.state as unknown as DialogueState;

/** Appends events to a locked conversation and stores the state they lead to. */
export async function appendEvents(tx: Tx, row: ConversationRow, events: readonly DialogueEvent[], now: Date): Promise<ConversationRow> {
  if (events.length === 0) return row;
  const state = events.reduce(applyEvent, stateOf(row));
  await tx.insert(t.conversationEvents).values(
    events.map((e, i) => ({ conversationId: row.id, seq: row.lastEventSeq + i + 1, type: e.type, data: e as unknown as Record<string, unknown>, createdAt: now })),
  );
  const closedAt = state.mode === "closed" ? (row.closedAt ?? now) : row.closedAt;
  const lastEventSeq = row.lastEventSeq + events.length;
  await tx
    .update(t.conversations)
    .set({ state: state as unknown as Record<string, unknown>, mode: state.mode, lastEventSeq, updatedAt: now, closedAt })
    .where(eq(t.conversations.id, row.id));
  return { ...row, state: state as unknown as Record<string, unknown>, mode: state.mode, lastEventSeq, updatedAt: now, closedAt };
}

export interface AppendedMessage {
  seq: number;
  at: Date;
}

/**
 * Appends a message from an agent or the system (a notice such as 客服已接入) under the next seq.
 * The caller holds the row lock, so `row.lastSeq` is current.
 */
export async function appendMessage(
  tx: Tx,
  row: ConversationRow,
  role: "agent" | "system",
  body: { replies: Reply[]; agentId?: string; agentName?: string },
  now: Date,
): Promise<{ row: ConversationRow; message: AppendedMessage }> {
  const seq = row.lastSeq + 1;
  await tx.execute(sql`
    with bumped as (update conversations set last_seq = ${seq}, updated_at = ${now} where id = ${row.id})
    insert into messages (conversation_id, seq, role, body, created_at) values (${row.id}, ${seq}, ${role}, ${JSON.stringify(body)}::jsonb, ${now})`);
  return { row: { ...row, lastSeq: seq, updatedAt: now }, message: { seq, at: now } };
}
