/**
 * The routing core through the API: hand-over to the right agent, accept, live events both ways,
 * the queue and its positions, accept timeouts, agents going offline, transfers, closing and rating,
 * and who may do what.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { signCustomerId } from "../../src/identity/customer-token.js";
import { adminHeaders, TEST_IDENTITY_SECRET } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";
import { agentList, handOver, json, newAgent, openStream, quiet, say, setStatus, startConversation, useRoutingStack } from "../helpers/routing.js";

describe.each(testDrivers)("routing core on $name", (driver) => {
  const s = useRoutingStack(driver);
  beforeEach(async () => quiet(s));

  const accept = (agent: { headers: Record<string, string> }, id: string) => s.app.request(`/v1/agents/me/conversations/${id}/accept`, { method: "POST", headers: agent.headers });
  const handoffRow = async (id: string) =>
    (await queryRows<{ status: string; agent_id: string | null; rule: string | null; why: string | null }>(s.database.db, sql`select status, agent_id, rule, why from handoffs where conversation_id = ${id} order by id desc limit 1`))[0]!;

  it("offers a hand-over to the least-loaded online agent, with the rule and why stored", async () => {
    const busy = await newAgent(s.app);
    const free = await newAgent(s.app);
    await newAgent(s.app, { online: false });
    const first = await handOver(s.app);
    expect((await handoffRow(first.id)).agent_id).toBe(busy.id < free.id ? busy.id : free.id);
    const second = await handOver(s.app);
    const row = await handoffRow(second.id);
    // Each has one now; the second goes to the other one.
    expect(new Set([(await handoffRow(first.id)).agent_id, row.agent_id])).toEqual(new Set([busy.id, free.id]));
    expect(row).toMatchObject({ status: "offered", rule: "load" });
    expect(row.why).toContain("负荷最低");
    expect(second.handoff?.queue).toEqual({ position: 0, estimatedWaitSeconds: 0, group: null });
  });

  it("goes through offer, accept, messages both ways and close, with live events on both sides", async () => {
    const agent = await newAgent(s.app);
    const agentStream = await openStream(s.app, "/v1/agents/me/events", agent.headers);
    const { id } = await handOver(s.app, { customerId: "c-1004", text: "我要找人工客服" });
    const offered = await agentStream.next("conversation_offered");
    expect(offered.data.data).toMatchObject({ conversationId: id, reason: "requested", rule: "load" });
    expect(String(offered.data.data.summary)).toContain("刘洋");

    const widget = await openStream(s.app, `/v1/conversations/${id}/events`);
    expect((await accept(agent, id)).status).toBe(200);
    expect((await widget.next("agent_joined")).data.data).toMatchObject({ agentName: agent.name });
    expect((await say(s.app, id, "我的订单还没到")).replies).toEqual([]);
    expect((await agentStream.next("customer_message")).data.data).toMatchObject({ conversationId: id, text: "我的订单还没到" });

    const list = await agentList(s.app, agent);
    expect(list).toEqual([expect.objectContaining({ conversationId: id, status: "active", unread: 2 })]);
    const sent = await s.app.request(`/v1/agents/me/conversations/${id}/messages`, json("POST", { text: "您好，我帮您查一下" }, agent.headers));
    expect(sent.status).toBe(201);
    expect((await widget.next("agent_message")).data.data).toMatchObject({ agentName: agent.name, replies: [{ type: "text", text: "您好，我帮您查一下" }] });
    expect((await agentList(s.app, agent))[0]!.unread).toBe(0);

    const card = await s.app.request(`/v1/agents/me/conversations/${id}/messages`, json("POST", { productId: "p-af333" }, agent.headers));
    expect(((await card.json()) as { replies: { type: string }[] }).replies[0]!.type).toBe("product_card");
    const canned = await s.app.request(`/v1/agents/me/conversations/${id}/messages`, json("POST", { cannedId: "greet" }, agent.headers));
    expect(((await canned.json()) as { replies: { text: string }[] }).replies[0]!.text).toContain("刘洋");

    const closed = await s.app.request(`/v1/agents/me/conversations/${id}/close`, json("POST", { summary: "物流延误，已催件" }, agent.headers));
    expect(closed.status).toBe(200);
    expect((await widget.next("closed")).data.data).toMatchObject({ by: "agent", rateable: true });
    const transcript = (await (await s.app.request(`/v1/conversations/${id}`)).json()) as { state: { mode: string }; messages: { role: string; agentName?: string }[] };
    expect(transcript.state.mode).toBe("closed");
    expect(transcript.messages.filter((m) => m.role === "agent").every((m) => m.agentName === agent.name)).toBe(true);
    // The shopper rates it and the agent gets the score; the customer now has a last agent.
    expect((await s.app.request(`/v1/conversations/${id}/rating`, json("POST", { score: 5, comment: "很快" }))).status).toBe(200);
    expect(((await (await s.app.request(`/v1/conversations/${id}`)).json()) as { rating: unknown }).rating).toEqual({ score: 5, comment: "很快" });
    const [rating] = await queryRows<{ agent_id: string; score: number }>(s.database.db, sql`select agent_id, score from ratings where conversation_id = ${id}`);
    expect(rating).toEqual({ agent_id: agent.id, score: 5 });
    const [customer] = await queryRows<{ last_agent_id: string }>(s.database.db, sql`select last_agent_id from customers where id = 'c-1004'`);
    expect(customer!.last_agent_id).toBe(agent.id);
    await agentStream.close();
    await widget.close();
  });

  it("gives a returning customer the agent who served them last (熟客), and a dedicated agent first (专属)", async () => {
    const first = await newAgent(s.app);
    const other = await newAgent(s.app);
    await s.database.db.execute(sql`update customers set last_agent_id = ${first.id}, last_served_at = ${s.clock.now()}, dedicated_agent_id = null where id = 'c-1005'`);
    // Give `first` more load than `other`, so load alone would choose `other`.
    await handOver(s.app);
    if ((await agentList(s.app, first)).length === 0) await handOver(s.app);
    const back = await handOver(s.app, { customerId: "c-1005" });
    expect(await handoffRow(back.id)).toMatchObject({ agent_id: first.id, rule: "returning" });

    const set = await s.app.request("/v1/admin/customers/c-1003/dedicated-agent", json("PUT", { agentId: other.id }, adminHeaders));
    expect(set.status).toBe(200);
    const vip = await handOver(s.app, { customerId: "c-1003" });
    expect(await handoffRow(vip.id)).toMatchObject({ agent_id: other.id, rule: "dedicated" });
  });

  it("routes an after-sale question to the after-sale group", async () => {
    const general = await newAgent(s.app);
    const afterSale = await newAgent(s.app, { groups: ["after_sale"] });
    await handOver(s.app); // general now has less room than afterSale only if it got this one
    const { id } = await handOver(s.app, { text: "退货的事情我要找人工" });
    const row = await handoffRow(id);
    expect(row.agent_id).toBe(afterSale.id);
    expect(row.why).toContain("负荷");
    const explain = (await (await s.app.request(`/v1/admin/conversations/${id}/routing`, { headers: adminHeaders })).json()) as { handoffs: { queueGroup: string }[] };
    expect(explain.handoffs[0]!.queueGroup).toBe("after_sale");
    expect(general.id).not.toBe(afterSale.id);
  });

  it("queues when nobody can take it, VIP first, tells positions as the queue moves, and drops a shopper who leaves", async () => {
    const a = await handOver(s.app, { customerId: "c-1004" });
    expect(a.handoff?.queue).toMatchObject({ position: 1, estimatedWaitSeconds: null });
    expect(a.handoff?.text).toContain("排在第 1 位");
    const b = await handOver(s.app, { customerId: "c-1002" });
    expect(b.handoff?.queue?.position).toBe(2);
    const vip = await handOver(s.app, { customerId: "c-1001" });
    expect(vip.handoff?.queue?.position).toBe(1);
    // A reloaded widget reads the place from the transcript.
    const reloaded = (await (await s.app.request(`/v1/conversations/${b.id}`)).json()) as { queue: { position: number } | null; rating: unknown };
    expect(reloaded).toMatchObject({ queue: { position: 3 }, rating: null });

    const watchB = await openStream(s.app, `/v1/conversations/${b.id}/events`);
    await s.core.routing.tick(s.ctx);
    expect((await watchB.next("queue_position")).data.data).toMatchObject({ position: 3 });
    const admin = (await (await s.app.request("/v1/admin/queue", { headers: adminHeaders })).json()) as { items: { conversationId: string }[] };
    expect(admin.items.map((i) => i.conversationId)).toEqual([vip.id, a.id, b.id]);

    // A shopper ahead leaves: b moves up.
    expect((await s.app.request(`/v1/conversations/${a.id}/close`, { method: "POST" })).status).toBe(200);
    expect((await handoffRow(a.id)).status).toBe("abandoned");
    expect((await watchB.next("queue_position")).data.data).toMatchObject({ position: 2 });

    // One agent with room for one comes online: the VIP is served first, b is next.
    const agent = await newAgent(s.app, { maxConcurrent: 1 });
    expect(await handoffRow(vip.id)).toMatchObject({ status: "offered", agent_id: agent.id });
    expect((await watchB.next("queue_position")).data.data).toMatchObject({ position: 1, text: expect.stringContaining("您是下一位") });
    expect((await handoffRow(b.id)).status).toBe("waiting");
    await watchB.close();
  });

  it("answers simple questions while the shopper waits, and hands the rest to the agent", async () => {
    const { id } = await handOver(s.app, { customerId: "c-1007" });
    const parcel = await say(s.app, id, "我的快递到哪了");
    expect(parcel.state.mode).toBe("queued");
    expect(parcel.replies.map((r) => r.type)).toContain("logistics");
    const policy = await say(s.app, id, "退货运费谁出");
    expect(policy.replies.length).toBeGreaterThan(0);
    const other = await say(s.app, id, "我就想和人说话");
    expect(other.replies).toEqual([expect.objectContaining({ type: "text", text: expect.stringContaining("客服接入后会第一时间看到") })]);
  });

  it("re-routes an offer nobody accepted in time and sets that agent away", async () => {
    const slow = await newAgent(s.app);
    const { id } = await handOver(s.app);
    expect((await handoffRow(id)).agent_id).toBe(slow.id);
    const quick = await newAgent(s.app);
    s.clock.advance(29);
    await s.core.routing.tick(s.ctx);
    expect((await handoffRow(id)).agent_id).toBe(slow.id);
    s.clock.advance(2);
    await s.core.routing.tick(s.ctx);
    expect(await handoffRow(id)).toMatchObject({ status: "offered", agent_id: quick.id });
    const me = (await (await s.app.request("/v1/agents/me", { headers: slow.headers })).json()) as { status: string };
    expect(me.status).toBe("away");
    const outcomes = await queryRows<{ agent_id: string; outcome: string | null }>(s.database.db, sql`select agent_id, outcome from assignments where conversation_id = ${id} order by id`);
    expect(outcomes).toEqual([
      { agent_id: slow.id, outcome: "timeout" },
      { agent_id: quick.id, outcome: null },
    ]);
    // The late accept is refused: it is someone else's now.
    expect((await accept(slow, id)).status).toBe(403);
  });

  it("re-routes the conversations of an agent who goes offline, telling the shopper", async () => {
    const leaving = await newAgent(s.app);
    const { id } = await handOver(s.app);
    expect((await accept(leaving, id)).status).toBe(200);
    const staying = await newAgent(s.app);
    const widget = await openStream(s.app, `/v1/conversations/${id}/events`);
    await setStatus(s.app, leaving, "offline");
    expect((await widget.next("agent_left")).data.data.text).toContain("转接");
    expect(await handoffRow(id)).toMatchObject({ status: "offered", agent_id: staying.id });
    const transcript = (await (await s.app.request(`/v1/conversations/${id}`)).json()) as { state: { mode: string } };
    expect(transcript.state.mode).toBe("queued");
    await widget.close();
  });

  it("takes an agent silent for too long offline (presence)", async () => {
    const silent = await newAgent(s.app);
    const { id } = await handOver(s.app);
    expect((await handoffRow(id)).agent_id).toBe(silent.id);
    s.clock.advance(121);
    await s.core.routing.tick(s.ctx);
    const [row] = await queryRows<{ status: string }>(s.database.db, sql`select status from agents where id = ${silent.id}`);
    expect(row!.status).toBe("offline");
    expect((await handoffRow(id)).status).toBe("waiting");
  });

  it("transfers to a group with a note for the next agent", async () => {
    const first = await newAgent(s.app);
    const { id } = await handOver(s.app);
    await accept(first, id);
    const vipAgent = await newAgent(s.app, { groups: ["vip"] });
    const targets = (await (await s.app.request("/v1/agents/transfer-targets", { headers: first.headers })).json()) as { groups: { id: string; name: string; online: number }[]; agents: { id: string }[] };
    expect(targets.groups).toEqual(expect.arrayContaining([{ id: "vip", name: "VIP专席", online: 1 }, expect.objectContaining({ id: "after_sale", name: "售后组" })]));
    expect(targets.agents.map((a) => a.id)).toContain(vipAgent.id);
    expect(targets.agents.map((a) => a.id)).not.toContain(first.id);
    const res = await s.app.request(`/v1/agents/me/conversations/${id}/transfer`, json("POST", { group: "vip", note: "老客户，想问会员权益" }, first.headers));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "offered", agentId: vipAgent.id });
    const list = await agentList(s.app, vipAgent);
    expect(list[0]).toMatchObject({ conversationId: id, rule: "load" });
    expect((list[0] as { transferNote?: string }).transferNote).toBe("老客户，想问会员权益");
    // Neither a transfer to oneself nor one without a target is taken.
    expect((await s.app.request(`/v1/agents/me/conversations/${id}/transfer`, json("POST", { note: "x" }, vipAgent.headers))).status).toBe(400);
  });

  it("resumes a widget stream with Last-Event-ID without losing events", async () => {
    const agent = await newAgent(s.app);
    const { id } = await handOver(s.app);
    await accept(agent, id);
    const first = await openStream(s.app, `/v1/conversations/${id}/events?lastEventId=0`);
    const joined = await first.next("agent_joined");
    await first.close();
    for (const text of ["第一条", "第二条"]) await s.app.request(`/v1/agents/me/conversations/${id}/messages`, json("POST", { text }, agent.headers));
    const again = await openStream(s.app, `/v1/conversations/${id}/events`, { "last-event-id": String(joined.data.id) });
    const texts = [(await again.next("agent_message")).data.data, (await again.next("agent_message")).data.data].map((d) => (d.replies as { text: string }[])[0]!.text);
    expect(texts).toEqual(["第一条", "第二条"]);
    expect((await again.drain()).filter((e) => e.event === "agent_joined")).toEqual([]);
    await again.close();
  });

  it("holds at most five event streams open for one conversation", async () => {
    const id = await startConversation(s.app);
    const streams = await Promise.all(Array.from({ length: 5 }, () => openStream(s.app, `/v1/conversations/${id}/events`)));
    const sixth = await s.app.request(`/v1/conversations/${id}/events`);
    expect(sixth.status).toBe(429);
    await streams[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    const again = await openStream(s.app, `/v1/conversations/${id}/events`);
    await Promise.all([...streams.slice(1), again].map((st) => st.close()));
  });

  it("keeps agents to their own conversations and away from admin routes", async () => {
    const mine = await newAgent(s.app);
    const { id } = await handOver(s.app);
    const stranger = await newAgent(s.app);
    expect((await s.app.request(`/v1/agents/me/conversations/${id}`, { headers: stranger.headers })).status).toBe(403);
    expect((await s.app.request(`/v1/agents/me/conversations/${id}/messages`, json("POST", { text: "hi" }, stranger.headers))).status).toBe(403);
    expect((await accept(stranger, id)).status).toBe(403);
    const view = await s.app.request(`/v1/agents/me/conversations/${id}`, { headers: mine.headers });
    expect(view.status).toBe(200);
    expect(((await view.json()) as { handoff: { reason: string } }).handoff.reason).toBe("requested");
    expect((await s.app.request("/v1/admin/agents", { headers: mine.headers })).status).toBe(401);
    expect((await s.app.request("/v1/admin/stats?from=2026-11-01&to=2026-11-30", { headers: mine.headers })).status).toBe(401);
    expect((await s.app.request("/v1/agents/me", { headers: adminHeaders })).status).toBe(401);
    expect((await s.app.request("/v1/agents/me/events", { headers: adminHeaders })).status).toBe(401);
    // Sending before accepting is refused too.
    expect((await s.app.request(`/v1/agents/me/conversations/${id}/messages`, json("POST", { text: "hi" }, mine.headers))).status).toBe(403);
  });

  it("logs in only with the right password, and a logged-out token stops working", async () => {
    const agent = await newAgent(s.app, { online: false });
    const created = (await (await s.app.request("/v1/admin/agents", { headers: adminHeaders })).json()) as { items: { id: string; username: string }[] };
    const username = created.items.find((a) => a.id === agent.id)!.username;
    expect((await s.app.request("/v1/agents/login", json("POST", { username, password: "wrong-password" }))).status).toBe(401);
    expect((await s.app.request("/v1/agents/login", json("POST", { username: "nobody", password: "secret-password" }))).status).toBe(401);
    const [stored] = await queryRows<{ password_hash: string }>(s.database.db, sql`select password_hash from agents where id = ${agent.id}`);
    expect(stored!.password_hash).toMatch(/^scrypt\$/);
    expect((await s.app.request("/v1/agents/logout", { method: "POST", headers: agent.headers })).status).toBe(204);
    expect((await s.app.request("/v1/agents/me", { headers: agent.headers })).status).toBe(401);
    // A disabled agent cannot log in again.
    await s.app.request(`/v1/admin/agents/${agent.id}`, json("PATCH", { disabled: true }, adminHeaders));
    expect((await s.app.request("/v1/agents/login", json("POST", { username, password: "secret-password" }))).status).toBe(401);
  });

  it("validates the agent and admin inputs", async () => {
    const bad = await s.app.request("/v1/admin/agents", json("POST", { username: "X Y", name: "", password: "short" }, adminHeaders));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    const agent = await newAgent(s.app, { online: false });
    expect((await s.app.request("/v1/agents/me/status", json("PUT", { status: "sleeping" }, agent.headers))).status).toBe(400);
    const conversation = await startConversation(s.app);
    expect((await s.app.request(`/v1/conversations/${conversation}/rating`, json("POST", { score: 5 }))).status).toBe(409);
    expect((await s.app.request(`/v1/conversations/${conversation}/rating`, json("POST", { score: 9 }))).status).toBe(400);
  });
});

describe.each(testDrivers)("service modes on $name", (driver) => {
  const s = useRoutingStack(driver, { serviceModes: { wechat: "human_only", api: "robot_only", app: "human_first" } });
  beforeEach(async () => quiet(s));

  it("human_only: the first message goes to a person, and the bot answers nothing while the shopper waits", async () => {
    const id = await startConversation(s.app, { channel: "wechat", customerId: "c-1007" });
    const first = await say(s.app, id, "我的快递到哪了");
    expect(first.state.mode).toBe("queued");
    expect(first.replies.map((r) => r.type)).toEqual(["handoff"]);
    const second = await say(s.app, id, "我的快递到哪了");
    expect(second.replies.map((r) => r.type)).toEqual(["text"]);
    expect(second.replies[0]!.text).not.toContain("也可以先问我");
  });

  it("robot_only: a request for a person becomes a ticket, and the bot keeps the conversation", async () => {
    const id = await startConversation(s.app, { channel: "api", customerId: "c-1004" });
    const turn = await say(s.app, id, "转人工");
    expect(turn.state.mode).toBe("bot");
    expect(turn.replies.some((r) => r.type === "handoff")).toBe(false);
    const number = /工单号 (TK\d{14})/.exec(turn.replies.map((r) => r.text ?? "").join(""))?.[1];
    expect(number).toBeDefined();
    const [ticket] = await queryRows<{ type: string; customer_id: string }>(s.database.db, sql`select type, customer_id from tickets where id = ${number}`);
    expect(ticket).toEqual({ type: "other", customer_id: "c-1004" });
    expect(await queryRows(s.database.db, sql`select id from handoffs where conversation_id = ${id}`)).toEqual([]);
    // The shopper asks where the ticket stands: the welcome offers it, and the button answers.
    const again = await s.app.request("/v1/conversations", json("POST", { customerId: "c-1004", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1004"), channel: "api" }));
    const welcome = (await again.json()) as { id: string; replies: { type: string; options?: { payload: string }[] }[] };
    expect(welcome.replies.flatMap((r) => r.options ?? []).map((o) => o.payload)).toContain("/ticket_status");
    const status = await s.app.request(`/v1/conversations/${welcome.id}/messages`, json("POST", { payload: "/ticket_status" }));
    expect(((await status.json()) as { replies: { text?: string }[] }).replies[0]!.text).toContain(`${number}：已受理`);
  });

  it("robot_only: a complaint is one ticket, not a second one for the request for a person", async () => {
    const id = await startConversation(s.app, { channel: "api", customerId: "c-1002" });
    const turn = await say(s.app, id, "我要投诉！你们快递员态度太差了，东西直接扔门口还骂人");
    expect(turn.state.mode).toBe("bot");
    const rows = await queryRows<{ type: string }>(s.database.db, sql`select type from tickets where conversation_id = ${id}`);
    expect(rows).toEqual([{ type: "complaint" }]);
  });

  it("human_first: a VIP goes to a person at once, an ordinary member starts with the bot", async () => {
    const vip = await startConversation(s.app, { channel: "app", customerId: "c-1001" });
    expect((await say(s.app, vip, "我的快递到哪了")).state.mode).toBe("queued");
    const member = await startConversation(s.app, { channel: "app", customerId: "c-1004" });
    expect((await say(s.app, member, "我的快递到哪了")).state.mode).toBe("bot");
  });
});
