/**
 * Who takes a conversation: a pure decision over plain data, so every rule and the order between
 * them can be tested in a table. The caller (assign.ts) reads the agents and their loads, calls
 * `decideRoute`, and then writes the assignment under the chosen agent's row lock.
 *
 * Rules run in the configured order over a shrinking set of candidate agents. Some pick an agent
 * (专属 dedicated, 熟客 returning), some narrow the candidates (来源 channel, 地域 region, 关键词
 * keyword, 行为 behaviour), 接待级别 priority sets the queue priority, and 负荷 load picks the
 * least-loaded candidate. Each step leaves a line in the trail, so an assignment explains itself.
 */
import type { AgentStatus, Channel } from "../db/schema.js";

export const RULES = ["dedicated", "returning", "channel", "region", "keyword", "behaviour", "priority", "load"] as const;
export type RuleName = (typeof RULES)[number];

export const RULE_ZH: Record<RuleName | "transfer" | "queue", string> = {
  dedicated: "专属",
  returning: "熟客",
  channel: "来源",
  region: "地域",
  keyword: "关键词",
  behaviour: "行为",
  priority: "接待级别",
  load: "负荷",
  transfer: "转接",
  queue: "排队",
};

export interface GroupRule {
  id: string;
  /** The group's name as agents read it: 售后组. */
  name: string;
  intents: readonly string[];
  keywords: readonly string[];
  /** Hand-over reasons (threat, insult, complaint ...) that go to this group. */
  reasons: readonly string[];
}

export interface BehaviourRule {
  /** Matches the page the shopper opened the chat on. */
  page?: RegExp;
  /** The shopper has been in the conversation at least this long. */
  minVisitMinutes?: number;
  group: string;
}

export interface RoutingRules {
  order: readonly RuleName[];
  /** 熟客: the agent who served the customer within this many days gets them again. */
  returningDays: number;
  groups: readonly GroupRule[];
  behaviour: readonly BehaviourRule[];
  /** Customers at or above this VIP level prefer agents of `vipGroup` (when one is free). */
  vipGroup: string | null;
  vipMinLevel: number;
}

export interface AgentSnapshot {
  id: string;
  name: string;
  status: AgentStatus;
  groups: readonly string[];
  maxConcurrent: number;
  /** Conversations offered to or active with the agent now. */
  load: number;
  region: string | null;
  /** Empty: all channels. */
  channels: readonly string[];
  /** When the agent was last given a conversation, for ties (the one waiting longest goes first). */
  lastAssignedAt: Date | null;
}

export interface RouteRequest {
  channel: Channel;
  customer: {
    vipLevel: number;
    region: string | null;
    dedicatedAgentId: string | null;
    lastAgentId: string | null;
    lastServedAt: Date | null;
  } | null;
  intent: string | null;
  reason: string;
  lastText: string | null;
  page: string | null;
  conversationStartedAt: Date;
  now: Date;
  /** A transfer names a group or an agent; it overrides the keyword and behaviour rules. */
  targetGroup: string | null;
  targetAgentId: string | null;
  /** Agents that may not take it (the one transferring it away). */
  exclude: readonly string[];
}

export interface RouteDecision {
  /** The agent to offer it to, or null: it waits in the queue. */
  agentId: string | null;
  /** The rule that decided (the one that picked the agent, or why it waits). */
  rule: RuleName | "transfer" | "queue";
  why: string;
  /** The group it waits for, when a rule chose one. */
  group: string | null;
  priority: number;
  /** One line per rule that ran, in order. */
  trail: string[];
}

const free = (a: AgentSnapshot) => a.status === "online" && a.load < a.maxConcurrent;
const servesChannel = (a: AgentSnapshot, channel: Channel) => a.channels.length === 0 || a.channels.includes(channel);
const DAY_MS = 86_400_000;

/** Least loaded by share of capacity, then the one given a conversation longest ago, then by id. */
function leastLoaded(agents: readonly AgentSnapshot[]): AgentSnapshot | undefined {
  return [...agents].sort(
    (a, b) =>
      a.load / a.maxConcurrent - b.load / b.maxConcurrent ||
      (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )[0];
}

/** The group a conversation's words, intent or reason belong to, by the keyword rules. */
export function groupByKeyword(rules: RoutingRules, request: Pick<RouteRequest, "intent" | "reason" | "lastText">): { group: GroupRule; cue: string } | null {
  const words = (request.lastText ?? "").toLowerCase();
  for (const g of rules.groups) {
    if (g.reasons.includes(request.reason)) return { group: g, cue: `转人工原因 ${request.reason}` };
    const keyword = g.keywords.find((k) => words.includes(k.toLowerCase()));
    if (keyword) return { group: g, cue: `关键词“${keyword}”` };
    if (request.intent && g.intents.includes(request.intent)) return { group: g, cue: `意图 ${request.intent}` };
  }
  return null;
}

/** Decides who takes a conversation now, or that it waits, and why. */
export function decideRoute(request: RouteRequest, agents: readonly AgentSnapshot[], rules: RoutingRules): RouteDecision {
  const trail: string[] = [];
  let candidates = agents.filter((a) => a.status === "online" && !request.exclude.includes(a.id));
  let group: string | null = null;
  let priority = 0;
  const groupName = (id: string) => rules.groups.find((g) => g.id === id)?.name ?? id;
  const decided = (agent: AgentSnapshot, rule: RouteDecision["rule"], why: string): RouteDecision => {
    trail.push(`${RULE_ZH[rule]}：${why}`);
    return { agentId: agent.id, rule, why, group, priority, trail };
  };
  /** Narrows the candidates to a group when the group has anyone online; otherwise says it could not. */
  const toGroup = (id: string, cue: string, rule: RuleName | "transfer"): boolean => {
    const members = candidates.filter((a) => a.groups.includes(id));
    if (members.length === 0) {
      trail.push(`${RULE_ZH[rule]}：${cue} → ${groupName(id)}，但该组无人在线，不限组`);
      return false;
    }
    candidates = members;
    group = id;
    trail.push(`${RULE_ZH[rule]}：${cue} → ${groupName(id)}`);
    return true;
  };

  // A transfer to a named agent or group comes before every rule: a person decided it.
  if (request.targetAgentId) {
    const target = candidates.find((a) => a.id === request.targetAgentId);
    if (target && free(target)) return decided(target, "transfer", `转给指定客服 ${target.name}`);
    trail.push(`${RULE_ZH.transfer}：指定客服${target ? "已满" : "不在线"}，按规则分配`);
  }
  if (request.targetGroup) toGroup(request.targetGroup, "转接到指定组", "transfer");

  for (const rule of [...rules.order, ...(rules.order.includes("load") ? [] : (["load"] as const))]) {
    switch (rule) {
      case "dedicated": {
        const id = request.customer?.dedicatedAgentId;
        if (!id) break;
        const agent = candidates.find((a) => a.id === id);
        if (agent && free(agent)) return decided(agent, "dedicated", `专属客服 ${agent.name}`);
        trail.push(`专属：专属客服${agent ? "已满" : "当前不可接待"}`);
        break;
      }
      case "returning": {
        const c = request.customer;
        if (!c?.lastAgentId || !c.lastServedAt) break;
        const days = (request.now.getTime() - c.lastServedAt.getTime()) / DAY_MS;
        if (days > rules.returningDays) {
          trail.push(`熟客：上次服务已超过 ${rules.returningDays} 天`);
          break;
        }
        const agent = candidates.find((a) => a.id === c.lastAgentId);
        if (agent && free(agent)) return decided(agent, "returning", `${Math.max(0, Math.floor(days))} 天前由 ${agent.name} 接待过`);
        trail.push(`熟客：上次接待的客服${agent ? "已满" : "当前不可接待"}`);
        break;
      }
      case "channel": {
        const serving = candidates.filter((a) => servesChannel(a, request.channel));
        trail.push(`来源：${request.channel} 渠道，${serving.length} 位客服可接待`);
        candidates = serving;
        break;
      }
      case "region": {
        const region = request.customer?.region;
        if (!region) break;
        const local = candidates.filter((a) => a.region === region && free(a));
        if (local.length > 0) {
          candidates = local;
          trail.push(`地域：优先${region}的客服`);
        } else trail.push(`地域：${region}暂无空闲客服，不限地域`);
        break;
      }
      case "keyword": {
        if (group || request.targetGroup) break;
        const found = groupByKeyword(rules, request);
        if (found) toGroup(found.group.id, found.cue, "keyword");
        break;
      }
      case "behaviour": {
        if (group || request.targetGroup) break;
        const minutes = (request.now.getTime() - request.conversationStartedAt.getTime()) / 60_000;
        const match = rules.behaviour.find(
          (b) => (!b.page || (request.page !== null && b.page.test(request.page))) && (b.minVisitMinutes === undefined || minutes >= b.minVisitMinutes) && (b.page || b.minVisitMinutes !== undefined),
        );
        if (match) toGroup(match.group, match.page ? `页面 ${request.page}` : `已咨询 ${Math.floor(minutes)} 分钟`, "behaviour");
        break;
      }
      case "priority": {
        const vip = request.customer?.vipLevel ?? 0;
        priority = vip;
        if (rules.vipGroup && vip >= rules.vipMinLevel) {
          const vipFree = candidates.filter((a) => a.groups.includes(rules.vipGroup!) && free(a));
          if (vipFree.length > 0) candidates = vipFree;
          trail.push(`接待级别：VIP${vip}，排队优先${vipFree.length > 0 ? `，优先${groupName(rules.vipGroup)}` : ""}`);
        } else if (vip > 0) trail.push(`接待级别：VIP${vip}，排队优先`);
        break;
      }
      case "load": {
        const agent = leastLoaded(candidates.filter(free));
        if (agent) return decided(agent, "load", `${agent.name} 当前接待 ${agent.load}/${agent.maxConcurrent}，负荷最低`);
        break;
      }
    }
  }
  const why =
    candidates.length === 0
      ? `暂无可接待的客服在线${group ? `（${groupName(group)}）` : ""}，排队等待`
      : `${group ? groupName(group) : "客服"}都已满负荷，排队等待`;
  trail.push(`排队：${why}`);
  return { agentId: null, rule: "queue", why, group, priority, trail };
}

/**
 * The order the queue is served in: with the priority rule on, higher VIP levels first, then
 * whoever has waited longest; without it, first come first served.
 */
export function queueOrder(rules: RoutingRules): "priority" | "fifo" {
  return rules.order.includes("priority") ? "priority" : "fifo";
}
