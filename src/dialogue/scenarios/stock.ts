/** 库存: whether a product (in a given colour/size) is in stock, and what else is. */
import { productCard } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";
import { availableValues, matchVariantValue } from "../slots.js";

export const stock = defineForm({
  name: "stock",
  intent: "stock",
  whileWaiting: true,
  title: "查询库存",
  slots: [{ name: "product", kind: "product", prompt: "您想查哪款商品的库存？发名称或型号给我。" }],
  followUp: {
    after: ["stock", "product_info", "size_advice", "product_page"],
    // 那L呢 / 黑色的有吗 / 还有货吗
    when: (turn) => (turn.nlu?.entities ?? []).some((e) => e.type === "color" || e.type === "size") || /有货|没货|有没有|还有吗|库存|现货/.test(turn.text),
  },
  async action(turn, slots) {
    const product = (await turn.shop.product(String(slots.product)))!;
    // A follow-up (卫衣烟灰色M码有没有 → 那L呢) keeps what it does not change.
    const earlier = turn.state.lastAction === "stock" && turn.state.memory.product === product.id ? turn.state.memory : {};
    const said = { color: earlier.color, size: earlier.size, ...definedOnly(turn.state.forms.at(-1)?.said ?? {}) };
    const color = said.color !== undefined ? matchVariantValue(product, "color", String(said.color)) : null;
    const size = said.size !== undefined ? matchVariantValue(product, "size", String(said.size)) : null;
    const wanted = product.variants.filter((v) => (!color || v.color === color) && (!size || v.size === size));
    const label = [color, size].filter(Boolean).join(" ");
    let answer: string;
    if ((said.color !== undefined && !color) || (said.size !== undefined && !size) || wanted.length === 0) {
      answer = `${product.name}没有${[said.color, said.size].filter((v) => v !== undefined).join(" ")}这个款式。`;
    } else if (label) {
      const n = wanted.reduce((s, v) => s + v.stock, 0);
      answer = n > 0 ? `${product.name} ${label}有货，现在下单就能按时发货。` : `${product.name} ${label}暂时没货了，补货后商品页会提示“到货通知”。`;
    } else if (product.stock === 0) {
      answer = `${product.name}暂时全部售罄了，可以在商品页点“到货通知”，补货后第一时间提醒您。`;
    } else {
      answer = `${product.name}有货。`;
    }
    const outOfStock = product.variants.filter((v) => v.stock === 0 && (v.color || v.size)).map((v) => [v.color, v.size].filter(Boolean).join("/"));
    const colors = availableValues(product, "color");
    const sizes = availableValues(product, "size");
    const extra = [
      colors.length ? `有货颜色：${colors.join("、")}` : "",
      sizes.length ? `有货尺码：${sizes.join("、")}` : "",
      outOfStock.length && outOfStock.length <= 8 ? `暂时缺货：${outOfStock.join("、")}` : "",
    ].filter(Boolean);
    return {
      replies: [text(extra.length ? `${answer}${extra.join("；")}。` : answer), { type: "product_card", product: productCard(product) }],
      result: { productId: product.id, color, size, inStock: wanted.some((v) => v.stock > 0) },
    };
  },
});

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
