/**
 * Turns answered without a transaction: a read-only turn writes its answer in one statement that
 * applies only if the conversation is unchanged; a conversation changed meanwhile, or a turn that
 * wants to write, is answered again under the row lock, with the same NLU result.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { replayConversation } from "../../src/dialogue/conversations.js";
import { DialogueEngine, type TurnBase } from "../../src/dialogue/engine.js";
import { scenarios } from "../../src/dialogue/scenarios/index.js";
import type { DialogueState } from "../../src/dialogue/state.js";
import type { ParseResult } from "../../src/nlp/pipeline.js";
import { queryRows } from "../../src/db/client.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { seedDemoShop } from "../../src/shop/demo/seed.js";
import { buildTestApp, TEST_IDENTITY_SECRET } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

/** The demo engine, recording each call; on a message saying 插一句 it first stores a notice in the conversation, once. */
class Recording extends DialogueEngine {
  calls: { seq: number; nlu: ParseResult | null }[] = [];
  interrupted = false;
  constructor(private readonly database: () => Database) {
    super(scenarios);
  }
  override async respond(base: TurnBase, state: DialogueState, input: { seq: number; text: string | null; payload: string | null }, nlu: ParseResult | null) {
    this.calls.push({ seq: input.seq, nlu });
    if (input.text?.includes("插一句") && !this.interrupted) {
      this.interrupted = true;
      // What an agent's or the system's message does to a conversation: the next seq is taken.
      await this.database().db.execute(sql`
        with bumped as (update conversations set last_seq = last_seq + 1 where id = ${base.conversationId} returning last_seq)
        insert into messages (conversation_id, seq, role, body) select ${base.conversationId}, last_seq, 'system', '{"replies":[]}'::jsonb from bumped`);
    }
    return super.respond(base, state, input, nlu);
  }
}

describe.each(testDrivers)("turns without a transaction on $name", (driver) => {
  let database: Database;
  let engine: Recording;
  let app: Awaited<ReturnType<typeof buildTestApp>>;
  beforeAll(async () => {
    database = await driver.open();
    await seedDemoShop(database.db);
    engine = new Recording(() => database);
    app = await buildTestApp(database, undefined, engine);
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(() => {
    engine.calls = [];
  });

  const post = (path: string, body: unknown) => app.request(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const start = async () =>
    ((await (await post("/v1/conversations", { customerId: "c-1001", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1001") })).json()) as { id: string }).id;
  const say = async (id: string, text: string) => {
    const res = await post(`/v1/conversations/${id}/messages`, { text });
    expect(res.status).toBe(200);
    return (await res.json()) as { messageId: number; replies: unknown[]; state: { mode: string } };
  };
  const messages = (id: string) =>
    queryRows<{ seq: number; role: string; reply_to: number | null }>(database.db, sql`select seq, role, reply_to from messages where conversation_id = ${id} order by seq`);
  const callsFor = (seq: number) => engine.calls.filter((c) => c.seq === seq);

  it("answers a read-only question once, with the events and state stored alike", async () => {
    const id = await start();
    const answer = await say(id, "有什么优惠活动吗");
    expect(answer.replies.length).toBeGreaterThan(0);
    expect(callsFor(2)).toHaveLength(1);
    expect(await messages(id)).toEqual([
      { seq: 1, role: "bot", reply_to: null },
      { seq: 2, role: "user", reply_to: null },
      { seq: 3, role: "bot", reply_to: 2 },
    ]);
    expect(answer.messageId).toBe(3);
    const [row] = await queryRows<{ state: DialogueState; handled_seq: number }>(database.db, sql`select state, handled_seq from conversations where id = ${id}`);
    expect(row!.handled_seq).toBe(2);
    expect(await replayConversation({ db: database.db } as Parameters<typeof replayConversation>[0], id)).toEqual(row!.state);
  });

  it("answers again under the lock, with the same NLU, when the conversation changed meanwhile", async () => {
    const id = await start();
    const answer = await say(id, "插一句 你们有什么优惠活动");
    // Message 2 was read, message 3 (the notice) was stored while the bot thought, so the first
    // answer was not written; the second attempt, under the lock, answers as seq 4.
    const calls = callsFor(2);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.nlu).toBe(calls[0]!.nlu);
    expect(await messages(id)).toEqual([
      { seq: 1, role: "bot", reply_to: null },
      { seq: 2, role: "user", reply_to: null },
      { seq: 3, role: "system", reply_to: null },
      { seq: 4, role: "bot", reply_to: 2 },
    ]);
    expect(answer.messageId).toBe(4);
  });

  // Only PostgreSQL has concurrent writers: the message is stored by a statement that waited for the
  // row lock of another process's message, so its snapshot lacks that message. The turn must not
  // answer its own message from that read (that would skip the other one) but read again.
  if (driver.name === "postgres") it("answers a message stored behind another process's message, and that one first", async () => {
    const id = await start();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let stored!: () => void;
    const storedByOther = new Promise<void>((resolve) => (stored = resolve));
    const other = database.db.transaction(async (tx) => {
      await tx.execute(sql`
        with bumped as (update conversations set last_seq = last_seq + 1 where id = ${id} returning last_seq)
        insert into messages (conversation_id, seq, role, body) select ${id}, last_seq, 'user', '{"text":"你好"}'::jsonb from bumped`);
      stored();
      await released;
    });
    await storedByOther;
    const answering = say(id, "有什么优惠活动吗");
    // Let the message's statement start and wait for the row lock, then commit the other message.
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    await other;
    const answer = await answering;
    expect(await messages(id)).toEqual([
      { seq: 1, role: "bot", reply_to: null },
      { seq: 2, role: "user", reply_to: null },
      { seq: 3, role: "user", reply_to: null },
      { seq: 4, role: "bot", reply_to: 2 },
      { seq: 5, role: "bot", reply_to: 3 },
    ]);
    expect(answer.messageId).toBe(5);
  });

  it("answers a turn that writes (a hand-over) under the lock", async () => {
    const id = await start();
    const answer = await say(id, "转人工");
    expect(answer.state.mode).not.toBe("bot");
    expect(callsFor(2)).toHaveLength(2);
    const [handoffs] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from handoffs where conversation_id = ${id}`);
    expect(handoffs!.n).toBe(1);
    expect((await messages(id)).filter((m) => m.reply_to === 2)).toHaveLength(1);
  });
});
