/**
 * The knowledge base: search and list entries, open one with its history, edit and save it (a save
 * names the version it started from, so someone else's change in between is never overwritten),
 * create and delete. Every change is live for the shopper's next message.
 */
import { ApiError } from "../shared/api.js";
import { h, replaceChildren } from "../shared/dom.js";
import { when } from "../shared/format.js";
import { errorText, type Screen } from "./console.js";
import { clearFieldErrors, confirmInline, facts, field, pager, showFieldErrors, type Field } from "./forms.js";
import { categoryZh, versionActionZh, whoZh } from "./labels.js";
import type { KnowledgeEntry, Page, Stored, StoredWithHistory } from "./types.js";

const PAGE_SIZE = 20;

/** The list's search, kept while the console is open. */
const query = { q: "", category: "", page: 1 };

export async function showKnowledge(screen: Screen): Promise<void> {
  const q = h("input", { id: "kb-q", type: "search", value: query.q, maxlength: 100, placeholder: "编号、问题或答案里的字" });
  const category = h("select", { id: "kb-category" }, h("option", { value: "" }, "全部分类"));
  const results = h("div", { class: "kb-results", "aria-live": "polite" });
  const search = h(
    "form",
    {
      class: "row",
      role: "search",
      "aria-label": "搜索知识",
      onsubmit: (e) => {
        e.preventDefault();
        query.q = q.value.trim();
        query.category = category.value;
        query.page = 1;
        void list();
      },
    },
    h("label", { for: "kb-q" }, "搜索"),
    q,
    h("label", { for: "kb-category" }, "分类"),
    category,
    h("button", { type: "submit", class: "primary" }, "搜索"),
    h("a", { href: "#/kb/new", class: "button" }, "新建知识"),
  );
  replaceChildren(screen.main, h("section", { class: "panel", "aria-labelledby": "kb-title" }, h("h2", { id: "kb-title" }, "知识库"), search, results));

  const list = async () => {
    const params = new URLSearchParams({ page: String(query.page), pageSize: String(PAGE_SIZE) });
    if (query.q) params.set("q", query.q);
    if (query.category) params.set("category", query.category);
    let page: Page<Stored>;
    try {
      page = await screen.call<Page<Stored>>(`v1/admin/kb/entries?${params}`);
    } catch (err) {
      if (screen.alive()) replaceChildren(results, h("p", { class: "error", role: "alert" }, `读取失败：${errorText(err)}`));
      return;
    }
    if (!screen.alive()) return;
    replaceChildren(
      results,
      page.items.length
        ? h(
            "table",
            { class: "grid-table kb-table", "aria-label": "知识条目" },
            h(
              "thead",
              null,
              h("tr", null, ["编号", "标准问题", "分类", "状态", "版本", "最后修改"].map((t) => h("th", { scope: "col" }, t))),
            ),
            h(
              "tbody",
              null,
              page.items.map((s) =>
                h(
                  "tr",
                  { "data-entry": s.entry.id },
                  h("td", null, h("a", { href: `#/kb/${encodeURIComponent(s.entry.id)}` }, s.entry.id)),
                  h("td", null, s.entry.question, s.entry.similar.length ? h("span", { class: "muted" }, ` ＋${s.entry.similar.length} 个相似问法`) : null),
                  h("td", null, categoryZh(s.entry.category)),
                  h("td", null, entryState(s.entry)),
                  h("td", { class: "num" }, String(s.version)),
                  h("td", null, `${when(s.updatedAt)} ${whoZh(s.updatedBy, screen.me)}`),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, query.q || query.category ? "没有找到符合条件的知识。" : "知识库是空的。"),
      pager(page.page, page.pageSize, page.total, (n) => {
        query.page = n;
        void list();
      }),
    );
  };

  await Promise.all([
    list(),
    screen
      .categories()
      .then((cats) => {
        for (const c of cats) category.appendChild(h("option", { value: c, selected: c === query.category }, categoryZh(c)));
      })
      .catch(() => {}),
  ]);
  q.focus();
}

const entryState = (e: KnowledgeEntry) => (!e.enabled ? "已停用" : e.validUntil ? `有效至 ${e.validUntil}` : "启用");

/** Opens an entry in the editor (or an empty one for `null`: a new entry). */
export async function showEntry(screen: Screen, id: string | null): Promise<void> {
  const [stored, categories] = await Promise.all([
    id ? screen.call<StoredWithHistory>(`v1/admin/kb/entries/${encodeURIComponent(id)}`) : Promise.resolve(null),
    screen.categories().catch(() => [] as string[]),
  ]);
  if (!screen.alive()) return;
  renderEditor(screen, stored, categories);
}

function renderEditor(screen: Screen, stored: StoredWithHistory | null, categories: string[]): void {
  const e = stored?.entry;
  const idInput = h("input", { name: "id", value: e?.id ?? "", required: true, maxlength: 80, readonly: !!stored, autocomplete: "off", spellcheck: "false" });
  const question = h("input", { name: "question", value: e?.question ?? "", required: true, maxlength: 200 });
  const similar = h("textarea", { name: "similar", rows: 6, value: (e?.similar ?? []).join("\n") });
  const answer = h("textarea", { name: "answer", rows: 5, required: true, maxlength: 2000, value: e?.answer ?? "" });
  const category = h("input", { name: "category", value: e?.category ?? "", required: true, list: "kb-categories", maxlength: 40, autocomplete: "off" });
  const datalist = h("datalist", { id: "kb-categories" }, categories.map((c) => h("option", { value: c }, categoryZh(c))));
  const tags = h("input", { name: "tags", value: (e?.tags ?? []).join("，") });
  const enabled = h("input", { name: "enabled", type: "checkbox", checked: e ? e.enabled : true });
  const validUntil = h("input", { name: "validUntil", type: "date", value: e?.validUntil ?? "" });
  const link = h("input", { name: "link", type: "url", value: e?.link ?? "", placeholder: "https://…（选填）" });
  const quick = h("textarea", { name: "quickReplies", rows: 3, value: (e?.quickReplies ?? []).map((r) => `${r.label} | ${r.payload}`).join("\n"), placeholder: "查物流 | /logistics" });

  const fields: Field[] = [
    field("id", "编号", idInput, stored ? "编号创建后不能修改。" : "小写字母、数字和连字符，例如 engraving-service。"),
    field("question", "标准问题", question),
    field("similar", "相似问法（一行一个）", similar, "顾客的其他问法，帮助机器人认出同一个问题。"),
    field("answer", "答案", answer),
    field("category", "分类", category, "从已有分类中选，或写一个新的（小写字母和下划线）。"),
    field("tags", "标签", tags, "用逗号分隔，选填。"),
    field("validUntil", "有效期至", validUntil, "选填；过了这一天机器人就不再用这条答案（如限时活动）。"),
    field("link", "链接", link),
    field("quickReplies", "快捷按钮（选填，一行一个：按钮文字 | 动作）", quick, "最多 6 个，动作形如 /logistics。"),
  ];
  const enabledRow = h("div", { class: "field check" }, enabled, h("label", { for: "f-enabled" }, "启用（停用后机器人不再用这条知识回答）"));
  enabled.id = "f-enabled";

  const formError = h("div", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit", class: "primary" }, stored ? "保存" : "创建");
  const remove = h("button", { type: "button", class: "danger" }, "删除这条知识");
  remove.addEventListener("click", () =>
    confirmInline(remove, "确定删除？机器人将不再用它回答（历史版本会保留）。", "确定删除", async () => {
      try {
        await screen.call(`v1/admin/kb/entries/${encodeURIComponent(stored!.entry.id)}`, { method: "DELETE" });
        screen.go("#/kb", `已删除「${stored!.entry.id}」。`);
      } catch (err) {
        replaceChildren(formError, `删除失败：${errorText(err)}`);
      }
    }),
  );

  const read = (): KnowledgeEntry => {
    const lines = (t: string) => t.split("\n").map((l) => l.trim()).filter(Boolean);
    const out: KnowledgeEntry = {
      id: idInput.value.trim(),
      question: question.value.trim(),
      similar: lines(similar.value),
      answer: answer.value.trim(),
      category: category.value.trim(),
      tags: tags.value.split(/[,，、\s]+/).map((t) => t.trim()).filter(Boolean),
      enabled: enabled.checked,
    };
    if (validUntil.value) out.validUntil = validUntil.value;
    if (link.value.trim()) out.link = link.value.trim();
    const replies = lines(quick.value).map((l) => {
      const at = l.lastIndexOf("|");
      return at < 0 ? { label: l, payload: "" } : { label: l.slice(0, at).trim(), payload: l.slice(at + 1).trim() };
    });
    if (replies.length) out.quickReplies = replies;
    return out;
  };

  const form = h(
    "form",
    {
      class: "editor",
      "aria-labelledby": "entry-title",
      onsubmit: async (ev) => {
        ev.preventDefault();
        clearFieldErrors(fields);
        replaceChildren(formError);
        save.disabled = true;
        const entry = read();
        try {
          let saved: Stored;
          if (stored) {
            const { id: entryId, ...body } = entry;
            saved = await screen.call<Stored>(`v1/admin/kb/entries/${encodeURIComponent(entryId)}?version=${stored.version}`, { method: "PUT", body });
          } else {
            saved = await screen.call<Stored>("v1/admin/kb/entries", { method: "POST", body: entry });
          }
          // The console reads the categories once; a new one is added to that same list.
          if (!categories.includes(saved.entry.category)) categories.push(saved.entry.category);
          if (!screen.alive()) return;
          const fresh = await screen.call<StoredWithHistory>(`v1/admin/kb/entries/${encodeURIComponent(saved.entry.id)}`);
          if (!screen.alive()) return;
          const message = `已${stored ? "保存" : "创建"}「${saved.entry.id}」（第 ${saved.version} 版），顾客的下一条消息起生效。`;
          if (stored) {
            renderEditor(screen, fresh, categories);
            screen.say(message);
          } else screen.go(`#/kb/${encodeURIComponent(saved.entry.id)}`, message);
        } catch (err) {
          save.disabled = false;
          if (!screen.alive()) return;
          if (stored && err instanceof ApiError && err.status === 409) {
            stale(stored.entry.id);
            return;
          }
          if (err instanceof ApiError && err.status === 404 && stored) {
            replaceChildren(formError, "这条知识已经被别人删除了。", h("a", { href: "#/kb" }, "回到列表"));
            return;
          }
          const rest = showFieldErrors(fields, err);
          if (rest) replaceChildren(formError, `保存失败：${rest}`);
          else if (!(err instanceof ApiError && (err.status === 400 || err.status === 409))) replaceChildren(formError, `保存失败：${errorText(err)}`);
        }
      },
    },
    fields.slice(0, 5).map((f) => f.row),
    enabledRow,
    fields.slice(5).map((f) => f.row),
    datalist,
    formError,
    h("div", { class: "row actions" }, save, h("a", { href: "#/kb", class: "button" }, "返回列表"), stored ? remove : null),
  );

  /** Someone else saved in between: say so, and offer their version (this draft is kept until then). */
  const stale = (entryId: string) => {
    const reload = h(
      "button",
      {
        type: "button",
        class: "primary",
        onclick: async () => {
          try {
            const fresh = await screen.call<StoredWithHistory>(`v1/admin/kb/entries/${encodeURIComponent(entryId)}`);
            if (!screen.alive()) return;
            renderEditor(screen, fresh, categories);
            screen.say(`已载入最新版本（第 ${fresh.version} 版），请重新修改后保存。`);
          } catch (err) {
            replaceChildren(formError, `载入失败：${errorText(err)}`);
          }
        },
      },
      "载入最新版本",
    );
    replaceChildren(
      formError,
      h("p", null, `没有保存：在您打开之后，别人修改了这条知识（您改的是第 ${stored!.version} 版）。载入最新版本会丢掉您这次的修改，需要的话请先复制下来。`),
      reload,
    );
    formError.classList.add("conflict");
    reload.focus();
  };

  const title = stored ? `编辑知识：${stored.entry.id}` : "新建知识";
  replaceChildren(
    screen.main,
    h(
      "div",
      { class: "entry-layout" },
      h(
        "section",
        { class: "panel" },
        h("p", null, h("a", { href: "#/kb" }, "← 知识库")),
        h("h2", { id: "entry-title" }, title),
        stored
          ? facts([
              ["当前版本", `第 ${stored.version} 版`],
              ["最后修改", `${when(stored.updatedAt)} ${whoZh(stored.updatedBy, screen.me)}`],
              ["来源文件", stored.sourceFile ? `knowledge/faq/${stored.sourceFile}` : "在后台创建"],
            ])
          : null,
        form,
      ),
      stored ? history(stored, screen.me) : null,
    ),
  );
  (stored ? question : idInput).focus();
}

function history(stored: StoredWithHistory, me: string): HTMLElement {
  const versions = [...stored.versions].sort((a, b) => b.version - a.version);
  return h(
    "aside",
    { class: "panel history", "aria-labelledby": "history-title" },
    h("h2", { id: "history-title" }, `修改历史（${versions.length}）`),
    h(
      "ul",
      { class: "versions" },
      versions.map((v) => {
        const data = v.data as Partial<KnowledgeEntry>;
        return h(
          "li",
          null,
          h("details", null, h("summary", null, `第 ${v.version} 版 · ${versionActionZh(v.action)} · ${when(v.changedAt)} · ${whoZh(v.changedBy, me)}`), facts([
            ["标准问题", data.question ?? ""],
            ["答案", data.answer ?? ""],
            ["相似问法", data.similar?.length ? `${data.similar.length} 个` : ""],
            ["分类", data.category ? categoryZh(data.category) : ""],
            ["状态", data.enabled === false ? "已停用" : ""],
          ])),
        );
      }),
    ),
  );
}
