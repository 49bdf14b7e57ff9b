/** Knowledge answers in conversations, feedback, and the record of unanswered questions. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import type { Reply } from "../../src/dialogue/replies.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { TEST_ADMIN_KEY, TEST_IDENTITY_SECRET, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
type Turn = { replies: Reply[]; nlu: { intent: { name: string } } | null };

describe.each(testDrivers)("knowledge in conversations on $name", (driver) => {
  const t = useTestApp(driver);

  async function conversation() {
    const res = await t.app.request("/v1/conversations", post({}));
    return ((await res.json()) as { id: string }).id;
  }
  const say = async (id: string, body: unknown) => (await (await t.app.request(`/v1/conversations/${id}/messages`, post(body))).json()) as Turn;
  const transcript = async (id: string) =>
    (await (await t.app.request(`/v1/conversations/${id}`)).json()) as { messages: { seq: number; role: string; trace?: { knowledge?: { entryId: string } } }[] };

  it("loads the knowledge files into the database with a first version each", async () => {
    const [entries] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from kb_entries`);
    const [versions] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from kb_entry_versions where action = 'load'`);
    expect(entries!.n).toBeGreaterThanOrEqual(150);
    expect(versions!.n).toBe(entries!.n);
  });

  it("answers a policy question no scenario handles from the knowledge base, and takes feedback", async () => {
    const id = await conversation();
    const turn = await say(id, { text: "隐私面单是什么" });
    expect(JSON.stringify(turn.replies)).toContain("隐私面单");
    const answer = (await transcript(id)).messages.at(-1)!;
    expect(answer.trace?.knowledge?.entryId).toMatch(/^privacy-/);

    const helpful = await t.app.request(`/v1/conversations/${id}/feedback`, post({ messageId: answer.seq, helpful: true }));
    expect(helpful.status).toBe(200);
    const unhelpful = await t.app.request(`/v1/conversations/${id}/feedback`, post({ messageId: answer.seq, helpful: false }));
    expect(unhelpful.status).toBe(200);
    const rows = await queryRows<{ reason: string; text: string; helpful: boolean }>(
      t.database.db,
      sql`select u.reason, u.text, f.helpful from unanswered_questions u join kb_feedback f on f.conversation_id = u.conversation_id where u.conversation_id = ${id}`,
    );
    expect(rows).toEqual([{ reason: "unhelpful", text: "隐私面单是什么", helpful: false }]);
  });

  it("refuses feedback on a message that is not a knowledge answer, or that does not exist", async () => {
    const id = await conversation();
    expect((await t.app.request(`/v1/conversations/${id}/feedback`, post({ messageId: 1, helpful: true }))).status).toBe(400);
    expect((await t.app.request(`/v1/conversations/${id}/feedback`, post({ messageId: 99, helpful: true }))).status).toBe(404);
    expect((await t.app.request(`/v1/conversations/${id}/feedback`, post({ messageId: "1", helpful: true }))).status).toBe(400);
  });

  it("records a question it could not answer, with its normalised text and the candidates it had", async () => {
    const id = await conversation();
    await say(id, { text: "量子力學是什麼" });
    const rows = await queryRows<{ reason: string; text: string; normalized: string; message_seq: number; candidates: { kind: string }[] }>(
      t.database.db,
      sql`select reason, text, normalized, message_seq, candidates from unanswered_questions where conversation_id = ${id}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: "no_match", text: "量子力學是什麼", normalized: "量子力学是什么", message_seq: 2 });
    expect(rows[0]!.candidates.some((c) => c.kind === "intent")).toBe(true);
  });

  it("answers a clicked suggestion by its entry id", async () => {
    const id = await conversation();
    const [entry] = await queryRows<{ id: string; answer: string }>(t.database.db, sql`select id, data->>'answer' as answer from kb_entries order by id limit 1`);
    const turn = await say(id, { payload: `/kb{"id":"${entry!.id}"}` });
    expect(turn.replies[0]).toEqual({ type: "text", text: expect.stringContaining(entry!.answer.slice(0, 10)) });
  });
});

describe.each(testDrivers)("admin knowledge API on $name", (driver) => {
  const t = useTestApp(driver);
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}`, "content-type": "application/json", "x-kefu-user": "lin.xiao" };
  const entry = {
    id: "service-offline-store",
    question: "你们有线下门店吗",
    similar: ["线下门店在哪", "有没有实体店", "可以去店里看货吗", "能到门店自提吗", "你们店开在哪里"],
    answer: "我们暂时只在线上销售，没有线下门店，也不支持自提。杭州体验店预计明年开业。",
    category: "service",
    tags: ["门店", "自提"],
  };
  const ask = async (text: string) => {
    const { id } = (await (await t.app.request("/v1/conversations", post({}))).json()) as { id: string };
    return JSON.stringify((await (await t.app.request(`/v1/conversations/${id}/messages`, post({ text }))).json()) as Turn);
  };

  it("refuses without the admin key", async () => {
    expect((await t.app.request("/v1/admin/kb/entries")).status).toBe(401);
    expect((await t.app.request("/v1/admin/kb/entries", { method: "POST", body: JSON.stringify(entry), headers: { "content-type": "application/json" } })).status).toBe(401);
  });

  it("creates an entry that answers the next message, versioned with who made it", async () => {
    expect(await ask("线下门店在哪")).not.toContain("杭州体验店");
    const created = await t.app.request("/v1/admin/kb/entries", { method: "POST", headers: admin, body: JSON.stringify(entry) });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ version: 1, updatedBy: "admin:lin.xiao", entry: { id: entry.id, enabled: true } });
    expect(await ask("线下门店在哪")).toContain("杭州体验店预计明年开业");
    const again = await t.app.request("/v1/admin/kb/entries", { method: "POST", headers: admin, body: JSON.stringify(entry) });
    expect(again.status).toBe(409);
  });

  it("replaces an entry, refusing a stale version, and keeps the history", async () => {
    const { id, ...rest } = entry;
    const changed = { ...rest, answer: "我们暂时只在线上销售，没有线下门店。杭州体验店 2027 年 3 月开业。" };
    const stale = await t.app.request(`/v1/admin/kb/entries/${id}?version=7`, { method: "PUT", headers: admin, body: JSON.stringify(changed) });
    expect(stale.status).toBe(409);
    const ok = await t.app.request(`/v1/admin/kb/entries/${id}?version=1`, { method: "PUT", headers: admin, body: JSON.stringify(changed) });
    expect(ok.status).toBe(200);
    expect(await ask("线下门店在哪")).toContain("2027 年 3 月开业");
    const history = (await (await t.app.request(`/v1/admin/kb/entries/${id}`, { headers: admin })).json()) as { version: number; versions: { action: string }[] };
    expect(history.version).toBe(2);
    expect(history.versions.map((v) => v.action)).toEqual(["create", "update"]);
  });

  it("names the field of an invalid entry", async () => {
    const res = await t.app.request("/v1/admin/kb/entries", { method: "POST", headers: admin, body: JSON.stringify({ ...entry, id: "bad id", answer: "" }) });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/id/);
  });

  it("lists and searches, and a deleted entry no longer answers", async () => {
    const page = (await (await t.app.request(`/v1/admin/kb/entries?q=${encodeURIComponent("门店")}&pageSize=5`, { headers: admin })).json()) as { items: { entry: { id: string } }[]; total: number };
    expect(page.items.map((i) => i.entry.id)).toContain(entry.id);
    const deleted = await t.app.request(`/v1/admin/kb/entries/${entry.id}`, { method: "DELETE", headers: admin });
    expect(deleted.status).toBe(204);
    expect(await ask("线下门店在哪")).not.toContain("体验店");
    expect((await t.app.request(`/v1/admin/kb/entries/${entry.id}`, { headers: admin })).status).toBe(404);
  });
});

describe.each(testDrivers)("suggestions and 猜你想问 on $name", (driver) => {
  const t = useTestApp(driver);
  type Items<T> = { items: T[] };
  const suggest = async (q: string) => (await (await t.app.request(`/v1/kb/suggest?q=${encodeURIComponent(q)}`)).json()) as Items<{ id: string; question: string; source: string }>;
  const start = async (body: unknown) => ((await (await t.app.request("/v1/conversations", post(body))).json()) as { id: string }).id;
  const hot = async (id: string) => (await (await t.app.request(`/v1/kb/hot?conversationId=${id}`)).json()) as Items<{ question: string; payload: string; source: string; entryId?: string }>;

  it("lists the most asked entries once the bot has answered with them", async () => {
    const asker = await start({});
    await t.app.request(`/v1/conversations/${asker}/messages`, post({ text: "隐私面单是什么" }));
    const answered = (await transcript(t, asker)).messages.at(-1)!.trace!.knowledge!.entryId;
    const items = (await hot(await start({}))).items;
    expect(items[0]).toMatchObject({ source: "popular", entryId: answered, payload: `/kb{"id":"${answered}"}` });
    // Then the entries maintainers tagged 热门.
    expect(items.slice(1).map((i) => i.entryId)).toContain("returns-seven-day-policy");
  });

  it("suggests standard questions for a partial input, in Traditional characters too", async () => {
    for (const q of ["退货运费", "退貨運費"]) {
      const { items } = await suggest(q);
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(5);
      expect(items[0]!.id).toMatch(/^returns-shipping-cost/);
    }
    expect((await suggest("")).items).toEqual([]);
  });

  it("refuses a suggestion request without q, or with a bad limit", async () => {
    expect((await t.app.request("/v1/kb/suggest")).status).toBe(400);
    expect((await t.app.request("/v1/kb/suggest?q=x&limit=0")).status).toBe(400);
    expect((await t.app.request(`/v1/kb/suggest?q=${"退".repeat(101)}`)).status).toBe(400);
  });

  it("puts the shopper's own orders first", async () => {
    const [row] = await queryRows<{ customer_id: string; id: string }>(
      t.database.db,
      sql`select customer_id, id from orders where status = 'shipped' order by customer_id, created_at desc limit 1`,
    );
    const id = await start({ customerId: row!.customer_id, customerToken: signCustomerId(TEST_IDENTITY_SECRET, row!.customer_id) });
    const { items } = await hot(id);
    expect(items[0]).toMatchObject({ source: "order", payload: expect.stringMatching(/^\/(logistics|shipping_time|payment|refund_progress)\{"order":"\d{16}"\}$/) });
    const own = await queryRows<{ id: string }>(t.database.db, sql`select id from orders where customer_id = ${row!.customer_id}`);
    const named = items.filter((i) => i.source === "order" && !i.entryId).map((i) => /"order":"(\d{16})"/.exec(i.payload)![1]);
    expect(named.every((o) => own.some((r) => r.id === o))).toBe(true);
  });

  it("uses the product page: its questions and the knowledge its category raises", async () => {
    const { items } = await hot(await start({ context: { productId: "p-shine-muscat" } }));
    expect(items.filter((i) => i.source === "page").map((i) => i.payload)).toContain('/stock{"product":"p-shine-muscat"}');
    expect(items.some((i) => i.source === "page" && i.entryId?.startsWith("fresh-"))).toBe(true);
  });

  it("answers 404 for an unknown conversation and 400 without one", async () => {
    expect((await t.app.request("/v1/kb/hot?conversationId=cv_nope")).status).toBe(404);
    expect((await t.app.request("/v1/kb/hot")).status).toBe(400);
  });
});

async function transcript(t: ReturnType<typeof useTestApp>, id: string) {
  return (await (await t.app.request(`/v1/conversations/${id}`)).json()) as { messages: { seq: number; trace?: { knowledge?: { entryId: string } } }[] };
}
