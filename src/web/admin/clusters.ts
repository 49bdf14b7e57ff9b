/**
 * The questions the bot could not answer, grouped by the clustering runs: start a run and follow
 * it, read the groups (largest, fastest growing or latest first), merge several, and act on one:
 * make it a knowledge entry, add it to an existing entry, use it as intent training (a guarded
 * retrain follows), split or move questions, or ignore it for good.
 */
import { ApiError } from "../shared/api.js";
import { h, replaceChildren } from "../shared/dom.js";
import { when } from "../shared/format.js";
import { errorText, type Screen } from "./console.js";
import { clearFieldErrors, confirmInline, facts, field, pager, percent, showFieldErrors, tabs, type Field } from "./forms.js";
import { actionZh, categoryZh, clusterStatusZh, INTENTS, intentZh, retrainStatusZh, runStatusZh, stageZh, whoZh } from "./labels.js";
import type { Cluster, ClusterDetail, ClusterRun, Page, Retrain, Stored } from "./types.js";

const PAGE_SIZE = 20;
const POLL_MS = 1000;
const RETRAIN_POLL_MS = 3000;

/** The list's filters, kept while the console is open. */
const view = { status: "open", sort: "size", page: 1 };

const SORTS: [string, string][] = [
  ["size", "消息最多"],
  ["trend", "增长最快"],
  ["recent", "最近出现"],
];
const STATUSES = ["open", "resolved", "rejected", "merged"];

// ---- the list -----------------------------------------------------------------------------------

export async function showClusters(screen: Screen): Promise<void> {
  const runStatus = h("p", { class: "run-status", role: "status", "aria-live": "polite" });
  const runButton = h("button", { type: "button", class: "primary", onclick: () => void startRun() }, "重新聚类");
  const status = h(
    "select",
    { id: "cluster-status", onchange: () => refilter({ status: status.value }) },
    STATUSES.map((s) => h("option", { value: s, selected: s === view.status }, clusterStatusZh(s))),
  );
  const sort = h(
    "select",
    { id: "cluster-sort", onchange: () => refilter({ sort: sort.value }) },
    SORTS.map(([v, label]) => h("option", { value: v, selected: v === view.sort }, label)),
  );
  const refilter = (change: Partial<typeof view>) => {
    Object.assign(view, change, { page: 1 });
    void list();
  };
  const selected = new Set<number>();
  const mergeButton = h("button", { type: "button", disabled: true }, "合并所选");
  const results = h("div", { class: "cluster-results" });
  let shown: Cluster[] = [];

  replaceChildren(
    screen.main,
    h(
      "section",
      { class: "panel", "aria-labelledby": "clusters-title" },
      h("h2", { id: "clusters-title" }, "待处理问题"),
      h("p", { class: "muted" }, "机器人没能回答的问题，按意思分成了组。处理一组：写成一条新知识、归入已有知识、作为意图训练，或者忽略。"),
      h("div", { class: "row run" }, runButton, runStatus),
      h("div", { class: "row" }, h("label", { for: "cluster-status" }, "状态"), status, h("label", { for: "cluster-sort" }, "排序"), sort, mergeButton),
      results,
    ),
  );

  const updateMerge = () => {
    mergeButton.disabled = selected.size < 2;
    replaceChildren(mergeButton, selected.size ? `合并所选（${selected.size}）` : "合并所选");
  };
  mergeButton.addEventListener("click", () => {
    // Into the first selected in the list's order (the largest when sorted by size).
    const ids = shown.filter((c) => selected.has(c.id)).map((c) => c.id);
    const into = shown.find((c) => c.id === ids[0]);
    if (ids.length < 2 || !into) return;
    confirmInline(mergeButton, `把所选的 ${ids.length} 组合并到「${into.label}」？`, "确定合并", async () => {
      try {
        const merged = await screen.call<Cluster | null>("v1/admin/clusters/merge", { body: { ids } });
        screen.say(`已合并：「${merged?.label ?? into.label}」现在有 ${merged?.size ?? "?"} 个问题。`);
        selected.clear();
        await list();
      } catch (err) {
        screen.say(`合并失败：${reviewError(err)}`);
      }
    });
  });

  const list = async () => {
    let page: Page<Cluster>;
    try {
      page = await screen.call<Page<Cluster>>(`v1/admin/clusters?status=${view.status}&sort=${view.sort}&page=${view.page}&pageSize=${PAGE_SIZE}`);
    } catch (err) {
      if (screen.alive()) replaceChildren(results, h("p", { class: "error", role: "alert" }, `读取失败：${errorText(err)}`));
      return;
    }
    if (!screen.alive()) return;
    shown = page.items;
    for (const id of [...selected]) if (!shown.some((c) => c.id === id)) selected.delete(id);
    updateMerge();
    mergeButton.hidden = view.status !== "open";
    replaceChildren(
      results,
      shown.length ? clusterTable(shown, view.status === "open" ? selected : null, updateMerge) : h("p", { class: "muted empty" }, view.status === "open" ? "没有待处理的问题。点「重新聚类」把新的未解答问题分组。" : "没有这种状态的分组。"),
      pager(page.page, page.pageSize, page.total, (n) => {
        view.page = n;
        void list();
      }),
    );
  };

  // ---- clustering runs: queued here, taken by a worker process, followed by polling ----
  let timer: ReturnType<typeof setTimeout> | null = null;
  screen.onLeave(() => {
    if (timer) clearTimeout(timer);
  });
  const follow = (run: ClusterRun) => {
    replaceChildren(runStatus, runText(run));
    runStatus.setAttribute("data-run-status", run.status);
    const busy = run.status === "queued" || run.status === "running";
    runButton.disabled = busy;
    if (busy) {
      timer = setTimeout(async () => {
        try {
          const next = await screen.call<ClusterRun>(`v1/admin/clusters/runs/${run.id}`);
          if (!screen.alive()) return;
          follow(next);
          if (next.status === "done") await list();
        } catch (err) {
          if (!screen.alive()) return;
          replaceChildren(runStatus, `读取聚类进度失败：${errorText(err)}`);
          runButton.disabled = false;
        }
      }, POLL_MS);
    }
  };
  const startRun = async () => {
    runButton.disabled = true;
    try {
      const run = await screen.call<ClusterRun>("v1/admin/clusters/runs", { method: "POST" });
      if (screen.alive()) follow(run);
    } catch (err) {
      runButton.disabled = false;
      replaceChildren(runStatus, `没能开始聚类：${errorText(err)}`);
    }
  };

  await Promise.all([
    list(),
    screen
      .call<{ items: ClusterRun[] }>("v1/admin/clusters/runs")
      .then((r) => {
        if (screen.alive() && r.items[0]) follow(r.items[0]);
      })
      .catch(() => {}),
  ]);
}

function runText(run: ClusterRun): string {
  switch (run.status) {
    case "queued":
      return `第 ${run.id} 次聚类已排队，等后台开始…`;
    case "running": {
      const p = run.progress;
      return p ? `第 ${run.id} 次聚类进行中：${stageZh(p.stage)} ${p.done}/${p.total}` : `第 ${run.id} 次聚类进行中…`;
    }
    case "done":
      return `聚类完成（第 ${run.id} 次，${when(run.finishedAt)}）：${run.questions ?? 0} 个问题分成 ${run.clusters ?? 0} 组，另有 ${run.singletons ?? 0} 个问题不属于任何一组${run.seconds !== null ? `，用时 ${run.seconds} 秒` : ""}。`;
    case "failed":
      return `第 ${run.id} 次聚类失败：${run.error ?? "原因不明"}`;
    default:
      return runStatusZh(run.status);
  }
}

function clusterTable(items: Cluster[], selected: Set<number> | null, changed: () => void): HTMLElement {
  return h(
    "table",
    { class: "grid-table cluster-table", "aria-label": "问题分组" },
    h(
      "thead",
      null,
      h(
        "tr",
        null,
        selected ? h("th", { scope: "col" }, h("span", { class: "sr-only" }, "选择")) : null,
        ["分组", "代表问题", "问题数", "消息数", "近 24 小时", "最近出现", "建议"].map((t, i) => h("th", { scope: "col", class: i >= 2 && i <= 4 ? "num" : null }, t)),
      ),
    ),
    h(
      "tbody",
      null,
      items.map((c) =>
        h(
          "tr",
          { "data-cluster": c.id },
          selected
            ? h(
                "td",
                null,
                h("input", {
                  type: "checkbox",
                  checked: selected.has(c.id),
                  "aria-label": `选择「${c.label}」`,
                  onchange: (e) => {
                    if ((e.target as HTMLInputElement).checked) selected.add(c.id);
                    else selected.delete(c.id);
                    changed();
                  },
                }),
              )
            : null,
          h("td", null, h("a", { href: `#/clusters/${c.id}`, class: "cluster-label" }, c.label)),
          h("td", null, c.representative),
          h("td", { class: "num" }, String(c.size)),
          h("td", { class: "num" }, String(c.messages)),
          h("td", { class: "num" }, trendText(c.trend)),
          h("td", null, when(c.lastSeen)),
          h("td", null, suggestionText(c.suggestion)),
        ),
      ),
    ),
  );
}

function trendText(t: Cluster["trend"]): string {
  const arrow = t.recent > t.previous ? "↑" : t.recent < t.previous ? "↓" : "";
  const growth = t.growth === null ? (t.recent > 0 ? "（新出现）" : "") : t.growth ? `（${t.growth > 0 ? "+" : ""}${Math.round(t.growth * 100)}%）` : "";
  return `${t.recent} 条，之前 ${t.previous} 条 ${arrow}${growth}`.trim();
}

function suggestionText(s: Cluster["suggestion"]): HTMLElement | string {
  if (!s) return "—";
  if (s.kind === "knowledge") return h("span", null, "知识 ", h("a", { href: `#/kb/${encodeURIComponent(s.id)}` }, s.id), ` ${percent(s.score, 0)}`);
  return `意图 ${intentZh(s.id)} ${percent(s.score, 0)}`;
}

// ---- one cluster ----------------------------------------------------------------------------------

export async function showCluster(screen: Screen, id: number): Promise<void> {
  if (!Number.isInteger(id) || id < 1) throw new Error("分组编号不对");
  let detail: ClusterDetail;
  try {
    detail = await screen.call<ClusterDetail>(`v1/admin/clusters/${id}`);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    if (screen.alive()) replaceChildren(screen.main, h("section", { class: "panel" }, h("h2", null, "这一组已经不在了"), h("p", null, "新的一次聚类替换了它，或者它的问题都移到了别的组。"), h("a", { href: "#/clusters" }, "回到待处理问题")));
    return;
  }
  if (!screen.alive()) return;
  renderCluster(screen, detail);
}

function renderCluster(screen: Screen, detail: ClusterDetail): void {
  const c = detail.cluster;
  const open = c.status === "open";
  const checked = new Set<number>();
  const count = h("span", { class: "muted", "aria-live": "polite" }, "未勾选问题");
  const boxes: HTMLInputElement[] = [];
  const onCheck = () => {
    checked.clear();
    boxes.forEach((b, i) => {
      if (b.checked) checked.add(i);
    });
    replaceChildren(count, checked.size ? `已勾选 ${checked.size} 个问题` : "未勾选问题");
    all.checked = checked.size === boxes.length && boxes.length > 0;
  };
  const all = h("input", {
    type: "checkbox",
    "aria-label": "全选",
    onchange: () => {
      for (const b of boxes) b.checked = all.checked;
      onCheck();
    },
  });
  const selectedIds = () => [...checked].flatMap((i) => detail.questions[i]!.ids);

  const questions = h(
    "table",
    { class: "grid-table questions", "aria-labelledby": "questions-title" },
    h(
      "thead",
      null,
      h("tr", null, open ? h("th", { scope: "col" }, all) : null, h("th", { scope: "col" }, "问题"), h("th", { scope: "col", class: "num" }, "次数"), h("th", { scope: "col" }, "最近"), h("th", { scope: "col" }, "记录号")),
    ),
    h(
      "tbody",
      null,
      detail.questions.map((q) => {
        const box = h("input", { type: "checkbox", "aria-label": `勾选「${q.text}」`, onchange: onCheck });
        boxes.push(box);
        return h(
          "tr",
          { "data-question": q.text },
          open ? h("td", null, box) : null,
          h("td", { class: "q-text" }, q.text),
          h("td", { class: "num" }, `×${q.count}`),
          h("td", null, when(q.lastSeen)),
          h("td", { class: "muted ids" }, q.ids.length > 6 ? `${q.ids.slice(0, 6).join(", ")} 等 ${q.ids.length} 条` : q.ids.join(", ")),
        );
      }),
    ),
  );

  const actions = h("section", { class: "actions-box", "aria-labelledby": "actions-title" });
  const done = (result: HTMLElement) => {
    replaceChildren(actions, h("h3", { id: "actions-title" }, "处理结果"), result);
    replaceChildren(statusPill, clusterStatusZh("resolved"));
    statusPill.className = "pill pill-resolved";
    for (const b of [all, ...boxes]) b.disabled = true;
    count.hidden = true;
    result.focus();
  };

  if (open) {
    // A new entry first: these questions went unanswered, so the nearest entry was not close enough (its
    // tab shows it when there is one); an intent nearest means the model's wording gap is likely.
    const suggested = c.suggestion?.kind === "intent" ? "intent" : "entry";
    replaceChildren(
      actions,
      h("h3", { id: "actions-title" }, "处理这一组"),
      tabs(
        "处理方式",
        [
          { id: "entry", label: "新建知识", panel: () => entryPanel(screen, detail, done) },
          { id: "attach", label: "归入已有知识", panel: () => attachPanel(screen, detail, done) },
          { id: "intent", label: "作为意图训练", panel: () => intentPanel(screen, detail, done) },
          { id: "split", label: "拆分 / 移动", panel: () => splitPanel(screen, detail, selectedIds) },
          { id: "reject", label: "忽略", panel: () => rejectPanel(screen, detail) },
        ],
        suggested,
      ),
    );
  } else {
    replaceChildren(actions, h("h3", { id: "actions-title" }, "处理结果"), resolutionBox(screen, c));
  }

  const statusPill = h("span", { class: `pill pill-${c.status}` }, clusterStatusZh(c.status));
  replaceChildren(
    screen.main,
    h(
      "section",
      { class: "panel cluster", "aria-labelledby": "cluster-title" },
      h("p", null, h("a", { href: "#/clusters" }, "← 待处理问题")),
      h("div", { class: "row" }, h("h2", { id: "cluster-title" }, c.label), statusPill),
      facts([
        ["代表问题", c.representative],
        ["关键词", c.keywords.join("、")],
        ["规模", `${c.size} 个不同的问题，共 ${c.messages} 条消息`],
        ["近 24 小时", trendText(c.trend)],
        ["首次 / 最近出现", `${when(c.firstSeen)} / ${when(c.lastSeen)}`],
        ["紧密度", c.cohesion.toFixed(2)],
        ["最接近的", suggestionText(c.suggestion)],
      ]),
      h("div", { class: "row" }, h("h3", { id: "questions-title" }, `这一组的问题（${detail.questions.length}）`), open ? count : null),
      questions,
      actions,
    ),
  );
}

/** What was done with a reviewed cluster, with a link to its entry. */
function resolutionBox(screen: Screen, c: Cluster): HTMLElement {
  const r = (c.resolution ?? {}) as { action?: string; entryId?: string; intent?: string; examples?: number; added?: number; into?: number };
  const box = h(
    "div",
    { class: "result", tabindex: -1 },
    facts([
      ["处理方式", r.action ? actionZh(r.action) : clusterStatusZh(c.status)],
      ["知识", r.entryId ? h("a", { href: `#/kb/${encodeURIComponent(r.entryId)}` }, r.entryId) : ""],
      ["意图", r.intent ? `${intentZh(r.intent)}，${r.examples ?? 0} 条训练样本` : ""],
      ["合并到", r.into ? h("a", { href: `#/clusters/${r.into}` }, `分组 ${r.into}`) : ""],
      ["处理人", whoZh(c.reviewedBy, screen.me)],
      ["时间", when(c.reviewedAt)],
    ]),
  );
  if (r.action === "intent") box.appendChild(retrainBox(screen));
  return box;
}

// ---- the actions ------------------------------------------------------------------------------------

const REVIEWED = /cluster \d+ is (\w+) already/;
/** The cluster was dealt with meanwhile (409), or replaced by a newer run (404). */
const isReviewConflict = (err: unknown) => err instanceof ApiError && ((err.status === 409 && REVIEWED.test(err.message)) || (err.status === 404 && /cluster/.test(err.message)));

function reviewError(err: unknown): string {
  if (err instanceof ApiError && err.status === 409) {
    const m = REVIEWED.exec(err.message);
    if (m) return `这一组已经是「${clusterStatusZh(m[1]!)}」了，可能是别人刚处理的。请回到列表刷新。`;
  }
  if (err instanceof ApiError && err.status === 404 && /cluster/.test(err.message)) return "这一组已经不在了：新的一次聚类替换了它。请回到列表刷新。";
  return errorText(err);
}

/** A kebab-case id to start from: the Latin words of the cluster (engrave, logo), or its number. */
export function suggestId(c: Pick<Cluster, "id" | "keywords" | "representative">): string {
  const words = [...c.keywords, c.representative].join(" ").toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const head = [...new Set(words.filter((w) => w.length > 1))].slice(0, 3).join("-");
  return `${head || "faq"}-${c.id}`;
}

function entryPanel(screen: Screen, detail: ClusterDetail, done: (r: HTMLElement) => void): HTMLElement {
  const c = detail.cluster;
  const question = h("input", { id: "new-question", name: "question", value: c.representative, required: true, maxlength: 200 });
  const id = h("input", { id: "new-id", name: "id", value: suggestId(c), required: true, maxlength: 80, autocomplete: "off", spellcheck: "false" });
  const category = h("select", { id: "new-category", name: "category", required: true }, h("option", { value: "" }, "请选择分类"));
  const answer = h("textarea", { id: "new-answer", name: "answer", rows: 5, required: true, maxlength: 2000, placeholder: "写给顾客看的答案，口吻和其他知识一致。" });
  const tags = h("input", { id: "new-tags", name: "tags" });
  const fields: Field[] = [
    field("question", "标准问题", question, "默认是这一组的代表问题；其余问题都会成为相似问法。"),
    field("id", "编号", id, "小写字母、数字和连字符，起一个看得懂的名字，例如 engraving-service。"),
    field("category", "分类", category),
    field("answer", "答案", answer),
    field("tags", "标签（选填，用逗号分隔）", tags),
  ];
  screen
    .categories()
    .then((cats) => {
      for (const cat of cats) category.appendChild(h("option", { value: cat }, categoryZh(cat)));
    })
    .catch(() => replaceChildren(formError, "读取分类失败，请刷新页面。"));
  const formError = h("div", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, "创建知识");
  return h(
    "form",
    {
      class: "editor",
      "aria-label": "新建知识",
      onsubmit: async (e) => {
        e.preventDefault();
        clearFieldErrors(fields);
        replaceChildren(formError);
        submit.disabled = true;
        const body = {
          id: id.value.trim(),
          answer: answer.value.trim(),
          category: category.value,
          ...(question.value.trim() && question.value.trim() !== c.representative ? { question: question.value.trim() } : {}),
          ...(tags.value.trim() ? { tags: tags.value.split(/[,，、\s]+/).filter(Boolean) } : {}),
        };
        try {
          const r = await screen.call<{ entryId: string; version: number; similar: number }>(`v1/admin/clusters/${c.id}/entry`, { body });
          screen.say(`已新建知识「${r.entryId}」。`);
          done(
            h(
              "div",
              { class: "result ok", tabindex: -1 },
              h("p", null, `已新建知识「${r.entryId}」，带 ${r.similar} 个相似问法。顾客的下一条消息起，机器人就用它回答这一组问题。`),
              h("p", { class: "row" }, h("a", { href: `#/kb/${encodeURIComponent(r.entryId)}`, class: "button" }, "打开这条知识"), h("a", { href: "#/clusters", class: "button" }, "回到待处理问题")),
            ),
          );
        } catch (err) {
          submit.disabled = false;
          if (isReviewConflict(err)) {
            replaceChildren(formError, `没有创建：${reviewError(err)}`);
            return;
          }
          const rest = showFieldErrors(fields, err);
          if (rest) replaceChildren(formError, `没有创建：${rest}`);
          else if (!(err instanceof ApiError && (err.status === 400 || err.status === 409))) replaceChildren(formError, `没有创建：${errorText(err)}`);
        }
      },
    },
    fields.map((f) => f.row),
    formError,
    submit,
  );
}

function attachPanel(screen: Screen, detail: ClusterDetail, done: (r: HTMLElement) => void): HTMLElement {
  const c = detail.cluster;
  const q = h("input", { id: "attach-q", type: "search", maxlength: 100, placeholder: "搜索知识的编号、问题或答案" });
  // Enter in the search box searches rather than attaching.
  q.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      void search();
    }
  });
  const options = h("div", { class: "choices", role: "radiogroup", "aria-label": "归入哪条知识" });
  const error = h("div", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, "归入所选知识");
  let choice = "";
  const draw = (items: Stored[], note?: string) => {
    replaceChildren(
      options,
      note ? h("p", { class: "muted" }, note) : null,
      items.length
        ? items.map((s) => {
            const radio = h("input", {
              type: "radio",
              name: "attach-entry",
              id: `attach-${s.entry.id}`,
              value: s.entry.id,
              checked: s.entry.id === choice,
              onchange: () => (choice = s.entry.id),
            });
            return h("div", { class: "choice" }, radio, h("label", { for: `attach-${s.entry.id}` }, h("strong", null, s.entry.question), h("span", { class: "muted" }, ` ${s.entry.id} · ${categoryZh(s.entry.category)}`)));
          })
        : h("p", { class: "muted" }, "没有找到。换个词试试。"),
    );
  };
  const search = async () => {
    const text = q.value.trim();
    if (!text) return;
    try {
      const page = await screen.call<Page<Stored>>(`v1/admin/kb/entries?q=${encodeURIComponent(text)}&pageSize=10`);
      if (screen.alive()) draw(page.items);
    } catch (err) {
      replaceChildren(error, `搜索失败：${errorText(err)}`);
    }
  };
  if (c.suggestion?.kind === "knowledge") {
    choice = c.suggestion.id;
    screen
      .call<Stored>(`v1/admin/kb/entries/${encodeURIComponent(c.suggestion.id)}`)
      .then((s) => screen.alive() && draw([s], `最接近的知识（相似度 ${percent(c.suggestion!.score, 0)}）：`))
      .catch(() => draw([]));
  } else {
    replaceChildren(options, h("p", { class: "muted" }, "没有特别接近的知识，请搜索。"));
  }
  return h(
    "form",
    {
      class: "editor",
      "aria-label": "归入已有知识",
      onsubmit: async (e) => {
        e.preventDefault();
        replaceChildren(error);
        if (!choice) {
          replaceChildren(error, "请先选一条知识。");
          return;
        }
        submit.disabled = true;
        try {
          const r = await screen.call<{ entryId: string; version: number; similar: number }>(`v1/admin/clusters/${c.id}/attach`, { body: { entryId: choice } });
          screen.say(`已归入「${r.entryId}」。`);
          done(
            h(
              "div",
              { class: "result ok", tabindex: -1 },
              h("p", null, `已把这一组问题加进「${r.entryId}」的相似问法（现在共 ${r.similar} 个，第 ${r.version} 版），下一条消息起生效。`),
              h("p", { class: "row" }, h("a", { href: `#/kb/${encodeURIComponent(r.entryId)}`, class: "button" }, "打开这条知识"), h("a", { href: "#/clusters", class: "button" }, "回到待处理问题")),
            ),
          );
        } catch (err) {
          submit.disabled = false;
          replaceChildren(error, `没有归入：${reviewError(err)}`);
        }
      },
    },
    h(
      "div",
      { class: "row" },
      h("label", { for: "attach-q" }, "搜索知识"),
      q,
      h("button", { type: "button", onclick: () => void search() }, "搜索"),
    ),
    options,
    error,
    submit,
  );
}

function intentPanel(screen: Screen, detail: ClusterDetail, done: (r: HTMLElement) => void): HTMLElement {
  const c = detail.cluster;
  const preset = c.suggestion?.kind === "intent" ? c.suggestion.id : "";
  const intent = h("select", { id: "map-intent", required: true }, h("option", { value: "" }, "请选择意图"), INTENTS.map((i) => h("option", { value: i.id, selected: i.id === preset }, `${i.name}（${i.id}）`)));
  const error = h("div", { class: "form-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, "加入训练");
  return h(
    "form",
    {
      class: "editor",
      "aria-label": "作为意图训练",
      onsubmit: async (e) => {
        e.preventDefault();
        replaceChildren(error);
        submit.disabled = true;
        try {
          const r = await screen.call<{ examples: number; retrainId: number }>(`v1/admin/clusters/${c.id}/intent`, { body: { intent: intent.value } });
          screen.say(`已加入「${intentZh(intent.value)}」的训练样本。`);
          done(
            h(
              "div",
              { class: "result ok", tabindex: -1 },
              h("p", null, `已把 ${r.examples} 个问题作为「${intentZh(intent.value)}」的训练样本，重新训练已排队（第 ${r.retrainId} 次）。新模型只有在交叉验证的宏平均 F1 不低于现在的模型时才会换上。`),
              retrainBox(screen),
              h("p", null, h("a", { href: "#/clusters", class: "button" }, "回到待处理问题")),
            ),
          );
        } catch (err) {
          submit.disabled = false;
          replaceChildren(error, `没有加入：${reviewError(err)}`);
        }
      },
    },
    h("p", { class: "muted" }, "适合问的其实是已有场景（查物流、退货……）、只是说法模型没学过的一组问题。"),
    h("div", { class: "field" }, h("label", { for: "map-intent" }, "意图"), intent),
    error,
    submit,
  );
}

/** The retrain queue, read again every few seconds while one waits or trains. */
function retrainBox(screen: Screen): HTMLElement {
  const box = h("div", { class: "retrains", "aria-live": "polite" }, h("p", { class: "muted" }, "正在读取训练队列…"));
  let timer: ReturnType<typeof setTimeout> | null = null;
  screen.onLeave(() => {
    if (timer) clearTimeout(timer);
  });
  const load = async () => {
    try {
      const { items } = await screen.call<{ items: Retrain[] }>("v1/admin/retrains");
      if (!screen.alive()) return;
      replaceChildren(box, h("h4", { id: "retrains-title" }, "重新训练队列"), retrainTable(items));
      if (items.some((r) => r.status === "queued" || r.status === "running")) timer = setTimeout(() => void load(), RETRAIN_POLL_MS);
    } catch (err) {
      if (screen.alive()) replaceChildren(box, h("p", { class: "error" }, `读取训练队列失败：${errorText(err)}`));
    }
  };
  void load();
  return box;
}

function retrainTable(items: Retrain[]): HTMLElement {
  if (!items.length) return h("p", { class: "muted" }, "还没有重新训练过。");
  const f1 = (v: number | null) => (v === null ? "—" : percent(v));
  return h(
    "table",
    { class: "grid-table retrain-table", "aria-labelledby": "retrains-title" },
    h("thead", null, h("tr", null, ["次", "状态", "样本", "原模型宏 F1", "新模型宏 F1", "说明", "时间"].map((t, i) => h("th", { scope: "col", class: [0, 2, 3, 4].includes(i) ? "num" : null }, t)))),
    h(
      "tbody",
      null,
      items.map((r) =>
        h(
          "tr",
          { "data-retrain": r.id },
          h("td", { class: "num" }, String(r.id)),
          h("td", null, retrainStatusZh(r.status)),
          h("td", { class: "num" }, r.examples === null ? "—" : String(r.examples)),
          h("td", { class: "num" }, f1(r.currentMacroF1)),
          h("td", { class: "num" }, f1(r.newMacroF1)),
          h("td", null, retrainNote(r)),
          h("td", null, when(r.finishedAt ?? r.startedAt ?? r.requestedAt)),
        ),
      ),
    ),
  );
}

function retrainNote(r: Retrain): string {
  const pct = (v: number | null) => (v === null ? "无" : percent(v));
  switch (r.status) {
    case "queued":
      return "等待训练";
    case "running":
      return "正在训练（几分钟）";
    case "swapped":
      return `新模型已上线：${pct(r.newMacroF1)}，原来 ${pct(r.currentMacroF1)}`;
    case "refused":
      return `保留原模型：新模型 ${pct(r.newMacroF1)}，低于原来的 ${pct(r.currentMacroF1)}`;
    default:
      return r.message ?? "";
  }
}

function splitPanel(screen: Screen, detail: ClusterDetail, selectedIds: () => number[]): HTMLElement {
  const c = detail.cluster;
  const error = h("div", { class: "form-error", role: "alert" });
  const target = h("select", { id: "move-to" }, h("option", { value: "" }, "正在读取其他分组…"));
  const need = () => {
    const ids = selectedIds();
    if (!ids.length) replaceChildren(error, "请先在上面的表格里勾选问题。");
    return ids;
  };
  const split = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        replaceChildren(error);
        const ids = need();
        if (!ids.length) return;
        try {
          const r = await screen.call<{ cluster: Cluster | null; split: Cluster | null }>(`v1/admin/clusters/${c.id}/split`, { body: { questionIds: ids } });
          screen.go(`#/clusters/${r.cluster?.id ?? r.split?.id ?? c.id}`, `已拆分：勾选的问题成了新的一组「${r.split?.label ?? ""}」（分组 ${r.split?.id ?? "?"}）。`);
        } catch (err) {
          replaceChildren(error, `没有拆分：${reviewError(err)}`);
        }
      },
    },
    "拆分成新的一组",
  );
  const move = h(
    "button",
    {
      type: "button",
      onclick: async () => {
        replaceChildren(error);
        const ids = need();
        if (!ids.length) return;
        const to = Number(target.value);
        if (!to) {
          replaceChildren(error, "请选择要移到哪一组。");
          return;
        }
        try {
          const r = await screen.call<{ from: Cluster | null; to: Cluster | null }>(`v1/admin/clusters/${c.id}/move`, { body: { questionIds: ids, toClusterId: to } });
          screen.go(r.from ? `#/clusters/${c.id}` : `#/clusters/${to}`, r.from ? `已移到「${r.to?.label ?? to}」。` : `这一组的问题都移到「${r.to?.label ?? to}」了。`);
        } catch (err) {
          replaceChildren(error, `没有移动：${reviewError(err)}`);
        }
      },
    },
    "移过去",
  );
  screen
    .call<Page<Cluster>>("v1/admin/clusters?status=open&sort=size&pageSize=200")
    .then((page) => {
      if (!screen.alive()) return;
      const others = page.items.filter((x) => x.id !== c.id);
      replaceChildren(
        target,
        h("option", { value: "" }, others.length ? "选择分组" : "没有其他待处理的分组"),
        others.map((x) => h("option", { value: x.id }, `${x.label}：${x.representative}（${x.size}）`)),
      );
    })
    .catch((err: unknown) => replaceChildren(error, `读取分组失败：${errorText(err)}`));
  return h(
    "div",
    { class: "editor" },
    h("p", { class: "muted" }, "先在上面的表格里勾选问题，再拆成新的一组，或移到另一组。"),
    h("div", { class: "row" }, split),
    h("div", { class: "row" }, h("label", { for: "move-to" }, "移到"), target, move),
    error,
  );
}

function rejectPanel(screen: Screen, detail: ClusterDetail): HTMLElement {
  const c = detail.cluster;
  const error = h("div", { class: "form-error", role: "alert" });
  const button = h("button", { type: "button", class: "danger" }, "忽略这一组");
  button.addEventListener("click", () =>
    confirmInline(button, "确定忽略？这些问题以后再有人问，也不会再出现在这里。", "确定忽略", async () => {
      try {
        await screen.call(`v1/admin/clusters/${c.id}/reject`, { method: "POST" });
        screen.go("#/clusters", `已忽略「${c.label}」。`);
      } catch (err) {
        replaceChildren(error, `没有忽略：${reviewError(err)}`);
      }
    }),
  );
  return h("div", { class: "editor" }, h("p", { class: "muted" }, "闲聊、广告、和本店无关的问题可以忽略。"), button, error);
}
