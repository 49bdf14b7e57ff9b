/** Admin views of the shop's data: customers, their orders, products. Ground truth for later features. */
import { createRoute, z } from "@hono/zod-openapi";
import { listCustomers } from "../../shop/customers.js";
import { listCustomerOrders } from "../../shop/orders.js";
import { listProducts } from "../../shop/products.js";
import { adminErrorResponses, createRouter, notFoundResponse, serialize } from "../openapi.js";
import { CustomerSchema, OrderSchema, pageOf, ProductSchema } from "../schemas.js";

const security = [{ adminKey: [] }];

const listCustomersRoute = createRoute({
  method: "get",
  path: "/v1/admin/customers",
  tags: ["admin"],
  summary: "List customers (phone numbers masked)",
  security,
  responses: {
    200: { description: "Customers", content: { "application/json": { schema: z.object({ items: z.array(CustomerSchema) }) } } },
    ...adminErrorResponses,
  },
});

const customerOrdersRoute = createRoute({
  method: "get",
  path: "/v1/admin/customers/{id}/orders",
  tags: ["admin"],
  summary: "A customer's orders with items, shipments (tracking trail) and refunds, newest first",
  security,
  request: { params: z.object({ id: z.string().min(1).max(64).openapi({ example: "c-1001" }) }) },
  responses: {
    200: { description: "Orders", content: { "application/json": { schema: z.object({ items: z.array(OrderSchema) }) } } },
    ...adminErrorResponses,
    ...notFoundResponse,
  },
});

const listProductsRoute = createRoute({
  method: "get",
  path: "/v1/admin/products",
  tags: ["admin"],
  summary: "Products, paged, with model codes, specs, variants, stock and usage notes",
  security,
  request: {
    query: z.object({
      page: z.coerce.number().int().min(1).max(10_000).default(1),
      pageSize: z.coerce.number().int().min(1).max(100).default(20),
      category: z.string().max(32).optional(),
      q: z.string().max(100).optional().openapi({ description: "name, brand or model code contains" }),
    }),
  },
  responses: {
    200: { description: "A page of products", content: { "application/json": { schema: pageOf(ProductSchema, "ProductPage") } } },
    ...adminErrorResponses,
  },
});

export function adminShopRoutes() {
  return createRouter()
    .openapi(listCustomersRoute, async (c) => c.json({ items: await listCustomers(c.get("ctx")) }, 200))
    .openapi(customerOrdersRoute, async (c) => {
      const orders = await listCustomerOrders(c.get("ctx"), c.req.valid("param").id);
      return c.json({ items: serialize(orders) }, 200);
    })
    .openapi(listProductsRoute, async (c) => c.json(serialize(await listProducts(c.get("ctx"), c.req.valid("query"))), 200));
}
