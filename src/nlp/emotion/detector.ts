/**
 * Emotion detection: a network (the intent classifier's code) over the message's features plus the
 * lexicon's signals gives the label; the intensity mixes the network's confidence with the
 * lexicon's score; insults, complaint threats and safety incidents escalate whatever the label.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import type { Analysis, TextAnalyzer } from "../analyzer.js";
import { FEATURE_CLOCK, hashData, type LabelledText } from "../intent/dataset.js";
import { DEFAULT_FEATURES, featureStrings, vectorize } from "../intent/features.js";
import { IntentModel } from "../intent/model.js";
import { trainIntentModel, type TrainOptions } from "../intent/train.js";
import { EMOTION_LABELS, lexiconSignals, type EmotionLabel, type EmotionLexicon, type LexiconSignals } from "./lexicon.js";

export interface Emotion {
  label: EmotionLabel;
  /** Intensity of the label, 0..1. */
  score: number;
  /** Whether this message alone should go to a human at once. */
  escalate: boolean;
  /** Why it escalates: the rule that fired. */
  reason?: "anger" | "anxiety" | "insult" | "threat" | "safety";
  /** The lexicon words behind a hard signal, for the agent's summary. */
  evidence?: string;
  /** Whether the lexicon also saw this label (its words, or ！！！/capitals for a negative one), not the model alone. */
  cued?: boolean;
}

/** The intensities at which anger and anxiety alone escalate. */
export interface EmotionThresholds {
  anger: number;
  anxiety: number;
}

/**
 * Chosen from the cross-validated scores on the training data that `npm run train:emotion` prints,
 * never from the held-out escalation set: anger at 0.5 (precision 89%, recall 88%); anxiety only when
 * strong, at 0.7 (precision 94%, recall 74%), because a worried question (明天能到吗) is the bot's to answer.
 */
export const DEFAULT_EMOTION_THRESHOLDS: EmotionThresholds = { anger: 0.5, anxiety: 0.7 };

/** Chosen on training/emotion.tsv by 5-fold cross-validation (npm run train:emotion prints it). */
export const EMOTION_TRAIN_OPTIONS: Partial<TrainOptions> = { hidden: 32, epochs: 20, minFeatureCount: 1, dropout: 0.3, learningRate: 0.01 };

/** The model's features: the intent features of the text plus the lexicon's signals. */
export function emotionFeatures(analysis: Analysis, signals: LexiconSignals): string[] {
  return [...featureStrings(analysis, DEFAULT_FEATURES), ...signals.features];
}

/** The lexicon score at which its words count as seeing the label too. */
const CUE = 0.3;

export class EmotionDetector {
  constructor(
    readonly model: IntentModel,
    readonly lexicon: EmotionLexicon,
    readonly thresholds: EmotionThresholds = DEFAULT_EMOTION_THRESHOLDS,
  ) {}

  /** Label probabilities, highest first. */
  rank(analysis: Analysis, signals = lexiconSignals(this.lexicon, analysis.text, analysis.normalized)) {
    return this.model.rank(vectorize(emotionFeatures(analysis, signals), this.model.index, this.model.vocabulary.idf));
  }

  detect(analysis: Analysis): Emotion {
    const signals = lexiconSignals(this.lexicon, analysis.text, analysis.normalized);
    const [top] = this.rank(analysis, signals);
    const label = top!.name as EmotionLabel;
    const lexical = label === "neutral" ? 0 : signals.scores[label];
    // The network's confidence, raised by what the lexicon found and by ！！！ bursts.
    const score = Math.min(1, Math.max(top!.confidence, 0.5 * top!.confidence + 0.5 * lexical) + (signals.burst && label !== "positive" ? 0.1 : 0));
    const cued = lexical >= CUE || (signals.burst && label !== "neutral" && label !== "positive");
    const emotion: Emotion = { label, score: Math.round(score * 1000) / 1000, escalate: false, ...(cued ? { cued } : {}) };
    const hard = signals.insult ? ("insult" as const) : signals.threat ? ("threat" as const) : signals.safety && label !== "neutral" && label !== "positive" ? ("safety" as const) : null;
    if (hard) return { ...emotion, escalate: true, reason: hard, evidence: (signals.insult ?? signals.threat ?? signals.safety)! };
    if (label === "anger" && score >= this.thresholds.anger) return { ...emotion, escalate: true, reason: "anger" };
    if (label === "anxiety" && score >= this.thresholds.anxiety) return { ...emotion, escalate: true, reason: "anxiety" };
    return emotion;
  }
}

export async function trainEmotionModel(analyzer: TextAnalyzer, lexicon: EmotionLexicon, data: LabelledText[], options: Partial<TrainOptions> = EMOTION_TRAIN_OPTIONS): Promise<IntentModel> {
  const examples = data.map(({ text, label }) => {
    const analysis = analyzer.analyze(text, FEATURE_CLOCK);
    return { features: emotionFeatures(analysis, lexiconSignals(lexicon, text, analysis.normalized)), label };
  });
  return trainIntentModel(examples, DEFAULT_FEATURES, { ...options, minConfidence: 0, minMargin: 0 }, { trainingDataHash: hashData(data) });
}

/** The committed model in `modelsDir/emotion` with the lexicon, or null when there is no model. */
export async function loadEmotionDetector(modelsDir: string, lexicon: EmotionLexicon, thresholds?: EmotionThresholds): Promise<EmotionDetector | null> {
  const dir = join(modelsDir, "emotion");
  const exists = await access(join(dir, "manifest.json")).then(
    () => true,
    () => false,
  );
  return exists ? new EmotionDetector(await IntentModel.load(dir), lexicon, thresholds) : null;
}

export { EMOTION_LABELS };
