/** Shop policies and phrasing several scenarios share. */
import type { OrderBrief } from "../../shop/orders.js";
import { day, orderTitle } from "../format.js";

const HOUR = 3_600_000;

/** Regions where parcels take longer and some carriers do not deliver. */
export const REMOTE_REGIONS = ["新疆", "西藏", "青海", "内蒙古", "宁夏", "甘肃", "海南"];

/** The shop promises to ship in-stock goods within 48 hours of payment. */
export const SHIP_WITHIN_HOURS = 48;
/** Unpaid orders are closed automatically after this long. */
export const PAY_WITHIN_HOURS = 24;
/** 七天无理由: days after delivery. */
export const NO_REASON_DAYS = 7;
/** Quality problems: return within this many days after delivery, repair under warranty after. */
export const QUALITY_RETURN_DAYS = 15;

export function shipDeadline(order: OrderBrief): Date | null {
  return order.paidAt ? new Date(order.paidAt.getTime() + SHIP_WITHIN_HOURS * HOUR) : null;
}

export function payDeadline(order: OrderBrief): Date {
  return new Date(order.createdAt.getTime() + PAY_WITHIN_HOURS * HOUR);
}

/** Whole days since the parcel was signed for. */
export function daysSinceDelivery(order: OrderBrief, now: Date): number | null {
  return order.deliveredAt ? Math.floor((now.getTime() - order.deliveredAt.getTime()) / (24 * HOUR)) : null;
}

/** "订单 2026111877967622（小满 AF-333 可视空气炸锅 5.5L）" */
export function orderName(order: OrderBrief): string {
  return `订单 ${order.id}（${orderTitle(order)}）`;
}

export function shippedOn(order: OrderBrief): string {
  return order.shippedAt ? day(order.shippedAt) : "";
}

export const isRemote = (order: OrderBrief) => REMOTE_REGIONS.includes(order.address.province);
