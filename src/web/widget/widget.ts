/**
 * The shopper's chat widget: a bubble and a panel inside a shadow root. It starts (or, after a
 * reload, continues) the shopper's conversation, renders every reply type, follows the
 * conversation's live events, and keeps going through a dropped connection.
 */
import { api, ApiError } from "../shared/api.js";
import { append, h, replaceChildren, srOnly } from "../shared/dom.js";
import { LiveStream } from "../shared/live.js";
import { renderReply, type ReplyOptions } from "../shared/replies.js";
import type { ConversationMode, LiveEvent, Reply, StartResponse, Transcript, TranscriptMessage, TurnResponse } from "../shared/types.js";
import type { WidgetConfig } from "./config.js";
import { Outbox, type Outgoing, type OutgoingBody } from "./outbox.js";
import { ConversationStore } from "./storage.js";
import { WIDGET_CSS } from "./styles.js";

const LIVE_TYPES = ["queue_position", "agent_joined", "agent_message", "agent_left", "ticket_updated", "closed"] as const;
const SUGGEST_DELAY_MS = 250;
const RATING_WORDS = ["非常不满意", "不满意", "一般", "满意", "非常满意"];

/** The `data` of the widget's live events (src/routing/service.ts publishes them). */
interface EventData {
  position?: number;
  estimatedWaitSeconds?: number | null;
  text?: string;
  agentName?: string;
  seq?: number;
  replies?: Reply[];
  rateable?: boolean;
  statusText?: string;
}

interface Hot {
  items: { question: string; payload?: string }[];
}
interface Suggestions {
  items: { id: string; question: string }[];
}

export class ChatWidget {
  private readonly store: ConversationStore;
  private readonly outbox: Outbox;
  private readonly ui: ReturnType<ChatWidget["build"]>;
  private conversationId: string | null = null;
  private mode: ConversationMode = "bot";
  private agentName: string | null = null;
  private queuePosition: number | null = null;
  private live: LiveStream | null = null;
  private starting: Promise<string> | null = null;
  private transcriptLoaded = false;
  private sendDown = false;
  private startFailureShown = false;
  private unread = 0;
  /** Seqs of the messages on screen, so a replayed event or a re-read transcript adds nothing twice. */
  private readonly seen = new Set<number>();
  /** Notices that came live without a seq (closed, ticket updates), to recognise them in the transcript. */
  private readonly noticeTexts = new Set<string>();
  /** Payload → label of every button shown; clicked ones are also saved with the conversation. */
  private readonly known = new Map<string, string>();
  private saved: Record<string, string> = {};
  private suggestTimer: ReturnType<typeof setTimeout> | null = null;
  private suggestAbort: AbortController | null = null;

  constructor(private readonly config: WidgetConfig) {
    this.store = new ConversationStore(config.customerId);
    this.outbox = new Outbox((item) => this.deliver(item), () => this.connected());
    this.ui = this.build();
  }

  /** Puts the widget on the page and, when the shopper has a conversation already, continues it. */
  mount(parent: HTMLElement): void {
    const host = h("div", { id: "kefu-widget", "data-kefu": "widget" });
    const shadow = host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet !== "undefined" && "replaceSync" in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(WIDGET_CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.appendChild(h("style", null, WIDGET_CSS));
    }
    shadow.append(this.ui.launcher, this.ui.panel);
    parent.appendChild(host);
    addEventListener("online", () => {
      this.renderStatus();
      this.outbox.resume();
      // Opened while offline: start now.
      if (this.isOpen && !this.conversationId) this.ensureConversation().then(() => this.loadHot(), () => {});
    });
    addEventListener("offline", () => this.renderStatus());
    void this.restore();
  }

  // ---- layout -------------------------------------------------------------------------------

  private build() {
    const badge = h("span", { class: "badge", hidden: true, "aria-hidden": "true" });
    const launcher = h(
      "button",
      { type: "button", class: "launcher", "aria-label": "打开在线客服", "aria-expanded": "false", "aria-controls": "kefu-panel", onclick: () => this.open() },
      h("span", { "aria-hidden": "true" }, "💬"),
      "客服",
      badge,
    );
    const status = h("p", { class: "state", "aria-live": "polite" }, "在线");
    const log = h("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "对话记录", tabindex: "0" });
    const hotList = h("div", { class: "chips", role: "group", "aria-label": "猜你想问" });
    const hot = h("section", { class: "hot", hidden: true }, h("h3", null, "猜你想问"), hotList);
    const suggest = h("ul", { class: "suggest", hidden: true, "aria-label": "输入联想" });
    const input = h("input", {
      type: "text",
      maxlength: 2000,
      autocomplete: "off",
      enterkeyhint: "send",
      placeholder: "请输入您的问题，回车发送",
      "aria-label": "输入您的问题",
      oninput: () => this.onTyping(),
      onkeydown: (e) => this.onInputKey(e as KeyboardEvent),
    });
    const composer = h(
      "form",
      { class: "composer", onsubmit: (e) => (e.preventDefault(), this.submit()) },
      input,
      h("button", { type: "submit", class: "send" }, "发送"),
    );
    const panel = h(
      "section",
      { class: "panel", id: "kefu-panel", role: "dialog", "aria-labelledby": "kefu-title", hidden: true, onkeydown: (e) => this.onPanelKey(e as KeyboardEvent) },
      h(
        "header",
        { class: "head" },
        h("div", { class: "who" }, h("h2", { id: "kefu-title" }, this.config.title), status),
        h("button", { type: "button", class: "close", "aria-label": "关闭客服窗口", onclick: () => this.close() }, "×"),
      ),
      log,
      hot,
      suggest,
      composer,
    );
    return { launcher, badge, panel, status, log, hot, hotList, suggest, input };
  }

  private open(): void {
    this.ui.panel.hidden = false;
    this.ui.launcher.hidden = true;
    this.ui.launcher.setAttribute("aria-expanded", "true");
    this.unread = 0;
    this.renderBadge();
    this.ui.input.focus();
    this.scrollDown();
    this.ensureConversation()
      .then(() => this.loadHot())
      .catch(() => {});
  }

  private close(): void {
    this.ui.panel.hidden = true;
    this.ui.launcher.hidden = false;
    this.ui.launcher.setAttribute("aria-expanded", "false");
    this.ui.launcher.focus();
  }

  private get isOpen(): boolean {
    return !this.ui.panel.hidden;
  }

  private onPanelKey(e: KeyboardEvent): void {
    if (e.key !== "Escape") return;
    e.preventDefault();
    if (!this.ui.suggest.hidden) {
      this.hideSuggestions();
      this.ui.input.focus();
    } else this.close();
  }

  // ---- conversation -------------------------------------------------------------------------

  private url(path: string): string {
    return new URL(path, this.config.base).href;
  }

  /** The open conversation's id; starts one when there is none (or the last one is closed). */
  private ensureConversation(): Promise<string> {
    if (this.conversationId && this.mode !== "closed") return Promise.resolve(this.conversationId);
    return (this.starting ??= this.start().finally(() => (this.starting = null)));
  }

  private async start(): Promise<string> {
    const context = {
      ...(this.config.page ? { page: this.config.page } : { page: location.pathname.slice(0, 500) }),
      ...(this.config.productId ? { productId: this.config.productId } : {}),
    };
    const who = this.config.customerId ? { customerId: this.config.customerId, customerToken: this.config.customerToken ?? "" } : {};
    const post = (body: object) => api<StartResponse>(this.url("v1/conversations"), { body: { channel: this.config.channel, ...body } });
    let started: StartResponse;
    try {
      started = await post({ ...who, context });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 401) {
        this.notice("您的登录信息没有通过校验，先以游客身份为您服务。");
        started = await post({ context });
      } else if (err.status === 400 && context.productId) {
        started = await post({ ...who, context: { page: context.page } });
      } else {
        if (err.unreachable) this.setSendDown(true);
        if (!this.startFailureShown) this.notice(err.unreachable ? "暂时连不上客服，请检查网络。" : err.status === 429 ? "请求有点频繁，请稍后再试。" : "客服暂时无法使用，请稍后再试。");
        this.startFailureShown = true;
        throw err;
      }
    }
    this.setSendDown(false);
    this.startFailureShown = false;
    this.conversationId = started.id;
    this.saved = {};
    this.seen.clear();
    this.store.save({ id: started.id, labels: {} });
    this.mode = started.state.mode;
    this.agentName = null;
    this.queuePosition = null;
    this.transcriptLoaded = true;
    this.seen.add(1);
    this.botMessage(started.replies);
    this.openLive(started.id);
    this.renderStatus();
    return started.id;
  }

  /** After a reload: the stored conversation, shown again, unless it is gone or closed. */
  private async restore(): Promise<void> {
    const saved = this.store.load();
    if (!saved) return;
    this.conversationId = saved.id;
    this.saved = saved.labels;
    for (const [p, l] of Object.entries(saved.labels)) this.known.set(p, l);
    // The stream first, then the transcript: whatever happens in between arrives live, once.
    this.openLive(saved.id);
    try {
      const transcript = await api<Transcript>(this.url(`v1/conversations/${saved.id}`));
      if (transcript.state.mode === "closed") return this.forget();
      this.applyTranscript(transcript, true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return this.forget();
      // Unreachable: the stream keeps trying, and the transcript is read when it is back.
      this.renderStatus();
    }
  }

  private forget(): void {
    this.live?.close();
    this.live = null;
    this.conversationId = null;
    this.store.clear();
    this.renderStatus();
  }

  /** Shows the transcript's messages not on screen yet; `all` also the shopper's and the bot's. */
  private applyTranscript(t: Transcript, all: boolean): void {
    this.transcriptLoaded = true;
    for (const m of t.messages) {
      if (this.seen.has(m.seq)) continue;
      if (!all && (m.role === "user" || m.role === "bot")) continue;
      this.seen.add(m.seq);
      this.renderStored(m);
    }
    this.mode = t.state.mode;
    this.agentName = t.state.mode === "agent" ? (t.agent?.name ?? this.agentName) : null;
    if (t.state.mode !== "queued") this.queuePosition = null;
    this.renderStatus();
  }

  private renderStored(m: TranscriptMessage): void {
    const replies = (m.replies ?? []) as Reply[];
    if (m.role === "user") {
      const said = m.text ?? (m.payload ? (this.known.get(m.payload) ?? "（点选了一个选项）") : "");
      this.userBubble(said);
    } else if (m.role === "bot") {
      const el = this.botMessage(replies);
      if (m.trace?.knowledge) this.offerFeedback(el, m.seq);
    } else if (m.role === "agent") {
      this.agentMessage(m.agentName ?? this.agentName ?? "客服", replies);
    } else {
      const text = replies.map((r) => (r.type === "text" ? r.text : "")).join("");
      if (this.noticeTexts.has(text)) return;
      this.systemMessage(replies);
    }
  }

  private openLive(id: string): void {
    this.live?.close();
    this.live = new LiveStream(
      this.url(`v1/conversations/${id}/events`),
      LIVE_TYPES,
      {
        event: (e) => this.onLive(e),
        state: () => {
          this.renderStatus();
          if (this.connected()) this.outbox.resume();
        },
        reopened: () => void this.resync(),
        refused: () => this.forget(),
      },
      async () => {
        // The browser gave up on the stream: only try again while the conversation exists.
        try {
          await api(this.url(`v1/conversations/${id}`));
          return true;
        } catch (err) {
          return !(err instanceof ApiError && err.status === 404);
        }
      },
    ).open();
  }

  /** Back after a drop: what the event replay cannot give (the state, messages missed before any event id). */
  private async resync(): Promise<void> {
    const id = this.conversationId;
    if (!id) return;
    try {
      const t = await api<Transcript>(this.url(`v1/conversations/${id}`));
      if (id === this.conversationId) this.applyTranscript(t, !this.transcriptLoaded);
    } catch {
      /* still down: the next reopen tries again */
    }
    this.outbox.resume();
  }

  private onLive(e: LiveEvent): void {
    const id = this.conversationId;
    if (!id || e.conversationId !== id) return;
    const d = e.data as EventData;
    switch (e.type) {
      case "queue_position":
        this.mode = "queued";
        this.queuePosition = typeof d.position === "number" ? d.position : null;
        if (d.text) this.notice(d.text);
        break;
      case "agent_joined":
        this.mode = "agent";
        this.agentName = d.agentName ?? null;
        this.queuePosition = null;
        if (this.fresh(d.seq)) this.systemMessage(d.replies ?? []);
        this.bumpUnread();
        break;
      case "agent_message":
        this.mode = "agent";
        this.agentName = d.agentName ?? this.agentName;
        if (this.fresh(d.seq)) this.agentMessage(d.agentName ?? "客服", d.replies ?? []);
        this.bumpUnread();
        break;
      case "agent_left":
        this.mode = "queued";
        this.agentName = null;
        this.queuePosition = null;
        if (d.text) this.notice(d.text);
        break;
      case "ticket_updated":
        this.liveNotice(d.replies, d.statusText ? `您的工单有更新：${d.statusText}` : "您的工单有更新。");
        this.bumpUnread();
        break;
      case "closed": {
        this.mode = "closed";
        this.agentName = null;
        this.liveNotice(d.replies, "本次会话已结束。");
        if (d.rateable) this.offerRating(id);
        this.live?.close();
        this.live = null;
        this.bumpUnread();
        break;
      }
      default:
        break;
    }
    this.renderStatus();
  }

  /** Whether a live message with this seq is new on screen (and marks it shown). */
  private fresh(seq: number | undefined): boolean {
    if (typeof seq !== "number") return true;
    if (this.seen.has(seq)) return false;
    this.seen.add(seq);
    return true;
  }

  private liveNotice(replies: Reply[] | undefined, fallback: string): void {
    const list = replies?.length ? replies : [{ type: "text", text: fallback } as Reply];
    for (const r of list) if (r.type === "text") this.noticeTexts.add(r.text);
    this.systemMessage(list);
  }

  // ---- sending ------------------------------------------------------------------------------

  private submit(): void {
    const text = this.ui.input.value.trim();
    if (!text) return;
    this.ui.input.value = "";
    this.hideSuggestions();
    this.showHot();
    this.send({ text }, text);
  }

  private choose = (payload: string, label: string): void => {
    this.rememberChoice(payload, label);
    this.send({ payload }, label);
  };

  /** A clicked button's label, kept with the conversation so a reload shows it rather than the payload. */
  private rememberChoice(payload: string, label: string): void {
    this.saved[payload] = label;
    this.known.set(payload, label);
    if (this.conversationId) this.store.save({ id: this.conversationId, labels: this.saved });
  }

  private send(body: OutgoingBody, label: string): void {
    const delivery = h("span", { class: "delivery" });
    this.userBubble(label, delivery);
    this.outbox.push(body, label, (item, reason) => this.showDelivery(delivery, item, reason));
  }

  /** Sends one message (the outbox calls this, one at a time). */
  private async deliver(item: Outgoing): Promise<void> {
    let id = await this.ensureConversation();
    let turn: TurnResponse;
    try {
      turn = await this.postMessage(id, item.body);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        // The conversation ended (or is gone): continue in a new one.
        this.mode = "closed";
        this.live?.close();
        this.live = null;
        this.notice("上一次会话已经结束，已为您开始新的会话。");
        id = await this.ensureConversation();
        if ("payload" in item.body) this.rememberChoice(item.body.payload, item.label);
        turn = await this.postMessage(id, item.body);
      } else throw err;
    }
    this.applyTurn(turn);
  }

  private async postMessage(id: string, body: OutgoingBody): Promise<TurnResponse> {
    try {
      const turn = await api<TurnResponse>(this.url(`v1/conversations/${id}/messages`), { body });
      this.setSendDown(false);
      return turn;
    } catch (err) {
      if (err instanceof ApiError && err.unreachable) this.setSendDown(true);
      throw err;
    }
  }

  private applyTurn(turn: TurnResponse): void {
    this.mode = turn.state.mode;
    for (const r of turn.replies) if (r.type === "handoff" && r.queue) this.queuePosition = r.queue.position;
    if (turn.messageId !== null) this.seen.add(turn.messageId);
    if (turn.replies.length > 0) {
      const el = this.botMessage(turn.replies);
      if (turn.messageId !== null && turn.replies.some((r) => r.type === "text")) void this.feedbackIfKnowledge(el, turn.messageId);
    }
    this.renderStatus();
  }

  private showDelivery(el: HTMLElement, item: Outgoing, reason?: string): void {
    const status = item.status;
    el.className = status === "waiting" || status === "failed" || status === "rejected" ? "delivery bad" : "delivery";
    switch (status) {
      case "sending":
        replaceChildren(el, "发送中…");
        break;
      case "waiting":
        replaceChildren(el, item.error instanceof ApiError && item.error.status === 429 ? "发得有点快，稍后会自动重发" : "发送失败，网络恢复后会自动重发");
        break;
      case "failed":
        replaceChildren(el, "发送失败", h("button", { type: "button", class: "retry", onclick: () => this.outbox.retry(item) }, "重试"));
        break;
      case "rejected":
        replaceChildren(el, "这条消息没有发出去", reason ? srOnly(`（${reason}）`) : null);
        break;
      case "sent":
        replaceChildren(el);
        break;
    }
  }

  // ---- knowledge: 猜你想问, input association, feedback --------------------------------------

  private async loadHot(): Promise<void> {
    const id = this.conversationId;
    if (!id) return;
    try {
      const hot = await api<Hot>(this.url(`v1/kb/hot?conversationId=${encodeURIComponent(id)}&limit=5`));
      replaceChildren(
        this.ui.hotList,
        hot.items.slice(0, 5).map((item) =>
          h("button", { type: "button", class: "chip", onclick: () => (item.payload ? this.choose(item.payload, item.question) : this.send({ text: item.question }, item.question)) }, item.question),
        ),
      );
      this.ui.hot.dataset.empty = hot.items.length ? "" : "1";
      this.showHot();
    } catch {
      this.ui.hot.hidden = true;
    }
  }

  /** 猜你想问 under the log, except while typing (suggestions then) or while a person is answering. */
  private showHot(): void {
    const before = this.atBottom();
    this.ui.hot.hidden = this.ui.hot.dataset.empty !== "" || !this.ui.hotList.firstChild || this.mode === "agent" || this.ui.input.value.trim() !== "";
    if (before) this.scrollDown();
  }

  private atBottom(): boolean {
    const log = this.ui.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  private onTyping(): void {
    if (this.suggestTimer) clearTimeout(this.suggestTimer);
    const q = this.ui.input.value.trim();
    if (!q) {
      this.hideSuggestions();
      this.showHot();
      return;
    }
    this.ui.hot.hidden = true;
    this.suggestTimer = setTimeout(() => void this.suggest(q.slice(0, 100)), SUGGEST_DELAY_MS);
  }

  private async suggest(q: string): Promise<void> {
    this.suggestAbort?.abort();
    const abort = new AbortController();
    this.suggestAbort = abort;
    try {
      const found = await api<Suggestions>(this.url(`v1/kb/suggest?q=${encodeURIComponent(q)}&limit=5`), { signal: abort.signal });
      if (abort.signal.aborted || this.ui.input.value.trim() === "") return;
      const items = found.items.slice(0, 5);
      replaceChildren(
        this.ui.suggest,
        items.map((s, i) =>
          h(
            "li",
            null,
            h(
              "button",
              {
                type: "button",
                "data-index": i,
                onclick: () => {
                  this.ui.input.value = "";
                  this.hideSuggestions();
                  this.showHot();
                  this.send({ text: s.question }, s.question);
                  this.ui.input.focus();
                },
                onkeydown: (e) => this.onSuggestionKey(e as KeyboardEvent, i),
              },
              s.question,
            ),
          ),
        ),
      );
      this.ui.suggest.hidden = items.length === 0;
    } catch {
      /* suggestions are a help, not a must */
    }
  }

  private hideSuggestions(): void {
    if (this.suggestTimer) clearTimeout(this.suggestTimer);
    this.suggestAbort?.abort();
    this.ui.suggest.hidden = true;
    replaceChildren(this.ui.suggest);
  }

  private onInputKey(e: KeyboardEvent): void {
    // Enter that ends an IME composition (choosing 汉字) must not send.
    if (e.key === "Enter" && (e.isComposing || e.keyCode === 229)) {
      e.preventDefault();
      return;
    }
    if (e.key === "ArrowDown" && !this.ui.suggest.hidden) {
      e.preventDefault();
      this.suggestionButton(0)?.focus();
    }
  }

  private onSuggestionKey(e: KeyboardEvent, i: number): void {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const next = this.suggestionButton(i + (e.key === "ArrowDown" ? 1 : -1));
      if (next) next.focus();
      else if (e.key === "ArrowUp") this.ui.input.focus();
    }
  }

  private suggestionButton(i: number): HTMLButtonElement | null {
    return this.ui.suggest.querySelector<HTMLButtonElement>(`button[data-index="${i}"]`);
  }

  /** 👍/👎 only under answers the knowledge base gave (the transcript's trace says which). */
  private async feedbackIfKnowledge(el: HTMLElement, seq: number): Promise<void> {
    const id = this.conversationId;
    if (!id) return;
    try {
      const t = await api<Transcript>(this.url(`v1/conversations/${id}`));
      if (t.messages.find((m) => m.seq === seq)?.trace?.knowledge) this.offerFeedback(el, seq);
    } catch {
      /* no buttons then */
    }
  }

  private offerFeedback(el: HTMLElement, seq: number): void {
    const id = this.conversationId;
    if (!id) return;
    const box = h("div", { class: "feedback", role: "group", "aria-label": "这个回答有帮助吗" }, "这个回答有帮助吗？");
    const give = async (helpful: boolean) => {
      for (const b of Array.from(box.querySelectorAll("button"))) b.disabled = true;
      try {
        await api(this.url(`v1/conversations/${id}/feedback`), { body: { messageId: seq, helpful } });
        replaceChildren(box, helpful ? "感谢您的反馈！" : "感谢反馈，我们会改进这个回答。");
      } catch (err) {
        if (err instanceof ApiError && err.status === 400) box.remove();
        else replaceChildren(box, "反馈没有发出去，请稍后再试。");
      }
    };
    append(box, [
      h("button", { type: "button", "aria-label": "有帮助", onclick: () => void give(true) }, "👍"),
      h("button", { type: "button", "aria-label": "没有帮助", onclick: () => void give(false) }, "👎"),
    ]);
    el.appendChild(box);
  }

  // ---- rating -------------------------------------------------------------------------------

  private offerRating(conversationId: string): void {
    let score = 0;
    const hint = h("p", { class: "rating-hint", "aria-live": "polite" });
    const comment = h("textarea", { maxlength: 500, "aria-label": "评价内容（选填）", placeholder: "还有什么想对我们说的？（选填）" });
    const submit = h("button", { type: "button", class: "primary", disabled: true }, "提交评价");
    const stars = RATING_WORDS.map((word, i) =>
      h(
        "button",
        {
          type: "button",
          class: "star",
          "aria-label": `${i + 1} 分：${word}`,
          "aria-pressed": "false",
          onclick: () => {
            score = i + 1;
            stars.forEach((s, k) => {
              s.classList.toggle("on", k < score);
              s.setAttribute("aria-pressed", String(k === i));
            });
            submit.disabled = false;
            replaceChildren(hint, word);
          },
        },
        "★",
      ),
    );
    const box = h(
      "div",
      { class: "rating", role: "group", "aria-label": "服务评价" },
      h("p", null, "请为本次服务打分："),
      h("div", { class: "stars" }, stars),
      comment,
      submit,
      hint,
    );
    submit.addEventListener("click", async () => {
      submit.disabled = true;
      const text = comment.value.trim();
      try {
        await api(this.url(`v1/conversations/${conversationId}/rating`), { body: { score, ...(text ? { comment: text.slice(0, 500) } : {}) } });
        replaceChildren(box, h("p", null, `感谢您的评价（${score} 分）！`));
      } catch {
        submit.disabled = false;
        replaceChildren(hint, "评价没有提交成功，请再试一次。");
      }
    });
    this.addToLog(h("div", { class: "msg system" }, box));
  }

  // ---- rendering ----------------------------------------------------------------------------

  private replyOptions(): ReplyOptions {
    return { base: this.config.base, choose: this.choose, remember: (p, l) => this.known.set(p, l) };
  }

  private userBubble(text: string, delivery?: HTMLElement): HTMLElement {
    return this.addToLog(h("div", { class: "msg user" }, srOnly("我："), h("p", { class: "r-text" }, text), delivery ?? null));
  }

  private botMessage(replies: Reply[]): HTMLElement {
    const o = this.replyOptions();
    return this.addToLog(h("div", { class: "msg bot" }, srOnly("智能客服："), replies.map((r) => renderReply(r, o))));
  }

  private agentMessage(name: string, replies: Reply[]): HTMLElement {
    const o = this.replyOptions();
    return this.addToLog(h("div", { class: "msg agent" }, h("span", { class: "sender" }, `人工客服 ${name}`), replies.map((r) => renderReply(r, o))));
  }

  private systemMessage(replies: Reply[]): HTMLElement {
    const o = this.replyOptions();
    return this.addToLog(h("div", { class: "msg system" }, replies.map((r) => renderReply(r, o))));
  }

  private notice(text: string): void {
    this.systemMessage([{ type: "text", text }]);
  }

  private addToLog(el: HTMLElement): HTMLElement {
    this.ui.log.appendChild(el);
    this.scrollDown();
    return el;
  }

  private scrollDown(): void {
    this.ui.log.scrollTop = this.ui.log.scrollHeight;
  }

  private bumpUnread(): void {
    if (this.isOpen) return;
    this.unread++;
    this.renderBadge();
  }

  private renderBadge(): void {
    this.ui.badge.hidden = this.unread === 0;
    replaceChildren(this.ui.badge, this.unread > 99 ? "99+" : String(this.unread));
    this.ui.launcher.setAttribute("aria-label", this.unread ? `打开在线客服（${this.unread} 条新消息）` : "打开在线客服");
  }

  // ---- connection state ---------------------------------------------------------------------

  private connected(): boolean {
    return navigator.onLine && (!this.live || this.live.state === "open");
  }

  private setSendDown(down: boolean): void {
    if (this.sendDown === down) return;
    this.sendDown = down;
    this.renderStatus();
  }

  /** The header tells the truth: connection first, then who is answering. */
  private renderStatus(): void {
    // Reconnecting: the browser is offline, the stream is retrying, or a message waits to be sent again.
    const reconnecting = !navigator.onLine || this.live?.state === "down" || (this.sendDown && this.outbox.waiting);
    let text: string;
    let cls = "state";
    if (reconnecting) {
      text = "连接中断，正在重连…";
      cls += " down";
    } else if (this.sendDown) {
      // The last request got no answer, and nothing is being retried by itself.
      text = "网络不稳定，消息没有发出";
      cls += " down";
    } else if (this.mode === "agent" && this.agentName) text = `人工客服 ${this.agentName}`;
    else if (this.mode === "queued") {
      text = this.queuePosition && this.queuePosition > 0 ? `排队中 第${this.queuePosition}位` : this.queuePosition === 0 ? "正在接通人工客服…" : "排队中，请稍候";
      cls += " queued";
    } else if (this.mode === "closed") text = "会话已结束";
    else text = "在线";
    if (this.ui.status.textContent !== text) replaceChildren(this.ui.status, text);
    this.ui.status.className = cls;
    if (this.mode === "agent" && !this.ui.hot.hidden) this.showHot();
  }
}
