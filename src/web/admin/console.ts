/**
 * The maintainer console at /admin: sign in (a maintainer account, or the admin key), then four
 * screens chosen by the address's hash so the browser's back button and links work:
 * `#/clusters[/:id]` (questions the bot could not answer, grouped), `#/kb[/:id|/new]` (knowledge
 * entries), `#/dashboard` (service numbers over time) and `#/evaluation` (the intent model).
 */
import { api, ApiError } from "../shared/api.js";
import { h, replaceChildren } from "../shared/dom.js";
import { showClusters, showCluster } from "./clusters.js";
import { showDashboard } from "./dashboard.js";
import { showEvaluation } from "./evaluation.js";
import { showEntry, showKnowledge } from "./knowledge.js";
import type { LoginResponse, Page, Stored } from "./types.js";
import { loadSession, saveSession } from "../shared/session.js";

const SESSION_KEY = "kefu:admin";
const TITLE = "维护后台 · kefu";

/** Who is signed in: a maintainer's token from POST /v1/agents/login, or the admin key. */
export type Session =
  | { kind: "maintainer"; token: string; expiresAt: string; id: string; name: string; username: string }
  | { kind: "admin"; token: string; name: string };

export interface CallOptions {
  method?: string;
  body?: unknown;
}

/** What a screen is given: the API, the place to draw, and whether it is still the screen shown. */
export interface Screen {
  main: HTMLElement;
  call<T>(path: string, options?: CallOptions): Promise<T>;
  /** Goes to another screen (`#/kb/engraving-service`), with a message to show there. */
  go(hash: string, message?: string): void;
  /** A short message in the status line (read out by screen readers). */
  say(text: string): void;
  /** False once the maintainer went to another screen: late answers must not draw over it. */
  alive(): boolean;
  /** Runs when the screen is left (stops polling). */
  onLeave(fn: () => void): void;
  /** The knowledge categories in use, read once per sign-in. */
  categories(): Promise<string[]>;
  /** How the API records the signed-in account as an editor ("maintainer:<id>", "admin:<name>"). */
  me: string;
}

const NAV: { hash: string; label: string }[] = [
  { hash: "#/clusters", label: "待处理问题" },
  { hash: "#/kb", label: "知识库" },
  { hash: "#/dashboard", label: "数据看板" },
  { hash: "#/evaluation", label: "模型评估" },
];

export class AdminConsole {
  private session: Session | null = null;
  private ui: { shell: HTMLElement; main: HTMLElement; toast: HTMLElement; nav: HTMLAnchorElement[] } | null = null;
  private seq = 0;
  private leave: (() => void)[] = [];
  private categoryList: Promise<string[]> | null = null;
  /** A message for the next screen (e.g. 已删除 after going back to the list). */
  private pendingToast: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly base: string,
  ) {}

  start(): void {
    window.addEventListener("hashchange", () => this.route());
    const saved = this.loadSession();
    if (saved) void this.resume(saved);
    else this.showLogin();
  }

  /**
   * A credential kept from earlier in this tab is checked with the server rather than by its
   * expiry time: the server's clock, not this page's, decides (they may differ).
   */
  private async resume(saved: Session): Promise<void> {
    replaceChildren(this.root, h("p", { class: "muted hint" }, "正在登录…"));
    try {
      await api(this.url("v1/admin/kb/entries?pageSize=1"), { token: saved.token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.saveSession(null);
        return this.showLogin("登录已过期，请重新登录。");
      }
      // Unreachable for now: go in anyway; the screens say what failed and offer to retry.
    }
    await this.enter(saved);
  }

  // ---- session ------------------------------------------------------------------------------

  private loadSession(): Session | null {
    return loadSession<Session>(SESSION_KEY);
  }

  private saveSession(s: Session | null): void {
    saveSession(SESSION_KEY, s);
  }

  private showLogin(message?: string): void {
    this.stopScreen();
    this.ui = null;
    this.categoryList = null;
    document.title = TITLE;
    const error = h("p", { class: "error", role: "alert" }, message ?? "");
    const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true, maxlength: 64 });
    const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 200 });
    const accountButton = h("button", { type: "submit", class: "primary" }, "登录");
    const account = h(
      "form",
      {
        class: "login-form",
        "aria-label": "维护人员账号登录",
        onsubmit: async (e) => {
          e.preventDefault();
          accountButton.disabled = true;
          replaceChildren(error);
          try {
            const r = await api<LoginResponse>(this.url("v1/agents/login"), { body: { username: username.value.trim(), password: password.value } });
            if (r.agent.role !== "maintainer") {
              accountButton.disabled = false;
              replaceChildren(error, "这是客服账号，不能进入维护后台。客服请使用客服工作台（/agent）。");
              return;
            }
            await this.enter({ kind: "maintainer", token: r.token, expiresAt: r.expiresAt, id: r.agent.id, name: r.agent.name, username: r.agent.username });
          } catch (err) {
            accountButton.disabled = false;
            replaceChildren(error, err instanceof ApiError && err.status === 401 ? "用户名或密码不对。" : "登录失败，请检查网络后重试。");
          }
        },
      },
      h("label", { for: "username" }, "用户名"),
      username,
      h("label", { for: "password" }, "密码"),
      password,
      accountButton,
    );

    const key = h("input", { id: "admin-key", name: "admin-key", type: "password", autocomplete: "off", required: true, maxlength: 200 });
    // The name goes into the knowledge history (X-Kefu-User); HTTP headers only carry ASCII.
    const name = h("input", { id: "admin-name", name: "admin-name", autocomplete: "nickname", maxlength: 40, pattern: "[A-Za-z0-9._@ \\-]{1,40}", placeholder: "如 li.lei（选填）" });
    const keyButton = h("button", { type: "submit" }, "用密钥登录");
    const adminForm = h(
      "form",
      {
        class: "login-form",
        "aria-label": "管理员密钥登录",
        onsubmit: async (e) => {
          e.preventDefault();
          keyButton.disabled = true;
          replaceChildren(error);
          const s: Session = { kind: "admin", token: key.value.trim(), name: name.value.trim() };
          try {
            // The key is checked on a route it opens; nothing is stored when it is wrong.
            await api(this.url("v1/admin/kb/entries?pageSize=1"), { token: s.token });
            await this.enter(s);
          } catch (err) {
            keyButton.disabled = false;
            replaceChildren(error, err instanceof ApiError && err.status === 401 ? "管理员密钥不对。" : "登录失败，请检查网络后重试。");
          }
        },
      },
      h("label", { for: "admin-key" }, "管理员密钥（KEFU_ADMIN_KEY）"),
      key,
      h("label", { for: "admin-name" }, "您的英文名（记入修改历史）"),
      name,
      keyButton,
    );

    replaceChildren(
      this.root,
      h(
        "main",
        { class: "login", "aria-labelledby": "login-title" },
        h("h1", { id: "login-title" }, "kefu 维护后台"),
        h("p", { class: "muted" }, "整理机器人没答上的问题，维护知识库，查看服务数据和模型效果。"),
        account,
        h("details", { class: "key-login" }, h("summary", null, "用管理员密钥登录"), adminForm),
        error,
      ),
    );
    username.focus();
  }

  private async enter(s: Session): Promise<void> {
    this.session = s;
    this.saveSession(s);
    this.ui = this.buildShell(s);
    replaceChildren(this.root, this.ui.shell);
    if (!location.hash || location.hash === "#" || location.hash === "#/") history.replaceState(null, "", "#/clusters");
    this.route();
  }

  private async logout(): Promise<void> {
    // The API has no logout for maintainers (POST /v1/agents/logout is for agents): the token is
    // forgotten here and expires by itself.
    this.saveSession(null);
    this.session = null;
    this.showLogin("已退出登录。");
  }

  private url(path: string): string {
    return new URL(path, this.base).href;
  }

  /** An admin API call with the credential; a 401 means it expired or was revoked: sign in again. */
  private async call<T>(path: string, options: CallOptions = {}): Promise<T> {
    const s = this.session;
    const headers = s?.kind === "admin" && s.name ? { "x-kefu-user": s.name } : undefined;
    try {
      return await api<T>(this.url(path), { ...options, token: s?.token, headers });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && this.session) {
        this.saveSession(null);
        this.session = null;
        this.showLogin("登录已过期，请重新登录。");
      }
      throw err;
    }
  }

  // ---- layout and screens -------------------------------------------------------------------

  private buildShell(s: Session) {
    const nav = NAV.map((n) => h("a", { href: n.hash, class: "tab" }, n.label));
    const toast = h("p", { class: "toast", role: "status", "aria-live": "polite" });
    const main = h("main", { class: "screen", id: "screen", tabindex: -1 });
    const who = s.kind === "maintainer" ? `${s.name}（${s.username}）` : s.name ? `管理员 ${s.name}` : "管理员";
    const shell = h(
      "div",
      { class: "shell" },
      h(
        "header",
        { class: "bar" },
        h("h1", null, "kefu 维护后台"),
        h("nav", { class: "tabs", "aria-label": "栏目" }, nav),
        h("span", { class: "me" }, who),
        h("button", { type: "button", class: "link", onclick: () => void this.logout() }, "退出登录"),
      ),
      toast,
      main,
    );
    return { shell, main, toast, nav };
  }

  private stopScreen(): void {
    this.seq++;
    for (const fn of this.leave.splice(0)) fn();
  }

  private route(): void {
    const ui = this.ui;
    if (!ui) return;
    this.stopScreen();
    const seq = this.seq;
    const [section = "clusters", ...rest] = location.hash.replace(/^#\/?/, "").split("/");
    const arg = rest.length ? decodeURIComponent(rest.join("/")) : null;
    for (const a of ui.nav) {
      const on = a.getAttribute("href") === `#/${section}`;
      if (on) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    replaceChildren(ui.toast, this.pendingToast ?? "");
    this.pendingToast = null;
    const screen: Screen = {
      main: ui.main,
      call: (path, options) => this.call(path, options),
      go: (hash, message) => {
        this.pendingToast = message ?? null;
        if (location.hash === hash) this.route();
        else location.hash = hash;
      },
      say: (text) => {
        if (this.ui && this.seq === seq) replaceChildren(this.ui.toast, text);
      },
      alive: () => this.seq === seq && this.ui === ui,
      onLeave: (fn) => this.leave.push(fn),
      categories: () => this.categories(),
      me: editorName(this.session),
    };
    replaceChildren(ui.main, h("p", { class: "muted hint" }, "正在加载…"));
    const label = NAV.find((n) => n.hash === `#/${section}`)?.label;
    document.title = label ? `${label} · ${TITLE}` : TITLE;
    const shown = (() => {
      switch (section) {
        case "clusters":
          return arg ? showCluster(screen, Number(arg)) : showClusters(screen);
        case "kb":
          return arg ? showEntry(screen, arg === "new" ? null : arg) : showKnowledge(screen);
        case "dashboard":
          return showDashboard(screen);
        case "evaluation":
          return showEvaluation(screen);
        default:
          replaceChildren(ui.main, h("p", { class: "hint" }, "没有这个页面。"), h("a", { href: "#/clusters" }, "回到待处理问题"));
          return Promise.resolve();
      }
    })();
    shown.catch((err: unknown) => {
      if (!screen.alive()) return;
      replaceChildren(ui.main, h("p", { class: "error hint", role: "alert" }, `加载失败：${errorText(err)}`), h("button", { type: "button", onclick: () => this.route() }, "重试"));
    });
  }

  private categories(): Promise<string[]> {
    this.categoryList ??= this.call<Page<Stored>>("v1/admin/kb/entries?pageSize=200")
      .then((page) => [...new Set(page.items.map((s) => s.entry.category))].sort())
      .catch((err: unknown) => {
        this.categoryList = null;
        throw err;
      });
    return this.categoryList;
  }
}

/** The signed-in account as the API writes it in histories (see `who` in src/http/routes/admin-kb.ts). */
function editorName(s: Session | null): string {
  if (!s) return "";
  return s.kind === "maintainer" ? `maintainer:${s.id}` : s.name ? `admin:${s.name}` : "admin";
}

/** An API failure in a sentence for the maintainer. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return "网络连接失败";
    if (err.status === 404) return `找不到（${err.message}）`;
    if (err.status === 429) return "请求太频繁，请稍后再试";
    if (err.unreachable) return "服务暂时不可用，请稍后再试";
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
