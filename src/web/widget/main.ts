/**
 * widget.js: a shop adds the chat with one tag,
 * `<script src="https://kefu.example.com/widget.js" data-customer-id="…" data-customer-token="…" data-channel="web"></script>`
 * (optional: data-product-id, data-page, data-title). The API is where the script came from.
 */
import { findScript, readConfig } from "./config.js";
import { ChatWidget } from "./widget.js";

declare global {
  interface Window {
    __kefuWidget?: ChatWidget;
  }
}

const script = findScript();
const start = () => {
  // The tag twice on one page still gives one widget.
  if (window.__kefuWidget) return;
  window.__kefuWidget = new ChatWidget(readConfig(script));
  window.__kefuWidget.mount(document.body);
};
if (document.body) start();
else document.addEventListener("DOMContentLoaded", start, { once: true });
