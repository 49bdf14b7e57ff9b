/**
 * Server-rendered HTML for the demo pages: a tagged template that escapes every interpolated value
 * unless it is already HTML made by this template. `html\`<p>${product.name}</p>\``.
 */

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = SafeHtml | string | number | null | undefined | false | readonly Value[];

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** A whole page: the shared head, the title, the body. */
export function page(title: string, body: SafeHtml, options: { styles?: string[]; scripts?: SafeHtml } = {}): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
${(options.styles ?? []).map((href) => html`<link rel="stylesheet" href="${href}">`)}
</head>
<body>
${body}
${options.scripts ?? null}
</body>
</html>
`.value;
}
