/**
 * Every reply type of the dialogue (src/dialogue/replies.ts) as DOM, for the widget and the
 * workbench alike. Buttons are real buttons and only act when `choose` is given; the workbench shows
 * the same replies read-only.
 */
import { h, safeUrl } from "./dom.js";
import { roughWait, when, yuan } from "./format.js";
import type { OrderCard, OrderSummary, ProductCard, Reply } from "./types.js";

export interface ReplyOptions {
  /** Base for the relative image and buy links in cards (the widget's API base). */
  base: string;
  /** The shopper clicked a button or an order: send `payload`, show `label` as what they said. */
  choose?: (payload: string, label: string) => void;
  /** Told of every button shown, so a payload sent earlier can be shown by its label later. */
  remember?: (payload: string, label: string) => void;
}

type Logistics = Extract<Reply, { type: "logistics" }>;
type Handoff = Extract<Reply, { type: "handoff" }>;

export function renderReply(reply: Reply, o: ReplyOptions): HTMLElement {
  switch (reply.type) {
    case "text":
      return h("p", { class: "r-text" }, reply.text);
    case "quick_replies":
      return h(
        "div",
        { class: "r-quick" },
        reply.text ? h("p", { class: "r-text" }, reply.text) : null,
        h(
          "div",
          { class: "chips", role: "group", "aria-label": reply.text ?? "可选问题" },
          reply.options.map((opt) => {
            o.remember?.(opt.payload, opt.label);
            return button("chip", opt.label, o.choose && (() => o.choose!(opt.payload, opt.label)));
          }),
        ),
      );
    case "order_list":
      return h(
        "div",
        { class: "r-orders" },
        h("p", { class: "r-text" }, reply.text),
        h(
          "ul",
          { class: "order-list", "aria-label": "请选择订单" },
          reply.orders.map((order) => {
            const label = `订单 ${order.id}（${order.title}）`;
            o.remember?.(order.payload, label);
            return h("li", null, orderPick(order, o.choose && (() => o.choose!(order.payload, label))));
          }),
        ),
      );
    case "order_card":
      return orderCard(reply.order);
    case "product_card":
      return productCard(reply.product, o.base);
    case "logistics":
      return logistics(reply);
    case "handoff":
      return handoff(reply);
  }
}

function button(cls: string, label: string, onclick: (() => void) | undefined) {
  return h("button", { type: "button", class: cls, disabled: !onclick, onclick }, label);
}

function orderPick(order: OrderSummary, onclick: (() => void) | undefined) {
  return h(
    "button",
    { type: "button", class: "order-pick", disabled: !onclick, onclick, "aria-label": `${order.title}，${order.statusText}，订单号 ${order.id}` },
    h("span", { class: "order-title" }, order.title),
    h("span", { class: `status status-${order.status}` }, order.statusText),
    h("span", { class: "order-meta" }, `${order.id} · ${when(order.createdAt)} · ${yuan(order.totalFen)}`),
  );
}

function orderCard(order: OrderCard) {
  const rows: [string, string | null][] = [
    ["订单号", order.id],
    ["下单时间", when(order.createdAt)],
    ["实付", yuan(order.totalFen)],
    ["支付方式", order.paymentMethod],
    ["收货地址", order.address],
    ["发货时间", order.shippedAt && when(order.shippedAt)],
    ["签收时间", order.deliveredAt && when(order.deliveredAt)],
    ["物流", order.carrier && `${order.carrier} ${order.trackingNumber ?? ""}`.trim()],
  ];
  return h(
    "article",
    { class: "card order-card", "aria-label": `订单卡片 ${order.id}` },
    h("header", { class: "card-head" }, h("strong", null, order.title), h("span", { class: `status status-${order.status}` }, order.statusText)),
    h(
      "ul",
      { class: "items" },
      order.items.map((item) =>
        h("li", null, `${item.name}${[item.color, item.size].filter(Boolean).length ? `（${[item.color, item.size].filter(Boolean).join("，")}）` : ""} ×${item.quantity}`, h("span", { class: "price" }, yuan(item.unitPriceFen))),
      ),
    ),
    details(rows),
    order.refunds.length
      ? h(
          "ul",
          { class: "refunds", "aria-label": "退款" },
          order.refunds.map((r) => h("li", null, `退款 ${r.id}：${r.statusText} ${yuan(r.amountFen)}`)),
        )
      : null,
  );
}

function details(rows: [string, string | null][]) {
  return h(
    "dl",
    { class: "facts" },
    rows.filter((r): r is [string, string] => !!r[1]).map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
  );
}

function productCard(product: ProductCard, base: string) {
  const image = safeUrl(product.imageUrl, base);
  const buy = safeUrl(product.buyUrl, base);
  const specs = Object.entries(product.specs).slice(0, 4);
  return h(
    "article",
    { class: "card product-card", "aria-label": `商品卡片 ${product.name}` },
    image ? h("img", { src: image, alt: product.name, width: 88, height: 88, loading: "lazy" }) : null,
    h(
      "div",
      { class: "product-body" },
      h("strong", { class: "product-name" }, product.name),
      h("span", { class: "brand" }, product.brand),
      h("span", { class: "price" }, yuan(product.priceFen)),
      h("span", { class: product.stock > 0 ? "stock" : "stock out" }, product.stock > 0 ? `有货 · 库存 ${product.stock}` : "暂时缺货"),
      specs.length ? details(specs) : null,
      buy ? h("a", { class: "buy", href: buy, target: "_blank", rel: "noopener" }, product.stock > 0 ? "去购买" : "查看商品") : null,
    ),
  );
}

function logistics(reply: Logistics) {
  return h(
    "article",
    { class: "card logistics", "aria-label": `物流 ${reply.carrier} ${reply.trackingNumber}` },
    h(
      "header",
      { class: "card-head" },
      h("strong", null, `${reply.carrier} ${reply.trackingNumber}`),
      h("span", { class: `status status-${reply.status}` }, reply.statusText),
    ),
    h("p", { class: "order-meta" }, `订单 ${reply.orderId}`),
    reply.events.length
      ? h(
          "ol",
          { class: "timeline", "aria-label": "物流轨迹，最新在前" },
          // The events come newest first, and are shown that way.
          reply.events.map((e, i) =>
            h(
              "li",
              { class: i === 0 ? "latest" : null },
              h("time", { datetime: e.at }, when(e.at)),
              h("span", { class: "where" }, e.location),
              h("span", { class: "what" }, e.description),
            ),
          ),
        )
      : h("p", { class: "r-text" }, "暂时还没有物流轨迹。"),
  );
}

function handoff(reply: Handoff) {
  const q = reply.queue;
  const wait = q ? roughWait(q.estimatedWaitSeconds) : null;
  return h(
    "div",
    { class: "handoff" },
    h("p", { class: "r-text" }, reply.text),
    q
      ? h("p", { class: "queue" }, q.position > 0 ? `排队中：第 ${q.position} 位${wait ? `，预计等待${wait}` : ""}` : "正在为您接通人工客服…")
      : null,
  );
}
