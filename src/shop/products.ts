/** The product catalogue: paged listing with variants and stock. */
import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../context.js";
import { hotQuery, placeholder } from "../db/hot-query.js";
import * as t from "../db/schema.js";
import { NotFoundError } from "../shared/errors.js";

export type ProductRow = typeof t.products.$inferSelect;
export type VariantRow = typeof t.productVariants.$inferSelect;

export interface ProductDetail extends ProductRow {
  variants: VariantRow[];
  /** Total stock over all variants. */
  stock: number;
}

export interface ProductQuery {
  page: number;
  pageSize: number;
  category?: string;
  /** Matches name, brand or a model code (case-insensitive substring). */
  q?: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export async function listProducts(ctx: ServiceContext, query: ProductQuery): Promise<Page<ProductDetail>> {
  const filters: SQL[] = [];
  if (query.category) filters.push(eq(t.products.category, query.category));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(
      or(
        ilike(t.products.name, pattern),
        ilike(t.products.brand, pattern),
        sql`exists (select 1 from jsonb_array_elements_text(${t.products.modelCodes}) as code where code ilike ${pattern})`,
      )!,
    );
  }
  const where = filters.length ? and(...filters) : undefined;
  const [totalRow] = await ctx.db.select({ n: count() }).from(t.products).where(where);
  const rows = await ctx.db
    .select()
    .from(t.products)
    .where(where)
    .orderBy(asc(t.products.category), asc(t.products.id))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items: await withVariants(ctx, rows), total: totalRow?.n ?? 0, page: query.page, pageSize: query.pageSize };
}

export async function getProduct(ctx: ServiceContext, id: string): Promise<ProductDetail> {
  const [row] = await productById(ctx.db, { id });
  if (!row) throw new NotFoundError(`product ${id} does not exist`);
  return withOwnVariants(row, await variantsOfProduct(ctx.db, { id }));
}

// One product is read on most product questions of a conversation.
const productById = hotQuery("kefu_product_by_id", (db) => db.select().from(t.products).where(eq(t.products.id, placeholder<string>("id"))));
const variantsOfProduct = hotQuery("kefu_variants_of_product", (db) =>
  db.select().from(t.productVariants).where(eq(t.productVariants.productId, placeholder<string>("id"))).orderBy(asc(t.productVariants.sku)),
);

async function withVariants(ctx: ServiceContext, rows: ProductRow[]): Promise<ProductDetail[]> {
  if (rows.length === 0) return [];
  const variants = await ctx.db
    .select()
    .from(t.productVariants)
    .where(
      inArray(
        t.productVariants.productId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(t.productVariants.sku));
  return rows.map((row) => withOwnVariants(row, variants.filter((v) => v.productId === row.id)));
}

/** A product with its variants and their stock added up. */
function withOwnVariants(row: ProductRow, variants: ProductDetail["variants"]): ProductDetail {
  return { ...row, variants, stock: variants.reduce((s, v) => s + v.stock, 0) };
}
