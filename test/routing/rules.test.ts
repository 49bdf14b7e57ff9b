/** The routing rules as a table: each rule, and the order between them, decided on plain data. */
import { describe, expect, it } from "vitest";
import { decideRoute, RULES, type AgentSnapshot, type RouteRequest, type RoutingRules } from "../../src/routing/rules.js";

const NOW = new Date("2026-11-20T04:00:00Z");

const rules: RoutingRules = {
  order: RULES,
  returningDays: 7,
  groups: [
    { id: "complaints", name: "投诉组", intents: ["complaint"], keywords: ["12315"], reasons: ["threat"] },
    { id: "after_sale", name: "售后组", intents: ["return_refund"], keywords: ["退货"], reasons: [] },
    { id: "pre_sale", name: "售前组", intents: ["product_info"], keywords: ["尺码"], reasons: [] },
  ],
  behaviour: [
    { page: /^\/products\//, group: "pre_sale" },
    { minVisitMinutes: 20, group: "senior" },
  ],
  vipGroup: "vip",
  vipMinLevel: 2,
};

const agent = (id: string, over: Partial<AgentSnapshot> = {}): AgentSnapshot => ({
  id,
  name: id.toUpperCase(),
  status: "online",
  groups: [],
  maxConcurrent: 3,
  load: 0,
  region: null,
  channels: [],
  lastAssignedAt: null,
  ...over,
});

const request = (over: Partial<RouteRequest> = {}): RouteRequest => ({
  channel: "web",
  customer: null,
  intent: null,
  reason: "requested",
  lastText: null,
  page: null,
  conversationStartedAt: new Date(NOW.getTime() - 60_000),
  now: NOW,
  targetGroup: null,
  targetAgentId: null,
  exclude: [],
  ...over,
});

const customer = (over: Partial<NonNullable<RouteRequest["customer"]>> = {}): NonNullable<RouteRequest["customer"]> => ({
  vipLevel: 0,
  region: null,
  dedicatedAgentId: null,
  lastAgentId: null,
  lastServedAt: null,
  ...over,
});

describe("routing rules", () => {
  const cases: { name: string; req: RouteRequest; agents: AgentSnapshot[]; order?: RoutingRules["order"]; agent: string | null; rule: string; group?: string | null }[] = [
    {
      name: "负荷: the least loaded by share of capacity",
      req: request(),
      agents: [agent("a", { load: 2, maxConcurrent: 4 }), agent("b", { load: 1, maxConcurrent: 4 }), agent("c", { load: 1, maxConcurrent: 2 })],
      agent: "b",
      rule: "load",
    },
    {
      name: "负荷: equal load goes to whoever was given a conversation longest ago",
      req: request(),
      agents: [agent("a", { lastAssignedAt: new Date(NOW.getTime() - 1000) }), agent("b", { lastAssignedAt: new Date(NOW.getTime() - 9000) })],
      agent: "b",
      rule: "load",
    },
    {
      name: "only online agents with room: busy, away and full ones are passed over",
      req: request(),
      agents: [agent("a", { status: "busy" }), agent("b", { status: "away" }), agent("c", { load: 3 }), agent("d", { load: 2 })],
      agent: "d",
      rule: "load",
    },
    {
      name: "专属: the dedicated agent, even when busier than others",
      req: request({ customer: customer({ dedicatedAgentId: "a" }) }),
      agents: [agent("a", { load: 2 }), agent("b")],
      agent: "a",
      rule: "dedicated",
    },
    {
      name: "专属: a full dedicated agent falls through to the next rules",
      req: request({ customer: customer({ dedicatedAgentId: "a" }) }),
      agents: [agent("a", { load: 3 }), agent("b")],
      agent: "b",
      rule: "load",
    },
    {
      name: "熟客: the last agent within the configured days",
      req: request({ customer: customer({ lastAgentId: "a", lastServedAt: new Date(NOW.getTime() - 3 * 86_400_000) }) }),
      agents: [agent("a", { load: 1 }), agent("b")],
      agent: "a",
      rule: "returning",
    },
    {
      name: "熟客: not after the configured days",
      req: request({ customer: customer({ lastAgentId: "a", lastServedAt: new Date(NOW.getTime() - 8 * 86_400_000) }) }),
      agents: [agent("a", { load: 1 }), agent("b")],
      agent: "b",
      rule: "load",
    },
    {
      name: "专属 comes before 熟客 in the default order",
      req: request({ customer: customer({ dedicatedAgentId: "a", lastAgentId: "b", lastServedAt: NOW }) }),
      agents: [agent("a", { load: 1 }), agent("b")],
      agent: "a",
      rule: "dedicated",
    },
    {
      name: "来源: only agents who serve the channel",
      req: request({ channel: "wechat" }),
      agents: [agent("a", { channels: ["web"] }), agent("b", { channels: ["wechat"], load: 2 })],
      agent: "b",
      rule: "load",
    },
    {
      name: "来源 before 专属: a dedicated agent who does not serve the channel is passed over",
      req: request({ channel: "wechat", customer: customer({ dedicatedAgentId: "a" }) }),
      agents: [agent("a", { channels: ["web"] }), agent("b")],
      order: ["channel", "dedicated", "load"],
      agent: "b",
      rule: "load",
    },
    {
      name: "地域: agents of the customer's region first",
      req: request({ customer: customer({ region: "上海" }) }),
      agents: [agent("a", { region: "北京" }), agent("b", { region: "上海", load: 2 })],
      agent: "b",
      rule: "load",
    },
    {
      name: "地域: with nobody free in the region, anyone",
      req: request({ customer: customer({ region: "上海" }) }),
      agents: [agent("a", { region: "北京" }), agent("b", { region: "上海", load: 3 })],
      agent: "a",
      rule: "load",
    },
    {
      name: "关键词: an after-sale intent goes to the after-sale group",
      req: request({ intent: "return_refund" }),
      agents: [agent("a"), agent("b", { groups: ["after_sale"], load: 2 })],
      agent: "b",
      rule: "load",
      group: "after_sale",
    },
    {
      name: "关键词: a keyword in the message decides the group",
      req: request({ lastText: "我要打12315投诉你们" }),
      agents: [agent("a", { groups: ["after_sale"] }), agent("b", { groups: ["complaints"] })],
      agent: "b",
      rule: "load",
      group: "complaints",
    },
    {
      name: "关键词: the hand-over reason decides the group",
      req: request({ reason: "threat" }),
      agents: [agent("a"), agent("b", { groups: ["complaints"], load: 1 })],
      agent: "b",
      rule: "load",
      group: "complaints",
    },
    {
      name: "关键词: when the whole group is full it waits for the group, not for anyone",
      req: request({ intent: "return_refund" }),
      agents: [agent("a"), agent("b", { groups: ["after_sale"], load: 3 })],
      agent: null,
      rule: "queue",
      group: "after_sale",
    },
    {
      name: "关键词: a group with nobody online does not hold the conversation back",
      req: request({ intent: "return_refund" }),
      agents: [agent("a"), agent("b", { groups: ["after_sale"], status: "offline" })],
      agent: "a",
      rule: "load",
      group: null,
    },
    {
      name: "行为: a product page goes to pre-sale",
      req: request({ page: "/products/p-af333" }),
      agents: [agent("a"), agent("b", { groups: ["pre_sale"], load: 1 })],
      agent: "b",
      rule: "load",
      group: "pre_sale",
    },
    {
      name: "行为: a long visit goes to the senior group",
      req: request({ conversationStartedAt: new Date(NOW.getTime() - 25 * 60_000) }),
      agents: [agent("a"), agent("b", { groups: ["senior"], load: 1 })],
      agent: "b",
      rule: "load",
      group: "senior",
    },
    {
      name: "关键词 before 行为: the words win over the page",
      req: request({ page: "/products/p-af333", intent: "return_refund" }),
      agents: [agent("a", { groups: ["pre_sale"] }), agent("b", { groups: ["after_sale"] })],
      agent: "b",
      rule: "load",
      group: "after_sale",
    },
    {
      name: "行为 before 关键词 when configured so",
      req: request({ page: "/products/p-af333", intent: "return_refund" }),
      agents: [agent("a", { groups: ["pre_sale"] }), agent("b", { groups: ["after_sale"] })],
      order: ["behaviour", "keyword", "load"],
      agent: "a",
      rule: "load",
      group: "pre_sale",
    },
    {
      name: "接待级别: a VIP2 prefers a free VIP-group agent",
      req: request({ customer: customer({ vipLevel: 2 }) }),
      agents: [agent("a"), agent("b", { groups: ["vip"], load: 2 })],
      agent: "b",
      rule: "load",
    },
    {
      name: "a transfer to a named agent beats every rule",
      req: request({ targetAgentId: "c", customer: customer({ dedicatedAgentId: "a" }) }),
      agents: [agent("a"), agent("b"), agent("c", { load: 2 })],
      agent: "c",
      rule: "transfer",
    },
    {
      name: "a transfer to a group keeps out the agent it came from",
      req: request({ targetGroup: "after_sale", exclude: ["a"] }),
      agents: [agent("a", { groups: ["after_sale"] }), agent("b", { groups: ["after_sale"], load: 2 }), agent("c")],
      agent: "b",
      rule: "load",
      group: "after_sale",
    },
    {
      name: "nobody online: it waits",
      req: request(),
      agents: [agent("a", { status: "offline" })],
      agent: null,
      rule: "queue",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const decision = decideRoute(c.req, c.agents, c.order ? { ...rules, order: c.order } : rules);
      expect({ agent: decision.agentId, rule: decision.rule }).toEqual({ agent: c.agent, rule: c.rule });
      if (c.group !== undefined) expect(decision.group).toBe(c.group);
      // Every decision explains itself, one line per rule that had something to say.
      expect(decision.trail.length).toBeGreaterThan(0);
      expect(decision.why.length).toBeGreaterThan(0);
    });
  }

  it("sets the queue priority from the VIP level only with the priority rule on", () => {
    const vip = request({ customer: customer({ vipLevel: 3 }) });
    expect(decideRoute(vip, [], rules).priority).toBe(3);
    expect(decideRoute(vip, [], { ...rules, order: ["load"] }).priority).toBe(0);
  });

  it("explains the decision in Chinese, rule by rule", () => {
    const d = decideRoute(request({ intent: "return_refund", customer: customer({ region: "上海" }) }), [agent("a", { groups: ["after_sale"], region: "上海" })], rules);
    expect(d.trail).toEqual([expect.stringContaining("来源"), expect.stringContaining("地域：优先上海"), expect.stringContaining("关键词：意图 return_refund → 售后组"), expect.stringContaining("负荷")]);
  });
});
