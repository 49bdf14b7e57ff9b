/** The conversation API: happy path, errors, who may see what, ordering under concurrency. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import type { Reply } from "../../src/dialogue/replies.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { TEST_IDENTITY_SECRET, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

interface Turn {
  replies: Reply[];
  nlu: { intent: { name: string }; entities: { type: string; value: unknown }[] } | null;
  state: { mode: string; form?: string; slots?: Record<string, string | number> };
}

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const signedIn = (customerId: string) => ({ customerId, customerToken: signCustomerId(TEST_IDENTITY_SECRET, customerId) });
const allText = (replies: Reply[]) => JSON.stringify(replies);

describe.each(testDrivers)("conversations on $name", (driver) => {
  const t = useTestApp(driver);

  async function start(body: unknown = {}) {
    const res = await t.app.request("/v1/conversations", post(body));
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; replies: Reply[]; state: Turn["state"] };
  }
  async function say(id: string, body: unknown) {
    const res = await t.app.request(`/v1/conversations/${id}/messages`, post(body));
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Turn;
  }
  const orderOf = async (customerId: string, status: string) =>
    (await queryRows<{ id: string }>(t.database.db, sql`select id from orders where customer_id = ${customerId} and status = ${status} order by created_at desc limit 1`))[0]!.id;

  describe("happy path", () => {
    it("welcomes a signed-in shopper by name with buttons for their shipping orders", async () => {
      const { id, replies, state } = await start(signedIn("c-1007"));
      expect(id).toMatch(/^cv_[A-Za-z0-9_-]{16}$/);
      expect(state).toEqual({ mode: "bot" });
      expect(replies[0]).toMatchObject({ type: "text" });
      expect((replies[0] as { text: string }).text).toContain("黄敏");
      const buttons = replies.find((r) => r.type === "quick_replies") as Extract<Reply, { type: "quick_replies" }>;
      const shipped = await orderOf("c-1007", "shipped");
      expect(buttons.options.some((o) => o.payload === `/logistics{"order":"${shipped}"}`)).toBe(true);
    });

    it("welcomes an anonymous visitor on a product page with questions about that product", async () => {
      const { replies } = await start({ channel: "app", context: { productId: "p-af333", page: "/products/p-af333" } });
      expect(allText(replies)).toContain("AF-333");
      expect(allText(replies)).toContain('/product_usage{\\"product\\":\\"p-af333\\"}');
    });

    it("answers a message with replies, the NLU result and the form state, and keeps the trace", async () => {
      const { id } = await start(signedIn("c-1001"));
      const first = await say(id, { text: "我要退货" });
      expect(first.nlu?.intent.name).toBe("return_refund");
      expect(first.state).toMatchObject({ mode: "bot", form: "return_refund", slots: {} });
      expect(first.replies.map((r) => r.type)).toEqual(["order_list"]);

      const res = await t.app.request(`/v1/conversations/${id}`);
      expect(res.status).toBe(200);
      const transcript = (await res.json()) as { messages: { seq: number; role: string; text?: string; trace?: { intent: string; form: string } }[] };
      expect(transcript.messages.map((m) => [m.seq, m.role])).toEqual([
        [1, "bot"],
        [2, "user"],
        [3, "bot"],
      ]);
      expect(transcript.messages[1]!.text).toBe("我要退货");
      expect(transcript.messages[2]!.trace).toMatchObject({ intent: "return_refund", form: "return_refund" });
    });

    it("takes a clicked button's payload", async () => {
      const { id } = await start(signedIn("c-1007"));
      const shipped = await orderOf("c-1007", "shipped");
      const turn = await say(id, { payload: `/logistics{"order":"${shipped}"}` });
      expect(turn.nlu).toBeNull();
      expect(turn.replies.map((r) => r.type)).toContain("logistics");
    });
  });

  describe("errors", () => {
    it("404 for an unknown conversation, on read and on write", async () => {
      const missing = "cv_AAAAAAAAAAAAAAAA";
      expect((await t.app.request(`/v1/conversations/${missing}`)).status).toBe(404);
      const res = await t.app.request(`/v1/conversations/${missing}/messages`, post({ text: "在吗" }));
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    });

    it("409 for a message to a closed conversation, and nothing is stored", async () => {
      const { id } = await start();
      const closed = await t.app.request(`/v1/conversations/${id}/close`, { method: "POST" });
      expect(closed.status).toBe(200);
      const res = await t.app.request(`/v1/conversations/${id}/messages`, post({ text: "还在吗" }));
      expect(res.status).toBe(409);
      const transcript = (await (await t.app.request(`/v1/conversations/${id}`)).json()) as { messages: unknown[]; state: { mode: string } };
      expect(transcript.state.mode).toBe("closed");
      expect(transcript.messages).toHaveLength(1);
    });

    it.each([
      ["an empty text", { text: "   " }],
      ["text and payload together", { text: "你好", payload: "/human" }],
      ["neither text nor payload", {}],
      ["a text that is too long", { text: "好".repeat(2001) }],
      ["a payload the bot never sends", { payload: "DROP TABLE orders" }],
    ])("400 for %s", async (_, body) => {
      const { id } = await start();
      const res = await t.app.request(`/v1/conversations/${id}/messages`, post(body));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    });

    it.each([
      ["a wrong customer token", { customerId: "c-1001", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1002") }, 401],
      ["a customer id without token", { customerId: "c-1001" }, 401],
      ["a token without customer id", { customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1001") }, 400],
      ["an unknown channel", { channel: "fax" }, 400],
      ["an unknown product in the context", { context: { productId: "p-nope" } }, 400],
      ["an unknown field", { customer: "c-1001" }, 400],
    ])("rejects starting with %s", async (_, body, status) => {
      const res = await t.app.request("/v1/conversations", post(body));
      expect(res.status).toBe(status);
    });
  });

  describe("who may see what", () => {
    it("never shows a signed-in customer another customer's order, whatever number is typed", async () => {
      const others = await orderOf("c-1002", "shipped");
      const { id } = await start(signedIn("c-1001"));
      const turn = await say(id, { text: `订单${others}到哪了` });
      expect(allText(turn.replies)).not.toContain("李娜");
      expect(turn.replies.map((r) => r.type)).not.toContain("logistics");
      expect(allText(turn.replies)).toContain("没有找到");
      // A payload naming it is refused the same way.
      const viaButton = await say(id, { payload: `/order_status{"order":"${others}"}` });
      expect(viaButton.replies.map((r) => r.type)).not.toContain("order_card");
    });

    it("asks an anonymous visitor for order number and phone digits, and refuses wrong digits", async () => {
      const order = await orderOf("c-1007", "shipped");
      const { id } = await start();
      const asked = await say(id, { text: "我的快递到哪了" });
      expect(asked.replies.map((r) => r.type)).toEqual(["text"]);
      expect(allText(asked.replies)).toContain("订单号");
      const digits = await say(id, { text: order });
      expect(allText(digits.replies)).toContain("后四位");
      const wrong = await say(id, { text: "0000" });
      expect(wrong.replies.map((r) => r.type)).not.toContain("logistics");
      expect(allText(wrong.replies)).not.toContain("韵达");
      expect(allText(wrong.replies)).toContain("对不上");
    });

    it("opens exactly the verified order to an anonymous visitor, masked", async () => {
      const order = await orderOf("c-1007", "shipped");
      const { id } = await start();
      await say(id, { text: "查下物流" });
      await say(id, { text: order });
      const shown = await say(id, { text: "6610" });
      expect(shown.replies.map((r) => r.type)).toContain("logistics");
      const status = await say(id, { text: "这个订单的状态呢" });
      const card = status.replies.find((r) => r.type === "order_card") as Extract<Reply, { type: "order_card" }>;
      expect(card.order.id).toBe(order);
      expect(card.order.address).toContain("177****6610");
      expect(card.order.address).not.toContain("17751036610");
      expect(card.order.address).not.toContain("汉中路185号鸿运大厦2208");
    });

    it("stops after three wrong verifications", async () => {
      const order = await orderOf("c-1007", "shipped");
      const { id } = await start();
      for (let i = 0; i < 3; i++) {
        await say(id, { text: "查一下订单" });
        await say(id, { text: order });
        await say(id, { text: "1234" });
      }
      await say(id, { text: "查一下订单" });
      const after = await say(id, { text: order });
      expect(allText(after.replies)).not.toContain("后四位");
      expect(allText(after.replies)).toContain("登录");
    });
  });

  describe("ordering and storage", () => {
    it("answers concurrent messages strictly in the order they were stored", async () => {
      const { id } = await start(signedIn("c-1001"));
      const texts = ["你好", "我要退货", "第二个", "算了", "谢谢"];
      const results = await Promise.all(texts.map((text) => say(id, { text })));
      const transcript = (await (await t.app.request(`/v1/conversations/${id}`)).json()) as {
        messages: { seq: number; role: string; text?: string; replyTo?: number }[];
      };
      const users = transcript.messages.filter((m) => m.role === "user");
      const bots = transcript.messages.filter((m) => m.role === "bot" && m.replyTo !== undefined);
      expect(users).toHaveLength(5);
      expect(bots.map((b) => b.replyTo)).toEqual(users.map((u) => u.seq));
      // Every bot answer comes right after the message it answers.
      for (const bot of bots) expect(bot.seq).toBeGreaterThan(bot.replyTo!);
      expect(new Set(transcript.messages.map((m) => m.seq)).size).toBe(transcript.messages.length);
      expect(results).toHaveLength(5);
    });
  });
});
