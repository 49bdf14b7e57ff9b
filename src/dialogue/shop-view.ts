/**
 * The shop as one conversation may see it. A verified customer sees their own orders; an anonymous
 * visitor only the orders they proved with order number + phone digits. Anything else reads as
 * "not found", whatever number is typed.
 */
import { eq } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { hotQuery, placeholder } from "../db/hot-query.js";
import { customers } from "../db/schema.js";
import { findOrder, findOrderBrief, listCustomerOrderBriefs, type OrderBrief, type OrderDetail } from "../shop/orders.js";
import { getProduct, type ProductDetail } from "../shop/products.js";
import { NotFoundError } from "../shared/errors.js";
import type { ShopView } from "./forms.js";
import type { DialogueState } from "./state.js";

const customerBrief = hotQuery("kefu_customer_brief", (db) =>
  db
    .select({ id: customers.id, name: customers.name, vipLevel: customers.vipLevel, defaultAddress: customers.defaultAddress })
    .from(customers)
    .where(eq(customers.id, placeholder<string>("id"))),
);

export function createShopView(ctx: ServiceContext, state: () => DialogueState): ShopView {
  let orders: Promise<OrderBrief[]> | null = null;
  const briefs = new Map<string, Promise<OrderBrief | null>>();
  const details = new Map<string, Promise<OrderDetail | null>>();
  const products = new Map<string, Promise<ProductDetail | null>>();
  let customer: ReturnType<ShopView["customer"]> | null = null;

  /** Reads an order with `read` only if this conversation may see it. */
  const own = async <T extends OrderBrief>(id: string, read: (ctx: ServiceContext, id: string) => Promise<T | null>): Promise<T | null> => {
    const s = state();
    if (s.customerId) {
      const order = await read(ctx, id);
      return order && order.customerId === s.customerId ? order : null;
    }
    return s.verifiedOrders.includes(id) ? read(ctx, id) : null;
  };

  return {
    customer() {
      const id = state().customerId;
      if (!id) return Promise.resolve(null);
      customer ??= customerBrief(ctx.db, { id }).then((rows) => rows[0] ?? null);
      return customer;
    },
    orders() {
      const s = state();
      orders ??= s.customerId
        ? listCustomerOrderBriefs(ctx, s.customerId)
        : (async () => {
            const found: OrderBrief[] = [];
            for (const id of s.verifiedOrders) {
              const order = await findOrderBrief(ctx, id);
              if (order) found.push(order);
            }
            return found;
          })();
      return orders;
    },
    async order(id) {
      const listed = orders ? (await orders).find((o) => o.id === id) : undefined;
      return listed ?? once(briefs, id, () => own(id, findOrderBrief));
    },
    orderDetail: (id) => once(details, id, () => own(id, findOrder)),
    product: (id) =>
      once(products, id, () =>
        getProduct(ctx, id).catch((err: unknown) => {
          if (err instanceof NotFoundError) return null;
          throw err;
        }),
      ),
    async verify(orderId, phoneLast4) {
      const order = await findOrderBrief(ctx, orderId);
      return order && order.address.phone.endsWith(phoneLast4) ? order : null;
    },
    refresh() {
      orders = null;
      briefs.clear();
      details.clear();
      products.clear();
    },
  };
}

/** The cached read for `key`, started by `read` the first time it is asked for. */
function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let value = cache.get(key);
  if (!value) {
    value = read();
    cache.set(key, value);
  }
  return value;
}
