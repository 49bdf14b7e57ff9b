/** The dialogue state is the fold of its events. */
import { describe, expect, it } from "vitest";
import { applyEvent, initialState, MAX_VERIFICATION_FAILURES, replay, type DialogueEvent } from "../../src/dialogue/state.js";

const started: DialogueEvent = { type: "ConversationStarted", customerId: "c-1001", channel: "web", context: { productId: "p-af333" } };

describe("dialogue state", () => {
  it("stacks a digression on the form it interrupts and returns to it", () => {
    const s = replay([
      started,
      { type: "FormStarted", form: "return_refund", said: {} },
      { type: "SlotRequested", slot: "order" },
      { type: "FormStarted", form: "promotion", said: {} },
    ]);
    expect(s.forms.map((f) => f.name)).toEqual(["return_refund", "promotion"]);
    const back = applyEvent(s, { type: "FormCompleted", form: "promotion" });
    expect(back.forms).toHaveLength(1);
    expect(back.forms[0]).toMatchObject({ name: "return_refund", requested: "order" });
  });

  it("clears the question when its slot is set and counts rejected answers per question", () => {
    let s = replay([started, { type: "FormStarted", form: "exchange", said: {} }, { type: "SlotRequested", slot: "size" }]);
    s = applyEvent(s, { type: "SlotRejected", slot: "size", reason: "no stock" });
    s = applyEvent(s, { type: "SlotRejected", slot: "size", reason: "no stock" });
    expect(s.forms[0]!.attempts).toBe(2);
    s = applyEvent(s, { type: "SlotSet", slot: "size", value: "L" });
    expect(s.forms[0]).toMatchObject({ slots: { size: "L" }, requested: null, attempts: 0 });
  });

  it("remembers entities, per conversation and per form", () => {
    const s = replay([
      started,
      { type: "FormStarted", form: "exchange", said: {} },
      { type: "UserUttered", seq: 2, text: "换L码", payload: null, intent: "exchange", confidence: 0.9, entities: [{ type: "size", value: "L", text: "l码", start: 1, end: 3 }] },
    ]);
    expect(s.memory.size).toBe("L");
    expect(s.forms[0]!.said.size).toBe("L");
  });

  it("opens only verified orders to an anonymous visitor and counts failures", () => {
    let s = replay([{ ...started, customerId: null } as DialogueEvent, { type: "VerificationRequested", orderId: "2026111877967622" }]);
    expect(s.pendingVerification).toBe("2026111877967622");
    s = applyEvent(s, { type: "VerificationFailed" });
    // The shopper may retry the digits for the same order ...
    expect(s).toMatchObject({ pendingVerification: "2026111877967622", verificationFailures: 1, verifiedOrders: [] });
    // ... until the last allowed attempt.
    const locked = applyEvent(applyEvent(s, { type: "VerificationFailed" }), { type: "VerificationFailed" });
    expect(locked).toMatchObject({ pendingVerification: null, verificationFailures: MAX_VERIFICATION_FAILURES });
    s = applyEvent(s, { type: "OrderVerified", orderId: "2026111877967622" });
    expect(s.verifiedOrders).toEqual(["2026111877967622"]);
  });

  it("hands over: queued, forms dropped, the reason kept", () => {
    const s = replay([started, { type: "FormStarted", form: "return_refund", said: {} }, { type: "HandoffRequested", reason: "requested", summary: "张伟" }]);
    expect(s).toMatchObject({ mode: "queued", forms: [], handoff: { reason: "requested" } });
    expect(initialState().mode).toBe("bot");
  });
});
