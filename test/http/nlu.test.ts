import { beforeAll, describe, expect, it } from "vitest";
import { initTensorFlow } from "../../src/ml/tf.js";
import { adminHeaders, useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

describe("POST /v1/nlu/parse", () => {
  beforeAll(async () => {
    await initTensorFlow("auto");
  });
  const t = useTestApp(testDrivers[0]!);

  const parse = (body: unknown) =>
    t.app.request("/v1/nlu/parse", { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

  it("returns normalised text, tokens, intent, a top-5 ranking and entities", async () => {
    const res = await parse({ text: "訂單２０２６１１１８７７９６７６２２到哪了？" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      normalized: string;
      tokens: string[];
      intent: { name: string; confidence: number };
      ranking: { name: string; confidence: number }[];
      entities: { type: string; value: string }[];
    };
    expect(body.normalized).toBe("订单2026111877967622到哪了?");
    expect(body.tokens).toContain("2026111877967622");
    expect(["logistics", "order_status"]).toContain(body.intent.name);
    expect(body.ranking).toHaveLength(5);
    expect(body.ranking[0]!.confidence).toBeGreaterThanOrEqual(body.ranking[4]!.confidence);
    expect(body.entities).toContainEqual(expect.objectContaining({ type: "order_number", value: "2026111877967622" }));
  });

  it("recognises the shop's products from the database catalogue", async () => {
    const body = (await (await parse({ text: "我买了AF-333不会用" })).json()) as { entities: { type: string; value: string }[] };
    expect(body.entities).toContainEqual(expect.objectContaining({ type: "product", value: "p-af333" }));
  });

  it.each([
    ["empty text", { text: "" }],
    ["whitespace only", { text: "   " }],
    ["text over 2,000 characters", { text: "好".repeat(2001) }],
    ["a number instead of text", { text: 42 }],
    ["no text", {}],
  ])("rejects %s with 400 and the error shape", async (_, body) => {
    const res = await parse(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.message).toContain("text");
  });

  it("accepts exactly 2,000 characters", async () => {
    expect((await parse({ text: "好".repeat(2000) })).status).toBe(200);
  });

  it("reloads dictionary and model on the admin route only", async () => {
    expect((await t.app.request("/v1/admin/nlu/reload", { method: "POST" })).status).toBe(401);
    const res = await t.app.request("/v1/admin/nlu/reload", { method: "POST", headers: adminHeaders });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { model: { reloaded: boolean } }).model.reloaded).toBe(false);
  });
});
