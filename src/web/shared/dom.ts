/**
 * Building DOM without HTML strings: every piece of text goes in as a text node, so shopper, agent,
 * bot and product data can never become markup. Nothing in src/web uses innerHTML.
 */

type Child = Node | string | number | null | undefined | false;
export type Children = Child | readonly Children[];
type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Listener | null | undefined>;

/**
 * `h("button", { class: "chip", type: "button", onclick: go }, "查物流")`: attributes are set with
 * setAttribute, `on*` functions become listeners, `true` is an empty attribute, false/null are left out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Children[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (typeof value === "function") el.addEventListener(key.slice(2), value);
      else if (key === "value" && "value" in el) (el as HTMLInputElement).value = String(value);
      else el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (text becomes text nodes; arrays are flattened; empty values are skipped). */
export function append(parent: Node, children: Children): void {
  if (children === null || children === undefined || children === false) return;
  if (Array.isArray(children)) {
    for (const c of children as readonly Children[]) append(parent, c);
    return;
  }
  parent.appendChild(typeof children === "object" ? (children as Node) : document.createTextNode(String(children)));
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Children[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

/** A link or image address from data: only http(s) (or relative to `base`); anything else is refused. */
export function safeUrl(url: string, base: string): string | null {
  try {
    const u = new URL(url, base);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/** Text only screen readers read (a visually hidden span), e.g. who is speaking. */
export const srOnly = (text: string) => h("span", { class: "sr-only" }, text);
