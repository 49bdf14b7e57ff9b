/** A message sent again with its clientMessageId (the answer was lost on the way) is one message with one answer. */
import { describe, expect, it } from "vitest";
import { useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

describe.each(testDrivers)("resending a message on $name", (driver) => {
  const t = useTestApp(driver);

  it("stores and answers it once, whether the resend comes after the answer or at the same time", async () => {
    const id = ((await (await t.app.request("/v1/conversations", post({}))).json()) as { id: string }).id;
    const send = async () => (await (await t.app.request(`/v1/conversations/${id}/messages`, post({ text: "隐私面单是什么", clientMessageId: "msg-0001-abc" }))).json()) as { messageId: number; knowledge: { entryId: string } | null };
    const first = await send();
    const again = await send();
    expect(again.messageId).toBe(first.messageId);
    const [a, b] = await Promise.all([
      t.app.request(`/v1/conversations/${id}/messages`, post({ text: "在吗", clientMessageId: "msg-0002-abc" })),
      t.app.request(`/v1/conversations/${id}/messages`, post({ text: "在吗", clientMessageId: "msg-0002-abc" })),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const transcript = (await (await t.app.request(`/v1/conversations/${id}`)).json()) as { messages: { role: string; text?: string }[] };
    expect(transcript.messages.filter((m) => m.role === "user").map((m) => m.text)).toEqual(["隐私面单是什么", "在吗"]);
    // The answer says which knowledge entry answered, so the widget can ask whether it helped.
    expect(first.knowledge?.entryId).toMatch(/^privacy-/);
    expect((await t.app.request(`/v1/conversations/${id}/messages`, post({ text: "hi", clientMessageId: "bad id!" }))).status).toBe(400);
  });
});
