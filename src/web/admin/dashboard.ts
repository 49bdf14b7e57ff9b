/**
 * The dashboard: the service numbers day by day (one GET /v1/admin/stats per day, the shop's days
 * in Beijing time) as charts, and the figures for the whole range: transfer reasons, CSAT per agent.
 */
import { h, replaceChildren } from "../shared/dom.js";
import { duration } from "../shared/format.js";
import { chart, type Series } from "./charts.js";
import { errorText, type Screen } from "./console.js";
import { facts, percent } from "./forms.js";
import { reasonZh } from "./labels.js";
import type { ServiceStats } from "./types.js";

const DEFAULT_DAYS = 14;
const MAX_DAYS = 92;
/** Requests in flight at once: the days load in parallel without flooding the API. */
const PARALLEL = 6;

const ymd = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });

/** Today in Beijing time, as YYYY-MM-DD. */
const today = () => ymd.format(new Date());

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length <= MAX_DAYS; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The range last shown, kept while the console is open. */
let lastRange: { from: string; to: string } | null = null;

export async function showDashboard(screen: Screen): Promise<void> {
  const to = lastRange?.to ?? today();
  const from = lastRange?.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  const fromInput = h("input", { id: "range-from", type: "date", value: from, required: true });
  const toInput = h("input", { id: "range-to", type: "date", value: to, required: true });
  const error = h("p", { class: "error", role: "alert" });
  const body = h("div", { class: "dash-body", "aria-live": "polite", "aria-busy": "true" });
  const form = h(
    "form",
    {
      class: "row range",
      "aria-label": "日期范围",
      onsubmit: (e) => {
        e.preventDefault();
        void load();
      },
    },
    h("label", { for: "range-from" }, "从"),
    fromInput,
    h("label", { for: "range-to" }, "到"),
    toInput,
    h("button", { type: "submit", class: "primary" }, "查看"),
    h(
      "button",
      {
        type: "button",
        onclick: () => {
          toInput.value = today();
          fromInput.value = addDays(toInput.value, -(DEFAULT_DAYS - 1));
          void load();
        },
      },
      `最近 ${DEFAULT_DAYS} 天`,
    ),
  );
  replaceChildren(
    screen.main,
    h("section", { class: "panel", "aria-labelledby": "dash-title" }, h("h2", { id: "dash-title" }, "数据看板"), h("p", { class: "muted" }, "按会话开始的日期统计（北京时间）。"), form, error, body),
  );

  const load = async () => {
    replaceChildren(error);
    const range = { from: fromInput.value, to: toInput.value };
    if (!range.from || !range.to || range.to < range.from) {
      replaceChildren(error, "结束日期不能早于开始日期。");
      return;
    }
    const days = daysBetween(range.from, range.to);
    if (days.length > MAX_DAYS) {
      replaceChildren(error, `一次最多看 ${MAX_DAYS} 天。`);
      return;
    }
    lastRange = range;
    body.setAttribute("aria-busy", "true");
    replaceChildren(body, h("p", { class: "muted" }, `正在读取 ${days.length} 天的数据…`));
    try {
      const [daily, whole] = await Promise.all([
        mapLimit(days, PARALLEL, (d) => screen.call<ServiceStats>(`v1/admin/stats?from=${d}&to=${d}`)),
        screen.call<ServiceStats>(`v1/admin/stats?from=${range.from}&to=${range.to}`),
      ]);
      if (!screen.alive()) return;
      replaceChildren(body, charts(days, daily), totals(whole, range));
    } catch (err) {
      if (!screen.alive()) return;
      replaceChildren(body);
      replaceChildren(error, `读取数据失败：${errorText(err)}`);
    } finally {
      body.setAttribute("aria-busy", "false");
    }
  };
  await load();
}

function charts(days: string[], daily: ServiceStats[]): HTMLElement {
  // A rate over no conversations is not 0%: those days have no point.
  const over = (pick: (s: ServiceStats) => number | null) => daily.map((s) => (s.conversations > 0 ? pick(s) : null));
  const series: Series[] = [
    { title: "机器人独立解决率", kind: "line", values: over((s) => s.botResolvedRate), format: (v) => percent(v, 0), max: 1 },
    { title: "转人工率", kind: "line", values: over((s) => s.transferRate), format: (v) => percent(v, 0), max: 1 },
    { title: "平均等待时长", kind: "bar", values: daily.map((s) => s.wait.average), format: (v) => duration(v), max: 60 },
    { title: "满意度（平均分）", kind: "line", values: daily.map((s) => s.csat.average), format: (v) => v.toFixed(1), min: 1, max: 5 },
    { title: "未解答问题数", kind: "bar", values: daily.map((s) => s.unanswered), format: (v) => String(Math.round(v)), max: 5 },
  ];
  return h("div", { class: "charts" }, series.map((s) => chart(s, days)));
}

function totals(s: ServiceStats, range: { from: string; to: string }): HTMLElement {
  const reasons = Object.entries(s.transferReasons).sort((a, b) => b[1] - a[1]);
  const handed = reasons.reduce((n, [, c]) => n + c, 0);
  return h(
    "section",
    { class: "totals", "aria-labelledby": "totals-title" },
    h("h3", { id: "totals-title" }, `${range.from} 至 ${range.to} 合计`),
    h(
      "div",
      { class: "cards" },
      card("会话数", String(s.conversations)),
      card("机器人独立解决率", s.conversations ? percent(s.botResolvedRate) : "—"),
      card("转人工率", s.conversations ? percent(s.transferRate) : "—"),
      card("平均等待", s.wait.average === null ? "—" : duration(s.wait.average), s.wait.p90 === null ? undefined : `90% 在 ${duration(s.wait.p90)} 内`),
      card("首次响应", s.firstResponse.average === null ? "—" : duration(s.firstResponse.average), s.firstResponse.p90 === null ? undefined : `90% 在 ${duration(s.firstResponse.p90)} 内`),
      card("满意度", s.csat.average === null ? "—" : `${s.csat.average.toFixed(2)} 分`, `${s.csat.ratings} 条评价${s.csat.satisfiedRate === null ? "" : `，满意 ${percent(s.csat.satisfiedRate, 0)}`}`),
      card("未解答问题", String(s.unanswered)),
      card("工单", `新建 ${s.tickets.opened}`, `解决 ${s.tickets.solved}，超时 ${s.tickets.overdue}`),
    ),
    h("h3", null, "转人工原因"),
    reasons.length
      ? h(
          "table",
          { class: "grid-table", "aria-label": "转人工原因" },
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "原因"), h("th", { scope: "col", class: "num" }, "次数"), h("th", { scope: "col", class: "num" }, "占比"))),
          h(
            "tbody",
            null,
            reasons.map(([r, n]) => h("tr", null, h("td", null, reasonZh(r)), h("td", { class: "num" }, String(n)), h("td", { class: "num" }, percent(n / handed, 0)))),
          ),
        )
      : h("p", { class: "muted" }, "这段时间没有转人工。"),
    facts([["转人工", `共 ${s.handoffs.total} 次：接入 ${s.handoffs.accepted}，顾客离开 ${s.handoffs.abandoned}，仍在等待 ${s.handoffs.waiting}`]]),
    h("h3", null, "各客服满意度"),
    s.csat.perAgent.length
      ? h(
          "table",
          { class: "grid-table", "aria-label": "各客服满意度" },
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "客服"), h("th", { scope: "col", class: "num" }, "评价数"), h("th", { scope: "col", class: "num" }, "平均分"), h("th", { scope: "col", class: "num" }, "满意率"))),
          h(
            "tbody",
            null,
            s.csat.perAgent.map((a) => h("tr", null, h("td", null, a.name), h("td", { class: "num" }, String(a.ratings)), h("td", { class: "num" }, a.average.toFixed(2)), h("td", { class: "num" }, percent(a.satisfiedRate, 0)))),
          ),
        )
      : h("p", { class: "muted" }, "这段时间没有顾客评价。"),
  );
}

function card(label: string, value: string, note?: string): HTMLElement {
  return h("div", { class: "card" }, h("span", { class: "card-label" }, label), h("strong", { class: "card-value" }, value), note ? h("span", { class: "muted" }, note) : null);
}

/** Maps with at most `limit` calls at once, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
