/** After-sales tickets: opened by the bot and by agents, their life cycle, automation, and what the shopper sees. */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.js";
import { automationMatches } from "../../src/routing/tickets.js";
import { adminHeaders } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";
import { json, newAgent, openStream, quiet, say, startConversation, useRoutingStack } from "../helpers/routing.js";

type Ticket = { id: string; status: string; priority: string; type: string; dueAt: string; createdAt: string; assignedGroup: string | null; escalations: number };

describe.each(testDrivers)("tickets on $name", (driver) => {
  const s = useRoutingStack(driver);
  beforeEach(async () => quiet(s));

  const ticket = async (id: string) => (await (await s.app.request(`/v1/tickets/${id}`, { headers: adminHeaders })).json()) as { ticket: Ticket; events: { kind: string; author: string; body: string }[] };
  const patch = (id: string, body: unknown, headers: Record<string, string> = adminHeaders) => s.app.request(`/v1/tickets/${id}`, json("PATCH", body, headers));

  it("opens a ticket for a complaint the bot records, under the number the shopper was told", async () => {
    const id = await startConversation(s.app, { customerId: "c-1002" });
    const turn = await say(s.app, id, "我要投诉！你们快递员态度太差了，东西直接扔门口还骂人");
    const told = turn.replies.map((r) => r.text ?? "").join("");
    const number = /投诉编号 (CP\d{14})/.exec(told)?.[1];
    expect(number).toBeDefined();
    const { ticket: t, events } = await ticket(number!);
    expect(t).toMatchObject({ type: "complaint", status: "new", priority: "high" });
    // The complaint SLA is 24 hours (knowledge/routing.yaml).
    expect(Date.parse(t.dueAt) - Date.parse(t.createdAt)).toBe(24 * 3_600_000);
    expect(events[0]).toMatchObject({ kind: "created", author: "bot" });
    const mine = (await (await s.app.request(`/v1/conversations/${id}/tickets`)).json()) as { items: { id: string; statusText: string }[] };
    expect(mine.items).toEqual([expect.objectContaining({ id: number, statusText: "已受理" })]);
  });

  it("moves through its life cycle, tells the shopper each step, and refuses changes it may not make", async () => {
    const agent = await newAgent(s.app);
    const conversation = await startConversation(s.app, { customerId: "c-1004" });
    const created = await s.app.request(
      "/v1/tickets",
      json("POST", { type: "delivery", subject: "快递显示签收但没收到", description: "顾客说家里没人签收", customerId: "c-1004", conversationId: conversation }, agent.headers),
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as Ticket;
    const widget = await openStream(s.app, `/v1/conversations/${conversation}/events`);
    expect((await patch(id, { status: "open", assigneeId: agent.id }, agent.headers)).status).toBe(200);
    expect((await widget.next("ticket_updated")).data.data).toMatchObject({ ticketId: id, status: "open", statusText: "处理中" });
    const comment = await s.app.request(`/v1/tickets/${id}/comments`, json("POST", { body: "已联系快递核实", public: true }, agent.headers));
    expect(comment.status).toBe(201);
    expect(String(((await widget.next("ticket_updated")).data.data.replies as { text: string }[])[0]!.text)).toContain("已联系快递核实");
    await widget.close();
    for (const status of ["pending", "solved", "closed"]) expect((await patch(id, { status }, agent.headers)).status).toBe(200);
    const closed = await patch(id, { status: "open" }, agent.headers);
    expect(closed.status).toBe(409);
    const { events } = await ticket(id);
    expect(events.map((e) => e.kind)).toEqual(["created", "status", "assigned", "comment", "status", "status", "status"]);
    expect(events.every((e) => e.author === "bot" || e.author === `agent:${agent.id}`)).toBe(true);
    // The shopper's conversation carries the updates as notes.
    const transcript = (await (await s.app.request(`/v1/conversations/${conversation}`)).json()) as { messages: { role: string; replies?: { text?: string }[] }[] };
    expect(transcript.messages.filter((m) => m.role === "system").map((m) => m.replies?.[0]?.text ?? "")).toEqual(expect.arrayContaining([expect.stringContaining("已解决")]));
  });

  it("escalates a ticket pending 48 hours once, closes a solved one after 72 hours, and sends complaints to their group", async () => {
    const open = async (type: string) =>
      ((await (await s.app.request("/v1/tickets", json("POST", { type, subject: "测试工单", description: "自动规则" }, adminHeaders))).json()) as Ticket).id;
    const pending = await open("return");
    await patch(pending, { status: "pending" });
    const solved = await open("repair");
    await patch(solved, { status: "solved" });
    const complaint = await open("complaint");

    await s.core.routing.tick(s.ctx);
    expect((await ticket(complaint)).ticket.assignedGroup).toBe("complaints");
    expect((await ticket(pending)).ticket.priority).toBe("normal");

    s.clock.advance(49 * 3600);
    await s.core.routing.tick(s.ctx);
    const escalated = await ticket(pending);
    expect(escalated.ticket).toMatchObject({ priority: "high", escalations: 1, status: "pending" });
    expect(escalated.events.at(-1)).toMatchObject({ kind: "automation", author: "automation:pending-48h-escalate" });
    await s.core.routing.tick(s.ctx);
    expect((await ticket(pending)).ticket.escalations).toBe(1);

    s.clock.advance(24 * 3600);
    await s.core.routing.tick(s.ctx);
    expect((await ticket(solved)).ticket.status).toBe("closed");
    // 73 hours on, the return ticket (SLA 72 h) is overdue too — but pending, which the overdue rule does not watch.
    expect((await ticket(pending)).ticket.priority).toBe("high");
  });

  it("decides automation conditions on plain data", () => {
    const now = new Date("2026-11-20T00:00:00Z");
    const rule = { name: "r", when: { status: ["pending" as const], hoursInStatus: 48 }, then: { escalate: true } };
    const base = { status: "pending" as const, type: "return" as const, statusChangedAt: new Date(now.getTime() - 49 * 3_600_000), dueAt: now, automation: {} };
    expect(automationMatches(rule, base, now)).toBe(true);
    expect(automationMatches(rule, { ...base, statusChangedAt: new Date(now.getTime() - 47 * 3_600_000) }, now)).toBe(false);
    expect(automationMatches(rule, { ...base, status: "open" }, now)).toBe(false);
    expect(automationMatches(rule, { ...base, automation: { r: base.statusChangedAt.toISOString() } }, now)).toBe(false);
    const overdue = { name: "o", when: { overdue: true }, then: { priority: "urgent" as const } };
    expect(automationMatches(overdue, { ...base, dueAt: new Date(now.getTime() - 1) }, now)).toBe(true);
    expect(automationMatches(overdue, { ...base, dueAt: new Date(now.getTime() + 1) }, now)).toBe(false);
  });

  it("lets agents and admins in, nobody else", async () => {
    expect((await s.app.request("/v1/tickets")).status).toBe(401);
    expect((await s.app.request("/v1/tickets", { headers: { authorization: "Bearer kat_nope" } })).status).toBe(401);
    const agent = await newAgent(s.app, { online: false });
    expect((await s.app.request("/v1/tickets?mine=true", { headers: agent.headers })).status).toBe(200);
    expect((await s.app.request("/v1/tickets?status=open,new", { headers: adminHeaders })).status).toBe(200);
    expect((await s.app.request("/v1/tickets?status=lost", { headers: adminHeaders })).status).toBe(400);
    expect((await s.app.request("/v1/tickets", json("POST", { type: "return", subject: "x" }, adminHeaders))).status).toBe(400);
  });
});

describe.each(testDrivers)("service stats on $name", (driver) => {
  const s = useRoutingStack(driver);

  it("counts a known day: bot-solved, handed over, waits, first responses, ratings, unanswered", async () => {
    await quiet(s);
    // Two days later than the demo data, so only this test's conversations count.
    s.clock.advance(2 * 86_400);
    const day = new Date(s.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const agent = await newAgent(s.app);

    const solved = await startConversation(s.app, { customerId: "c-1007" });
    await say(s.app, solved, "我的快递到哪了");
    const lost = await startConversation(s.app);
    await say(s.app, lost, "帮我算一下微积分第三题");

    const served = await startConversation(s.app, { customerId: "c-1004" });
    await say(s.app, served, "转人工");
    s.clock.advance(20);
    await s.app.request(`/v1/agents/me/conversations/${served}/accept`, { method: "POST", headers: agent.headers });
    s.clock.advance(10);
    await s.app.request(`/v1/agents/me/conversations/${served}/messages`, json("POST", { text: "您好" }, agent.headers));
    s.clock.advance(60);
    await s.app.request(`/v1/agents/me/conversations/${served}/close`, json("POST", { summary: "已解决" }, agent.headers));
    await s.app.request(`/v1/conversations/${served}/rating`, json("POST", { score: 4 }));

    const left = await startConversation(s.app);
    await say(s.app, left, "我要投诉，你们太过分了");
    await s.app.request(`/v1/conversations/${left}/close`, { method: "POST" });

    const res = await s.app.request(`/v1/admin/stats?from=${day}&to=${day}`, { headers: adminHeaders });
    expect(res.status).toBe(200);
    const stats = (await res.json()) as Record<string, unknown> & { csat: { perAgent: { agentId: string; average: number; ratings: number }[] } };
    expect(stats).toMatchObject({
      conversations: 4,
      botResolvedRate: 0.25,
      transferRate: 0.5,
      transferReasons: { requested: 1, complaint: 1 },
      handoffs: { total: 2, accepted: 1, abandoned: 1, waiting: 0 },
      wait: { average: 20, p90: 20 },
      firstResponse: { average: 10, p90: 10 },
      csat: { ratings: 1, average: 4, satisfiedRate: 1 },
      unanswered: 1,
    });
    expect(stats.csat.perAgent).toEqual([expect.objectContaining({ agentId: agent.id, average: 4, ratings: 1 })]);
    expect((await s.app.request(`/v1/admin/stats?from=${day}&to=2020-01-01`, { headers: adminHeaders })).status).toBe(400);
    expect((await s.app.request(`/v1/admin/stats?from=yesterday&to=${day}`, { headers: adminHeaders })).status).toBe(400);
  });
});
