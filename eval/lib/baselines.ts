/**
 * Peer classifiers for side-by-side evaluation on the same files in the same run:
 * NLP.js (its own Chinese pipeline), a multinomial naive Bayes over jieba tokens, and a plain
 * linear (softmax) classifier over TF-IDF character 1–3-grams.
 */
import { createRequire } from "node:module";
import type { TextAnalyzer } from "../../src/nlp/analyzer.js";
import { toExamples, FEATURE_CLOCK, type LabelledText } from "../../src/nlp/intent/dataset.js";
import type { FeatureOptions } from "../../src/nlp/intent/features.js";
import { trainIntentModel } from "../../src/nlp/intent/train.js";

export interface Classifier {
  name: string;
  trainSeconds: number;
  predict(text: string): string | Promise<string>;
}

const require = createRequire(import.meta.url);

/** NLP.js 4 with its Chinese language package, trained as its docs describe (addDocument + train). */
export async function trainNlpJs(train: LabelledText[]): Promise<Classifier> {
  const { containerBootstrap } = require("@nlpjs/core") as { containerBootstrap: () => Promise<any> };
  const { Nlp } = require("@nlpjs/nlp") as { Nlp: any };
  const { LangZh } = require("@nlpjs/lang-zh") as { LangZh: any };
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangZh);
  const nlp = container.get("nlp");
  nlp.settings.autoSave = false;
  nlp.settings.log = false;
  nlp.addLanguage("zh");
  for (const { text, label } of train) nlp.addDocument("zh", text, label);
  const started = performance.now();
  await nlp.train();
  const trainSeconds = (performance.now() - started) / 1000;
  // Classify through its NLU manager: one label per text, without NLP.js's answer/NER stages.
  const manager = nlp.nluManager;
  return {
    name: "NLP.js 4 (lang-zh)",
    trainSeconds,
    async predict(text: string) {
      const result = await manager.process("zh", text);
      return (result.classifications?.[0]?.intent as string | undefined) ?? "None";
    },
  };
}

/** natural's BayesClassifier over the same jieba tokens as kefu (fine at a few thousand examples). */
export function trainNaturalBayes(analyzer: TextAnalyzer, train: LabelledText[]): Classifier {
  const natural = require("natural") as { BayesClassifier: new () => any };
  const tokenize = (text: string) => analyzer.analyze(text, FEATURE_CLOCK).tokens.map((t) => t.text);
  const classifier = new natural.BayesClassifier();
  for (const { text, label } of train) classifier.addDocument(tokenize(text), label);
  const started = performance.now();
  classifier.train();
  return {
    name: "naive Bayes (natural, jieba tokens)",
    trainSeconds: (performance.now() - started) / 1000,
    predict: (text) => classifier.classify(tokenize(text)) as string,
  };
}

/** Count-based multinomial naive Bayes (Laplace smoothing) over the same jieba tokens as kefu. */
export function trainNaiveBayes(analyzer: TextAnalyzer, train: LabelledText[]): Classifier {
  const started = performance.now();
  const tokenize = (text: string) => analyzer.analyze(text, FEATURE_CLOCK).tokens.map((t) => t.text);
  const labelCounts = new Map<string, number>();
  const wordCounts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const { text, label } of train) {
    labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
    const counts = wordCounts.get(label) ?? new Map<string, number>();
    for (const w of tokenize(text)) {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      totals.set(label, (totals.get(label) ?? 0) + 1);
      vocabulary.add(w);
    }
    wordCounts.set(label, counts);
  }
  const labels = [...labelCounts.keys()];
  const V = vocabulary.size;
  const n = train.length;
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    name: "multinomial naive Bayes (counts, jieba tokens)",
    trainSeconds,
    predict(text) {
      const words = tokenize(text);
      let best = labels[0]!;
      let bestScore = -Infinity;
      for (const label of labels) {
        const counts = wordCounts.get(label)!;
        const total = totals.get(label) ?? 0;
        let score = Math.log(labelCounts.get(label)! / n);
        for (const w of words) score += Math.log(((counts.get(w) ?? 0) + 1) / (total + V));
        if (score > bestScore) [best, bestScore] = [label, score];
      }
      return best;
    },
  };
}

export const CHAR_TFIDF: FeatureOptions = { charNgrams: [1, 3], words: false, wordBigrams: false, entityTypes: false };

/** A plain linear softmax classifier over TF-IDF character 1–3-grams (no hidden layer). */
export async function trainCharLinear(analyzer: TextAnalyzer, train: LabelledText[]): Promise<Classifier> {
  const started = performance.now();
  const model = await trainIntentModel(toExamples(analyzer, train, CHAR_TFIDF), CHAR_TFIDF, {
    hidden: 0,
    epochs: 30,
    learningRate: 0.02,
    dropout: 0,
    labelSmoothing: 0,
  });
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    name: "linear, TF-IDF char 1-3-grams",
    trainSeconds,
    predict(text) {
      const a = analyzer.analyze(text, FEATURE_CLOCK);
      const x = model.vectorize(a);
      return model.rank(x)[0]!.name;
    },
  };
}
