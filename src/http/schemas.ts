/** Response schemas shared by several resources. */
import { z } from "@hono/zod-openapi";

const isoDate = z.string().openapi({ format: "date-time", example: "2026-11-18T09:30:00.000Z" });

export const AddressSchema = z
  .object({ name: z.string(), phone: z.string(), province: z.string(), city: z.string(), district: z.string(), detail: z.string() })
  .openapi("Address");

export const CustomerSchema = z
  .object({
    id: z.string().openapi({ example: "c-1001" }),
    name: z.string(),
    vipLevel: z.number().int().openapi({ description: "0 = regular, 1..3 = VIP levels" }),
    region: z.string(),
    city: z.string(),
    phone: z.string().openapi({ description: "masked", example: "138****5288" }),
  })
  .openapi("Customer");

export const OrderItemSchema = z
  .object({
    id: z.number().int(),
    orderId: z.string(),
    productId: z.string(),
    sku: z.string(),
    name: z.string(),
    color: z.string().nullable(),
    size: z.string().nullable(),
    quantity: z.number().int(),
    unitPriceFen: z.number().int(),
  })
  .openapi("OrderItem");

export const ShipmentSchema = z
  .object({
    id: z.number().int(),
    orderId: z.string(),
    carrier: z.string(),
    trackingNumber: z.string(),
    status: z.enum(["in_transit", "out_for_delivery", "delivered", "returned"]),
    shippedAt: isoDate,
    deliveredAt: isoDate.nullable(),
    events: z.array(
      z.object({ id: z.number().int(), shipmentId: z.number().int(), at: isoDate, location: z.string(), description: z.string() }),
    ),
  })
  .openapi("Shipment");

export const RefundSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderItemId: z.number().int().nullable(),
    kind: z.enum(["refund_only", "return_refund"]),
    status: z.enum(["requested", "approved", "returning", "refunding", "refunded", "rejected", "cancelled"]),
    reason: z.string(),
    amountFen: z.number().int(),
    returnCarrier: z.string().nullable(),
    returnTrackingNumber: z.string().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    refundedAt: isoDate.nullable(),
  })
  .openapi("Refund");

export const OrderSchema = z
  .object({
    id: z.string().openapi({ description: "16-digit order number" }),
    customerId: z.string(),
    status: z.enum(["unpaid", "paid", "shipped", "delivered", "return_requested", "refunding", "refunded", "cancelled"]),
    itemsFen: z.number().int(),
    shippingFen: z.number().int(),
    discountFen: z.number().int(),
    totalFen: z.number().int(),
    paymentMethod: z.enum(["alipay", "wechat_pay", "bank_card", "huabei"]).nullable(),
    address: AddressSchema,
    note: z.string().nullable(),
    createdAt: isoDate,
    paidAt: isoDate.nullable(),
    shippedAt: isoDate.nullable(),
    deliveredAt: isoDate.nullable(),
    cancelledAt: isoDate.nullable(),
    updatedAt: isoDate,
    items: z.array(OrderItemSchema),
    shipments: z.array(ShipmentSchema),
    refunds: z.array(RefundSchema),
  })
  .openapi("Order");

export const SizeChartRowSchema = z
  .object({
    size: z.string(),
    heightCm: z.tuple([z.number(), z.number()]).optional(),
    weightKg: z.tuple([z.number(), z.number()]).optional(),
    footLengthMm: z.tuple([z.number(), z.number()]).optional(),
    measurements: z.record(z.string(), z.number()).optional(),
  })
  .openapi("SizeChartRow");

export const ProductSchema = z
  .object({
    id: z.string().openapi({ example: "p-af333" }),
    name: z.string(),
    brand: z.string(),
    category: z.string(),
    modelCodes: z.array(z.string()),
    aliases: z.array(z.string()),
    priceFen: z.number().int(),
    specs: z.record(z.string(), z.string()),
    usageNotes: z.string(),
    sizeChart: z.array(SizeChartRowSchema).nullable(),
    warrantyMonths: z.number().int(),
    noReasonReturn: z.boolean(),
    tags: z.array(z.string()),
    imageUrl: z.string(),
    createdAt: isoDate,
    stock: z.number().int().openapi({ description: "total over all variants" }),
    variants: z.array(
      z.object({ sku: z.string(), productId: z.string(), color: z.string().nullable(), size: z.string().nullable(), stock: z.number().int() }),
    ),
  })
  .openapi("Product");

export function pageOf<T extends z.ZodTypeAny>(item: T, name: string) {
  return z
    .object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
    .openapi(name);
}
