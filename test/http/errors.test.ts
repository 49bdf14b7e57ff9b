/** Every error path answers {error: {code, message, requestId}} with the right status, never a stack. */
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/http/app.js";
import { adminHeaders, buildTestApp, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

describe("error shapes", () => {
  const t = useTestApp(testDrivers[0]!);

  const post = (path: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    t.app.request(path, { method: "POST", body, headers });

  it("unknown route -> 404 not_found", async () => {
    await expectError(await t.app.request("/v1/does-not-exist"), 404, "not_found");
  });

  it("malformed JSON -> 400 bad_request", async () => {
    const body = await expectError(await post("/v1/identity/verify", '{"customerId": "c-1001",'), 400, "bad_request");
    expect(body.error.message).toMatch(/JSON/);
  });

  it("wrong types -> 400 validation_failed naming the field", async () => {
    const body = await expectError(await post("/v1/identity/verify", JSON.stringify({ customerId: 42, customerToken: "x" })), 400, "validation_failed");
    expect(body.error.message).toContain("customerId");
  });

  it("a body that is not JSON -> 415 unsupported_media_type", async () => {
    await expectError(await post("/v1/identity/verify", "customerId=c-1001", { "content-type": "text/plain" }), 415, "unsupported_media_type");
  });

  it("missing fields -> 400 validation_failed", async () => {
    await expectError(await post("/v1/identity/verify", "{}"), 400, "validation_failed");
  });

  it("body over 16 KB -> 413 payload_too_large", async () => {
    const big = JSON.stringify({ customerId: "c-1001", customerToken: "a".repeat(MAX_BODY_BYTES) });
    await expectError(await post("/v1/identity/verify", big), 413, "payload_too_large");
  });

  it("body over 16 KB without a content-length (streamed) -> 413", async () => {
    const chunk = new TextEncoder().encode("a".repeat(4096));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await t.app.request("/v1/identity/verify", {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    await expectError(res, 413, "payload_too_large");
  });

  it("unknown customer id -> 404 not_found", async () => {
    await expectError(await t.app.request("/v1/admin/customers/c-9999/orders", { headers: adminHeaders }), 404, "not_found");
  });

  it("invalid query -> 400 validation_failed", async () => {
    const body = await expectError(await t.app.request("/v1/admin/products?pageSize=5000", { headers: adminHeaders }), 400, "validation_failed");
    expect(body.error.message).toContain("pageSize");
  });

  it("keeps a well-formed caller request id and replaces a malformed one", async () => {
    const ok = await t.app.request("/nope", { headers: { "x-request-id": "shop-req-42" } });
    expect(ok.headers.get("x-request-id")).toBe("shop-req-42");
    const bad = await t.app.request("/nope", { headers: { "x-request-id": "<script>" } });
    expect(bad.headers.get("x-request-id")).not.toBe("<script>");
  });
});

describe.each(testDrivers)("database failures on $name", (driver) => {
  it("answer 503 service_unavailable, not a hang or a 500", async () => {
    const database = await driver.open();
    const app = await buildTestApp(database);
    await database.close();
    const health = await app.request("/healthz");
    await expectError(health, 503, "service_unavailable");
  });
});
