/**
 * POST /v1/identity/verify: checks a shop-signed shopper identity. Shops use it to test
 * their backend's token computation; the widget uses it to greet a signed-in shopper by name.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { authenticateCustomer } from "../../shop/customers.js";
import { createRouter, errorResponses, unauthorizedResponse } from "../openapi.js";
import { CustomerSchema } from "../schemas.js";

export const IdentitySchema = z
  .object({
    customerId: z.string().min(1).max(64).openapi({ example: "c-1001" }),
    customerToken: z
      .string()
      .max(128)
      .openapi({ description: "hex(HMAC-SHA256(KEFU_IDENTITY_SECRET, customerId)), computed by the shop's backend" }),
  })
  .openapi("Identity");

const route = createRoute({
  method: "post",
  path: "/v1/identity/verify",
  tags: ["shopper"],
  summary: "Verify a shopper's signed identity",
  request: { body: { required: true, content: { "application/json": { schema: IdentitySchema } } } },
  responses: {
    200: {
      description: "The token matches; the shopper",
      content: { "application/json": { schema: z.object({ customer: CustomerSchema }) } },
    },
    ...errorResponses,
    ...unauthorizedResponse,
  },
});

export function identityRoutes(deps: { identitySecret: string }) {
  return createRouter().openapi(route, async (c) => {
    const customer = await authenticateCustomer(c.get("ctx"), deps.identitySecret, c.req.valid("json"));
    return c.json({ customer }, 200);
  });
}
