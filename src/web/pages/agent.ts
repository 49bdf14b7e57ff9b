/** The agent workbench's page: an empty shell the workbench script fills in. */
import { html, page } from "./html.js";

export function agentPage(): string {
  return page(
    "客服工作台 · kefu",
    html`<div id="app" class="app"><noscript>客服工作台需要启用 JavaScript。</noscript></div>`,
    { styles: ["/agent.css"], scripts: html`<script src="/agent.js"></script>` },
  );
}
