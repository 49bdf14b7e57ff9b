/** The maintainer console's page: an empty shell the console script fills in. */
import { html, page } from "./html.js";

export function adminPage(): string {
  return page(
    "维护后台 · kefu",
    html`<div id="app" class="app"><noscript>维护后台需要启用 JavaScript。</noscript></div>`,
    { styles: ["/admin.css"], scripts: html`<script src="/admin.js"></script>` },
  );
}
