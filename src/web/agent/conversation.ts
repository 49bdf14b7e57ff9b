/**
 * One conversation on the workbench: what the bot knew (each turn's intent, emotion and slots; why
 * it was handed over and routed), the transcript, the shopper's orders and tickets, and the tools
 * to answer. Rendering only: every action goes back to the workbench through `actions`.
 */
import { h, srOnly } from "../shared/dom.js";
import { when, yuan } from "../shared/format.js";
import { renderReply, type ReplyOptions } from "../shared/replies.js";
import type { AgentView, Reply, TranscriptMessage } from "../shared/types.js";
import { channelZh, emotionLabelZh, GROUPS, handoffStatusZh, reasonZh, ruleZh } from "./labels.js";

export type Outgoing = { text: string } | { cannedId: string } | { productId: string } | { orderId: string };

export interface Suggestion {
  entryId: string;
  question: string;
  answer: string;
  score: number;
}

export interface Canned {
  id: string;
  title: string;
  text: string;
}

export interface ConversationActions {
  accept(): void;
  send(body: Outgoing): Promise<boolean>;
  transfer(target: { group?: string; agentId?: string }, note: string): void;
  close(summary: string): void;
}

export interface ConversationParts {
  main: HTMLElement;
  side: HTMLElement;
  /** Where suggested answers go (they load after the conversation). */
  suggestions: HTMLElement;
}

export function renderConversation(view: AgentView, canned: readonly Canned[], actions: ConversationActions, base: string): ConversationParts {
  const t = view.transcript;
  const status = view.handoff?.status ?? (t.closedAt ? "closed" : "");
  const active = status === "active";
  const customer = view.customer;
  const title = customer ? `${customer.name}${customer.vipLevel ? ` · VIP${customer.vipLevel}` : ""}` : "未登录访客";

  const head = h(
    "header",
    { class: "conv-head" },
    h("h2", { id: "conv-title" }, title),
    h("span", { class: `pill pill-${status}` }, handoffStatusZh(status) || "—"),
    h("span", { class: "muted" }, `${channelZh(t.channel)} · ${t.id}`),
    status === "offered" ? h("button", { type: "button", class: "primary", onclick: () => actions.accept() }, "接入") : null,
  );

  const suggestions = h("div", { class: "suggestions", "aria-live": "polite" });
  const main = h(
    "section",
    { class: "conv", "aria-labelledby": "conv-title" },
    head,
    handoffBox(view),
    transcript(t.messages as TranscriptMessage[], base),
    active ? tools(view, canned, actions, suggestions) : h("p", { class: "muted hint" }, status === "offered" ? "接入后才能回复顾客。" : "这个会话已不在您的接待中。"),
  );

  const side = h(
    "aside",
    { class: "side", "aria-label": "顾客信息" },
    h("h2", null, "顾客"),
    customer
      ? h("dl", { class: "facts" }, h("dt", null, "姓名"), h("dd", null, customer.name), h("dt", null, "会员"), h("dd", null, customer.vipLevel ? `VIP${customer.vipLevel}` : "普通会员"), h("dt", null, "地区"), h("dd", null, `${customer.region} ${customer.city}`), h("dt", null, "顾客号"), h("dd", null, customer.id))
      : h("p", { class: "muted" }, "未登录，看不到订单。"),
    h("h2", null, `订单${view.orders.length ? `（${view.orders.length}）` : ""}`),
    view.orders.length
      ? h(
          "ul",
          { class: "orders" },
          view.orders.map((o) =>
            h(
              "li",
              { class: "order" },
              h("strong", null, o.title),
              h("span", { class: `status status-${o.status}` }, o.statusText),
              h("span", { class: "muted" }, `${o.id} · ${when(o.createdAt)} · ${yuan(o.totalFen)}`),
              o.carrier ? h("span", { class: "muted" }, `${o.carrier} ${o.trackingNumber ?? ""}`) : null,
              active ? h("button", { type: "button", class: "small", onclick: () => void actions.send({ orderId: o.id }), "aria-label": `把订单 ${o.id} 作为卡片发给顾客` }, "发送订单卡片") : null,
            ),
          ),
        )
      : h("p", { class: "muted" }, "没有订单。"),
    h("h2", null, "售后工单"),
    view.tickets.length
      ? h(
          "ul",
          { class: "tickets" },
          view.tickets.map((k) => h("li", null, h("strong", null, k.id), ` ${k.subject}`, h("span", { class: "muted" }, ` · ${k.status} · 截止 ${when(k.dueAt)}`))),
        )
      : h("p", { class: "muted" }, "没有未结的工单。"),
  );
  return { main, side, suggestions };
}

function handoffBox(view: AgentView): HTMLElement | null {
  const ho = view.handoff;
  if (!ho) return null;
  const rows: [string, string | null][] = [
    ["转人工原因", `${reasonZh(ho.reason)}（${ho.reason}）`],
    ["摘要", ho.summary || null],
    ["分配规则", ho.rule ? `${ruleZh(ho.rule)}：${ho.why ?? ""}` : null],
    ["转接备注", ho.transferNote],
    ["转人工时间", when(ho.requestedAt)],
  ];
  const trail = view.assignments.map((a) => `${when(a.offeredAt)} ${ruleZh(a.rule)}：${a.why}${a.outcome ? `（${a.outcome}）` : ""}`);
  return h(
    "section",
    { class: "context", "aria-label": "转人工背景" },
    h("dl", { class: "facts" }, rows.filter((r): r is [string, string] => !!r[1]).map(([k, v]) => [h("dt", null, k), h("dd", null, v)])),
    trail.length ? h("details", null, h("summary", null, `分配记录（${trail.length}）`), h("ol", null, trail.map((line) => h("li", null, line)))) : null,
  );
}

function transcript(messages: TranscriptMessage[], base: string): HTMLElement {
  const labels = new Map<string, string>();
  const options: ReplyOptions = { base, remember: (p, l) => labels.set(p, l) };
  return h(
    "ol",
    { class: "transcript", "aria-label": "对话记录" },
    messages.map((m) => {
      const replies = (m.replies ?? []) as Reply[];
      const at = h("time", { datetime: m.at, class: "muted" }, when(m.at));
      if (m.role === "user") {
        const said = m.text ?? (m.payload ? `点选：${labels.get(m.payload) ?? m.payload}` : "");
        return h("li", { class: "m user" }, h("span", { class: "who" }, "顾客"), at, h("p", { class: "r-text" }, said));
      }
      if (m.role === "bot") {
        return h("li", { class: "m bot" }, h("span", { class: "who" }, "机器人"), at, replies.map((r) => renderReply(r, options)), turnContext(m));
      }
      if (m.role === "agent") {
        return h("li", { class: "m agent" }, h("span", { class: "who" }, `客服 ${m.agentName ?? ""}`), at, replies.map((r) => renderReply(r, options)));
      }
      return h("li", { class: "m system" }, srOnly("系统消息："), replies.map((r) => renderReply(r, options)));
    }),
  );
}

/** What the bot understood in the turn: intent and confidence, emotion, slots, the action that ran. */
function turnContext(m: TranscriptMessage): HTMLElement | null {
  const trace = m.trace;
  if (!trace && !m.emotion) return null;
  const parts: string[] = [];
  if (trace) parts.push(`意图 ${trace.intent} ${Math.round(trace.confidence * 100)}%`);
  if (m.emotion) parts.push(`情绪 ${emotionLabelZh(m.emotion.label)} ${m.emotion.score.toFixed(2)}`);
  const slots = trace ? Object.entries(trace.slots) : [];
  if (slots.length) parts.push(`槽位 ${slots.map(([k, v]) => `${k}=${v}`).join("，")}`);
  if (trace?.action) parts.push(`动作 ${trace.action}`);
  if (trace?.knowledge) parts.push(`知识库 ${trace.knowledge.entryId}`);
  return h("p", { class: "trace" }, parts.join(" · "));
}

function tools(view: AgentView, canned: readonly Canned[], actions: ConversationActions, suggestions: HTMLElement): DocumentFragment {
  const text = h("textarea", { id: "reply", rows: 3, maxlength: 2000, placeholder: "回复顾客（Enter 发送，Shift+Enter 换行）" });
  const sendText = async () => {
    const value = text.value.trim();
    if (!value) return;
    // Cleared at once: a successful send re-renders the conversation, and keeps what is in the box.
    text.value = "";
    if (!(await actions.send({ text: value }))) text.value = value;
  };
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      void sendText();
    }
  });
  const composer = h(
    "form",
    { class: "composer", onsubmit: (e) => (e.preventDefault(), void sendText()) },
    h("label", { for: "reply", class: "sr-only" }, "回复顾客"),
    text,
    h("button", { type: "submit", class: "primary" }, "发送"),
  );

  const contextProduct = (view.transcript.context as { productId?: string }).productId ?? "";
  const product = h("input", { id: "product-id", value: contextProduct, placeholder: "p-af333", maxlength: 64 });
  const productForm = h(
    "form",
    {
      class: "row",
      onsubmit: (e) => {
        e.preventDefault();
        const id = product.value.trim();
        if (id) void actions.send({ productId: id });
      },
    },
    h("label", { for: "product-id" }, "商品卡片"),
    product,
    h("button", { type: "submit" }, "发送商品卡片"),
  );

  const group = h("select", { id: "transfer-group" }, h("option", { value: "" }, "选择组"), GROUPS.map((g) => h("option", { value: g.id }, g.name)));
  const agentId = h("input", { id: "transfer-agent", placeholder: "或客服 id", maxlength: 40 });
  const note = h("input", { id: "transfer-note", placeholder: "给接手客服的备注（必填）", maxlength: 500, required: true });
  const transferForm = h(
    "form",
    {
      class: "row",
      onsubmit: (e) => {
        e.preventDefault();
        const target = agentId.value.trim() ? { agentId: agentId.value.trim() } : group.value ? { group: group.value } : null;
        if (target && note.value.trim()) actions.transfer(target, note.value.trim());
      },
    },
    h("label", { for: "transfer-group" }, "转接"),
    group,
    h("label", { for: "transfer-agent", class: "sr-only" }, "客服 id"),
    agentId,
    h("label", { for: "transfer-note", class: "sr-only" }, "转接备注"),
    note,
    h("button", { type: "submit" }, "转接"),
  );

  const summary = h("input", { id: "close-summary", placeholder: "服务小结（必填）", maxlength: 1000, required: true });
  const closeForm = h(
    "form",
    {
      class: "row",
      onsubmit: (e) => {
        e.preventDefault();
        if (summary.value.trim()) actions.close(summary.value.trim());
      },
    },
    h("label", { for: "close-summary" }, "结束会话"),
    summary,
    h("button", { type: "submit", class: "danger" }, "结束会话"),
  );

  // The composer stays in view (sticky) while the agent scrolls the transcript above it.
  const fragment = document.createDocumentFragment();
  fragment.append(
    composer,
    h(
      "section",
      { class: "tools", "aria-label": "回复工具" },
      h("h3", null, "快捷回复"),
      h(
        "div",
        { class: "canned", role: "group", "aria-label": "快捷回复" },
        canned.map((c) => h("button", { type: "button", class: "chip", title: c.text, onclick: () => void actions.send({ cannedId: c.id }) }, c.title)),
      ),
      h("h3", null, "推荐回答"),
      suggestions,
      productForm,
      transferForm,
      closeForm,
    ),
  );
  return fragment;
}

/** The suggested answers for the shopper's last message, each sent with one click. */
export function renderSuggestions(target: HTMLElement, question: string | null, items: Suggestion[], send: (text: string) => void): void {
  while (target.firstChild) target.removeChild(target.firstChild);
  if (!items.length) {
    target.appendChild(h("p", { class: "muted" }, question ? "知识库里没有合适的答案。" : "顾客还没有发消息。"));
    return;
  }
  target.appendChild(
    h(
      "ul",
      { class: "suggest-list" },
      items.map((s) =>
        h(
          "li",
          null,
          h("strong", null, s.question),
          h("p", null, s.answer),
          h("button", { type: "button", class: "small", onclick: () => send(s.answer), "aria-label": `发送推荐回答：${s.question}` }, "发送"),
        ),
      ),
    ),
  );
}
