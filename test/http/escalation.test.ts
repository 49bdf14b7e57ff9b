/** Emotion-triggered hand-over through the API: the shopper gets a calm handoff reply, the agent a summary. */
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/dialogue/replies.js";
import { useTestApp } from "../helpers/app.js";
import { testDrivers } from "../helpers/db.js";

const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
type Turn = { replies: Reply[]; state: { mode: string }; nlu: { emotion?: { label: string; escalate: boolean } } | null };

describe.each(testDrivers)("hand-over on emotion on $name", (driver) => {
  const t = useTestApp(driver);
  const start = async () => ((await (await t.app.request("/v1/conversations", post({}))).json()) as { id: string }).id;
  const say = async (id: string, text: string) => (await (await t.app.request(`/v1/conversations/${id}/messages`, post({ text }))).json()) as Turn;

  it("parse reports the emotion and whether it escalates", async () => {
    const res = await t.app.request("/v1/nlu/parse", post({ text: "你们就是骗子！！！我要去12315投诉" }));
    const body = (await res.json()) as { emotion: { label: string; score: number; escalate: boolean; reason: string } };
    expect(body.emotion).toMatchObject({ label: "anger", escalate: true });
    expect(["insult", "threat"]).toContain(body.emotion.reason);
  });

  it("answers an angry message with only a calm hand-over, and the agent gets the why", async () => {
    const id = await start();
    const turn = await say(id, "菜一点都不新鲜，水果都坏了");
    expect(turn.replies).toHaveLength(1);
    expect(turn.replies[0]).toMatchObject({ type: "handoff", text: expect.stringContaining("抱歉") });
    expect(turn.state.mode).toBe("queued");
    const transcript = (await (await t.app.request(`/v1/conversations/${id}`)).json()) as { handoff: { reason: string; summary: string } };
    expect(transcript.handoff.summary).toContain("菜一点都不新鲜");
    expect(transcript.handoff.summary).toMatch(/情绪：\S+ \d\.\d\d/);
    expect(transcript.handoff.summary).toContain("转人工原因");
    // Queued: the next message is stored for the agent; the bot only says where the shopper stands.
    const waiting = await say(id, "人呢");
    expect(waiting.replies).toHaveLength(1);
    expect(waiting.replies[0]).toMatchObject({ type: "text", text: expect.stringContaining("排在第 1 位") });
  });

  it("keeps helping a mildly disappointed shopper", async () => {
    const turn = await say(await start(), "有点失望，不过能换货就行");
    expect(turn.state.mode).toBe("bot");
    expect(turn.replies.some((r) => r.type === "handoff")).toBe(false);
    expect(turn.nlu?.emotion?.escalate).toBe(false);
  });

  it("hands over when the same question comes a third time", async () => {
    const id = await start();
    const first = await say(id, "你们仓库在哪个城市");
    expect(first.state.mode).toBe("bot");
    await say(id, "你们仓库在哪个城市？");
    const third = await say(id, "你们仓库在哪个城市!");
    expect(third.state.mode).toBe("queued");
    expect(third.replies[0]).toMatchObject({ type: "handoff", reason: "repeated_question" });
  });
});
