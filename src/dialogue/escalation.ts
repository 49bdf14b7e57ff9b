/**
 * When the bot stops answering and hands the shopper to a human without being asked: a pure decision
 * over the current message's emotion, the shopper's last few messages and who they are. Explicit
 * requests for a human and repeated failures are handled by the dialogue itself (the human_agent
 * scenario, and the offer after turns it could not handle).
 */
import type { Channel } from "../db/schema.js";
import type { Emotion } from "../nlp/emotion/detector.js";
import type { RecentMessage } from "./state.js";

export interface EscalationPolicy {
  /** Channels where VIP customers go to a human at once (human-first); others are robot-first. */
  humanFirstChannels: readonly Channel[];
  /** The same question this many times in the recent messages. */
  repeats: number;
  /** This many messages within `burstSeconds`. */
  burstMessages: number;
  burstSeconds: number;
  /** Negative intensity rising over the last three messages, ending at least this high. */
  risingTo: number;
  /**
   * When the message is something the bot can act on (a scenario it is confident about, or the
   * form being filled), anger or anxiety read by the model needs this intensity: 我的包裹到哪了 read
   * as anxiety 0.86 is answered with the parcel. Inside a form the shopper is answering the bot's
   * questions, and a factual description of a defect (底座右边裂了一条缝，加水就漏, anger 0.90) is not
   * anger: there the lexicon must see it too (its words, ！！！, capitals).
   */
  solvableIntensity: number;
}

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = { humanFirstChannels: [], repeats: 3, burstMessages: 5, burstSeconds: 30, risingTo: 0.45, solvableIntensity: 0.9 };

export type EscalationRule = NonNullable<Emotion["reason"]> | "vip_human_first" | "repeated_question" | "message_burst" | "rising_intensity";

export interface Escalation {
  rule: EscalationRule;
  /** For the agent: why, in a few words of Chinese, with the scores. */
  why: string;
}

export interface EscalationInput {
  emotion: Emotion | null;
  /** The shopper's recent messages, the current one last. */
  recent: readonly RecentMessage[];
  vip: boolean;
  channel: Channel;
  /** The bot can act on this message (a scenario it is confident about, or the form being filled). */
  solvable?: boolean;
  /** The message answers a form the bot is filling. */
  inForm?: boolean;
}

/** Messages this short say too little for the model alone to hand over (呃, 啊啊), or to count as the same question again (好的). */
const TOO_SHORT = 3;

const NEGATIVE = new Set(["anger", "anxiety", "disappointment"]);
const LABEL_ZH: Record<string, string> = { anger: "愤怒", anxiety: "焦虑", disappointment: "失望", neutral: "平静", positive: "满意" };

/** What a message asks, for spotting the same question again: no punctuation, spaces or case. */
const gist = (text: string | null) => (text ?? "").replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();

export function emotionLabelZh(label: string): string {
  return LABEL_ZH[label] ?? label;
}

/** The first rule that calls for a human now, or null. */
export function decideEscalation(input: EscalationInput, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): Escalation | null {
  const { emotion, recent } = input;
  if (input.vip && policy.humanFirstChannels.includes(input.channel)) return { rule: "vip_human_first", why: `VIP 顾客，${input.channel} 渠道人工优先` };
  const current = recent.at(-1);
  const modelOnly = emotion?.reason === "anger" || emotion?.reason === "anxiety";
  const holdBack =
    modelOnly &&
    ([...gist(current?.text ?? "")].length < TOO_SHORT ||
      ((input.solvable || input.inForm) && emotion!.score < policy.solvableIntensity) ||
      (input.inForm && !emotion!.cued));
  if (emotion?.escalate && emotion.reason && !holdBack) {
    const felt = `${emotionLabelZh(emotion.label)} ${emotion.score.toFixed(2)}`;
    const why: Record<NonNullable<Emotion["reason"]>, string> = {
      anger: `情绪愤怒（${felt}）`,
      anxiety: `情绪焦虑（${felt}）`,
      insult: `出现辱骂（“${emotion.evidence}”，${felt}）`,
      threat: `提到投诉或曝光（“${emotion.evidence}”，${felt}）`,
      safety: `反映安全问题（“${emotion.evidence}”，${felt}）`,
    };
    return { rule: emotion.reason, why: why[emotion.reason] };
  }
  // A question, not 好的 or 是 said to several of the bot's questions.
  if ([...gist(current?.text ?? null)].length >= TOO_SHORT) {
    const same = recent.filter((m) => gist(m.text) === gist(current!.text)).length;
    if (same >= policy.repeats) return { rule: "repeated_question", why: `同一个问题问了 ${same} 遍` };
  }
  // Typed messages only: clicking through buttons quickly is not a shopper losing patience.
  const times = recent.filter((m) => m.text).map((m) => (m.at ? Date.parse(m.at) : NaN)).filter((t) => !Number.isNaN(t));
  if (times.length >= policy.burstMessages) {
    const window = times.at(-1)! - times.at(-policy.burstMessages)!;
    if (window <= policy.burstSeconds * 1000) return { rule: "message_burst", why: `${Math.round(window / 1000)} 秒内连发 ${policy.burstMessages} 条消息` };
  }
  const last3 = recent.slice(-3);
  if (last3.length === 3 && last3.every((m) => m.label && NEGATIVE.has(m.label)) && last3[0]!.score < last3[1]!.score && last3[1]!.score < last3[2]!.score && last3[2]!.score >= policy.risingTo) {
    return { rule: "rising_intensity", why: `情绪连续升高（${last3.map((m) => m.score.toFixed(2)).join(" → ")}）` };
  }
  return null;
}
