/** Customers: listing for administrators and identity resolution for shoppers. */
import { asc, eq } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { hotQuery, placeholder } from "../db/hot-query.js";
import { customers } from "../db/schema.js";
import { verifyCustomerToken } from "../identity/customer-token.js";
import { NotFoundError, UnauthorizedError } from "../shared/errors.js";
import { maskPhone } from "../shared/logger.js";

export interface CustomerSummary {
  id: string;
  name: string;
  vipLevel: number;
  region: string;
  city: string;
  phone: string;
}

const toSummary = (row: typeof customers.$inferSelect): CustomerSummary => ({
  id: row.id,
  name: row.name,
  vipLevel: row.vipLevel,
  region: row.region,
  city: row.city,
  phone: maskPhone(row.phone),
});

/** All customers with masked phone numbers, ordered by id. */
export async function listCustomers(ctx: ServiceContext): Promise<CustomerSummary[]> {
  const rows = await ctx.db.select().from(customers).orderBy(asc(customers.id));
  return rows.map(toSummary);
}

export async function getCustomer(ctx: ServiceContext, id: string): Promise<CustomerSummary> {
  const [row] = await ctx.db.select().from(customers).where(eq(customers.id, id));
  if (!row) throw new NotFoundError(`customer ${id} does not exist`);
  return toSummary(row);
}

/** Read at the start of every known shopper's conversation. */
const customerById = hotQuery("kefu_customer_by_id", (db) => db.select().from(customers).where(eq(customers.id, placeholder<string>("id"))));

/**
 * Verifies a shopper's signed identity and returns the customer.
 * Throws UnauthorizedError for a missing or wrong token, or an unknown customer
 * (the message does not tell which, so ids cannot be probed).
 */
export async function authenticateCustomer(
  ctx: ServiceContext,
  secret: string,
  input: { customerId: string; customerToken?: string | null },
): Promise<CustomerSummary> {
  if (!verifyCustomerToken(secret, input.customerId, input.customerToken)) {
    throw new UnauthorizedError("customerToken is missing or does not match customerId");
  }
  const [row] = await customerById(ctx.db, { id: input.customerId });
  if (!row) throw new UnauthorizedError("customerToken is missing or does not match customerId");
  return toSummary(row);
}
