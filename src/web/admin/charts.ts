/**
 * Small SVG charts without a chart library: a line (rates, averages) or bars (counts) over days.
 * Built with createElementNS and text nodes only; each point carries a <title> (its day and value)
 * and the figure has its numbers as a table too, for screen readers and for copying.
 */
import { h } from "../shared/dom.js";

const NS = "http://www.w3.org/2000/svg";

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

export interface Series {
  title: string;
  kind: "line" | "bar";
  /** One value per day; null where there is nothing to measure (no ratings, no hand-overs). */
  values: (number | null)[];
  format: (v: number) => string;
  /** The axis reaches this at least (1 for rates, 5 for CSAT, a minute for waits), rounded up to 1, 2 or 5 × 10ⁿ. */
  max: number;
  /** The axis's lower end when not 0 (1 for CSAT). */
  min?: number;
}

const W = 520;
const H = 180;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** A figure with the chart, its caption and the same numbers as a table. */
export function chart(series: Series, days: readonly string[]): HTMLElement {
  const known = series.values.filter((v): v is number => v !== null);
  const min = series.min ?? 0;
  const max = niceCeil(Math.max(series.max, ...known));
  const n = days.length;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, n);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + innerH - ((v - min) / (max - min || 1)) * innerH;

  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, class: `chart chart-${series.kind}`, role: "img", "aria-label": `${series.title}：${summary(series, days)}` });
  // Grid lines and the y axis labels: min, middle, max.
  for (const v of [min, (min + max) / 2, max]) {
    svg.appendChild(s("line", { class: "grid", x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }));
    svg.appendChild(s("text", { class: "axis", x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end" }, series.format(v)));
  }
  // Day labels, thinned out so they never overlap.
  const every = Math.max(1, Math.ceil(n / 7));
  days.forEach((d, i) => {
    if (i % every === 0 || i === n - 1) svg.appendChild(s("text", { class: "axis", x: x(i), y: H - 8, "text-anchor": "middle" }, shortDay(d)));
  });

  const points = s("g", { class: "points" });
  if (series.kind === "bar") {
    const width = Math.max(2, slot * 0.6);
    series.values.forEach((v, i) => {
      const value = v ?? 0;
      const height = Math.max(v ? 1 : 0, y(min) - y(value));
      points.appendChild(
        s("rect", { class: "bar", x: x(i) - width / 2, y: y(min) - height, width, height, "data-day": days[i]!, "data-value": v ?? "" }, s("title", {}, `${days[i]}：${v === null ? "无数据" : series.format(v)}`)),
      );
    });
  } else {
    // The line breaks where a day has no value, rather than drawing a zero that did not happen.
    let d = "";
    let pen = false;
    series.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    });
    if (d) svg.appendChild(s("path", { class: "line", d: d.trim() }));
    series.values.forEach((v, i) => {
      if (v === null) return;
      points.appendChild(s("circle", { class: "pt", cx: x(i), cy: y(v), r: 3.5, "data-day": days[i]!, "data-value": v }, s("title", {}, `${days[i]}：${series.format(v)}`)));
    });
  }
  svg.appendChild(points);

  const table = h(
    "table",
    { class: "data" },
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "日期"), h("th", { scope: "col" }, series.title))),
    h(
      "tbody",
      null,
      days.map((d, i) => {
        const v = series.values[i];
        return h("tr", null, h("td", null, d), h("td", null, v === null || v === undefined ? "—" : series.format(v)));
      }),
    ),
  );
  return h(
    "figure",
    { class: "chart-box", "data-chart": series.title },
    h("figcaption", null, series.title),
    svg,
    h("details", null, h("summary", null, "查看数据"), table),
  );
}

/** Rounds up to 1, 2 or 5 times a power of ten: 37 → 50, 0.42 → 0.5. */
function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

const shortDay = (d: string) => `${Number(d.slice(5, 7))}/${Number(d.slice(8, 10))}`;

function summary(series: Series, days: readonly string[]): string {
  const known = series.values.map((v, i) => [v, i] as const).filter((p): p is readonly [number, number] => p[0] !== null);
  if (!known.length) return `${days[0] ?? ""} 至 ${days[days.length - 1] ?? ""} 没有数据`;
  const last = known[known.length - 1]!;
  const high = known.reduce((a, b) => (b[0] > a[0] ? b : a));
  return `${days[0]} 至 ${days[days.length - 1]}，最近 ${days[last[1]]} 为 ${series.format(last[0])}，最高 ${days[high[1]]} 为 ${series.format(high[0])}`;
}
