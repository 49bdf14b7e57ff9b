/**
 * The intent model in service: its cross-validated figures, the F1 of each intent (a table sorted
 * by any column, the weakest intents first by default) and the confusions that cost the most.
 */
import { h, replaceChildren } from "../shared/dom.js";
import { when } from "../shared/format.js";
import type { Screen } from "./console.js";
import { facts, percent } from "./forms.js";
import { intentZh } from "./labels.js";
import type { Evaluation } from "./types.js";

type Row = { intent: string; precision: number; recall: number; f1: number; support: number };
type Key = keyof Row;

const COLUMNS: { key: Key; label: string; numeric: boolean }[] = [
  { key: "intent", label: "意图", numeric: false },
  { key: "f1", label: "F1", numeric: true },
  { key: "precision", label: "精确率", numeric: true },
  { key: "recall", label: "召回率", numeric: true },
  { key: "support", label: "样本数", numeric: true },
];

/** Below this F1 an intent is marked as weak. */
const WEAK_F1 = 0.85;
const CONFUSIONS_SHOWN = 12;

const METRIC_ZH: Record<string, string> = {
  cvAccuracy: "交叉验证准确率",
  cvMacroF1: "交叉验证宏平均 F1",
  cvFolds: "交叉验证折数",
  trainAccuracy: "训练集准确率",
  holdoutAccuracy: "留出集准确率",
};

export async function showEvaluation(screen: Screen): Promise<void> {
  const e = await screen.call<Evaluation>("v1/admin/nlu/evaluation");
  if (!screen.alive()) return;
  const m = e.model.metrics;
  const isRate = (k: string) => !/folds|examples|epochs|seconds/i.test(k) && m[k]! <= 1;
  const manifest = facts([
    ["模型训练时间", when(e.model.createdAt)],
    ...Object.keys(m).map((k): [string, string] => [METRIC_ZH[k] ?? k, isRate(k) ? percent(m[k]) : String(m[k])]),
  ]);
  const report = e.report;
  replaceChildren(
    screen.main,
    h(
      "section",
      { class: "panel", "aria-labelledby": "eval-title" },
      h("h2", { id: "eval-title" }, "意图模型评估"),
      h("h3", null, "模型清单"),
      manifest,
      report
        ? [
            h("h3", null, "评估报告"),
            facts([
              ["准确率", percent(report.accuracy)],
              ["宏平均 F1", percent(report.macroF1)],
              ["生成时间", report.createdAt ? when(report.createdAt) : ""],
              ["交叉验证", report.folds ? `${report.folds} 折，${report.examples ?? "?"} 条样本` : ""],
            ]),
            f1Table(report.perLabel),
            confusions(report.confusions),
          ]
        : h("p", { class: "note", role: "note" }, "评估报告（models/intent/evaluation.json）暂时没有：它在模型训练（npm run train）时生成，可能正在重新生成。上面是模型清单里的数字，报告生成后刷新本页即可看到各意图的 F1 和最常见的混淆。"),
    ),
  );
}

function f1Table(perLabel: NonNullable<Evaluation["report"]>["perLabel"]): HTMLElement {
  const rows: Row[] = Object.entries(perLabel).map(([intent, v]) => ({ intent, ...v }));
  let sort: { key: Key; ascending: boolean } = { key: "f1", ascending: true };
  const tbody = h("tbody");
  const heads = COLUMNS.map((c) => {
    const button = h("button", { type: "button", class: "sort", onclick: () => by(c.key) }, c.label);
    return { c, th: h("th", { scope: "col", class: c.numeric ? "num" : null }, button) };
  });
  const by = (key: Key) => {
    // The same column again turns the order round; a new one starts with the weakest (or A→Z).
    sort = sort.key === key ? { key, ascending: !sort.ascending } : { key, ascending: true };
    draw();
  };
  const draw = () => {
    const sorted = [...rows].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      const d = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return (sort.ascending ? d : -d) || a.intent.localeCompare(b.intent);
    });
    for (const { c, th } of heads) th.setAttribute("aria-sort", c.key === sort.key ? (sort.ascending ? "ascending" : "descending") : "none");
    replaceChildren(
      tbody,
      sorted.map((r) =>
        h(
          "tr",
          { class: r.f1 < WEAK_F1 ? "weak" : null, "data-intent": r.intent },
          h("th", { scope: "row" }, intentZh(r.intent)),
          h("td", { class: "num f1" }, h("span", { class: "f1-bar", style: `width:${Math.round(r.f1 * 100)}%`, "aria-hidden": "true" }), r.f1.toFixed(3)),
          h("td", { class: "num" }, r.precision.toFixed(3)),
          h("td", { class: "num" }, r.recall.toFixed(3)),
          h("td", { class: "num" }, String(r.support)),
        ),
      ),
    );
  };
  draw();
  return h(
    "div",
    null,
    h("h3", { id: "f1-title" }, `各意图的 F1（${rows.length} 个意图，点表头排序）`),
    h("table", { class: "grid-table f1-table", "aria-labelledby": "f1-title" }, h("thead", null, h("tr", null, heads.map((x) => x.th))), tbody),
    h("p", { class: "muted" }, `F1 低于 ${WEAK_F1} 的意图标成了橙色：多补充它们的训练样本，或看看下面和谁混淆。`),
  );
}

function confusions(list: NonNullable<Evaluation["report"]>["confusions"]): HTMLElement {
  const top = [...list].sort((a, b) => b.count - a.count).slice(0, CONFUSIONS_SHOWN);
  return h(
    "div",
    null,
    h("h3", { id: "confusions-title" }, "最常见的混淆"),
    top.length
      ? h(
          "table",
          { class: "grid-table confusions", "aria-labelledby": "confusions-title" },
          h("thead", null, h("tr", null, h("th", { scope: "col" }, "实际意图"), h("th", { scope: "col" }, "被识别为"), h("th", { scope: "col", class: "num" }, "次数"))),
          h(
            "tbody",
            null,
            top.map((c) => h("tr", null, h("td", null, intentZh(c.gold)), h("td", null, intentZh(c.predicted)), h("td", { class: "num" }, String(c.count)))),
          ),
        )
      : h("p", { class: "muted" }, "没有混淆。"),
  );
}
