/** What the shop's <script> tag tells the widget, and where the API is (next to widget.js itself). */

export interface WidgetConfig {
  /** The API base, ending in "/": the directory widget.js was loaded from. */
  base: string;
  customerId: string | null;
  customerToken: string | null;
  channel: "web" | "app" | "wechat" | "api";
  productId: string | null;
  page: string | null;
  title: string;
}

const CHANNELS = ["web", "app", "wechat", "api"] as const;

/** The script element that loaded the widget (document.currentScript while it runs, else by its file name). */
export function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  const all = Array.from(document.querySelectorAll<HTMLScriptElement>("script[src]"));
  return all.find((s) => /\/widget\.js(\?|#|$)/.test(s.src)) ?? null;
}

export function readConfig(script: HTMLScriptElement | null): WidgetConfig {
  const data = script?.dataset ?? {};
  const src = script?.src || location.href;
  const channel = CHANNELS.find((c) => c === data.channel) ?? "web";
  const text = (v: string | undefined, max: number) => (v && v.trim() ? v.trim().slice(0, max) : null);
  return {
    base: new URL(".", src).href,
    customerId: text(data.customerId, 64),
    customerToken: text(data.customerToken, 128),
    channel,
    productId: text(data.productId, 64),
    page: text(data.page, 500),
    title: text(data.title, 30) ?? "在线客服",
  };
}
