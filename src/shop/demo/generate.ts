/**
 * Builds the demo shop's rows from the hand-written catalogue and customers.
 * Pure and deterministic: the same seed and anchor time always give the same data.
 */
import type { OrderStatus, PaymentMethod, PostalAddress, RefundStatus, ShipmentStatus } from "../../db/schema.js";
import { mulberry32 } from "../../shared/random.js";
import { productAliases } from "./aliases.js";
import { catalog } from "./catalog.js";
import { demoCustomers, type DemoCustomer } from "./customers.js";
import type { DemoProduct } from "./types.js";

/** The moment the demo data is built around (orders are hours to months older than this). */
export const DEMO_NOW = new Date("2026-11-20T12:00:00+08:00");
export const DEMO_SEED = 20261120;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoRows {
  customers: {
    id: string;
    name: string;
    phone: string;
    email: string | null;
    vipLevel: number;
    region: string;
    city: string;
    defaultAddress: PostalAddress;
    createdAt: Date;
  }[];
  products: {
    id: string;
    name: string;
    brand: string;
    category: string;
    modelCodes: string[];
    aliases: string[];
    priceFen: number;
    specs: Record<string, string>;
    usageNotes: string;
    sizeChart: DemoProduct["sizeChart"] | null;
    warrantyMonths: number;
    noReasonReturn: boolean;
    tags: string[];
    imageUrl: string;
  }[];
  variants: { sku: string; productId: string; color: string | null; size: string | null; stock: number }[];
  orders: {
    id: string;
    customerId: string;
    status: OrderStatus;
    itemsFen: number;
    shippingFen: number;
    discountFen: number;
    totalFen: number;
    paymentMethod: PaymentMethod | null;
    address: PostalAddress;
    note: string | null;
    createdAt: Date;
    paidAt: Date | null;
    shippedAt: Date | null;
    deliveredAt: Date | null;
    cancelledAt: Date | null;
    updatedAt: Date;
  }[];
  /** `id` is assigned by the seed in insertion order (1-based), so refunds can point at items. */
  orderItems: {
    id: number;
    orderId: string;
    productId: string;
    sku: string;
    name: string;
    color: string | null;
    size: string | null;
    quantity: number;
    unitPriceFen: number;
  }[];
  shipments: {
    id: number;
    orderId: string;
    carrier: string;
    trackingNumber: string;
    status: ShipmentStatus;
    shippedAt: Date;
    deliveredAt: Date | null;
  }[];
  shipmentEvents: { shipmentId: number; at: Date; location: string; description: string }[];
  refunds: {
    id: string;
    orderId: string;
    orderItemId: number | null;
    kind: "refund_only" | "return_refund";
    status: RefundStatus;
    reason: string;
    amountFen: number;
    returnCarrier: string | null;
    returnTrackingNumber: string | null;
    createdAt: Date;
    updatedAt: Date;
    refundedAt: Date | null;
  }[];
  promotions: {
    id: string;
    title: string;
    kind: "threshold" | "percent";
    category: string | null;
    minSpendFen: number;
    discountFen: number;
    percentOff: number;
    minVipLevel: number;
    startsAt: Date;
    endsAt: Date;
  }[];
  cartItems: { customerId: string; sku: string; quantity: number; addedAt: Date }[];
}

function createRandom(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)] as T;
    },
    digits: (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join(""),
  };
}
type Random = ReturnType<typeof createRandom>;

interface Carrier {
  name: string;
  trackingNumber: (r: Random) => string;
}

const CARRIERS: Carrier[] = [
  { name: "顺丰速运", trackingNumber: (r) => `SF${r.int(1, 9)}${r.digits(12)}` },
  { name: "中通快递", trackingNumber: (r) => `7${r.int(3, 8)}${r.digits(12)}` },
  { name: "圆通速递", trackingNumber: (r) => `YT${r.int(1, 9)}${r.digits(12)}` },
  { name: "京东物流", trackingNumber: (r) => `JDVA${r.digits(11)}` },
  { name: "韵达快递", trackingNumber: (r) => `43${r.digits(13)}` },
];

/** Hub city for a destination province, for the tracking trail. */
const DESTINATION_HUB: Record<string, string> = {
  上海: "上海青浦",
  北京: "北京顺义",
  广东: "深圳宝安",
  四川: "成都双流",
  浙江: "杭州萧山",
  新疆: "乌鲁木齐",
  江苏: "南京江宁",
};

const REMOTE_REGIONS = new Set(["新疆", "西藏"]);

const RETURN_REASONS = [
  "尺码不合适",
  "颜色和图片有色差",
  "七天无理由退货",
  "商品有划痕",
  "不想要了",
  "质量问题：使用两天后无法开机",
  "收到商品与描述不符",
];

const ORDER_NOTES = [null, null, null, null, "请尽快发货，谢谢", "放门口快递柜就行", "周末不在家，工作日送", "送人的礼物，不要放发票"];

/** Per-status age of an order (creation time before DEMO_NOW), in hours. */
const AGE_HOURS: Record<OrderStatus, [number, number]> = {
  unpaid: [1, 20],
  paid: [3, 40],
  shipped: [26, 100],
  delivered: [6 * 24, 120 * 24],
  return_requested: [6 * 24, 14 * 24],
  refunding: [8 * 24, 20 * 24],
  refunded: [15 * 24, 80 * 24],
  cancelled: [2 * 24, 60 * 24],
};

const STATUS_CYCLE: OrderStatus[] = ["delivered", "shipped", "paid", "unpaid", "return_requested", "refunding", "refunded", "cancelled"];
const STATUS_WEIGHTS: [OrderStatus, number][] = [
  ["delivered", 9],
  ["shipped", 2],
  ["paid", 1],
  ["unpaid", 1],
  ["refunded", 1],
  ["cancelled", 1],
];

function weightedStatus(r: Random): OrderStatus {
  const total = STATUS_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [status, w] of STATUS_WEIGHTS) {
    x -= w;
    if (x < 0) return status;
  }
  return "delivered";
}

/** The statuses of one customer's orders, oldest first is not implied; the order ids carry dates. */
function statusesFor(customer: DemoCustomer, r: Random): OrderStatus[] {
  // One customer has exactly one open order, so "the single open order" can be filled from context.
  if (customer.id === "c-1007") return ["shipped", "delivered", "delivered"];
  const out: OrderStatus[] = [];
  for (let i = 0; i < customer.orderCount; i++) {
    out.push(i < STATUS_CYCLE.length ? STATUS_CYCLE[i]! : weightedStatus(r));
  }
  return out;
}

function skuFor(product: DemoProduct, index: number): string {
  const base = (product.modelCodes[0] ?? product.id.replace(/^p-/, "")).toUpperCase().replace(/[^A-Z0-9]+/g, "");
  return `${base}-${String(index + 1).padStart(2, "0")}`;
}

/** The catalogue's product and variant rows, as the seed inserts them. */
export function demoProductRows(): Pick<DemoRows, "products" | "variants"> {
  const products = catalog.map((p) => ({
    id: p.id,
    name: p.name,
    brand: p.brand,
    category: p.category,
    modelCodes: p.modelCodes,
    aliases: productAliases[p.id] ?? [],
    priceFen: p.priceFen,
    specs: p.specs,
    usageNotes: p.usageNotes,
    sizeChart: p.sizeChart ?? null,
    warrantyMonths: p.warrantyMonths,
    noReasonReturn: p.noReasonReturn,
    tags: p.tags,
    imageUrl: `/media/products/${p.id}.svg`,
  }));
  const variants = catalog.flatMap((p) =>
    p.variants.map((v, i) => ({ sku: skuFor(p, i), productId: p.id, color: v.color ?? null, size: v.size ?? null, stock: v.stock })),
  );
  return { products, variants };
}

/** Builds the whole demo shop. */
export function buildDemoShop(seed = DEMO_SEED, now = DEMO_NOW): DemoRows {
  const r = createRandom(seed);
  const { products, variants } = demoProductRows();
  const variantsByProduct = new Map<string, typeof variants>();
  for (const v of variants) variantsByProduct.set(v.productId, [...(variantsByProduct.get(v.productId) ?? []), v]);

  const rows: DemoRows = {
    customers: demoCustomers.map((c) => ({
      id: c.id,
      name: c.name,
      phone: c.phone,
      email: c.email,
      vipLevel: c.vipLevel,
      region: c.region,
      city: c.city,
      defaultAddress: c.address,
      createdAt: new Date(now.getTime() - r.int(200, 900) * DAY),
    })),
    products,
    variants,
    orders: [],
    orderItems: [],
    shipments: [],
    shipmentEvents: [],
    refunds: [],
    promotions: demoPromotions(now),
    cartItems: [],
  };

  const usedOrderIds = new Set<string>();
  let stalledTrailPlaced = false;

  for (const customer of demoCustomers) {
    for (const status of statusesFor(customer, r)) {
      const [minAge, maxAge] = AGE_HOURS[status];
      const createdAt = new Date(now.getTime() - r.int(minAge, maxAge) * HOUR - r.int(0, 59) * 60_000);
      const orderId = uniqueOrderId(createdAt, r, usedOrderIds);

      // 1 to 3 distinct products; fresh food in larger quantities.
      const lineCount = r.next() < 0.6 ? 1 : r.next() < 0.7 ? 2 : 3;
      const chosen = new Set<string>();
      let itemsFen = 0;
      while (chosen.size < lineCount) chosen.add(r.pick(products).id);
      for (const productId of chosen) {
        const product = products.find((p) => p.id === productId)!;
        const variant = r.pick(variantsByProduct.get(productId) ?? []);
        const quantity = product.category === "fresh" ? r.int(1, 3) : r.next() < 0.85 ? 1 : 2;
        itemsFen += quantity * product.priceFen;
        rows.orderItems.push({
          id: rows.orderItems.length + 1,
          orderId,
          productId,
          sku: variant.sku,
          name: product.name,
          color: variant.color,
          size: variant.size,
          quantity,
          unitPriceFen: product.priceFen,
        });
      }
      const shippingFen = itemsFen >= 9900 ? 0 : REMOTE_REGIONS.has(customer.region) ? 2000 : 800;
      const discountFen = itemsFen >= 29900 && r.next() < 0.4 ? r.pick([1000, 2000, 3000, 5000]) : 0;

      const paid = status !== "unpaid" && !(status === "cancelled" && r.next() < 0.6);
      const paidAt = paid ? new Date(createdAt.getTime() + r.int(1, 30) * 60_000) : null;
      const shipsFor: OrderStatus[] = ["shipped", "delivered", "return_requested", "refunding", "refunded"];
      const ships = shipsFor.includes(status) && !(status === "refunded" && r.next() < 0.3);
      const shippedAt = ships && paidAt ? new Date(paidAt.getTime() + r.int(4, 22) * HOUR) : null;
      const delivered = ships && status !== "shipped";
      const transitHours = REMOTE_REGIONS.has(customer.region) ? r.int(80, 120) : r.int(30, 60);
      const deliveredAt = delivered && shippedAt ? new Date(shippedAt.getTime() + transitHours * HOUR) : null;
      const cancelledAt = status === "cancelled" ? new Date(createdAt.getTime() + r.int(1, 30) * HOUR) : null;

      const order: DemoRows["orders"][number] = {
        id: orderId,
        customerId: customer.id,
        status,
        itemsFen,
        shippingFen,
        discountFen,
        totalFen: itemsFen + shippingFen - discountFen,
        paymentMethod: paid ? r.pick(["alipay", "wechat_pay", "bank_card", "huabei"] as const) : null,
        address: customer.address,
        note: r.pick(ORDER_NOTES),
        createdAt,
        paidAt,
        shippedAt,
        deliveredAt,
        cancelledAt,
        updatedAt: createdAt,
      };

      if (shippedAt) {
        const stalled: boolean = status === "shipped" && customer.id === "c-1002" && !stalledTrailPlaced;
        stalledTrailPlaced ||= stalled;
        addShipment(rows, r, order, customer, shippedAt, deliveredAt, now, stalled);
      }
      if (status === "return_requested" || status === "refunding" || status === "refunded") {
        addRefund(rows, r, order, status, now);
      }
      order.updatedAt = latest([order.createdAt, order.paidAt, order.shippedAt, order.deliveredAt, order.cancelledAt]);
      rows.orders.push(order);
    }
  }
  rows.orders.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  rows.cartItems = demoCarts(variants, now);
  return rows;
}

function latest(dates: (Date | null)[]): Date {
  return new Date(Math.max(...dates.filter((d): d is Date => d !== null).map((d) => d.getTime())));
}

/** 16 digits: yyyymmdd of creation (Beijing time) and 8 random digits. */
function uniqueOrderId(createdAt: Date, r: Random, used: Set<string>): string {
  const beijing = new Date(createdAt.getTime() + 8 * HOUR);
  const ymd = beijing.toISOString().slice(0, 10).replace(/-/g, "");
  for (;;) {
    const id = `${ymd}${r.int(1, 9)}${r.digits(7)}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

function addShipment(
  rows: DemoRows,
  r: Random,
  order: DemoRows["orders"][number],
  customer: DemoCustomer,
  shippedAt: Date,
  deliveredAt: Date | null,
  now: Date,
  stalled: boolean,
) {
  const carrier = r.pick(CARRIERS);
  const shipmentId = rows.shipments.length + 1;
  const items = rows.orderItems.filter((i) => i.orderId === order.id);
  const fresh = items.some((i) => catalog.find((p) => p.id === i.productId)?.category === "fresh");
  const origin = fresh ? { place: "江西省赣州市 产地直发仓", hub: "赣州" } : { place: "浙江省嘉兴市 小满优选华东仓", hub: "嘉兴" };
  const destHub = DESTINATION_HUB[customer.region] ?? customer.city;
  const outlet = `${customer.city}${customer.address.district}营业部`;
  const courier = `${r.pick(["王", "李", "陈", "周", "吴", "孙"])}师傅（电话 1${r.int(3, 9)}${r.digits(1)}****${r.digits(4)}）`;

  const trail: [string, string][] = [
    [origin.place, "商家已发货，包裹等待揽收"],
    [origin.place, `${carrier.name}已揽收`],
    [`${origin.hub}转运中心`, `快件已到达【${origin.hub}转运中心】`],
    [`${origin.hub}转运中心`, `快件已从【${origin.hub}转运中心】发出，下一站【${destHub}转运中心】`],
    [`${destHub}转运中心`, `快件已到达【${destHub}转运中心】`],
    [outlet, `快件已到达【${outlet}】`],
    [outlet, `【${outlet}】快递员${courier}正在为您派送`],
    [outlet, `已签收，签收人：${r.pick(["本人", "家门口快递柜", "前台代收", "家人"])}。感谢使用${carrier.name}，期待再次为您服务`],
  ];

  // Delivered shipments show the whole trail; in-transit ones stop part-way, before "now".
  const end = deliveredAt ?? now;
  const stepsShown = deliveredAt ? trail.length : stalled ? 4 : Math.min(trail.length - 1, 2 + Math.floor(((end.getTime() - shippedAt.getTime()) / HOUR) / 10));
  const span = (deliveredAt ?? (stalled ? new Date(shippedAt.getTime() + 20 * HOUR) : now)).getTime() - shippedAt.getTime();
  const shown = trail.slice(0, Math.max(2, stepsShown));
  shown.forEach(([location, description], i) => {
    const fraction = shown.length === 1 ? 0 : i / (shown.length - (deliveredAt ? 1 : 0.5));
    const at = shippedAt.getTime() + Math.round((fraction * span) / 60_000) * 60_000;
    rows.shipmentEvents.push({ shipmentId, at: new Date(at), location, description });
  });

  rows.shipments.push({
    id: shipmentId,
    orderId: order.id,
    carrier: carrier.name,
    trackingNumber: carrier.trackingNumber(r),
    status: deliveredAt ? "delivered" : shown.length >= 7 ? "out_for_delivery" : "in_transit",
    shippedAt,
    deliveredAt,
  });
}

function addRefund(rows: DemoRows, r: Random, order: DemoRows["orders"][number], status: OrderStatus, now: Date) {
  const items = rows.orderItems.filter((i) => i.orderId === order.id);
  const item = items[0]!;
  const kind = order.shippedAt ? "return_refund" : "refund_only";
  const base = order.deliveredAt ?? order.paidAt ?? order.createdAt;
  const createdAt = new Date(Math.min(now.getTime() - HOUR, base.getTime() + r.int(10, 72) * HOUR));
  const refundStatus: RefundStatus = status === "return_requested" ? "requested" : status === "refunding" ? "refunding" : "refunded";
  const refundedAt = refundStatus === "refunded" ? new Date(createdAt.getTime() + r.int(24, 120) * HOUR) : null;
  const returning = kind === "return_refund" && refundStatus !== "requested";
  const carrier = r.pick(CARRIERS);
  rows.refunds.push({
    id: `R${order.id.slice(0, 8)}${r.digits(6)}`,
    orderId: order.id,
    orderItemId: item.id,
    kind,
    status: refundStatus,
    reason: r.pick(RETURN_REASONS),
    amountFen: items.length === 1 ? order.totalFen : item.unitPriceFen * item.quantity,
    returnCarrier: returning ? carrier.name : null,
    returnTrackingNumber: returning ? carrier.trackingNumber(r) : null,
    createdAt,
    updatedAt: refundedAt ?? createdAt,
    refundedAt,
  });
}

/** The shop's running (and one expired) promotions around `now`. */
function demoPromotions(now: Date): DemoRows["promotions"] {
  const from = new Date(now.getTime() - 10 * DAY);
  const to = new Date(now.getTime() + 12 * DAY);
  const promo = (p: Partial<DemoRows["promotions"][number]> & Pick<DemoRows["promotions"][number], "id" | "title" | "kind">) => ({
    category: null,
    minSpendFen: 0,
    discountFen: 0,
    percentOff: 0,
    minVipLevel: 0,
    startsAt: from,
    endsAt: to,
    ...p,
  });
  return [
    promo({ id: "PM-D11-300", title: "双十一返场 全场满300减40", kind: "threshold", minSpendFen: 30_000, discountFen: 4_000 }),
    promo({ id: "PM-D11-1000", title: "双十一返场 全场满1000减150", kind: "threshold", minSpendFen: 100_000, discountFen: 15_000 }),
    promo({ id: "PM-FRESH-99", title: "生鲜满99减15", kind: "threshold", category: "fresh", minSpendFen: 9_900, discountFen: 1_500 }),
    promo({ id: "PM-SHOES-9", title: "运动鞋限时9折", kind: "percent", category: "shoes", percentOff: 10 }),
    promo({ id: "PM-VIP2-95", title: "VIP2及以上会员 家电95折", kind: "percent", category: "small_appliance", percentOff: 5, minVipLevel: 2 }),
    promo({
      id: "PM-1111-EXPIRED",
      title: "双十一当天 满200减30",
      kind: "threshold",
      minSpendFen: 20_000,
      discountFen: 3_000,
      startsAt: new Date(now.getTime() - 12 * DAY),
      endsAt: new Date(now.getTime() - 9 * DAY),
    }),
  ];
}

/** A few customers have something in the cart (fixed picks, so the promotions demo is predictable). */
function demoCarts(variants: DemoRows["variants"], now: Date): DemoRows["cartItems"] {
  const firstInStock = (productId: string) => variants.find((v) => v.productId === productId && v.stock > 0)!.sku;
  const carts: [string, string, number][] = [
    ["c-1001", "p-af333", 1],
    ["c-1001", "p-shine-muscat", 2],
    ["c-1003", "p-rn510", 1],
    ["c-1005", "p-strawberry", 2],
    ["c-1005", "p-navel-orange", 1],
    ["c-1007", "p-bte7", 1],
  ];
  return carts.map(([customerId, productId, quantity], i) => ({
    customerId,
    sku: firstInStock(productId),
    quantity,
    addedAt: new Date(now.getTime() - (i + 1) * 5 * HOUR),
  }));
}
