/** The widget's send queue: order kept, one automatic resend when the connection is back, then a manual retry. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../src/web/shared/api.js";
import { Outbox, type Outgoing, type OutgoingStatus } from "../../src/web/widget/outbox.js";

const offline = () => new ApiError(0, "network", "网络连接失败");
const settle = () => new Promise((r) => setTimeout(r, 0));

/** An outbox over a scripted server: each delivery takes the next outcome (ok, or an error to throw). */
function harness(outcomes: ("ok" | ApiError)[]) {
  const delivered: string[] = [];
  const statuses = new Map<string, OutgoingStatus[]>();
  const outbox = new Outbox(
    async (item) => {
      const next = outcomes.shift() ?? "ok";
      if (next !== "ok") throw next;
      delivered.push(item.label);
    },
    () => false,
  );
  const push = (label: string) =>
    outbox.push({ text: label }, label, (item: Outgoing) => statuses.set(label, [...(statuses.get(label) ?? []), item.status]));
  return { outbox, delivered, statuses, push };
}

describe("the widget's outbox", () => {
  it("sends in order, one at a time", async () => {
    const h = harness([]);
    h.push("一");
    h.push("二");
    h.push("三");
    await settle();
    await settle();
    expect(h.delivered).toEqual(["一", "二", "三"]);
    expect(h.statuses.get("二")!.at(-1)).toBe("sent");
  });

  it("holds a message that got no answer, and what came after it, until the connection is back", async () => {
    const h = harness([offline()]);
    const first = h.push("在吗");
    await settle();
    expect(first.status).toBe("waiting");
    expect(h.outbox.waiting).toBe(true);
    const second = h.push("我的快递");
    expect(second.status).toBe("waiting");
    h.outbox.resume();
    await settle();
    await settle();
    expect(h.delivered).toEqual(["在吗", "我的快递"]);
    expect(h.statuses.get("在吗")).toEqual(["sending", "waiting", "sending", "sent"]);
  });

  it("offers a manual retry after the automatic resend failed too, and goes on with the rest", async () => {
    const h = harness([offline(), offline()]);
    const first = h.push("在吗");
    await settle();
    h.push("后一条");
    h.outbox.resume();
    await settle();
    await settle();
    expect(first.status).toBe("failed");
    expect(h.delivered).toEqual(["后一条"]);
    h.outbox.retry(first);
    await settle();
    expect(first.status).toBe("sent");
    expect(h.delivered).toEqual(["后一条", "在吗"]);
  });

  it("does not retry what the server refused", async () => {
    const h = harness([new ApiError(400, "validation_failed", "text must be at most 2000 characters")]);
    const bad = h.push("太长");
    await settle();
    expect(bad.status).toBe("rejected");
    expect(h.outbox.waiting).toBe(false);
    h.outbox.retry(bad);
    h.push("下一条");
    await settle();
    expect(h.delivered).toEqual(["下一条"]);
  });
});
