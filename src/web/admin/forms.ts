/**
 * Form pieces the console's screens share: a labelled field with its own error line, the API's
 * validation errors put next to the fields they name, a confirmation asked in place, tabs, paging.
 */
import { ApiError } from "../shared/api.js";
import { h, replaceChildren, type Children } from "../shared/dom.js";
import { FIELD_ZH, messageZh } from "./labels.js";

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export interface Field<C extends Control = Control> {
  name: string;
  control: C;
  error: HTMLElement;
  row: HTMLElement;
}

/** A label, the control, an optional hint and an error line the control is described by. */
export function field<C extends Control>(name: string, label: string, control: C, hint?: string): Field<C> {
  const id = control.id || `f-${name}`;
  control.id = id;
  const error = h("p", { class: "field-error", id: `${id}-error`, "aria-live": "polite" });
  const hintEl = hint ? h("p", { class: "muted", id: `${id}-hint` }, hint) : null;
  control.setAttribute("aria-describedby", [hintEl ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "));
  const row = h("div", { class: "field", "data-field": name }, h("label", { for: id }, label), control, hintEl, error);
  return { name, control, error, row };
}

/**
 * Puts the API's validation errors (`json.answer: answer is too short; json.id: …`) next to the
 * fields they name; returns what no field took, for the form's own error line.
 */
export function showFieldErrors(fields: readonly Field[], err: unknown): string | null {
  clearFieldErrors(fields);
  if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 409)) return null;
  const rest: string[] = [];
  let first: Field | null = null;
  for (const part of err.message.split("; ")) {
    const m = /^(?:json|query|param)\.([A-Za-z]+)((?:\.\d+)*)[^:]*: (.*)$/.exec(part);
    const f = m ? fields.find((x) => x.name === m[1]) : err.status === 409 && /exists/.test(part) ? fields.find((x) => x.name === "id") : undefined;
    if (!f) {
      rest.push(part);
      continue;
    }
    const index = m?.[2] ? Number(m[2].split(".")[1]) : null;
    const text = `${FIELD_ZH[f.name] ?? f.name}${index !== null && !Number.isNaN(index) ? `第 ${index + 1} 条` : ""}：${messageZh(m ? m[3]! : part)}`;
    replaceChildren(f.error, f.error.textContent ? `${f.error.textContent}；${text}` : text);
    f.control.setAttribute("aria-invalid", "true");
    first ??= f;
  }
  first?.control.focus();
  return rest.length ? rest.join("; ") : first ? null : err.message;
}

export function clearFieldErrors(fields: readonly Field[]): void {
  for (const f of fields) {
    replaceChildren(f.error);
    f.control.removeAttribute("aria-invalid");
  }
}

/**
 * Asks in place before something that cannot be undone: the button gives way to the question with
 * 确定 and 取消 (focus goes to 取消, so Enter does nothing rash); `yes` runs on 确定.
 */
export function confirmInline(button: HTMLButtonElement, question: string, yesLabel: string, yes: () => void | Promise<void>): void {
  const box = h("div", { class: "confirm", role: "group", "aria-label": question });
  const no = h("button", { type: "button", onclick: () => restore() }, "取消");
  const ok = h(
    "button",
    {
      type: "button",
      class: "danger",
      onclick: async () => {
        ok.disabled = true;
        no.disabled = true;
        try {
          await yes();
        } finally {
          if (box.isConnected) restore();
        }
      },
    },
    yesLabel,
  );
  replaceChildren(box, h("span", null, question), ok, no);
  const restore = () => {
    box.replaceWith(button);
    button.focus();
  };
  box.addEventListener("keydown", (e) => {
    if (e.key === "Escape") restore();
  });
  button.replaceWith(box);
  no.focus();
}

export interface Tab {
  id: string;
  label: string;
  panel: () => HTMLElement;
}

/** Tabs (arrow keys move between them); each panel is built when first shown. */
export function tabs(label: string, items: readonly Tab[], selected: string): HTMLElement {
  const panel = h("div", { class: "tabpanel", role: "tabpanel", tabindex: 0 });
  const built = new Map<string, HTMLElement>();
  const buttons = items.map((t) =>
    h("button", { type: "button", role: "tab", id: `tab-${t.id}`, "aria-controls": "tabpanel", onclick: () => select(t.id, true) }, t.label),
  );
  panel.id = "tabpanel";
  const select = (id: string, focus: boolean) => {
    items.forEach((t, i) => {
      const on = t.id === id;
      buttons[i]!.setAttribute("aria-selected", String(on));
      buttons[i]!.tabIndex = on ? 0 : -1;
      if (on) {
        if (!built.has(id)) built.set(id, t.panel());
        panel.setAttribute("aria-labelledby", `tab-${id}`);
        replaceChildren(panel, built.get(id)!);
        if (focus) buttons[i]!.focus();
      }
    });
  };
  const list = h("div", { class: "tablist", role: "tablist", "aria-label": label }, buttons);
  list.addEventListener("keydown", (e) => {
    const at = buttons.findIndex((b) => b === document.activeElement);
    if (at < 0) return;
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (e.key === "Home" || e.key === "End" || step) {
      e.preventDefault();
      const next = e.key === "Home" ? 0 : e.key === "End" ? items.length - 1 : (at + step + items.length) % items.length;
      select(items[next]!.id, true);
    }
  });
  select(items.some((t) => t.id === selected) ? selected : items[0]!.id, false);
  return h("div", { class: "tabs-box" }, list, panel);
}

/** 上一页 / 第 n 页，共 m 条 / 下一页. */
export function pager(page: number, pageSize: number, total: number, go: (page: number) => void): HTMLElement {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return h(
    "nav",
    { class: "pager", "aria-label": "翻页" },
    h("button", { type: "button", disabled: page <= 1, onclick: () => go(page - 1) }, "上一页"),
    h("span", null, `第 ${page} / ${pages} 页，共 ${total} 条`),
    h("button", { type: "button", disabled: page >= pages, onclick: () => go(page + 1) }, "下一页"),
  );
}

/** A definition list from label/value pairs (empty values are left out). */
export function facts(rows: [string, Children][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    rows.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
  );
}

export const percent = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(digits)}%`);
