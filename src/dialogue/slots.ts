/**
 * Filling slots by type: from the shopper's message, from the conversation's context, and by
 * asking. The engine calls these; scenarios only declare which type each slot is.
 */
import type { OrderBrief } from "../shop/orders.js";
import type { ProductDetail } from "../shop/products.js";
import { itemLabel, orderSummary } from "./format.js";
import type { ChoiceSlot, ItemSlot, NumberSlot, OrderSlot, ProductSlot, SlotSpec, Slots, TextSlot, Turn, VariantSlot } from "./forms.js";
import { payload, quickReplies, text, type Reply } from "./replies.js";
import { MAX_VERIFICATION_FAILURES, type DialogueEvent, type SlotValue } from "./state.js";
import { isCorrection, ordinal, phoneDigits } from "./understand.js";

/** What trying to fill a slot gave. */
export type Fill =
  | { kind: "value"; value: SlotValue; events?: DialogueEvent[]; also?: Record<string, SlotValue> }
  /** Unusable answer: say why; `end` drops the form (the order can never qualify). */
  | { kind: "reject"; reason: string; end?: boolean; events?: DialogueEvent[]; replies?: Reply[] }
  /** The resolver asked a follow-up itself (phone digits, a narrower list). */
  | { kind: "asked"; replies: Reply[]; events: DialogueEvent[] }
  | { kind: "none" };

const NONE: Fill = { kind: "none" };
const OPEN_STATUSES: readonly string[] = ["unpaid", "paid", "shipped", "return_requested", "refunding"];
const MAX_LISTED_ORDERS = 8;

export interface FillOptions {
  /** The bot asked for this slot in its last turn, so bare answers (第二个, 5288) count. */
  asked: boolean;
}

export async function fillFromMessage(slot: SlotSpec, turn: Turn, slots: Slots, options: FillOptions): Promise<Fill> {
  switch (slot.kind) {
    case "order":
      return orderFromMessage(slot, turn, options);
    case "item":
      return itemFromMessage(slot, turn, slots, options);
    case "product":
      return productFromMessage(slot, turn, options);
    case "color":
    case "size":
      return variantFromMessage(slot, turn, slots);
    case "number":
      return numberFromMessage(slot, turn, options);
    case "choice":
      return choiceFromMessage(slot, turn, options);
    case "text":
      return options.asked ? textFromMessage(slot, turn) : NONE;
  }
}

export async function fillFromContext(slot: SlotSpec, turn: Turn, slots: Slots): Promise<Fill> {
  switch (slot.kind) {
    case "order":
      return orderFromContext(slot, turn);
    case "item": {
      const order = await orderOf(turn, slots);
      if (!order) return NONE;
      if (order.items.length === 1) return checkItem(slot, order.items[0]!, order, turn);
      return NONE;
    }
    case "product": {
      // The product talked about last, then the page the shopper is on, then the item of the order.
      const candidates = [turn.state.memory.product, turn.state.context.productId, await productOfItem(turn, slots)];
      for (const id of candidates) {
        if (typeof id !== "string") continue;
        const product = await turn.shop.product(id);
        if (product && !slot.check?.(product)) return { kind: "value", value: product.id, also: slot.derive?.(product) };
      }
      return NONE;
    }
    case "number": {
      const remembered = slot.entity ? turn.state.memory[slot.entity] : undefined;
      return typeof remembered === "number" && inRange(slot, remembered) ? { kind: "value", value: remembered } : NONE;
    }
    case "color":
    case "size": {
      // Said earlier in this form, before the product was known: 换个L码的 → which order → which item.
      const said = turn.state.forms.at(-1)?.said[slot.kind];
      const product = said === undefined ? null : await productOf(turn, slots);
      const value = product ? matchVariantValue(product, slot.kind, String(said)) : null;
      return value ? { kind: "value", value } : NONE;
    }
    default:
      return NONE;
  }
}

/** The question for a slot, with the buttons or list that make answering easy. */
export async function ask(slot: SlotSpec, turn: Turn, slots: Slots): Promise<{ replies: Reply[]; events: DialogueEvent[]; unavailable?: boolean }> {
  const prompt = typeof slot.prompt === "function" ? await slot.prompt(turn, slots) : slot.prompt;
  const requested: DialogueEvent = { type: "SlotRequested", slot: slot.name };
  switch (slot.kind) {
    case "order": {
      if (!turn.state.customerId) {
        if (turn.state.pendingVerification) return { replies: [text(PHONE_PROMPT)], events: [requested] };
        return { replies: [text(ANONYMOUS_ORDER_PROMPT)], events: [requested] };
      }
      const eligible = eligibleOrders(slot, await turn.shop.orders(), turn).slice(0, MAX_LISTED_ORDERS);
      if (eligible.length === 0) return { replies: [text(slot.none)], events: [], unavailable: true };
      return {
        replies: [{ type: "order_list", text: prompt, orders: eligible.map(orderSummary) }],
        events: [requested, { type: "ChoicesOffered", slot: slot.name, values: eligible.map((o) => o.id) }],
      };
    }
    case "item": {
      const order = await orderOf(turn, slots);
      const items = order?.items ?? [];
      return {
        replies: [quickReplies(items.map((i) => ({ label: itemLabel(i), payload: payload("select", { item: i.id }) })), prompt)],
        events: [requested, { type: "ChoicesOffered", slot: slot.name, values: items.map((i) => String(i.id)) }],
      };
    }
    case "product": {
      if (slot.offerPurchased && turn.state.customerId) {
        const bought = purchasedProducts(await turn.shop.orders()).slice(0, 6);
        if (bought.length > 0) {
          return {
            replies: [quickReplies(bought.map((p) => ({ label: p.name, payload: payload("select", { product: p.productId }) })), prompt)],
            events: [requested, { type: "ChoicesOffered", slot: slot.name, values: bought.map((p) => p.productId) }],
          };
        }
      }
      return { replies: [text(prompt)], events: [requested] };
    }
    case "color":
    case "size": {
      const product = await productOf(turn, slots);
      const values = product ? availableValues(product, slot.kind, await itemOf(turn, slots)) : [];
      if (values.length === 0) return { replies: [text(prompt)], events: [requested] };
      return {
        replies: [quickReplies(values.map((v) => ({ label: v, payload: payload("select", { value: v }) })), prompt)],
        events: [requested, { type: "ChoicesOffered", slot: slot.name, values }],
      };
    }
    case "choice":
      return {
        replies: [quickReplies(slot.options.map((o) => ({ label: o.label, payload: payload("select", { value: o.value }) })), prompt)],
        events: [requested, { type: "ChoicesOffered", slot: slot.name, values: slot.options.map((o) => o.value) }],
      };
    default:
      return { replies: [text(prompt)], events: [requested] };
  }
}

export interface Correction {
  slot: string;
  value: SlotValue;
  /** Why the corrected value cannot be used, when it cannot. */
  rejected?: string;
}

/**
 * Entities in a message that change slots already filled: 不对，是黑色的 / 换成XL.
 * Only colour, size and numbers; orders and products are changed by choosing again.
 */
export async function corrections(specs: SlotSpec[], turn: Turn, slots: Slots): Promise<Correction[]> {
  const out: Correction[] = [];
  const explicit = isCorrection(turn.text);
  for (const spec of specs) {
    if (!(spec.name in slots)) continue;
    if (spec.kind !== "color" && spec.kind !== "size" && spec.kind !== "number") continue;
    if (spec.kind === "number" && !explicit) continue;
    const fill = await fillFromMessage(spec, turn, slots, { asked: false });
    // 不对，是黑色的 when there is no black: say so rather than read 不对 as "no".
    if (fill.kind === "reject" && explicit) out.push({ slot: spec.name, value: slots[spec.name]!, rejected: fill.reason });
    if (fill.kind !== "value" || fill.value === slots[spec.name]) continue;
    const refusal = await spec.validate?.(fill.value, turn, slots);
    const reason = typeof refusal === "string" ? refusal : refusal?.reason;
    out.push(reason ? { slot: spec.name, value: fill.value, rejected: reason } : { slot: spec.name, value: fill.value });
  }
  return out;
}

// ───────────────────────── orders ─────────────────────────

export const ANONYMOUS_ORDER_PROMPT = "麻烦把订单号发给我（16位数字，在订单详情页可以复制）。如果您已登录商城，从“我的订单”进入客服会更方便。";
const PHONE_PROMPT = "为了保护您的隐私，请再告诉我这个订单收货手机号的后四位。";

/** The orders a list offers for this slot: in its statuses and passing its check. */
export function eligibleOrders(slot: OrderSlot, orders: OrderBrief[], turn: Turn): OrderBrief[] {
  return orders.filter((o) => (!slot.statuses || slot.statuses.includes(o.status)) && !slot.check?.(o, turn));
}

function checkOrder(slot: OrderSlot, order: OrderBrief, turn: Turn): Fill {
  const reason = slot.check?.(order, turn);
  if (reason) return { kind: "reject", reason, end: true };
  if (slot.statuses && !slot.statuses.includes(order.status)) {
    return { kind: "reject", reason: `订单 ${order.id} 目前的状态是“${statusWord(order)}”，这一项暂时办理不了。`, end: true };
  }
  return { kind: "value", value: order.id };
}

function statusWord(order: OrderBrief): string {
  return orderSummary(order).statusText;
}

async function explicitOrder(slot: OrderSlot, turn: Turn, id: string): Promise<Fill> {
  const order = await turn.shop.order(id);
  if (order) return checkOrder(slot, order, turn);
  if (turn.state.customerId) {
    return { kind: "reject", reason: `在您的账户里没有找到订单 ${id}，麻烦核对一下订单号，或者从下面的订单里选一个。` };
  }
  if (turn.state.verificationFailures >= MAX_VERIFICATION_FAILURES) {
    return { kind: "reject", reason: "订单信息核对失败次数较多，为了账户安全，请登录后再查询，或者让人工客服帮您处理。", end: true };
  }
  return {
    kind: "asked",
    replies: [text(PHONE_PROMPT)],
    events: [{ type: "VerificationRequested", orderId: id }, { type: "SlotRequested", slot: slot.name }],
  };
}

async function orderFromMessage(slot: OrderSlot, turn: Turn, options: FillOptions): Promise<Fill> {
  const fromPayload = turn.payload?.args.order;
  if (fromPayload) return explicitOrder(slot, turn, fromPayload);
  const number = turn.nlu?.entities.find((e) => e.type === "order_number");
  if (number) return explicitOrder(slot, turn, String(number.value));

  const pending = turn.state.pendingVerification;
  if (options.asked && !turn.state.customerId && pending) {
    const digits = phoneDigits(turn.text);
    if (!digits) return NONE;
    const verified = await turn.shop.verify(pending, digits);
    if (!verified) {
      const failures = turn.state.verificationFailures + 1;
      const end = failures >= MAX_VERIFICATION_FAILURES;
      return {
        kind: "reject",
        reason: end
          ? "订单号或手机号后四位还是对不上。为了账户安全，请登录后再查询，或者让人工客服帮您核实。"
          : "订单号或手机号后四位对不上。麻烦再核对一下手机号后四位，订单号记错了的话直接发新的订单号给我。",
        end,
        events: [{ type: "VerificationFailed" }],
      };
    }
    const checked = checkOrder(slot, verified, turn);
    const proof: DialogueEvent = { type: "OrderVerified", orderId: verified.id };
    return checked.kind === "value" || checked.kind === "reject" ? { ...checked, events: [proof] } : checked;
  }

  const offered = options.asked && turn.state.offered?.slot === slot.name ? turn.state.offered.values : null;
  if (offered) {
    const index = ordinal(turn.text, offered.length);
    if (index !== null) return explicitOrder(slot, turn, offered[index]!);
  }
  if (!turn.state.customerId) return NONE;
  // 那个耳机的订单 / 手机那个 / 我买的键盘什么时候发货: the orders holding what the shopper names.
  const pool = offered
    ? (await turn.shop.orders()).filter((o) => offered.includes(o.id))
    : eligibleOrders(slot, await turn.shop.orders(), turn);
  const orders = ordersNaming(turn, pool);
  if (orders === null) return NONE;
  if (orders.length === 1) return explicitOrder(slot, turn, orders[0]!.id);
  if (orders.length > 1 && orders.length < pool.length) {
    return {
      kind: "asked",
      replies: [{ type: "order_list", text: "这几单里都有，是哪一单呢？", orders: orders.map(orderSummary) }],
      events: [{ type: "SlotRequested", slot: slot.name }, { type: "ChoicesOffered", slot: slot.name, values: orders.map((o) => o.id) }],
    };
  }
  return NONE;
}

/** Words that never name goods, whatever the item names contain. */
const NOT_GOODS = new Set(["订单", "这个", "那个", "一下", "什么", "时候", "怎么", "快递", "物流", "发货", "退货", "退款", "地址", "商品", "东西", "帮我", "我的", "买的", "一个", "这单", "那单", "取消", "修改", "发票", "还是"]);

/**
 * Orders among `pool` holding a product the message names (an entity) or whose item names contain
 * a word of it (手机, 键盘, 牛仔裤). Null when the message names no goods at all.
 */
function ordersNaming(turn: Turn, pool: OrderBrief[]): OrderBrief[] | null {
  const named = pool.filter((o) => (itemsNaming(turn, o.items)?.length ?? 0) > 0);
  return named.length > 0 || mentionsGoods(turn) ? named : null;
}

const goodsWords = (turn: Turn) => (turn.nlu?.tokens ?? []).filter((w) => /^\p{Script=Han}{2,}$/u.test(w) && !NOT_GOODS.has(w));
const mentionedProducts = (turn: Turn) => new Set(turn.nlu?.entities.filter((e) => e.type === "product").map((e) => String(e.value)));
const mentionsGoods = (turn: Turn) => mentionedProducts(turn).size > 0;

/** The items a message names: by a product entity, else by a word of the item's name (手机, 那個手機). */
function itemsNaming<T extends { productId: string; name: string }>(turn: Turn, items: T[]): T[] | null {
  const productIds = mentionedProducts(turn);
  if (productIds.size > 0) return items.filter((i) => productIds.has(i.productId));
  const words = goodsWords(turn);
  if (words.length === 0) return null;
  const hits = items.filter((i) => words.some((w) => i.name.includes(w)));
  return hits.length > 0 ? hits : null;
}

async function orderFromContext(slot: OrderSlot, turn: Turn): Promise<Fill> {
  const orders = await turn.shop.orders();
  for (const id of [turn.state.focusOrder, turn.state.context.orderId]) {
    const order = id ? orders.find((o) => o.id === id) : undefined;
    if (order && (!slot.statuses || slot.statuses.includes(order.status)) && !slot.check?.(order, turn)) {
      return { kind: "value", value: order.id };
    }
  }
  const eligible = eligibleOrders(slot, orders, turn);
  if (eligible.length === 1) return { kind: "value", value: eligible[0]!.id };
  if (slot.preferOpen) {
    const open = eligible.filter((o) => OPEN_STATUSES.includes(o.status));
    if (open.length === 1) return { kind: "value", value: open[0]!.id };
  }
  return NONE;
}

async function orderOf(turn: Turn, slots: Slots): Promise<OrderBrief | null> {
  return typeof slots.order === "string" ? turn.shop.order(slots.order) : null;
}

// ───────────────────────── items and products ─────────────────────────

function checkItem(slot: ItemSlot, item: OrderBrief["items"][number], order: OrderBrief, turn: Turn): Fill {
  const reason = slot.check?.(item, order, turn);
  return reason ? { kind: "reject", reason } : { kind: "value", value: item.id };
}

async function itemFromMessage(slot: ItemSlot, turn: Turn, slots: Slots, options: FillOptions): Promise<Fill> {
  const order = await orderOf(turn, slots);
  if (!order) return NONE;
  const byId = (id: string | number | undefined) => order.items.find((i) => String(i.id) === String(id));
  const fromPayload = byId(turn.payload?.args.item);
  if (fromPayload) return checkItem(slot, fromPayload, order, turn);
  const matching = itemsNaming(turn, order.items);
  if (matching?.length === 1) return checkItem(slot, matching[0]!, order, turn);
  if (options.asked && turn.state.offered?.slot === slot.name) {
    const index = ordinal(turn.text, turn.state.offered.values.length);
    const item = index === null ? undefined : byId(turn.state.offered.values[index]);
    if (item) return checkItem(slot, item, order, turn);
  }
  return NONE;
}

async function productOfItem(turn: Turn, slots: Slots): Promise<string | null> {
  const order = await orderOf(turn, slots);
  const item = order?.items.find((i) => String(i.id) === String(slots.item));
  return item?.productId ?? null;
}

async function productOf(turn: Turn, slots: Slots): Promise<ProductDetail | null> {
  const id = typeof slots.product === "string" ? slots.product : await productOfItem(turn, slots);
  return id ? turn.shop.product(id) : null;
}

async function productFromMessage(slot: ProductSlot, turn: Turn, options: FillOptions): Promise<Fill> {
  const entities = turn.nlu?.entities ?? [];
  const id =
    turn.payload?.args.product ??
    entities.find((e) => e.type === "product")?.value ??
    (options.asked && turn.state.offered?.slot === slot.name
      ? turn.state.offered.values[ordinal(turn.text, turn.state.offered.values.length) ?? -1]
      : undefined);
  if (id !== undefined) {
    const product = await turn.shop.product(String(id));
    if (!product) return NONE;
    const reason = slot.check?.(product);
    return reason ? { kind: "reject", reason } : { kind: "value", value: product.id, also: slot.derive?.(product) };
  }
  const code = entities.find((e) => e.type === "model_code");
  if (code) {
    return { kind: "reject", reason: `没有找到型号为 ${code.value} 的商品，麻烦核对一下型号（一般印在机身底部的铭牌或包装盒上），或者直接发商品名称给我。` };
  }
  return NONE;
}

function purchasedProducts(orders: OrderBrief[]): { productId: string; name: string }[] {
  const seen = new Map<string, string>();
  for (const o of orders) for (const i of o.items) if (!seen.has(i.productId)) seen.set(i.productId, i.name);
  return [...seen].map(([productId, name]) => ({ productId, name }));
}

// ───────────────────────── colours, sizes, numbers, choices, text ─────────────────────────

/**
 * Distinct colours or sizes of a product that are in stock, in catalogue order; with `keep`, only
 * in the item's other attribute (the sizes in stock in 米白 when exchanging a 米白 jacket).
 */
export function availableValues(product: ProductDetail, kind: "color" | "size", keep?: { color: string | null; size: string | null }): string[] {
  const other = kind === "color" ? "size" : "color";
  const values = product.variants
    .filter((v) => v.stock > 0 && (!keep?.[other] || v[other] === keep[other]))
    .map((v) => v[kind])
    .filter((v): v is string => !!v);
  return [...new Set(values)];
}

async function itemOf(turn: Turn, slots: Slots) {
  const order = await orderOf(turn, slots);
  return order?.items.find((i) => String(i.id) === String(slots.item)) ?? undefined;
}

/** Maps what the shopper said (黑, 黑色, l码) to the product's own colour or size name. */
export function matchVariantValue(product: ProductDetail, kind: "color" | "size", said: string): string | null {
  const all = [...new Set(product.variants.map((v) => v[kind]).filter((v): v is string => !!v))];
  const s = said.toLowerCase();
  const exact = all.find((v) => v.toLowerCase() === s);
  if (exact) return exact;
  if (kind === "size") return null;
  const base = s.replace(/色$/, "");
  return all.find((v) => v.includes(base)) ?? null;
}

/** A size or colour name of the product written in the text without the NLU tagging it (改成m吧, 要燕麦色). */
function variantNameIn(product: ProductDetail, kind: "color" | "size", text: string): string | undefined {
  const names = [...new Set(product.variants.map((v) => v[kind]).filter((v): v is string => !!v))].sort((a, b) => b.length - a.length);
  const t = text.toLowerCase();
  return names.find((name) => {
    const n = name.toLowerCase();
    if (/^[a-z0-9+#]+$/.test(n)) return new RegExp(`(^|[^a-z0-9])${n.replace(/[+#]/g, "\\$&")}($|[^a-z0-9])`).test(t);
    return n.length >= 2 && t.includes(n);
  });
}

async function variantFromMessage(slot: VariantSlot, turn: Turn, slots: Slots): Promise<Fill> {
  const product = await productOf(turn, slots);
  if (!product) return NONE;
  // The last one said wins: 米白太容易脏了，换军绿吧.
  const said = turn.payload?.args.value ?? turn.nlu?.entities.findLast((e) => e.type === slot.kind)?.value ?? variantNameIn(product, slot.kind, turn.text);
  if (said === undefined) return NONE;
  const value = matchVariantValue(product, slot.kind, String(said));
  if (!value) {
    const options = availableValues(product, slot.kind, await itemOf(turn, slots));
    const word = slot.kind === "color" ? "颜色" : "尺码";
    return { kind: "reject", reason: `这款没有${String(said)}${slot.kind === "size" ? "码" : ""}哦，目前有货的${word}是：${options.join("、") || "暂无"}。` };
  }
  return { kind: "value", value };
}

function inRange(slot: NumberSlot, n: number): boolean {
  return n >= slot.range[0] && n <= slot.range[1];
}

function numberFromMessage(slot: NumberSlot, turn: Turn, options: FillOptions): Fill {
  const entity = slot.entity ? turn.nlu?.entities.find((e) => e.type === slot.entity) : undefined;
  let value = typeof entity?.value === "number" ? entity.value : (slot.extract?.(turn.text) ?? null);
  if (value === null && options.asked) {
    // A lone number answering the question: "180", "大概65".
    const numbers = turn.text.match(/\d+(?:\.\d+)?/g);
    if (numbers?.length === 1 && [...turn.text].length <= 12) value = Number(numbers[0]);
  }
  if (value === null) return NONE;
  return inRange(slot, value) ? { kind: "value", value } : { kind: "reject", reason: slot.invalid };
}

function choiceFromMessage(slot: ChoiceSlot, turn: Turn, options: FillOptions): Fill {
  const fromPayload = turn.payload?.args.value;
  if (fromPayload !== undefined) {
    return slot.options.some((o) => o.value === fromPayload) ? { kind: "value", value: fromPayload } : NONE;
  }
  const t = turn.text.toLowerCase();
  const hit = slot.options.find((o) => o.keywords.some((k) => t.includes(k)) || t === o.label.toLowerCase());
  if (hit) return { kind: "value", value: hit.value };
  if (options.asked) {
    const index = ordinal(turn.text, slot.options.length);
    if (index !== null) return { kind: "value", value: slot.options[index]!.value };
  }
  return NONE;
}

function textFromMessage(slot: TextSlot, turn: Turn): Fill {
  if (turn.payload) return NONE;
  const value = slot.extract ? slot.extract(turn.text) : turn.text.trim();
  return value ? { kind: "value", value } : NONE;
}
