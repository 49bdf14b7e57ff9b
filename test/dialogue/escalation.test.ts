/** The escalation policy as a table: each rule, its order, and what must not escalate. */
import { describe, expect, it } from "vitest";
import { decideEscalation, DEFAULT_ESCALATION_POLICY, type EscalationInput } from "../../src/dialogue/escalation.js";
import type { RecentMessage } from "../../src/dialogue/state.js";

const at = (s: number) => new Date(Date.UTC(2026, 10, 23, 10, 0, s)).toISOString();
const msg = (text: string, s: number, label: string | null = "neutral", score = 0.5): RecentMessage => ({ text, at: at(s), label, score });
const input = (recent: RecentMessage[], more: Partial<EscalationInput> = {}): EscalationInput => ({ emotion: null, recent, vip: false, channel: "web", ...more });

describe("decideEscalation", () => {
  it.each([
    ["an angry message", input([msg("你们太过分了", 0)], { emotion: { label: "anger", score: 0.8, escalate: true, reason: "anger" } }), "anger"],
    ["a complaint threat", input([msg("我要打12315", 0)], { emotion: { label: "anger", score: 0.4, escalate: true, reason: "threat", evidence: "12315" } }), "threat"],
    ["the same question three times", input([msg("到哪了?", 0), msg("我说了啥", 40), msg("到哪了", 80), msg("到 哪 了！", 120)]), "repeated_question"],
    ["five messages in 20 seconds", input([0, 5, 10, 15, 20].map((s) => msg(`第${s}秒`, s))), "message_burst"],
    [
      "intensity rising over three turns",
      input([msg("a", 0, "disappointment", 0.3), msg("b", 60, "anger", 0.42), msg("c", 120, "anger", 0.49)]),
      "rising_intensity",
    ],
  ] as const)("%s", (_, given, rule) => {
    expect(decideEscalation(given)?.rule).toBe(rule);
  });

  it.each([
    ["a calm message", input([msg("怎么退货", 0)])],
    ["a question asked twice", input([msg("到哪了", 0), msg("到哪了", 60)])],
    ["好的 said to three of the bot's questions", input([msg("好的", 0), msg("好的", 60), msg("好的！", 120)])],
    ["five messages over two minutes", input([0, 30, 60, 90, 120].map((s) => msg(`第${s}秒`, s)))],
    ["five quick button clicks", input([0, 5, 10, 15, 20].map((s) => ({ ...msg("", s), text: null })))],
    ["falling intensity", input([msg("a", 0, "anger", 0.49), msg("b", 60, "anger", 0.45), msg("c", 120, "anger", 0.4)])],
    ["a rise that stays low", input([msg("a", 0, "disappointment", 0.1), msg("b", 60, "disappointment", 0.2), msg("c", 120, "disappointment", 0.3)])],
    ["emotion without escalate", input([msg("x", 0)], { emotion: { label: "disappointment", score: 0.6, escalate: false } })],
  ] as const)("does not escalate %s", (_, given) => {
    expect(decideEscalation(given)).toBeNull();
  });

  it("lets the bot act on a solvable message unless the emotion is strong or a hard signal", () => {
    const angry = (score: number, reason: "anger" | "threat" = "anger", cued = true) => ({ label: "anger" as const, score, escalate: true, reason, cued });
    expect(decideEscalation(input([msg("我退款的钱呢", 0)], { emotion: angry(0.8), solvable: true }))).toBeNull();
    expect(decideEscalation(input([msg("我退款的钱呢", 0)], { emotion: angry(0.95), solvable: true }))?.rule).toBe("anger");
    expect(decideEscalation(input([msg("底座裂了一条缝", 0)], { emotion: angry(0.95, "anger", false), solvable: true, inForm: true }))).toBeNull();
    expect(decideEscalation(input([msg("底座裂了一条缝", 0)], { emotion: angry(0.95, "anger", false), solvable: true }))?.rule).toBe("anger");
    expect(decideEscalation(input([msg("垃圾！！！底座裂了", 0)], { emotion: angry(0.95), solvable: true, inForm: true }))?.rule).toBe("anger");
    expect(decideEscalation(input([msg("再不退钱我打12315", 0)], { emotion: angry(0.4, "threat"), solvable: true }))?.rule).toBe("threat");
    expect(decideEscalation(input([msg("呃", 0)], { emotion: angry(0.8) }))).toBeNull();
  });

  it("hands VIPs over at once only on human-first channels", () => {
    const policy = { ...DEFAULT_ESCALATION_POLICY, humanFirstChannels: ["app"] as const };
    expect(decideEscalation(input([msg("你好", 0)], { vip: true, channel: "app" }), policy)?.rule).toBe("vip_human_first");
    expect(decideEscalation(input([msg("你好", 0)], { vip: true, channel: "web" }), policy)).toBeNull();
    expect(decideEscalation(input([msg("你好", 0)], { vip: false, channel: "app" }), policy)).toBeNull();
  });

  it("explains why, with the scores, for the agent", () => {
    const e = decideEscalation(input([msg("x", 0)], { emotion: { label: "anger", score: 0.3, escalate: true, reason: "safety", evidence: "拉肚子" } }));
    expect(e).toEqual({ rule: "safety", why: "反映安全问题（“拉肚子”，愤怒 0.30）" });
  });
});
