/**
 * The agent workbench: log in, set a status, follow my conversations live (a sound and a banner
 * when one is offered), accept, read the bot's context, answer (text, suggested answers, canned
 * replies, product and order cards), transfer and close. It uses the agent API only.
 */
import { api, ApiError } from "../shared/api.js";
import { h, replaceChildren } from "../shared/dom.js";
import { duration, clockTime } from "../shared/format.js";
import { LiveStream } from "../shared/live.js";
import type { AgentListItem, AgentProfile, AgentStatus, AgentView, LiveEvent } from "../shared/types.js";
import { beep, unlockAudio } from "./beep.js";
import { renderConversation, renderSuggestions, type Canned, type Outgoing, type Suggestion } from "./conversation.js";
import { handoffStatusZh, reasonZh, STATUS_ZH } from "./labels.js";
import { loadSession, saveSession } from "../shared/session.js";

const SESSION_KEY = "kefu:agent";
const LIVE_TYPES = ["conversation_offered", "customer_message", "offer_withdrawn", "closed", "status_changed", "conversation_updated", "agent_left"] as const;
const TITLE = "客服工作台 · kefu";

interface Session {
  token: string;
  expiresAt: string;
  agent: AgentProfile;
}

export class Workbench {
  private session: Session | null = null;
  private live: LiveStream | null = null;
  private items: AgentListItem[] = [];
  private fetchedAt = 0;
  /** Offers announced live: when each must be accepted, on this page's clock. */
  private readonly deadlines = new Map<string, number>();
  private readonly fresh = new Set<string>();
  private selected: string | null = null;
  private canned: Canned[] = [];
  private ticker: ReturnType<typeof setInterval> | null = null;
  private ui: ReturnType<Workbench["buildMain"]> | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly base: string,
  ) {}

  start(): void {
    document.addEventListener("pointerdown", unlockAudio, { once: true });
    document.addEventListener("keydown", unlockAudio, { once: true });
    const saved = this.loadSession();
    // The server decides whether the token still works (enter asks it): the browser's clock may differ from the server's.
    if (saved) void this.enter(saved);
    else this.showLogin();
  }

  // ---- session ------------------------------------------------------------------------------

  private loadSession(): Session | null {
    return loadSession<Session>(SESSION_KEY);
  }

  private saveSession(s: Session | null): void {
    saveSession(SESSION_KEY, s);
  }

  private showLogin(message?: string): void {
    this.live?.close();
    this.live = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ui = null;
    document.title = TITLE;
    const error = h("p", { class: "error", role: "alert" }, message ?? "");
    const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true, maxlength: 64 });
    const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 200 });
    const submit = h("button", { type: "submit", class: "primary" }, "登录");
    const form = h(
      "form",
      {
        class: "login",
        "aria-labelledby": "login-title",
        onsubmit: async (e) => {
          e.preventDefault();
          unlockAudio();
          submit.disabled = true;
          replaceChildren(error);
          try {
            const s = await api<Session>(this.url("v1/agents/login"), { body: { username: username.value.trim(), password: password.value } });
            this.saveSession(s);
            await this.enter(s);
          } catch (err) {
            submit.disabled = false;
            replaceChildren(error, err instanceof ApiError && err.status === 401 ? "用户名或密码不对。" : "登录失败，请检查网络后重试。");
          }
        },
      },
      h("h1", { id: "login-title" }, "客服工作台"),
      h("label", { for: "username" }, "用户名"),
      username,
      h("label", { for: "password" }, "密码"),
      password,
      submit,
      error,
    );
    replaceChildren(this.root, form);
    username.focus();
  }

  private async enter(s: Session): Promise<void> {
    this.session = s;
    try {
      s.agent = await this.call<AgentProfile>("v1/agents/me");
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return this.showLogin("登录已过期，请重新登录。");
    }
    this.ui = this.buildMain(s.agent);
    replaceChildren(this.root, this.ui.shell);
    this.openLive();
    this.ticker = setInterval(() => this.tick(), 1000);
    await Promise.all([this.refreshList(), this.loadCanned()]);
  }

  private async logout(): Promise<void> {
    await this.call("v1/agents/logout", { method: "POST" }).catch(() => {});
    this.saveSession(null);
    this.session = null;
    this.showLogin();
  }

  private url(path: string): string {
    return new URL(path, this.base).href;
  }

  /** An agent API call with my token; an expired session goes back to the login. */
  private async call<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
    try {
      return await api<T>(this.url(path), { ...options, token: this.session?.token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && this.session) {
        this.saveSession(null);
        this.session = null;
        this.showLogin("登录已过期，请重新登录。");
      }
      throw err;
    }
  }

  // ---- layout -------------------------------------------------------------------------------

  private buildMain(agent: AgentProfile) {
    const status = h(
      "select",
      { id: "agent-status", onchange: () => void this.setStatus(status.value as AgentStatus) },
      (Object.keys(STATUS_ZH) as AgentStatus[]).map((s) => h("option", { value: s, selected: s === agent.status }, STATUS_ZH[s])),
    );
    const connection = h("span", { class: "conn", "aria-live": "polite" }, "正在连接…");
    const alert = h("div", { class: "alert", role: "alert", hidden: true });
    const toast = h("p", { class: "toast", role: "status", "aria-live": "polite" });
    const list = h("ul", { class: "conv-list" });
    const count = h("span", { class: "count" });
    const main = h("main", { class: "detail", "aria-label": "会话详情" }, h("p", { class: "muted hint" }, "从左侧选择一个会话。"));
    const side = h("div", { class: "side-wrap" });
    const shell = h(
      "div",
      { class: "shell" },
      h(
        "header",
        { class: "bar" },
        h("h1", null, "客服工作台"),
        h("span", { class: "me" }, `${agent.name}（${agent.username}）`),
        h("label", { for: "agent-status" }, "状态"),
        status,
        connection,
        h("button", { type: "button", class: "link", onclick: () => void this.logout() }, "退出登录"),
      ),
      alert,
      toast,
      h(
        "div",
        { class: "layout" },
        h("nav", { class: "list", "aria-label": "我的会话" }, h("h2", null, "我的会话 ", count), list),
        main,
        side,
      ),
    );
    return { shell, status, connection, alert, toast, list, count, main, side };
  }

  private say(text: string): void {
    if (this.ui) replaceChildren(this.ui.toast, text);
  }

  private failed(what: string, err: unknown): void {
    const detail =
      err instanceof ApiError
        ? err.status === 0
          ? "网络连接失败"
          : err.status === 403
            ? "这个会话不在您名下了"
            : err.status === 409
              ? "会话状态已经变了，请刷新"
              : err.message
        : String(err);
    this.say(`${what}失败：${detail}`);
  }

  // ---- live events --------------------------------------------------------------------------

  private openLive(): void {
    const token = this.session?.token;
    if (!token) return;
    this.live = new LiveStream(
      this.url(`v1/agents/me/events?access_token=${encodeURIComponent(token)}`),
      LIVE_TYPES,
      {
        event: (e) => this.onLive(e),
        state: (state) => {
          if (this.ui) replaceChildren(this.ui.connection, state === "open" ? "实时连接正常" : state === "down" ? "连接中断，正在重连…" : "正在连接…");
          this.ui?.connection.setAttribute("data-state", state);
        },
        reopened: () => void this.refreshList(),
        refused: () => this.showLogin("登录已过期，请重新登录。"),
      },
      async () => {
        try {
          await this.call("v1/agents/me");
          return true;
        } catch (err) {
          return !(err instanceof ApiError && err.status === 401);
        }
      },
    ).open();
  }

  private onLive(e: LiveEvent): void {
    const d = e.data as { conversationId?: string; summary?: string; reason?: string; expiresAt?: string; status?: AgentStatus; cause?: string };
    const id = d.conversationId ?? e.conversationId ?? null;
    switch (e.type) {
      case "conversation_offered":
        if (id) {
          // The deadline relative to the event's own time: the page's clock may differ from the server's.
          const left = d.expiresAt ? Date.parse(d.expiresAt) - Date.parse(e.at) : NaN;
          if (Number.isFinite(left)) this.deadlines.set(id, performance.now() + left);
          this.fresh.add(id);
        }
        this.announce(`新的会话接入请求：${d.summary || reasonZh(d.reason ?? "")}`);
        break;
      case "offer_withdrawn":
        if (id) this.deadlines.delete(id);
        this.say(id === this.selected ? "这个会话已经转给其他客服了。" : "一个待接入的会话已转给其他客服。");
        break;
      case "status_changed":
        if (d.status && this.ui) {
          this.ui.status.value = d.status;
          if (d.cause === "timeout") this.say(`因为没有及时接入，状态已改为「${STATUS_ZH[d.status]}」。`);
        }
        break;
      default:
        break;
    }
    void this.refreshList();
    if (id && id === this.selected && e.type !== "conversation_offered") void this.openConversation(id, { quiet: true });
  }

  /** A sound, a banner and the tab title: an offer must not go unnoticed. */
  private announce(text: string): void {
    beep();
    if (!this.ui) return;
    replaceChildren(this.ui.alert, text, h("button", { type: "button", class: "link", onclick: () => this.dismissAlert() }, "知道了"));
    this.ui.alert.hidden = false;
    document.title = `【新会话】${TITLE}`;
  }

  private dismissAlert(): void {
    if (this.ui) this.ui.alert.hidden = true;
    document.title = TITLE;
  }

  // ---- the list -----------------------------------------------------------------------------

  private async refreshList(): Promise<void> {
    try {
      const { items } = await this.call<{ items: AgentListItem[] }>("v1/agents/me/conversations");
      this.items = items;
      this.fetchedAt = performance.now();
      this.renderList();
    } catch (err) {
      this.failed("读取会话列表", err);
    }
  }

  private renderList(): void {
    if (!this.ui) return;
    replaceChildren(this.ui.count, this.items.length ? `（${this.items.length}）` : "");
    if (!this.items.length) {
      replaceChildren(this.ui.list, h("li", { class: "muted empty" }, "暂时没有会话。状态设为「在线」就会接到新的会话。"));
      return;
    }
    // In the order the API gives: most unread first, then the longest unanswered, then the longest waiting.
    replaceChildren(
      this.ui.list,
      this.items.map((item) => {
        const name = item.customer ? `${item.customer.name}${item.customer.vipLevel ? ` VIP${item.customer.vipLevel}` : ""}` : "访客";
        const open = h(
          "button",
          {
            type: "button",
            class: `conv-item${item.conversationId === this.selected ? " current" : ""}${this.fresh.has(item.conversationId) ? " new" : ""}`,
            "aria-current": item.conversationId === this.selected ? "true" : null,
            "data-conversation": item.conversationId,
            onclick: () => void this.openConversation(item.conversationId),
          },
          h("span", { class: "name" }, name),
          h("span", { class: `pill pill-${item.status}` }, handoffStatusZh(item.status)),
          item.unread ? h("span", { class: "unread", "aria-label": `${item.unread} 条未读` }, String(item.unread)) : null,
          h("span", { class: "reason" }, reasonZh(item.reason)),
          h("span", { class: "last" }, item.lastText ?? ""),
          h("span", { class: "timer", "data-timer": item.conversationId }, this.timerText(item)),
        );
        return h(
          "li",
          null,
          open,
          item.status === "offered"
            ? h("button", { type: "button", class: "primary accept", onclick: () => void this.accept(item.conversationId), "aria-label": `接入 ${name} 的会话` }, "接入")
            : null,
        );
      }),
    );
  }

  private timerText(item: AgentListItem): string {
    const elapsed = (performance.now() - this.fetchedAt) / 1000;
    const parts = [`等待 ${duration(item.waitingSeconds + elapsed)}`];
    if (item.status === "offered") {
      const deadline = this.deadlines.get(item.conversationId);
      if (deadline !== undefined) parts.push(`${Math.max(0, Math.ceil((deadline - performance.now()) / 1000))} 秒内接入`);
      else if (item.offerExpiresAt) parts.push(`请在 ${clockTime(item.offerExpiresAt)} 前接入`);
    } else if (item.unansweredSeconds > 0) parts.push(`未回复 ${duration(item.unansweredSeconds + elapsed)}`);
    return parts.join(" · ");
  }

  private tick(): void {
    if (!this.ui) return;
    for (const item of this.items) {
      const el = this.ui.list.querySelector(`[data-timer="${item.conversationId}"]`);
      if (el) el.textContent = this.timerText(item);
    }
  }

  // ---- one conversation ---------------------------------------------------------------------

  private async openConversation(id: string, options: { quiet?: boolean } = {}): Promise<void> {
    if (!this.ui) return;
    const changed = this.selected !== id;
    this.selected = id;
    this.fresh.delete(id);
    if (!options.quiet) this.dismissAlert();
    let view: AgentView;
    try {
      view = await this.call<AgentView>(`v1/agents/me/conversations/${id}`);
    } catch (err) {
      this.failed("打开会话", err);
      return;
    }
    if (this.selected !== id || !this.ui) return;
    const parts = renderConversation(view, this.canned, this.actions(id), this.base);
    // Re-rendering the same conversation keeps the agent's draft and where they were typing.
    const old = this.ui.main.querySelector<HTMLTextAreaElement>("#reply");
    const draft = old?.value ?? "";
    const typing = !!old && document.activeElement === old;
    replaceChildren(this.ui.main, parts.main);
    replaceChildren(this.ui.side, parts.side);
    const reply = this.ui.main.querySelector<HTMLTextAreaElement>("#reply");
    if (reply && !changed) {
      reply.value = draft;
      if (typing) reply.focus();
    }
    const transcript = this.ui.main.querySelector(".transcript");
    transcript?.lastElementChild?.scrollIntoView({ block: "end" });
    if (view.handoff?.status === "active") {
      void this.loadSuggestions(id, parts.suggestions);
      if (changed && reply) reply.focus();
    }
    if (view.handoff && (view.handoff.status === "active" || view.handoff.status === "offered")) {
      await this.call(`v1/agents/me/conversations/${id}/read`, { method: "POST" }).catch(() => {});
    }
    this.renderList();
    if (changed) void this.refreshList();
  }

  private async loadSuggestions(id: string, target: HTMLElement): Promise<void> {
    try {
      const s = await this.call<{ question: string | null; suggestions: Suggestion[] }>(`v1/agents/me/conversations/${id}/suggestions`);
      renderSuggestions(target, s.question, s.suggestions, (text) => void this.send(id, { text }));
    } catch {
      renderSuggestions(target, null, [], () => {});
    }
  }

  private async loadCanned(): Promise<void> {
    try {
      this.canned = (await this.call<{ items: Canned[] }>("v1/agents/canned-replies")).items;
    } catch {
      this.canned = [];
    }
  }

  private actions(id: string) {
    return {
      accept: () => void this.accept(id),
      send: (body: Outgoing) => this.send(id, body),
      transfer: (target: { group?: string; agentId?: string }, note: string) => void this.transfer(id, target, note),
      close: (summary: string) => void this.close(id, summary),
    };
  }

  private async accept(id: string): Promise<void> {
    try {
      await this.call(`v1/agents/me/conversations/${id}/accept`, { method: "POST" });
      this.deadlines.delete(id);
      this.dismissAlert();
      this.say("已接入。");
      await this.openConversation(id);
    } catch (err) {
      this.failed("接入", err);
      await this.refreshList();
    }
  }

  private async send(id: string, body: Outgoing): Promise<boolean> {
    try {
      await this.call(`v1/agents/me/conversations/${id}/messages`, { body });
      this.say("已发送。");
      await this.openConversation(id, { quiet: true });
      // Whatever was clicked to send is re-rendered: carry on in the reply box.
      this.ui?.main.querySelector<HTMLTextAreaElement>("#reply")?.focus();
      return true;
    } catch (err) {
      this.failed("发送", err);
      return false;
    }
  }

  private async transfer(id: string, target: { group?: string; agentId?: string }, note: string): Promise<void> {
    try {
      const r = await this.call<{ status: string; position: number }>(`v1/agents/me/conversations/${id}/transfer`, { body: { ...target, note } });
      this.say(r.status === "offered" ? "已转接，等待对方接入。" : `已转接，顾客在排队（第 ${r.position} 位）。`);
      await Promise.all([this.refreshList(), this.openConversation(id, { quiet: true })]);
    } catch (err) {
      this.failed("转接", err);
    }
  }

  private async close(id: string, summary: string): Promise<void> {
    try {
      await this.call(`v1/agents/me/conversations/${id}/close`, { body: { summary } });
      this.say("会话已结束，顾客会收到评价邀请。");
      await Promise.all([this.refreshList(), this.openConversation(id, { quiet: true })]);
    } catch (err) {
      this.failed("结束会话", err);
    }
  }

  private async setStatus(status: AgentStatus): Promise<void> {
    try {
      const me = await this.call<AgentProfile>("v1/agents/me/status", { method: "PUT", body: { status } });
      if (this.session) {
        this.session.agent = me;
        this.saveSession(this.session);
      }
      this.say(`状态已改为「${STATUS_ZH[me.status]}」。`);
      await this.refreshList();
    } catch (err) {
      this.failed("修改状态", err);
    }
  }
}
