/**
 * The demo shop front for 小满优选 (`/`, `/products/:id`) with the widget on it, and the page that
 * says how to embed the widget when the demo is off. Pure rendering: the route reads the data.
 */
import type { SafeHtml } from "./html.js";
import { html, page } from "./html.js";

export interface ShopProduct {
  id: string;
  name: string;
  brand: string;
  category: string;
  priceFen: number;
  imageUrl: string;
  stock: number;
  specs: Record<string, string>;
  usageNotes: string;
  variants: { sku: string; color: string | null; size: string | null; stock: number }[];
}

export interface DemoCustomer {
  id: string;
  name: string;
  vipLevel: number;
  city: string;
}

/** Who the visitor plays: a demo customer with their signed token, or nobody. */
export interface Visitor {
  customer: DemoCustomer | null;
  token: string | null;
}

const CATEGORY_ZH: Record<string, string> = {
  small_appliance: "小家电",
  phone: "手机",
  digital: "数码",
  clothing: "服饰",
  shoes: "鞋靴",
  fresh: "生鲜",
  cosmetics: "美妆",
  home: "家居",
};

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const category = (c: string) => CATEGORY_ZH[c] ?? c;
const withVisitor = (path: string, v: Visitor) => (v.customer ? `${path}?customer=${encodeURIComponent(v.customer.id)}` : path);

/** The one tag a shop adds; the demo fills in the signed-in customer. */
function widgetTag(v: Visitor, extra: { productId?: string; page: string }): SafeHtml {
  return html`<script src="/widget.js" data-channel="web" data-page="${extra.page}"${v.customer && v.token ? html` data-customer-id="${v.customer.id}" data-customer-token="${v.token}"` : ""}${extra.productId ? html` data-product-id="${extra.productId}"` : ""}></script>`;
}

function header(v: Visitor, customers: DemoCustomer[], here: string): SafeHtml {
  return html`<header class="top">
  <a class="logo" href="${withVisitor("/", v)}">小满优选</a>
  <form class="visitor" method="get" action="${here}">
    <label for="customer">演示顾客</label>
    <select id="customer" name="customer">
      <option value="">游客（未登录）</option>
      ${customers.map((c) => html`<option value="${c.id}"${v.customer?.id === c.id ? html` selected` : ""}>${c.id} ${c.name}（${c.city}${c.vipLevel ? ` · VIP${c.vipLevel}` : ""}）</option>`)}
    </select>
    <button type="submit">切换</button>
  </form>
</header>
<p class="demo-note">这是演示商店：选一位演示顾客后，右下角的客服就以他的身份登录（令牌由服务器用 KEFU_IDENTITY_SECRET 签名）。${v.customer ? html`当前顾客：<strong>${v.customer.name}</strong>。` : "当前是未登录的游客。"}</p>`;
}

const footer = html`<footer class="foot"><a href="/agent">客服工作台</a> · <a href="/docs">API 文档</a></footer>`;

export function shopPage(products: ShopProduct[], customers: DemoCustomer[], v: Visitor): string {
  const body = html`${header(v, customers, "/")}
<main>
  <h1>小满优选 · 今日好物</h1>
  <ul class="grid">
    ${products.map(
      (p) => html`<li class="product">
      <a href="${withVisitor(`/products/${p.id}`, v)}">
        <img src="${p.imageUrl}" alt="" width="200" height="200" loading="lazy">
        <span class="cat">${category(p.category)}</span>
        <span class="name">${p.name}</span>
        <span class="price">${yuan(p.priceFen)}</span>
        ${p.stock > 0 ? "" : html`<span class="out">暂时缺货</span>`}
      </a>
    </li>`,
    )}
  </ul>
</main>
${footer}`;
  return page("小满优选 · 演示商店", body, { styles: ["/shop.css"], scripts: widgetTag(v, { page: "/" }) });
}

export function productPage(p: ShopProduct, customers: DemoCustomer[], v: Visitor): string {
  const path = `/products/${p.id}`;
  const specs = Object.entries(p.specs);
  const body = html`${header(v, customers, path)}
<main class="detail">
  <p class="crumbs"><a href="${withVisitor("/", v)}">首页</a> › ${category(p.category)}</p>
  <div class="detail-grid">
    <img src="${p.imageUrl}" alt="${p.name}" width="400" height="400">
    <section>
      <h1>${p.name}</h1>
      <p class="brand">${p.brand}</p>
      <p class="price big">${yuan(p.priceFen)}</p>
      <p class="${p.stock > 0 ? "in" : "out"}">${p.stock > 0 ? `有货（库存 ${p.stock}）` : "暂时缺货"}</p>
      ${
        p.variants.some((x) => x.color || x.size)
          ? html`<table class="variants"><caption>规格与库存</caption><thead><tr><th scope="col">颜色</th><th scope="col">尺码/规格</th><th scope="col">库存</th></tr></thead><tbody>
        ${p.variants.map((x) => html`<tr><td>${x.color ?? "—"}</td><td>${x.size ?? "—"}</td><td>${x.stock > 0 ? x.stock : "缺货"}</td></tr>`)}
      </tbody></table>`
          : ""
      }
      ${specs.length ? html`<h2>参数</h2><dl class="specs">${specs.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl>` : ""}
      ${p.usageNotes ? html`<h2>使用说明</h2><p class="usage">${p.usageNotes}</p>` : ""}
      <p class="ask">有问题？点右下角的「客服」，它知道您在看这件商品。</p>
    </section>
  </div>
</main>
${footer}`;
  return page(`${p.name} · 小满优选`, body, { styles: ["/shop.css"], scripts: widgetTag(v, { productId: p.id, page: path }) });
}

export function notFoundPage(): string {
  return page("没有这件商品 · 小满优选", html`<main class="detail"><h1>没有这件商品</h1><p><a href="/">回到首页</a></p></main>`, { styles: ["/shop.css"] });
}

/** `/` when the demo is off (production): how a shop embeds the widget. */
export function embedPage(origin: string): string {
  const tag = `<script src="${origin}/widget.js"\n        data-customer-id="顾客 id"\n        data-customer-token="hex(HMAC-SHA256(KEFU_IDENTITY_SECRET, 顾客 id))"\n        data-channel="web"></script>`;
  const body = html`<main class="detail">
  <h1>kefu 客服</h1>
  <p>在商店的页面里加上这一行，右下角就会出现客服窗口：</p>
  <pre><code>${tag}</code></pre>
  <p>顾客令牌由商店后端用与 kefu 共享的 <code>KEFU_IDENTITY_SECRET</code> 计算，顾客 id 不要在浏览器里签名。可选属性：<code>data-product-id</code>（商品页）、<code>data-page</code>、<code>data-title</code>。未登录的访客不写 <code>data-customer-*</code> 即可。</p>
  <p><a href="/agent">客服工作台</a> · <a href="/docs">API 文档</a></p>
</main>`;
  return page("kefu 客服 · 接入说明", body, { styles: ["/shop.css"] });
}
