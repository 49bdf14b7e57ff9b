import { describe, expect, it } from "vitest";
import { signCustomerId, verifyCustomerToken } from "../../src/identity/customer-token.js";
import { TEST_IDENTITY_SECRET, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

describe("customer tokens", () => {
  const secret = "a-shop-secret-of-some-length";

  it("matches the documented formula hex(HMAC-SHA256(secret, customerId))", () => {
    // Computed independently: printf 'c-1001' | openssl dgst -sha256 -hmac 'a-shop-secret-of-some-length'
    expect(signCustomerId(secret, "c-1001")).toBe("2a0ca108cf56eb2b02050d5a4f12e0dc4a71f5f6bd1e3ae836fe344135b9121b");
  });

  it("accepts the right token, in either hex case", () => {
    const token = signCustomerId(secret, "c-1001");
    expect(verifyCustomerToken(secret, "c-1001", token)).toBe(true);
    expect(verifyCustomerToken(secret, "c-1001", token.toUpperCase())).toBe(true);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["another customer's", signCustomerId(secret, "c-1002")],
    ["signed with another secret", signCustomerId("another-secret-value", "c-1001")],
    ["truncated", signCustomerId(secret, "c-1001").slice(0, 63)],
    ["not hex", "z".repeat(64)],
  ])("rejects a %s token", (_, token) => {
    expect(verifyCustomerToken(secret, "c-1001", token)).toBe(false);
  });
});

describe.each(testDrivers)("POST /v1/identity/verify on $name", (driver) => {
  const t = useTestApp(driver);

  const verify = (body: unknown) =>
    t.app.request("/v1/identity/verify", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

  it("returns the customer for a valid token", async () => {
    const res = await verify({ customerId: "c-1001", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1001") });
    expect(res.status).toBe(200);
    const { customer } = (await res.json()) as { customer: { id: string; name: string; vipLevel: number } };
    expect(customer).toMatchObject({ id: "c-1001", name: "张伟", vipLevel: 3 });
  });

  it("rejects a wrong token with 401", async () => {
    const res = await verify({ customerId: "c-1001", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-1002") });
    expect(res.status).toBe(401);
  });

  it("rejects an empty token with 401", async () => {
    expect((await verify({ customerId: "c-1001", customerToken: "" })).status).toBe(401);
  });

  it("rejects a missing token with 400 naming the field", async () => {
    const res = await verify({ customerId: "c-1001" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("customerToken");
  });

  it("answers an unknown customer exactly like a wrong token, so ids cannot be probed", async () => {
    const unknown = await verify({ customerId: "c-9999", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-9999") });
    const wrong = await verify({ customerId: "c-1001", customerToken: signCustomerId(TEST_IDENTITY_SECRET, "c-9999") });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      ((await wrong.json()) as { error: { message: string } }).error.message,
    );
  });
});
