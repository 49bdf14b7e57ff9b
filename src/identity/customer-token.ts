/**
 * Shopper identity: the shop's backend signs its customer id,
 * customerToken = hex(HMAC-SHA256(KEFU_IDENTITY_SECRET, customerId)), and kefu checks it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The token the shop's backend computes for a customer id. */
export function signCustomerId(secret: string, customerId: string): string {
  return createHmac("sha256", secret).update(customerId, "utf8").digest("hex");
}

/** Constant-time check of a customer token; false for a missing or malformed token. */
export function verifyCustomerToken(secret: string, customerId: string, token: string | undefined | null): boolean {
  if (!token || !/^[0-9a-fA-F]{64}$/.test(token)) return false;
  const expected = Buffer.from(signCustomerId(secret, customerId), "hex");
  const given = Buffer.from(token, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Constant-time comparison of two secrets of any length (for API keys). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHmac("sha256", "kefu-compare").update(a).digest();
  const hb = createHmac("sha256", "kefu-compare").update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
