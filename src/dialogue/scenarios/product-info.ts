/** 商品信息: facts by product name or model code; a specific question (材质, 功率, 多重) gets that spec. */
import type { ProductDetail } from "../../shop/products.js";
import { productCard, yuan } from "../format.js";
import { defineForm } from "../forms.js";
import { text } from "../replies.js";

/** Words shoppers use for a spec, mapped to words that appear in the catalogue's spec names. */
const SPEC_WORDS: [RegExp, string[]][] = [
  [/材质|面料|成分|什么做的|什么料|材料/, ["材质", "面料", "成分", "内胆", "鞋面", "鞋底", "填充"]],
  [/功率|多少瓦|耗电|费电/, ["功率"]],
  [/容量|多大|几升|装多少/, ["容量"]],
  [/尺寸|多大|长宽|大小|多长|多宽|多高/, ["尺寸", "屏幕"]],
  [/重量|多重|几斤|多少克|轻不轻|重不重/, ["重量", "净含量", "规格"]],
  [/电池|续航|待机|充一次/, ["电池", "续航"]],
  [/防水/, ["防水"]],
  [/产地|哪里产|哪产的|原产/, ["产地"]],
  [/保质期|放多久|能放/, ["保质期", "储存"]],
  [/适合|肤质|人群/, ["适用", "适合"]],
  [/飞机|登机|托运|安检|高铁/, ["登机"]],
];

const PRICE = /多少钱|价格|价钱|贵|便宜|几块|啥价/;
const WARRANTY = /保修|质保|包修|保多久/;
/** Asking how long the warranty is, as opposed to asking for a repair. */
const WARRANTY_LENGTH = /(保修|质保|包修|保)(期)?(多久|多长|几年|几个月|多少年|是多久)|保几年/;

/** The message is just a product's name or model code (破壁机, AF-333): the shopper wants to hear about it. */
function isBareProductName(turn: { text: string; nlu: { entities: { type: string; text: string }[] } | null }): boolean {
  const named = turn.nlu?.entities.find((e) => e.type === "product" || e.type === "model_code");
  if (!named) return false;
  const rest = turn.text.replace(named.text, "").replace(/[\s,.!?，。！？~]|这个|那个|这款|那款|你们|有|吗|呢|的/g, "");
  return rest.length === 0;
}

/** The specs a question asks about, or null when it asks in general. */
export function askedSpecs(question: string, product: ProductDetail): [string, string][] | null {
  const keys = new Set<string>();
  for (const [pattern, words] of SPEC_WORDS) {
    if (!pattern.test(question)) continue;
    for (const key of Object.keys(product.specs)) if (words.some((w) => key.includes(w))) keys.add(key);
  }
  for (const key of Object.keys(product.specs)) if (question.includes(key.toLowerCase())) keys.add(key);
  return keys.size ? [...keys].map((k) => [k, product.specs[k]!]) : null;
}

export const productInfo = defineForm({
  name: "product_info",
  intent: "product_info",
  whileWaiting: true,
  title: "了解商品",
  slots: [{ name: "product", kind: "product", prompt: "您想了解哪款商品？发商品名称或型号给我就行，例如 AF-333。" }],
  followUp: {
    after: "any",
    when: (turn) => {
      const asksFacts = SPEC_WORDS.some(([pattern]) => pattern.test(turn.text)) || PRICE.test(turn.text) || WARRANTY.test(turn.text);
      const aboutProduct = ["product_info", "stock", "product_usage", "size_advice", "product_page"].includes(turn.state.lastAction ?? "");
      return (asksFacts && aboutProduct) || isBareProductName(turn);
    },
    overrides: (turn) => WARRANTY_LENGTH.test(turn.text),
  },
  async action(turn, slots) {
    const product = (await turn.shop.product(String(slots.product)))!;
    const asked = askedSpecs(turn.text, product);
    const price = PRICE.test(turn.text);
    const warranty = WARRANTY.test(turn.text);
    const parts: string[] = [];
    if (asked) parts.push(asked.map(([k, v]) => `${k}：${v}`).join("；") + "。");
    if (price) parts.push(`现在售价 ${yuan(product.priceFen)}。`);
    if (warranty) parts.push(product.warrantyMonths > 0 ? `整机保修 ${product.warrantyMonths} 个月。` : "这款商品不提供保修服务。");
    const lead = parts.length ? `${product.name}：${parts.join("")}` : `${product.name}，售价 ${yuan(product.priceFen)}，主要参数如下：`;
    return {
      replies: [text(lead), { type: "product_card", product: productCard(product) }],
      result: { productId: product.id, specs: asked?.map(([k]) => k) ?? [] },
    };
  },
});
