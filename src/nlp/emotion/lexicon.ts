/**
 * The domain emotion lexicon (knowledge/emotion.yaml, maintained by the shop): emotion words by
 * label with weights, degree words, negations, insults, complaint threats and safety incidents.
 * `lexiconSignals` reads a message with it: per-label scores, the hard signals that escalate on
 * their own, and feature strings the emotion model learns to weigh.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { normalize } from "../normalize.js";

export const EMOTION_LABELS = ["anger", "anxiety", "disappointment", "neutral", "positive"] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];
type Felt = Exclude<EmotionLabel, "neutral">;

const Weighted = z.object({ word: z.coerce.string().min(1), weight: z.number().min(0).max(3) }).strict();
const Words = z.array(z.coerce.string().min(1)).default([]);

export const EmotionLexicon = z
  .object({
    degree: z.array(Weighted).default([]),
    negation: Words,
    words: z
      .object({ anger: z.array(Weighted).default([]), anxiety: z.array(Weighted).default([]), disappointment: z.array(Weighted).default([]), positive: z.array(Weighted).default([]) })
      .strict(),
    insults: Words,
    complaintThreats: Words,
    safety: Words,
  })
  .strict();
export type EmotionLexicon = z.infer<typeof EmotionLexicon>;

export const EMPTY_LEXICON: EmotionLexicon = EmotionLexicon.parse({ words: {} });

/** Reads `emotion.yaml` from the knowledge folder; a missing file is an empty lexicon, a broken one an error naming it. */
export async function readEmotionLexicon(knowledgeDir: string): Promise<EmotionLexicon> {
  const path = join(knowledgeDir, "emotion.yaml");
  const text = await readFile(path, "utf8").catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? null : Promise.reject(err)));
  if (text === null) return EMPTY_LEXICON;
  const parsed = EmotionLexicon.safeParse(parse(text));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  // Words are matched in normalised text, so normalise them the same way.
  const norm = (w: string) => normalize(w);
  const l = parsed.data;
  return {
    degree: l.degree.map((d) => ({ ...d, word: norm(d.word) })),
    negation: l.negation.map(norm),
    words: {
      anger: l.words.anger.map((d) => ({ ...d, word: norm(d.word) })),
      anxiety: l.words.anxiety.map((d) => ({ ...d, word: norm(d.word) })),
      disappointment: l.words.disappointment.map((d) => ({ ...d, word: norm(d.word) })),
      positive: l.words.positive.map((d) => ({ ...d, word: norm(d.word) })),
    },
    insults: l.insults.map(norm),
    complaintThreats: l.complaintThreats.map(norm),
    safety: l.safety.map(norm),
  };
}

export interface LexiconSignals {
  /** Per felt label, 0..1 (noisy-or of the matched words' weights, after degree and negation). */
  scores: Record<Felt, number>;
  insult: string | null;
  threat: string | null;
  safety: string | null;
  /** ！！！ or ？？？ runs, or shouting in capitals. */
  burst: boolean;
  /** Feature strings for the model. */
  features: string[];
}

/** How far before an emotion word a negation or degree word may stand (characters). */
const NEGATION_SPAN = 4;
const DEGREE_SPAN = 3;

const BURST = /[!！]{3,}|[?？]{3,}|[!！?？]{4,}/u;
const SHOUT = /\b[A-Z]{4,}\b/;

/** The lexicon's reading of one message (`raw` for punctuation and capitals, which normalising folds). */
export function lexiconSignals(lexicon: EmotionLexicon, raw: string, normalized = normalize(raw)): LexiconSignals {
  const features: string[] = [];
  const scores: Record<Felt, number> = { anger: 0, anxiety: 0, disappointment: 0, positive: 0 };
  const keep: Record<Felt, number> = { anger: 1, anxiety: 1, disappointment: 1, positive: 1 };
  const before = (at: number, span: number) => normalized.slice(Math.max(0, at - span), at);

  for (const label of ["anger", "anxiety", "disappointment", "positive"] as const) {
    for (const { word, weight } of lexicon.words[label]) {
      const at = normalized.indexOf(word);
      if (at < 0) continue;
      const lead = before(at, NEGATION_SPAN);
      const negated = lexicon.negation.some((n) => lead.includes(n));
      const degree = lexicon.degree.find((d) => before(at, DEGREE_SPAN).includes(d.word))?.weight ?? 1;
      // A negated positive word reads as disappointment (不满意); a negated negative one mostly cancels (不生气).
      const target: Felt = negated && label === "positive" ? "disappointment" : label;
      const w = Math.min(1, weight * degree * (negated && label !== "positive" ? 0.2 : 1));
      keep[target] *= 1 - w;
      features.push(`emo:${target}${negated ? ":neg" : ""}`, `emo:${target}:${w >= 0.7 ? "strong" : "weak"}`);
    }
  }
  for (const label of Object.keys(scores) as Felt[]) scores[label] = 1 - keep[label];

  const find = (words: string[]) => words.find((w) => normalized.includes(w)) ?? null;
  const insult = find(lexicon.insults);
  const threat = find(lexicon.complaintThreats);
  const safety = find(lexicon.safety);
  const burst = BURST.test(raw) || SHOUT.test(raw);
  if (insult) features.push("emo:insult");
  if (threat) features.push("emo:threat");
  if (safety) features.push("emo:safety");
  if (burst) features.push("emo:burst");
  return { scores, insult, threat, safety, burst, features };
}
