/** Stage 1 of clustering: collapse the raw unanswered records into distinct questions, keeping counts and times. */
import { normalize } from "../nlp/normalize.js";

/** One unanswered record (a row of `unanswered_questions`, or an already aggregated one). */
export interface UnansweredQuestion {
  text: string;
  /** The stored normalised text; computed from `text` when absent. */
  normalized?: string;
  /** Messages this record stands for (1 for a raw row). */
  count?: number;
  firstSeen?: Date;
  lastSeen?: Date;
  id?: string | number;
}

/** A distinct question: every record whose dedupe key is the same. */
export interface DistinctQuestion {
  key: string;
  /** The most frequent original spelling. */
  text: string;
  normalized: string;
  count: number;
  firstSeen?: Date;
  lastSeen?: Date;
  ids: (string | number)[];
  /** Messages in the last window before `now`, and in the window before that (see `Trend`). */
  recent: number;
  previous: number;
}

const NOT_CONTENT = /[\p{P}\p{S}\p{Z}\s]/gu;

/** The dedupe key: the normalised text without punctuation, symbols (emoji included) or spaces. `在吗？？😊` and `在吗` share one. */
export function dedupeKey(normalized: string): string {
  return normalized.replace(NOT_CONTENT, "");
}

export interface TrendWindow {
  now: Date;
  /** Length of one window in milliseconds (24 h by default). */
  windowMs: number;
}

/**
 * Groups the records by dedupe key. A record counts towards the trend windows at its `lastSeen`
 * (or `firstSeen`): exact for raw rows, an approximation for records that already aggregate many messages.
 * Records whose key is empty (only punctuation or emoji) are dropped: there is nothing to group by.
 */
export function dedupeQuestions(questions: readonly UnansweredQuestion[], window?: TrendWindow): DistinctQuestion[] {
  const byKey = new Map<string, DistinctQuestion & { spellings: Map<string, number> }>();
  const now = window?.now.getTime() ?? 0;
  const span = window?.windowMs ?? 0;
  for (const q of questions) {
    const normalized = q.normalized ?? normalize(q.text);
    const key = dedupeKey(normalized);
    if (!key) continue;
    const count = q.count ?? 1;
    let d = byKey.get(key);
    if (!d) {
      d = { key, text: q.text, normalized, count: 0, ids: [], recent: 0, previous: 0, spellings: new Map() };
      byKey.set(key, d);
    }
    d.count += count;
    if (q.id !== undefined) d.ids.push(q.id);
    d.spellings.set(q.text, (d.spellings.get(q.text) ?? 0) + count);
    const first = q.firstSeen ?? q.lastSeen;
    const last = q.lastSeen ?? q.firstSeen;
    if (first && (!d.firstSeen || first < d.firstSeen)) d.firstSeen = first;
    if (last && (!d.lastSeen || last > d.lastSeen)) d.lastSeen = last;
    if (window && last) {
      const age = now - last.getTime();
      if (age >= 0 && age < span) d.recent += count;
      else if (age >= span && age < 2 * span) d.previous += count;
    }
  }
  return [...byKey.values()].map(({ spellings, ...d }) => {
    let best = d.text;
    for (const [text, n] of spellings) if (n > spellings.get(best)!) best = text;
    return { ...d, text: best };
  });
}
