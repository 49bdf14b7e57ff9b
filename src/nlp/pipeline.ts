/** The understanding pipeline: analyse the text, then classify the intent and the emotion. */
import type { TextAnalyzer } from "./analyzer.js";
import type { Emotion, EmotionDetector } from "./emotion/detector.js";
import type { IntentModelStore } from "./intent/store.js";
import type { Entity, IntentScore } from "./types.js";

export interface ParseResult {
  text: string;
  normalized: string;
  tokens: string[];
  intent: IntentScore;
  /** The five most likely intents, even when the decision is out_of_scope. */
  ranking: IntentScore[];
  entities: Entity[];
  /** The shopper's emotion and whether it alone calls for a human (absent without an emotion model). */
  emotion?: Emotion;
}

export class NluPipeline {
  constructor(
    readonly analyzer: TextAnalyzer,
    readonly intents: IntentModelStore,
    readonly emotions: EmotionDetector | null = null,
  ) {}

  parse(text: string, now: Date): ParseResult {
    const analysis = this.analyzer.analyze(text, now);
    const model = this.intents.model;
    const { intent, ranking } = model.classify(model.vectorize(analysis));
    return {
      text,
      normalized: analysis.normalized,
      tokens: analysis.tokens.map((t) => t.text),
      intent: round(intent),
      ranking: ranking.slice(0, 5).map(round),
      entities: analysis.entities,
      ...(this.emotions ? { emotion: this.emotions.detect(analysis) } : {}),
    };
  }
}

const round = (s: IntentScore): IntentScore => ({ name: s.name, confidence: Math.round(s.confidence * 10_000) / 10_000 });
